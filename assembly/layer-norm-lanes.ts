// Lanes shared by the layer-norm kernels: float32 values taken into and out of float64 lanes, and gathered across
// rows.

/** Two float32 at p, as float64 lanes. */
// @ts-ignore: decorator
@inline export function load2(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

/** Two float64 lanes rounded to float32 and stored at p. */
// @ts-ignore: decorator
@inline export function store2(p: usize, v: v128): void {
  v128.store64_lane(p, f32x4.demote_f64x2_zero(v), 0);
}

/** The float32 at p in each of four rows `rowBytes` apart, as lanes 0–3. */
// @ts-ignore: decorator
@inline export function gather4(p: usize, rowBytes: usize): v128 {
  let v = v128.load32_zero(p);
  v = v128.load32_lane(p + rowBytes, v, 1);
  v = v128.load32_lane(p + (rowBytes << 1), v, 2);
  return v128.load32_lane(p + rowBytes * 3, v, 3);
}

/** Lanes 2 and 3 of a float32 vector as float64 lanes. */
// @ts-ignore: decorator
@inline export function promoteHigh(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3));
}
