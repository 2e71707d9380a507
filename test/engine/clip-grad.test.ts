// nn.utils.clipGradNorm_ and clipGradValue_: closed-form values, PyTorch's errors and edge cases, the in-place
// effect on real training steps (factored one-image gradients included), and golden values from PyTorch 1.13
// (fixtures/torch/clip-sched.json, written by fixtures/torch/make_clip_sched.py; this test only reads the file).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { data, manualSeed, nn, noGrad, optim, tensor, type Tensor } from '../../src/index.js';
import { assertClose, assertTensorClose, decode, loadFixture, type EncodedTensor } from '../golden/golden-helpers.js';
import { loose, throwsWith } from './throws.js';

const leafWithGrad = (g: readonly number[], shape?: number[]): Tensor => {
  const p = tensor(g.map(() => 0), shape, { requiresGrad: true });
  p.grad = tensor(g, shape);
  return p;
};
const gradOf = (p: Tensor): number[] => Array.from(p.grad!.toArray());
/** PyTorch's coefficient, each float32 step of (total + 1e-6).reciprocal() * maxNorm, clamped to at most 1. */
const coefOf = (total: number, maxNorm: number): number =>
  Math.min(1, Math.fround(Math.fround(1 / Math.fround(total + Math.fround(1e-6))) * Math.fround(maxNorm)));

test('clipGradNorm_: the total norm over all gradients, returned as a 0-d tensor; gradients scaled in place', () => {
  const a = leafWithGrad([3, 0]);
  const b = leafWithGrad([0, 4], [2, 1]);
  const gradA = a.grad;
  const total = nn.utils.clipGradNorm_([a, b], 1);
  assert.deepEqual(total.shape, []);
  assert.equal(total.item(), 5);
  const c = coefOf(5, 1);
  assert.deepEqual(gradOf(a), [Math.fround(3 * c), 0]);
  assert.deepEqual(gradOf(b), [0, Math.fround(4 * c)]);
  assert.equal(a.grad, gradA, 'the same gradient tensor, changed in place');
  assert.ok(Math.abs(Math.hypot(...gradOf(a), ...gradOf(b)) - 1) < 1e-6);
});

test('clipGradNorm_: norm types 1, 3, Infinity; under the bound nothing changes', () => {
  const make = (): Tensor[] => [leafWithGrad([3, -4]), leafWithGrad([-12])];
  assert.equal(nn.utils.clipGradNorm_(make(), 100, 1).item(), 19);
  assert.equal(nn.utils.clipGradNorm_(make(), 100, Infinity).item(), 12);
  // PyTorch 1.13's float32 value (its norm of [∛91, 12] with p = 3).
  assert.equal(nn.utils.clipGradNorm_(make(), 100, 3).item(), 12.207056999206543);
  assert.equal(nn.utils.clipGradNorm_(make(), 100).item(), 13);
  // The options may come third, as PyTorch's keywords.
  assert.equal(nn.utils.clipGradNorm_(make(), 100, { normType: 1 }).item(), 19);
  const ps = make();
  nn.utils.clipGradNorm_(ps, 13.5);
  assert.deepEqual(ps.map(gradOf), [[3, -4], [-12]], 'coefficient clamped to 1: the values are untouched');
  const inf = make();
  nn.utils.clipGradNorm_(inf, 6, Infinity);
  const c = coefOf(12, 6);
  assert.deepEqual(inf.map(gradOf), [[Math.fround(3 * c), Math.fround(-4 * c)], [Math.fround(-12 * c)]]);
});

test('clipGradNorm_: parameters without a gradient are skipped; one tensor alone; none with a gradient gives 0', () => {
  const none = tensor([1, 2], { requiresGrad: true });
  const p = leafWithGrad([6, 8]);
  assert.equal(nn.utils.clipGradNorm_([none, p], 5).item(), 10);
  assert.equal(none.grad, null);
  const c = coefOf(10, 5);
  assert.deepEqual(gradOf(p), [Math.fround(6 * c), Math.fround(8 * c)]);
  const single = leafWithGrad([0, -2]);
  assert.equal(nn.utils.clipGradNorm_(single, 1).item(), 2);
  assert.deepEqual(gradOf(single), [0, Math.fround(-2 * coefOf(2, 1))]);
  const zero = nn.utils.clipGradNorm_([none], 1);
  assert.deepEqual([zero.shape, zero.item()], [[], 0]);
  assert.equal(nn.utils.clipGradNorm_([], 1).item(), 0);
  // A generator is an iterable like any other; maxNorm 0 zeroes the gradients.
  const q = leafWithGrad([1, -1]);
  nn.utils.clipGradNorm_((function* () { yield q; })(), 0);
  assert.deepEqual(gradOf(q), [0, -0]);
});

