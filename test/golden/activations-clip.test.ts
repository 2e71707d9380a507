// Hardtanh, ReLU6, Hardshrink and Softshrink against PyTorch 1.13 (fixtures/torch/activations_clip.json, from
// make_activations_clip.py): values and input gradients, bit-exact (each is a clamp or select, and Softshrink's x ∓ λ
// is one float32 subtraction), on inputs with ±0, each threshold and one float32 step either side, ±3e38, ±∞, NaN
// and random ones; functional and module forms; Hardtanh with infinite bounds (F also with maxVal < minVal: clamped
// to maxVal); the module reprs, grad_fn names and Softshrink's refusal.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, nn, tensor, type Tensor } from '../../src/index.js';
import { loadFixture } from './golden-helpers.js';

type Special = number | 'NaN' | 'Infinity' | '-Infinity';
interface Case { fn: 'hardtanh' | 'relu6' | 'hardshrink' | 'softshrink'; args: Special[]; gradFn: string; out: Special[]; grad: Special[] }
interface Fixture { x: Special[]; upstream: Special[]; cases: Case[]; reprs: [string, string][]; softshrinkError: string }

const fx = loadFixture<Fixture>('activations_clip.json');
const number = (v: Special): number => (v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : Math.fround(v));
const x = fx.x.map(number);
const upstream = fx.upstream.map(number);

function functional(c: Case): (t: Tensor) => Tensor {
  const [a, b] = c.args.map(number);
  switch (c.fn) {
    case 'hardtanh': return (t) => (a === undefined ? F.hardtanh(t) : F.hardtanh(t, a, b));
    case 'relu6': return (t) => F.relu6(t);
    case 'hardshrink': return (t) => F.hardshrink(t, a);
    case 'softshrink': return (t) => F.softshrink(t, a);
  }
}

function module(c: Case): nn.Module {
  const [a, b] = c.args.map(number);
  switch (c.fn) {
    case 'hardtanh': return a === undefined ? new nn.Hardtanh() : new nn.Hardtanh(a, b);
    case 'relu6': return new nn.ReLU6();
    case 'hardshrink': return new nn.Hardshrink(a);
    case 'softshrink': return new nn.Softshrink(a);
  }
}

/** Same float32 bits, −0 apart from +0, any NaN equal to NaN. */
function assertBits(what: string, got: ArrayLike<number>, want: readonly number[]): void {
  assert.equal(got.length, want.length);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (Number.isNaN(w) ? !Number.isNaN(g) : !Object.is(g, w)) assert.fail(`${what}: x[${i}] = ${x[i]}: got ${g}, PyTorch ${w}`);
  }
}

for (const c of fx.cases) {
  const name = `${c.fn}(${c.args.join(', ')})`;
  // maxVal < minVal: F.hardtanh clamps (maxVal everywhere); the module refuses it, as PyTorch's.
  const reversed = c.args.length === 2 && number(c.args[1]!) < number(c.args[0]!);
  const forms = [['F', functional(c)], ['module', (t: Tensor) => (module(c) as unknown as { forward(t: Tensor): Tensor }).forward(t)]] as const;
  for (const [form, fn] of forms.filter(([f]) => f === 'F' || !reversed)) {
    test(`${form} ${name}: values, input gradients and grad_fn as PyTorch's, bit for bit`, () => {
      const xt = tensor(x, [x.length], { requiresGrad: true });
      const out = fn(xt);
      assertBits(`${name} value`, out.toArray(), c.out.map(number));
      assert.equal(out.gradFn?.torchName, c.gradFn);
      out.mul(tensor(upstream, [x.length])).sum().backward();
      assertBits(`${name} grad`, xt.grad!.toArray(), c.grad.map(number));
    });
  }
}

test('module reprs as PyTorch prints them', () => {
  const made: Record<string, nn.Module> = {
    'Hardtanh()': new nn.Hardtanh(), 'Hardtanh(-2, 3.5)': new nn.Hardtanh(-2, 3.5), 'Hardtanh(-1, 1, true)': new nn.Hardtanh(-1, 1, true),
    'ReLU6()': new nn.ReLU6(), 'ReLU6(true)': new nn.ReLU6(true), 'Hardshrink()': new nn.Hardshrink(), 'Hardshrink(1)': new nn.Hardshrink(1),
    'Softshrink()': new nn.Softshrink(), 'Softshrink(1)': new nn.Softshrink(1),
    'Hardtanh(0, Infinity)': new nn.Hardtanh(0, Infinity), 'Hardtanh(-Infinity, 0)': new nn.Hardtanh(-Infinity, 0),
  };
  assert.equal(Object.keys(made).length, fx.reprs.length);
  for (const [k, want] of fx.reprs) assert.equal(String(made[k]), want, k);
});

test("softshrink refuses a negative lambd with PyTorch's message; Hardtanh needs maxVal > minVal", () => {
  const xt = tensor([1, -2], [2]);
  assert.throws(() => F.softshrink(xt, -1), (e: Error) => e.message.endsWith(fx.softshrinkError));
  assert.throws(() => new nn.Softshrink(-1).forward(xt), (e: Error) => e.message.endsWith(fx.softshrinkError));
  assert.throws(() => new nn.Hardtanh(2, 1), /maxVal \(1\) must be greater than minVal \(2\)/);
  assert.throws(() => new nn.Hardtanh(1, 1), /must be greater/);
  assert.throws(() => new nn.Hardtanh(Infinity, Infinity), /must be greater/);
  // A NaN bound: the module fails PyTorch's assertion; F.hardtanh is refused (PyTorch's gradient there depends on its loop).
  assert.throws(() => new nn.Hardtanh(NaN, 1), /must be greater/);
  assert.throws(() => F.hardtanh(xt, -1, NaN), /maxVal must be a number \(±Infinity allowed\)/);
});

test('in place: ReLU6(true) and Hardtanh(..., true) write into their input and keep the gradient', () => {
  const a = tensor([-1, 0.5, 7, 3], [4], { requiresGrad: true });
  const h = a.mul(2);
  const r = new nn.ReLU6(true).forward(h);
  assert.equal(r, h);
  assert.deepEqual(r.tolist(), [0, 1, 6, 6]);
  r.sum().backward();
  assert.deepEqual(a.grad!.tolist(), [0, 2, 0, 0]); // 2·3 = 6 is on the kink: gradient 0, as PyTorch's
  const b = tensor([-3, 0.5, 3], [3]);
  assert.equal(new nn.Hardtanh(-2, 2, true).forward(b), b);
  assert.deepEqual(b.tolist(), [-2, 0.5, 2]);
});
