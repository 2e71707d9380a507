// The Bessel functions of the first and second kind J0, J1, Y0, Y1 and the spherical j0, as PyTorch 1.13 computes
// them in float32 (aten/src/ATen/native/Math.h, Cephes' rational approximations: one for x ≤ 5, Hankel's asymptotic
// form beyond), with float32 coefficients and every step rounded to float32 as its float code rounds it. Each
// polynomial step p·z + c is one fused multiply-add, and so is the one product of a sum that GCC contracts in
// PyTorch's AVX2 build (found by comparing every choice with PyTorch's values). sin, cos, log and √ are correctly rounded (glibc's float versions).
import { fmaf } from './fmaf.js';

const f = Math.fround;
const table = (c: readonly number[]): number[] => c.map(f);

/** c0·zⁿ + … + cn by Horner's rule, each step one fused multiply-add, from 0 as PyTorch's loops start. */
export function horner(c: readonly number[], z: number): number {
  let r = 0;
  for (const k of c) r = fmaf(r, z, k);
  return r;
}

// The asymptotic form's P and Q for order 0 (J0, Y0) and order 1 (J1, Y1).
const P0 = table([7.96936729297347051624e-4, 8.28352392107440799803e-2, 1.23953371646414299388, 5.4472500305876877509, 8.74716500199817011941, 5.30324038235394892183, 9.99999999999999997821e-1]);
const PQ0 = table([9.24408810558863637013e-4, 8.56288474354474431428e-2, 1.25352743901058953537, 5.47097740330417105182, 8.76190883237069594232, 5.30605288235394617618, 1.00000000000000000218]);
const Q0 = table([-1.13663838898469149931e-2, -1.28252718670509318512, -1.95539544257735972385e1, -9.32060152123768231369e1, -1.77681167980488050595e2, -1.47077505154951170175e2, -5.1410532676659933022e1, -6.05014350600728481186]);
const QQ0 = table([6.43178256118178023184e1, 8.56430025976980587198e2, 3.88240183605401609683e3, 7.24046774195652478189e3, 5.93072701187316984827e3, 2.06209331660327847417e3, 2.42005740240291393179e2]);
const P1 = table([7.62125616208173112003e-4, 7.31397056940917570436e-2, 1.12719608129684925192, 5.11207951146807644818, 8.42404590141772420927, 5.21451598682361504063, 1.00000000000000000254]);
const PQ1 = table([5.71323128072548699714e-4, 6.88455908754495404082e-2, 1.10514232634061696926, 5.07386386128601488557, 8.39985554327604159757, 5.20982848682361821619, 9.99999999999999997461e-1]);
const Q1 = table([5.10862594750176621635e-2, 4.9821387295123344942, 7.58238284132545283818e1, 3.667796093601507778e2, 7.10856304998926107277e2, 5.97489612400613639965e2, 2.11688757100572135698e2, 2.52070205858023719784e1]);
const QQ1 = table([7.42373277035675149943e1, 1.05644886038262816351e3, 4.98641058337653607651e3, 9.56231892404756170795e3, 7.9970416044735068365e3, 2.826192785176390966e3, 3.36093607810698293419e2]);
// J0, J1 below 5 (with their first two zeros squared) and Y0, Y1 below 5.
const RP0 = table([-4.79443220978201773821e9, 1.95617491946556577543e12, -2.49248344360967716204e14, 9.70862251047306323952e15]);
const RQ0 = table([4.99563147152651017219e2, 1.73785401676374683123e5, 4.84409658339962045305e7, 1.11855537045356834862e10, 2.11277520115489217587e12, 3.10518229857422583814e14, 3.18121955943204943306e16, 1.71086294081043136091e18]);
const RP1 = table([-8.99971225705559398224e8, 4.52228297998194034323e11, -7.27494245221818276015e13, 3.68295732863852883286e15]);
const RQ1 = table([6.20836478118054335476e2, 2.56987256757748830383e5, 8.35146791431949253037e7, 2.21511595479792499675e10, 4.74914122079991414898e12, 7.84369607876235854894e14, 8.95222336184627338078e16, 5.32278620332680085395e18]);
const YP0 = table([1.55924367855235737965e4, -1.46639295903971606143e7, 5.43526477051876500413e9, -9.82136065717911466409e11, 8.75906394395366999549e13, -3.46628303384729719441e15, 4.42733268572569800351e16, -1.84950800436986690637e16]);
const YQ0 = table([1.04128353664259848412e3, 6.26107330137134956842e5, 2.68919633393814121987e8, 8.64002487103935000337e10, 2.02979612750105546709e13, 3.17157752842975028269e15, 2.50596256172653059228e17]);
const YP1 = table([1.2632047479017802644e9, -6.47355876379160291031e11, 1.14509511541823727583e14, -8.12770255501325109621e15, 2.02439475713594898196e17, -7.78877196265950026825e17]);
const YQ1 = table([5.94301592346128195359e2, 2.35564092943068577943e5, 7.3481194445972170566e7, 1.87601316108706159478e10, 3.88231277496238566008e12, 6.20557727146953693363e14, 6.87141087355300489866e16, 3.97270608116560655612e18]);

