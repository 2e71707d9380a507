// 3-D pooling as PyTorch 1.13's CPU kernels: max_pool3d (with indices into each D×H×W volume, NaN taken as the
// largest, padding −∞, dilation, ceil mode), avg_pool3d (a float32 sum in window order divided by the window's size,
// counting padding or not, or a divisor given), adaptive_avg_pool3d (windows ⌊i·in/out⌋ … ⌈(i+1)·in/out⌉, the sum
// divided by the depth, height and width in turn) and adaptive_max_pool3d; inputs [N, C, D, H, W] or [C, D, H, W].
// Gradients as PyTorch's: a max's to its element, an average's divided alike among its window.
import { record } from '../autograd/record.js';
import { linearTwice } from '../autograd/twice.js';
import { KindlingError } from '../errors.js';
import { describeValue } from '../options.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { pick } from './gather.js';
import { checkTensor } from './util.js';

const f = Math.fround;
export type Triple = number | readonly [number, number, number];
const triple = (v: Triple, what: string): [number, number, number] => {
  const t: unknown[] | null = typeof v === 'number' ? [v, v, v] : Array.isArray(v) ? [...(v as unknown[])] : null;
  if (t === null || t.length !== 3 || t.some((x) => !Number.isInteger(x))) throw new TypeError(`${what} must be an integer or three integers, got ${describeValue(v)}`);
  return t as [number, number, number];
};

function outSize(op: string, n: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  const span = n + 2 * p - d * (k - 1) - 1;
  let out = Math.floor((span + (ceil ? s - 1 : 0)) / s) + 1;
  if (ceil && (out - 1) * s >= n + p) out--;
  if (out < 1) throw new KindlingError(`${op}: Given input size too small: the output would have a size of ${out} (input ${n}, kernel ${k}, stride ${s}, padding ${p}, dilation ${d})`);
  return out;
}

/** A pooling window's sizes: kernel, stride, padding and dilation, each (depth, height, width). */
interface Window { k: [number, number, number]; s: [number, number, number]; p: [number, number, number]; d: [number, number, number] }

/**
 * The window's sizes with PyTorch's range checks (pool3d_shape_check's): a kernel, stride and dilation of at least
 * 1 (a kernel of 0 is named as such, where PyTorch's default stride makes it "stride should not be zero"), a padding
 * from 0 to half the kernel.
 */
function window3d(op: string, kernelSize: Triple, o: { stride?: Triple | null | undefined; padding?: Triple | undefined; dilation?: Triple | undefined }): Window {
  const k = triple(kernelSize, `${op}: kernel_size`);
  const s = o.stride === undefined || o.stride === null ? k : triple(o.stride, `${op}: stride`);
  const p = triple(o.padding ?? 0, `${op}: padding`);
  const d = triple(o.dilation ?? 1, `${op}: dilation`);
  if (!k.every((v) => v > 0)) throw new KindlingError(`${op}: kernel size should be greater than zero, but got kT: ${k[0]} kH: ${k[1]} kW: ${k[2]}`);
  if (!s.every((v) => v > 0)) throw new KindlingError(`${op}: stride should be greater than zero, but got dT: ${s[0]} dH: ${s[1]} dW: ${s[2]}`);
  if (!d.every((v) => v > 0)) throw new KindlingError(`${op}: dilation should be greater than zero, but got dilationT: ${d[0]} dilationH: ${d[1]} dilationW: ${d[2]}`);
  if (!p.every((v) => v >= 0)) throw new KindlingError(`${op}: pad must be non-negative, but got pad: ${p.find((v) => v < 0)}`);
  for (let i = 0; i < 3; i++) {
    if (p[i]! > Math.floor(k[i]! / 2)) throw new KindlingError(`pad should be at most half of kernel size, but got pad=${p[i]} and kernel_size=${k[i]}`);
  }
  return { k, s, p, d };
}

interface Geometry { batch: number[]; N: number; C: number; inS: [number, number, number]; outS: [number, number, number] }

/**
 * The input [N, C, D, H, W] or [C, D, H, W] as planes and volumes. As PyTorch's: only a 5-D input's batch may be
 * empty, or (`adaptive`) any dimension but the first.
 */
