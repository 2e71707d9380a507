// The embedding, margin and likelihood losses against PyTorch 1.13 (fixtures/torch/losses-extra.json, from
// make_losses_extra.py): F forms and modules, every reduction, values, grad_fn names and every input's gradient; the
// modules' reprs; PyTorch's refusals with its messages. Tolerance rtol 1e-5 (atol 1e-6): the ops are PyTorch's, in
// its order, but its sums (norms, means) add in another order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, nn, noGrad, ones, tensor, zeros, type Tensor } from '../../src/index.js';
import { assertSame, assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

interface Case {
  fn: string;
  inputs: EncodedTensor[];
  requiresGrad: boolean[];
  options: Record<string, number | boolean | string | EncodedTensor>;
  distance: string | null;
  out: EncodedTensor;
  upstream: EncodedTensor;
  gradFn: string;
  grads: (EncodedTensor | null)[];
}
const fx = loadFixture<{ cases: Case[]; reprs: Record<string, string>; refusals: Record<string, { message: string }> }>('losses-extra.json');
const tol = { rtol: 1e-5, atol: 1e-6 };

const camel = (k: string): string => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const l1Distance = (a: Tensor, b: Tensor): Tensor => a.sub(b).abs().sum(-1);

function options(c: Case): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c.options)) o[camel(k)] = typeof v === 'object' ? decode(v) : v;
  if (c.distance === 'l1_distance') o['distanceFunction'] = l1Distance;
  return o;
}

type Fn = (...args: unknown[]) => Tensor;
const functional: Record<string, Fn> = {
  hingeEmbeddingLoss: F.hingeEmbeddingLoss as Fn, softMarginLoss: F.softMarginLoss as Fn, cosineEmbeddingLoss: F.cosineEmbeddingLoss as Fn,
  multilabelSoftMarginLoss: F.multilabelSoftMarginLoss as Fn, poissonNllLoss: F.poissonNllLoss as Fn, gaussianNllLoss: F.gaussianNllLoss as Fn,
  tripletMarginLoss: F.tripletMarginLoss as Fn, tripletMarginWithDistanceLoss: F.tripletMarginWithDistanceLoss as Fn,
  multiMarginLoss: F.multiMarginLoss as Fn, multilabelMarginLoss: F.multilabelMarginLoss as Fn,
};
const modules: Record<string, new (o: never) => { forward: Fn }> = {
  hingeEmbeddingLoss: nn.HingeEmbeddingLoss, softMarginLoss: nn.SoftMarginLoss, cosineEmbeddingLoss: nn.CosineEmbeddingLoss,
  multilabelSoftMarginLoss: nn.MultiLabelSoftMarginLoss, poissonNllLoss: nn.PoissonNLLLoss, gaussianNllLoss: nn.GaussianNLLLoss,
  tripletMarginLoss: nn.TripletMarginLoss, tripletMarginWithDistanceLoss: nn.TripletMarginWithDistanceLoss,
  multiMarginLoss: nn.MultiMarginLoss, multilabelMarginLoss: nn.MultiLabelMarginLoss,
} as unknown as Record<string, new (o: never) => { forward: Fn }>;

function check(c: Case, call: (xs: Tensor[]) => Tensor): void {
  const xs = c.inputs.map((e, i) => decode(e, c.requiresGrad[i]));
  const out = call(xs);
  assertTensorClose(out, c.out, 'out', tol);
  assert.equal(out.gradFn?.torchName, c.gradFn);
  // The two losses with their own kernels are reproduced loop for loop: their values and gradients are PyTorch's bits.
  if (/multiMargin|multilabelMargin/.test(c.fn)) assertSame(out, c.out, 'out bits');
  out.backward(decode(c.upstream));
  // (a zero gradient's sign aside: a leaf's first gradient loses −0, a known difference)
  if (/multiMargin|multilabelMargin/.test(c.fn)) assertTensorClose(xs[0]!.grad, c.grads[0]!, 'grad bits', { rtol: 0, atol: 0 });
  xs.forEach((x, i) => {
    const want = c.grads[i];
    if (want === null || want === undefined) assert.equal(x.grad, null, `grad ${i}`);
    else assertTensorClose(x.grad, want, `grad ${i}`, tol);
  });
}

