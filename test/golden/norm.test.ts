// Tensor.norm and norm against PyTorch 1.13's torch.norm (fixtures/torch/norm.json, written by make_norm.py): the
// values and the gradients for p = 'fro', 2, 1, 3, 0.5, −1, 2.5, 1.5, ±∞ and 0 over every dimension,
// one, trailing ones and others, with and without keepdim; zeros, ties, NaN and empty tensors where PyTorch's formulas
// special-case them, and orders that float32 rounds to another (2.0000001 is the 2-norm, 1e39 the ∞-norm). The inputs
// are contiguous: PyTorch sums a view in its memory order, Kindling in row-major order, a few ulps apart.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { norm, Tensor, tensor, type NormOrder } from '../../src/index.js';
import { assertClose, decode, loadFixture, values, type EncodedTensor } from './golden-helpers.js';

type Special = number | 'Infinity' | '-Infinity' | 'NaN';
interface NormCase {
  input: string;
  p: 'fro' | Special;
  dim: number | number[] | null;
  keepdim: boolean;
  out: EncodedTensor;
  upstream: EncodedTensor;
  grad: EncodedTensor | null;
  gradFn: string;
}
interface NanCase { p: Special; dim: number; out: EncodedTensor; grad: EncodedTensor | null }
const fx = loadFixture<{ inputs: Record<string, EncodedTensor>; cases: NormCase[]; nan: { input: EncodedTensor; cases: NanCase[] } }>('norm.json');

const order = (p: NormCase['p']): NormOrder => (p === 'fro' ? 'fro' : Number(p));
const label = (c: { input?: string; p: unknown; dim: unknown; keepdim?: boolean }): string =>
  `${c.input ?? 'nan'}: norm(p=${String(c.p)}, dim=${JSON.stringify(c.dim)}, keepdim=${String(c.keepdim ?? false)})`;

/**
 * Every value within 4 float32 ulps of PyTorch's (±0 alike, NaN where NaN), counting those that are the same float32.
 * PyTorch's 2-norm sums the last dimension in eight lanes of fused multiply-adds and its n mod 8 last values four
 * rounded squares at a time, then fused steps, as Kindling does; the other norms add in order, as Kindling does.
 */
function assertNear(actual: Tensor, expected: EncodedTensor, what: string, tally: { same: number; all: number }): void {
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  const a = Array.from(actual.toArray());
  const e = values(expected).map(Math.fround);
  for (let i = 0; i < e.length; i++) {
    const [x, y] = [a[i]!, e[i]!];
    tally.all++;
    if (x === y || (Number.isNaN(x) && Number.isNaN(y))) {
      tally.same++;
      continue;
    }
    const ulp = Math.max(2 ** -149, 2 ** (Math.floor(Math.log2(Math.abs(y))) - 23));
    assert.ok(Number.isFinite(x) && Number.isFinite(y) && Math.abs(x - y) <= 4 * ulp, `${what}: [${i}] is ${x}, PyTorch's ${y}`);
  }
}

test('norm matches torch.norm: values and gradients, every p, dimension and keepdim, nearly all of them bit for bit', () => {
  assert.ok(fx.cases.length > 250);
  const outs = { same: 0, all: 0 };
  const grads = { same: 0, all: 0 };
  for (const c of fx.cases) {
    const x = decode(fx.inputs[c.input]!, true);
    const out = c.dim === null ? x.norm(order(c.p)) : x.norm(order(c.p), c.dim, c.keepdim);
    assertNear(out, c.out, label(c), outs);
    assert.equal(out.gradFn?.torchName, c.gradFn, `${label(c)}: PyTorch's grad_fn`);
    out.backward(decode(c.upstream));
    if (c.grad === null) assert.equal(x.grad, null, `${label(c)}: PyTorch gives no gradient`);
    else assertNear(x.grad!, c.grad, `${label(c)} gradient`, grads);
  }
  assert.ok(outs.same >= 0.97 * outs.all, `${outs.same} of ${outs.all} norms are PyTorch's float32`);
  assert.ok(grads.same >= 0.97 * grads.all, `${grads.same} of ${grads.all} gradient values are PyTorch's float32`);
});

test("p = 'fro' over two dimensions is PyTorch's √(Σ x·x): a NaN gradient where the norm is 0; over three, refused", () => {
  const two = fx.cases.filter((c) => c.gradFn === 'SqrtBackward0');
  assert.ok(two.length >= 6 && two.some((c) => c.grad !== null && values(c.grad).some(Number.isNaN)));
  const x = decode(fx.inputs['x345']!, true);
  // Kindling's square root and norm, where PyTorch's graph holds SqrtBackward0 and NormBackward1.
  assert.equal(x.norm('fro', [0, 1]).gradFn?.name, x.sqrt().gradFn?.name);
  assert.equal(x.norm(2, [0, 1]).gradFn?.name, 'norm');
  assert.equal(x.norm('fro', [0, 1]).gradFn?.torchName, 'SqrtBackward0');
  assert.equal(x.norm(2, [0, 1]).gradFn?.torchName, 'NormBackward1');
  assert.throws(() => x.norm('fro', [0, 1, 2]), /norm: p = 'fro' takes at most 2 dimensions, got 3/);
  assert.throws(() => x.norm('fro', [1, -2]), /dimension listed twice/);
});

