// Second derivatives against PyTorch 1.13 through the ops beyond second-order.json's (fixtures/torch/
// second-order-more.json, from make_second_order_more.py): for each family of ops a scalar function of a few
// inputs (conv3d's and convTranspose3d's: an input, a grouped kernel and a bias), its gradient with createGraph, and
// a Hessian-vector product (the gradient of Σ g·v). Where PyTorch 1.13 has no double backward (hardsigmoid, the multi-margin losses,
// cdist, pdist, embeddingBag) or has one that fails its own gradgradcheck (the fused weight norm, torch._weight_norm; det
// at a singular matrix) Kindling's is checked by gradgradcheck only (test/engine/second-order.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addcdiv, addcmul, atan2, autograd, cat, clampMin, copysign, F, fmod, hypot, lerp, linalg, logaddexp, maximum, tensor, xlogy, type Tensor,
} from '../../src/index.js';
import { FAMILIES } from '../engine/second-order-families.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

type E = EncodedTensor;
const fx = loadFixture<{ cases: Record<string, { inputs: E[]; v: E[]; y: number; g: E[]; hv: (E | null)[] }> }>('second-order-more.json');

const FNS: Record<string, (...xs: Tensor[]) => Tensor> = {
  binary: (a, b) => atan2(a, b.add(0.1)).mul(a).add(hypot(a, b)).add(logaddexp(a, b).mul(b)).add(fmod(a.mul(3), b.abs().add(2)).mul(a))
    .add(xlogy(a, b.abs().add(0.2))).add(maximum(a, b).mul(a)).add(clampMin(a, 0.1).mul(b)).add(copysign(a, b).mul(a)).sum(),
  ternary: (a, b, p) => lerp(a, b, p).pow(2).add(addcmul(a, a, b, 0.5).pow(2)).add(addcdiv(a, a.mul(b), p.add(1), 2).pow(2))
    .add(a.clamp(b.sub(0.5), b.add(0.5)).mul(a)).sum(),
  special: (p) => p.add(0.5).lgamma().mul(p).add(p.add(1).digamma().mul(p)).add(p.add(1).polygamma(1)).add(p.sub(0.3).erfinv().mul(p))
    .add(p.logit().mul(p)).add(p.logit(0.3).mul(p)).sum(),
  activations: (a, b) => F.glu(cat([a, b], 1), 1).mul(a).add(F.prelu(a, b.select(0, 0)).mul(a)).add(F.celu(a, 0.7).mul(a)).add(F.selu(a).mul(b))
    .add(F.hardswish(a.mul(4)).mul(a)).add(F.rrelu(a).mul(a)).sum(),
  pools: (v) => {
    const seq = v.reshape([2, 2, 12]).exp();
    const plane = v.reshape([1, 4, 3, 4]);
    return F.maxPool1d(seq, 3, 2).pow(2).sum().add(F.avgPool1d(seq, 3, 2, { padding: 1 }).pow(2).sum())
      .add(F.adaptiveMaxPool2d(plane.mul(plane), [2, 2]).pow(2).sum()).add((F.maxPool3d(v.exp(), [1, 2, 2], { stride: 1 }) as Tensor).pow(2).sum())
      .add(F.avgPool3d(v.mul(v), [2, 2, 2], { stride: 1 }).pow(2).sum()).add(F.adaptiveAvgPool3d(v.exp(), [1, 2, 3]).pow(2).sum());
  },
  conv3d: (v, k, b) => F.conv3d(v, k, b, { stride: [1, 1, 2], padding: 1, dilation: [1, 2, 1], groups: 2 }).tanh().pow(2).sum()
    .add(F.conv3d(v.select(0, 0), k, null, { padding: [0, 1, 1], groups: 2 }).sigmoid().sum())
    .add(F.convTranspose3d(v, k, b, { stride: [1, 2, 1], padding: [0, 1, 0], outputPadding: [0, 1, 0], groups: 2 }).pow(2).sum()),
  // outputPadding at or past the stride (allowed below the dilation), padding cropping less, as much and more.
  convTransposeOutputPadding: (x1, w1, x2, w2, b2) => F.convTranspose1d(x1, w1, null, { outputPadding: 1, dilation: 2 }).pow(2).sum()
    .add(F.convTranspose1d(x1.select(0, 0), w1, null, { padding: 1, outputPadding: 2, dilation: 3 }).pow(2).sum())
    .add(F.convTranspose1d(x1.narrow(2, 0, 1), w1.narrow(2, 0, 1), null, { stride: 3, padding: 1, outputPadding: 2 }).pow(2).sum())
    .add(F.convTranspose2d(x2, w2, b2, { stride: [2, 1], padding: [1, 0], outputPadding: [0, 1], dilation: 2, groups: 2 }).tanh().pow(2).sum())
    .add(F.convTranspose2d(x2.select(0, 0), w2, null, { stride: [1, 2], outputPadding: [1, 1], dilation: [2, 3], groups: 2 }).pow(2).sum()),
  losses: (a, b) => F.softMarginLoss(a.mul(b), tensor([[1, -1, 1], [-1, 1, 1]]))
    .add(F.localResponseNorm(a.reshape([1, 2, 3]).mul(b.reshape([1, 2, 3])), 2, 0.5, 0.75, 1).pow(2).sum()),
  scans: (a) => a.prod().add(a.prod(1).sum()).add(a.cumprod(1).pow(2).sum()).add(a.logcumsumexp(1).pow(2).sum()).add(a.cummax(1).values.mul(a).sum())
    .add(a.median(1).values.pow(2).sum()).add(a.kthvalue(2, 1).values.pow(2).sum()).add(a.renorm(2, 0, 1).pow(3).sum()),
  indexing: (a, b) => a.matmul(b.t()).trace().mul(a.sum()).add(a.select(0, 0).diagEmbed().matmul(b.t().pow(2)).sum())
    .add(a.scatter(1, tensor([[1], [0]]), b.narrow(1, 0, 1).mul(2)).pow(2).sum()).add(a.indexAdd(1, tensor([0, 2]), b.narrow(1, 0, 2)).pow(2).sum())
    .add(F.pixelShuffle(cat([a, b], 0).reshape([1, 4, 1, 3]), 2).pow(2).sum()),
  // PyTorch's double backward of an embedding leaves out scaleGradByFreq's 1/count; Kindling's follows it.
  embeddings: (a, b) => F.embedding(tensor([0, 2, 2, 1]), cat([a.t(), b.t().mul(a.narrow(0, 0, 1).t())], 1), { paddingIdx: 1, scaleGradByFreq: true }).pow(2).sum(),
  eigh: (a, b) => {
    const sym = a.t().matmul(a).add(b.t().matmul(b).mul(0.5)).add(tensor([[0, 0, 0], [0, 1, 0], [0, 0, 2.5]]));
    const [values, vectors] = linalg.eigh(sym);
    return values!.pow(2).sum().add(vectors!.pow(2).mul(tensor([[1, 2, 3], [0.5, -1, 2], [1.5, 0.3, -0.7]])).sum()).add(linalg.eigvalsh(sym).exp().sum());
  },
  pinvExp: (a, b) => linalg.pinv(a).pow(2).sum().add(linalg.pinv(b.t()).mul(a).sum()).add(linalg.matrixExp(a.matmul(b.t()).mul(0.5)).pow(2).sum()),
  factorizations: (a, b) => {
    const spd = a.matmul(a.t()).add(tensor([[1, 0], [0, 1]]));
    const low = a.matmul(b.t()).tril().add(tensor([[2, 0], [0, 2]]));
    return a.nansum().mul(a.sum()).add(linalg.cholesky(spd).pow(2).sum()).add(linalg.cholesky(spd, { upper: true }).mul(b.narrow(1, 0, 2)).sum())
      .add(linalg.solveTriangular(low, a.narrow(1, 0, 2), { upper: false }).pow(2).sum())
      .add(linalg.solveTriangular(low.t(), b.narrow(1, 1, 2), { upper: true, left: false }).pow(2).sum());
  },
  // The SVD's terms do not depend on the singular vectors' signs (squares), which are a convention.
  qrSvd: (a, b) => {
    const w22 = tensor([[1, -0.5], [0.3, 2]]);
    const w23 = tensor([[1, 2, 3], [0.5, -1, 2]]);
    const [q1, r1] = linalg.qr(a);
    const [q2, r2] = linalg.qr(b.t());
    const [u, s, vh] = linalg.svd(a, { fullMatrices: false });
    const [u2, s2, vh2] = linalg.svd(a.matmul(b.t()).add(tensor([[1, 0], [0, 1]])));
    const [u3, s3] = linalg.svd(b.t());
    return q1.sin().sum().add(r1.pow(2).sum().mul(0.3)).add(q2.mul(b.t()).sum()).add(r2.pow(3).sum())
      .add(u.pow(2).mul(w22).sum()).add(s.pow(3).sum()).add(vh.pow(2).mul(w23).sum())
      .add(u2.pow(2).mul(w22).sum()).add(s2.exp().sum()).add(vh2.pow(2).mul(w22.t()).sum())
      .add(u3!.narrow(1, 0, 2).pow(2).mul(w23.t()).sum()).add(s3!.pow(2).sum()).add(linalg.svdvals(a.mul(b)).pow(3).sum());
  },
  ...FAMILIES,
  linalg: (a, b) => {
    const m = a.matmul(b.t()).add(tensor([[2, 0], [0, 2]]));
    return linalg.inv(m).pow(2).sum().add(linalg.det(m).pow(2)).add(linalg.slogdet(m)[1]!.mul(3)).add(linalg.solve(m, a.narrow(1, 0, 2)).pow(2).sum())
      .add(linalg.cross(a, b).pow(2).sum());
  },
};

