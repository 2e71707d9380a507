// The torch.* function forms of Tensor methods, as PyTorch 1.13 has them: `torch.exp(x)` is `exp(x)`, `torch.max(x,
// 1)` is `max(x, 1)`, `torch.sum(x, 0, True)` is `sum(x, 0, true)`. Each is the method, called on its first argument
// (the same op, node and gradient); where PyTorch's function takes another form (`torch.max(a, b)`, the elementwise
// maximum; `torch.rsub`), it is spelled out here.
import { addScaled } from '../ops/add-scaled.js';
import { alphaOf, type Alpha } from '../ops/alpha.js';
import type { ReduceOptions, ValuesIndices } from '../ops/reduce.js';
import type { SortOptions } from '../ops/sort.js';
import type { VarianceOptions } from '../ops/variance.js';
import type { ScanOptions } from '../ops/scan.js';
import { describe } from '../ops/util.js';
import { Tensor } from './tensor.js';
import { refuseMaskSub } from './mask-arithmetic.js';
import type { DivOptions } from '../ops/division.js';

/** `x` as the tensor argument `input` of `op` (PyTorch's TypeError when it is not one). */
export function input(op: string, x: unknown): Tensor {
  if (x instanceof Tensor) return x;
  throw new TypeError(`${op}(): argument 'input' (position 1) must be Tensor, not ${describe(x)}`);
}

type Dims = number | readonly number[];
type Other = Tensor | number;

/**
 * The first operand of add, sub, mul, div, trueDivide and their aliases, which PyTorch takes as a number too
 * (`torch.add(2.0, t)`, `torch.div(1, t)`): a number becomes a 0-d tensor (PyTorch's wrapped number, read as float32
 * against a float32 tensor), so the op and its node are the tensor–tensor one (AddBackward0, DivBackward0, …) and the
 * gradient goes to the other operand only.
 */
function leading(op: string, x: unknown): Tensor {
  return typeof x === 'number' ? new Tensor(new Float32Array([x]), []) : input(op, x);
}

export const abs = (x: Tensor): Tensor => input('abs', x).abs();
export const absolute = (x: Tensor): Tensor => input('absolute', x).abs();
export const neg = (x: Tensor): Tensor => input('neg', x).neg();
export const negative = (x: Tensor): Tensor => input('negative', x).neg();
export const exp = (x: Tensor): Tensor => input('exp', x).exp();
export const log = (x: Tensor): Tensor => input('log', x).log();
export const sqrt = (x: Tensor): Tensor => input('sqrt', x).sqrt();
export const square = (x: Tensor): Tensor => input('square', x).square();
export const sign = (x: Tensor): Tensor => input('sign', x).sign();
/** The sign, as `sign` for real tensors (PyTorch's `sgn`, which differs only for complex ones). */
export const sgn = (x: Tensor): Tensor => input('sgn', x).sgn();
export const floor = (x: Tensor): Tensor => input('floor', x).floor();
export const ceil = (x: Tensor): Tensor => input('ceil', x).ceil();
export const round = (x: Tensor, decimals?: number | { decimals?: number }): Tensor => input('round', x).round(decimals);
export const trunc = (x: Tensor): Tensor => input('trunc', x).trunc();
/** `trunc` (PyTorch's alias). */
export const fix = (x: Tensor): Tensor => input('fix', x).trunc();
export const sigmoid = (x: Tensor): Tensor => input('sigmoid', x).sigmoid();
export const tanh = (x: Tensor): Tensor => input('tanh', x).tanh();
export const relu = (x: Tensor): Tensor => input('relu', x).relu();
export const clone = (x: Tensor): Tensor => input('clone', x).clone();
export const detach = (x: Tensor): Tensor => input('detach', x).detach();
export const numel = (x: Tensor): number => input('numel', x).numel();
export const softmax = (x: Tensor, dim: number): Tensor => input('softmax', x).softmax(dim);
export const logSoftmax = (x: Tensor, dim: number): Tensor => input('logSoftmax', x).logSoftmax(dim);

