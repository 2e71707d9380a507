// The Bessel and Airy functions PyTorch 1.13 added to torch.special — airy_ai, bessel_j0/j1/y0/y1,
// modified_bessel_i0/i1/k0/k1, scaled_modified_bessel_k0/k1, spherical_bessel_j0 — elementwise on a tensor, with
// PyTorch's float32 algorithms (src/kernels/ref/bessel-jy.ts, bessel-ik.ts, airy.ts). PyTorch gives them no
// gradient: the result does not require grad.
import { airyAi as airy } from '../kernels/ref/airy.js';
import { modifiedBesselI0 as i0, modifiedBesselI1 as i1, modifiedBesselK0 as k0, modifiedBesselK1 as k1 } from '../kernels/ref/bessel-ik.js';
import { besselJ0 as j0, besselJ1 as j1, besselY0 as y0, besselY1 as y1, sphericalBesselJ0 as sj0 } from '../kernels/ref/bessel-jy.js';
import { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './util.js';

/** fn of every value of x, a new tensor of x's shape that does not require grad. */
function map(name: string, fn: (v: number) => number, x: Tensor): Tensor {
  checkTensor(x, `special.${name}`);
  const xv = x.values();
  const out = new Float32Array(xv.length);
  for (let i = 0; i < xv.length; i++) out[i] = fn(xv[i]!);
  return new Tensor(out, x.shape);
}

/** The Airy function Ai(x) (`special.airy_ai`). */
export const airyAi = (x: Tensor): Tensor => map('airyAi', airy, x);
/** The Bessel function of the first kind of order 0, J0(x) (`special.bessel_j0`). */
export const besselJ0 = (x: Tensor): Tensor => map('besselJ0', j0, x);
/** J1(x) (`special.bessel_j1`). */
export const besselJ1 = (x: Tensor): Tensor => map('besselJ1', j1, x);
/** The Bessel function of the second kind of order 0, Y0(x): −∞ at 0, NaN below (`special.bessel_y0`). */
export const besselY0 = (x: Tensor): Tensor => map('besselY0', y0, x);
/** Y1(x) (`special.bessel_y1`). */
export const besselY1 = (x: Tensor): Tensor => map('besselY1', y1, x);
/** The modified Bessel function of the first kind I0(x) (`special.modified_bessel_i0`). */
export const modifiedBesselI0 = (x: Tensor): Tensor => map('modifiedBesselI0', i0, x);
/** I1(x) (`special.modified_bessel_i1`). */
export const modifiedBesselI1 = (x: Tensor): Tensor => map('modifiedBesselI1', i1, x);
/** The modified Bessel function of the second kind K0(x): ∞ at 0, NaN below (`special.modified_bessel_k0`). */
export const modifiedBesselK0 = (x: Tensor): Tensor => map('modifiedBesselK0', (v) => k0(v, false), x);
/** K1(x) (`special.modified_bessel_k1`). */
export const modifiedBesselK1 = (x: Tensor): Tensor => map('modifiedBesselK1', (v) => k1(v, false), x);
/** e^x·K0(x) (`special.scaled_modified_bessel_k0`). */
export const scaledModifiedBesselK0 = (x: Tensor): Tensor => map('scaledModifiedBesselK0', (v) => k0(v, true), x);
/** e^x·K1(x) (`special.scaled_modified_bessel_k1`). */
export const scaledModifiedBesselK1 = (x: Tensor): Tensor => map('scaledModifiedBesselK1', (v) => k1(v, true), x);
/** The spherical Bessel function of the first kind j0(x) = sin(x)/x (`special.spherical_bessel_j0`). */
export const sphericalBesselJ0 = (x: Tensor): Tensor => map('sphericalBesselJ0', sj0, x);
