// The orthogonal polynomials of PyTorch 1.13's torch.special — Chebyshev T, U, V, W (and shifted to [0, 1]), Hermite
// H and He, Laguerre L, Legendre P — of x at degree n (a tensor or a number; broadcast with x; truncated to an
// integer; 0 below 0), computed as PyTorch's float32 kernels compute them: the three-term recurrence, every step
// rounded to float32 (a·b − c as one fused multiply-add, as the compiled kernels contract it), or for high degrees inside (−1, 1) the trigonometric form, with PyTorch's special cases at the
// ends of the interval. PyTorch gives them no gradient: the result does not require grad.
import { broadcastShapes } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { fmaf } from '../kernels/ref/fmaf.js';
import { expanded, operand } from './binary-math.js';

const f = Math.fround;

type Poly = (x: number, n: number) => number;

/** The recurrence r = (2x)·q − p (or `t`·q − p), from p = 1 and q = `q1`, up to degree n ≥ 2. */
function threeTerm(t: number, q1: number, n: number): number {
  let p = 1;
  let q = q1;
  let r = 0;
  for (let k = 2; k <= n; k++) {
    r = fmaf(t, q, -p);
    p = q;
    q = r;
  }
  return r;
}

const odd = (n: number): boolean => n % 2 !== 0;

/** Degree 0 is 1, degree 1 is `q1`, higher degrees by the recurrence with 2y. */
const recurrence = (y: number, q1: number, n: number): number => (n === 0 ? 1 : n === 1 ? q1 : threeTerm(f(y + y), q1, n));

/** U_n(y) for |y| < 1 by sin((n + 1)t) / sin t, t = acos y (the limit form where sin t is 0). */
function uTrig(y: number, n: number): number {
  const t = f(Math.acos(y));
  const s = f(Math.sin(t));
  if (s !== 0) return f(f(Math.sin(f((n + 1) * t))) / s);
  return f(f(f((n + 1) * f(Math.cos(f((n + 1) * t))))) / y);
}

/** V_n(y) for |y| < 1 by cos((n + ½)t) / cos(t/2); null where sin(t/2) is 1 (the caller's special value). */
function vTrig(y: number, n: number): number | null {
  const t = f(Math.acos(y));
  return f(Math.sin(f(t / 2))) !== 1 ? f(f(Math.cos(f(f(n + 0.5) * t))) / f(Math.cos(f(t / 2)))) : null;
}

/** W_n(y) for |y| < 1 by sin((n + ½)t) / sin(t/2); null where cos(t/2) is 1. */
function wTrig(y: number, n: number): number | null {
  const t = f(Math.acos(y));
  return f(Math.cos(f(t / 2))) !== 1 ? f(f(Math.sin(f(f(n + 0.5) * t))) / f(Math.sin(f(t / 2)))) : null;
}

const signed = (n: number, v: number): number => (!odd(n) ? v : -v);

const chebyshevT: Poly = (x, n) => {
  if (n < 0) return 0;
  if (Math.abs(x) === 1) return x > 0 || !odd(n) ? 1 : -1;
  if (n > 6 && Math.abs(x) < 1) return f(Math.cos(f(n * f(Math.acos(x)))));
  return recurrence(x, x, n);
};

const chebyshevU: Poly = (x, n) => {
  if (n < 0) return 0;
  if (Math.abs(x) === 1) return x > 0 ? n + 1 : signed(n, n + 1);
  if (n > 8 && Math.abs(x) < 1) return uTrig(x, n);
  return recurrence(x, f(x + x), n);
};

const chebyshevV: Poly = (x, n) => {
  if (n < 0) return 0;
  if (Math.abs(x) === 1) return x > 0 ? 1 : signed(n, n + n + 1);
  if (n > 8 && Math.abs(x) < 1) return vTrig(x, n) ?? signed(n, n + n + 1);
  return recurrence(x, f(f(x + x) - 1), n);
};

const chebyshevW: Poly = (x, n) => {
  if (n < 0) return 0;
  if (Math.abs(x) === 1) return x > 0 ? n + n + 1 : signed(n, 1);
  if (n > 8 && Math.abs(x) < 1) return wTrig(x, n) ?? (x > 0 ? n + n + 1 : signed(n, 1));
  return recurrence(x, f(f(x + x) + 1), n);
};

/** The shifted polynomials are the ones above at y = 2x − 1, with PyTorch's own special cases at x = 0 and 1. */
const shifted = (x: number): number => f(f(x + x) - 1);

const shiftedT: Poly = (x, n) => {
  if (n < 0) return 0;
  if (x === 1) return 1;
  if (x === 0) return signed(n, 1);
  const y = shifted(x);
  if (n > 6 && Math.abs(y) < 1) return f(Math.cos(f(n * f(Math.acos(y)))));
  return recurrence(y, y, n);
};

const shiftedU: Poly = (x, n) => {
  if (n < 0) return 0;
  if (x === 1) return n + 1;
  if (x === 0) return signed(n, n + 1);
  const y = shifted(x);
  if (n > 6 && Math.abs(y) < 1) return uTrig(y, n);
  return recurrence(y, f(y + y), n);
};

const shiftedV: Poly = (x, n) => {
  if (n < 0) return 0;
  if (x === 1) return 1;
  if (x === 0) return signed(n, n + n + 1);
  const y = shifted(x);
  if (n > 6 && Math.abs(y) < 1) return vTrig(y, n) ?? signed(n, n + n + 1);
  return recurrence(y, f(f(y + y) - 1), n);
};

const shiftedW: Poly = (x, n) => {
  if (n < 0) return 0;
  if (x === 1) return n + n + 1;
  if (x === 0) return signed(n, 1);
  const y = shifted(x);
  if (n > 4 && Math.abs(y) < 1) return wTrig(y, n) ?? signed(n, 1);
  return recurrence(y, f(f(y + y) + 1), n);
};

