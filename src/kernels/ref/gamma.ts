// The log-gamma function and its derivatives (digamma, trigamma, polygamma through the Hurwitz zeta function) in
// float64: Lanczos' approximation (g = 7, 9 terms) with the reflection formula, the digamma recurrence and asymptotic
// series, and Cephes' Euler–Maclaurin zeta. Accurate to about 1e-15 relative away from the functions' zeros, so
// rounded to float32 they are within an ulp or two of PyTorch's float32 kernels.
import { cPow } from './elementwise.js';

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

const EULER = 0.5772156649015329;

/** ζ(k) for k = 2 … 29 (ζ(k, 1)), computed once when first needed: the Taylor coefficients of lgamma about 1. */
let zetaInt: number[] | null = null;

/**
 * lgamma(1 + z) for |z| ≤ 0.2 by its Taylor series −γz + Σ_{k≥2} ζ(k)(−z)^k / k: accurate relative to the value, which
 * Lanczos' sum is not near the zeros of lgamma at 1 and 2 (there it is off by ~10⁻¹⁶ absolute, so lgamma(1 + 10⁻¹⁰)
 * by 5·10⁻⁶ relative — which the incomplete gamma functions of small a (igamma.ts) feel).
 */
function lgammaNearOne(z: number): number {
  if (zetaInt === null) {
    zetaInt = [];
    for (let k = 2; k < 30; k++) zetaInt.push(zeta(k, 1));
  }
  let res = -EULER * z;
  let zk = -z;
  for (let k = 2; k < 30; k++) {
    zk *= -z;
    const term = (zetaInt[k - 2]! * zk) / k;
    res += term;
    if (Math.abs(term) <= 1e-17 * Math.abs(res)) break;
  }
  return res;
}

/** log|Γ(x)|; +∞ at 0 and the negative integers. */
export function lgamma(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x === Infinity || x === -Infinity) return Infinity;
  if (x <= 0 && Number.isInteger(x)) return Infinity;
  if (x === 1 || x === 2) return 0;
  // Near the zeros at 1 and 2 (x − 1 and x − 2 are exact there): lgamma(2 + z) = log(1 + z) + lgamma(1 + z).
  if (Math.abs(x - 1) <= 0.2) return lgammaNearOne(x - 1);
  if (Math.abs(x - 2) <= 0.2) return Math.log1p(x - 2) + lgammaNearOne(x - 2);
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** ψ(x) = Γ'(x)/Γ(x), as PyTorch's: ∓∞ at ±0 (copysign(∞, −x)), NaN at the negative integers. */
export function digamma(x: number): number {
  if (x === 0) return Object.is(x, -0) ? Infinity : -Infinity;
  if (Number.isNaN(x) || x === -Infinity) return NaN;
  if (x < 0) {
    if (Number.isInteger(x)) return NaN;
    return digamma(1 - x) - Math.PI / Math.tan(Math.PI * x);
  }
  let result = 0;
  let v = x;
  while (v < 10) {
    result -= 1 / v;
    v += 1;
  }
  if (v === Infinity) return Infinity;
  const w = 1 / (v * v);
  const series = w * (1 / 12 - w * (1 / 120 - w * (1 / 252 - w * (1 / 240 - w * (1 / 132)))));
  return result + Math.log(v) - 0.5 / v - series;
}

const ZETA_A = [
  12.0, -720.0, 30240.0, -1209600.0, 47900160.0, -1.8924375803183791606e9, 7.47242496e10, -2.950130727918164224e12,
  1.1646782814350067249e14, -4.5979787224074726105e15, 1.8152105401943546773e17, -7.1661652561756670113e18,
];

/**
 * The Hurwitz zeta function ζ(s, q) = Σ_k (k + q)^−s, s > 1, by Cephes' algorithm as PyTorch 1.13 runs it (zeta in
 * ATen/native/Math.h, in float64): its powers are C's pow (cPow: 1^−∞ is 1, so ζ(∞, 1) = 1 and ζ(∞, q) = ∞ for q < 1,
 * where JavaScript's 1 ** −Infinity is NaN), and its tests of convergence are its own (a negative partial sum never
 * ends the direct summation early).
 */
export function zeta(s: number, q: number): number {
  if (s === 1) return Infinity;
  if (s < 1) return NaN;
  if (q <= 0) {
    if (q === Math.floor(q)) return Infinity;
    if (s !== Math.floor(s)) return NaN;
  }
  return zetaSeries(s, q, (base, e) => cPow(base, -e));
}