test('clipGradNorm_: a non-finite norm scales by it (NaN), or throws with errorIfNonfinite', () => {
  const make = (): Tensor[] => [leafWithGrad([1, Infinity]), leafWithGrad([2])];
  const ps = make();
  assert.equal(nn.utils.clipGradNorm_(ps, 1).item(), Infinity);
  // coefficient 1 / (∞ + 1e-6) · 1 = 0: ∞·0 is NaN, finite values become 0 (as PyTorch).
  assert.deepEqual(ps.map(gradOf), [[0, Number.NaN], [0]]);
  const guarded = make();
  throwsWith(() => nn.utils.clipGradNorm_(guarded, 1, 2, { errorIfNonfinite: true }), RangeError,
    'clipGradNorm_: the total norm of order 2 of the gradients is Infinity', 'errorIfNonfinite');
  assert.deepEqual(guarded.map(gradOf), [[1, Infinity], [2]], 'nothing was changed');
  const nan = [leafWithGrad([1, Number.NaN])];
  throwsWith(() => nn.utils.clipGradNorm_(nan, 1, { normType: Infinity, errorIfNonfinite: true }), RangeError, 'order Infinity', 'is NaN');
  assert.ok(Number.isNaN(nn.utils.clipGradNorm_(nan, 1, Infinity).item()));
});

test('clipGradNorm_ and clipGradValue_: errors name the function and the bad value', () => {
  const ps = [leafWithGrad([1, 2])];
  const model = new nn.Linear(2, 1);
  throwsWith(() => nn.utils.clipGradNorm_(ps, loose('1')), TypeError, 'clipGradNorm_: maxNorm must be a number (or a one-element tensor), got the string "1"');
  throwsWith(() => nn.utils.clipGradNorm_(ps, -1), RangeError, 'clipGradNorm_: maxNorm must be at least 0, got -1');
  throwsWith(() => nn.utils.clipGradNorm_(ps, Number.NaN), RangeError, 'maxNorm must be at least 0, got NaN');
  throwsWith(() => nn.utils.clipGradNorm_(ps, 1, Number.NaN), RangeError, 'clipGradNorm_: normType must be a number (the p of a p-norm', 'got NaN');
  throwsWith(() => nn.utils.clipGradNorm_([leafWithGrad([])], 1, Infinity), RangeError,
    'clipGradNorm_: the gradient of parameter 0 is empty (shape [0]), and its largest absolute value (normType Infinity) is undefined');
  throwsWith(() => nn.utils.clipGradNorm_(ps, 1, loose('inf')), TypeError, 'normType must be a number (Infinity for the largest absolute value), got the string "inf"');
  throwsWith(() => nn.utils.clipGradNorm_(ps, 1, 2, loose({ error_if_nonfinite: true })), TypeError,
    'clipGradNorm_: unknown option "error_if_nonfinite" (did you mean errorIfNonfinite?)');
  throwsWith(() => nn.utils.clipGradNorm_(ps, 1, 2, loose({ normType: 1 })), TypeError, 'clipGradNorm_: normType given twice');
  throwsWith(() => nn.utils.clipGradNorm_(ps, 1, { errorIfNonfinite: loose<boolean>('yes') }), TypeError, 'errorIfNonfinite must be true or false, got the string "yes"');
  throwsWith(() => nn.utils.clipGradNorm_(loose(model), 1), TypeError, 'clipGradNorm_: got a module (a Linear), not its parameters: pass model.parameters()');
  throwsWith(() => nn.utils.clipGradNorm_(loose(model.parameters), 1), TypeError, 'clipGradNorm_: parameters is a function, not the parameters: call it');
  throwsWith(() => nn.utils.clipGradNorm_(loose(5), 1), TypeError, 'parameters must be a tensor or an array (or other iterable) of tensors', 'got the number 5');
  throwsWith(() => nn.utils.clipGradNorm_(loose([ps[0], [1, 2]]), 1), TypeError, 'clipGradNorm_: parameter 1 is not a Tensor (got an array)');
  throwsWith(() => nn.utils.clipGradValue_(ps, loose(null)), TypeError, 'clipGradValue_: clipValue must be a number (or a one-element tensor), got null');
  throwsWith(() => nn.utils.clipGradValue_(ps, -0.5), RangeError, 'clipGradValue_: clipValue must be at least 0, got -0.5');
  throwsWith(() => nn.utils.clipGradNorm_(ps, tensor([1, 2])), TypeError, 'clipGradNorm_: maxNorm must be a number (or a one-element tensor), got a Tensor of shape [2]');
  throwsWith(() => nn.utils.clipGradValue_(loose({ weight: ps[0] }), 1), TypeError, 'clipGradValue_: parameters must be a tensor or an array');
  assert.deepEqual(gradOf(ps[0]!), [1, 2], 'no call above changed a gradient');
});

