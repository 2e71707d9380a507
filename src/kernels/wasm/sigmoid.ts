import type { WasmKernels } from './load.js';

// The sigmoid on wasm (assembly/sigmoid.ts). Arrays outside the WebAssembly memory are copied in and out around the
// call. The kernel covers whole vectors of four and leaves out lanes it cannot vouch for; those, and the last
// n mod 4 elements, are computed here with the reference's formula, from the copy of x the kernel read (so an out
// that aliases x is fine).

/** out[i] = float32(1 / (1 + Math.exp(−x[i]))), the same bits as the reference. */
export function sigmoid(w: WasmKernels, X: Float32Array, out: Float32Array): void {
  const n = out.length;
  const body = n & ~3;
  const fr = w.frame.begin();
  const x = fr.in(X);
  const y = fr.out(out, false);
  const redo = fr.space(body * 4);
  fr.open();
  const xs = fr.ptr(x) >>> 2;
  const ys = fr.ptr(y) >>> 2;
  const count = w.exports.sigmoidForward(fr.ptr(x), n, fr.ptr(y), fr.ptr(redo));
  // Read before anything else can touch the scratch block.
  const f32 = w.heap.f32;
  const i32 = w.heap.i32;
  const r = fr.ptr(redo) >>> 2;
  for (let t = 0; t < count; t++) {
    const i = i32[r + t]!;
    f32[ys + i] = 1 / (1 + Math.exp(-f32[xs + i]!));
  }
  for (let i = body; i < n; i++) f32[ys + i] = 1 / (1 + Math.exp(-f32[xs + i]!));
  fr.finish(y);
}

/** out[i] = g[i]·((1 − y[i])·y[i]) in float32, y the sigmoid's output. */
export function sigmoidBackward(w: WasmKernels, Y: Float32Array, G: Float32Array, out: Float32Array): void {
  const fr = w.frame.begin();
  const y = fr.in(Y);
  const g = fr.in(G);
  const o = fr.out(out, false);
  fr.open();
  w.exports.sigmoidBackward(fr.ptr(y), fr.ptr(g), out.length, fr.ptr(o));
  fr.finish(o);
}
