/**
 * Padding, PyTorch's `F.pad(input, pad, mode='constant', value=None)`: `pad` lists (left, right) amounts for the
 * last dimension first, then the one before it, and so on. 'constant' pads any number of trailing dimensions with
 * `value`, and a negative amount crops; 'reflect' mirrors the input without repeating its edge, 'replicate' repeats
 * the edge, 'circular' wraps around: these pad the last 1, 2 (or 3) dimensions of an input with one or two more
 * (circular: exactly two more), as PyTorch's kernels do, with their checks and messages.
 *
 * Every mode is separable: each output index along a padded dimension reads one input index (or, for 'constant',
 * none), so the value copies and the gradient adds back along the same map (PyTorch's kernels, in output order).
 */
import { linearTwice } from '../autograd/twice.js';
import { record } from '../autograd/record.js';
import { KindlingError } from '../errors.js';
import { describeValue } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { checkTensor, empty } from './util.js';

export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';

export interface PadOptions {
  /** PyTorch's `mode`: 'constant' (default), 'reflect', 'replicate' or 'circular'. */
  mode?: PadMode;
  /** The fill of 'constant' mode (default 0); the other modes refuse a value other than 0, as PyTorch does. */
  value?: number;
}

const MODES: readonly string[] = ['constant', 'reflect', 'replicate', 'circular'];
const TORCH_NODE: Record<Exclude<PadMode, 'circular'>, string> = {
  constant: 'ConstantPadNdBackward0', reflect: 'ReflectionPad%DBackward0', replicate: 'ReplicationPad%DBackward0',
};

/** The shape as PyTorch prints `input.sizes()`: [1, 2, 3]. */
const sizes = (s: readonly number[]): string => `[${s.join(', ')}]`;
/** A tensor's shape as PyTorch prints the tensor in a message: [ torch.FloatTensor{1,0,3} ]. */
const typed = (s: readonly number[]): string => `[ torch.FloatTensor{${s.join(',')}} ]`;

/** PyTorch's `narrow` checks, which refuse constant mode's crops (start wraps as a dimension would). */
function checkNarrow(where: string, size: number, start: number, length: number): void {
  if (start !== size && (start < -size || start > size - 1)) {
    throw new KindlingError(`${where}: Dimension out of range (expected to be in range of [${-size}, ${size - 1}], but got ${start})`);
  }
  if (start < 0) start += size;
  if (!(length >= 0 && start <= size - length)) {
    throw new KindlingError(`${where}: start (${start}) + length (${length}) exceeds dimension size (${size}).`);
  }
}

/** The checks PyTorch's reflection and replication kernels make, for a 1-D or 2-D pad of `shape`. */
function checkKernel(where: string, mode: 'reflect' | 'replicate', shape: readonly number[], pad: readonly number[]): void {
  const n = shape.length;
  const two = pad.length === 4;
  const W = shape[n - 1]!;
  const H = two ? shape[n - 2]! : 1;
  const [l, r, t, b] = [pad[0]!, pad[1]!, pad[2] ?? 0, pad[3] ?? 0];
  const batched = two ? n === 4 : n === 3;
  if (mode === 'replicate') {
    const ok = shape.slice(batched ? 1 : 0).every((s) => s !== 0);
    if (!ok) {
      throw new KindlingError(`${where}: Expected ${two ? '3D or 4D' : '2D or 3D'} (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: ${sizes(shape)}`);
    }
    const ow = W + l + r;
    const oh = H + t + b;
    if (!two && ow < 1) throw new KindlingError(`${where}: input (W: ${W}) is too small. Calculated output W: ${ow}`);
    if (two && ow < 1 && oh < 1) throw new KindlingError(`${where}: input (H: ${H}, W: ${W} ) is too small. Calculated output H: ${oh} W: ${ow}`);
    return;
  }
  // PyTorch's checks: dimension 1 and the last not empty (1-D), or the height and width, and a batch's channels (2-D);
  // so an unbatched input may have no channels.
  const ok = two ? H !== 0 && W !== 0 && (n === 3 || shape[1] !== 0) : shape[1] !== 0 && (n === 2 || W !== 0);
  if (!ok) throw new KindlingError(`${where}: ${two ? '3D or 4D' : '2D or 3D'} (batch mode) tensor expected for input, but got: ${typed(shape)}`);
  if (!(l < W && r < W)) {
    throw new KindlingError(`${where}: Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (${l}, ${r}) at dimension ${n - 1} of input ${two ? n : sizes(shape)}`);
  }
  if (two && !(t < H && b < H)) {
    // PyTorch's 2-D kernel names the input by its number of dimensions.
    throw new KindlingError(`${where}: Argument #6: Padding size should be less than the corresponding input dimension, but got: padding (${t}, ${b}) at dimension ${n - 2} of input ${n}`);
  }
  const ow = W + l + r;
  const oh = H + t + b;
  // PyTorch's message starts with a stray 2 (an argument number its check prints).
  if (!two && ow < 1) throw new KindlingError(`${where}: 2input (W: ${W})is too small. Calculated output W: ${ow}`);
  if (two && ow < 1 && oh < 1) throw new KindlingError(`${where}: input (H: ${H}, W: ${W})is too small.  Calculated output H: ${oh} W: ${ow}`);
}

