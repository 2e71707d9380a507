import { activeWasm } from './backend.js';
import type { WasmKernels } from './wasm/load.js';
import * as ref from './ref/reduce.js';
import * as wasm from './wasm/reduce.js';
import { logSoftmaxBackwardRows, softmaxRows } from './wasm/softmax.js';

// Reductions, dispatched to the active backend (bit-identical results; see ref/reduce.ts). The sum and the max and min
// over one dimension, softmax over the last and the sum of all elements have wasm kernels; the others run on the
// reference loops under either backend.

/** Below this many input values the reference loop runs: a kernel call and its copies cost more there. */
const KERNEL_FROM = 2048;
/**
 * Above this many values the reductions added since (all but sumDim) run on the reference loops, as they always could:
 * their inputs and outputs would take a large part of the kernels' memory (at most 1 GiB).
 */
const KERNEL_UP_TO = 1 << 24;

/**
 * out[o·inner + i] = the sum over k of x[(o·n + k)·inner + i], each in float64 in k order and rounded once to float32.
 */
export function sumDim(x: Float32Array, outer: number, n: number, inner: number, out: Float32Array): void {
  const w = activeWasm();
  if (w !== null && outer * n * inner >= KERNEL_FROM && wasm.sumDim(w, x.subarray(0, outer * n * inner), outer, n, inner, out)) return;
  ref.sumDim(x, outer, n, inner, out);
}

/** Below this many values softmax runs on the reference loop (its e^x costs about what a kernel call does there). */
const SOFTMAX_FROM = 256;

/** Whether the kernels' fdlibm exp gave Math.exp's bits on the probe values, by kernels instance. */
const agreement = new WeakMap<WasmKernels, boolean>();

/**
 * Whether this engine's Math.exp is the one the softmax kernels port (fdlibm's, as V8's): checked once on 4,096 seeded
 * arguments. Another engine's (JavaScriptCore uses the system's exp) may differ in the last bit, and then softmax
 * stays on the reference loop, which calls Math.exp itself.
 */
function fdlibmAgrees(w: WasmKernels): boolean {
  let ok = agreement.get(w);
  if (ok === undefined) {
    ok = true;
    let state = 0x2545f491;
    for (let i = 0; i < 4096 && ok; i++) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      const x = (state / 2 ** 32) * 1490 - 745 + (i % 7 === 0 ? 1 : 0) * (state % 97) * 1e-3;
      const e = w.exports.fdlibmExpF64(x);
      ok = Object.is(e, Math.exp(x));
    }
    agreement.set(w, ok);
  }
  return ok;
}

/** Softmax (or, with `log`, log-softmax) over the middle dimension of x viewed as [outer, n, inner], into out. */
export function softmax(x: Float32Array, outer: number, n: number, inner: number, out: Float32Array, log: boolean): void {
  const w = activeWasm();
  const total = outer * n;
  if (w !== null && inner === 1 && total >= SOFTMAX_FROM && total <= KERNEL_UP_TO && fdlibmAgrees(w) && softmaxRows(w, x.subarray(0, total), outer, n, out, log)) return;
  ref.softmax(x, outer, n, inner, out, log);
}

/** Log-softmax's backward over the middle dimension: gx = g − e^y · Σ g. */
export function logSoftmaxBackward(y: Float32Array, g: Float32Array, outer: number, n: number, inner: number, gx: Float32Array): void {
  const w = activeWasm();
  const total = outer * n;
  if (w !== null && inner === 1 && total >= SOFTMAX_FROM && total <= KERNEL_UP_TO && fdlibmAgrees(w) && logSoftmaxBackwardRows(w, y.subarray(0, total), g.subarray(0, total), outer, n, gx)) return;
  ref.logSoftmaxBackward(y, g, outer, n, inner, gx);
}

/**
 * values[j] and indices[j] of the max over the middle dimension of x viewed as [outer, n, inner] (n ≥ 1), or of the
 * min with `min`: the reference's rule (ref/reduce.ts's maxDim), the min taken as the max of −x.
 */
export function extremeDim(x: Float32Array, outer: number, n: number, inner: number, min: boolean, values: Float32Array, indices: Int32Array): void {
  const w = activeWasm();
  const total = outer * n * inner;
  if (w !== null && total >= KERNEL_FROM && total <= KERNEL_UP_TO && wasm.extremeDim(w, x.subarray(0, total), outer, n, inner, min, values, indices)) return;
  ref.maxDim(min ? negated(x.subarray(0, total)) : x, outer, n, inner, values, indices);
  if (min) for (let i = 0; i < values.length; i++) values[i] = -values[i]!;
}

/** −v, elementwise (exact in float32; a NaN stays a NaN). */
function negated(v: Float32Array): Float32Array {
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = -v[i]!;
  return out;
}

const U = 2 ** -53;
/** Values per block of the lanes' sum (a multiple of 8). */
const SUM_BLOCK = 1024;

/**
 * float32(Σx / divisor), Σx being the reference's float64 running sum from the first value (ref/reduce.ts's sumAll),
 * divisor > 0. The kernel sums in lanes, in another order; the two sums differ by at most D below, and where every
 * value within D of the lanes' sum gives one float32 answer, that is the reference's (rounding is monotone).
 * Otherwise, and for NaN and ±∞, the running sum is taken.
 *
 * The bound: each addition of the running sum errs by at most u·|its result| (u = 2^-53), so it errs in all by at most
 * u·n·M' with M' its largest computed value, itself at most M/(1 − u·n) for M the largest exact running sum (the
 * factor 1 + 2^-20 below covers that, as n < 2^24 here); a running sum inside a block is at most |the sum before the
 * block| + the block's sum of magnitudes, which the kernel returns (as `most`). Each value goes through at most `depth` of the kernel's
 * additions, so each sum the kernel forms errs by at most depth·u/(1 − depth·u) ≤ er of the sum of magnitudes A.
 */
export function sumAllRounded(x: Float32Array, divisor: number): number {
  const w = activeWasm();
  const lanes = w !== null && x.length >= KERNEL_FROM && x.length <= KERNEL_UP_TO ? lanesSum(w, x, divisor) : null;
  return lanes ?? Math.fround(ref.sumAll(x) / divisor);
}

/** sumAllRounded's answer from the kernel's lanes, or null where the bound leaves it in doubt. @internal */
export function lanesSum(w: WasmKernels, x: Float32Array, divisor: number): number | null {
  const n = x.length;
  const [s, aHat, mostHat] = wasm.sumBlocks(w, x, SUM_BLOCK);
  const depth = SUM_BLOCK / 8 + 10 + Math.ceil(n / SUM_BLOCK) + 1;
  const er = 2 * depth * U;
  const A = aHat * (1 + er);
  const M = mostHat * (1 + er) + er * A;
  const D = (U * n * M * (1 + 2 ** -20) + er * A) * (1 + 2 ** -40) + Math.abs(s) * 2 ** -50;
  const lo = Math.fround((s - D) / divisor);
  const hi = Math.fround((s + D) / divisor);
  return Object.is(lo, hi) ? lo : null;
}
