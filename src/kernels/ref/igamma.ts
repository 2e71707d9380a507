// The regularized incomplete gamma functions P(a, x) = γ(a, x)/Γ(a) and Q(a, x) = 1 − P(a, x) in float64, by PyTorch
// 1.13's algorithm (calc_igamma / calc_igammac in ATen/native/Math.h, from SciPy's gammainc and Cephes's igam/igamc,
// with Boost's Lanczos sum), run in float64 as its double kernel runs it:
//  - the edges first, in PyTorch's order (x < 0 or a < 0: NaN; a = 0; x = 0; a = ∞; x = ∞), so that an edge decides
//    before a NaN operand does (P(NaN, 0) = 0, P(∞, NaN) = 0, Q(NaN, ∞) = 0);
//  - for large a near x, the uniform asymptotic expansion (DLMF 8.12.3/8.12.4): a > 20 with |x − a|/a < 0.3, or
//    a > 200 with |x − a|/a < 4.5/√a, where the series and the fraction would need ~√a terms or cancel;
//  - else the series of P (DLMF 8.11.4), the continued fraction of Q (DLMF 8.9.2), and for small a the series of Q
//    itself (DLMF 8.7.3), which does not cancel as 1 − P does — each capped at 2000 terms, as PyTorch's.
// PyTorch's float32 kernel runs the same steps in float32; Kindling rounds the float64 value once (where float32 loses
// much, for a below ~10⁻⁷ — PyTorch's float32 Q(10⁻¹⁰, 0.5) is 1.137·10⁻¹⁰, twice the value its double kernel and
// Kindling give — Kindling's is the double kernel's).
import { erfc } from './erfinv.js';
import { lgamma } from './gamma.js';
import { IGAM_ASYMPTOTIC_D as D } from './igamma-asymptotic.js';

const MACHEP = 1.11022302462515654042e-16;
const MAXLOG = 7.09782712893383996843e2;
const MAX_ITER = 2000;
const BIG = 4.503599627370496e15;
const BIG_INV = 2.22044604925031308085e-16;
const LANCZOS_G = 6.024680040776729583740234375;

/** Boost's Lanczos sum, scaled by e^g (lanczos_sum_expg_scaled): a ratio of two polynomials of degree 12. */
const LANCZOS_NUM = [
  0.006061842346248906525783753964555936883222, 0.5098416655656676188125178644804694509993,
  19.51992788247617482847860966235652136208, 449.9445569063168119446858607650988409623,
  6955.999602515376140356310115515198987526, 75999.29304014542649875303443598909137092,
  601859.6171681098786670226533699352302507, 3481712.15498064590882071018964774556468,
  14605578.08768506808414169982791359218571, 43338889.32467613834773723740590533316085,
  86363131.28813859145546927288977868422342, 103794043.1163445451906271053616070238554,
  56906521.91347156388090791033559122686859,
];
const LANCZOS_DENOM = [1, 66, 1925, 32670, 357423, 2637558, 13339535, 45995730, 105258076, 150917976, 120543840, 39916800, 0];

/** num(x)/denom(x), both of degree 12, evaluated in 1/x beyond |x| = 1 (SciPy's ratevl, as PyTorch's). */
function lanczosSumExpgScaled(x: number): number {
  const n = LANCZOS_NUM.length;
  let num = 0;
  let den = 0;
  if (Math.abs(x) > 1) {
    const y = 1 / x;
    for (let i = n - 1; i >= 0; i--) {
      num = num * y + LANCZOS_NUM[i]!;
      den = den * y + LANCZOS_DENOM[i]!;
    }
  } else {
    for (let i = 0; i < n; i++) {
      num = num * x + LANCZOS_NUM[i]!;
      den = den * x + LANCZOS_DENOM[i]!;
    }
  }
  return num / den;
}

/** x^a e^−x / Γ(a), without overflow in between for a near x (Lanczos' form; PyTorch's _igam_helper_fac). */
function prefactor(a: number, x: number): number {
  if (Math.abs(a - x) > 0.4 * Math.abs(a)) {
    const ax = a * Math.log(x) - x - lgamma(a);
    return ax < -MAXLOG ? 0 : Math.exp(ax);
  }
  const fac = a + LANCZOS_G - 0.5;
  let res = Math.sqrt(fac / Math.E) / lanczosSumExpgScaled(a);
  if (a < 200 && x < 200) {
    res *= Math.exp(a - x) * Math.pow(x / fac, a);
  } else {
    const numfac = (x - a - LANCZOS_G + 0.5) / fac;
    res *= Math.exp(a * (Math.log1p(numfac) - numfac) + (x * (0.5 - LANCZOS_G)) / fac);
  }
  return res;
}

/** P(a, x) by its power series Σ x^k / ((a+1) … (a+k)) · x^a e^−x / Γ(a + 1) (DLMF 8.11.4). */
function pSeries(a: number, x: number): number {
  const ax = prefactor(a, x);
  if (ax === 0) return 0;
  let r = a;
  let c = 1;
  let ans = 1;
  for (let i = 0; i < MAX_ITER; i++) {
    r += 1;
    c *= x / r;
    ans += c;
    if (c <= MACHEP * ans) break;
  }
  return (ans * ax) / a;
}

/** Q(a, x) for small a directly (DLMF 8.7.3): 1 − x^a/Γ(a + 1) + x^a/Γ(a) · Σ_{n≥1} (−x)^n / (n!(a + n)), no cancellation. */
function qSeries(a: number, x: number): number {
  let fac = 1;
  let sum = 0;
  for (let n = 1; n < MAX_ITER; n++) {
    fac *= -x / n;
    const term = fac / (a + n);
    sum += term;
    if (Math.abs(term) <= MACHEP * Math.abs(sum)) break;
  }
  const logx = Math.log(x);
  return -Math.expm1(a * logx - lgamma(1 + a)) - Math.exp(a * logx - lgamma(a)) * sum;
}

