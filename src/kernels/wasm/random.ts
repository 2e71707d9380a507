import type { WasmKernels } from './load.js';

// Dropout's keep mask on wasm (assembly/random.ts), drawn from a Generator's mt19937 state as the Generator draws.

/**
 * out[i] = scale where the i-th `uniform64` draw from the state (624 words, the next one at `index`) is below keep,
 * else 0; the words are advanced in place. Returns the new index.
 */
export function keepMask(w: WasmKernels, mt: Uint32Array, index: number, keep: number, scale: number, out: Float32Array): number {
  const words = new Int32Array(mt.buffer, mt.byteOffset, mt.length);
  const fr = w.frame.begin();
  const s = fr.in(words);
  const o = fr.out(out, false);
  fr.open();
  const at = fr.ptr(s);
  const next = w.exports.keepMask(at, index, out.length, keep, scale, fr.ptr(o));
  // The words back (the frame copies out float32 outputs only).
  words.set(w.heap.i32.subarray(at >>> 2, (at >>> 2) + mt.length));
  fr.finish(o);
  return next;
}