fx.cases.forEach((c, i) => {
  const label = `${c.fn} #${i} ${JSON.stringify(Object.fromEntries(Object.entries(c.options).filter(([, v]) => typeof v !== 'object')))}`;
  test(`F.${label} matches PyTorch (value, grads, grad_fn)`, () => check(c, (xs) => functional[c.fn]!(...xs, options(c))));
  test(`nn module of ${label} matches PyTorch`, () => {
    const m = new modules[c.fn]!(options(c) as never);
    check(c, (xs) => m.forward(...xs));
  });
});

test('the modules print as PyTorch\'s', () => {
  const made: Record<string, { toString(): string }> = {
    MultiMarginLoss: new nn.MultiMarginLoss(), MultiLabelMarginLoss: new nn.MultiLabelMarginLoss(),
    HingeEmbeddingLoss: new nn.HingeEmbeddingLoss(), SoftMarginLoss: new nn.SoftMarginLoss(), CosineEmbeddingLoss: new nn.CosineEmbeddingLoss(),
    MultiLabelSoftMarginLoss: new nn.MultiLabelSoftMarginLoss(), PoissonNLLLoss: new nn.PoissonNLLLoss(), GaussianNLLLoss: new nn.GaussianNLLLoss(),
    TripletMarginLoss: new nn.TripletMarginLoss(), TripletMarginWithDistanceLoss: new nn.TripletMarginWithDistanceLoss(),
    MarginRankingLoss: new nn.MarginRankingLoss(), CosineSimilarity: new nn.CosineSimilarity(), PairwiseDistance: new nn.PairwiseDistance(),
  };
  for (const [name, want] of Object.entries(fx.reprs)) assert.equal(made[name]!.toString(), want, name);
});

test('the distance and ranking modules give what their F forms give', () => {
  const a = tensor([[1, 2, 3], [4, 5, 6]]);
  const b = tensor([[1, 0, 3], [-4, 5, 2]]);
  const y = tensor([1, -1]);
  assert.deepEqual(new nn.CosineSimilarity({ dim: 1 }).forward(a, b).tolist(), F.cosineSimilarity(a, b, { dim: 1 }).tolist());
  assert.deepEqual(new nn.PairwiseDistance({ p: 1, keepdim: true }).forward(a, b).tolist(), F.pairwiseDistance(a, b, { p: 1, keepdim: true }).tolist());
  const s1 = tensor([0.5, 2]);
  const s2 = tensor([1, 1]);
  assert.equal(new nn.MarginRankingLoss({ margin: 0.1, reduction: 'sum' }).forward(s1, s2, y).item(), F.marginRankingLoss(s1, s2, y, { margin: 0.1, reduction: 'sum' }).item());
});