function geometry(op: string, x: Tensor, outOf: (inS: [number, number, number]) => [number, number, number], adaptive = false): Geometry {
  checkTensor(x, op);
  if (x.ndim !== 4 && x.ndim !== 5) {
    throw new KindlingError(adaptive ? `${op}(): Expected 4D or 5D tensor, but got ${formatShape(x.shape)}` : 'non-empty 4D or 5D (batch mode) tensor expected for input');
  }
  const empty = x.shape.findIndex((n, i) => n === 0 && (i > 0 || (x.ndim === 4 && !adaptive)));
  if (empty >= 0) {
    throw new KindlingError(
      `${op}: the input ${formatShape(x.shape)} has no elements along dimension ${empty}; only the batch may be empty` +
        `${adaptive ? ' (the first dimension)' : ' (of a 5-D input)'}, as in PyTorch`,
    );
  }
  const [C, D, H, W] = x.shape.slice(-4) as [number, number, number, number];
  const N = x.ndim === 5 ? x.shape[0]! : 1;
  const inS: [number, number, number] = [D, H, W];
  return { batch: x.ndim === 5 ? [N] : [], N, C, inS, outS: outOf(inS) };
}

export interface MaxPool3dOptions { stride?: Triple | null | undefined; padding?: Triple | undefined; dilation?: Triple | undefined; ceilMode?: boolean | undefined; returnIndices?: boolean | undefined }

/** The windows' maxima (and `{ returnIndices: true }`: `[values, indices]`), as `F.max_pool3d`. */
export function maxPool3d(x: Tensor, kernelSize: Triple, options: MaxPool3dOptions = {}): Tensor | [Tensor, Tensor] {
  const { k, s, p, d } = window3d('max_pool3d', kernelSize, options);
  const g = geometry('max_pool3d', x, (inS) => inS.map((n, i) => outSize('max_pool3d', n, k[i]!, s[i]!, p[i]!, d[i]!, options.ceilMode ?? false)) as [number, number, number]);
  const [D, H, W] = g.inS;
  const [Do, Ho, Wo] = g.outS;
  const xv = x.values();
  const planes = g.N * g.C;
  const out = new Float32Array(planes * Do * Ho * Wo);
  const idx = new Int32Array(out.length);
  for (let pl = 0; pl < planes; pl++) {
    const base = pl * D * H * W;
    for (let od = 0; od < Do; od++) for (let oh = 0; oh < Ho; oh++) for (let ow = 0; ow < Wo; ow++) {
      let best = -Infinity;
      let at = -1;
      for (let kd = 0; kd < k[0]; kd++) {
        const id = od * s[0] - p[0] + kd * d[0];
        if (id < 0 || id >= D) continue;
        for (let kh = 0; kh < k[1]; kh++) {
          const ih = oh * s[1] - p[1] + kh * d[1];
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < k[2]; kw++) {
            const iw = ow * s[2] - p[2] + kw * d[2];
            if (iw < 0 || iw >= W) continue;
            const pos = (id * H + ih) * W + iw;
            const v = xv[base + pos]!;
            if (at === -1 || v > best || Number.isNaN(v)) {
              best = v;
              at = pos;
            }
          }
        }
      }
      const o = ((pl * Do + od) * Ho + oh) * Wo + ow;
      out[o] = best;
      idx[o] = at;
    }
  }
  return maxResult(x, g, out, idx, 'maxPool3d', 'MaxPool3DWithIndicesBackward0', options.returnIndices === true);
}

export interface AvgPool3dOptions { stride?: Triple | null | undefined; padding?: Triple | undefined; ceilMode?: boolean | undefined; countIncludePad?: boolean | undefined; divisorOverride?: number | null | undefined }

