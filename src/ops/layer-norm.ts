import { isGradRecording } from '../autograd/grad-mode.js';
import { gradAdded, leafGradBuffer } from '../autograd/accumulate.js';
import { record } from '../autograd/record.js';
import { layerNormBackward, layerNormForward } from '../kernels/layer-norm.js';
import { transientFloat32 } from '../kernels/transient.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { layerNormTwice } from './layer-norm-twice.js';
import { checkTensor, empty } from './util.js';

/**
 * Layer normalisation over the trailing `normalizedShape` dimensions: (x − mean) / sqrt(var + eps) · weight + bias,
 * with the biased variance, as `torch.nn.functional.layer_norm`.
 */
export function layerNorm(x: Tensor, shape: number | readonly number[], weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5): Tensor {
  checkTensor(x, 'layerNorm');
  const normalizedShape = typeof shape === 'number' ? [shape] : shape;
  if (!Array.isArray(normalizedShape)) throw new TypeError(`layerNorm: normalizedShape must be a number or an array of sizes, got ${typeof shape}`);
  if (weight !== null) checkTensor(weight, 'layerNorm', 'weight');
  if (bias !== null) checkTensor(bias, 'layerNorm', 'bias');
  if (typeof eps !== 'number' || !(eps >= 0)) throw new RangeError(`layerNorm: eps must be a non-negative number, got ${String(eps)}`);
  const k = normalizedShape.length;
  // PyTorch's words for the refusals (its layer_norm's checks), which name the shapes.
  if (k === 0) throw new RangeError('layerNorm: Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, but got normalized_shape = []');
  if (x.ndim < k || !endsWith(x.shape, normalizedShape)) {
    const want = formatShape(normalizedShape);
    throw new RangeError(`layerNorm: Given normalized_shape=${want}, expected input with shape [*, ${want.slice(1, -1)}], but got input of size ${formatShape(x.shape)}`);
  }
  if (weight !== null && !sameShape(weight.shape, normalizedShape)) throw affineShapeError('weight', weight, normalizedShape);
  if (bias !== null && !sameShape(bias.shape, normalizedShape)) throw affineShapeError('bias', bias, normalizedShape);
  let n = 1;
  for (let i = 0; i < k; i++) n *= normalizedShape[i]!;
  const rows = n === 0 ? 0 : x.numel() / n;
  const X = x.values();
  const w = weight?.values() ?? null;
  const b = bias?.values() ?? null;
  const out = empty(x.shape);
  const Y = out.data;
  // Built without spreads or closures: this runs at every step of a network with a LayerNorm.
  const inputs = weight === null ? (bias === null ? [x] : [x, bias]) : bias === null ? [x, weight] : [x, weight, bias];
  // xhat and rstd are kept only for a backward pass (evaluation does without them).
  const keep = isGradRecording() && (x.requiresGrad || weight?.requiresGrad === true || bias?.requiresGrad === true);
  const xhat = keep ? transientFloat32(X.length) : null;
  const rstd = transientFloat32(rows);
  const mean = transientFloat32(rows);
  layerNormForward(X, rows, n, w, b, eps, Y, xhat, mean, rstd);
  if (xhat === null) return out;
  // The gradient's graph (createGraph): the plain gradients, which stay the kernel's, with PyTorch's
  // layer_norm_double_backward over the saved mean and rstd.
  return layerNormTwice(record(out, 'layerNorm', inputs, (g) => {
    const gx = x.requiresGrad ? empty(x.shape) : null;
    // The weight's and bias's gradients go straight into their .grad buffers when both are leaves that have (or get)
    // one in their own layout: the same float32 additions the backward walk would make, without their own arrays.
    const wBuf = weight?.requiresGrad ? leafGradBuffer(weight) : null;
    const bBuf = bias?.requiresGrad ? leafGradBuffer(bias) : null;
    const into = (wBuf !== null || !weight?.requiresGrad) && (bBuf !== null || !bias?.requiresGrad) && (wBuf !== null || bBuf !== null);
    if (into) {
      if (wBuf !== null) addedInto(wBuf);
      if (bBuf !== null) addedInto(bBuf);
      layerNormBackward(g.data, xhat, rstd, rows, n, w, gx?.data ?? null, wBuf?.settled() ?? null, bBuf?.settled() ?? null, true);
      return gradsOf(gx, weight, null, bias, null);
    }
    const gw = weight?.requiresGrad ? empty(weight.shape) : null;
    const gb = bias?.requiresGrad ? empty(bias.shape) : null;
    layerNormBackward(g.data, xhat, rstd, rows, n, w, gx?.data ?? null, gw?.data ?? null, gb?.data ?? null);
    return gradsOf(gx, weight, gw, bias, gb);
  }, inputs, 'NativeLayerNormBackward0'), x, weight, n, mean, rstd); // PyTorch saves the input, the weight and the bias
}

/** Whether `shape` ends in `tail`. */
function endsWith(shape: readonly number[], tail: readonly number[]): boolean {
  const off = shape.length - tail.length;
  for (let i = 0; i < tail.length; i++) if (shape[off + i] !== tail[i]) return false;
  return true;
}

/** PyTorch's refusal of a weight or bias whose shape is not normalized_shape. */
function affineShapeError(what: 'weight' | 'bias', p: Tensor, normalizedShape: readonly number[]): RangeError {
  return new RangeError(`layerNorm: Expected ${what} to be of same shape as normalized_shape, but got ${what} of shape ${formatShape(p.shape)} and normalized_shape = ${formatShape(normalizedShape)}`);
}

/** A gradient buffer the backward kernel adds into: any row of it may now hold non-zeros, and it changed in place. */
function addedInto(buf: Tensor): void {
  buf.rowSupport = null;
  gradAdded(buf);
}

/** The gradients in the order of the recorded inputs [x, weight?, bias?]. */
function gradsOf(gx: Tensor | null, weight: Tensor | null, gw: Tensor | null, bias: Tensor | null, gb: Tensor | null): (Tensor | null)[] {
  if (weight === null) return bias === null ? [gx] : [gx, gb];
  return bias === null ? [gx, gw] : [gx, gw, gb];
}