test('the refusals carry PyTorch\'s messages', () => {
  const r = fx.refusals;
  const same = (fn: () => unknown, key: string): void => assert.throws(fn, (e: Error) => e.message === r[key]!.message, key);
  const z = (...s: number[]): Tensor => zeros(s);
  same(() => F.cosineEmbeddingLoss(z(2, 3), z(2, 3), z(2, 1)), 'cosine target 2-D');
  same(() => F.cosineEmbeddingLoss(z(3), z(3), z(3)), 'cosine 1-D target');
  same(() => F.cosineEmbeddingLoss(z(2, 3), z(2, 3), tensor(1)), 'cosine 0-D target');
  same(() => F.gaussianNllLoss(z(4, 3), z(4, 3), z(4, 2)), 'gaussian var size');
  same(() => F.gaussianNllLoss(z(4), z(4), tensor([1, -1, 1, 1])), 'gaussian var negative');
  same(() => F.softMarginLoss(z(3), zeros([3], { requiresGrad: true })), 'soft margin target grad');
  same(() => F.multiMarginLoss(z(2, 3), tensor([0, 1]), { weight: ones([3], { requiresGrad: true }) }), 'multi margin weight grad');
  assert.throws(() => F.multiMarginLoss(z(2, 3), tensor([0, 1]), { weight: ones([1, 3]) }), (e: Error) => e.message.startsWith(r['multi margin weight 2-D']!.message));
  assert.throws(() => F.softMarginLoss(z(4), z(3, 4)), /softMarginLoss: the target's shape \[3, 4\] must be the input's \[4\] or broadcast to it/);
  same(() => F.tripletMarginLoss(z(2, 3), z(2, 3), z(3)), 'triplet dims');
  same(() => F.multiMarginLoss(z(3, 4), tensor([0, 1, 4])), 'multi margin target range');
  same(() => F.multiMarginLoss(z(3, 4), tensor([0, 1])), 'multi margin target size');
  same(() => F.multiMarginLoss(z(3, 4), tensor([0, 1, 2]), { p: 3 }), 'multi margin p');
  same(() => F.multiMarginLoss(z(2, 3, 4), tensor([0, 1])), 'multi margin 3-D');
  same(() => F.multilabelMarginLoss(z(3, 4), tensor([[0, 5, -1, 0], [0, 5, -1, 0], [0, 5, -1, 0]])), 'multilabel target range');
  same(() => F.multilabelMarginLoss(z(3, 4), z(3, 3)), 'multilabel target size');
  assert.throws(() => new nn.HingeEmbeddingLoss({ reduction: 'avg' as 'mean' }), /reduction must be 'mean', 'sum' or 'none'/);
  assert.throws(() => new nn.TripletMarginLoss({ margn: 1 } as never), /margn/);
});

test('under noGrad, a weight or target that requires grad is taken, as PyTorch takes it', () => {
  const x = tensor([[0.5, -1, 2], [1, 0, -0.5]]);
  const w = tensor([1, 2, 3], { requiresGrad: true });
  const y = tensor([[1, -1, 1], [-1, 1, 1]], { requiresGrad: true });
  assert.equal(noGrad(() => F.multiMarginLoss(x, tensor([0, 2]), { weight: w })).item(), F.multiMarginLoss(x, tensor([0, 2]), { weight: w.detach() }).item());
  assert.equal(noGrad(() => F.softMarginLoss(x, y)).item(), F.softMarginLoss(x, y.detach()).item());
});

test('inputs of shapes that do not broadcast are refused naming the loss and its arguments, not an elementwise op inside it', () => {
  // PyTorch 1.13 refuses these too, inside its elementwise ops ("The size of tensor a (4) must match the size of tensor b (5)").
  const a = zeros([3, 4]);
  const b = zeros([3, 5]);
  const cases: [string, () => Tensor, string][] = [
    ['poissonNllLoss', () => F.poissonNllLoss(a, b), 'input [3, 4] and target [3, 5]'],
    ['gaussianNllLoss', () => F.gaussianNllLoss(a, b, ones([3, 4])), 'input [3, 4] and target [3, 5]'],
    ['hingeEmbeddingLoss', () => F.hingeEmbeddingLoss(a, b), 'input [3, 4] and target [3, 5]'],
    ['multilabelSoftMarginLoss', () => F.multilabelSoftMarginLoss(a, b), 'input [3, 4] and target [3, 5]'],
    ['cosineEmbeddingLoss', () => F.cosineEmbeddingLoss(a, b, ones([3])), 'input1 [3, 4] and input2 [3, 5]'],
    ['marginRankingLoss', () => F.marginRankingLoss(a, a, b), 'input1 [3, 4] and input2 [3, 4] and target [3, 5]'],
  ];
  for (const [name, call, what] of cases) {
    assert.throws(call, (e: Error) => e instanceof RangeError && e.message === `${name}: ${what} do not broadcast together (dimension 1 of 2: 4 vs 5)`, name);
  }
  // Shapes that broadcast are still taken, as PyTorch takes them.
  assert.deepEqual(F.poissonNllLoss(zeros([3, 4]), zeros([4]), { reduction: 'none' }).shape, [3, 4]);
  assert.deepEqual(F.hingeEmbeddingLoss(zeros([3, 4]), ones([1, 4]), { reduction: 'none' }).shape, [3, 4]);
});
