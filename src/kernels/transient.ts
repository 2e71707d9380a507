/**
 * Zero-filled Float32Arrays for short-lived tensors (activations, per-step gradients), carved from shared 64 KiB
 * ArrayBuffers. V8 allocates a typed array over 64 bytes with its own off-heap backing store, which costs about
 * 0.7 µs for 200 floats — more than the arithmetic of a 200-wide layer; a view into an existing buffer costs a
 * tenth of that. The views are ordinary Float32Arrays: the garbage collector frees a block once no view into it
 * is alive, so nobody frees anything by hand. (A view kept for long keeps its whole block alive; blocks are small,
 * and arrays of at most 16 floats — on V8's heap anyway — or over 4096 floats get their own buffer.)
 */
const BLOCK_BYTES = 1 << 16;
const SMALL = 16;
const LARGE = 4096;

let block = new ArrayBuffer(BLOCK_BYTES);
let used = 0;

/** Byte offset of `n` fresh 4-byte elements in the current block (a new block when it is full). */
function carve(n: number): number {
  const bytes = (n * 4 + 15) & ~15;
  if (used + bytes > BLOCK_BYTES) {
    block = new ArrayBuffer(BLOCK_BYTES);
    used = 0;
  }
  const at = used;
  used += bytes;
  return at;
}

/** A new zero-filled Float32Array of `n` elements, cheap to make; use it like `new Float32Array(n)`. */
export function transientFloat32(n: number): Float32Array {
  if (n <= SMALL || n > LARGE) return new Float32Array(n);
  const at = carve(n);
  return new Float32Array(block, at, n);
}

/** The same for an Int32Array (lists of rows or indices). */
export function transientInt32(n: number): Int32Array {
  if (n <= SMALL || n > LARGE) return new Int32Array(n);
  const at = carve(n);
  return new Int32Array(block, at, n);
}