/** input + alpha·other (`add(x, y, 2)` or `add(x, y, { alpha: 2 })`). */
export const add = (x: Other, other: Other, alpha?: Alpha): Tensor => leading('add', x).add(other, alpha);
/** input − alpha·other. */
export const sub = (x: Other, other: Other, alpha?: Alpha): Tensor => leading('sub', x).sub(other, alpha);
export const subtract = (x: Other, other: Other, alpha?: Alpha): Tensor => leading('subtract', x).sub(other, alpha);
/** other − alpha·input (PyTorch's `rsub`: the subtraction the other way round; its node is RsubBackward0). */
export function rsub(x: Tensor, other: Other, alpha: Alpha = 1): Tensor {
  const t = input('rsub', x);
  refuseMaskSub(t, other, 'rsub');
  const a = alpha === 1 ? 1 : alphaOf(alpha, 'rsub');
  return addScaled('rsub', other, t, -a, typeof other === 'number' ? 'RsubBackward1' : 'RsubBackward0', true);
}
export const mul = (x: Other, other: Other): Tensor => leading('mul', x).mul(other);
export const multiply = (x: Other, other: Other): Tensor => leading('multiply', x).mul(other);
/** input / other, rounded if asked (`div(x, y, { roundingMode: 'floor' })`, PyTorch's `rounding_mode`). */
export const div = (x: Other, other: Other, options?: DivOptions): Tensor => leading('div', x).div(other, options);
export const divide = (x: Other, other: Other, options?: DivOptions): Tensor => leading('divide', x).div(other, options);
/** input / other, as `div` (PyTorch's `true_divide`). */
export const trueDivide = (x: Other, other: Other, ...extra: never[]): Tensor => leading('trueDivide', x).trueDivide(other, ...extra);
export const maximum = (x: Tensor, other: Other): Tensor => input('maximum', x).maximum(other);
export const minimum = (x: Tensor, other: Other): Tensor => input('minimum', x).minimum(other);
export const eq = (x: Tensor, other: Other): Tensor => input('eq', x).eq(other);
export const ne = (x: Tensor, other: Other): Tensor => input('ne', x).ne(other);
export const notEqual = (x: Tensor, other: Other): Tensor => input('notEqual', x).ne(other);
export const gt = (x: Tensor, other: Other): Tensor => input('gt', x).gt(other);
export const greater = (x: Tensor, other: Other): Tensor => input('greater', x).gt(other);
export const ge = (x: Tensor, other: Other): Tensor => input('ge', x).ge(other);
export const greaterEqual = (x: Tensor, other: Other): Tensor => input('greaterEqual', x).ge(other);
export const lt = (x: Tensor, other: Other): Tensor => input('lt', x).lt(other);
export const less = (x: Tensor, other: Other): Tensor => input('less', x).lt(other);
export const le = (x: Tensor, other: Other): Tensor => input('le', x).le(other);
export const lessEqual = (x: Tensor, other: Other): Tensor => input('lessEqual', x).le(other);

export const sum = (x: Tensor, dim?: Dims | null | ReduceOptions, keepdim?: boolean): Tensor => input('sum', x).sum(dim, keepdim);
export const mean = (x: Tensor, dim?: Dims | null | ReduceOptions, keepdim?: boolean): Tensor => input('mean', x).mean(dim, keepdim);
export const logsumexp = (x: Tensor, dim: Dims, keepdim?: boolean): Tensor => input('logsumexp', x).logsumexp(dim, keepdim);
type VarDim = number | readonly number[] | null | boolean | VarianceOptions;
export const std = (x: Tensor, dim?: VarDim, unbiased?: boolean | VarianceOptions, keepdim?: boolean): Tensor => input('std', x).std(dim, unbiased, keepdim);
// `var` is a JavaScript keyword: the function is `variance` (and `var` in the `torch`-style namespace import).
export const variance = (x: Tensor, dim?: VarDim, unbiased?: boolean | VarianceOptions, keepdim?: boolean): Tensor => input('var', x).var(dim, unbiased, keepdim);
export const argmax = (x: Tensor, dim?: number | null, keepdim?: boolean): Tensor => input('argmax', x).argmax(dim, keepdim);
export const argmin = (x: Tensor, dim?: number | null, keepdim?: boolean): Tensor => input('argmin', x).argmin(dim, keepdim);
export const all = (x: Tensor, dim?: number, keepdim?: boolean): Tensor => input('all', x).all(dim, keepdim);
export const any = (x: Tensor, dim?: number, keepdim?: boolean): Tensor => input('any', x).any(dim, keepdim);
export const cumsum = (x: Tensor, dim: number, options?: ScanOptions): Tensor => input('cumsum', x).cumsum(dim, options);
export const cumprod = (x: Tensor, dim: number, options?: ScanOptions): Tensor => input('cumprod', x).cumprod(dim, options);
export const sort = (x: Tensor, dim?: number | SortOptions, descending?: boolean): ValuesIndices => input('sort', x).sort(dim, descending);
export const argsort = (x: Tensor, dim?: number | SortOptions, descending?: boolean): Tensor => input('argsort', x).argsort(dim, descending);
export const topk = (x: Tensor, k: number, dim?: number, largest?: boolean, sorted?: boolean): ValuesIndices =>
  input('topk', x).topk(k, dim, largest, sorted);

