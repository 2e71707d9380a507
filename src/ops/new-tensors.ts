// newZeros, newOnes, newFull, newEmpty and newTensor, as PyTorch's `Tensor.new_*`: new tensors that take nothing
// from x but its dtype and device (Kindling's are always float32 on the CPU), not part of x's graph.
import { full, tensor, zeros, ones, type SizesAndOptions, type TensorOptions } from '../tensor/creation.js';
import type { NestedArray, Tensor } from '../tensor/tensor.js';

/** Zeros of the sizes given, as PyTorch's `x.new_zeros(2, 3)`. */
export const newZeros = (...args: SizesAndOptions<TensorOptions>): Tensor => zeros(...args);
/** Ones of the sizes given, as PyTorch's `x.new_ones`. */
export const newOnes = (...args: SizesAndOptions<TensorOptions>): Tensor => ones(...args);
/** A tensor of `size` filled with `value` (a number or a 0-d tensor, as `full`), as PyTorch's `x.new_full`. */
export const newFull = (size: readonly number[], value: number | Tensor, options?: TensorOptions): Tensor => full(size, value, options);
/** A tensor of the sizes given, as PyTorch's `x.new_empty` (its values unspecified in PyTorch; zeros here). */
export const newEmpty = (...args: SizesAndOptions<TensorOptions>): Tensor => zeros(...args);
/** A tensor of `data` (copied, not part of any graph), as PyTorch's `x.new_tensor`. */
export const newTensor = (data: NestedArray | ArrayLike<number> | Tensor, options?: TensorOptions): Tensor => tensor(data, options);