/** The checks PyTorch's 3-D reflection and replication kernels make, for a pad of six of `shape` ([C, D, H, W] or batched). */
function checkKernel3d(where: string, mode: 'reflect' | 'replicate', shape: readonly number[], pad: readonly number[]): void {
  const n = shape.length;
  if (!shape.slice(n === 5 ? 1 : 0).every((s) => s !== 0)) {
    throw new KindlingError(`${where}: Expected 4D or 5D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: ${sizes(shape)}`);
  }
  const [D, H, W] = shape.slice(-3) as [number, number, number];
  if (mode === 'reflect') {
    // Argument #4, #6, #8: the left/right, top/bottom and front/back amounts, each less than its dimension.
    [[W, 0], [H, 2], [D, 4]].forEach(([size, at], i) => {
      const [a, b] = [pad[at!]!, pad[at! + 1]!];
      if (!(a < size! && b < size!)) {
        throw new KindlingError(`${where}: Argument #${4 + 2 * i}: Padding size should be less than the corresponding input dimension, but got: padding (${a}, ${b}) at dimension ${n - 1 - i} of input ${sizes(shape)}`);
      }
    });
  }
  const [od, oh, ow] = [D + pad[4]! + pad[5]!, H + pad[2]! + pad[3]!, W + pad[0]! + pad[1]!];
  if (od < 1 && oh < 1 && ow < 1) {
    throw new KindlingError(`${where}: input (D: ${D} H: ${H}, W: ${W}) is too small. Calculated output D: ${od} H: ${oh} W: ${ow}`);
  }
}

/** The input index each output index reads along one dimension of `size` padded by (l, r); -1 for the fill. */
function indexMap(mode: PadMode, size: number, l: number, r: number): Int32Array {
  const out = new Int32Array(size + l + r);
  const iStart = Math.max(0, -l);
  const oStart = Math.max(0, l);
  for (let j = 0; j < out.length; j++) {
    let i: number;
    if (mode === 'constant') {
      i = j - l;
      if (i < 0 || i >= size) i = -1;
    } else if (mode === 'circular') {
      // PyTorch wraps within the kept (cropped) part of the input: its kernel copies slices of the output.
      const kept = size + Math.min(l, 0) + Math.min(r, 0);
      i = iStart + ((((j - oStart) % kept) + kept) % kept);
    } else {
      // PyTorch's reflection and replication kernels' formulas (negative amounts crop).
      if (j < l) i = mode === 'reflect' ? 2 * l - j : l;
      else if (j < size + l) i = j;
      else i = mode === 'reflect' ? 2 * (size + l - 1) - j : size + l - 1;
      i = i - oStart + iStart;
    }
    out[j] = i;
  }
  return out;
}

/**
 * `input` padded as PyTorch's `F.pad(input, pad, mode, value)`.
 *
 * @example
 * F.pad(x, [1, 1]);                          // one zero each side of the last dimension
 * F.pad(x, [1, 2, 0, 1], { mode: 'reflect' }); // last dimension (1, 2), the one before (0, 1)
 */
