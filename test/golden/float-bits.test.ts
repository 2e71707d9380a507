// frexp, nextafter, floatPower, histogram, x.bernoulli(), apply_ / map_ / map2_ against PyTorch 1.13
// (fixtures/torch/float-bits.json, from make_float_bits.py): values bit for bit (frexp and nextafter on zeros,
// subnormals, the largest float, infinities and NaN), floatPower's float64 powers rounded once and its gradients,
// histogram's counts and edges, the Bernoulli draws after the same seed, and PyTorch's refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { floatPower, frexp, histogram, manualSeed, nextafter, rand, tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, values, type EncodedTensor } from './golden-helpers.js';

type Num = number | 'NaN' | 'Infinity' | '-Infinity';
const fx = loadFixture<{
  frexp: { input: Num[]; mantissa: Num[]; exponent: number[]; x: EncodedTensor; mx: EncodedTensor; ex: number[][]; upstream: EncodedTensor; grad: EncodedTensor; node: string };
  nextafter: { a: Num[]; b: Num[]; out: Num[]; broadcast: EncodedTensor };
  floatPower: { base: EncodedTensor; exponent: EncodedTensor; out: number[][]; node: string; upstream: number[][]; gradBase: EncodedTensor; gradExponent: EncodedTensor; scalar: number[] };
  histogram: { data: EncodedTensor; weight: EncodedTensor; cases: Record<string, { hist: EncodedTensor; edges: EncodedTensor }> };
  bernoulli: { probs: EncodedTensor; self: EncodedTensor; p: EncodedTensor; after: number[] };
  callbacks: { apply: number[][]; map: number[][]; map2: number[][] };
  refusals: Record<string, { type: string; message: string }>;
}>('float-bits.json');

const num = (v: Num): number => (v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v);
const same = (got: ArrayLike<number>, want: Num[], label: string): void => {
  assert.equal(got.length, want.length);
  for (let i = 0; i < want.length; i++) assert.ok(Object.is(got[i], Math.fround(num(want[i]!))), `${label}[${i}]: ${got[i]} against ${want[i]}`);
};

test('frexp: PyTorch\'s mantissas and exponents (zeros with their signs, subnormals, the largest float, ∞, NaN) and gradient', () => {
  const [m, e] = frexp(tensor(fx.frexp.input.map(num)));
  same(m.toArray(), fx.frexp.mantissa, 'mantissa');
  assert.deepEqual(Array.from(e.toArray()), fx.frexp.exponent);
  const x = decode(fx.frexp.x, true);
  const { mantissa, exponent } = x.frexp();
  assertTensorClose(mantissa, fx.frexp.mx, 'mantissa', { rtol: 0, atol: 0 });
  assert.deepEqual(Array.from(exponent.toArray()), fx.frexp.ex.flat());
  assert.equal(mantissa.gradFn?.torchName, fx.frexp.node);
  assert.equal(exponent.requiresGrad, false);
  mantissa.backward(decode(fx.frexp.upstream));
  assertTensorClose(x.grad, fx.frexp.grad, 'gradient', { rtol: 0, atol: 0 });
});

test('nextafter: PyTorch\'s float32 neighbours, broadcast; nextafter_ in place', () => {
  same(nextafter(tensor(fx.nextafter.a.map(num)), tensor(fx.nextafter.b.map(num))).toArray(), fx.nextafter.out, 'nextafter');
  assertTensorClose(tensor([[1], [-1]]).nextafter(tensor([0, 2])), fx.nextafter.broadcast, 'broadcast', { rtol: 0, atol: 0 });
  const x = tensor([1, 2]);
  assert.equal(x.nextafter_(3), x);
  assert.deepEqual(Array.from(x.toArray()), [1 + 2 ** -23, 2 + 2 ** -22]);
});

