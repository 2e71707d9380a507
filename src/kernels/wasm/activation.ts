import type { WasmKernels } from './load.js';
import { partlyOverlapping } from './overlap.js';

// ReLU and LeakyReLU on wasm (assembly/activation.ts), the reference loops' bits. Arrays outside the WebAssembly
// memory are copied in and out around the call. Each returns false (nothing done) when the output partly overlaps
// an input: the reference loop's order then decides.

/** A call of an elementwise kernel over `n` floats: inputs placed, the output planned, then `run` with pointers. */
function elementwise(w: WasmKernels, inputs: readonly Float32Array[], out: Float32Array, run: (ptrs: number[], o: number) => void): boolean {
  if (inputs.some((a) => partlyOverlapping(a, out))) return false;
  const fr = w.frame.begin();
  const slots = inputs.map((a) => fr.in(a));
  const o = fr.out(out, false);
  fr.open();
  run(slots.map((s) => fr.ptr(s)), fr.ptr(o));
  fr.finish(o);
  return true;
}

/** out[i] = x[i] > 0 ? x[i] : x[i]·slope (slope rounded to float32); out may be x. */
export function leakyRelu(w: WasmKernels, X: Float32Array, slope: number, out: Float32Array): boolean {
  return elementwise(w, [X], out, ([x], o) => w.exports.leakyReluForward(x!, out.length, slope, o));
}

/** out[i] = x[i] > 0 ? g[i] : g[i]·slope. */
export function leakyReluBackward(w: WasmKernels, X: Float32Array, slope: number, G: Float32Array, out: Float32Array): boolean {
  return elementwise(w, [X, G], out, ([x, g], o) => w.exports.leakyReluBackward(x!, g!, out.length, slope, o));
}

/** out[i] = x[i] where it is > 0 or NaN, else +0. */
export function relu(w: WasmKernels, X: Float32Array, out: Float32Array): boolean {
  return elementwise(w, [X], out, ([x], o) => w.exports.reluForward(x!, out.length, o));
}

/** out[i] = y[i] ≤ 0 ? +0 : g[i], y the ReLU's output. */
export function reluBackward(w: WasmKernels, Y: Float32Array, G: Float32Array, out: Float32Array): boolean {
  return elementwise(w, [Y, G], out, ([y, g], o) => w.exports.reluBackward(y!, g!, out.length, o));
}
