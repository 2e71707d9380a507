// The core of nn.init (init.ts): PyTorch's gain and fan formulas, and the fills, without the public functions'
// checks or their count of in-place changes, so that nn.Linear's own initialisation shares them.
import { isEngineGrad } from '../autograd/accumulate.js';
import { scatterStrided } from '../kernels/strided.js';
import { drawOrder, normalValues, uniformValues } from '../ops/draw-order.js';
import { checkTensor } from '../ops/util.js';
import { warnOnce } from '../warn.js';
import { describeValue } from '../options.js';
import type { Generator } from '../random.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/** The names `calculateGain` knows, as PyTorch spells them. */
export type Nonlinearity =
  | 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'conv_transpose1d' | 'conv_transpose2d' | 'conv_transpose3d'
  | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';

const LINEAR_FNS = ['linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d'];
const NONLINEARITIES: readonly string[] = [...LINEAR_FNS, 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'selu'];

/**
 * The recommended gain for a nonlinearity, as PyTorch's `calculate_gain`: 1 for linear, the convolutions and
 * sigmoid, 5/3 for tanh, √2 for relu, √(2 / (1 + slope²)) for leaky_relu (slope `param`, default 0.01), 3/4 for selu.
 *
 * @throws RangeError for a name PyTorch does not know; TypeError for a leaky_relu slope that is not a number.
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number | null): number {
  if (typeof nonlinearity !== 'string' || !NONLINEARITIES.includes(nonlinearity)) {
    throw new RangeError(`calculateGain: unsupported nonlinearity ${typeof nonlinearity === 'string' ? JSON.stringify(nonlinearity) : describeValue(nonlinearity)}; the nonlinearities are ${NONLINEARITIES.join(', ')}`);
  }
  if (LINEAR_FNS.includes(nonlinearity) || nonlinearity === 'sigmoid') return 1;
  if (nonlinearity === 'tanh') return 5.0 / 3;
  if (nonlinearity === 'relu') return Math.sqrt(2.0);
  if (nonlinearity === 'selu') return 3.0 / 4;
  let slope = 0.01;
  if (param !== undefined && param !== null) {
    if (typeof param !== 'number') throw new TypeError(`calculateGain: the negative slope of leaky_relu must be a number, got ${describeValue(param)}`);
    slope = param;
  }
  // slope * slope, not slope ** 2: both are the correctly rounded square, which Python's ** gives.
  return Math.sqrt(2.0 / (1 + slope * slope));
}

/**
 * [fanIn, fanOut] of a weight, as PyTorch's `_calculate_fan_in_and_fan_out`: for [out, in] (a Linear weight) in and
 * out; for [out, in, k1, k2, …] (a convolution's) each times the receptive field size k1·k2·….
 *
 * @throws RangeError for a tensor of fewer than 2 dimensions.
 */
export function calculateFanInAndFanOut(t: Tensor, where = 'calculateFanInAndFanOut'): [number, number] {
  checkTensor(t, where, 'the tensor');
  if (t.ndim < 2) throw new RangeError(`${where}: fan in and fan out cannot be computed for a tensor with fewer than 2 dimensions, got shape ${formatShape(t.shape)}`);
  let receptive = 1;
  for (let i = 2; i < t.ndim; i++) receptive *= t.shape[i]!;
  return [t.shape[1]! * receptive, t.shape[0]! * receptive];
}

// ---- the fills (no checks, no version count): shared with nn.Linear's own initialisation ----

/** t's storage to write into: without handing it out, unless the engine keeps row lists for it (a gradient buffer). */
function storageOf(t: Tensor): Float32Array {
  return isEngineGrad(t) ? t.data : t.settled();
}

/** Writes row-major `values` into t through its strides. */
export function writeValues(t: Tensor, values: Float32Array): void {
  const dest = storageOf(t);
  if (t.isContiguous()) dest.set(values);
  else scatterStrided(values, dest, t.shape, t.strides);
}

/**
 * Fills t with U(lo, hi) as PyTorch's `uniform_` fills it, one generator draw per value: in row-major order on a
 * tensor PyTorch holds contiguous (writing directly through the strides of a 2-D one, a `Linear` weight stored
 * transposed), in PyTorch's memory order on a view (a transpose, a column slice; see `drawOrder`).
 * @internal
 */
export function fillUniform(t: Tensor, lo: number, hi: number, gen: Generator): void {
  if (t.numel() === 0) return;
  const order = drawOrder(t);
  if (order === null && t.isContiguous()) {
    const w = storageOf(t);
    const n = t.numel();
    for (let i = 0; i < n; i++) w[i] = gen.uniform(lo, hi);
  } else if (order === null && t.ndim === 2) {
    const w = storageOf(t);
    const [rows, cols] = t.shape as [number, number];
    const [s0, s1] = t.strides as [number, number];
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) w[i * s0 + j * s1] = gen.uniform(lo, hi);
    }
  } else {
    writeValues(t, uniformValues(t.numel(), order, lo, hi, gen));
  }
}

/**
 * Fills t with N(mean, std²) as PyTorch's `normal_` fills it: its float32 kernel on a tensor PyTorch holds
 * contiguous, one float64 Box–Muller value at a time in PyTorch's memory order on a view it does not.
 * @internal
 */
export function fillNormal(t: Tensor, mean: number, std: number, gen: Generator): void {
  if (t.numel() === 0) return;
  const order = drawOrder(t);
  if (order === null && t.isContiguous()) {
    gen.normalFill(storageOf(t).subarray(0, t.numel()), mean, std);
    return;
  }
  writeValues(t, normalValues(t.numel(), order, mean, std, gen));
}

/**
 * PyTorch's UserWarning when kaiming_uniform_ or kaiming_normal_ (a layer's default initialisation, which is
 * kaiming_uniform_'s) meets a tensor with no elements: once per process for each of the two, as Python shows it.
 * @internal
 */
export function warnZeroElements(place: 'kaimingUniform_' | 'kaimingNormal_'): void {
  warnOnce('Initializing zero-element tensors is a no-op', place);
}

/** The bound of kaiming_uniform_: √3 · gain / √fan, in PyTorch's order of operations. @internal */
export function kaimingBound(fan: number, a: number, nonlinearity: Nonlinearity): number {
  const std = calculateGain(nonlinearity, a) / Math.sqrt(fan);
  return Math.sqrt(3.0) * std;
}

/**
 * PyTorch's default initialisation of a `Linear` or convolution weight and its bias, drawn in PyTorch's order from
 * the generator: kaiming_uniform_(a=√5) for the weight (= U(−1/√fanIn, 1/√fanIn)), then U(−1/√fanIn, 1/√fanIn)
 * for the bias. nn.init's fills, without its checks or a count of in-place changes (a new weight's version stays 0).
 * @internal
 */
export function resetWeightAndBias(weight: Tensor, bias: Tensor | null, generator: Generator, where: string): void {
  const [fanIn] = calculateFanInAndFanOut(weight, where);
  if (weight.numel() === 0) warnZeroElements('kaimingUniform_');
  const bound = kaimingBound(fanIn, Math.sqrt(5), 'leaky_relu');
  fillUniform(weight, -bound, bound, generator);
  if (bias) {
    const bb = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    fillUniform(bias, -bb, bb, generator);
  }
}
