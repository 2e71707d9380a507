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
 * Such a view's `.buffer` is the whole WebAssembly memory (an ArrayBuffer of up to 1 GiB): to send values to a worker
 * or write them to a file, copy them first (`tensor.toArray()` or `data.slice()`) — posting the view itself would
 * clone the whole memory, and transferring its buffer would detach it. Its block goes back to the memory when the
 * view this returns is collected: a `subarray` of it holds only the memory, not that view, so take sub-views of
 * storage with `subStorage`.
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

/** The view `allocStorage` made, for every sub-view `subStorage` made of it (or of a sub-view of it). */
const owners = new WeakMap<Float32Array, Float32Array>();

/**
 * `a.subarray(begin, end)` that keeps `a`'s storage alive for as long as the result is (and `a` itself when that is
 * the whole of it). A block of the WebAssembly memory is released when the view `allocStorage` made is collected;
 * a plain subarray references only the memory's buffer, so without this its block could be handed to another tensor
 * while the subarray still reads and writes it.
 */
export function subStorage(a: Float32Array, begin: number, end: number): Float32Array {
  if (begin === 0 && end === a.length) return a;
  const sub = a.subarray(begin, end);
  owners.set(sub, owners.get(a) ?? a);
  return sub;
}

/** The array `a` was cut from by `subStorage` (itself, when it was not): its storage's first element. */
export function storageRoot(a: Float32Array): Float32Array {
  return owners.get(a) ?? a;
}

/** True when two arrays may share elements: views of one buffer, or both in the WebAssembly memory, overlapping. */
export function sharesElements(a: Float32Array, b: Float32Array): boolean {
  if (a.buffer !== b.buffer && !(isWasmResident(a) && isWasmResident(b))) return false;
  return a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}
