/**
 * Batch normalisation, PyTorch's `F.batch_norm`: one node in the graph. Over an input [N, C, …] each channel c is
 * normalised with a mean and a variance, weighted and shifted: y = (x − mean_c) / √(var_c + eps) · weight_c + bias_c.
 *
 * - `training`: the batch's statistics (the biased variance, over N and every position), and the running
 *   statistics, when given, move towards them in place: running = (1 − momentum)·running + momentum·batch, with the
 *   batch's UNBIASED variance for `runningVar`. The backward pass goes through the statistics (PyTorch's formula):
 *   dx = (g − mean(g) − x̂·mean(g·x̂)) · w / σ, dw = Σ g·x̂, db = Σ g.
 * - otherwise: the running statistics, constants of the graph: dx = g · w / σ.
 *
 * Statistics, output and gradients are computed in float64 and rounded once to float32 (PyTorch sums in double too,
 * but rounds the mean and the terms of the variance to float32 on the way); each channel's sums go in four float64
 * lanes (kernels/ref/batch-norm.ts), so that the WebAssembly kernels take them two lanes at a time.
 */
import { isGradRecording } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import { batchNormBackward, batchNormForward } from '../kernels/batch-norm.js';
import { scatterStrided } from '../kernels/strided.js';
import { checkOptions, describeValue } from '../options.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { batchNormTwice } from './batch-norm-twice.js';
import { checkTensor, empty } from './util.js';

export interface BatchNormOptions {
  /** One weight per channel (default none: 1). */
  readonly weight?: Tensor | null;
  /** One bias per channel (default none: 0). */
  readonly bias?: Tensor | null;
  /** Use the batch's statistics and update the running ones (default false: use the running ones). */
  readonly training?: boolean;
  /** How far the running statistics move towards the batch's (default 0.1). */
  readonly momentum?: number;
  /** Added to the variance (default 1e-5). */
  readonly eps?: number;
}

export const BATCH_NORM_OPTIONS = ['weight', 'bias', 'training', 'momentum', 'eps'] as const;

/**
 * Writes row-major `values` into `t` whatever its strides. Its version stays, as PyTorch's batch_norm leaves the
 * running statistics' version: a module used twice in one forward pass while training must not make the first
 * use's backward refuse them (a change made by the user, `rm.add_(1)`, moves it and is refused).
 */
function writeInPlace(t: Tensor, values: Float32Array): void {
  if (t.isContiguous()) t.settled().set(values);
  else scatterStrided(values, t.settled(), t.shape, t.strides);
}

/**
 * PyTorch's `F.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)`, the tensors
 * after the first three and the flags as options. `runningMean` and `runningVar` may be null when `training`.
 *
 * @throws RangeError for an input with fewer than 2 dimensions, a weight, bias or running statistic without one value
 *   per channel, one value per channel when training (PyTorch's "Expected more than 1 value per channel when
 *   training"), missing running statistics in evaluation mode, running statistics that are not 1-D or that require
 *   grad while grad mode is on (PyTorch's native_batch_norm is not differentiable with respect to them).
 * @example
 * const y = F.batchNorm(x, runningMean, runningVar, { weight, bias, training: true, momentum: 0.1 });
 */
