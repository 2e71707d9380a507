// Working memory of the kernels' own, after the module's static data and before the JavaScript allocator's heap
// (index.ts heapBase): reserved, not part of the module file, so the .wasm stays small.

/** Room for rowAxpy's byte offsets of B's rows, as many as a call can keep (a longer list takes rowAxpyLong). */
export const OFFSETS_CAP = 1 << 16;

/** Start of the rows' byte offsets: OFFSETS_CAP i32, 16-byte aligned. */
// @ts-ignore: decorator
@inline export function offsetsBase(): usize {
  return (__heap_base + 15) & ~<usize>15;
}

/** First byte after the kernels' working memory. */
export function scratchEnd(): usize {
  return offsetsBase() + (<usize>OFFSETS_CAP << 2);
}
