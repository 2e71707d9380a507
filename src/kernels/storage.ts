import { activeWasm } from './backend.js';

/**
 * Zero-filled storage for a tensor that lives as long as a model or optimizer does: parameters, their gradients,
 * optimizer state. With the wasm backend it is a view into the kernels' WebAssembly memory, so the kernels work on
 * it in place (no copy per step); otherwise, or when that memory is full, an ordinary Float32Array. Either way it
 * is freed by the garbage collector like any array — nobody frees it by hand.
 *
 * Transient tensors (activations, per-step gradients) should use `new Float32Array(n)` instead: scratch for them
 * lives on the JavaScript heap, where short-lived garbage is cheapest.
 *
 * Such a view's `.buffer` is the whole (shared) WebAssembly memory: to send values to a worker or write them to a
 * file, copy them first (`tensor.toArray()` or `data.slice()`).
 */
export function allocStorage(n: number): Float32Array {
  const w = activeWasm();
  return (w === null ? null : w.heap.allocFloat32(n)) ?? new Float32Array(n);
}

/** True when `a` lives in the WebAssembly memory (the wasm kernels can use it without copying). */
export function isWasmResident(a: ArrayBufferView): boolean {
  const w = activeWasm();
  return w !== null && w.heap.isResident(a);
}
