// The functional forms of Hardtanh, ReLU6, Hardshrink and Softshrink with PyTorch 1.13's signatures:
// `F.hardtanh(input, min_val=-1., max_val=1., inplace=False)`, `F.relu6(input, inplace=False)`,
// `F.hardshrink(input, lambd=0.5)` and `F.softshrink(input, lambd=0.5)`, by position or with the arguments as one
// object (`F.hardtanh(x, { minVal: 0, maxVal: 6, inplace: true })`); more arguments are refused, as Python refuses
// them. With `inplace` the input is changed and returned (ops/inplace.ts), its node HardtanhBackward0 as PyTorch's.
import { hardshrink as hardshrinkOp, hardtanh as hardtanhOp, relu6 as relu6Op, softshrink as softshrinkOp } from '../ops/activations-clip.js';
import { inPlaceOf } from '../ops/inplace.js';
import { checkTensor } from '../ops/util.js';
import { inplaceOption, layerArguments } from '../options.js';
import type { Tensor } from '../tensor/tensor.js';

/** Hardtanh's arguments after the input, as PyTorch's. */
export interface HardtanhFunctionOptions {
  minVal?: number;
  maxVal?: number;
  inplace?: boolean;
}

/**
 * Hardtanh, x clamped to [minVal, maxVal], as PyTorch's `F.hardtanh(input, min_val=-1., max_val=1., inplace=False)`:
 * `F.hardtanh(x, 0, 6)`, `F.hardtanh(x, -2, 2, true)` or `F.hardtanh(x, { minVal: 0, maxVal: 6, inplace: true })`.
 */
export function hardtanh(
  input: Tensor, ...rest: [minVal?: number | HardtanhFunctionOptions, maxVal?: number | HardtanhFunctionOptions, inplace?: boolean | HardtanhFunctionOptions, options?: HardtanhFunctionOptions]
): Tensor {
  checkTensor(input, 'hardtanh');
  const args = layerArguments('hardtanh', rest, ['minVal', 'maxVal', 'inplace'], 'F.hardtanh(x, -1, 1, true)');
  // Only a value left out takes the default: null goes to the op, which refuses it as PyTorch refuses None.
  const lo = (args['minVal'] === undefined ? -1 : args['minVal']) as number;
  const hi = (args['maxVal'] === undefined ? 1 : args['maxVal']) as number;
  const fn = (x: Tensor): Tensor => hardtanhOp(x, lo, hi);
  return inplaceOption('hardtanh', args['inplace']) ? inPlaceOf(input, 'hardtanh_', fn, true) : fn(input);
}

/** ReLU6, min(max(x, 0), 6), as PyTorch's `F.relu6(input, inplace=False)`: `F.relu6(x, true)` or `F.relu6(x, { inplace: true })`. */
export function relu6(input: Tensor, ...rest: [inplace?: boolean | { inplace?: boolean }]): Tensor {
  checkTensor(input, 'relu6');
  const args = layerArguments('relu6', rest, ['inplace'], 'F.relu6(x, true)');
  return inplaceOption('relu6', args['inplace']) ? inPlaceOf(input, 'hardtanh_', relu6Op, true) : relu6Op(input);
}

/** Hardshrink, 0 on [−λ, λ] and x elsewhere, as PyTorch's `F.hardshrink(input, lambd=0.5)`: `F.hardshrink(x, 0.3)` or `F.hardshrink(x, { lambd: 0.3 })`. */
export function hardshrink(input: Tensor, ...rest: [lambd?: number | { lambd?: number }]): Tensor {
  checkTensor(input, 'hardshrink');
  const args = layerArguments('hardshrink', rest, ['lambd'], 'F.hardshrink(x, 0.5)');
  return hardshrinkOp(input, args['lambd'] as number | undefined);
}

/** Softshrink, x ∓ λ outside [−λ, λ] and 0 inside, as PyTorch's `F.softshrink(input, lambd=0.5)`: `F.softshrink(x, 0.3)` or `F.softshrink(x, { lambd: 0.3 })`. */
export function softshrink(input: Tensor, ...rest: [lambd?: number | { lambd?: number }]): Tensor {
  checkTensor(input, 'softshrink');
  const args = layerArguments('softshrink', rest, ['lambd'], 'F.softshrink(x, 0.5)');
  return softshrinkOp(input, args['lambd'] as number | undefined);
}
