// The adaptive max poolings of F as PyTorch 1.13's `F.adaptive_max_pool1d/2d/3d(input, output_size,
// return_indices=False)`: the flag by position or by name (`F.adaptiveMaxPool2d(x, 2, { returnIndices: true })`), and
// PyTorch's None for it (null here) meaning false, as its `boolean_dispatch` takes a false-like flag.
import { adaptiveMaxPool2d as adaptiveMaxPool2dOp, type AdaptiveSize2d } from '../ops/adaptive-pool.js';
import { adaptiveMaxPool1d as adaptiveMaxPool1dOp } from '../ops/adaptive-pool1d.js';
import { adaptiveMaxPool3d as adaptiveMaxPool3dOp, type AdaptiveSize } from '../ops/pool3d.js';
import type { Int1 } from '../ops/window1d.js';
import type { PositionalThenOptions } from '../options.js';
import type { Tensor } from '../tensor/tensor.js';
import { functionalArguments } from './functional-positional.js';

/** The flag of a PyTorch `return_indices=…`. */
export interface AdaptiveMaxPoolOptions {
  /** Return [values, indices] (default false; null is PyTorch's None, false). */
  readonly returnIndices?: boolean | null;
}

type Rest = PositionalThenOptions<[returnIndices: boolean | null], AdaptiveMaxPoolOptions>;
type WithIndices = [returnIndices: true] | [options: { readonly returnIndices: true }];
type WithoutIndices = [] | [returnIndices: false | null | undefined] | [options: { readonly returnIndices?: false | null }];

/** `returnIndices` bound from what follows the output size; left out or null is false, and the op checks the rest. */
function returnIndicesOf(where: string, input: Tensor, outputSize: unknown, rest: readonly unknown[]): boolean {
  const o = functionalArguments(where, [input, outputSize, ...rest], 2, ['returnIndices'], ['returnIndices'], `F.${where}(x, 2, true)`);
  return (o['returnIndices'] ?? false) as boolean;
}

/** PyTorch's `F.adaptive_max_pool1d(input, output_size, return_indices=False)`. */
export function adaptiveMaxPool1d(input: Tensor, outputSize: Int1, ...rest: WithIndices): [Tensor, Tensor];
export function adaptiveMaxPool1d(input: Tensor, outputSize: Int1, ...rest: WithoutIndices): Tensor;
export function adaptiveMaxPool1d(input: Tensor, outputSize: Int1, ...rest: Rest): Tensor | [Tensor, Tensor];
export function adaptiveMaxPool1d(input: Tensor, outputSize: Int1, ...rest: unknown[]): Tensor | [Tensor, Tensor] {
  return adaptiveMaxPool1dOp(input, outputSize, returnIndicesOf('adaptiveMaxPool1d', input, outputSize, rest));
}

/** PyTorch's `F.adaptive_max_pool2d(input, output_size, return_indices=False)`. */
export function adaptiveMaxPool2d(input: Tensor, outputSize: AdaptiveSize2d, ...rest: WithIndices): [Tensor, Tensor];
export function adaptiveMaxPool2d(input: Tensor, outputSize: AdaptiveSize2d, ...rest: WithoutIndices): Tensor;
export function adaptiveMaxPool2d(input: Tensor, outputSize: AdaptiveSize2d, ...rest: Rest): Tensor | [Tensor, Tensor];
export function adaptiveMaxPool2d(input: Tensor, outputSize: AdaptiveSize2d, ...rest: unknown[]): Tensor | [Tensor, Tensor] {
  return adaptiveMaxPool2dOp(input, outputSize, returnIndicesOf('adaptiveMaxPool2d', input, outputSize, rest));
}

/** PyTorch's `F.adaptive_max_pool3d(input, output_size, return_indices=False)`. */
export function adaptiveMaxPool3d(input: Tensor, outputSize: AdaptiveSize, ...rest: WithIndices): [Tensor, Tensor];
export function adaptiveMaxPool3d(input: Tensor, outputSize: AdaptiveSize, ...rest: WithoutIndices): Tensor;
export function adaptiveMaxPool3d(input: Tensor, outputSize: AdaptiveSize, ...rest: Rest): Tensor | [Tensor, Tensor];
export function adaptiveMaxPool3d(input: Tensor, outputSize: AdaptiveSize, ...rest: unknown[]): Tensor | [Tensor, Tensor] {
  return adaptiveMaxPool3dOp(input, outputSize, returnIndicesOf('adaptiveMaxPool3d', input, outputSize, rest));
}
