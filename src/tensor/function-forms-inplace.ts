// The torch.* function forms PyTorch 1.13 has for in-place methods (`torch.exp_(x)` is `x.exp_()`, returning x),
// the arc* aliases (`torch.arccos`), and a few more torch functions that are Tensor methods (`renorm`, `msort`,
// `matrix_exp`, `pinverse`, `is_nonzero`, …). Each calls the method on its first argument: the same op, node and
// gradient.
import type { Indices, IndexPutOptions } from '../ops/advanced-index.js';
import type { AddProductOptions } from '../ops/products.js';
import type { ClampBound, ClampOptions } from '../ops/clamp-bounds.js';
import type { LogitOptions, NanToNumOptions } from '../ops/unary-math.js';
import { describe } from '../ops/util.js';
import { formatShape, sameShape } from './shape.js';
import { input } from './function-forms.js';
import { Tensor } from './tensor.js';

/** `torch.name(x, ...args)` as `x.method(...args)`, with PyTorch's TypeError when x is not a tensor. */
function form<A extends unknown[]>(name: string, call: (x: Tensor, ...args: A) => Tensor): (x: Tensor, ...args: A) => Tensor {
  return (x, ...args) => call(input(name, x), ...args);
}

export const abs_ = form('abs_', (x) => x.abs_());
export const absolute_ = form('absolute_', (x) => x.abs_());
export const neg_ = form('neg_', (x) => x.neg_());
export const negative_ = form('negative_', (x) => x.neg_());
export const exp_ = form('exp_', (x) => x.exp_());
export const exp2_ = form('exp2_', (x) => x.exp2_());
export const expm1_ = form('expm1_', (x) => x.expm1_());
export const log_ = form('log_', (x) => x.log_());
export const log2_ = form('log2_', (x) => x.log2_());
export const log10_ = form('log10_', (x) => x.log10_());
export const log1p_ = form('log1p_', (x) => x.log1p_());
export const sqrt_ = form('sqrt_', (x) => x.sqrt_());
export const rsqrt_ = form('rsqrt_', (x) => x.rsqrt_());
export const square_ = form('square_', (x) => x.square_());
export const reciprocal_ = form('reciprocal_', (x) => x.reciprocal_());
export const sigmoid_ = form('sigmoid_', (x) => x.sigmoid_());
export const tanh_ = form('tanh_', (x) => x.tanh_());
export const relu_ = form('relu_', (x) => x.relu_());
export const sin_ = form('sin_', (x) => x.sin_());
export const cos_ = form('cos_', (x) => x.cos_());
export const tan_ = form('tan_', (x) => x.tan_());
export const asin_ = form('asin_', (x) => x.asin_());
export const acos_ = form('acos_', (x) => x.acos_());
export const atan_ = form('atan_', (x) => x.atan_());
export const sinh_ = form('sinh_', (x) => x.sinh_());
export const cosh_ = form('cosh_', (x) => x.cosh_());
export const asinh_ = form('asinh_', (x) => x.asinh_());
export const acosh_ = form('acosh_', (x) => x.acosh_());
export const atanh_ = form('atanh_', (x) => x.atanh_());
export const arcsin_ = form('arcsin_', (x) => x.asin_());
export const arccos_ = form('arccos_', (x) => x.acos_());
export const arctan_ = form('arctan_', (x) => x.atan_());
export const arcsinh_ = form('arcsinh_', (x) => x.asinh_());
export const arccosh_ = form('arccosh_', (x) => x.acosh_());
export const arctanh_ = form('arctanh_', (x) => x.atanh_());
export const ceil_ = form('ceil_', (x) => x.ceil_());
export const floor_ = form('floor_', (x) => x.floor_());
export const round_ = form('round_', (x, decimals?: number | { decimals?: number }) => x.round_(decimals));
export const trunc_ = form('trunc_', (x) => x.trunc_());
export const fix_ = form('fix_', (x) => x.trunc_());
export const frac_ = form('frac_', (x) => x.frac_());
export const erf_ = form('erf_', (x) => x.erf_());
export const erfc_ = form('erfc_', (x) => x.erfc_());
export const sinc_ = form('sinc_', (x) => x.sinc_());
export const deg2rad_ = form('deg2rad_', (x) => x.deg2rad_());
export const rad2deg_ = form('rad2deg_', (x) => x.rad2deg_());
export const i0_ = form('i0_', (x) => x.i0_());
export const logit_ = form('logit_', (x, eps?: number | null | LogitOptions) => x.logit_(eps));
export const nanToNum_ = form('nanToNum_', (x, nan?: number | NanToNumOptions, posinf?: number | null, neginf?: number | null) => x.nanToNum_(nan, posinf, neginf));
export const clamp_ = form('clamp_', (x, min: ClampBound | ClampOptions, max?: ClampBound | ClampOptions) => x.clamp_(min, max));
export const clip_ = form('clip_', (x, min: ClampBound | ClampOptions, max?: ClampBound | ClampOptions) => x.clip_(min, max));
export const clampMin_ = form('clampMin_', (x, min: Tensor | number) => x.clampMin_(min));
export const clampMax_ = form('clampMax_', (x, max: Tensor | number) => x.clampMax_(max));
export const xlogy_ = form('xlogy_', (x, other: Tensor | number) => x.xlogy_(other));
export const ldexp_ = form('ldexp_', (x, other: Tensor) => x.ldexp_(other));
export const fill_ = form('fill_', (x, value: number | boolean | Tensor) => x.fill_(value));
export const detach_ = form('detach_', (x) => x.detach_());
export const zero_ = form('zero_', (x) => x.zero_());
export const addmv_ = form('addmv_', (x, mat: Tensor, vec: Tensor, options?: AddProductOptions) => x.addmv_(mat, vec, options));
export const indexPut = form('indexPut', (x, indices: Indices, values: Tensor | number, options?: IndexPutOptions | boolean) => x.indexPut(indices, values, options));
export const indexPut_ = form('indexPut_', (x, indices: Indices, values: Tensor | number, options?: IndexPutOptions | boolean) => x.indexPut_(indices, values, options));

