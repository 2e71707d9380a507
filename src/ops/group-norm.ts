/**
 * Group normalisation, PyTorch's `F.group_norm`: one node in the graph (NativeGroupNormBackward0). The C channels of
 * an input [N, C, …] fall into `numGroups` groups of C / numGroups consecutive channels; each sample's group is
 * normalised with its own mean and biased variance, then each channel weighted and shifted:
 * y = (x − mean_ng) / √(var_ng + eps) · weight_c + bias_c.
 *
 * The forward pass is PyTorch's CPU kernel's float32 arithmetic (kernels/ref/group-norm.ts: its Welford moments in
 * eight lanes, mean and rstd = 1/√(var + eps) held as float32, y = scale·x + shift per channel with
 * scale = rstd·weight_c and shift = bias_c − scale·mean): PyTorch's values bit for bit. The gradients are PyTorch's
 * formulas summed in float64 over those float32 statistics and rounded once.
 */
import { record } from '../autograd/record.js';
import { groupNormBackward, groupNormForward } from '../kernels/ref/group-norm.js';
import { checkOptions, describeValue, isPlainObject } from '../options.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { groupNormTwice } from './group-norm-twice.js';
import { checkTensor, empty } from './util.js';

export interface GroupNormOptions {
  /** One weight per channel (default none: 1). */
  readonly weight?: Tensor | null;
  /** One bias per channel (default none: 0). */
  readonly bias?: Tensor | null;
  /** Added to the variance (default 1e-5). */
  readonly eps?: number;
}

/**
 * PyTorch's `F.group_norm(input, num_groups, weight=None, bias=None, eps=1e-5)`: weight, bias and eps by position or
 * as one object of options (`F.groupNorm(x, 2, { weight, bias })`).
 *
 * @throws RangeError for an input with fewer than 2 dimensions, channels not divisible by numGroups, a weight or bias
 *   without one value per channel, a single value per group over the whole batch (PyTorch's "Expected more than 1
 *   value per channel when training"), each with PyTorch's message; TypeError for a bad argument.
 * @example
 * const y = F.groupNorm(x, 2, weight, bias);   // x [N, 4, H, W]: channels 0–1 and 2–3 normalised together
 */
export function groupNorm(input: Tensor, numGroups: number, weight?: Tensor | null | GroupNormOptions, bias?: Tensor | null, eps?: number): Tensor {
  const where = 'groupNorm';
  checkTensor(input, where);
  let o: { [K in keyof GroupNormOptions]?: GroupNormOptions[K] | undefined };
  if (isPlainObject(weight)) {
    if (bias !== undefined || eps !== undefined) throw new TypeError(`${where}: pass weight, bias and eps by position (F.groupNorm(x, 2, w, b, 1e-5)) or as one object of options (F.groupNorm(x, 2, { weight: w })), not both`);
    o = checkOptions<GroupNormOptions>(where, weight, ['weight', 'bias', 'eps']);
  } else {
    o = { weight: weight as Tensor | null | undefined, bias, eps };
  }
  const w = o.weight ?? null;
  const b = o.bias ?? null;
  const e = o.eps ?? 1e-5;
  if (w !== null) checkTensor(w, where, 'weight');
  if (b !== null) checkTensor(b, where, 'bias');
  if (typeof e !== 'number' || !(e >= 0) || e === Infinity) throw new RangeError(`${where}: eps must be a non-negative number, got ${describeValue(e)}`);
  if (typeof numGroups !== 'number' || !Number.isInteger(numGroups) || numGroups <= 0) {
    throw new RangeError(`${where}: numGroups must be a positive integer, got ${describeValue(numGroups)}`);
  }
  if (input.ndim < 2) {
    throw new RangeError(`${where}: input must be [N, C] or [N, C, …] (a batch dimension, then the channels), got ${formatShape(input.shape)} (PyTorch: "Dimension out of range")`);
  }
  const [N, C] = input.shape as [number, number];
  if (C % numGroups !== 0) {
    throw new RangeError(`${where}: Expected number of channels in input to be divisible by num_groups, but got input of shape ${formatShape(input.shape)} and num_groups=${numGroups}`);
  }
  for (const [t, what] of [[w, 'weight'], [b, 'bias']] as const) {
    if (t !== null && (t.ndim !== 1 || t.numel() !== C)) {
      throw new RangeError(`${where}: Expected ${what} to be a vector of size equal to the number of channels in input, but got ${what} of shape ${formatShape(t.shape)} and input of shape ${formatShape(input.shape)}`);
    }
  }
  let S = 1;
  for (let d = 2; d < input.ndim; d++) S *= input.shape[d]!;
  // PyTorch's _verify_batch_size over [N·C / G, G, …]: one value per group in the whole batch is refused.
  const verify = [Math.floor((N * C) / numGroups), numGroups, ...input.shape.slice(2)];
  if (verify[0]! * S === 1) throw new RangeError(`${where}: Expected more than 1 value per channel when training, got input size [${verify.join(', ')}]`);
  return groupNormChecked(input, numGroups, w, b, e);
}

/** groupNorm after its arguments are checked (nn.GroupNorm's forward). @internal */
export function groupNormChecked(input: Tensor, G: number, weight: Tensor | null, bias: Tensor | null, eps: number): Tensor {
  const [N, C] = input.shape as [number, number];
  const S = N === 0 || C === 0 ? 0 : input.numel() / (N * C);
  const X = input.values();
  const w = weight?.values() ?? null;
  const mean = new Float32Array(N * G);
  const rstd = new Float32Array(N * G);
  const out = empty(input.shape);
  if (out.data.length > 0) groupNormForward(X, N, C, S, G, w, bias?.values() ?? null, eps, out.data, mean, rstd);
  const inputs = [input, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
  // PyTorch saves the input and the weight (and the statistics it computed).
  const saved = [input, ...(weight ? [weight] : [])];
  // The gradient's graph (createGraph): the plain gradients, which stay the kernel's, differentiated as PyTorch's
  // composition for group norm's gradient.
  return groupNormTwice(record(out, 'groupNorm', inputs, (grad) => {
    const gx = input.requiresGrad ? empty(input.shape) : null;
    const gw = weight?.requiresGrad ? empty([C]) : null;
    const gb = bias?.requiresGrad ? empty([C]) : null;
    if (out.data.length > 0) groupNormBackward(grad.values(), X, N, C, S, G, mean, rstd, w, gx?.data ?? null, gw?.data ?? null, gb?.data ?? null);
    return [gx, ...(weight ? [gw] : []), ...(bias ? [gb] : [])];
  }, saved, 'NativeGroupNormBackward0'), input, weight, bias !== null, G, eps);
}
