// The event and chain transforms of distributions.transforms against PyTorch 1.13 (fixtures/torch/transforms.json, from
// make_transforms.py): StickBreaking, Softplus, Softmax, LowerCholesky, CorrCholesky (D = 2, 3, 4), Compose,
// Independent, Reshape, Cat, Stack and CumulativeDistribution — forward map, inverse, log |det J|, the gradient through
// both, the shapes and event dimensions; Kumaraswamy and LogisticNormal (seeded samples and the stream after them,
// log_prob and its gradients, moments); a Normal pushed through CorrCholeskyTransform.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { distributions, linspace, manualSeed, rand, tensor, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

type E = EncodedTensor;
interface Case {
  name: string; x: E; y: E; inverse: E; lad: E | null; grad: E; forwardShape: number[]; inverseShape: number[];
  domainEventDim: number; codomainEventDim: number; bijective: boolean;
}
const fx = loadFixture<{
  transforms: Case[];
  kumaraswamy: Record<'a' | 'b' | 'sample' | 'after' | 'values' | 'logProb' | 'mean' | 'variance' | 'mode' | 'entropy', E> & { rsampleGrads: E[]; logProbGrads: E[]; batchShape: number[]; eventShape: number[] };
  logisticNormal: Record<'loc' | 'scale' | 'sample' | 'after' | 'logProb' | 'scalarSample' | 'scalarLogProb', E> & {
    logProbGrads: E[]; batchShape: number[]; eventShape: number[]; scalarEventShape: number[]; scalarBatchShape: number[];
  };
  corrCholesky: { sample: E; logProb: E; eventShape: number[] };
}>('transforms.json');

const D = distributions;
const T = distributions.transforms;
const MAKE: Record<string, () => InstanceType<typeof T.Transform>> = {
  stickBreaking: () => new T.StickBreakingTransform(),
  softplus: () => new T.SoftplusTransform(),
  softmax: () => new T.SoftmaxTransform(),
  lowerCholesky: () => new T.LowerCholeskyTransform(),
  corrCholesky2: () => new T.CorrCholeskyTransform(),
  corrCholesky3: () => new T.CorrCholeskyTransform(),
  corrCholesky4: () => new T.CorrCholeskyTransform(),
  compose: () => new T.ComposeTransform([new T.AffineTransform(0.5, 2), new T.ExpTransform()]),
  composeEvent: () => new T.ComposeTransform([new T.AffineTransform(-1, 0.5), new T.StickBreakingTransform()]),
  independent: () => new T.IndependentTransform(new T.ExpTransform(), 1),
  reshape: () => new T.ReshapeTransform([2, 3], [3, 2]),
  cat: () => new T.CatTransform([new T.ExpTransform(), new T.SoftplusTransform()], 1, [2, 3]),
  catLast: () => new T.CatTransform([new T.ExpTransform(), new T.SigmoidTransform()], -1, [1, 2]),
  stack: () => new T.StackTransform([new T.ExpTransform(), new T.SigmoidTransform(), new T.SoftplusTransform()], 1),
  cdf: () => new T.CumulativeDistributionTransform(new D.Normal(0.5, 2)),
};
const TOL = { rtol: 2e-5, atol: 2e-6 };
const weights = (shape: readonly number[], lo: number, hi: number): Tensor => {
  const n = shape.reduce((a, b) => a * b, 1);
  return linspace(lo, hi, n).reshape([...shape]);
};

for (const c of fx.transforms) {
  test(`transforms: ${c.name} — forward, inverse, log |det J|, their gradient and the shapes as PyTorch's`, () => {
    const t = MAKE[c.name]!();
    const x = decode(c.x, true);
    const y = t.forward(x);
    assertTensorClose(y, c.y, 'forward', TOL);
    assertTensorClose(t.inv.forward(decode(c.y)), c.inverse, 'inverse', { rtol: 1e-4, atol: 2e-5 });
    assert.deepEqual(t.forwardShape(x.shape), c.forwardShape);
    assert.deepEqual(t.inverseShape(y.shape), c.inverseShape);
    assert.equal(t.domainEventDim, c.domainEventDim, 'domain event dim');
    assert.equal(t.codomainEventDim, c.codomainEventDim, 'codomain event dim');
    assert.equal(t.bijective, c.bijective);
    let total = y.mul(weights(y.shape, -1, 1)).sum();
    if (c.lad === null) assert.throws(() => t.logAbsDetJacobian(x, y), /NotImplementedError|not bijective/);
    else {
      const lad = t.logAbsDetJacobian(x, y);
      assertTensorClose(lad, c.lad, 'log |det J|', TOL);
      total = total.add(lad.mul(weights(lad.shape, 0.5, 1.5)).sum());
    }
    total.backward();
    assertTensorClose(x.grad, c.grad, 'gradient', { rtol: 1e-4, atol: 1e-5 });
  });
}