/** Q(a, x) by Cephes's continued fraction (DLMF 8.9.2), its convergents rescaled as they grow. */
function qFraction(a: number, x: number): number {
  const ax = prefactor(a, x);
  if (ax === 0) return 0;
  let y = 1 - a;
  let z = x + y + 1;
  let c = 0;
  let pkm2 = 1;
  let qkm2 = x;
  let pkm1 = x + 1;
  let qkm1 = z * x;
  let ans = pkm1 / qkm1;
  for (let i = 0; i < MAX_ITER; i++) {
    c += 1;
    y += 1;
    z += 2;
    const yc = y * c;
    const pk = pkm1 * z - pkm2 * yc;
    const qk = qkm1 * z - qkm2 * yc;
    let t = 1;
    if (qk !== 0) {
      const r = pk / qk;
      t = Math.abs((ans - r) / r);
      ans = r;
    }
    pkm2 = pkm1;
    pkm1 = pk;
    qkm2 = qkm1;
    qkm1 = qk;
    if (Math.abs(pk) > BIG) {
      pkm2 *= BIG_INV;
      pkm1 *= BIG_INV;
      qkm2 *= BIG_INV;
      qkm1 *= BIG_INV;
    }
    if (t <= MACHEP) break;
  }
  return ans * ax;
}

/** √(2π) as PyTorch's asymptotic series has it: with c10::pi<float>, π rounded to float32 (in its double kernel too). */
const TWO_PI_F = 2 * Math.fround(Math.PI);

/**
 * P(a, x) (`lower`) or Q(a, x) for large a near x by Temme's uniform expansion (DLMF 8.12.3/8.12.4):
 * ½ erfc(∓η√(a/2)) ∓ e^(−aη²/2)/√(2πa) · Σ_k c_k(η) a^−k, η² = 2(λ − 1 − log λ), λ = x/a, η of λ − 1's sign.
 */
function asymptotic(a: number, x: number, lower: boolean): number {
  const sgn = lower ? -1 : 1;
  const lambda = x / a;
  const sigma = (x - a) / a;
  let eta = 0;
  if (lambda > 1) eta = Math.sqrt(-2 * (Math.log1p(sigma) - sigma));
  else if (lambda < 1) eta = -Math.sqrt(-2 * (Math.log1p(sigma) - sigma));
  let res = 0.5 * erfc(sgn * eta * Math.sqrt(a / 2));
  const etapow = [1];
  let sum = 0;
  let afac = 1;
  let absoldterm = Infinity;
  for (let k = 0; k < 25; k++) {
    const dk = D[k]!;
    let ck = dk[0]!;
    for (let n = 1; n < 25; n++) {
      if (n >= etapow.length) etapow.push(eta * etapow[n - 1]!);
      const ckterm = dk[n]! * etapow[n]!;
      ck += ckterm;
      if (Math.abs(ckterm) < MACHEP * Math.abs(ck)) break;
    }
    const term = ck * afac;
    const absterm = Math.abs(term);
    if (absterm > absoldterm) break;
    sum += term;
    if (absterm < MACHEP * Math.abs(sum)) break;
    absoldterm = absterm;
    afac /= a;
  }
  res += (sgn * Math.exp(-0.5 * a * eta * eta) * sum) / Math.sqrt(TWO_PI_F * a);
  return res;
}

/** Whether (a, x) is in the asymptotic regime, a large and x near it (PyTorch's SMALL/LARGE, SMALLRATIO/LARGERATIO). */
function nearLargeA(a: number, x: number): boolean {
  const ratio = Math.abs(x - a) / a;
  return (a > 20 && a < 200 && ratio < 0.3) || (a > 200 && ratio < 4.5 / Math.sqrt(a));
}

/** The lower regularized incomplete gamma function P(a, x) (PyTorch's igamma, special.gammainc). */
export function gammainc(a: number, x: number): number {
  if (x < 0 || a < 0) return NaN;
  if (a === 0) return x > 0 ? 1 : NaN;
  if (x === 0) return 0;
  if (a === Infinity) return x === Infinity ? NaN : 0;
  if (x === Infinity) return 1;
  if (Number.isNaN(a) || Number.isNaN(x)) return NaN;
  if (nearLargeA(a, x)) return asymptotic(a, x, true);
  if (x > 1 && x > a) return 1 - gammaincc(a, x);
  return pSeries(a, x);
}

/** The upper regularized incomplete gamma function Q(a, x) = 1 − P(a, x) (igammac, special.gammaincc). */
export function gammaincc(a: number, x: number): number {
  if (x < 0 || a < 0) return NaN;
  if (a === 0) return x > 0 ? 0 : NaN;
  if (x === 0) return 1;
  if (a === Infinity) return x === Infinity ? NaN : 1;
  if (x === Infinity) return 0;
  if (Number.isNaN(a) || Number.isNaN(x)) return NaN;
  if (nearLargeA(a, x)) return asymptotic(a, x, false);
  if (x > 1.1) return x < a ? 1 - pSeries(a, x) : qFraction(a, x);
  if (x <= 0.5) return -0.4 / Math.log(x) < a ? 1 - pSeries(a, x) : qSeries(a, x);
  return x * 1.1 < a ? 1 - pSeries(a, x) : qSeries(a, x);
}