test('clipGradNorm_ and clipGradValue_ take a one-element tensor as the bound, as PyTorch\'s float(max_norm)', () => {
  // PyTorch 1.13: grad [3, 4], clip_grad_norm_(p, torch.tensor(1.)) returns 5 and leaves [0.6, 0.8] (float32's);
  // clip_grad_value_(p, torch.tensor(3.5)) leaves [3, 3.5].
  const p = leafWithGrad([3, 4]);
  assert.equal(nn.utils.clipGradNorm_(p, tensor(1)).item(), 5);
  assert.deepEqual(gradOf(p), [0.5999999046325684, 0.7999998331069946]);
  const q = leafWithGrad([3, 4]);
  nn.utils.clipGradValue_([q], tensor([3.5]));
  assert.deepEqual(gradOf(q), [3, 3.5]);
});

test('clipGradValue_: clamps every gradient into [−v, v] in place (bounds in float32); NaN stays', () => {
  const a = leafWithGrad([0.5, -0.05, Number.NaN, -3], [2, 2]);
  const b = tensor([1], { requiresGrad: true });
  const ret: unknown = nn.utils.clipGradValue_([a, b], 0.1);
  assert.equal(ret, undefined);
  const v = Math.fround(0.1);
  assert.deepEqual(gradOf(a), [v, Math.fround(-0.05), Number.NaN, -v]);
  assert.equal(b.grad, null);
  const single = leafWithGrad([2, -2]);
  nn.utils.clipGradValue_(single, 0);
  assert.deepEqual(gradOf(single), [0, -0], 'clamped into [−0, 0], as PyTorch: −2 becomes −0');
});

/** Flat copies of a model's parameters, in order. */
const snapshot = (m: nn.Module): number[][] => m.parameters().map((p) => Array.from(p.toArray()));

test('in a training loop: clipping one image\'s gradients gives the parameters of scaling them by the expected coefficient', () => {
  const mnist = new data.MnistDataset(data.loadEmbeddedMnist('test'), { limit: 24 });
  const maxNorm = 2; // the untrained model's one-image norms are 1.3 to 2.7
  for (const makeOpt of [(m: nn.Module) => new optim.SGD(m.parameters(), 0.1), (m: nn.Module) => new optim.Adam(m.parameters(), 0.01)]) {
    manualSeed(3);
    const clipped = new nn.Linear(784, 10);
    const byHand = new nn.Linear(784, 10);
    byHand.loadStateDict(clipped.stateDict());
    const [optA, optB] = [makeOpt(clipped), makeOpt(byHand)];
    const lossFn = new nn.MSELoss();
    let scaledSteps = 0;
    for (let i = 0; i < mnist.length; i++) {
      const { image, target } = mnist.get(i);
      optA.zeroGrad();
      lossFn.forward(clipped.forward(image), target).backward();
      const total = nn.utils.clipGradNorm_(clipped.parameters(), maxNorm).item();
      optA.step();

      optB.zeroGrad();
      lossFn.forward(byHand.forward(image), target).backward();
      // The coefficient worked out here: each gradient's torch.norm (Kindling's, float32 as PyTorch's), the norm of
      // those norms, then PyTorch's float32 steps; the scaled gradients handed over as new tensors (not through mul_).
      const grads = byHand.parameters().map((p) => Array.from(p.grad!.toArray()));
      const norms = byHand.parameters().map((p) => p.grad!.norm().item());
      const expected = tensor(norms).norm().item();
      assert.equal(total, expected, `step ${i}: total norm`);
      const c = coefOf(expected, maxNorm);
      if (c < 1) scaledSteps++;
      byHand.parameters().forEach((p, j) => {
        p.grad = tensor(grads[j]!.map((v) => Math.fround(v * c)), p.shape);
      });
      optB.step();
      assert.deepEqual(snapshot(clipped), snapshot(byHand), `step ${i}: parameters`);
    }
    assert.ok(scaledSteps > 0 && scaledSteps < mnist.length, `some steps clipped, some not (${scaledSteps} of ${mnist.length})`);
  }
});