test('NaN: the 2- and 1-norms are NaN, the ∞-norm too (its gradient goes to the NaN), and the 0-norm counts it', () => {
  for (const c of fx.nan.cases) {
    const x = decode(fx.nan.input, true);
    const out = norm(x, Number(c.p), c.dim);
    assertNear(out, c.out, label(c), { same: 0, all: 0 });
    out.sum().backward();
    if (c.grad === null) assert.equal(x.grad, null, `${label(c)}: PyTorch gives no gradient`);
    else assertNear(x.grad!, c.grad, `${label(c)} gradient`, { same: 0, all: 0 });
  }
});

test('norm refuses what PyTorch refuses, naming the argument', () => {
  const x = decode(fx.inputs['x345']!);
  assert.throws(() => x.norm('nuc'), /norm: Expected a tensor with 2 dimensions, but got a tensor with 3 dimensions instead/);
  assert.throws(() => x.norm('nuc', 1), /norm: nuclear norm requires a 'dim' argument of size 2/);
  assert.throws(() => x.norm('bad' as NormOrder), /norm: p must be a number, 'fro' or 'nuc', got the string "bad"/);
  assert.throws(() => x.norm(2, 3), /norm: dim 3 is out of range|dimension out of range|out of range/);
  assert.throws(() => x.norm(2, '1' as unknown as number), /norm: dim must be a number, an array of numbers or null, got the string "1"/);
  assert.throws(() => x.norm(2, 1, 1 as unknown as boolean), /norm: keepdim must be true or false, got the number 1/);
  assert.throws(() => norm([1, 2] as unknown as Tensor), /norm: input must be a Tensor/);
});

test('a norm changed in place before backward() is refused, as PyTorch refuses it: its values are the gradient\'s', () => {
  const x = decode({ shape: [2, 2], data: [3, 4, 6, 8] }, true);
  const n = x.norm(2, 1);
  n.detach().mul_(10);
  assert.throws(() => n.sum().backward(), /changed in place|modified by an inplace operation/);
  const fresh = decode({ shape: [2, 2], data: [3, 4, 6, 8] }, true);
  fresh.norm(2, 1).sum().backward();
  assert.deepEqual(Array.from(fresh.grad!.toArray()), [0.6, 0.8, 0.6, 0.8].map(Math.fround));
});

test("norm(x, 'nuc'): the sum of the singular values, as PyTorch's torch.norm(x, 'nuc'), values and gradients", () => {
  // PyTorch 1.13: torch.norm([[1, 2], [3, 4]], 'nuc') and its gradient (U·Vᵀ).
  const a = tensor([[1, 2], [3, 4]], { requiresGrad: true });
  const n = a.norm('nuc');
  assert.deepEqual(n.shape, []);
  assert.ok(Math.abs(n.item() - 5.830951690673828) < 1e-5, `got ${n.item()}`);
  n.backward();
  assertClose(a.grad!.toArray(), [-0.5144957304000854, 0.8574930429458618, 0.8574930429458618, 0.5144957900047302], 'gradient', { rtol: 1e-4, atol: 1e-5 });
  // Over two dims given (in either order), kept: torch.norm(b, 'nuc', dim=(2, 1), keepdim=True).
  const b = tensor([[[1, 2, 0, 1], [0, 1, 3, 1], [2, 0, 1, 4]], [[3, 1, 0, 2], [1, 1, 1, 0], [0, 2, 5, 1]]], { requiresGrad: true });
  const m = norm(b, 'nuc', [2, 1], true);
  assert.deepEqual(m.shape, [2, 1, 1]);
  assertClose(m.toArray(), [9.851557731628418, 10.186871528625488], 'batched value', { rtol: 1e-5, atol: 1e-5 });
  m.sum().backward();
  assertClose(b.grad!.toArray(), [0.313006, 0.92167, -0.203619, 0.105313, -0.158254, 0.257054, 0.951444, 0.060272, 0.424279, -0.226956, 0.076568, 0.873278,
    0.73103, 0.137889, -0.115275, 0.658251, 0.512367, 0.53583, 0.123441, -0.659643, -0.14695, 0.260667, 0.9155, 0.268919], 'batched gradient', { rtol: 1e-4, atol: 1e-5 });
});

test('the 2-norm of rows of every length is torch.norm\'s bit for bit: eight fused lanes, then four rounded squares, then fused steps', () => {
  // fixtures/torch/norm-tail.json, written by make_norm_tail.py: rows of 1 to 40 values, whole and row by row.
  const { cases } = loadFixture<{ cases: { input: EncodedTensor; all: EncodedTensor; rows: EncodedTensor }[] }>('norm-tail.json');
  assert.ok(cases.length >= 240);
  for (const c of cases) {
    const x = decode(c.input);
    const what = `norm of shape [${c.input.shape.join(', ')}]`;
    assert.deepEqual([x.norm().item()], values(c.all), `${what}: everything`);
    assert.deepEqual(Array.from(x.norm(2, 1).toArray()), values(c.rows), `${what}: each row`);
  }
});
