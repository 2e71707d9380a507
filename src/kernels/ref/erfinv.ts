/**
 * erfc in float64 and erfinv as PyTorch's float32 kernel, for the unary math ops (ops/unary-math.ts), which round them to float32 once.
 *
 *  - erfc(x): 1 − erf(x) for |x| < 1.25 (erfc is between 0.07 and 1.93 there, so nothing cancels), the continued
 *    fraction of erf.ts for x ≥ 1.25 (accurate relative to erfc itself, down to float32's smallest subnormal at
 *    x ≈ 10.05), and 2 − erfc(−x) for x ≤ −1.25.
 *  - erfinv(y): PyTorch's float32 algorithm (below), which is what PyTorch's values are.
 */
import { erf, erfcFraction } from './erf.js';

export function erfc(x: number): number {
  if (x !== x) return x;
  const a = Math.abs(x);
  if (a < 1.25) return 1 - erf(x);
  if (a >= 27) return x > 0 ? 0 : 2;
  const c = erfcFraction(a);
  return x > 0 ? c : 2 - c;
}

const f = Math.fround;
// Pavlis's rational approximation (PyTorch's calc_erfinv, from the MATLAB erfinv 2.0), its coefficients in float32.
const A = [0.886226899, -1.645349621, 0.914624893, -0.140543331].map(f) as [number, number, number, number];
const B = [-2.118377725, 1.442710462, -0.329097515, 0.012229801].map(f) as [number, number, number, number];
const C = [-1.970840454, -1.624906493, 3.429567803, 1.641345311].map(f) as [number, number, number, number];
const D = [3.5438892, 1.6370678].map(f) as [number, number];
const K = f(2 / f(Math.sqrt(Math.PI)));

/** a·b + c fused, in float32 (a·b of two float32 values is exact in float64), as PyTorch's AVX2 build compiles it. */
const fma = (a: number, b: number, c: number): number => f(a * b + c);

/**
 * erfinv of a float32 y as PyTorch 1.13's CPU kernel computes it (calc_erfinv, not vectorized): a rational start
 * (|y| ≤ 0.7, else in √(−log((1 − |y|)/2))), then two Newton steps on erf(x) = y, all in float32 with its multiply-adds
 * fused, erff and expf taken as float64 erf and Math.exp rounded once. It is PyTorch's value, not the exact erfinv:
 * at 1 − 2⁻²⁴ it gives 3.832537, where erfinv is 3.832507 (float32 cannot resolve erf near 1); the golden test
 * (test/golden/unary-math.test.ts) finds it within a few ulps of PyTorch's, equal at most points.
 */
export function erfinv(y: number): number {
  const ya = Math.abs(y);
  if (y !== y || ya > 1) return NaN;
  if (ya === 1) return y > 0 ? Infinity : -Infinity;
  let x: number;
  if (ya <= f(0.7)) {
    const z = f(y * y);
    const num = fma(fma(fma(A[3], z, A[2]), z, A[1]), z, A[0]);
    const dem = fma(fma(fma(fma(B[3], z, B[2]), z, B[1]), z, B[0]), z, 1);
    x = f(f(y * num) / dem);
  } else {
    const z = f(Math.sqrt(f(-f(Math.log(f(f(1 - ya) / 2))))));
    const num = fma(fma(fma(C[3], z, C[2]), z, C[1]), z, C[0]);
    const dem = fma(fma(D[1], z, D[0]), z, 1);
    x = f((y < 0 ? -Math.abs(num) : Math.abs(num)) / dem);
  }
  for (let i = 0; i < 2; i++) x = f(x - f(f(f(erf(x)) - y) / f(K * f(Math.exp(f(-x * x))))));
  return x;
}
