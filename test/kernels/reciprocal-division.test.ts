// The identity the Adam kernels' division by √(1−β2ᵗ) rests on (assembly/adam.ts, overBc2): for float32 x and a
// positive normal float32 d, rounding x·RN64(1/d) (a float64 product) to float32 gives the float32 quotient x / d.
// The kernels' own bits are checked against the reference by the Adam tests; this checks the arithmetic, on random
// pairs and on the hardest ones: x the float32 nearest to a rounding midpoint times d.
import assert from 'node:assert/strict';
import { test } from 'node:test';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const fromBits = (b: number): number => {
  u32[0] = b >>> 0;
  return f32[0]!;
};

/** xorshift32, so the draws are the same on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

const viaReciprocal = (x: number, d: number): number => Math.fround(x * (1 / d));
const quotient = (x: number, d: number): number => Math.fround(x / d);

test('x·RN64(1/d) rounded to float32 is the float32 quotient x / d, on random float32 pairs', () => {
  const next = rng(2026);
  let checked = 0;
  for (let i = 0; i < 400_000; i++) {
    // d in [2^-5, 1] (√(1−β2ᵗ) is at least 0.0316 for β2 = 0.999), x over the whole float32 range but NaN.
    const d = fromBits(((122 + (next() % 5)) << 23) | (next() & 0x7fffff));
    const x = fromBits(next());
    if (Number.isNaN(x)) continue;
    const a = viaReciprocal(x, d);
    const b = quotient(x, d);
    if (!Object.is(a, b)) assert.fail(`x ${x}, d ${d}: ${a} by the reciprocal, ${b} by division`);
    checked++;
  }
  assert.ok(checked > 390_000);
});

test('the identity holds where it is hardest: quotients 2^-48 from a float32 rounding midpoint', () => {
  // d = D·2^-24 (D odd, 24 bits) and a midpoint mid = M·2^-24 (M odd, 25 bits) with M·D = j·2^25 ± t for a small odd
  // t: then x = j·2^-23 is a float32 and x / d lies t·2^-48·(1/d) from mid, about as close as float32 inputs allow.
  const next = rng(11);
  const TWO25 = 1n << 25n;
  const inverse = (a: bigint): bigint => {
    // a⁻¹ mod 2^25 for odd a, by Newton's iteration (each step doubles the correct low bits).
    let y = a;
    for (let i = 0; i < 5; i++) y = (y * (2n - a * y)) % TWO25;
    return ((y % TWO25) + TWO25) % TWO25;
  };
  let checked = 0;
  let closest = 1;
  for (let i = 0; i < 20_000; i++) {
    const D = BigInt((1 << 23) | (next() & 0x7ffffe) | 1);
    const t = BigInt(2 * (next() % 8) + 1) * (next() & 1 ? 1n : -1n);
    const M = (((t * inverse(D)) % TWO25) + TWO25) % TWO25;
    if (M < 1n << 24n) continue;
    const j = (M * D - t) / TWO25;
    const x = Number(j) * 2 ** -23;
    const d = Number(D) * 2 ** -24;
    const mid = Number(M) * 2 ** -24;
    assert.equal(Math.fround(x), x);
    assert.equal(Math.fround(d), d);
    closest = Math.min(closest, Math.abs(x / d - mid) / mid);
    assert.ok(Object.is(viaReciprocal(x, d), quotient(x, d)), `x ${x}, d ${d}`);
    checked++;
  }
  assert.ok(checked > 9000, `${checked} cases`);
  // The cases do reach the bound the identity needs (a quotient more than 2^-49 of its size from any midpoint).
  assert.ok(closest < 2 ** -47 && closest > 2 ** -50, `closest approach ${closest}`);
});

test('zeros, infinities and NaN come out as the division gives them', () => {
  for (const d of [0.03162277, 0.5, 0.9999999]) {
    const df = Math.fround(d);
    for (const x of [0, -0, Infinity, -Infinity]) assert.ok(Object.is(viaReciprocal(x, df), quotient(x, df)));
    assert.ok(Number.isNaN(viaReciprocal(Number.NaN, df)));
  }
});
