/**
 * PyTorch's `F.pixel_shuffle(input, upscale_factor)` and `F.pixel_unshuffle(input, downscale_factor)`: rearranging
 * [*, C·r², H, W] into [*, C, H·r, W·r] and back (out[c, h·r + i, w·r + j] = in[c·r² + i·r + j, h, w]), over any
 * number of leading dimensions (an unbatched [C, H, W] too), with PyTorch's checks and messages.
 */
import { record } from '../autograd/record.js';
import { linearTwice } from '../autograd/twice.js';
import { KindlingError } from '../errors.js';
import { describeValue } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { checkTensor, empty } from './util.js';

/** The flat input index each element of the shuffled [*, C, H·r, W·r] reads from [*, C·r², H, W]. */
function shuffleMap(lead: number, C: number, H: number, W: number, r: number): Int32Array {
  const Ho = H * r;
  const Wo = W * r;
  const map = new Int32Array(lead * C * Ho * Wo);
  let o = 0;
  for (let b = 0; b < lead; b++) {
    for (let c = 0; c < C; c++) {
      for (let y = 0; y < Ho; y++) {
        for (let x = 0; x < Wo; x++) {
          const ci = c * r * r + (y % r) * r + (x % r);
          map[o++] = ((b * C * r * r + ci) * H + Math.floor(y / r)) * W + Math.floor(x / r);
        }
      }
    }
  }
  return map;
}

function checkFactor(where: string, torchName: string, kind: string, r: unknown): asserts r is number {
  if (!Number.isInteger(r)) throw new TypeError(`${where}: ${kind} must be an integer, got ${describeValue(r)}`);
  if ((r as number) <= 0) throw new KindlingError(`${where}: ${torchName} expects a positive ${kind === 'upscaleFactor' ? 'upscale_factor' : 'downscale_factor'}, but got ${r as number}`);
}

function gather(where: string, input: Tensor, outShape: number[], map: Int32Array, inverse: boolean, node: string): Tensor {
  const out = empty(outShape);
  const X = input.values();
  const Y = out.data;
  if (inverse) for (let o = 0; o < map.length; o++) Y[map[o]!] = X[o]!;
  else for (let o = 0; o < map.length; o++) Y[o] = X[map[o]!]!;
  // A permutation: the gradient's graph is recorded with its adjoint, the same rearrangement (autograd/twice.ts).
  return linearTwice(record(out, where, [input], (grad) => {
    const gx = empty(input.shape);
    const G = grad.data;
    const GX = gx.data;
    if (inverse) for (let o = 0; o < map.length; o++) GX[o] = G[map[o]!]!;
    else for (let o = 0; o < map.length; o++) GX[map[o]!] = G[o]!;
    return [gx];
  }, [], node), (h) => gather(where, h, outShape, map, inverse, node));
}

/**
 * [*, C·r², H, W] to [*, C, H·r, W·r], as PyTorch's `F.pixel_shuffle` (a sub-pixel convolution's upsampling).
 *
 * @example
 * F.pixelShuffle(x, 2);   // [1, 8, 3, 3] -> [1, 2, 6, 6]
 */
export function pixelShuffle(input: Tensor, upscaleFactor: number): Tensor {
  const where = 'pixelShuffle';
  checkTensor(input, where);
  const n = input.ndim;
  if (n < 3) throw new KindlingError(`${where}: pixel_shuffle expects input to have at least 3 dimensions, but got input with ${n} dimension(s)`);
  checkFactor(where, 'pixel_shuffle', 'upscaleFactor', upscaleFactor);
  const r = upscaleFactor;
  const [Cin, H, W] = input.shape.slice(-3) as [number, number, number];
  if (Cin % (r * r) !== 0) {
    throw new KindlingError(`${where}: pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)=${Cin} is not divisible by ${r * r}`);
  }
  const lead = input.shape.slice(0, -3);
  const C = Cin / (r * r);
  const map = shuffleMap(lead.reduce((a, b) => a * b, 1), C, H, W, r);
  return gather(where, input, [...lead, C, H * r, W * r], map, false, 'PixelShuffleBackward0');
}

/**
 * [*, C, H·r, W·r] to [*, C·r², H, W], as PyTorch's `F.pixel_unshuffle`: the inverse of `pixelShuffle`.
 *
 * @example
 * F.pixelUnshuffle(x, 2);   // [1, 2, 6, 6] -> [1, 8, 3, 3]
 */
export function pixelUnshuffle(input: Tensor, downscaleFactor: number): Tensor {
  const where = 'pixelUnshuffle';
  checkTensor(input, where);
  const n = input.ndim;
  if (n < 3) throw new KindlingError(`${where}: pixel_unshuffle expects input to have at least 3 dimensions, but got input with ${n} dimension(s)`);
  checkFactor(where, 'pixel_unshuffle', 'downscaleFactor', downscaleFactor);
  const r = downscaleFactor;
  const [C, Ho, Wo] = input.shape.slice(-3) as [number, number, number];
  if (Ho % r !== 0) throw new KindlingError(`${where}: pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)=${Ho} is not divisible by ${r}`);
  if (Wo % r !== 0) throw new KindlingError(`${where}: pixel_unshuffle expects width to be divisible by downscale_factor, but input.size(-1)=${Wo} is not divisible by ${r}`);
  const lead = input.shape.slice(0, -3);
  // The shuffle's map read backwards: element o of the input lands at map[o] of the output.
  const map = shuffleMap(lead.reduce((a, b) => a * b, 1), C, Ho / r, Wo / r, r);
  return gather(where, input, [...lead, C * r * r, Ho / r, Wo / r], map, true, 'PixelUnshuffleBackward0');
}
