// The normal distribution's functions as PyTorch 1.13 computes them in float32 (aten/src/ATen/native/Math.h):
// ndtr (its CDF, through erf), ndtri (its inverse: Cephes' rational approximations in float32, polynomials evaluated
// by Horner's rule with each multiply-add fused, as GCC contracts them; its ::log and ::sqrt in float64), log_ndtr, and erfcx (e^(x²)·erfc(x),
// its float32 steps, with e^(x²)·erfc(|x|) from float64 where PyTorch reads its own Chebyshev table).
import { erf as erf64 } from './erf.js';
import { erfc as erfc64 } from './erfinv.js';
import { fmaf } from './fmaf.js';

const f = Math.fround;
// ndtr scales by 1/√2 as a float32 constant; log_ndtr by C's double M_SQRT1_2 (the float64 product, rounded once):
// each the one that gives PyTorch's values on a grid.
const SQRT1_2_F = f(Math.SQRT1_2);
const SQRT1_2 = Math.SQRT1_2;
const ONE_OVER_SQRT_PI = 1 / Math.sqrt(Math.PI);

/** Φ(x), the standard normal CDF, as PyTorch 1.13's calc_ndtr in float32: (1 + erf(x/√2))·0.5. */
export function ndtr(a: number): number {
  return f(f(1 + f(erf64(f(a * SQRT1_2_F)))) * 0.5);
}

/** e^(x²)·erfc(x) for x ≥ 0 in float64: the series for small x, Lentz's continued fraction beyond. */
function erfcxPositive(x: number): number {
  if (x > 5e7) return ONE_OVER_SQRT_PI / x;
  if (x < 1.25) return Math.exp(x * x) * erfc64(x);
  // erfc(x)·e^(x²) = (1/√π) / (x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))), from the bottom.
  let t = x;
  for (let k = 80; k >= 1; k--) t = x + k / 2 / t;
  return ONE_OVER_SQRT_PI / t;
}

/**
 * erfcx as PyTorch's calc_erfcx in float32: its branches and its float32 steps (2·e^(x²) with x² rounded, which the
 * result's last bits follow for negative x), with e^(x²)·erfc(|x|) from float64 where PyTorch reads its table.
 */
export function erfcx(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x >= 0) return f(erfcxPositive(x));
  if (x < -26.7) return Infinity;
  const twoExp = f(2 * f(Math.exp(f(x * x))));
  return x < -6.1 ? twoExp : f(twoExp - f(erfcxPositive(-x)));
}

/** log Φ(x), as PyTorch's calc_log_ndtr in float32. */
export function logNdtr(x: number): number {
  const t = f(x * SQRT1_2);
  if (x < -1) return f(f(Math.log(f(erfcx(-t) / 2))) - f(t * t));
  // erfc(t) from e^(−t²)·erfcx(t) past 1.25, where erfinv.ts's erfc loses digits in the far tail.
  const erfcT = t >= 1.25 ? f(erfcxPositive(t) * Math.exp(-t * t)) : f(erfc64(t));
  return f(Math.log1p(f(-f(erfcT / 2))));
}

const P0 = [-5.99633501014107895267e1, 9.80010754185999661536e1, -5.66762857469070293439e1, 1.39312609387279679503e1, -1.23916583867381258016e0].map(f);
const Q0 = [1, 1.95448858338141759834e0, 4.67627912898881538453e0, 8.63602421390890590575e1, -2.25462687854119370527e2, 2.00260212380060660359e2, -8.20372256168333339912e1, 1.59056225126211695515e1, -1.18331621121330003142e0].map(f);
const P1 = [4.05544892305962419923e0, 3.15251094599893866154e1, 5.71628192246421288162e1, 4.408050738932008347e1, 1.46849561928858024014e1, 2.18663306850790267539e0, -1.40256079171354495875e-1, -3.50424626827848203418e-2, -8.57456785154685413611e-4].map(f);
const Q1 = [1, 1.57799883256466749731e1, 4.53907635128879210584e1, 4.1317203825467203044e1, 1.50425385692907503408e1, 2.50464946208309415979e0, -1.42182922854787788574e-1, -3.80806407691578277194e-2, -9.33259480895457427372e-4].map(f);
const P2 = [3.2377489177694603597e0, 6.91522889068984211695e0, 3.93881025292474443415e0, 1.33303460815807542389e0, 2.01485389549179081538e-1, 1.23716634817820021358e-2, 3.01581553508235416007e-4, 2.65806974686737550832e-6, 6.2397453918498329373e-9].map(f);
const Q2 = [1, 6.02427039364742014255e0, 3.67983563856160859403e0, 1.37702099489081330271e0, 2.1623699359449663589e-1, 1.34204006088543189037e-2, 3.28014464682127739104e-4, 2.89247864745380683936e-6, 6.79019408009981274425e-9].map(f);

/** Cephes' polevl in float32: Horner's rule, each step a fused multiply-add. */
function polevl(x: number, c: readonly number[]): number {
  let ans = c[0]!;
  for (let i = 1; i < c.length; i++) ans = fmaf(ans, x, c[i]!);
  return ans;
}

const S2PI = f(2.50662827463100050242);
const EXP_M2 = f(0.13533528323661269189);

/** Φ⁻¹(y), as PyTorch's calc_ndtri in float32: −∞ at 0, ∞ at 1, NaN outside [0, 1]. */
export function ndtri(y0: number): number {
  if (y0 === 0) return -Infinity;
  if (y0 === 1) return Infinity;
  if (!(y0 > 0 && y0 < 1)) return NaN;
  let code = true;
  let y = y0;
  if (y > f(1 - EXP_M2)) {
    y = f(1 - y);
    code = false;
  }
  if (y > EXP_M2) {
    y = f(y - 0.5);
    const y2 = f(y * y);
    const x = fmaf(y, f(f(y2 * polevl(y2, P0)) / polevl(y2, Q0)), y);
    return f(x * S2PI);
  }
  // Cephes' ::log and ::sqrt are C's double functions here: these two lines run in float64, rounded once each.
  let x = f(Math.sqrt(-2 * Math.log(y)));
  const x0 = f(x - Math.log(x) / x);
  const z = f(1 / x);
  const x1 = x < 8 ? f(f(z * polevl(z, P1)) / polevl(z, Q1)) : f(f(z * polevl(z, P2)) / polevl(z, Q2));
  x = f(x0 - x1);
  return code ? -x : x;
}
