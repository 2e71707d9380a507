// The regularized incomplete gamma functions P(a, x) = γ(a, x)/Γ(a) and Q(a, x) = 1 − P(a, x) in float64: the power
// series of P where it converges quickly (x < a + 1), the continued fraction of Q (Lentz's method) elsewhere, each
// giving the other as its complement, with PyTorch's values at the edges (a = 0, x = 0, infinities, negatives: NaN).
import { lgamma } from './gamma.js';

const EPS = 1e-16;
const TINY = 1e-300;
const MAX_ITER = 100000;

/** P(a, x) by its series Σ x^k / (a (a+1) … (a+k)) · x^a e^−x / Γ(a). */
function series(a: number, x: number): number {
  let ap = a;
  let del = 1 / a;
  let sum = del;
  for (let i = 0; i < MAX_ITER; i++) {
    ap += 1;
    del *= x / ap;
    sum += del;
    if (Math.abs(del) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(a * Math.log(x) - x - lgamma(a));
}

/** Q(a, x) by its continued fraction, evaluated with Lentz's method. */
function fraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return Math.exp(a * Math.log(x) - x - lgamma(a)) * h;
}

/** The lower regularized incomplete gamma function P(a, x) (PyTorch's igamma, special.gammainc). */
export function gammainc(a: number, x: number): number {
  if (Number.isNaN(a) || Number.isNaN(x) || x < 0 || a < 0) return NaN;
  if (a === 0) return x > 0 ? 1 : NaN;
  if (x === 0) return 0;
  if (a === Infinity) return x === Infinity ? NaN : 0;
  if (x === Infinity) return 1;
  return x < a + 1 ? series(a, x) : 1 - fraction(a, x);
}

/** The upper regularized incomplete gamma function Q(a, x) = 1 − P(a, x) (igammac, special.gammaincc). */
export function gammaincc(a: number, x: number): number {
  if (Number.isNaN(a) || Number.isNaN(x) || x < 0 || a < 0) return NaN;
  if (a === 0) return x > 0 ? 0 : NaN;
  if (x === 0) return 1;
  if (a === Infinity) return x === Infinity ? NaN : 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - series(a, x) : fraction(a, x);
}
