/**
 * `F.unfold` (im2col) and `F.fold` (col2im), PyTorch 1.13's: the sliding blocks of an image as columns, and back,
 * made by the convolution's own patch table (conv-volume.ts) with one group. Unfolding copies values; folding adds
 * each column value onto its pixel in PyTorch's order (row c·kh·kw + i·kw + j, then block by block), so both are
 * PyTorch's bit for bit. Each is the other's gradient.
 */
import { linearTwice } from '../autograd/twice.js';
import { record } from '../autograd/record.js';
import type { ConvPlan } from '../kernels/conv.js';
import { col2imAdd, im2col } from '../kernels/ref/conv.js';
import { KindlingError } from '../errors.js';
import { checkOptions } from '../options.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { volumePlan } from './conv-volume.js';
import { checkTensor, empty } from './util.js';
import { pair, type IntPair, type Pair } from './window.js';

export interface FoldOptions {
  /** The spacing of a block's taps (default 1). */
  readonly dilation?: IntPair;
  /** Zeros around the image (default 0). */
  readonly padding?: IntPair;
  /** The step between blocks (default 1). */
  readonly stride?: IntPair;
}

interface Geometry { k: Pair; d: Pair; p: Pair; s: Pair }

const tuple = (v: Pair): string => `(${v[0]}, ${v[1]})`;

const ANY = Number.MIN_SAFE_INTEGER;

/** The sizes as integer pairs, then PyTorch's range checks in its order: unfold's kernel, dilation, padding, stride; fold's kernel, stride, dilation, padding. */
function geometryOf(where: 'unfold' | 'fold', kernelSize: unknown, options: FoldOptions | undefined): Geometry {
  const o = checkOptions(where, options, ['dilation', 'padding', 'stride']);
  const g = {
    k: pair(where, 'kernelSize', kernelSize, ANY), d: pair(where, 'dilation', o.dilation ?? 1, ANY),
    p: pair(where, 'padding', o.padding ?? 0, ANY), s: pair(where, 'stride', o.stride ?? 1, ANY),
  };
  const checks: Record<string, () => void> = {
    k: () => { if (!(g.k[0] > 0 && g.k[1] > 0)) throw new KindlingError(`${where}: kernel size should be greater than zero, but got kernel_height: ${g.k[0]} kernel_width: ${g.k[1]}`); },
    d: () => { if (!(g.d[0] > 0 && g.d[1] > 0)) throw new KindlingError(`${where}: dilation should be greater than zero, but got dilation_height: ${g.d[0]} dilation_width: ${g.d[1]}`); },
    p: () => { if (!(g.p[0] >= 0 && g.p[1] >= 0)) throw new KindlingError(`${where}: padding should be non-negative, but got pad_height: ${g.p[0]} pad_width: ${g.p[1]}`); },
    s: () => { if (!(g.s[0] > 0 && g.s[1] > 0)) throw new KindlingError(`${where}: stride should be greater than zero, but got stride_height: ${g.s[0]} stride_width: ${g.s[1]}`); },
  };
  for (const c of where === 'unfold' ? 'kdps' : 'ksdp') checks[c]!();
  return g;
}

/** The number of blocks along one dimension of `n` pixels. */
const blocks = (n: number, g: Geometry, i: 0 | 1): number => Math.floor((n + 2 * g.p[i] - g.d[i] * (g.k[i] - 1) - 1) / g.s[i]) + 1;

/** The patch table of an image [C, H, W] with blocks [bh, bw] (one group, C channels). */
function planOf(N: number, C: number, H: number, W: number, bh: number, bw: number, g: Geometry): ConvPlan {
  return volumePlan(N, C, 1, 1, {
    Cg: C, size: [1, H, W], kernel: [1, ...g.k], stride: [1, ...g.s], dilation: [1, ...g.d], before: [0, ...g.p], out: [1, bh, bw],
  });
}

/** Each sample's columns [K, L] from its image [C, H·W] (im2col), into `cols` [N, K, L]. */
function unfoldInto(p: ConvPlan, X: Float32Array, cols: Float32Array): void {
  const size = p.K * p.L;
  for (let n = 0; n < p.N; n++) im2col(p, X, n * p.C * p.HW, cols.subarray(n * size, (n + 1) * size));
}

/** Each sample's image [C, H·W] += its columns [K, L] (col2im), from `cols` [N, K, L]. */
function foldInto(p: ConvPlan, cols: Float32Array, X: Float32Array): void {
  const size = p.K * p.L;
  for (let n = 0; n < p.N; n++) col2imAdd(p, cols.subarray(n * size, (n + 1) * size), X, n * p.C * p.HW);
}

/**
 * The sliding blocks of `input` [N, C, H, W] (or [C, H, W]) as columns, PyTorch's `F.unfold(input, kernel_size,
 * dilation=1, padding=0, stride=1)`: [N, C·kh·kw, L] (or [C·kh·kw, L]), L the number of blocks, row
 * c·kh·kw + i·kw + j holding tap (i, j) of channel c of each block. A convolution is `w.view(O, -1)` times it.
 *
 * @example
 * F.unfold(x, 3, { padding: 1 }); // [N, C, H, W] → [N, 9C, H·W]
 */