test('transforms: the inverse of a ComposeTransform is the chain of inverses, reversed, and its own inverse the chain', () => {
  const c = new T.ComposeTransform([new T.AffineTransform(0.5, 2), new T.ExpTransform()]);
  const inv = c.inv as InstanceType<typeof T.ComposeTransform>;
  assert.ok(inv instanceof T.ComposeTransform);
  assert.equal(inv.inv, c);
  const x = tensor([0.1, -0.4]);
  assert.deepEqual(Array.from(inv.forward(c.forward(x)).toArray()).map((v) => Math.round(v * 1e5) / 1e5), [0.1, -0.4]);
  assert.equal(String(c), 'ComposeTransform(\n    AffineTransform(),\n    ExpTransform()\n)');
  assert.ok(c.equals(new T.ComposeTransform([new T.AffineTransform(0.5, 2), new T.ExpTransform()])));
  assert.equal(new T.ComposeTransform([]).forward(x), x);
});

test('transforms: bad shapes are refused with what was expected', () => {
  assert.throws(() => new T.ReshapeTransform([2, 3], [4]), /different numbers of elements/);
  assert.throws(() => new T.ReshapeTransform([2, 3], [3, 2]).forward(tensor([1, 2, 3])), /shape mismatch: expected the rightmost dimensions \[2, 3\]/);
  assert.throws(() => new T.CorrCholeskyTransform().forward(tensor([1, 2])), /cannot be expressed as the lower triangular part/);
  assert.throws(() => new T.CatTransform([new T.ExpTransform()], 0, [2]).forward(tensor([1, 2, 3])), /size 3 along dim 0, but the lengths sum to 2/);
  assert.throws(() => new T.StackTransform([new T.ExpTransform()], 0).forward(tensor([1, 2])), /size 2 along dim 0, but there are 1 transforms/);
});

test('Kumaraswamy: seeded rsample and the stream after it, its gradients, log_prob, moments, mode and entropy as PyTorch\'s', () => {
  const k = fx.kumaraswamy;
  const a = decode(k.a, true);
  const b = decode(k.b, true);
  const dist = new D.Kumaraswamy(a, b);
  assert.deepEqual(dist.batchShape, k.batchShape);
  assert.deepEqual(dist.eventShape, k.eventShape);
  manualSeed(7);
  const s = dist.rsample([3]);
  assertTensorClose(s, k.sample, 'sample', TOL);
  assertTensorClose(rand(3), k.after, 'stream after', { rtol: 0, atol: 0 });
  // The transforms' exponents (1/b, 1/a) are one graph shared by rsample and log_prob, as in PyTorch.
  s.sum().backward({ retainGraph: true });
  assertTensorClose(a.grad, k.rsampleGrads[0]!, 'rsample grad a', { rtol: 1e-4, atol: 1e-5 });
  assertTensorClose(b.grad, k.rsampleGrads[1]!, 'rsample grad b', { rtol: 1e-4, atol: 1e-5 });
  a.grad = null;
  b.grad = null;
  const lp = dist.logProb(decode(k.values));
  assertTensorClose(lp, k.logProb, 'log_prob', TOL);
  lp.sum().backward();
  assertTensorClose(a.grad, k.logProbGrads[0]!, 'log_prob grad a', { rtol: 1e-4, atol: 1e-5 });
  assertTensorClose(b.grad, k.logProbGrads[1]!, 'log_prob grad b', { rtol: 1e-4, atol: 1e-5 });
  assertTensorClose(dist.mean, k.mean, 'mean', TOL);
  assertTensorClose(dist.variance, k.variance, 'variance', TOL);
  assertTensorClose(dist.entropy(), k.entropy, 'entropy', TOL);
  assertTensorClose(new D.Kumaraswamy(tensor([0.5, 2, 0.5, 1]), tensor([0.7, 0.5, 2, 1])).mode, k.mode, 'mode', TOL);
  assert.throws(() => new D.Kumaraswamy(tensor([1, -1]), 1), /Expected parameter concentration1 .* GreaterThan\(lower_bound=0\.0\)/);
});

