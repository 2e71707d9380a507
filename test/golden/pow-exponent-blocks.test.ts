// pow with an exponent PyTorch does not special-case (1/3, 2.5, −1.7 …) takes it as PyTorch 1.13's CPU loop does:
// rounded to float32 over whole blocks of 16 values (its AVX2 vector loop), in float64 over the n mod 16 values after
// them (its scalar loop). Taking it in float64 everywhere moved x^(1/3) by up to 15 ulps and x^1.7 by up to 41 on
// tensors of 16 or more values.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { full, tensor, type Tensor } from '../../src/index.js';
import { loadFixture } from './golden-helpers.js';

interface Fixture {
  x: number[];
  upstream: number[];
  scalar: { exponent: number; out: number[]; grad: number[] }[];
}

const fx = loadFixture<Fixture>('pow.json');
const SPECIAL = [0, 1, 0.5, -0.5, -1, 2, 3, -2];

function fromBits(b: number[], requiresGrad = false): Tensor {
  return tensor(new Float32Array(Uint32Array.from(b).buffer), [b.length], { requiresGrad });
}

const asFloat = (b: number): number => new Float32Array(Uint32Array.of(b).buffer)[0]!;

/** How many float32 steps apart two values are (0 for two NaNs or two zeros). */
function ulps(a: number, b: number): number {
  if (Number.isNaN(a) && Number.isNaN(b)) return 0;
  if (a === b) return 0;
  const [ia, ib] = new Int32Array(Float32Array.of(a, b).buffer);
  const ordered = (i: number): number => (i < 0 ? -(i & 0x7fffffff) : i);
  return Math.abs(ordered(ia!) - ordered(ib!));
}

test('x.pow(1/3) of 18 values: the first 16 take 1/3 rounded to float32, the last 2 take it in float64 (PyTorch 1.13\'s values)', () => {
  const x = tensor([...Array<number>(17).fill(1e-30), 8], { requiresGrad: true });
  const y = x.pow(1 / 3);
  const v = y.toArray();
  // PyTorch 1.13: 9.999993194620416e-11 sixteen times, then 1.000000013351432e-10 and 2.
  for (let i = 0; i < 16; i++) assert.equal(v[i], 9.999993194620416e-11, `value ${i}`);
  assert.equal(v[16], 1.000000013351432e-10);
  assert.equal(v[17], 2);
  y.backward(tensor(Array<number>(18).fill(1)));
  const g = x.grad!.toArray();
  // PyTorch 1.13's gradient, e·x^(e − 1), with e − 1 taken the same way: 3.3333379447843193e+19 in the blocks.
  for (let i = 0; i < 16; i++) assert.equal(g[i], 3.3333379447843193e19, `gradient ${i}`);
  assert.equal(g[16], 3.333333546737808e19);
  assert.equal(g[17], 0.0833333358168602);
});

/** 1 where x.pow(1/3) of x = 1e-30 took 1/3 rounded to float32 (PyTorch's vector loop), 0 where in float64. */
const vectorMask = (t: Tensor): number[] => Array.from(t.pow(1 / 3).toArray(), (v) => (v === 9.999993194620416e-11 ? 1 : v === 1.000000013351432e-10 ? 0 : NaN));

test('a transposed x is taken in its memory order, a row slice row by row, as PyTorch 1.13\'s TensorIterator runs them', () => {
  // PyTorch 1.13, torch.full((5, 5), 1e-30).t().pow(1/3): the first 16 values in memory (x's rows) in the vector loop
  assert.deepEqual(vectorMask(full([5, 5], 1e-30).t()), [1, 1, 1, 1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0]);
  // torch.full((4, 20), 1e-30)[:, :18].pow(1/3): each row's first 16 in the vector loop, its last 2 in the scalar one
  const rows = vectorMask(full([4, 20], 1e-30).narrow(1, 0, 18));
  assert.deepEqual(rows, Array.from({ length: 72 }, (_, i) => (i % 18 < 16 ? 1 : 0)));
  // torch.full((4, 40), 1e-30)[:, ::2].pow(1/3): a strided inner dimension runs in the scalar loop alone
  assert.deepEqual(vectorMask(full([4, 40], 1e-30).unfold(1, 1, 2).select(2, 0)), Array<number>(80).fill(0));
});

test('a sliced x transposed or permuted runs in the order of its strides, its evenly lying dimensions merged, as PyTorch 1.13\'s reorder_dimensions and coalesce_dimensions', () => {
  // torch.full((4, 20), 1e-30)[:, :18].t().pow(1/3): runs of 18 down x's memory rows, the first 16 of each in the
  // vector loop (64 of 72 values); the result's row r holds the r-th value of every run
  assert.deepEqual(vectorMask(full([4, 20], 1e-30).narrow(1, 0, 18).t()), Array.from({ length: 72 }, (_, i) => (Math.floor(i / 4) < 16 ? 1 : 0)));
  // torch.full((3, 4, 40), 1e-30)[:, 1:3].permute(2, 0, 1).pow(1/3): the 40 and the 2 merge into runs of 80, all vector
  assert.deepEqual(vectorMask(full([3, 4, 40], 1e-30).narrow(1, 1, 2).permute(2, 0, 1)), Array<number>(240).fill(1));
});

test('pow.json\'s 83 values with the exponents PyTorch hands to powf: within an ulp of its values and gradients', () => {
  const general = fx.scalar.filter((c) => !SPECIAL.includes(c.exponent));
  assert.ok(general.length >= 3);
  for (const c of general) {
    const x = fromBits(fx.x, true);
    const y = x.pow(c.exponent);
    y.backward(fromBits(fx.upstream));
    for (const [label, got, want] of [['value', y.toArray(), c.out], ['gradient', x.grad!.toArray(), c.grad]] as const) {
      for (let i = 0; i < want.length; i++) {
        const u = ulps(got[i]!, asFloat(want[i]!));
        assert.ok(u <= 1, `pow(${c.exponent}) ${label} ${i} (x = ${asFloat(fx.x[i]!)}): ${got[i]} against PyTorch's ${asFloat(want[i]!)}, ${u} ulps`);
      }
    }
  }
});