export function unfold(input: Tensor, kernelSize: IntPair, options?: FoldOptions): Tensor {
  const where = 'unfold';
  checkTensor(input, where);
  const g = geometryOf(where, kernelSize, options);
  const batched = input.ndim === 4;
  if ((input.ndim !== 3 && !batched) || input.shape.slice(batched ? 1 : 0).some((d) => d === 0)) {
    throw new KindlingError(`${where}: Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: ${formatShape(input.shape)}`);
  }
  const [C, H, W] = input.shape.slice(-3) as [number, number, number];
  const N = batched ? input.shape[0]! : 1;
  const [bh, bw] = [blocks(H, g, 0), blocks(W, g, 1)];
  if (bh < 1 || bw < 1) {
    throw new KindlingError(
      `${where}: Given input with spatial size (${H}, ${W}), kernel_size=${tuple(g.k)}, dilation=${tuple(g.d)}, padding=${tuple(g.p)}, ` +
        `calculated shape of the array of sliding blocks as (${bh}, ${bw}), but its components must be at least one.`,
    );
  }
  const p = planOf(N, C, H, W, bh, bw, g);
  const out = empty(batched ? [N, p.K, p.L] : [p.K, p.L]);
  unfoldInto(p, input.values(), out.data);
  // Linear: the gradient's graph (createGraph) is recorded with its adjoint, the op itself (autograd/twice.ts).
  return linearTwice(record(out, where, [input], (grad) => {
    const gx = empty(input.shape);
    foldInto(p, grad.data, gx.data);
    return [gx];
  }, [], 'Im2ColBackward0'), (h) => unfold(h, kernelSize, options));
}

/**
 * Columns of sliding blocks summed back into images, PyTorch's `F.fold(input, output_size, kernel_size, dilation=1,
 * padding=0, stride=1)`: `input` [N, C·kh·kw, L] (or [C·kh·kw, L]) to [N, C, H, W] (or [C, H, W]) with
 * [H, W] = `outputSize`; where blocks overlap their values add up. `fold(unfold(x))` is x times the number of blocks
 * covering each pixel.
 *
 * @example
 * F.fold(cols, [28, 28], 2, { stride: 2 }); // [N, 4C, 196] → [N, C, 28, 28]
 */
export function fold(input: Tensor, outputSize: IntPair, kernelSize: IntPair, options?: FoldOptions): Tensor {
  const where = 'fold';
  checkTensor(input, where);
  const [H, W] = pair(where, 'outputSize', outputSize, ANY);
  const g = geometryOf(where, kernelSize, options);
  const batched = input.ndim === 3;
  if ((input.ndim !== 2 && !batched) || input.shape.slice(batched ? 1 : 0).some((d) => d === 0)) {
    throw new KindlingError(`${where}: Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and non-zero dimensions for input, but got: ${formatShape(input.shape)}`);
  }
  const [rows, L] = input.shape.slice(-2) as [number, number];
  const N = batched ? input.shape[0]! : 1;
  const taps = g.k[0] * g.k[1];
  if (rows % taps !== 0) {
    throw new KindlingError(`${where}: Expected size of input's dimension 1 to be divisible by the product of kernel_size, but got input.size(1)=${rows} and kernel_size=${tuple(g.k)}.`);
  }
  const [bh, bw] = [blocks(H, g, 0), blocks(W, g, 1)];
  const head = `${where}: Given output_size=(${H}, ${W}), kernel_size=${tuple(g.k)}, dilation=${tuple(g.d)}, padding=${tuple(g.p)}, stride=${tuple(g.s)}`;
  if (L !== bh * bw) {
    throw new KindlingError(`${head}, expected size of input's dimension 2 to match the calculated number of sliding blocks ${bh} * ${bw} = ${bh * bw}, but got input.size(2)=${L}.`);
  }
  if (bh < 1 || bw < 1) throw new KindlingError(`${head}, calculated shape of the array of sliding blocks as (${bh}, ${bw}), which is too small (non-positive).`);
  // PyTorch checks the output size last, after the blocks.
  if (!(H > 0 && W > 0)) throw new KindlingError(`${where}: Expected output spatial size to be positive, but got: output_size=(${H}, ${W}).`);
  const C = rows / taps;
  const p = planOf(N, C, H, W, bh, bw, g);
  const out = empty(batched ? [N, C, H, W] : [C, H, W]);
  foldInto(p, input.values(), out.data);
  return linearTwice(record(out, where, [input], (grad) => {
    const gx = empty(input.shape);
    unfoldInto(p, grad.data, gx.data);
    return [gx];
  }, [], 'Col2ImBackward0'), (h) => fold(h, outputSize, kernelSize, options));
}
