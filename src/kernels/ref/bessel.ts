// The modified Bessel functions I0, I1 and their exponentially scaled forms, as PyTorch 1.13 computes them in float32
// (aten/src/ATen/native/Math.h: Cephes' Chebyshev expansions over [0, 8] and (8, ∞), float32 coefficients — the
// float tables of I1 shorter than the double ones), every step rounded to float32 as its float code rounds it;
// `chbevl`'s x·b1 − b2 fused into one rounding, as GCC contracts it in PyTorch's AVX2 build. e^x and √x are
// correctly rounded (glibc's expf and sqrtf).
import { fmaf } from './fmaf.js';

const f = Math.fround;

export const I0_A = [
  -4.4153416464793393795e-18, 3.33079451882223809783e-17, -2.43127984654795469359e-16, 1.71539128555513303061e-15,
  -1.16853328779934516808e-14, 7.67618549860493561688e-14, -4.8564467831119294609e-13, 2.95505266312963983461e-12,
  -1.72682629144155570723e-11, 9.67580903537323691224e-11, -5.18979560163526290666e-10, 2.65982372468238665035e-9,
  -1.30002500998624804212e-8, 6.04699502254191894932e-8, -2.67079385394061173391e-7, 1.11738753912010371815e-6,
  -4.41673835845875056359e-6, 1.64484480707288970893e-5, -5.75419501008210370398e-5, 1.88502885095841655729e-4,
  -5.76375574538582365885e-4, 1.63947561694133579842e-3, -4.3243099950505759443e-3, 1.05464603945949983183e-2,
  -2.37374148058994688156e-2, 4.93052842396707084878e-2, -9.4901097048047644421e-2, 1.71620901522208775349e-1,
  -3.04682672343198398683e-1, 6.76795274409476084995e-1,
].map(f);
export const I0_B = [
  -7.23318048787475395456e-18, -4.83050448594418207126e-18, 4.46562142029675999901e-17, 3.4612228676974610931e-17,
  -2.82762398051658348494e-16, -3.42548561967721913462e-16, 1.7725601330565263836e-15, 3.81168066935262242075e-15,
  -9.5548466988283076487e-15, -4.15056934728722208663e-14, 1.54008621752140982691e-14, 3.85277838274214270114e-13,
  7.18012445138366623367e-13, -1.79417853150680611778e-12, -1.32158118404477131188e-11, -3.14991652796324136454e-11,
  1.18891471078464383424e-11, 4.9406023882249695891e-10, 3.39623202570838634515e-9, 2.26666899049817806459e-8,
  2.04891858946906374183e-7, 2.89137052083475648297e-6, 6.88975834691682398426e-5, 3.3691164782556940899e-3,
  8.04490411014108831608e-1,
].map(f);
const I1_A = [
  9.38153738649577178388e-9, -4.44505912879632808065e-8, 2.00329475355213526229e-7, -8.56872026469545474066e-7,
  3.47025130813767847674e-6, -1.32731636560394358279e-5, 4.78156510755005422638e-5, -1.61760815825896745588e-4,
  5.12285956168575772895e-4, -1.51357245063125314899e-3, 4.15642294431288815669e-3, -1.05640848946261981558e-2,
  2.47264490306265168283e-2, -5.29459812080949914269e-2, 1.02643658689847095384e-1, -1.76416518357834055153e-1,
  2.52587186443633654823e-1,
].map(f);
const I1_B = [
  -3.83538038596423702205e-9, -2.63146884688951950684e-8, -2.51223623787020892529e-7, -3.88256480887769039346e-6,
  -1.10588938762623716291e-4, -9.76109749136146840777e-3, 7.78576235018280120474e-1,
].map(f);

/** Cephes' chbevl in float32: b0 = x·b1 − b2 + c (x·b1 − b2 fused), then (b0 − b2) / 2. */
export function chbevl(x: number, c: readonly number[]): number {
  let b0 = c[0]!;
  let b1 = 0;
  let b2 = 0;
  for (let i = 1; i < c.length; i++) {
    b2 = b1;
    b1 = b0;
    b0 = f(fmaf(x, b1, -b2) + c[i]!);
  }
  return f(0.5 * f(b0 - b2));
}

const expf = (x: number): number => f(Math.exp(x));
const sqrtf = (x: number): number => f(Math.sqrt(x));

/** e^−|x|·I0(x) (`i0e`), or I0(x) itself (`i0`) when `scaled` is false. */
export function besselI0(v: number, scaled: boolean): number {
  const x = Math.abs(v);
  if (x <= 8) {
    const c = chbevl(f(f(x / 2) - 2), I0_A);
    return scaled ? c : f(expf(x) * c);
  }
  const c = chbevl(f(f(32 / x) - 2), I0_B);
  return scaled ? f(c / sqrtf(x)) : f(f(expf(x) * c) / sqrtf(x));
}

/** e^−|x|·I1(x) (`i1e`), or I1(x) (`i1`); odd in x. */
export function besselI1(v: number, scaled: boolean): number {
  const x = Math.abs(v);
  let out: number;
  if (x <= 8) {
    const c = chbevl(f(f(x / 2) - 2), I1_A);
    out = scaled ? f(c * x) : f(f(expf(x) * x) * c);
  } else {
    const c = chbevl(f(f(32 / x) - 2), I1_B);
    out = scaled ? f(c / sqrtf(x)) : f(f(expf(x) * c) / sqrtf(x));
  }
  return v < 0 ? -out : out;
}