export function pad(input: Tensor, padding: readonly number[], options: PadOptions = {}): Tensor {
  const where = 'pad';
  checkTensor(input, where);
  if (!Array.isArray(padding) || !padding.every((p) => Number.isInteger(p))) {
    throw new TypeError(`${where}: pad must be an array of integers (left, right for the last dimension first), got ${describeValue(padding)}`);
  }
  if (options === null || typeof options !== 'object') throw new TypeError(`${where}: options must be an object ({ mode, value }), got ${describeValue(options)}`);
  for (const k of Object.keys(options)) if (k !== 'mode' && k !== 'value') throw new TypeError(`${where}: unknown option '${k}' (accepted: mode, value)`);
  // Left out is 'constant'; null is refused, as PyTorch's F.pad refuses mode=None.
  const mode = options.mode === undefined ? 'constant' : options.mode;
  if (!MODES.includes(mode)) throw new KindlingError(`${where}: Unrecognised padding mode ${String(mode)}`);
  const value = options.value;
  if (value !== undefined && typeof value !== 'number') throw new TypeError(`${where}: value must be a number, got ${describeValue(value)}`);
  if (padding.length % 2 !== 0) throw new KindlingError(`${where}: Padding length must be divisible by 2`);
  const shape = input.shape;
  const n = shape.length;
  if (padding.length / 2 > n) throw new KindlingError(`${where}: Padding length too large`);
  const k = padding.length / 2;
  if (mode === 'constant') {
    // PyTorch crops first (narrow), outermost padded dimension first, then checks no size is negative.
    const cur = [...shape];
    for (let i = 0; i < k; i++) {
      const d = n - k + i;
      const l = padding[2 * (k - 1 - i)]!;
      const r = padding[2 * (k - 1 - i) + 1]!;
      if (l < 0) {
        checkNarrow(where, cur[d]!, -l, cur[d]! + l);
        cur[d] = cur[d]! + l;
      }
      if (r < 0) {
        checkNarrow(where, cur[d]!, 0, cur[d]! + r);
        cur[d] = cur[d]! + r;
      }
    }
  } else {
    if (value !== undefined && value !== 0) throw new KindlingError(`${where}: Padding mode "${mode}" doesn't take in value argument`);
    const fits = (padding.length === 2 && (n === 2 || n === 3)) || (padding.length === 4 && (n === 3 || n === 4))
      || (padding.length === 6 && (n === 4 || n === 5));
    if (!fits) throw new KindlingError(`${where}: Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now`);
    if (mode === 'circular') {
      if (padding.length + 4 !== n * 2) throw new KindlingError(`${where}: Invalid padding size, expected ${(n - 2) * 2} but got ${padding.length}`);
      for (let i = 0; i < k; i++) {
        const size = shape[n - 1 - i]!;
        const l = padding[2 * i]!;
        const r = padding[2 * i + 1]!;
        if (!(l <= size && r <= size)) throw new KindlingError(`${where}: Padding value causes wrapping around more than once.`);
        if (size + l + r < 0) throw new KindlingError(`${where}: Negative padding value is resulting in an empty dimension`);
      }
    } else {
      if (padding.length === 6) checkKernel3d(where, mode, shape, padding);
      else checkKernel(where, mode, shape, padding);
      const out = shape.map((s, d) => (d < n - k ? s : s + padding[2 * (n - 1 - d)]! + padding[2 * (n - 1 - d) + 1]!));
      const negative = out.find((s) => s < 0);
      if (negative !== undefined) throw new KindlingError(`${where}: Trying to create tensor with negative dimension ${negative}: ${sizes(out)}`);
    }
  }
  // One map per dimension (the unpadded ones read themselves).
  const outShape = [...shape];
  const maps: Int32Array[] = [];
  for (let d = 0; d < n; d++) {
    const i = n - 1 - d;
    const l = i < k ? padding[2 * i]! : 0;
    const r = i < k ? padding[2 * i + 1]! : 0;
    outShape[d] = shape[d]! + l + r;
    maps.push(indexMap(mode, shape[d]!, l, r));
  }
  // The flat input index of each output element (-1: the fill), built one dimension at a time.
  const total = outShape.reduce((a, b) => a * b, 1);
  let src = new Int32Array([0]);
  for (let d = 0; d < n; d++) {
    const m = maps[d]!;
    const stride = shape.slice(d + 1).reduce((a, b) => a * b, 1);
    const next = new Int32Array(src.length * m.length);
    for (let a = 0; a < src.length; a++) {
      const base = src[a]!;
      for (let j = 0; j < m.length; j++) next[a * m.length + j] = base < 0 || m[j]! < 0 ? -1 : base + m[j]! * stride;
    }
    src = next;
  }
  if (src.length !== total) throw new Error('pad: internal size mismatch');
  const out = empty(outShape);
  const X = input.values();
  const Y = out.data;
  const fill = Math.fround(value ?? 0);
  for (let o = 0; o < total; o++) Y[o] = src[o]! < 0 ? fill : X[src[o]!]!;
  const dims = padding.length / 2;
  const node = mode === 'circular' ? undefined : TORCH_NODE[mode].replace('%', String(dims));
  // Linear in the input (each output reads one input value, or the fill): the gradient's graph is recorded with its
  // adjoint, the same padding of the gradient's gradient with zeros for the fill (autograd/twice.ts).
  return linearTwice(record(out, where, [input], (grad) => {
    const gx = empty(shape);
    const G = grad.data;
    const GX = gx.data;
    for (let o = 0; o < total; o++) {
      const s = src[o]!;
      if (s >= 0) GX[s] = Math.fround(GX[s]! + G[o]!);
    }
    return [gx];
  }, mode === 'constant' ? [] : [input], node), (h) => pad(h, padding, { mode }));
}
