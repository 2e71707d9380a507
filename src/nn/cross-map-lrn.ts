// PyTorch's nn.CrossMapLRN2d: the legacy (Lua Torch) local response normalisation across channels of 4-D inputs,
// ported operation for operation from PyTorch 1.13's torch/nn/modules/_functions.py — its running window over the
// channels included, which (unlike LocalResponseNorm's) never drops channel 0 once the window has passed it — in
// float32, with its own backward (CrossMapLRN2dBackward).
import { record } from '../autograd/record.js';
import { KindlingError } from '../errors.js';
import { checkLrnArguments } from '../ops/local-response-norm.js';
import { checkTensor } from '../ops/util.js';
import { checkArgumentCount } from '../options.js';
import { formatPyFloat } from '../tensor/format.js';
import { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

const f = Math.fround;

/** y = x · (k + alpha/size · S)^−beta, S the legacy running sum of squares over the channel window (see the module). */
export function crossMapLrn2d(input: Tensor, size: number, alpha = 1e-4, beta = 0.75, k = 1): Tensor {
  checkTensor(input, 'CrossMapLRN2d');
  checkLrnArguments(size, alpha, beta, k, 'CrossMapLRN2d');
  if (input.ndim !== 4) throw new KindlingError(`CrossMapLRN2d: expected a 4-D input [N, C, H, W], got shape [${input.shape.join(', ')}]`);
  const [batch, channels, h, w] = input.shape as [number, number, number, number];
  const plane = h * w;
  const x = input.values();
  const scale = new Float32Array(x.length);
  const out = new Float32Array(x.length);
  const sq = Float32Array.from(x, (v) => v * v);
  const prePad = Math.trunc((size - 1) / 2 + 1);
  const crop = Math.min(prePad, channels);
  for (let n = 0; n < batch; n++) {
    const at = (c: number): number => (n * channels + c) * plane;
    for (let c = 0; c < crop; c++) for (let i = 0; i < plane; i++) scale[at(0) + i] = f(scale[at(0) + i]! + sq[at(c) + i]!);
    for (let c = 1; c < channels; c++) {
      for (let i = 0; i < plane; i++) {
        let s = scale[at(c - 1) + i]!;
        if (c < channels - prePad + 1) s = f(s + sq[at(c + prePad - 1) + i]!);
        if (c > prePad) s = f(s - sq[at(c - prePad) + i]!);
        scale[at(c) + i] = s;
      }
    }
  }
  const a = f(alpha / size);
  const kk = f(k);
  const e = f(-beta);
  for (let i = 0; i < x.length; i++) {
    scale[i] = f(f(scale[i]! * a) + kk);
    out[i] = f(f(Math.pow(scale[i]!, e)) * x[i]!);
  }
  const result = new Tensor(out, input.shape);
  return record(result, 'crossMapLrn2d', [input], (g) => [new Tensor(backward(g.values(), x, out, scale, [batch, channels, plane], size, alpha, beta, e), input.shape)], [input], 'CrossMapLRN2dBackward');
}

/** PyTorch's backward, op for op: the scale's power times g, less the padded running sum of g·y/scale times x. */
function backward(g: Float32Array, x: Float32Array, y: Float32Array, scale: Float32Array, [batch, channels, plane]: readonly [number, number, number], size: number, alpha: number, beta: number, e: number): Float32Array {
  const grad = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) grad[i] = f(f(Math.pow(scale[i]!, e)) * g[i]!);
  const ratioValue = f(-(2 * alpha * beta / size));
  const inversePrePad = Math.trunc(size - (size - 1) / 2);
  if (inversePrePad > size - 1) {
    // PyTorch's padded buffer is then too short for the channels it copies in: its backward fails, and so does this.
    throw new KindlingError(`CrossMapLRN2d: the backward pass of a window of size ${size} fails, as PyTorch's does: start (${inversePrePad}) + length (${channels}) exceeds dimension size (${channels + size - 1}).`);
  }
  const padded = new Float32Array((channels + size - 1) * plane);
  const accum = new Float32Array(plane);
  for (let n = 0; n < batch; n++) {
    padded.fill(0);
    for (let c = 0; c < channels; c++) {
      for (let i = 0; i < plane; i++) {
        const at = (n * channels + c) * plane + i;
        padded[(inversePrePad + c) * plane + i] = f(f(g[at]! * y[at]!) / scale[at]!);
      }
    }
    accum.fill(0);
    for (let r = 0; r < size - 1; r++) for (let i = 0; i < plane; i++) accum[i] = f(accum[i]! + padded[r * plane + i]!);
    for (let c = 0; c < channels; c++) {
      for (let i = 0; i < plane; i++) {
        accum[i] = f(accum[i]! + padded[(c + size - 1) * plane + i]!);
        const at = (n * channels + c) * plane + i;
        grad[at] = f(grad[at]! + f(f(ratioValue * x[at]!) * accum[i]!));
        accum[i] = f(accum[i]! - padded[c * plane + i]!);
      }
    }
  }
  return grad;
}

/**
 * The legacy cross-channel local response normalisation of 4-D inputs, as PyTorch's `nn.CrossMapLRN2d(size,
 * alpha=1e-4, beta=0.75, k=1)` (prefer `nn.LocalResponseNorm`, which PyTorch also recommends: this one's window never
 * lets go of the first channel, a quirk of the original kept here bit for bit).
 */
export class CrossMapLRN2d extends Module {
  readonly size: number;
  readonly alpha: number;
  readonly beta: number;
  readonly k: number;
  /** Whether k was given: PyTorch's default is the int 1 (`k=1`), a k given prints as the float it is typed (`k=1.0`). */
  readonly #kGiven: boolean;

  constructor(size: number, alpha = 1e-4, beta = 0.75, k = 1) {
    super();
    checkArgumentCount('CrossMapLRN2d', arguments, 4, 'new CrossMapLRN2d(5, 1e-4, 0.75, 1)');
    checkLrnArguments(size, alpha, beta, k, 'CrossMapLRN2d');
    this.size = size;
    this.alpha = alpha;
    this.beta = beta;
    this.k = k;
    this.#kGiven = arguments[3] !== undefined;
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('CrossMapLRN2d.forward', arguments, 1, 'forward(input)');
    return crossMapLrn2d(input, this.size, this.alpha, this.beta, this.k);
  }

  protected override extraRepr(): string {
    return `${this.size}, alpha=${formatPyFloat(this.alpha)}, beta=${formatPyFloat(this.beta)}, k=${this.#kGiven ? formatPyFloat(this.k) : '1'}`;
  }
}
