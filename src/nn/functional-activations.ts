// The functional forms of SELU, CELU, Hardswish, Hardsigmoid, Mish and Threshold with PyTorch's `inplace` argument:
// `F.selu(x, true)`, `F.celu(x, 0.5, true)`, `F.threshold(x, 0.1, 20, true)`, or their arguments as one object
// (`F.celu(x, { alpha: 0.5, inplace: true })`). With `inplace` the input is changed and returned (ops/inplace.ts),
// its node named as PyTorch's in-place form's (EluBackward1 for selu_, CeluBackward1, ThresholdBackward1; Hardswish,
// Hardsigmoid and Mish keep Backward0, as PyTorch's).
import { celu as celuOp, celuAlpha, hardsigmoid as hardsigmoidOp, hardswish as hardswishOp, mish as mishOp, selu as seluOp, threshold as thresholdOp } from '../ops/activations-extra.js';
import { celuInPlace, seluInPlace } from '../ops/activations-inplace.js';
import { inPlaceOf } from '../ops/inplace.js';
import { checkTensor } from '../ops/util.js';
import { inplaceOption, layerArguments } from '../options.js';
import type { Tensor } from '../tensor/tensor.js';

type Inplace = [inplace?: boolean | { inplace?: boolean }];

function inplaceOnly(where: string, rest: Inplace): boolean {
  return inplaceOption(where, layerArguments(where, rest, ['inplace'], `F.${where}(x, true)`)['inplace']);
}

/** SELU, as PyTorch's `F.selu(input, inplace=False)`. */
export function selu(input: Tensor, ...rest: Inplace): Tensor {
  checkTensor(input, 'selu');
  return inplaceOnly('selu', rest) ? seluInPlace(input) : seluOp(input);
}

/** CELU, as PyTorch's `F.celu(input, alpha=1.0, inplace=False)`: `F.celu(x, 0.5, true)` or `F.celu(x, { alpha: 0.5, inplace: true })`. */
export function celu(input: Tensor, ...rest: [alpha?: number | { alpha?: number; inplace?: boolean }, inplace?: boolean]): Tensor {
  checkTensor(input, 'celu');
  const args = layerArguments('celu', rest, ['alpha', 'inplace'], 'F.celu(x, 0.5, true)');
  const a = celuAlpha('celu', args['alpha']);
  if (!inplaceOption('celu', args['inplace'])) return celuOp(input, a);
  return celuInPlace(input, a);
}

/** Hardswish, as PyTorch's `F.hardswish(input, inplace=False)`. */
export function hardswish(input: Tensor, ...rest: Inplace): Tensor {
  checkTensor(input, 'hardswish');
  return inplaceOnly('hardswish', rest) ? inPlaceOf(input, 'hardswish_', hardswishOp, true) : hardswishOp(input);
}

/** Hardsigmoid, as PyTorch's `F.hardsigmoid(input, inplace=False)`. */
export function hardsigmoid(input: Tensor, ...rest: Inplace): Tensor {
  checkTensor(input, 'hardsigmoid');
  return inplaceOnly('hardsigmoid', rest) ? inPlaceOf(input, 'hardsigmoid_', hardsigmoidOp, true) : hardsigmoidOp(input);
}

/** Mish, as PyTorch's `F.mish(input, inplace=False)`. */
export function mish(input: Tensor, ...rest: Inplace): Tensor {
  checkTensor(input, 'mish');
  return inplaceOnly('mish', rest) ? inPlaceOf(input, 'mish_', mishOp, true) : mishOp(input);
}

/**
 * Threshold, as PyTorch's `F.threshold(input, threshold, value, inplace=False)`: both numbers are required;
 * `F.threshold(x, 0.1, 20, true)` or `F.threshold(x, { threshold: 0.1, value: 20, inplace: true })`.
 */
export function threshold(
  input: Tensor, ...rest: [threshold: number | { threshold: number; value: number; inplace?: boolean }, value?: number, inplace?: boolean]
): Tensor {
  checkTensor(input, 'threshold');
  const args = layerArguments('threshold', rest, ['threshold', 'value', 'inplace'], 'F.threshold(x, 0.1, 20)');
  const [t, v] = thresholdArguments('threshold', args);
  if (!inplaceOption('threshold', args['inplace'])) return thresholdOp(input, t, v);
  return inPlaceOf(input, 'threshold_', (x) => thresholdOp(x, t, v), true, 'ThresholdBackward1');
}

/** Threshold's two required numbers, refused when missing as Python refuses them. */
export function thresholdArguments(where: string, args: Record<string, unknown>): [number, number] {
  for (const name of ['threshold', 'value']) {
    if (args[name] === undefined) throw new TypeError(`${where}: missing the required argument ${name} (PyTorch's Threshold(threshold, value) needs both): new Threshold(0.1, 20)`);
  }
  return [args['threshold'] as number, args['value'] as number];
}
