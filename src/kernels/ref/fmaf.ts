/**
 * The float32 fused multiply-add, exactly: what PyTorch's compiled float32 kernels compute where GCC or the AVX2
 * intrinsics fuse a multiply and an add (randn's Box–Muller, the RMSprop and Adagrad updates).
 */
const fr = Math.fround;

/** The largest float32, 2^128 − 2^104. */
const FLT_MAX = 2 ** 128 - 2 ** 104;
/** Halfway between the largest float32 and 2^128, where float32 rounding overflows: a sum there is a tie too. */
const HALF_OVER = 2 ** 128 - 2 ** 103;

/**
 * The float32 fused multiply-add a·b + c of float32 values, rounded once as the FMA instruction rounds it. The
 * product of two float32 values is exact in float64, so only the float64 sum rounds; rounding that again to float32
 * is wrong only when the float64 sum landed exactly halfway between two float32 values while the exact sum was
 * not there. Then the sum's rounding error (TwoSum) tells which of the two the exact sum is nearer to.
 */
export function fmaf(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const r = fr(s);
  if (r === s) return r;
  // The float32 on the far side of s, if s is exactly halfway between it and r (past the largest float32, r is ∞
  // and the far side the largest float32).
  const other = Math.abs(s) === HALF_OVER ? Math.sign(s) * FLT_MAX : 2 * s - r;
  if (!Number.isFinite(other) || fr(other) !== other) return r;
  const sp = s - p;
  const err = p - (s - sp) + (c - sp); // exact sum − s
  if (err === 0) return r; // a true tie, which fround broke to even as FMA does
  return err > 0 === other > r ? other : r;
}
