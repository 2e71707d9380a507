import { isWasmResident } from '../storage.js';

/**
 * True when a and b are different views of one buffer whose elements overlap, where an elementwise result depends
 * on the order the elements are done in (the reference loop's order then decides). Two views of the kernels' memory
 * count as one buffer even when one was made before the memory grew (each growth gives `memory.buffer` a new
 * SharedArrayBuffer object over the same bytes).
 */
export function partlyOverlapping(a: Float32Array, b: Float32Array): boolean {
  if (a.buffer !== b.buffer && !(isWasmResident(a) && isWasmResident(b))) return false;
  if (a.byteOffset === b.byteOffset && a.length === b.length) return false;
  return a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}