test('floatPower: the float64 powers rounded once, and PyTorch\'s gradients', () => {
  const base = decode(fx.floatPower.base, true);
  const expo = decode(fx.floatPower.exponent, true);
  const out = floatPower(base, expo);
  assert.deepEqual(Array.from(out.toArray()), fx.floatPower.out.flat().map(Math.fround));
  assert.equal(out.gradFn?.torchName, fx.floatPower.node);
  out.backward(tensor(fx.floatPower.upstream.flat(), [3, 4]));
  assertTensorClose(base.grad, fx.floatPower.gradBase, 'base', { rtol: 1e-6, atol: 1e-7 });
  assertTensorClose(expo.grad, fx.floatPower.gradExponent, 'exponent', { rtol: 1e-6, atol: 1e-7 });
  assert.deepEqual(Array.from(tensor([2, 3]).floatPower(0.5).toArray()), fx.floatPower.scalar.map(Math.fround));
});

test('histogram: PyTorch\'s counts and edges — bins, given edges, weights with density, a range, one repeated value, an empty input', () => {
  const d = decode(fx.histogram.data);
  const w = decode(fx.histogram.weight);
  const calls = {
    'bins': () => histogram(d, 7),
    'edges': () => histogram(d, tensor([-3, -1, 0, 0.5, 2.5])),
    'weight density': () => histogram(d, 5, { weight: w, density: true }),
    'range': () => d.histogram(4, { range: [-1, 1] }),
    'one value': () => histogram(tensor([2, 2, 2]), 4),
    // An empty input's range is [0, 1] (one given value is widened by 0.5 each way).
    'empty': () => histogram(tensor([]), 3),
    'empty density': () => histogram(tensor([]), 2, { density: true }),
    'empty one-value range': () => histogram(tensor([]), 2, { range: [1, 1] }),
  };
  for (const [name, call] of Object.entries(calls)) {
    const { hist, binEdges } = call();
    const want = fx.histogram.cases[name]!;
    assertTensorClose(binEdges, want.edges, `${name}: edges`, { rtol: 0, atol: 0 });
    assertTensorClose(hist, want.hist, `${name}: counts`, name === 'weight density' ? { rtol: 1e-6, atol: 1e-7 } : { rtol: 0, atol: 0 });
  }
});

test('x.bernoulli() and x.bernoulli(p): PyTorch\'s draws after the same seed, the generator left where PyTorch\'s is', () => {
  manualSeed(12);
  const probs = decode(fx.bernoulli.probs);
  assert.deepEqual(Array.from(probs.bernoulli().toArray()), values(fx.bernoulli.self));
  assert.deepEqual(Array.from(probs.bernoulli(0.3).toArray()), values(fx.bernoulli.p));
  assert.deepEqual(Array.from(rand(2).toArray()), fx.bernoulli.after.map(Math.fround));
});

test('apply_, map_ and map2_ call a function on every element, as PyTorch\'s; refused on a tensor that requires grad', () => {
  const t = (): ReturnType<typeof tensor> => tensor([[1, 2, 3], [4, 5, 6]]);
  const a = t();
  assert.equal(a.apply_((v) => v * v - 0.5), a);
  assert.deepEqual(Array.from(a.toArray()), fx.callbacks.apply.flat());
  assert.deepEqual(Array.from(t().map_(tensor([10, 20, 30]), (p, q) => p * q + 1).toArray()), fx.callbacks.map.flat());
  assert.deepEqual(Array.from(t().map2_(tensor([[2], [3]]), t(), (p, q, r) => p + q * r).toArray()), fx.callbacks.map2.flat());
  assert.throws(() => tensor([1], { requiresGrad: true }).apply_((v) => v), new RegExp(fx.refusals['apply grad']!.message.replace(/[().]/g, '\\$&')));
  assert.throws(() => t().apply_(() => 'x' as unknown as number), /must return a number/);
  assert.throws(() => histogram(tensor([1, 2]), 0), new RegExp(fx.refusals['histogram bins']!.message.replace(/[().]/g, '\\$&')));
  assert.throws(() => histogram(tensor([1, 2]), 2, { range: [1, 0] }), new RegExp(fx.refusals['histogram range']!.message));
});
