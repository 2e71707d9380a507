/**
 * `F.gridSample` on 4-D inputs and `F.affineGrid` for 2-D transforms, as PyTorch 1.13 computes them
 * (aten/src/ATen/native/GridSampler.{h,cpp}, AffineGridGenerator.cpp): each output pixel reads the input at the grid's
 * (x, y) in [−1, 1] (−1 the left or top edge: pixel centres, or corners with `alignCorners`), bilinearly or from the
 * nearest pixel (halves to even); outside the input it reads zeros, the border, or the input reflected. Gradients
 * reach the input and, for bilinear sampling, the grid (node GridSampler2DBackward0). Each step in float32 as
 * PyTorch's vectorised CPU kernel takes it (aten/src/ATen/native/cpu/GridSamplerKernel.cpp), its multiply-adds fused
 * as its AVX2 build fuses them: the same values, bit for bit, on the grids tried (gradients summed in another order).
 * As there, a NaN coordinate (or an infinite one reflected) is clipped to 0 by border and reflection padding, and
 * with zeros padding a NaN or infinite coordinate gives a NaN weight, so NaN. PyTorch's backward keeps such a NaN
 * coordinate unclipped (and reads memory outside the input with it, or crashes); Kindling's reads the corners the
 * forward pass read, the NaN weights giving NaN.
 */
import { record } from '../autograd/record.js';
import { KindlingError } from '../errors.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { empty } from './util.js';

// f(a + b·c) with float32 a, b, c is a fused multiply-add: the product is exact in float64, one rounding at the end.
const f = Math.fround;

export type GridSampleMode = 'bilinear' | 'nearest';
export type GridPaddingMode = 'zeros' | 'border' | 'reflection';

/**
 * A source coordinate as the forward pass reads it (`at`), as the backward pass does (`back`: the same, but NaN where
 * the coordinate before clipping was NaN, which PyTorch's backward keeps) and d(coordinate)/d(grid value).
 */
interface Source { readonly at: number; readonly back: number; readonly grad: number }

/** PyTorch's forward clip: to [0, size − 1], NaN to 0 (its kernel's max(x, 0) gives 0 for NaN). */
function clip(at: number, size: number): number {
  return Number.isNaN(at) ? 0 : Math.min(Math.max(at, 0), size - 1);
}

/** PyTorch's clip_coordinates_get_grad: the clipped coordinate (NaN kept) and its derivative, 0 at or past either edge. */
function clipGrad(at: number, size: number): { at: number; grad: number } {
  if (at <= 0) return { at: 0, grad: 0 };
  if (at >= size - 1) return { at: size - 1, grad: 0 };
  return { at, grad: 1 };
}

/**
 * PyTorch's reflect_coordinates_get_grad, in float32: `at` reflected off `low` and `low` + `twiceSpan`/2 (|at − low|
 * less whole periods, then the nearer of it and its mirror), and ±1, its derivative. ±∞ and NaN give NaN.
 */
function reflect(at: number, low: number, twiceSpan: number): { at: number; grad: number } {
  const v = f(at - low);
  const abs = Math.abs(v);
  const extra = f(abs - Math.trunc(f(abs / twiceSpan)) * twiceSpan);
  const mirrored = f(twiceSpan - extra);
  const flip = extra > mirrored;
  return { at: f((flip ? mirrored : extra) + low), grad: flip !== v < 0 ? -1 : 1 };
}

/** The source coordinate of a grid value along a dimension of `size` pixels, as PyTorch's vectorised CPU kernel. */
function source(coord: number, size: number, padding: GridPaddingMode, alignCorners: boolean): Source {
  const grad = alignCorners ? f((size - 1) / 2) : f(size / 2);
  const at = alignCorners ? f(f(coord + 1) * grad) : f(f(coord + 1) * grad - 0.5);
  if (padding === 'zeros') return { at, back: at, grad };
  let r = { at, grad: 1 };
  if (padding === 'reflection') {
    // A single pixel reflects everything onto it, with derivative 0 (align_corners; without, its span is 1).
    if (alignCorners && size <= 1) return { at: 0, back: 0, grad: 0 };
    r = alignCorners ? reflect(at, 0, f(2 * (size - 1))) : reflect(at, -0.5, f(2 * size));
  }
  const c = clipGrad(r.at, size);
  return { at: clip(r.at, size), back: c.at, grad: f(f(grad * r.grad) * c.grad) };
}