test('clipGradValue_ in a training step equals clamping the gradients by hand', () => {
  manualSeed(5);
  const a = new nn.Linear(6, 3);
  const b = new nn.Linear(6, 3);
  b.loadStateDict(a.stateDict());
  const x = tensor([0.5, -1, 2, 0, 1.5, -0.25]);
  const step = (m: nn.Linear, clip: (ps: Tensor[]) => void): void => {
    const opt = new optim.SGD(m.parameters(), 0.2);
    m.forward(x).square().sum().backward();
    clip(m.parameters());
    opt.step();
  };
  step(a, (ps) => nn.utils.clipGradValue_(ps, 0.3));
  const lim = Math.fround(0.3);
  step(b, (ps) => noGrad(() => ps.forEach((p) => { p.grad = tensor(Array.from(p.grad!.toArray(), (v) => Math.min(lim, Math.max(-lim, v))), p.shape); })));
  assert.deepEqual(snapshot(a), snapshot(b));
});

// ---- golden values from PyTorch 1.13 -------------------------------------------------------------------------------

type Special = number | 'NaN' | 'Infinity' | '-Infinity';
interface ClipNormCase {
  name: string;
  maxNorm: number;
  normType: Special;
  single: boolean;
  grads: (EncodedTensor | null)[];
  total: Special;
  after: (EncodedTensor | null)[];
}
interface ClipValueCase {
  name: string;
  clipValue: number;
  grads: (EncodedTensor | null)[];
  after: (EncodedTensor | null)[];
}
interface TrainStep {
  x: EncodedTensor;
  y: EncodedTensor;
  grads: Record<'weight' | 'bias', EncodedTensor>;
  total: number;
  params: Record<'weight' | 'bias', EncodedTensor>;
}
interface ClipFixture {
  clipNorm: ClipNormCase[];
  clipValue: ClipValueCase[];
  train: { lr: number; maxNorm: number; init: Record<'weight' | 'bias', EncodedTensor>; steps: TrainStep[] };
}

const fx = loadFixture<ClipFixture>('clip-sched.json');
const num = (v: Special): number => (typeof v === 'number' ? v : Number(v));
const special = (e: EncodedTensor): EncodedTensor => ({ ...e, data: e.data.map((v) => (typeof v === 'string' ? Number(v) : v)) });
/** Parameters whose hand-set gradients are the fixture's (null: a parameter without one). */
const paramsFor = (grads: readonly (EncodedTensor | null)[]): Tensor[] => grads.map((g) => {
  const p = tensor(g === null ? [0, 0] : new Array<number>(special(g).data.length).fill(0), g === null ? [2] : g.shape, { requiresGrad: true });
  if (g !== null) p.grad = decode(special(g));
  return p;
});

/** The norms are PyTorch's float32 torch.norm, in its order: totals and scaled gradients are exact. */
const NORM_TOL = { rtol: 0, atol: 0 };
/**
 * In the training run the gradients are Kindling's own (Linear and MSELoss backward), a float32 ulp off PyTorch's
 * here and there: the totals follow within relative 3e-7.
 */
const TRAIN_TOL = { rtol: 3e-7, atol: 0 };

test('golden: clipGradNorm_ matches PyTorch\'s clip_grad_norm_ (total norm and gradients after)', () => {
  assert.ok(fx.clipNorm.length >= 10);
  for (const c of fx.clipNorm) {
    const ps = paramsFor(c.grads);
    const normType = num(c.normType);
    const total = nn.utils.clipGradNorm_(c.single ? ps[0]! : ps, c.maxNorm, normType);
    assertClose([total.item()], [num(c.total)], `${c.name}: total`, NORM_TOL);
    c.after.forEach((a, i) => {
      if (a === null) assert.equal(ps[i]!.grad, null, `${c.name}: parameter ${i} has no gradient`);
      else assertTensorClose(ps[i]!.grad, special(a), `${c.name}: grad ${i}`, NORM_TOL);
    });
  }
});

test('golden: clipGradValue_ matches PyTorch\'s clip_grad_value_ exactly', () => {
  for (const c of fx.clipValue) {
    const ps = paramsFor(c.grads);
    nn.utils.clipGradValue_(ps, c.clipValue);
    c.after.forEach((a, i) => {
      if (a === null) assert.equal(ps[i]!.grad, null);
      else assertTensorClose(ps[i]!.grad, special(a), `${c.name}: grad ${i}`, { rtol: 0, atol: 0 });
    });
  }
});

