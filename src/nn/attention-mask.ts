// The masks of nn.MultiheadAttention and the Transformer layers. Kindling's tensors are float32 only, so a mask is
// either a plain tensor, PyTorch's float mask (added to the attention scores), or `{ bool: t }`, PyTorch's boolean
// mask (where t is nonzero, the position is not attended: its score becomes −∞), as comparisons give 1 and 0.
import { KindlingError } from '../errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import { checkTensor } from '../ops/util.js';
import { describeValue, isPlainObject } from '../options.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * An attention mask: a tensor is PyTorch's float mask (its values are added to the scores: 0 keeps a position,
 * −∞ hides it), `{ bool: t }` PyTorch's boolean mask (a nonzero value of t hides the position, as True does).
 *
 * @example
 * mha.forward(x, x, x, { keyPaddingMask: { bool: tokens.eq(0) } });   // padding tokens are not attended
 */
export type AttentionMask = Tensor | { readonly bool: Tensor };

/** A mask read: its tensor and whether it is boolean (nonzero: hidden). @internal */
export interface ReadMask {
  readonly t: Tensor;
  readonly bool: boolean;
}

/** Reads an optional mask option `what` of `where`: undefined or null is none. @internal */
export function readMask(v: unknown, where: string, what: string): ReadMask | null {
  if (v === undefined || v === null) return null;
  if (v instanceof Tensor) return { t: v, bool: false };
  if (isPlainObject(v) && Object.keys(v).length === 1 && 'bool' in v) {
    checkTensor(v['bool'], where, `${what}.bool`);
    return { t: v['bool'], bool: true };
  }
  throw new TypeError(`${where}: ${what} must be a Tensor (a float mask, added to the attention scores) or { bool: Tensor } (a boolean mask: nonzero hides the position), got ${describeValue(v)}`);
}

/** A boolean mask as 1 (hidden) and 0, without a gradient. @internal */
export function asOnes(t: Tensor): Tensor {
  return noGrad(() => t.ne(0));
}

/** PyTorch's conversion of a boolean mask to a float one: 0 where kept, −∞ where hidden. @internal */
export function boolToFloat(ones: Tensor): Tensor {
  return noGrad(() => ones.mul(0).maskedFill(ones, -Infinity));
}

/** `torch.Size([a, b])`, as PyTorch prints a shape in its messages. @internal */
export function torchSize(shape: readonly number[]): string {
  return `torch.Size([${shape.join(', ')}])`;
}

/** `(a, b)`, a Python tuple of sizes. @internal */
export function pyTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** PyTorch's refusal (an AssertionError or RuntimeError there) as a KindlingError. @internal */
export function refuse(where: string, message: string): KindlingError {
  return new KindlingError(`${where}: ${message}`);
}
