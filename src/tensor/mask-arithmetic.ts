// PyTorch's arithmetic on bool tensors, for masks (float32 1/0 marked as bool, mask-mark.ts): of two masks, `add` and
// `maximum` are bool's or, `mul` and `minimum` its and, and the result is bool; subtraction and negation of bools and
// the float-only reductions are refused in PyTorch's words. Other arithmetic gives numbers, as PyTorch's does.
import { isMask, markMask } from './mask-mark.js';
import type { Tensor } from './tensor.js';

/** Of two masks, `out()` (0/1 values) marked as one, as PyTorch's bool result of `add`, `mul`, `maximum`, `minimum`. */
export function ofMasks(x: Tensor, y: unknown, out: () => Tensor): Tensor | null {
  return isMask(x) && isMask(y as Tensor) ? markMask(out()) : null;
}

/**
 * The alpha of `add`/`add_` of two masks as PyTorch's bool addition casts it: 1 (their or) for any non-zero whole
 * number, 0 (the first mask alone) for 0; a fraction refused in PyTorch's words.
 */
export function maskAlpha(alpha: number, op: string): 0 | 1 {
  if (!Number.isInteger(alpha)) throw new TypeError(`${op}: For integral input tensors, argument alpha must not be a floating point number (two masks, as PyTorch's bool tensors; got ${alpha})`);
  return alpha === 0 ? 0 : 1;
}

/**
 * A boolean alpha of `add`/`sub` (PyTorch's `alpha=True`) as 1 or 0 where the result is bool (`x` a mask, `y` a mask
 * or a boolean), as PyTorch takes it; refused otherwise in PyTorch's words. Any other alpha is given back as it is.
 */
export function booleanAlpha<A>(x: Tensor, y: unknown, alpha: A, op: string): A | 0 | 1 {
  const given = typeof alpha === 'object' && alpha !== null ? (alpha as { alpha?: unknown }).alpha : alpha;
  if (typeof given !== 'boolean') return alpha;
  if (isMask(x) && (typeof y === 'boolean' || isMask(y as Tensor))) return given ? 1 : 0;
  throw new TypeError(`${op}: Boolean alpha only supported for Boolean results (alpha ${given}, where PyTorch's bool result needs two masks; a number alpha for numbers)`);
}

/** PyTorch's refusal of a subtraction with a mask (`m1 - m2`, `m - x`, `x - m`, `m - 1`). */
export function refuseMaskSub(x: Tensor, y: unknown, op: string): void {
  const [a, b] = [isMask(x), isMask(y as Tensor)];
  if (a && b) throw new TypeError(`${op}: Subtraction, the \`-\` operator, with two bool tensors is not supported (two masks, as PyTorch's). Use logicalXor() instead`);
  if (a || b) throw new TypeError(`${op}: Subtraction, the \`-\` operator, with a bool tensor is not supported (a mask, as PyTorch's). If you are trying to invert a mask, use logicalNot() instead (or m.float() for its 1s and 0s)`);
}

/** PyTorch's refusal of `-m` for a mask. */
export function refuseMaskNeg(x: Tensor, op: string): void {
  if (isMask(x)) throw new TypeError(`${op}: Negation, the \`-\` operator, on a bool tensor is not supported (a mask, as PyTorch's). If you are trying to invert a mask, use logicalNot() instead`);
}

/** PyTorch's words refusing each float-only op of a bool tensor. */
const FLOAT_ONLY = {
  mean: 'mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Bool',
  var: 'std and var only support floating point and complex dtypes',
  std: 'std and var only support floating point and complex dtypes',
  varMean: 'var_mean only support floating point and complex dtypes',
  stdMean: 'std_mean only support floating point and complex dtypes',
  nanmean: 'nanmean(): expected input to have floating point dtype but got Bool',
  norm: 'norm(): input dtype should be either floating point or complex. Got Bool instead.',
  abs: '"abs_cpu" not implemented for \'Bool\'',
  abs_: '"abs_cpu" not implemented for \'Bool\'',
} as const;

/** PyTorch's refusal of an op of a bool tensor (a mask) that takes floats only: `mean`, `var`, `std`, `norm`, `abs`, …. */
export function refuseMaskReduction(x: Tensor, op: keyof typeof FLOAT_ONLY): void {
  if (!isMask(x)) return;
  throw new TypeError(`${op}: ${FLOAT_ONLY[op]} (a mask; m.float() gives its 1s and 0s)`);
}

/**
 * PyTorch's refusal of a mask (a bool tensor) as the input or target of `bceLoss` (binary_cross_entropy's dtype
 * check) or, `logits`, `bceWithLogitsLoss` (whose formula negates the input and subtracts the target), in its words;
 * `op` is the name the user called (`bceLoss`, `binaryCrossEntropy`, …).
 */
export function refuseMaskBce(input: Tensor, target: Tensor, op: string, logits: boolean): void {
  const [i, t] = [isMask(input), isMask(target)];
  if (!i && !t) return;
  const which = i && t ? 'input and target are masks' : i ? 'the input is a mask' : 'the target is a mask';
  const fix = i && t ? "PyTorch's bool tensors; pass input.float() and target.float()" : `PyTorch's bool tensor; pass ${i ? 'input' : 'target'}.float()`;
  const said = logits
    ? (i ? 'Negation, the `-` operator, on a bool tensor is not supported' : 'Subtraction, the `-` operator, with two bool tensors is not supported')
    : i && t ? '"binary_cross_entropy" not implemented for \'Bool\'' : `Found dtype ${i ? 'Float' : 'Bool'} but expected ${i ? 'Bool' : 'Float'}`;
  throw new TypeError(`${op}: ${said} (${which}, ${fix})`);
}

/** PyTorch's refusal of a mask as `posWeight` of `bceWithLogitsLoss` (its formula subtracts 1 from pos_weight). */
export function refuseMaskPosWeight(posWeight: Tensor | undefined, op: string): void {
  if (posWeight === undefined || !isMask(posWeight)) return;
  throw new TypeError(`${op}: Subtraction, the \`-\` operator, with a bool tensor is not supported (posWeight is a mask, PyTorch's bool tensor; pass posWeight.float())`);
}

/**
 * `add_`, `sub_`, `mul_`, `div_` on a mask, as PyTorch's on a bool tensor: with a mask or a boolean, bool's or (add_)
 * and and (mul_), the result cast back to bool; with numbers or float tensors, refused in PyTorch's words (the result
 * type cannot be written into a bool tensor); subtraction refused as `sub` refuses it. `compute` does the float op.
 */
export function maskInPlace(t: Tensor, other: unknown, op: 'add_' | 'sub_' | 'mul_' | 'div_', compute: () => Tensor): Tensor {
  if (op === 'sub_') refuseMaskSub(t, other, op);
  const bool = typeof other === 'boolean' || isMask(other as Tensor);
  if (op === 'div_' || !bool) {
    const type = op !== 'div_' && typeof other === 'number' && Number.isInteger(other) ? 'Long' : 'Float';
    throw new TypeError(`${op}: result type ${type} can't be cast to the desired output type Bool (a mask, as PyTorch's bool tensor; m.float().${op}(…) for numbers)`);
  }
  const out = compute();
  const d = out.data;
  for (let i = 0; i < d.length; i++) d[i] = d[i] !== 0 ? 1 : 0;
  return markMask(out);
}