test('LogisticNormal: the simplex one entry longer, seeded samples, log_prob and its gradients as PyTorch\'s; a scalar gets a batch dimension', () => {
  const l = fx.logisticNormal;
  const loc = decode(l.loc, true);
  const scale = decode(l.scale, true);
  const dist = new D.LogisticNormal(loc, scale);
  assert.deepEqual(dist.batchShape, l.batchShape);
  assert.deepEqual(dist.eventShape, l.eventShape);
  manualSeed(11);
  const s = dist.rsample([2]);
  assertTensorClose(s, l.sample, 'sample', TOL);
  assertTensorClose(rand(3), l.after, 'stream after', { rtol: 0, atol: 0 });
  const lp = dist.logProb(s.detach());
  assertTensorClose(lp, l.logProb, 'log_prob', { rtol: 1e-4, atol: 1e-4 });
  lp.sum().backward();
  assertTensorClose(loc.grad, l.logProbGrads[0]!, 'grad loc', { rtol: 1e-4, atol: 1e-4 });
  assertTensorClose(scale.grad, l.logProbGrads[1]!, 'grad scale', { rtol: 1e-4, atol: 1e-4 });
  const scalar = new D.LogisticNormal(tensor(0.3), tensor(0.9));
  assert.deepEqual(scalar.eventShape, l.scalarEventShape);
  assert.deepEqual(scalar.batchShape, l.scalarBatchShape);
  manualSeed(5);
  const ss = scalar.sample([4]);
  assertTensorClose(ss, l.scalarSample, 'scalar sample', TOL);
  assertTensorClose(scalar.logProb(ss), l.scalarLogProb, 'scalar log_prob', { rtol: 1e-4, atol: 1e-4 });
  assert.throws(() => dist.logProb(tensor([[0.5, 0.6, 0.1, 0.1], [0.25, 0.25, 0.25, 0.25]])), /support \(Simplex\(\)\)/);
});

test('a Normal pushed through CorrCholeskyTransform: 3 × 3 correlation Cholesky factors, their log density as PyTorch\'s', () => {
  const c = fx.corrCholesky;
  const dist = new D.TransformedDistribution(new D.Independent(new D.Normal(tensor([0, 0, 0]), tensor([1, 1, 1])), 1), new T.CorrCholeskyTransform());
  assert.deepEqual(dist.eventShape, c.eventShape);
  manualSeed(2);
  const s = dist.sample([2]);
  assertTensorClose(s, c.sample, 'sample', TOL);
  assertTensorClose(dist.logProb(s), c.logProb, 'log_prob', { rtol: 1e-4, atol: 1e-4 });
  assert.throws(() => dist.logProb(tensor([[1, 0, 0], [0.5, 0.5, 0], [0, 0, 1]])), /support \(CorrCholesky\(\)\)/);
});

test('Kumaraswamy and LogisticNormal print as PyTorch prints them, and refuse bad parameters with its messages', () => {
  assert.equal(String(new D.Kumaraswamy(2, tensor([1, 3]))), 'Kumaraswamy(concentration1: torch.Size([2]), concentration0: torch.Size([2]))');
  assert.equal(String(new D.LogisticNormal(tensor([0.1]), tensor([1]))), 'LogisticNormal()');
  assert.throws(() => new D.Kumaraswamy(-1, 1), /^RangeError: Expected parameter concentration1 \(Tensor of shape \(\)\) of distribution Kumaraswamy\(concentration1: -1\.0, concentration0: 1\.0\) to satisfy the constraint GreaterThan\(lower_bound=0\.0\)/);
  assert.throws(() => new D.LogisticNormal(tensor([0.1]), tensor([-1])), /Expected parameter scale \(Tensor of shape \(1,\)\) of distribution Normal\(loc: tensor\(\[0\.1000\]\), scale: tensor\(\[-1\.\]\)\)/);
});
