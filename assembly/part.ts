// Partial vectors: the last 1–3 floats of a row as one f32x4, read and written without touching the floats after
// them. Lane arithmetic is float32 arithmetic, so a row's tail computed this way has the bits of a scalar loop.

/** The `k` (1–3) floats at p in lanes 0..k−1, the other lanes +0; reads only those floats. */
// @ts-ignore: decorator
@inline export function loadPart(p: usize, k: i32): v128 {
  if (k == 1) return v128.load32_zero(p);
  const low = v128.load64_zero(p);
  return k == 2 ? low : v128.load32_lane(p, low, 2, 8);
}

/** Stores lanes 0..k−1 (k of 1–3) of x at p; writes only those floats. */
// @ts-ignore: decorator
@inline export function storePart(p: usize, x: v128, k: i32): void {
  if (k == 1) {
    v128.store32_lane(p, x, 0);
    return;
  }
  v128.store64_lane(p, x, 0);
  if (k == 3) v128.store32_lane(p, x, 2, 8);
}
