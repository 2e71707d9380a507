/**
 * What the 1-, 2- and 3-D convolutions share: a call's sizes seen as a 3-D one (a 2-D convolution is one plane deep,
 * a 1-D one a row high), the patch table the kernels (kernels/conv.ts) read, and the one graph node they record.
 */
import { record } from '../autograd/record.js';
import { convBackward, convForward, type ConvPlan } from '../kernels/conv.js';
import { describeValue } from '../options.js';
import type { Tensor } from '../tensor/tensor.js';
import { empty } from './util.js';
import { pair } from './window.js';
import { single } from './window1d.js';

/** Depth, height and width (or their strides, dilations, paddings). */
export type Triple = readonly [number, number, number];

/** PyTorch's `int or tuple of three ints`. */
export type Int3 = number | readonly [number, number, number];

/** `v` as a (depth, height, width) triple of integers ≥ `min`, or a TypeError/RangeError naming `what` and the value. */
export function triple(where: string, what: string, v: unknown, min: number): Triple {
  const t = typeof v === 'number' ? [v, v, v] : Array.isArray(v) && v.length === 3 ? v : null;
  if (t === null || !t.every((x) => typeof x === 'number' && Number.isInteger(x))) {
    throw new TypeError(`${where}: ${what} must be an integer or three integers [depth, height, width], got ${describeValue(v)}`);
  }
  if (!t.every((x) => x >= min)) {
    throw new RangeError(`${where}: ${what} must be ${min === 0 ? 'non-negative' : `at least ${min}`}, got ${describeValue(v)}`);
  }
  return [t[0] as number, t[1] as number, t[2] as number];
}

/** `v` as `dims` integers ≥ `min` (an integer for all, or one per dimension): `single`, `pair` or `triple`. */
export function sizes(where: string, what: string, v: unknown, dims: 1 | 2 | 3, min: number): readonly number[] {
  if (dims === 1) return [single(where, what, v, min)];
  return dims === 2 ? pair(where, what, v, min) : triple(where, what, v, min);
}

/**
 * PyTorch's refusal of a weight with an empty kernel (its spatial sizes, 1 to 3 of them), in its words: a 1-D kernel
 * is a 2-D one of height 1, a 3-D one is printed T x H x W.
 */
export function checkKernelSize(where: string, kernel: readonly number[]): void {
  if (kernel.every((k) => k > 0)) return;
  const [kh, kw] = kernel.length === 1 ? [1, kernel[0]!] : kernel.slice(-2);
  throw new RangeError(
    kernel.length === 3
      ? `${where}: kernel size should be greater than zero, but got: ${kernel.join(' x ')} (TxHxW)`
      : `${where}: kernel size should be greater than zero, but got kernel_height: ${kh} kernel_width: ${kw}`,
  );
}

/** A size as PyTorch prints it: (3,), (3, 3) or (3, 3, 3). */
export const sizeText = (s: readonly number[]): string => (s.length === 1 ? `(${s[0]},)` : `(${s.join(', ')})`);

/** `s` (the last dimensions' sizes) as depth, height and width, the missing leading ones 1 (or `fill`). */
export function asVolume(s: readonly number[], fill = 1): Triple {
  const v = [fill, fill, fill, ...s].slice(-3);
  return [v[0]!, v[1]!, v[2]!];
}

/** One convolution's window over one sample and group: sizes as depth, height and width. */
export interface VolumeGeometry {
  /** Input channels of one group. */
  readonly Cg: number;
  /** The input's depth, height and width. */
  readonly size: Triple;
  readonly kernel: Triple;
  readonly stride: Triple;
  readonly dilation: Triple;
  /** The zeros added before the input, each dimension. */
  readonly before: Triple;
  /** The output's depth, height and width. */
  readonly out: Triple;
}

/**
 * The rows of the patch matrix of one sample and group, a [K, L] matrix (K = Cg·kd·kh·kw, L = Do·Ho·Wo) whose row
 * ((c·kd + a)·kh + i)·kw + j, column (z·Ho + y)·Wo + x holds x[n, group·Cg + c, z·sd + a·dd − pf, y·sh + i·dh − pt,
 * x·sw + j·dw − pl] (0 in the padding): for every row of outputs whose tap lands inside the input, four integers —
 * the matrix offset `at` of its first column, the input offset `base` (from the group's first channel of the
 * sample), and the columns [x0, x1) that land inside, column x reading `base + x·sw`. The same for every sample and
 * group, so made once per call.
 */
export function volumeRows(g: VolumeGeometry): Int32Array {
  const [D, H, W] = g.size;
  const [kd, kh, kw] = g.kernel;
  const [sd, sh, sw] = g.stride;
  const [dd, dh, dw] = g.dilation;
  const [pf, pt, pl] = g.before;
  const [Do, Ho, Wo] = g.out;
  const rows: number[] = [];
  let at = 0;
  for (let c = 0; c < g.Cg; c++) {
    for (let a = 0; a < kd; a++) {
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          const shift = j * dw - pl;
          const x0 = Math.min(Wo, Math.max(0, Math.ceil(-shift / sw)));
          const x1 = Math.max(x0, Math.min(Wo, Math.floor((W - 1 - shift) / sw) + 1));
          for (let z = 0; z < Do; z++) {
            const iz = z * sd + a * dd - pf;
            for (let y = 0; y < Ho; y++, at += Wo) {
              const iy = y * sh + i * dh - pt;
              if (iz >= 0 && iz < D && iy >= 0 && iy < H && x1 > x0) rows.push(at, ((c * D + iz) * H + iy) * W + shift, x0, x1);
            }
          }
        }
      }
    }
  }
  return Int32Array.from(rows);
}

const product = (s: Triple): number => s[0] * s[1] * s[2];

/** The kernels' plan of a convolution of N samples of C channels into O channels in `groups` groups. */
export function volumePlan(N: number, C: number, O: number, groups: number, g: VolumeGeometry): ConvPlan {
  return {
    N, C, HW: product(g.size), O, groups, Cg: g.Cg, Og: O / groups, K: g.Cg * product(g.kernel), L: product(g.out), sw: g.stride[2],
    rows: volumeRows(g),
  };
}

/**
 * Runs the convolution `plan` of `input` with `weight` (+ `bias`) into a new tensor of `outShape`, recorded as one
 * node saving what PyTorch's convolution_backward saves: the input and the weight, not the bias (changing the bias in
 * place after the forward pass leaves the gradients as they are). Its node is ConvolutionBackward0, or for one
 * unbatched sample the squeeze of PyTorch's batch of one, SqueezeBackward1.
 */
export function recordConvolution(
  op: string, plan: ConvPlan, outShape: readonly number[], input: Tensor, weight: Tensor, bias: Tensor | null, unbatched: boolean,
): Tensor {
  const X = input.values();
  const Wt = weight.values();
  const out = empty(outShape);
  convForward(plan, X, Wt, bias === null ? null : bias.values(), out.data);
  const inputs = bias === null ? [input, weight] : [input, weight, bias];
  return record(out, op, inputs, (grad) => {
    const gx = input.requiresGrad ? empty(input.shape) : null;
    const gw = weight.requiresGrad ? empty(weight.shape) : null;
    const gb = bias !== null && bias.requiresGrad ? empty([plan.O]) : null;
    convBackward(plan, X, Wt, grad.data, { input: gx?.data ?? null, weight: gw?.data ?? null, bias: gb?.data ?? null });
    return bias === null ? [gx, gw] : [gx, gw, gb];
  }, [input, weight], unbatched ? 'SqueezeBackward1' : 'ConvolutionBackward0');
}
