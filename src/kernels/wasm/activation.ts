import type { WasmKernels } from './load.js';
import { partlyOverlapping } from './overlap.js';

// ReLU and LeakyReLU on wasm (assembly/activation.ts), the reference loops' bits. Arrays outside the WebAssembly
// memory are copied in and out around the call. Each returns false (nothing done) when the output partly overlaps
// an input: the reference loop's order then decides.

type Kernel = 'leakyRelu' | 'leakyReluBackward' | 'relu' | 'reluBackward';

/** One call of `kernel` over out.length floats, from `a` (and `b`), without allocating (a per-step path). */
function call(w: WasmKernels, kernel: Kernel, a: Float32Array, b: Float32Array | null, slope: number, out: Float32Array): boolean {
  if (partlyOverlapping(a, out) || (b !== null && partlyOverlapping(b, out))) return false;
  const fr = w.frame.begin();
  const sa = fr.in(a);
  const sb = b === null ? -1 : fr.in(b);
  const so = fr.out(out, false);
  fr.open();
  const pa = fr.ptr(sa);
  const pb = sb < 0 ? 0 : fr.ptr(sb);
  const po = fr.ptr(so);
  const n = out.length;
  const e = w.exports;
  if (kernel === 'leakyRelu') e.leakyReluForward(pa, n, slope, po);
  else if (kernel === 'leakyReluBackward') e.leakyReluBackward(pa, pb, n, slope, po);
  else if (kernel === 'relu') e.reluForward(pa, n, po);
  else e.reluBackward(pa, pb, n, po);
  fr.finish(so);
  return true;
}

/** out[i] = x[i] > 0 ? x[i] : x[i]·slope (slope rounded to float32); out may be x. */
export function leakyRelu(w: WasmKernels, X: Float32Array, slope: number, out: Float32Array): boolean {
  return call(w, 'leakyRelu', X, null, slope, out);
}

/** out[i] = x[i] > 0 ? g[i] : g[i]·slope. */
export function leakyReluBackward(w: WasmKernels, X: Float32Array, slope: number, G: Float32Array, out: Float32Array): boolean {
  return call(w, 'leakyReluBackward', X, G, slope, out);
}

/** out[i] = +0 where x[i] < 0, else x[i] (a NaN and −0 pass, as in PyTorch). */
export function relu(w: WasmKernels, X: Float32Array, out: Float32Array): boolean {
  return call(w, 'relu', X, null, 0, out);
}

/** out[i] = y[i] ≤ 0 ? +0 : g[i], y the ReLU's output. */
export function reluBackward(w: WasmKernels, Y: Float32Array, G: Float32Array, out: Float32Array): boolean {
  return call(w, 'reluBackward', Y, G, 0, out);
}
