/**
 * A number that becomes a float32 value of a tensor (a fill value, a bound, a slope), checked as PyTorch checks it:
 * a finite number beyond float32's range is refused, where rounding would quietly make it ±Infinity. ±Infinity and
 * NaN pass, as they do in PyTorch. (Arithmetic with a number, x.mul(1e40), overflows to Infinity there and here.)
 */
export const FLOAT32_MAX = 3.4028234663852886e38;

export function float32Scalar(op: string, what: string, v: number): number {
  if (Number.isFinite(v) && Math.abs(v) > FLOAT32_MAX) {
    throw new RangeError(`${op}: ${what} ${v} cannot be converted to float32 without overflow (float32 holds at most ±${FLOAT32_MAX}), as PyTorch refuses it`);
  }
  return v;
}
