// The reparameterised gradient of a standard Gamma draw with respect to its concentration, as PyTorch 1.13's
// _standard_gamma_grad on the CPU: −(∂/∂α CDF(x; α)) / pdf(x; α), in float64 from the float32 α and x, by a Taylor
// series for small x, Rice's saddle-point expansion for large α, and a bivariate rational approximation elsewhere
// (Martin & Fritz's; the coefficients are theirs). Its digamma is the Cephes-based one PyTorch uses there.

const PSI_10 = 2.25175258906672110764;
const PSI_A = [
  8.33333333333333333333e-2, -2.10927960927960927961e-2, 7.57575757575757575758e-3, -4.16666666666666666667e-3,
  3.96825396825396825397e-3, -8.33333333333333333333e-3, 8.33333333333333333333e-2,
];

/** ψ(x) as Distributions.h's digamma_one computes it (positive x only reaches it here). */
function digammaOne(x0: number): number {
  if (x0 === 0) return Infinity;
  let x = x0;
  let extra = 0;
  if (x < 0) {
    if (x === Math.floor(x)) return Infinity;
    extra = -Math.PI / Math.tan(Math.PI * x);
    x = 1 - x;
  }
  let result = 0;
  while (x < 10) {
    result -= 1 / x;
    x += 1;
  }
  if (x === 10) return result + PSI_10 + extra;
  let y = 0;
  if (x < 1e17) {
    const z = 1 / (x * x);
    let p = PSI_A[0]!;
    for (let i = 1; i < PSI_A.length; i++) p = p * z + PSI_A[i]!;
    y = z * p;
  }
  return result + Math.log(x) - 0.5 / x - y + extra;
}

const COEF_UV = [
  [0.16009398, -0.094634809, 0.025146376, -0.0030648343, 1, 0.32668115, 0.10406089, 0.0014179084],
  [0.53487893, 0.1298071, 0.065735949, -0.0015649758, 0.16639465, 0.020070113, -0.0035938915, -0.00058392623],
  [0.040121004, -0.0065914022, -0.0026286047, -0.0013441777, 0.017050642, -0.0021309326, 0.00085092367, -1.5247877e-07],
] as const;

/** ∂x/∂α for a draw x of Gamma(α, 1), rounded to float32 (0 where the small-x series gives NaN, as PyTorch's). */
export function standardGammaGrad(alpha: number, x: number): number {
  if (x < Math.fround(0.8)) {
    let numer = 1;
    let denom = alpha;
    let series1 = numer / denom;
    let series2 = numer / (denom * denom);
    for (let i = 1; i <= 5; i++) {
      numer *= -x / i;
      denom += 1;
      series1 += numer / denom;
      series2 += numer / (denom * denom);
    }
    const powXAlpha = Math.pow(x, alpha);
    const pdf = Math.pow(x, alpha - 1) * Math.exp(-x);
    const cdf = powXAlpha * series1;
    const cdfAlpha = (Math.log(x) - digammaOne(alpha)) * cdf - powXAlpha * series2;
    const result = -cdfAlpha / pdf;
    return Number.isNaN(result) ? 0 : Math.fround(result);
  }
  if (alpha > 8) {
    // PyTorch's bounds are float literals (0.9f, 1.1f), widened to float64.
    if (Math.fround(0.9) * alpha <= x && x <= Math.fround(1.1) * alpha) {
      const numer1 = 1 + 24 * alpha * (1 + 12 * alpha);
      const numer2 = 1440 * (alpha * alpha) + 6 * x * (53 - 120 * x) - (65 * x * x) / alpha + alpha * (107 + 3600 * x);
      const denom = 1244160 * (alpha * alpha) * (alpha * alpha);
      return Math.fround((numer1 * numer2) / denom);
    }
    const denom = Math.sqrt(8 * alpha);
    const term2 = denom / (alpha - x);
    const term3 = Math.pow(x - alpha - alpha * Math.log(x / alpha), -1.5);
    const term23 = x < alpha ? term2 - term3 : term2 + term3;
    const term1 = Math.log(x / alpha) * term23 - (Math.sqrt(2 / alpha) * (alpha + x)) / ((alpha - x) * (alpha - x));
    const stirling = 1 + (1 / (12 * alpha)) * (1 + 1 / (24 * alpha));
    return Math.fround((-stirling * (x * term1)) / denom);
  }
  const u = Math.log(x / alpha);
  const v = Math.log(alpha);
  const c = COEF_UV[0].map((c0, i) => c0 + u * (COEF_UV[1][i]! + u * COEF_UV[2][i]!));
  const p = c[0]! + v * (c[1]! + v * (c[2]! + v * c[3]!));
  const q = c[4]! + v * (c[5]! + v * (c[6]! + v * c[7]!));
  return Math.fround(Math.exp(p / q));
}
