// torch.var_mean and torch.std_mean, as top-level functions taking var's arguments.
import type { Tensor } from '../tensor/tensor.js';
import type { VarianceOptions } from './variance.js';
import { varianceMeanCall } from './variance.js';

type Dim = number | readonly number[] | null;

/** `[var, mean]` of x, as `torch.var_mean(x, dim?, unbiased?, keepdim?)` or `(x, dim, { correction, keepdim })`. */
export function varMean(x: Tensor, dim?: Dim | boolean | VarianceOptions, unbiased?: boolean | VarianceOptions, keepdim?: boolean): [Tensor, Tensor] {
  return varianceMeanCall(x, false, dim, unbiased, keepdim);
}

/** `[std, mean]` of x, as `torch.std_mean`, with var_mean's arguments. */
export function stdMean(x: Tensor, dim?: Dim | boolean | VarianceOptions, unbiased?: boolean | VarianceOptions, keepdim?: boolean): [Tensor, Tensor] {
  return varianceMeanCall(x, true, dim, unbiased, keepdim);
}