/** C's nearbyint: to the nearest integer, halves to even. */
function nearbyint(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Samples `input` [N, C, H, W] at `grid` [N, Ho, Wo, 2]: [N, C, Ho, Wo]. */
export function gridSample(input: Tensor, grid: Tensor, mode: GridSampleMode, padding: GridPaddingMode, alignCorners: boolean): Tensor {
  if (input.ndim !== 4) throw new KindlingError(`grid_sampler(): Kindling samples 4-D inputs [N, C, H, W] (PyTorch's 5-D volumes are not built), got input with sizes ${formatShape(input.shape)}`);
  if (grid.ndim !== 4) throw new KindlingError(`grid_sampler(): expected 4D input and grid with same number of dimensions, but got input with sizes ${formatShape(input.shape)} and grid with sizes ${formatShape(grid.shape)}`);
  if (grid.shape[0] !== input.shape[0]) {
    throw new KindlingError(`grid_sampler(): expected grid and input to have same batch size, but got input with sizes ${formatShape(input.shape)} and grid with sizes ${formatShape(grid.shape)}`);
  }
  if (grid.shape[3] !== 2) throw new KindlingError(`grid_sampler(): expected grid to have size 2 in last dimension, but got grid with sizes ${formatShape(grid.shape)}`);
  const [N, C, H, W] = input.shape as [number, number, number, number];
  const [, Ho, Wo] = grid.shape as [number, number, number, number];
  const xv = input.values();
  const gv = grid.values();
  const out = empty([N, C, Ho, Wo]);
  const o = out.data;
  const plane = H * W;
  const outPlane = Ho * Wo;
  const padded = padding !== 'zeros';
  const inside = (y: number, x: number): boolean => y >= 0 && y < H && x >= 0 && x < W;
  // Per output pixel: the source coordinates, the backward pass's and their derivatives.
  const sx = new Float64Array(N * outPlane);
  const sy = new Float64Array(N * outPlane);
  const bx = new Float64Array(N * outPlane);
  const by = new Float64Array(N * outPlane);
  const dx = new Float64Array(N * outPlane);
  const dy = new Float64Array(N * outPlane);
  for (let n = 0; n < N; n++) {
    for (let p = 0; p < outPlane; p++) {
      const k = n * outPlane + p;
      const x = source(gv[2 * k]!, W, padding, alignCorners);
      const y = source(gv[2 * k + 1]!, H, padding, alignCorners);
      [sx[k], sy[k], bx[k], by[k], dx[k], dy[k]] = [x.at, y.at, x.back, y.back, x.grad, y.grad];
      const bl = mode === 'bilinear' ? bilinear(x.at, y.at, padded) : null;
      for (let c = 0; c < C; c++) {
        const base = (n * C + c) * plane;
        let v = 0;
        if (bl === null) {
          const [xi, yi] = [nearbyint(x.at), nearbyint(y.at)];
          v = inside(yi, xi) ? xv[base + yi * W + xi]! : 0;
        } else {
          // All four corners, one outside the input reading 0: a NaN weight (a NaN or infinite coordinate with zeros
          // padding) gives NaN, as in PyTorch.
          for (let j = 0; j < 4; j++) {
            const [yy, xx] = [bl.y0 + (j >> 1), bl.x0 + (j & 1)];
            const t = (inside(yy, xx) ? xv[base + yy * W + xx]! : 0) * bl.w[j]!;
            v = j === 0 ? f(t) : f(v + t);
          }
        }
        o[(n * C + c) * outPlane + p] = v;
      }
    }
  }
  return record(out, 'gridSample', [input, grid], (g) => {
    const gi = empty(input.shape);
    gi.data.fill(0);
    const gg = empty(grid.shape);
    gg.data.fill(0);
    const G = g.data;
    for (let n = 0; n < N; n++) {
      for (let p = 0; p < outPlane; p++) {
        const k = n * outPlane + p;
        if (mode === 'nearest') {
          // The grid's gradient is 0; the input's goes to the pixel the forward pass read.
          const [xi, yi] = [nearbyint(sx[k]!), nearbyint(sy[k]!)];
          if (!inside(yi, xi)) continue;
          for (let c = 0; c < C; c++) gi.data[(n * C + c) * plane + yi * W + xi]! += G[(n * C + c) * outPlane + p]!;
          continue;
        }
        const bl = bilinear(bx[k]!, by[k]!, padded);
        const [n0, s0, w0, e0] = bl.sides;
        let gx = 0;
        let gy = 0;
        for (let c = 0; c < C; c++) {
          const base = (n * C + c) * plane;
          const up = G[(n * C + c) * outPlane + p]!;
          const val: number[] = [0, 0, 0, 0];
          for (let j = 0; j < 4; j++) {
            const [yy, xx] = [bl.y0 + (j >> 1), bl.x0 + (j & 1)];
            if (!inside(yy, xx)) continue;
            gi.data[base + yy * W + xx]! += f(bl.w[j]! * up);
            val[j] = xv[base + yy * W + xx]!;
          }
          const [nw, ne, sw, se] = val as [number, number, number, number];
          gx = f(gx + f(f(f(ne - nw) * s0) + f(se - sw) * n0) * up);
          gy = f(gy + f(f(f(sw - nw) * e0) + f(se - ne) * w0) * up);
        }
        gg.data[2 * k] = f(gx * dx[k]!);
        gg.data[2 * k + 1] = f(gy * dy[k]!);
      }
    }
    return [gi, gg];
  }, undefined, 'GridSampler2DBackward0');
}

/**
 * Bilinear sampling at (x, y), as PyTorch's compute_interp_params: the top-left corner, the distances to the four
 * sides [north, south, west, east] and the corners' weights [nw, ne, sw, se], in float32. With border or reflection
 * padding a NaN coordinate (only the backward pass keeps one) reads the corner the forward pass read, at 0.
 */
function bilinear(x: number, y: number, padded: boolean): { x0: number; y0: number; sides: [number, number, number, number]; w: [number, number, number, number] } {
  const x0 = padded && Number.isNaN(x) ? 0 : Math.floor(x);
  const y0 = padded && Number.isNaN(y) ? 0 : Math.floor(y);
  const w = f(x - Math.floor(x));
  const e = f(1 - w);
  const n = f(y - Math.floor(y));
  const s = f(1 - n);
  return { x0, y0, sides: [n, s, w, e], w: [f(s * e), f(s * w), f(n * e), f(n * w)] };
}
