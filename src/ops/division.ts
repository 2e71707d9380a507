// Division with PyTorch 1.13's `rounding_mode`: `x.div(y)` as it was, `x.div(y, { roundingMode: 'trunc' })` the
// quotient rounded toward zero, 'floor' toward −∞ (PyTorch's div_floor_floating, as `floorDivide`); a rounded
// quotient has zero gradients, as PyTorch's.
import { checkOptions, describeValue } from '../options.js';
import type { Tensor } from '../tensor/tensor.js';
import { div } from './binary.js';
import { divRounded } from './binary-math.js';

export interface DivOptions {
  /** null (or left out): the true quotient; 'trunc': rounded toward zero; 'floor': rounded toward −∞. */
  roundingMode?: 'trunc' | 'floor' | null;
}

/** input / other, rounded as `options.roundingMode` asks. */
export function divide(input: Tensor, other: Tensor | number, options?: DivOptions): Tensor {
  const mode = options === undefined ? undefined : checkOptions('div', options, ['roundingMode']).roundingMode;
  if (mode === undefined || mode === null) return div(input, other);
  if (mode !== 'trunc' && mode !== 'floor') {
    throw new RangeError(`div expected rounding_mode to be one of None, 'trunc', or 'floor' but found ${typeof mode === 'string' ? `'${mode}'` : describeValue(mode)}`);
  }
  return divRounded(input, other, mode);
}
