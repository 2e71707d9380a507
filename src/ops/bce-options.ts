/**
 * The options of the binary cross-entropy losses, as PyTorch 1.13's: `weight` for `bceLoss` and
 * `bceWithLogitsLoss`, `posWeight` (PyTorch's `pos_weight`) for `bceWithLogitsLoss`. Both are tensors that
 * broadcast to the input's shape; they have no gradient, so a loss given one that requires grad refuses it
 * (`refuseGradArgument`), as PyTorch does.
 */
import { checkOptions, describeValue } from '../options.js';
import { broadcastShapes, formatShape, sameShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkReduction, type Reduction } from './reduction.js';

/** The options of `bceLoss` / `BCELoss`. */
export interface BceLossOptions {
  reduction?: Reduction;
  /** Rescales each element's loss; broadcast to the input's shape (such as [C] for an input [N, C]; no gradient). */
  weight?: Tensor;
}

/** The options of `bceWithLogitsLoss` / `BCEWithLogitsLoss`. */
export interface BceWithLogitsLossOptions extends BceLossOptions {
  /**
   * Weighs the positive term y·log σ(x): one weight per class, broadcast along the last dimension ([C] for an
   * input [N, C]; any shape that broadcasts to the input's; no gradient).
   */
  posWeight?: Tensor;
}

export const BCE_OPTIONS = ['reduction', 'weight'] as const;
export const BCE_WITH_LOGITS_OPTIONS = ['reduction', 'weight', 'posWeight'] as const;

/** Checked BCE options: `weight` and `posWeight` undefined when not given. */
export interface CheckedBceOptions {
  reduction: Reduction;
  weight: Tensor | undefined;
  posWeight: Tensor | undefined;
}

const WANT = {
  weight: 'a tensor that broadcasts to the input\'s shape',
  posWeight: 'a tensor of one weight per class that broadcasts to the input\'s shape (such as [C] for an input [N, C])',
} as const;

function optionTensor(v: unknown, name: keyof typeof WANT, op: string): Tensor | undefined {
  if (v === undefined) return undefined;
  if (!(v instanceof Tensor)) throw new TypeError(`${op}: ${name} must be ${WANT[name]}, got ${describeValue(v)}`);
  return v;
}

/**
 * BCE options checked (no key outside `accepted`): `reduction` one of 'mean', 'sum', 'none' (default 'mean'),
 * `weight` and `posWeight` tensors (their shapes are checked when the input comes, {@link broadcastWeight}).
 */
export function bceOptions(options: BceWithLogitsLossOptions | undefined, op: string, accepted: readonly (keyof BceWithLogitsLossOptions)[]): CheckedBceOptions {
  const o = checkOptions<BceWithLogitsLossOptions>(op, options, accepted);
  const reduction = checkReduction(o.reduction ?? 'mean', op);
  return { reduction, weight: optionTensor(o.weight, 'weight', op), posWeight: optionTensor(o.posWeight, 'posWeight', op) };
}

/**
 * The values of `w` broadcast to `shape` (row-major, one per element of the input), after checking it broadcasts
 * without growing the shape (PyTorch multiplies the loss by it in place). Throws naming both shapes.
 */
export function broadcastWeight(w: Tensor, shape: readonly number[], name: keyof typeof WANT, op: string): Float32Array {
  let fits = w.ndim <= shape.length;
  if (fits) {
    try {
      fits = sameShape(broadcastShapes(w.shape, shape, op), shape);
    } catch {
      fits = false;
    }
  }
  if (!fits) {
    throw new RangeError(`${op}: ${name} of shape ${formatShape(w.shape)} does not broadcast to the input's shape ${formatShape(shape)}; it must be ${WANT[name]}`);
  }
  return sameShape(w.shape, shape) ? w.values() : w.expand([...shape]).values();
}
