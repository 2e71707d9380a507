// Shared by the golden tests: loads the PyTorch fixtures of fixtures/torch/ and compares tensors against them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tensor, type Tensor } from '../../src/index.js';

/** A tensor as the fixture scripts write it: flat row-major data; float32 unless `dtype` says otherwise. */
export interface EncodedTensor {
  shape: number[];
  data: (number | boolean)[];
  dtype?: 'bool' | 'int64' | 'float64';
}

export type EncodedMap = Record<string, EncodedTensor>;

/** Tolerances of the golden comparisons: |actual − expected| ≤ atol + rtol·|expected|. */
export interface Tolerance {
  rtol: number;
  atol: number;
}

export const DEFAULT_TOL: Tolerance = { rtol: 1e-5, atol: 1e-6 };

/**
 * Reads one fixture file of fixtures/torch/. Compiled tests run from dist/test/golden/, three levels below the
 * repository root, so the path is resolved from this module's URL rather than the working directory.
 */
export function loadFixture<T>(file: string): T {
  const url = new URL(`../../../fixtures/torch/${file}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as T;
}

/**
 * The values of an encoded tensor as numbers (booleans become 1 and 0, as Kindling's conditions are floats).
 * float32 values are written with 9 significant digits, which identifies the float32 but is not it: `fround`
 * restores the exact value, so exact comparisons work.
 */
export function values(e: EncodedTensor): number[] {
  if (e.dtype === undefined) return e.data.map((v) => Math.fround(v as number));
  return e.data.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v));
}

/** Builds a Kindling tensor from an encoded one (integer and boolean tensors become float tensors). */
export function decode(e: EncodedTensor, requiresGrad = false): Tensor {
  return tensor(Float32Array.from(values(e)), e.shape, { requiresGrad });
}

/**
 * Asserts that `actual` matches `expected` elementwise within `tol`; the message names the first element
 * outside the tolerance and the largest difference, so a failing case says what went wrong.
 */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string, tol: Tolerance = DEFAULT_TOL): void {
  assert.equal(actual.length, expected.length, `${label}: ${actual.length} values, expected ${expected.length}`);
  let worst = -1;
  let worstExcess = 0;
  let maxDiff = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e) || Number.isNaN(a)) {
      assert.ok(Number.isNaN(e) && Number.isNaN(a), `${label}[${i}]: got ${a}, expected ${e}`);
      continue;
    }
    if (a === e) continue; // also covers matching infinities
    const diff = Math.abs(a - e);
    maxDiff = Math.max(maxDiff, diff);
    const excess = diff - (tol.atol + tol.rtol * Math.abs(e));
    if (excess > worstExcess || Number.isNaN(excess)) {
      worstExcess = Number.isNaN(excess) ? Infinity : excess;
      worst = i;
    }
  }
  if (worst >= 0) {
    assert.fail(`${label}[${worst}]: got ${actual[worst]}, expected ${expected[worst]} ` +
      `(max |diff| ${maxDiff.toExponential(3)}, rtol ${tol.rtol}, atol ${tol.atol})`);
  }
}

/** Asserts a Kindling tensor has the fixture's shape and values. */
export function assertTensorClose(actual: Tensor | null, expected: EncodedTensor, label: string, tol: Tolerance = DEFAULT_TOL): void {
  assert.ok(actual !== null, `${label}: missing (null), expected shape [${expected.shape.join(', ')}]`);
  assert.deepEqual([...actual.shape], expected.shape, `${label}: shape [${actual.shape.join(', ')}], expected [${expected.shape.join(', ')}]`);
  assertClose(actual.toArray(), values(expected), label, tol);
}

/** Largest |a − b| divided by the largest |b|: one number for "how far off is this whole tensor". */
export function relMaxNorm(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    norm = Math.max(norm, Math.abs(expected[i]!));
  }
  return norm === 0 ? diff : diff / norm;
}

/** The float32 bits of v (rounded to float32 first). */
export const bits = (v: number): number => new Uint32Array(Float32Array.of(v).buffer)[0]!;

/** Asserts that actual[i] has the very bits of the float32 that expected[i] names (its 9 digits, through fround). */
export function assertBits(actual: Float32Array, expected: number[], at: readonly number[], label: string): void {
  assert.equal(at.length, expected.length, `${label}: ${at.length} values compared, ${expected.length} expected`);
  at.forEach((i, k) => {
    const a = actual[i]!;
    const e = Math.fround(expected[k]!);
    assert.ok(bits(a) === bits(e), `${label}[${i}]: got ${a} (0x${bits(a).toString(16)}), PyTorch has ${e} (0x${bits(e).toString(16)})`);
  });
}

/** |a − e| ≤ ulps · 2^-23 · scale elementwise (plus 2^-21 relative): float32 rounding relative to the terms summed. */
export const within = (scale: number, ulps: number): Tolerance => ({ rtol: 2 ** -21, atol: Math.max(1e-30, ulps * scale * 2 ** -23) });

/** Largest |a − e| in units of 2^-23 · scale (float32's epsilon relative to the terms): the agreement reported. */
export function ulpsOff(actual: ArrayLike<number>, e: EncodedTensor, scale: number): number {
  const want = values(e);
  let diff = 0;
  for (let i = 0; i < want.length; i++) diff = Math.max(diff, Math.abs(actual[i]! - want[i]!));
  return scale === 0 ? diff : diff / scale / 2 ** -23;
}

/** The largest of a tensor's values in magnitude (the scale of a running statistic's rounding). */
export const largest = (e: EncodedTensor): number => values(e).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/** The output gradient the fixture scripts feed backward: (i + 1) / 2 · (−1)^i over the output, row-major, times `scale`. */
export function fixtureUpstream(t: Tensor, scale = 1): Tensor {
  const g = new Float32Array(t.numel());
  for (let i = 0; i < g.length; i++) g[i] = ((i + 1) / 2) * (i % 2 === 0 ? 1 : -1) * scale;
  return tensor(g, t.shape);
}

const shown = (v: number | undefined): string => (Object.is(v, -0) ? '-0' : String(v));

/**
 * The shape, then every value bit for bit: the sign of zero counts and NaN equals NaN. Non-finite values the
 * fixtures write as strings ("NaN", "Infinity") and integer tensors' values are read as numbers.
 */
export function assertSame(t: Tensor, e: EncodedTensor, label: string): void {
  assert.deepEqual([...t.shape], e.shape, `${label}: shape`);
  const got = Array.from(t.toArray());
  const want = values(e).map((v) => (typeof v === 'string' ? Number(v) : v));
  assert.equal(got.length, want.length, `${label}: length`);
  got.forEach((v, i) => assert.ok(Object.is(v, want[i]), `${label}[${i}]: got ${shown(v)}, PyTorch ${shown(want[i])}`));
}
