import { activeWasm } from './backend.js';
import * as ref from './ref/optim.js';
import { addInPlace as refAddInPlace } from './ref/strided.js';
import * as wasm from './wasm/optim.js';

// The optimizer and gradient-buffer kernels the optimizers call, dispatched to the active backend (bit-identical
// results; see ref/optim.ts for the arithmetic).
export type { AdamScalars, SgdOptions } from './ref/optim.js';

/** p ← p − lr·g; only over the listed storage rows of `width` elements when `rows` is given (g is zero elsewhere). */
export function sgd(p: Float32Array, g: Float32Array, lr: number, rows: Int32Array | null, width: number): void {
  const w = activeWasm();
  if (w !== null && wasm.sgd(w, p, g, lr, rows, width)) return;
  ref.sgd(p, g, lr, rows, width);
}

/**
 * The general SGD step (weight decay, momentum with dampening, Nesterov, maximize; see ref/optim.ts). `buf` is the
 * momentum buffer (null without momentum); with `first` it starts as d_p, its old contents unread.
 */
export function sgdGeneral(p: Float32Array, g: Float32Array, buf: Float32Array | null, o: ref.SgdOptions, first = false): void {
  const w = activeWasm();
  if (w !== null && wasm.sgdGeneral(w, p, g, buf, o, first)) return;
  ref.sgdGeneral(p, g, buf, o, first);
}

/**
 * p[rows[t]] ← p[rows[t]] − lr·(0 + vals[t]·G) over rows of `width` elements: plain SGD with a one-sample weight
 * gradient that was never written out (the same bits as sgd over the stored gradient).
 */
export function sgdOuter(p: Float32Array, width: number, rows: Int32Array, vals: Float32Array, G: Float32Array, lr: number): void {
  const w = activeWasm();
  if (w !== null && wasm.sgdOuter(w, p, width, rows, vals, G, lr)) return;
  ref.sgdOuter(p, width, rows, vals, G, lr);
}

/**
 * One Adam step over flat arrays (see ref/optim.ts). `rows`, when given, lists the only storage rows of `width`
 * elements where g may be non-zero (a gradient's `rowSupport`); it changes speed, never results. With `quiet`, the
 * wasm row kernel may leave decays of v owed in rows where nothing else changes (assembly/adam-quiet.ts): the
 * caller then owns m and v and calls `settleAdam(m)` before anything else reads or writes them. With `kept` the
 * caller vouches that nothing but these kernels has written p since the previous call with m, which lets quiet rows
 * skip their check that p still holds them (the same bits either way when that is true).
 */
export function adam(
  p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, vmax: Float32Array | null, s: ref.AdamScalars,
  rows: Int32Array | null = null, width = 0, quiet = false, kept = false,
): void {
  const w = activeWasm();
  if (w !== null && wasm.adam(w, p, g, m, v, vmax, s, rows, width, null, quiet, false, kept)) return;
  wasm.settleAdam(m);
  ref.adam(p, g, m, v, vmax, s);
}

/**
 * Pays what quiet rows owe to m's second moment (see `adam`) and what young rows owe to p, m and v (see
 * `adamFactored`): p, m and v then hold the reference's values.
 */
export function settleAdam(m: Float32Array): void {
  wasm.settleAdam(m);
}

/** Whether the parameter updated with first moment `m` may be owed updates (see `adamFactored`). */
export function owesAdam(m: Float32Array): boolean {
  return wasm.owesAdam(m);
}

/**
 * Pays what the rows a one-row input `x` selects (its entries that are not +0) owe to the parameter and moments of
 * first moment `m` (see `adamFactored`): before a forward pass over x reads those rows of the parameter.
 */
export function payAdamRows(m: Float32Array, x: Float32Array): void {
  wasm.payAdamRows(m, x);
}

/**
 * One Adam step with one sample's weight gradient given by its factors (row rows[t] of g is 0 + vals[t]·G, the
 * others +0; `rows` increasing), never written out. False when no kernel takes that form (the reference backend,
 * or settings the row kernel leaves to the flat one): the caller then writes the gradient out and calls `adam`.
 * With `defer` (and `quiet`), rows without gradient for fewer than 256 steps may owe their whole update to p, m
 * and v (assembly/adam-owed.ts): the caller then owns p too, and pays with `payAdamRows` before a forward pass
 * reads some rows of p, and with `settleAdam` before anything else reads or writes p, m or v. `kept`: as for `adam`.
 */
export function adamFactored(
  p: Float32Array, m: Float32Array, v: Float32Array, s: ref.AdamScalars,
  rows: Int32Array, width: number, vals: Float32Array, G: Float32Array, quiet = false, defer = false, kept = false,
): boolean {
  const w = activeWasm();
  return w !== null && wasm.adam(w, p, null, m, v, null, s, rows, width, { vals, G }, quiet, defer, kept);
}

/** p ← p·factor. */
export function scale(p: Float32Array, factor: number): void {
  const w = activeWasm();
  if (w !== null && wasm.scale(w, p, factor)) return;
  ref.scale(p, factor);
}

/** Zeroes the listed rows of `width` elements. */
export function zeroRows(a: Float32Array, width: number, rows: Int32Array): void {
  if (rows.length === 0) return;
  const w = activeWasm();
  if (w !== null && wasm.zeroRows(w, a, width, rows)) return;
  for (let t = 0; t < rows.length; t++) a.fill(0, rows[t]! * width, (rows[t]! + 1) * width);
}

/** Below this many floats a plain `fill` is as quick as a call into the kernels. */
const FILL_KERNEL_MIN = 256;

/**
 * a[begin..end) ← value, as `a.fill(value, begin, end)` (value rounded to float32 the same way), with a kernel for
 * long runs of an array in the WebAssembly memory. A NaN is left to `fill`, which decides its bits.
 */
export function fillFloat32(a: Float32Array, value: number, begin = 0, end = a.length): void {
  const w = activeWasm();
  if (w !== null && end - begin >= FILL_KERNEL_MIN && value === value && wasm.fillFloats(w, a, value, begin, end)) return;
  a.fill(value, begin, end);
}

/** a[row] ← a[row] + 0 over the listed rows of `width` elements: a zero gradient added (−0 becomes +0). */
export function addZeroRows(a: Float32Array, width: number, rows: Int32Array): void {
  if (rows.length === 0) return;
  const w = activeWasm();
  if (w !== null && wasm.addZeroRows(w, a, width, rows)) return;
  for (let t = 0; t < rows.length; t++) {
    for (let i = rows[t]! * width, end = i + width; i < end; i++) a[i] = a[i]! + 0;
  }
}

/** dst ← dst + src, elementwise over equal-length arrays. */
export function addInPlace(dst: Float32Array, src: Float32Array): void {
  const w = activeWasm();
  if (w !== null && wasm.addInPlace(w, dst, src)) return;
  refAddInPlace(dst, src);
}
