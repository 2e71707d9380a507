// First and second derivatives of F.instanceNorm and F.localResponseNorm against PyTorch 1.13
// (fixtures/torch/norm-twice.json, from make_norm_twice.py). The first-order gradients taken with createGraph are the
// plain backward's values, as PyTorch's are its plain kernel's (instance norm's native_batch_norm_backward) or the
// same composition of ops (local_response_norm): finite for values near 1e-20 with eps 0, whose squares are
// subnormal, and 0 for LRN of values near 1e25, whose squares overflow; at an offset of 1000 they are the kernel's to
// the bit. The second-order ones are PyTorch's (batchnorm_double_backward for instance norm).
// Tolerances: |diff| ≤ 1e-6·|expected| + 1e-6·(the tensor's largest finite |value|) — float32 sums of a few terms
// added in another order than PyTorch's kernels; NaN and ±inf where PyTorch has them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autograd, F, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, values, type EncodedTensor } from './golden-helpers.js';

interface Case {
  op: 'instanceNorm' | 'localResponseNorm';
  options: { eps?: number; size?: number; alpha?: number; beta?: number; k?: number };
  inputs: EncodedTensor[];
  out: EncodedTensor;
  upstream: EncodedTensor;
  weights: EncodedTensor[];
  grads: (EncodedTensor | null)[];
  second: (EncodedTensor | null)[];
}
const { cases } = loadFixture<{ cases: Case[] }>('norm-twice.json');

function apply(c: Case, xs: Tensor[]): Tensor {
  const o = c.options;
  if (c.op === 'instanceNorm') {
    return F.instanceNorm(xs[0]!, { weight: xs[1] ?? null, bias: xs[2] ?? null, ...(o.eps === undefined ? {} : { eps: o.eps }) });
  }
  return F.localResponseNorm(xs[0]!, o.size!, o.alpha, o.beta, o.k);
}

function close(t: Tensor | null, e: EncodedTensor, label: string, rtol = 1e-6): void {
  const scale = values(e).reduce((m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m), 0);
  assertTensorClose(t, e, label, { rtol, atol: rtol * scale });
}

for (const [i, c] of cases.entries()) {
  test(`${c.op} #${i} ${JSON.stringify(c.options)} [${c.inputs[0]!.shape.join(', ')}]: first derivatives with createGraph as the plain ones and PyTorch's, second ones as PyTorch's`, () => {
    const xs = c.inputs.map((x) => decode(x, true));
    const out = apply(c, xs);
    // Where statistics cancel (an offset of 1000) or squares are subnormal, PyTorch's float32 kernel and Kindling's
    // float64 sums part by more than 1e-6: normalization.test.ts bounds those from the terms; here they need only be
    // near, the check being that the first-order gradients are the plain ones.
    const loose = c.op === 'instanceNorm' ? 3e-4 : 1e-6;
    close(out, c.out, 'out', loose);
    const upstream = decode(c.upstream);
    const plain = autograd.grad([apply(c, xs)], xs, [upstream]);
    const grads = autograd.grad([out], xs, [upstream], { createGraph: true });
    grads.forEach((g, k) => {
      close(g, c.grads[k]!, `first-order gradient of input ${k}`, loose);
      if (c.op === 'instanceNorm') assert.deepEqual(Array.from(g!.toArray()), Array.from(plain[k]!.toArray()), `input ${k}: createGraph's first-order gradient is the plain one`);
      else close(plain[k]!, c.grads[k]!, `plain first-order gradient of input ${k}`);
    });
    const terms = grads.flatMap((g, k) => (g === null || !g.requiresGrad ? [] : [g.mul(decode(c.weights[k]!)).sum()]));
    const hs = autograd.grad([terms.reduce((s, t) => s.add(t))], xs, { allowUnused: true });
    hs.forEach((h, k) => {
      if (c.second[k] === null) assert.equal(h, null, `input ${k}: PyTorch gives no second derivative`);
      else close(h, c.second[k]!, `second-order gradient of input ${k}`);
    });
  });
}

const { third } = loadFixture<{ third: { inputs: EncodedTensor[]; second: (EncodedTensor | null)[]; third: (EncodedTensor | null)[] } }>('norm-twice.json');
test('instanceNorm: derivatives of the second order with respect to the upstream gradient, and of the third order, as PyTorch\'s', () => {
  const [x, w, b, u] = third.inputs.map((e) => decode(e, true)) as [Tensor, Tensor, Tensor, Tensor];
  const g = autograd.grad([F.instanceNorm(x, { weight: w, bias: b })], [x, w, b], [u], { createGraph: true });
  const s = g[0]!.mul(g[0]!).sum().add(g[1]!.mul(g[1]!).sum().mul(0.5)).add(g[2]!.sum());
  const h = autograd.grad([s], [x, w, b, u], { createGraph: true, allowUnused: true });
  h.forEach((v, k) => {
    if (third.second[k] === null) assert.ok(v === null || v.toArray().every((e) => e === 0), `input ${k}: PyTorch gives none`);
    else close(v, third.second[k]!, `second-order gradient of input ${k}`);
  });
  const k3 = autograd.grad([h[0]!.mul(h[0]!).sum().add(h[3]!.sum())], [x, w, u], { allowUnused: true });
  k3.forEach((v, k) => close(v, third.third[k]!, `third-order gradient of input ${k}`, 1e-5));
});