/**
 * Cephes' series for ζ(s, q) once the edge cases are handled: the direct sum until it converges or passes 9, then
 * the Euler–Maclaurin tail. `powNeg(base, s)` is base^−s: C's pow here, a correctly rounded one for polygamma's
 * float32 path (ops/gamma.ts).
 */
export function zetaSeries(s: number, q: number, powNeg: (base: number, s: number) => number): number {
  const EPS = 1.11022302462515654042e-16;
  let sum = powNeg(q, s);
  let a = q;
  let i = 0;
  let b = 0;
  while (i < 9 || a <= 9) {
    i++;
    a += 1;
    b = powNeg(a, s);
    sum += b;
    if (-EPS * sum < b && b < EPS * sum) return sum;
  }
  const w = a;
  sum += (b * w) / (s - 1);
  sum -= 0.5 * b;
  let fac = 1;
  let k = 0;
  for (i = 0; i < 12; i++) {
    fac *= s + k;
    b /= w;
    const t = (fac * b) / ZETA_A[i]!;
    sum += t;
    if (Math.abs(t / sum) < EPS) return sum;
    k += 1;
    fac *= s + k;
    b /= w;
    k += 1;
  }
  return sum;
}

/** The n-th derivative of ψ: ψ for n = 0, else (−1)^(n+1)·n!·ζ(n + 1, x) (with the reflection for trigamma below ½). */
export function polygamma(n: number, x: number): number {
  if (n === 0) return digamma(x);
  if (n === 1) {
    if (x <= 0 && Number.isInteger(x)) return Infinity;
    if (x < 0.5) {
      const s = Math.sin(Math.PI * x);
      return -polygammaPositive(1, 1 - x) + (Math.PI * Math.PI) / (s * s);
    }
    return polygammaPositive(1, x);
  }
  return polygammaPositive(n, x);
}

function polygammaPositive(n: number, x: number): number {
  let fact = 1;
  for (let i = 2; i <= n; i++) fact *= i;
  return (n % 2 === 1 ? 1 : -1) * fact * zeta(n + 1, x);
}

const PSI_10 = Math.fround(2.25175258906672110764);
const DIGAMMA_A = [
  8.33333333333333333333e-2, -2.10927960927960927961e-2, 7.57575757575757575758e-3, -4.16666666666666666667e-3,
  3.96825396825396825397e-3, -8.33333333333333333333e-3, 8.33333333333333333333e-2,
].map(Math.fround);

/** ψ(x) as PyTorch 1.13's float kernel computes it (calc_digamma(float)): each step rounded to float32. */
export function digammaF(x0: number): number {
  const f = Math.fround;
  let x = f(x0);
  if (x === 0) return Object.is(x, -0) ? Infinity : -Infinity;
  if (Number.isNaN(x)) return NaN;
  if (x < 0) {
    if (x === Math.trunc(x)) return NaN;
    const r = x - Math.trunc(x);
    const piOverTan = f(Math.PI / Math.tan(Math.PI * r));
    return f(digammaF(f(1 - x)) - piOverTan);
  }
  let result = 0;
  while (x < 10) {
    result = f(result - f(1 / x));
    x = f(x + 1);
  }
  if (x === 10) return f(result + PSI_10);
  let y = 0;
  if (x < 1e17) {
    const z = f(1 / f(x * x));
    let p = DIGAMMA_A[0]!;
    for (let i = 1; i < 7; i++) p = f(f(p * z) + DIGAMMA_A[i]!);
    y = f(z * p);
  }
  return f(f(f(result + f(Math.log(x))) - f(0.5 / x)) - y);
}

/** ψ⁽¹⁾(x) as PyTorch 1.13's float kernel computes it (calc_trigamma(float)): each step rounded to float32. */
export function trigammaF(x0: number): number {
  const f = Math.fround;
  const PI = f(Math.PI);
  let x = f(x0);
  let sign = 1;
  let result = 0;
  if (x < 0.5) {
    sign = -1;
    const s = f(Math.sin(f(PI * x)));
    result = f(result - f(f(PI * PI) / f(s * s)));
    x = f(1 - x);
  }
  for (let i = 0; i < 6; i++) {
    result = f(result + f(1 / f(x * x)));
    x = f(x + 1);
  }
  const ixx = f(1 / f(x * x));
  const inner = f(ixx * f(f(1 / 6) - f(ixx * f(f(1 / 30) - f(ixx * f(1 / 42))))));
  result = f(result + f(f(f(1 + f(1 / f(2 * x))) + inner) / x));
  return f(sign * result);
}
