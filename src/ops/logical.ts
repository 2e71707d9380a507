// logicalAnd, logicalOr, logicalXor and logicalNot as PyTorch 1.13's: each value is true where it is non-zero (NaN
// included), the operands broadcast together. PyTorch gives a bool tensor; Kindling's are float32, so the result
// holds 1 and 0, as its comparisons do, marked as a mask (tensor/mask-mark.ts). No gradient, as PyTorch's (bool results have none).
import { broadcastShapes } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { expanded, operand } from './binary-math.js';
import { checkTensor, empty } from './util.js';
import { markMask } from '../tensor/mask-mark.js';

function logical(name: string, test: (x: boolean, y: boolean) => boolean) {
  return (input: Tensor, other: Tensor): Tensor => {
    const a = operand(name, 'input', input, false);
    const b = operand(name, 'other', other, false);
    const shape = broadcastShapes(a.shape, b.shape, name);
    const av = expanded(a, shape);
    const bv = expanded(b, shape);
    const out = empty(shape);
    const o = out.data;
    for (let i = 0; i < o.length; i++) o[i] = test(av[i] !== 0, bv[i] !== 0) ? 1 : 0;
    return markMask(out);
  };
}

/** 1 where both are non-zero (NaN counts), else 0 (PyTorch's `logical_and`). */
export const logicalAnd = logical('logicalAnd', (x, y) => x && y);
/** 1 where either is non-zero, else 0 (PyTorch's `logical_or`). */
export const logicalOr = logical('logicalOr', (x, y) => x || y);
/** 1 where exactly one is non-zero, else 0 (PyTorch's `logical_xor`). */
export const logicalXor = logical('logicalXor', (x, y) => x !== y);

/** 1 where the value is 0 (±0), else 0 (PyTorch's `logical_not`). */
export function logicalNot(input: Tensor): Tensor {
  checkTensor(input, 'logicalNot');
  const v = input.values();
  const out = empty(input.shape);
  const o = out.data;
  for (let i = 0; i < o.length; i++) o[i] = v[i] === 0 ? 1 : 0;
  return markMask(out);
}
