/**
 * Instance normalisation, PyTorch's `F.instance_norm`: each sample's channels normalised on their own, over the
 * positions. As PyTorch's at::instance_norm it is batch normalisation of the input viewed as [1, N·C, …], with the
 * weight, bias and running statistics repeated N times; the running statistics are then the mean over the samples of
 * the updated repeats, and the output is viewed back to the input's shape. So the graph is PyTorch's:
 * ViewBackward0 ← NativeBatchNormBackward0 ← (ViewBackward0 of the input, RepeatBackward0 of the weight and bias).
 */
import { noGrad } from '../autograd/grad-mode.js';
import { checkOptions, describeValue, isPlainObject } from '../options.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { batchNorm } from './batch-norm.js';
import { batchNormTrainingTwice } from './batch-norm-twice.js';
import { checkTensor } from './util.js';

export interface InstanceNormOptions {
  /** One running mean per channel, updated in place when `useInputStats` (default none). */
  readonly runningMean?: Tensor | null;
  /** One running variance per channel, updated in place when `useInputStats` (default none). */
  readonly runningVar?: Tensor | null;
  /** One weight per channel (default none: 1). */
  readonly weight?: Tensor | null;
  /** One bias per channel (default none: 0). */
  readonly bias?: Tensor | null;
  /** Normalise with each instance's statistics (default true); false: with the running ones. */
  readonly useInputStats?: boolean;
  /** How far the running statistics move towards the batch's (default 0.1). */
  readonly momentum?: number;
  /** Added to the variance (default 1e-5). */
  readonly eps?: number;
}

const OPTIONS = ['runningMean', 'runningVar', 'weight', 'bias', 'useInputStats', 'momentum', 'eps'] as const;
const PY_NAMES = { runningMean: 'running_mean', runningVar: 'running_var', weight: 'weight', bias: 'bias' } as const;

/**
 * PyTorch's `F.instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None,
 * use_input_stats=True, momentum=0.1, eps=1e-5)`: `F.instanceNorm(x)`, `F.instanceNorm(x, { weight, bias })` or
 * `F.instanceNorm(x, runningMean, runningVar, { useInputStats: false })`. Input [N, C, …].
 *
 * @throws RangeError (PyTorch's messages) for a single position per instance with useInputStats ("Expected more than
 *   1 spatial element when training"), useInputStats false without running statistics, a weight, bias or running
 *   statistic without one value per channel; TypeError for a bad option (momentum null included, as PyTorch's).
 * @example
 * const y = F.instanceNorm(x, { weight, bias });   // x [N, C, H, W]: each [H, W] plane normalised
 */
export function instanceNorm(input: Tensor, runningMean?: Tensor | null | InstanceNormOptions, runningVar?: Tensor | null, options?: InstanceNormOptions): Tensor {
  const where = 'instanceNorm';
  checkTensor(input, where);
  let o: { [K in keyof InstanceNormOptions]?: InstanceNormOptions[K] | undefined };
  if (isPlainObject(runningMean)) {
    if (runningVar !== undefined || options !== undefined) throw new TypeError(`${where}: pass the running statistics by position (F.instanceNorm(x, rm, rv, { weight })) or in one object of options (F.instanceNorm(x, { runningMean: rm, runningVar: rv })), not both`);
    o = checkOptions<InstanceNormOptions>(where, runningMean, OPTIONS);
  } else {
    const rest = checkOptions<InstanceNormOptions>(where, options, ['weight', 'bias', 'useInputStats', 'momentum', 'eps']);
    o = { ...rest, runningMean: runningMean as Tensor | null | undefined, runningVar };
  }
  const useInputStats = o.useInputStats ?? true;
  if (typeof useInputStats !== 'boolean') throw new TypeError(`${where}: useInputStats must be true or false, got ${describeValue(useInputStats)}`);
  if ((o.momentum as unknown) === null) throw new TypeError(`${where}: momentum must be a number, got null (PyTorch: "instance_norm(): argument 'momentum' (position 7) must be float, not NoneType")`);
  const momentum = o.momentum ?? 0.1;
  if (typeof momentum !== 'number' || !Number.isFinite(momentum)) throw new TypeError(`${where}: momentum must be a finite number, got ${describeValue(momentum)}`);
  const eps = o.eps ?? 1e-5;
  if (typeof eps !== 'number' || !(eps >= 0) || eps === Infinity) throw new RangeError(`${where}: eps must be a non-negative number, got ${describeValue(eps)}`);
  const tensors = { runningMean: o.runningMean ?? null, runningVar: o.runningVar ?? null, weight: o.weight ?? null, bias: o.bias ?? null };
  for (const [k, t] of Object.entries(tensors)) if (t !== null) checkTensor(t, where, k);
  if (input.ndim < 2) {
    throw new RangeError(`${where}: input must be [N, C, …] (a batch dimension, the channels, then the positions), got ${formatShape(input.shape)}`);
  }
  if (useInputStats) {
    const spatial = input.shape.slice(2).reduce((a, b) => a * b, 1);
    if (spatial === 1) throw new RangeError(`${where}: Expected more than 1 spatial element when training, got input size torch.Size([${input.shape.join(', ')}])`);
  }
  if (!useInputStats && (tensors.runningMean === null || tensors.runningVar === null)) {
    throw new RangeError(`${where}: Expected running_mean and running_var to be defined when use_input_stats is false`);
  }
  const [N, C] = input.shape as [number, number];
  for (const [k, t] of Object.entries(tensors)) {
    if (t !== null && t.numel() !== C) {
      throw new RangeError(`${where}: ${PY_NAMES[k as keyof typeof PY_NAMES]} should contain ${N * C} elements not ${t.numel() * N} (one value per channel: ${C}, got ${t.numel()})`);
    }
  }
  const repeat = (t: Tensor | null): Tensor | null => (t === null ? null : t.repeat(N));
  // The running statistics' repeats are copies, as PyTorch's repeat makes (of one sample too): the op updates them, and
  // they are copied back after.
  const copy = (t: Tensor | null): Tensor | null => (t === null ? null : N === 1 ? t.clone() : t.repeat(N));
  const rm = noGrad(() => copy(tensors.runningMean));
  const rv = noGrad(() => copy(tensors.runningVar));
  const shape = [1, N * C, ...input.shape.slice(2)];
  const viewed = input.contiguous().view(shape);
  const weight = repeat(tensors.weight);
  const out = batchNorm(viewed, rm, rv, { weight, bias: repeat(tensors.bias), training: useInputStats, momentum, eps });
  // Its gradient's graph (createGraph): PyTorch's double backward over the plain gradients, which stay the kernel's.
  if (useInputStats) batchNormTrainingTwice(out, viewed, weight, eps);
  noGrad(() => {
    if (tensors.runningMean !== null) tensors.runningMean.copy_(rm!.view(N, C).mean(0).view(tensors.runningMean.shape));
    if (tensors.runningVar !== null) tensors.runningVar.copy_(rv!.view(N, C).mean(0).view(tensors.runningVar.shape));
  });
  return out.view(input.shape);
}
