// nn.init.orthogonal_, truncNormal_ and sparse_ against PyTorch 1.13 (fixtures/torch/init-extra.json,
// make_init_extra.py), after the same manualSeed: sparse_ bit for bit; truncNormal_ within 4 float32 ulps (erfinv as
// PyTorch's float32 kernel, within a few ulps of it); orthogonal_ within 2e-6 absolute (PyTorch's float32 LAPACK QR,
// Kindling's float64 Householder QR of the same draws); and each leaves the generator where PyTorch does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { manualSeed, nn, rand, zeros, type Tensor } from '../../src/index.js';
import { loadFixture, values, type EncodedTensor } from './golden-helpers.js';

type Fn = 'orthogonal_' | 'truncNormal_' | 'sparse_';
interface Case { fn: Fn; shape: number[]; args: Record<string, number>; seed: number; result: EncodedTensor; next: EncodedTensor }
const fx = loadFixture<{ cases: Case[]; errors: { name: string; error: string }[] }>('init-extra.json');
const bits = (t: Tensor): number[] => Array.from(t.toArray());

function ulps(a: number, b: number): number {
  const f = new Float32Array([a, b]);
  const i = new Int32Array(f.buffer);
  return Math.abs(i[0]! - i[1]!);
}

test('the fixture covers what this test says it does', () => {
  for (const fn of ['orthogonal_', 'truncNormal_', 'sparse_']) assert.ok(fx.cases.filter((c) => c.fn === fn).length >= 4, fn);
  // sparse_ zeroes some values, truncNormal_ clamps to [a, b].
  assert.ok(fx.cases.some((c) => c.fn === 'sparse_' && values(c.result).some((v) => v === 0)));
});

test('after the same seed each gives PyTorch\'s values and leaves the stream where PyTorch does', () => {
  for (const c of fx.cases) {
    const label = `${c.fn} ${JSON.stringify(c.shape)} ${JSON.stringify(c.args)}`;
    manualSeed(c.seed);
    const t = zeros(c.shape);
    const back = nn.init[c.fn](t, c.args);
    assert.equal(back, t, label);
    const got = bits(t);
    const want = values(c.result);
    if (c.fn === 'sparse_') assert.deepEqual(got, want, label);
    else if (c.fn === 'truncNormal_') {
      for (let i = 0; i < want.length; i++) assert.ok(ulps(got[i]!, want[i]!) <= 4, `${label}[${i}]: ${got[i]} vs ${want[i]}`);
      const { a = -2, b = 2 } = c.args;
      assert.ok(got.every((v) => v >= Math.fround(a) && v <= Math.fround(b)), `${label}: within [a, b]`);
    } else {
      for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i]! - want[i]!) <= 2e-6, `${label}[${i}]: ${got[i]} vs ${want[i]}`);
    }
    assert.deepEqual(bits(rand(2)), values(c.next), `${label}: next draws`);
  }
});

test('positional arguments, refusals in PyTorch\'s words, and outside the graph', () => {
  manualSeed(3);
  const a = nn.init.truncNormal_(zeros(5), 0, 0.02, -0.04, 0.04).toArray();
  manualSeed(3);
  assert.deepEqual(nn.init.truncNormal_(zeros(5), { mean: 0, std: 0.02, a: -0.04, b: 0.04 }).toArray(), a);
  const msgs = Object.fromEntries(fx.errors.map((e) => [e.name, e.error]));
  assert.throws(() => nn.init.orthogonal_(zeros(3)), (e: Error) => e.message.includes(msgs['orthogonal_ 1-d']!));
  assert.throws(() => nn.init.sparse_(zeros(2, 2, 2), 0.5), (e: Error) => e.message.includes(msgs['sparse_ 3-d']!));
  assert.throws(() => nn.init.sparse_(zeros(2, 2)), /sparsity .* is required/);
  assert.throws(() => nn.init.orthogonal_(zeros(2, 2), { gains: 2 } as object), /unknown option "gains"/);
  const lin = new nn.Linear(4, 3);
  nn.init.orthogonal_(lin.weight);
  assert.equal(lin.weight.gradFn, null);
  assert.equal(lin.weight.requiresGrad, true);
  // The rows of a wide orthogonal_ matrix are orthonormal.
  const w = lin.weight.toArray();
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
    let s = 0;
    for (let k = 0; k < 4; k++) s += w[i * 4 + k]! * w[j * 4 + k]!;
    assert.ok(Math.abs(s - (i === j ? 1 : 0)) < 1e-6);
  }
});

test('truncNormal_ refuses a > b, a negative std and std 0, as PyTorch 1.13 raises for them, and takes a = b', () => {
  // torch 1.13: trunc_normal_(t, 0, 1, 2, -2) and trunc_normal_(t, 0, -1, -2, 2) → RuntimeError "uniform_ expects to
  // return a [from, to) range, but found from=0.9545 > to=-0.9545"; std 0 → ZeroDivisionError; a = b = 0.5 → all 0.5.
  assert.throws(() => nn.init.truncNormal_(zeros(3), 0, 1, 2, -2), { name: 'RangeError', message: /truncNormal_: expects a ≤ b and a positive std, got a = 2, b = -2, std = 1/ });
  assert.throws(() => nn.init.truncNormal_(zeros(3), { std: -1 }), { name: 'RangeError', message: /got a = -2, b = 2, std = -1/ });
  assert.throws(() => nn.init.truncNormal_(zeros(3), 0, 0), { name: 'RangeError', message: /truncNormal_: std must not be 0/ });
  assert.deepEqual(Array.from(nn.init.truncNormal_(zeros(3), 0, 1, 0.5, 0.5).toArray()), [0.5, 0.5, 0.5]);
});
