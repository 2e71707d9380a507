// linspace against torch.linspace (fixtures/torch/linspace.json, written by make_linspace.py): PyTorch's float32
// values, bit for bit, for steps of every kind, both directions and wide ranges; arange, logspace and the
// deprecated range against theirs too.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arange, eye, linspace, logspace, range, zeros } from '../../src/index.js';
import { loadFixture, values, type EncodedTensor } from './golden-helpers.js';

interface Fixture {
  cases: { start: number; end: number; steps: number; values: EncodedTensor }[];
  arange: { start: number; end: number; step: number; values: EncodedTensor }[];
  logspace: { start: number; end: number; steps: number; base: number; values: EncodedTensor }[];
  range: { start: number; end: number; step: number; values: EncodedTensor }[];
}
const fx = loadFixture<Fixture>('linspace.json');

test('linspace gives torch.linspace\'s float32 values, bit for bit', () => {
  for (const c of fx.cases) {
    const got = linspace(c.start, c.end, c.steps);
    assert.deepEqual(got.shape, [c.steps]);
    assert.deepEqual(Array.from(got.toArray()), values(c.values).map(Math.fround), `linspace(${c.start}, ${c.end}, ${c.steps})`);
  }
});

test('linspace: requiresGrad is an option; steps must be a whole number, the ends finite numbers', () => {
  const x = linspace(0, 1, 3, { requiresGrad: true });
  assert.equal(x.requiresGrad, true);
  x.mul(x).sum().backward();
  assert.deepEqual(Array.from(x.grad!.toArray()), [0, 1, 2]);
  assert.throws(() => linspace(0, 1, 2.5), /linspace: steps must be a whole number 0 or more \(PyTorch has no default\), got 2\.5/);
  assert.throws(() => linspace(0, 1, -1), /steps must be a whole number 0 or more/);
  assert.throws(() => linspace(0, 1, undefined as unknown as number), /steps must be a whole number 0 or more \(PyTorch has no default\), got undefined/);
  assert.throws(() => linspace(0, Infinity, 3), /linspace: start and end must be finite numbers/);
  assert.throws(() => linspace(0, 1, 3, { dtype: 'int64' } as never), /linspace: only float32 is supported, got 'int64' \(Kindling's tensors are float32 only\)/);
});

test('arange gives torch.arange\'s float32 values bit for bit (PyTorch\'s vectors of eight from 16 values on)', () => {
  assert.ok(fx.arange.length >= 20);
  for (const c of fx.arange) {
    const got = arange(c.start, c.end, c.step);
    const label = `arange(${c.start}, ${c.end}, ${c.step})`;
    assert.deepEqual(got.shape, c.values.shape, label);
    assert.deepEqual(Array.from(got.toArray()), values(c.values).map(Math.fround), label);
  }
});

test('logspace gives torch.logspace\'s float32 values bit for bit (float64 step and exponent, one rounding)', () => {
  for (const c of fx.logspace) {
    const got = logspace(c.start, c.end, c.steps, c.base);
    const label = `logspace(${c.start}, ${c.end}, ${c.steps}, ${c.base})`;
    assert.deepEqual(got.shape, c.values.shape, label);
    // "Infinity" where 10^40 overflows float32.
    assert.deepEqual(Array.from(got.toArray()), c.values.data.map((v) => Math.fround(Number(v))), label);
  }
});

test('range gives torch.range\'s values, trunc((end − start)/step + 1) of them', () => {
  for (const c of fx.range) {
    const got = range(c.start, c.end, c.step);
    const label = `range(${c.start}, ${c.end}, ${c.step})`;
    assert.deepEqual(got.shape, c.values.shape, label);
    assert.deepEqual(Array.from(got.toArray()), values(c.values).map(Math.fround), label);
  }
});

test('a result too big for a tensor is refused naming the function, the shape and the size', () => {
  assert.throws(() => zeros(1e6, 1e6), /^RangeError: zeros: the result would have shape \[1000000, 1000000\], 1000000000000 elements/);
  assert.throws(() => arange(0, 1, 1e-12), /^RangeError: arange: the result would have shape \[1000000000000\]/);
  assert.throws(() => eye(2 ** 24), /^RangeError: eye: the result would have shape \[16777216, 16777216\]/);
  assert.throws(() => linspace(0, 1, 2 ** 33), /^RangeError: linspace: the result would have shape/);
  assert.throws(() => logspace(0, 1, 2 ** 33), /^RangeError: logspace: the result would have shape/);
});