test('golden: a Linear trained one input at a time with SGD and clip_grad_norm_ ends as in PyTorch', () => {
  const { lr, maxNorm, init, steps } = fx.train;
  const lin = new nn.Linear(5, 3);
  lin.loadStateDict({ weight: decode(init.weight), bias: decode(init.bias) });
  const opt = new optim.SGD(lin.parameters(), lr);
  const lossFn = new nn.MSELoss();
  steps.forEach((s, i) => {
    opt.zeroGrad();
    lossFn.forward(lin.forward(decode(s.x)), decode(s.y)).backward();
    const total = nn.utils.clipGradNorm_(lin.parameters(), maxNorm).item();
    opt.step();
    assertClose([total], [s.total], `step ${i}: total`, TRAIN_TOL);
    assertTensorClose(lin.weight, s.params.weight, `step ${i}: weight`);
    assertTensorClose(lin.bias, s.params.bias, `step ${i}: bias`);
  });
});

interface ClipExactCase {
  name: string;
  maxNorm: number;
  normType: Special;
  grads: EncodedTensor[];
  error?: true;
  total?: Special;
  after?: EncodedTensor[];
  raisesIfNonfinite?: boolean;
}

/** The same float32 value, -0 and NaN included. */
const sameBits = (a: ArrayLike<number>, b: ArrayLike<number>): boolean =>
  a.length === b.length && Array.from(a).every((v, i) => Object.is(Math.fround(v), Math.fround(b[i]!)));

test('golden: clipGradNorm_ is PyTorch 1.13\'s bit for bit: float32 norms that overflow and underflow, every norm type, inf and NaN, empty gradients', () => {
  // fixtures/torch/clip-exact.json, written by fixtures/torch/make_clip_exact.py.
  const cases = loadFixture<{ cases: ClipExactCase[] }>('clip-exact.json').cases;
  assert.ok(cases.length >= 200);
  for (const c of cases) {
    const normType = num(c.normType);
    if (c.error === true) {
      // PyTorch's max() of an empty gradient (norm type inf).
      throwsWith(() => nn.utils.clipGradNorm_(paramsFor(c.grads), c.maxNorm, normType), RangeError, 'clipGradNorm_: the gradient of parameter', 'is empty');
      continue;
    }
    const ps = paramsFor(c.grads);
    const total = nn.utils.clipGradNorm_(ps, c.maxNorm, normType);
    assert.ok(sameBits([total.item()], [num(c.total!)]), `${c.name} (p = ${normType}): total ${total.item()}, PyTorch ${num(c.total!)}`);
    c.after!.forEach((a, i) => {
      assert.ok(sameBits(ps[i]!.grad!.toArray(), special(a).data as number[]), `${c.name} (p = ${normType}): gradient ${i} after`);
    });
    const guarded = paramsFor(c.grads);
    if (c.raisesIfNonfinite === true) {
      throwsWith(() => nn.utils.clipGradNorm_(guarded, c.maxNorm, normType, { errorIfNonfinite: true }), RangeError, 'cannot be clipped');
    } else {
      nn.utils.clipGradNorm_(guarded, c.maxNorm, normType, { errorIfNonfinite: true });
    }
  }
});

test('clipGradNorm_: gradients too large or too small for float32 squares, as PyTorch (total Infinity, gradients zeroed; total 0)', () => {
  // PyTorch 1.13: clip_grad_norm_ of [1e20, -1e20, 3e19] is inf and the gradients become [0, -0, 0]; of [3e-30, 4e-30], 0.
  const big = leafWithGrad([1e20, -1e20, 3e19]);
  assert.equal(nn.utils.clipGradNorm_(big, 1).item(), Infinity);
  assert.deepEqual(gradOf(big), [0, -0, 0]);
  throwsWith(() => nn.utils.clipGradNorm_(leafWithGrad([1e20, -1e20, 3e19]), 1, 2, { errorIfNonfinite: true }), RangeError, 'is Infinity');
  const tiny = leafWithGrad([3e-30, 4e-30]);
  assert.equal(nn.utils.clipGradNorm_(tiny, 1).item(), 0);
  assert.deepEqual(gradOf(tiny), [Math.fround(3e-30), Math.fround(4e-30)]);
  // Negative norm types and −Infinity are torch.norm's: the smallest |g| for −Infinity (0 here), as PyTorch.
  const make = (): Tensor[] => [leafWithGrad([3, -4]), leafWithGrad([0, 1e-3])];
  assert.equal(nn.utils.clipGradNorm_(make(), 1, -Infinity).item(), 0);
  assert.equal(nn.utils.clipGradNorm_(make(), 1, -1).item(), 0);
  assert.equal(nn.utils.clipGradNorm_([leafWithGrad([3, -4])], 1, -Infinity).item(), 3);
});