/** The windows' averages, as `F.avg_pool3d`. */
export function avgPool3d(x: Tensor, kernelSize: Triple, options: AvgPool3dOptions = {}): Tensor {
  const { k, s, p } = window3d('avg_pool3d', kernelSize, { stride: options.stride, padding: options.padding });
  const include = options.countIncludePad ?? true;
  const divisor = options.divisorOverride ?? null;
  if (divisor !== null && (!Number.isInteger(divisor) || divisor === 0)) throw new KindlingError('divisor must be not zero');
  const g = geometry('avg_pool3d', x, (inS) => {
    // PyTorch's 3-D average (unlike its 1-D and 2-D ones, and the 3-D maximum) wants the input at least the kernel's
    // size, the padding aside.
    if (inS.some((n, i) => n < k[i]!)) {
      throw new KindlingError(`avg_pool3d: input image (T: ${inS[0]} H: ${inS[1]} W: ${inS[2]}) smaller than kernel size (kT: ${k[0]} kH: ${k[1]} kW: ${k[2]})`);
    }
    return inS.map((n, i) => outSize('avg_pool3d', n, k[i]!, s[i]!, p[i]!, 1, options.ceilMode ?? false)) as [number, number, number];
  });
  const [D, H, W] = g.inS;
  const [Do, Ho, Wo] = g.outS;
  const xv = x.values();
  const planes = g.N * g.C;
  const out = new Float32Array(planes * Do * Ho * Wo);
  const windows: { lo: [number, number, number]; hi: [number, number, number]; div: number }[] = [];
  for (let od = 0; od < Do; od++) for (let oh = 0; oh < Ho; oh++) for (let ow = 0; ow < Wo; ow++) {
    const o = [od, oh, ow];
    const start = o.map((v, i) => v * s[i]! - p[i]!);
    const endPad = start.map((v, i) => Math.min(v + k[i]!, g.inS[i]! + p[i]!));
    const poolSize = endPad.reduce((a, e, i) => a * (e - start[i]!), 1);
    const lo = start.map((v) => Math.max(v, 0)) as [number, number, number];
    const hi = endPad.map((v, i) => Math.min(v, g.inS[i]!)) as [number, number, number];
    const count = hi.reduce((a, e, i) => a * (e - lo[i]!), 1);
    windows.push({ lo, hi, div: divisor ?? (include ? poolSize : count) });
  }
  for (let pl = 0; pl < planes; pl++) {
    const base = pl * D * H * W;
    windows.forEach((w, o) => {
      let sum = 0;
      for (let id = w.lo[0]; id < w.hi[0]; id++) for (let ih = w.lo[1]; ih < w.hi[1]; ih++) for (let iw = w.lo[2]; iw < w.hi[2]; iw++) sum = f(sum + xv[base + (id * H + ih) * W + iw]!);
      out[pl * windows.length + o] = f(sum / w.div);
    });
  }
  // Linear: the gradient's graph is recorded with its adjoint, the same pooling (autograd/twice.ts).
  return linearTwice(record(new Tensor(out, [...g.batch, g.C, Do, Ho, Wo]), 'avgPool3d', [x], (gr) => {
    const gv = gr.values();
    const gx = new Float32Array(xv.length);
    for (let pl = 0; pl < planes; pl++) {
      const base = pl * D * H * W;
      windows.forEach((w, o) => {
        const share = f(gv[pl * windows.length + o]! / w.div);
        for (let id = w.lo[0]; id < w.hi[0]; id++) for (let ih = w.lo[1]; ih < w.hi[1]; ih++) for (let iw = w.lo[2]; iw < w.hi[2]; iw++) {
          const at = base + (id * H + ih) * W + iw;
          gx[at] = f(gx[at]! + share);
        }
      });
    }
    return [new Tensor(gx, x.shape)];
  }, [], 'AvgPool3DBackward0'), (h) => avgPool3d(h, kernelSize, options));
}

export type AdaptiveSize = number | null | readonly [number | null, number | null, number | null];

function adaptiveWindows(op: string, x: Tensor, size: AdaptiveSize): { g: Geometry; ranges: [number, number][][] } {
  const want: unknown[] | null = typeof size === 'number' || size === null ? [size, size, size] : Array.isArray(size) && size.length === 3 ? [...(size as unknown[])] : null;
  if (want === null || !want.every((v) => v === null || (typeof v === 'number' && Number.isInteger(v) && v >= 0))) {
    throw new TypeError(`${op}: output_size must be a non-negative integer or three of them [depth, height, width] (null keeps the input's size), got ${describeValue(size)}`);
  }
  const g = geometry(op, x, (inS) => inS.map((n, i) => (want[i] as number | null) ?? n) as [number, number, number], true);
  const ranges = g.outS.map((o, i) => Array.from({ length: o }, (_, j): [number, number] => [Math.floor((j * g.inS[i]!) / o), Math.ceil(((j + 1) * g.inS[i]!) / o)]));
  return { g, ranges };
}

