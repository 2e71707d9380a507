// Shared by the kernel tests: a seeded generator of test data, and bit-exact comparison of float32 arrays.
import assert from 'node:assert/strict';
import { getBackend, setBackend, wasmAvailable, type BackendName } from '../../src/kernels/backend.js';
import { allocStorage } from '../../src/kernels/storage.js';

import { mulberry32 } from '../shared.js';

export { mulberry32 as rng };

/** `n` values in [lo, hi), a fraction `zeros` of them exactly 0 (like MNIST pixels). */
export function values(r: () => number, n: number, options: { lo?: number; hi?: number; zeros?: number } = {}): Float32Array {
  const { lo = -1, hi = 1, zeros = 0 } = options;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = r() < zeros ? 0 : lo + (hi - lo) * r();
  return out;
}

/** Values kernels must keep exactly: signed zeros, NaN, ±∞, subnormals, the largest floats, and plain ones. */
export const SPECIAL = [0, -0, Number.NaN, Infinity, -Infinity, 1e-45, -1e-45, 1e-39, -1e-39, 3.4e38, -3.4e38, 1, -1, 0.5, -0.5];

/**
 * n seeded values in [−range, range) with 10% zeros, a quarter of them replaced by SPECIAL values, and some scaled
 * down by 1e-30 (and, with `large`, up by 1e30) to reach other exponents.
 */
export function awkward(n: number, seed: number, range: number, large = false): Float32Array {
  const r = mulberry32(seed);
  const x = values(r, n, { lo: -range, hi: range, zeros: 0.1 });
  for (let i = 0; i < n; i++) {
    const pick = r();
    if (pick < 0.25) x[i] = SPECIAL[Math.floor(r() * SPECIAL.length)]!;
    else if (pick < (large ? 0.35 : 0.4)) x[i] = x[i]! * 1e-30;
    else if (large && pick < 0.45) x[i] = x[i]! * 1e30;
  }
  return x;
}

/** A copy of `a` in the kernels' WebAssembly memory (when the wasm backend is active). */
export function resident(a: Float32Array): Float32Array {
  const out = allocStorage(a.length);
  out.set(a);
  return out;
}

/**
 * Asserts two float32 arrays hold the same bits everywhere (NaNs of any payload count as equal), naming the first
 * difference.
 */
export function assertSameBits(actual: Float32Array, expected: Float32Array, label: string): void {
  assert.equal(actual.length, expected.length, `${label}: ${actual.length} values, expected ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e))) continue;
    const show = (x: number): string => (Object.is(x, -0) ? '-0' : String(x));
    assert.fail(`${label}: element ${i} is ${show(a)}, expected ${show(e)} (difference ${a - e})`);
  }
}

/** Runs `fn` with a backend selected, restoring the one before afterwards (other test files may share the process). */
export function withBackend<T>(name: BackendName, fn: () => T): T {
  const before = getBackend();
  setBackend(name);
  try {
    return fn();
  } finally {
    setBackend(before);
  }
}

/** The wasm kernels must be there for these tests to mean anything: a missing build is a failure, not a skip. */
export function requireWasm(): void {
  assert.ok(wasmAvailable(), 'dist/kernels.wasm did not load: run `npm run build` first');
}

/** Sizes that exercise every SIMD tail: below, at and around multiples of 4, 8 and 32. */
export const SIZES = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 37, 64, 65, 100, 200];
