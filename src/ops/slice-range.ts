// Python's slice start:stop:step over one dimension, the one clamp and count of `x.index([slice(...)])` and
// `sliceScatter` (PyTorch's slice and slice_scatter): bounds negative from the end, clamped to the dimension.

/**
 * The first position and the number of positions of `start:stop:step` (step > 0, checked by the caller) over a
 * dimension of `size`: null for a bound left out, negative bounds counted from the end, both clamped to [0, size].
 */
export function sliceRange(start: number | null, stop: number | null, step: number, size: number): [first: number, count: number] {
  const clamp = (v: number): number => Math.min(size, Math.max(0, v < 0 ? v + size : v));
  const first = start === null ? 0 : clamp(start);
  const end = stop === null ? size : clamp(stop);
  return [first, Math.max(0, Math.ceil((end - first) / step))];
}
