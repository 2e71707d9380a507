import type { AdagradScalars, RmspropScalars } from '../ref/optim-more.js';
import type { WasmKernels } from './load.js';

// RMSprop and Adagrad on wasm (assembly/optim-more.ts), the same bits as ref/optim-more.ts. Arrays outside the
// WebAssembly memory are copied in and out around the call. Numbers passed to f32 parameters are rounded to float32
// by the call, exactly as Math.fround does in the reference.

// The kernels' flags (assembly/optim-more.ts).
const MAXIMIZE = 1;
const DECAY = 2;
const MOMENTUM = 4;
const CENTERED = 8;

/**
 * One RMSprop step (see ref/optim-more.ts rmsprop). False when the arrays' lengths differ or a buffer the options
 * need is missing (the reference then does what it does).
 */
export function rmsprop(
  w: WasmKernels, p: Float32Array, g: Float32Array, squareAvg: Float32Array, buf: Float32Array | null, gradAvg: Float32Array | null, o: RmspropScalars,
): boolean {
  const momentum = o.momentum > 0;
  const n = p.length;
  if (g.length !== n || squareAvg.length !== n) return false;
  if (momentum && (buf === null || buf.length !== n)) return false;
  if (o.centered && (gradAvg === null || gradAvg.length !== n)) return false;
  const flags = (o.maximize ? MAXIMIZE : 0) | (o.weightDecay !== 0 ? DECAY : 0) | (momentum ? MOMENTUM : 0) | (o.centered ? CENTERED : 0);
  const fr = w.frame.begin();
  const ps = fr.out(p, true);
  const gs = fr.in(g);
  const vs = fr.out(squareAvg, true);
  const bs = momentum ? fr.out(buf!, true) : -1;
  const ms = o.centered ? fr.out(gradAvg!, true) : -1;
  fr.open();
  // 1 − alpha in float64, then rounded by the call: the reference's f(1 − alpha).
  w.exports.rmsprop(
    fr.ptr(ps), fr.ptr(gs), fr.ptr(vs), bs < 0 ? 0 : fr.ptr(bs), ms < 0 ? 0 : fr.ptr(ms), n, flags,
    o.alpha, 1 - o.alpha, o.eps, o.weightDecay, o.momentum, -o.lr,
  );
  fr.finish(ps);
  fr.finish(vs);
  if (bs >= 0) fr.finish(bs);
  if (ms >= 0) fr.finish(ms);
  return true;
}

/** One Adagrad step with the step's rate `clr` (see ref/optim-more.ts adagrad). False when the lengths differ. */
export function adagrad(w: WasmKernels, p: Float32Array, g: Float32Array, sum: Float32Array, clr: number, o: AdagradScalars): boolean {
  const n = p.length;
  if (g.length !== n || sum.length !== n) return false;
  const flags = (o.maximize ? MAXIMIZE : 0) | (o.weightDecay !== 0 ? DECAY : 0);
  const fr = w.frame.begin();
  const ps = fr.out(p, true);
  const gs = fr.in(g);
  const ss = fr.out(sum, true);
  fr.open();
  w.exports.adagrad(fr.ptr(ps), fr.ptr(gs), fr.ptr(ss), n, flags, o.eps, o.weightDecay, -clr);
  fr.finish(ps);
  fr.finish(ss);
  return true;
}

/**
 * One plain RMSprop step (no weight decay, momentum or centering, not maximizing) where g is +0 outside the listed
 * storage rows of `width` floats: those rows' v decays and their p stays, unless a lane's state says otherwise (then
 * the row takes the full update). The same bits as `rmsprop`. False when it does not apply: then call `rmsprop`.
 */
export function rmspropRows(
  w: WasmKernels, p: Float32Array, g: Float32Array, squareAvg: Float32Array, o: RmspropScalars, rows: Int32Array, width: number,
): boolean {
  const n = p.length;
  const a = Math.fround(-o.lr);
  // (−lr)·(+0) must be −0, which adds nothing to any p: a finite and negative or −0.
  if (o.momentum > 0 || o.centered || o.maximize || o.weightDecay !== 0 || !Number.isFinite(a) || a > 0 || Object.is(a, 0)) return false;
  if (g.length !== n || squareAvg.length !== n || width <= 0 || n % width !== 0) return false;
  return withRows(w, [p, g, squareAvg], rows, n / width, (rowsAt, marks) => {
    w.exports.rmspropRows(p.byteOffset, g.byteOffset, squareAvg.byteOffset, width, n / width, rowsAt, rows.length, marks, o.alpha, 1 - o.alpha, o.eps, a);
  });
}

/**
 * One plain Adagrad step (no weight decay, not maximizing) where g is +0 outside the listed storage rows of `width`
 * floats: those rows stay as they are, unless a lane's state says otherwise (then the row takes the full update). The
 * same bits as `adagrad`. False when it does not apply: then call `adagrad`.
 */
export function adagradRows(
  w: WasmKernels, p: Float32Array, g: Float32Array, sum: Float32Array, clr: number, o: AdagradScalars, rows: Int32Array, width: number,
): boolean {
  const n = p.length;
  const a = Math.fround(-clr);
  // (−clr)·(+0) must be −0, which adds nothing to any p: a finite and negative or −0.
  if (o.maximize || o.weightDecay !== 0 || !Number.isFinite(a) || a > 0 || Object.is(a, 0)) return false;
  if (g.length !== n || sum.length !== n || width <= 0 || n % width !== 0) return false;
  return withRows(w, [p, g, sum], rows, n / width, (rowsAt, marks) => {
    w.exports.adagradRows(p.byteOffset, g.byteOffset, sum.byteOffset, width, n / width, rowsAt, rows.length, marks, o.eps, a);
  });
}

/**
 * Runs a row kernel on `arrays` used in place (false, doing nothing, when one is not in the kernels' memory), with
 * the row list copied in and `nrows` bytes of scratch for its marks.
 */
function withRows(w: WasmKernels, arrays: Float32Array[], rows: Int32Array, nrows: number, call: (rowsAt: number, marks: number) => void): boolean {
  if (!arrays.every((a) => w.heap.isResident(a))) return false;
  const fr = w.frame.begin();
  const rs = fr.in(rows);
  const marks = fr.space(nrows);
  fr.open();
  call(fr.ptr(rs), fr.ptr(marks));
  return true;
}