const hermiteH: Poly = (x, n) => {
  if (n < 0) return 0;
  if (n === 0) return 1;
  const x2 = f(x + x);
  if (n === 1) return x2;
  let p = 1;
  let q = x2;
  let r = 0;
  for (let k = 2; k < n + n; k += 2) {
    r = fmaf(x2, q, -f(k * p));
    p = q;
    q = r;
  }
  return r;
};

const hermiteHe: Poly = (x, n) => {
  if (n < 0) return 0;
  if (n === 0) return 1;
  if (n === 1) return x;
  let p = 1;
  let q = x;
  let r = 0;
  for (let k = 1; k < n; k++) {
    r = fmaf(x, q, -f(k * p));
    p = q;
    q = r;
  }
  return r;
};

const laguerreL: Poly = (x, n) => {
  if (n < 0) return 0;
  if (Math.abs(x) === 0) return 1;
  if (n === 0) return 1;
  const a = f(1 - x);
  if (n === 1) return a;
  let p = 1;
  let q = a;
  let r = 0;
  for (let k = 1; k < n; k++) {
    r = f(fmaf(f(k + k + a), q, -f(k * p)) / (k + 1));
    p = q;
    q = r;
  }
  return r;
};

const legendreP: Poly = (x, n) => {
  if (n < 0) return 0;
  if (Math.abs(x) === 1) return x > 0 || !odd(n) ? 1 : -1;
  if (n === 0) return 1;
  if (n === 1) return x;
  let p = 1;
  let q = x;
  let r = 0;
  for (let k = 1; k < n; k++) {
    r = f(fmaf(f((k + k + 1) * x), q, -f(k * p)) / (k + 1));
    p = q;
    q = r;
  }
  return r;
};

/** PyTorch's static_cast<int64_t>(n): toward zero (NaN and the infinities, undefined in C++, give 0 here). */
const degree = (n: number): number => (Number.isFinite(n) ? Math.trunc(n) : 0);

function polynomial(name: string, fn: Poly, input: Tensor | number, n: Tensor | number): Tensor {
  const x = operand(name, 'input', input, true);
  const d = operand(name, 'n', n, true);
  const shape = broadcastShapes(x.shape, d.shape, name);
  const xv = expanded(x, shape);
  const nv = expanded(d, shape);
  const out = new Float32Array(xv.length);
  for (let i = 0; i < out.length; i++) out[i] = fn(xv[i]!, degree(nv[i]!));
  return new Tensor(out, shape);
}

type Degree = Tensor | number;

/** The Chebyshev polynomial of the first kind T_n(x) (`special.chebyshev_polynomial_t`). */
export const chebyshevPolynomialT = (input: Degree, n: Degree): Tensor => polynomial('chebyshevPolynomialT', chebyshevT, input, n);
/** The Chebyshev polynomial of the second kind U_n(x) (`special.chebyshev_polynomial_u`). */
export const chebyshevPolynomialU = (input: Degree, n: Degree): Tensor => polynomial('chebyshevPolynomialU', chebyshevU, input, n);
/** The Chebyshev polynomial of the third kind V_n(x) (`special.chebyshev_polynomial_v`). */
export const chebyshevPolynomialV = (input: Degree, n: Degree): Tensor => polynomial('chebyshevPolynomialV', chebyshevV, input, n);
/** The Chebyshev polynomial of the fourth kind W_n(x) (`special.chebyshev_polynomial_w`). */
export const chebyshevPolynomialW = (input: Degree, n: Degree): Tensor => polynomial('chebyshevPolynomialW', chebyshevW, input, n);
/** T_n(2x − 1) (`special.shifted_chebyshev_polynomial_t`). */
export const shiftedChebyshevPolynomialT = (input: Degree, n: Degree): Tensor => polynomial('shiftedChebyshevPolynomialT', shiftedT, input, n);
/** U_n(2x − 1) (`special.shifted_chebyshev_polynomial_u`). */
export const shiftedChebyshevPolynomialU = (input: Degree, n: Degree): Tensor => polynomial('shiftedChebyshevPolynomialU', shiftedU, input, n);
/** V_n(2x − 1) (`special.shifted_chebyshev_polynomial_v`). */
export const shiftedChebyshevPolynomialV = (input: Degree, n: Degree): Tensor => polynomial('shiftedChebyshevPolynomialV', shiftedV, input, n);
/** W_n(2x − 1) (`special.shifted_chebyshev_polynomial_w`). */
export const shiftedChebyshevPolynomialW = (input: Degree, n: Degree): Tensor => polynomial('shiftedChebyshevPolynomialW', shiftedW, input, n);
/** The physicists' Hermite polynomial H_n(x) (`special.hermite_polynomial_h`). */
export const hermitePolynomialH = (input: Degree, n: Degree): Tensor => polynomial('hermitePolynomialH', hermiteH, input, n);
/** The probabilists' Hermite polynomial He_n(x) (`special.hermite_polynomial_he`). */
export const hermitePolynomialHe = (input: Degree, n: Degree): Tensor => polynomial('hermitePolynomialHe', hermiteHe, input, n);
/** The Laguerre polynomial L_n(x) (`special.laguerre_polynomial_l`). */
export const laguerrePolynomialL = (input: Degree, n: Degree): Tensor => polynomial('laguerrePolynomialL', laguerreL, input, n);
/** The Legendre polynomial P_n(x) (`special.legendre_polynomial_p`). */
export const legendrePolynomialP = (input: Degree, n: Degree): Tensor => polynomial('legendrePolynomialP', legendreP, input, n);