/** Averages over windows making the output `outputSize` (a number, or three; null keeps that dimension), as `F.adaptive_avg_pool3d`. */
export function adaptiveAvgPool3d(x: Tensor, outputSize: AdaptiveSize): Tensor {
  const { g, ranges } = adaptiveWindows('adaptive_avg_pool3d', x, outputSize);
  const [D, H, W] = g.inS;
  const [Do, Ho, Wo] = g.outS;
  const xv = x.values();
  const planes = g.N * g.C;
  const out = new Float32Array(planes * Do * Ho * Wo);
  const each = (fn: (pl: number, o: number, z: [number, number], y: [number, number], xr: [number, number]) => void): void => {
    for (let pl = 0; pl < planes; pl++) for (let od = 0; od < Do; od++) for (let oh = 0; oh < Ho; oh++) for (let ow = 0; ow < Wo; ow++) {
      fn(pl, ((pl * Do + od) * Ho + oh) * Wo + ow, ranges[0]![od]!, ranges[1]![oh]!, ranges[2]![ow]!);
    }
  };
  each((pl, o, z, y, xr) => {
    let sum = 0;
    for (let id = z[0]; id < z[1]; id++) for (let ih = y[0]; ih < y[1]; ih++) for (let iw = xr[0]; iw < xr[1]; iw++) sum = f(sum + xv[pl * D * H * W + (id * H + ih) * W + iw]!);
    out[o] = f(f(f(sum / (z[1] - z[0])) / (y[1] - y[0])) / (xr[1] - xr[0]));
  });
  return linearTwice(record(new Tensor(out, [...g.batch, g.C, Do, Ho, Wo]), 'adaptiveAvgPool3d', [x], (gr) => {
    const gv = gr.values();
    const gx = new Float32Array(xv.length);
    each((pl, o, z, y, xr) => {
      const share = f(f(f(gv[o]! / (z[1] - z[0])) / (y[1] - y[0])) / (xr[1] - xr[0]));
      for (let id = z[0]; id < z[1]; id++) for (let ih = y[0]; ih < y[1]; ih++) for (let iw = xr[0]; iw < xr[1]; iw++) {
        const at = pl * D * H * W + (id * H + ih) * W + iw;
        gx[at] = f(gx[at]! + share);
      }
    });
    return [new Tensor(gx, x.shape)];
  }, [], 'AdaptiveAvgPool3DBackward0'), (h) => adaptiveAvgPool3d(h, outputSize));
}

/** Maxima over windows making the output `outputSize`, as `F.adaptive_max_pool3d` (`[values, indices]` with returnIndices). */
export function adaptiveMaxPool3d(x: Tensor, outputSize: AdaptiveSize, returnIndices = false): Tensor | [Tensor, Tensor] {
  if (typeof returnIndices !== 'boolean') throw new TypeError(`adaptiveMaxPool3d: returnIndices must be true or false, got ${describeValue(returnIndices)}`);
  const { g, ranges } = adaptiveWindows('adaptive_max_pool3d', x, outputSize);
  const [D, H, W] = g.inS;
  const [Do, Ho, Wo] = g.outS;
  const xv = x.values();
  const planes = g.N * g.C;
  const out = new Float32Array(planes * Do * Ho * Wo);
  const idx = new Int32Array(out.length);
  for (let pl = 0; pl < planes; pl++) for (let od = 0; od < Do; od++) for (let oh = 0; oh < Ho; oh++) for (let ow = 0; ow < Wo; ow++) {
    const [z, y, xr] = [ranges[0]![od]!, ranges[1]![oh]!, ranges[2]![ow]!];
    let best = -Infinity;
    let at = -1;
    for (let id = z[0]; id < z[1]; id++) for (let ih = y[0]; ih < y[1]; ih++) for (let iw = xr[0]; iw < xr[1]; iw++) {
      const pos = (id * H + ih) * W + iw;
      const v = xv[pl * D * H * W + pos]!;
      if (at === -1 || v > best || Number.isNaN(v)) {
        best = v;
        at = pos;
      }
    }
    const o = ((pl * Do + od) * Ho + oh) * Wo + ow;
    out[o] = best;
    idx[o] = at;
  }
  return maxResult(x, g, out, idx, 'adaptiveMaxPool3d', 'AdaptiveMaxPool3DBackward0', returnIndices);
}

/**
 * The maxima `out` (each from the element at `idx` of its plane's D×H×W volume) recorded with their gradient, which
 * goes to those elements; with the indices when asked.
 */
function maxResult(x: Tensor, g: Geometry, out: Float32Array, idx: Int32Array, op: string, torchName: string, withIndices: boolean): Tensor | [Tensor, Tensor] {
  const volume = g.inS[0] * g.inS[1] * g.inS[2];
  const perPlane = g.outS[0] * g.outS[1] * g.outS[2];
  const shape = [...g.batch, g.C, ...g.outS];
  const values = record(new Tensor(out, shape), op, [x], (gr) => {
    const gv = gr.values();
    const gx = new Float32Array(x.numel());
    for (let o = 0; o < gv.length; o++) {
      if (idx[o]! < 0) continue;
      const at = Math.floor(o / perPlane) * volume + idx[o]!;
      gx[at] = f(gx[at]! + gv[o]!);
    }
    return [new Tensor(gx, x.shape)];
  }, [], torchName);
  // Linear in g: the gradient's graph picks the gradient's gradient back at each maximum.
  if (idx.every((i) => i >= 0)) {
    linearTwice(values, (h) => {
      const from = Int32Array.from(idx, (i, o) => Math.floor(o / perPlane) * volume + i);
      return pick(h, shape, from, `${op}Backward`, new Tensor(Float32Array.from(from), shape));
    });
  }
  return withIndices ? [values, new Tensor(Float32Array.from(idx), shape)] : values;
}