export function batchNorm(input: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, options: BatchNormOptions = {}): Tensor {
  const where = 'batchNorm';
  checkTensor(input, where);
  const o = checkOptions<BatchNormOptions>(where, options, BATCH_NORM_OPTIONS);
  const weight = o.weight ?? null;
  const bias = o.bias ?? null;
  const training = o.training ?? false;
  if ((o.momentum as unknown) === null) {
    throw new TypeError(`${where}: momentum must be a number, got null (PyTorch's batch_norm refuses None too); the modules' momentum: null, a cumulative average, is 1 / (batches seen so far) at each step`);
  }
  const momentum = o.momentum ?? 0.1;
  const eps = o.eps ?? 1e-5;
  if (typeof training !== 'boolean') throw new TypeError(`${where}: training must be true or false, got ${describeValue(training)}`);
  if (typeof momentum !== 'number' || !Number.isFinite(momentum)) throw new TypeError(`${where}: momentum must be a finite number, got ${describeValue(momentum)}`);
  if (typeof eps !== 'number' || !(eps >= 0) || eps === Infinity) throw new RangeError(`${where}: eps must be a non-negative number, got ${describeValue(eps)}`);
  const stats = [[runningMean, 'runningMean'], [runningVar, 'runningVar'], [weight, 'weight'], [bias, 'bias']] as const;
  for (const [t, what] of stats) {
    if (t !== null && t !== undefined) checkTensor(t, where, what);
    else if (t === undefined) throw new TypeError(`${where}: ${what} must be a Tensor or null, got undefined`);
  }
  if (input.ndim < 2) {
    throw new RangeError(`${where}: input must be [N, C] or [N, C, …] (a batch dimension, then the channels), got ${formatShape(input.shape)}`);
  }
  const [N, C] = input.shape as [number, number];
  for (const [t, what] of stats) {
    if (t !== null && t.numel() !== C) throw new RangeError(`${where}: ${what} should contain ${C} elements not ${t.numel()}`);
  }
  for (const [t, what] of stats.slice(0, 2)) {
    if (t === null) continue;
    // PyTorch reads the running statistics as 1-D (its TensorAccessor refuses [1, C]), in training and evaluation.
    if (t.ndim !== 1) throw new RangeError(`${where}: ${what} must be 1-D, one value per channel (shape [${C}]), got shape ${formatShape(t.shape)}`);
    // native_batch_norm has no derivative for them: PyTorch refuses one that requires grad while grad mode is on.
    if (t.requiresGrad && isGradRecording()) {
      throw new RangeError(`${where}: batch norm is not differentiable with respect to ${what} (PyTorch's 'native_batch_norm' with respect to ${what === 'runningMean' ? 'running_mean' : 'running_var'}), which requires grad; pass it detached (a buffer), or call under noGrad`);
    }
  }
  if (!training && (runningMean === null || runningVar === null)) {
    throw new RangeError(`${where}: ${runningMean === null ? 'runningMean' : 'runningVar'} must be defined in evaluation mode (training false); pass the running statistics, or training: true to use the batch's`);
  }
  let S = 1;
  for (let d = 2; d < input.ndim; d++) S *= input.shape[d]!;
  const n = N * S;
  if (training && n === 1) {
    throw new RangeError(`${where}: Expected more than 1 value per channel when training, got input size ${formatShape(input.shape)}`);
  }

  const X = input.values();
  const w = weight?.values() ?? null;
  const b = bias?.values() ?? null;
  const st = { mean: new Float64Array(C), sq: new Float64Array(C), invstd: new Float64Array(C) };
  if (!training) {
    const rm = runningMean!.values();
    const rv = runningVar!.values();
    for (let c = 0; c < C; c++) {
      st.mean[c] = rm[c]!;
      st.invstd[c] = 1 / Math.sqrt(rv[c]! + eps);
    }
  }
  const out = empty(input.shape);
  // An empty batch: nothing to normalise, the running statistics stay (as PyTorch's).
  if (n > 0) batchNormForward(X, N, C, S, training, eps, w, b, st, out.data);
  if (training && n > 0) {
    const newMean = runningMean?.toArray() ?? null;
    const newVar = runningVar?.toArray() ?? null;
    for (let c = 0; c < C; c++) {
      if (newMean !== null) newMean[c] = momentum * st.mean[c]! + (1 - momentum) * newMean[c]!;
      if (newVar !== null) newVar[c] = momentum * (st.sq[c]! / (n - 1)) + (1 - momentum) * newVar[c]!;
    }
    if (newMean !== null) writeInPlace(runningMean!, newMean);
    if (newVar !== null) writeInPlace(runningVar!, newVar);
  }
  const { mean, invstd } = st;

  const inputs = [input, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
  // PyTorch saves the input, the weight and the running statistics (in training mode as the op itself left them:
  // the gradient does not read them then, but changing them in place before backward() is refused all the same).
  const saved = [input, ...(weight ? [weight] : []), ...(runningMean ? [runningMean] : []), ...(runningVar ? [runningVar] : [])];
  // The gradient's graph (createGraph): the plain gradients, which stay the kernel's, with PyTorch's
  // batchnorm_double_backward over the statistics used here — the batch's in training, the running ones in evaluation.
  const y = record(out, 'batchNorm', inputs, (g) => {
    const G = g.values();
    const gx = input.requiresGrad ? empty(input.shape) : null;
    const gw = weight?.requiresGrad ? empty(weight.shape) : null;
    const gb = bias?.requiresGrad ? empty(bias.shape) : null;
    const sumG = new Float64Array(C);
    const dot = new Float64Array(C);
    if (n > 0) batchNormBackward(G, X, N, C, S, mean, invstd, w, training, sumG, dot, gx?.data ?? null);
    for (let c = 0; c < C; c++) {
      if (gw !== null) gw.data[c] = dot[c]! * invstd[c]!;
      if (gb !== null) gb.data[c] = sumG[c]!;
    }
    return [gx, ...(weight ? [gw] : []), ...(bias ? [gb] : [])];
  }, saved, 'NativeBatchNormBackward0');
  return batchNormTwice(y, input, weight, training, () => st);
}