// Other formulas than PyTorch's double-backward kernels (the same mathematics, other float32 roundings).
const TOL = { rtol: 2e-5, atol: 2e-6 };

for (const [name, c] of Object.entries(fx.cases)) {
  test(`createGraph: ${name} — the value, the gradient and a Hessian-vector product as PyTorch's`, () => {
    const xs = c.inputs.map((e) => decode(e, true));
    const y = FNS[name]!(...xs);
    assert.ok(Math.abs(y.item() - c.y) <= 1e-5 * Math.max(1, Math.abs(c.y)), `${name}: ${y.item()} against ${c.y}`);
    const gs = autograd.grad(y, xs, { createGraph: true });
    gs.forEach((g, i) => assertTensorClose(g, c.g[i]!, `${name}: gradient ${i}`, TOL));
    const vs = c.v.map((e) => decode(e));
    const dot = gs.map((g, i) => g.mul(vs[i]!).sum()).reduce((s, t) => s.add(t));
    const hv = autograd.grad(dot, xs, { allowUnused: true });
    hv.forEach((h, i) => {
      const want = c.hv[i];
      if (want === null || want === undefined) assert.ok(h === null || h.toArray().every((v) => v === 0), `${name}: input ${i} gets no second derivative`);
      else assertTensorClose(h, want, `${name}: Hessian-vector product ${i}`, TOL);
    });
  });
}