/**
 * PyTorch's `torch.max`: the largest element (`max(x)`), `{ values, indices }` along a dimension (`max(x, 1)`,
 * `max(x, 1, true)`), or the elementwise maximum of two tensors (`max(a, b)`, as `maximum`).
 */
export function max(x: Tensor): Tensor;
export function max(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function max(x: Tensor, other: Tensor): Tensor;
export function max(x: Tensor, dimOrOther?: number | Tensor, keepdim?: boolean): Tensor | ValuesIndices {
  const t = input('max', x);
  if (dimOrOther instanceof Tensor) return t.maximum(dimOrOther);
  return dimOrOther === undefined ? t.max() : t.max(dimOrOther, keepdim);
}

/** PyTorch's `torch.min`: the smallest element, `{ values, indices }` along a dimension, or the elementwise minimum. */
export function min(x: Tensor): Tensor;
export function min(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function min(x: Tensor, other: Tensor): Tensor;
export function min(x: Tensor, dimOrOther?: number | Tensor, keepdim?: boolean): Tensor | ValuesIndices {
  const t = input('min', x);
  if (dimOrOther instanceof Tensor) return t.minimum(dimOrOther);
  return dimOrOther === undefined ? t.min() : t.min(dimOrOther, keepdim);
}

type Shape = number[] | [readonly number[]];
export const reshape = (x: Tensor, shape: readonly number[]): Tensor => input('reshape', x).reshape(shape);
export const flatten = (x: Tensor, startDim?: number, endDim?: number): Tensor => input('flatten', x).flatten(startDim, endDim);
export const transpose = (x: Tensor, dim0: number, dim1: number): Tensor => input('transpose', x).transpose(dim0, dim1);
export const t = (x: Tensor): Tensor => input('t', x).t();
export const permute = (x: Tensor, ...dims: Shape): Tensor => input('permute', x).permute(...dims);
export const squeeze = (x: Tensor, dim?: number): Tensor => input('squeeze', x).squeeze(dim);
export const unsqueeze = (x: Tensor, dim: number): Tensor => input('unsqueeze', x).unsqueeze(dim);
export const narrow = (x: Tensor, dim: number, start: number | Tensor, length: number): Tensor => input('narrow', x).narrow(dim, start, length);
export const select = (x: Tensor, dim: number, index: number | Tensor): Tensor => input('select', x).select(dim, index);
export const split = (x: Tensor, sizes: number | readonly number[], dim?: number): Tensor[] => input('split', x).split(sizes, dim);
export const chunk = (x: Tensor, chunks: number, dim?: number): Tensor[] => input('chunk', x).chunk(chunks, dim);
export const gather = (x: Tensor, dim: number, index: Tensor): Tensor => input('gather', x).gather(dim, index);
export const indexSelect = (x: Tensor, dim: number, index: Tensor): Tensor => input('indexSelect', x).indexSelect(dim, index);
export const maskedFill = (x: Tensor, mask: Tensor, value: number | Tensor): Tensor => input('maskedFill', x).maskedFill(mask, value);