const J0_Z1 = f(5.78318596294678452118);
const J0_Z2 = f(3.04712623436620863991e1);
const J1_Z1 = f(1.46819706421238932572e1);
const J1_Z2 = f(4.92184563216946036703e1);
const PIO4 = f(0.785398163397448309615660845819875721);
const THPIO4 = f(2.356194490192344928846982537459627163);
const SQ2OPI = f(0.797884560802865355879892119868763737);
const TWOOPI = f(0.636619772367581343075535053490057448);

const sinf = (x: number): number => f(Math.sin(x));
const cosf = (x: number): number => f(Math.cos(x));
const logf = (x: number): number => f(Math.log(x));
const sqrtf = (x: number): number => f(Math.sqrt(x));

/**
 * Hankel's form beyond 5: √(2/(πx))·(P·trig(x − shift) ∓ (5/x)·Q·trig'(x − shift)), P and Q rational in z. The
 * first product fused with the sum (J: P·cos − …·sin; Y: P·sin + …·cos).
 */
function asymptotic(x: number, z: number, order: 0 | 1, kind: 'j' | 'y'): number {
  const [pp, pq, qp, qq] = order === 0 ? [P0, PQ0, Q0, QQ0] : [P1, PQ1, Q1, QQ1];
  const p = f(horner(pp, z) / horner(pq, z));
  const q = f(f(5 / x) * f(horner(qp, z) / horner(qq, z)));
  const s = f(x - (order === 0 ? PIO4 : THPIO4));
  const sum = kind === 'j' ? fmaf(p, cosf(s), -f(q * sinf(s))) : fmaf(p, sinf(s), f(q * cosf(s)));
  return f(f(sum * SQ2OPI) / sqrtf(x));
}

/** z for order 0 (25/x²) and order 1 ((5/x)²), as PyTorch writes them. */
const z0 = (x: number): number => f(25 / f(x * x));
const z1 = (x: number): number => {
  const d = f(5 / x);
  return f(d * d);
};

/** J0(x), even. */
export function besselJ0(v: number): number {
  const x = Math.abs(v);
  if (x <= 5) {
    if (x < f(0.00001)) return f(1 - f(f(x * x) / 4));
    const xx = f(x * x);
    return f(f(f(f(xx - J0_Z1) * f(xx - J0_Z2)) * horner(RP0, xx)) / horner(RQ0, xx));
  }
  return asymptotic(x, z0(x), 0, 'j');
}

/** J1(x), odd. */
export function besselJ1(x: number): number {
  if (x < 0) return -besselJ1(-x);
  if (x <= 5) {
    const xx = f(x * x);
    return f(f(f(f(horner(RP1, xx) / horner(RQ1, xx)) * x) * f(xx - J1_Z1)) * f(xx - J1_Z2));
  }
  return asymptotic(x, z1(x), 1, 'j');
}

/** Y0(x): −∞ at 0, NaN below. */
export function besselY0(x: number): number {
  if (x <= 5) {
    if (x === 0) return -Infinity;
    if (x < 0) return NaN;
    const xx = f(x * x);
    return fmaf(f(TWOOPI * logf(x)), besselJ0(x), f(horner(YP0, xx) / horner(YQ0, xx)));
  }
  return asymptotic(x, z0(x), 0, 'y');
}

/** Y1(x): −∞ at 0, NaN below. */
export function besselY1(x: number): number {
  if (x <= 5) {
    if (x === 0) return -Infinity;
    if (x < 0) return NaN;
    const xx = f(x * x);
    const log = fmaf(besselJ1(x), logf(x), -f(1 / x));
    return fmaf(TWOOPI, log, f(x * f(horner(YP1, xx) / horner(YQ1, xx))));
  }
  return asymptotic(x, z1(x), 1, 'y');
}

// sin(x)/x's Taylor series below 0.5: 1 − x²/3! + x⁴/5! − … − x¹⁰/11! + x¹²/13!, the coefficients float32 quotients.
const SPHERICAL = table([1 / f(6227020800), -1 / f(39916800), 1 / f(362880), -1 / f(5040), 1 / f(120), -1 / f(6), 1]);

/** The spherical Bessel function j0(x) = sin(x)/x: 0 at ±∞, the series below 0.5. */
export function sphericalBesselJ0(x: number): number {
  if (x === Infinity || x === -Infinity) return 0;
  if (Math.abs(x) < 0.5) {
    const xx = f(x * x);
    let r = SPHERICAL[0]!;
    for (let i = 1; i < SPHERICAL.length; i++) r = fmaf(xx, r, SPHERICAL[i]!);
    return r;
  }
  return f(sinf(x) / x);
}