// Aliases PyTorch has at the top level only under these names.
export const arcsin = form('arcsin', (x) => x.asin());
export const arccos = form('arccos', (x) => x.acos());
export const arctan = form('arctan', (x) => x.atan());
export const arcsinh = form('arcsinh', (x) => x.asinh());
export const arccosh = form('arccosh', (x) => x.acosh());
export const arctanh = form('arctanh', (x) => x.atanh());
export const arctan2 = form('arctan2', (x, other: Tensor) => x.atan2(other));

export const renorm = form('renorm', (x, p: number, dim: number, maxnorm: number) => x.renorm(p, dim, maxnorm));
export const msort = form('msort', (x) => x.msort());
export const positive = form('positive', (x) => x.positive());
export const matrixExp = form('matrixExp', (x) => x.matrixExp());
export const matrixPower = form('matrixPower', (x, n: number) => x.matrixPower(n));
export const pinverse = form('pinverse', (x, rcond?: number) => x.pinverse(rcond));

/** True for a Kindling tensor (PyTorch's `torch.is_tensor`). */
export function isTensor(obj: unknown): obj is Tensor {
  return obj instanceof Tensor;
}

/** True: Kindling's tensors are float32 (PyTorch's `torch.is_floating_point`). */
export function isFloatingPoint(x: Tensor): boolean {
  return input('isFloatingPoint', x).isFloatingPoint();
}

/** False: Kindling has no complex tensors (PyTorch's `torch.is_complex`). */
export function isComplex(x: Tensor): boolean {
  input('isComplex', x);
  return false;
}

/** Whether the one value of a one-element tensor is non-zero (PyTorch's `torch.is_nonzero`; NaN counts as non-zero). */
export function isNonzero(x: Tensor): boolean {
  const t = input('isNonzero', x);
  const n = t.numel();
  if (n !== 1) throw new RangeError(`isNonzero: Boolean value of Tensor with ${n === 0 ? 'no values' : 'more than one value'} is ambiguous (shape ${formatShape(t.shape)}, PyTorch says the same)`);
  return t.item() !== 0;
}

/** Whether the two tensors have the same shape (PyTorch's `torch.is_same_size`). */
export function isSameSize(x: Tensor, other: Tensor): boolean {
  const a = input('isSameSize', x);
  if (!(other instanceof Tensor)) throw new TypeError(`isSameSize(): argument 'other' (position 2) must be Tensor, not ${describe(other)}`);
  return sameShape(a.shape, other.shape);
}
