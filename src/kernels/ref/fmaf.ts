/**
 * The float32 fused multiply-add, exactly: what PyTorch's compiled float32 kernels compute where GCC or the AVX2
 * intrinsics fuse a multiply and an add (randn's Box–Muller, the RMSprop and Adagrad updates).
 */
const fr = Math.fround;

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
  const other = 2 * s - r; // the float32 on the far side of s, if s is exactly halfway between it and r
  if (fr(other) !== other) return r;
  const sp = s - p;
  const err = p - (s - sp) + (c - sp); // exact sum − s
  if (err === 0) return r; // a true tie, which fround broke to even as FMA does
  return err > 0 === other > r ? other : r;
}
