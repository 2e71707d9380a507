/**
 * `F.gridSample` on 4-D inputs and `F.affineGrid` for 2-D transforms, as PyTorch 1.13 computes them
 * (aten/src/ATen/native/GridSampler.{h,cpp}, AffineGridGenerator.cpp): each output pixel reads the input at the grid's
 * (x, y) in [−1, 1] (−1 the left or top edge: pixel centres, or corners with `alignCorners`), bilinearly or from the
 * nearest pixel (halves to even); outside the input it reads zeros, the border, or the input reflected. Gradients
 * reach the input and, for bilinear sampling, the grid (node GridSampler2DBackward0). Each step in float32, as
 * PyTorch's scalar kernel: within float32 rounding of its vectorised one.
 */
import { record } from '../autograd/record.js';
import { KindlingError } from '../errors.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { empty } from './util.js';

const f = Math.fround;

export type GridSampleMode = 'bilinear' | 'nearest';
export type GridPaddingMode = 'zeros' | 'border' | 'reflection';

/** A source coordinate and d(coordinate)/d(grid value). */
interface Source { readonly at: number; readonly grad: number }

function clip(at: number, size: number): Source {
  if (at <= 0) return { at: 0, grad: 0 };
  const max = size - 1;
  return at >= max ? { at: max, grad: 0 } : { at, grad: 1 };
}

function reflect(at: number, twiceLow: number, twiceHigh: number): Source {
  if (twiceLow === twiceHigh) return { at: 0, grad: 0 };
  const min = f(twiceLow / 2);
  const span = f((twiceHigh - twiceLow) / 2);
  let v = f(at - min);
  let sign = 1;
  if (v < 0) {
    sign = -1;
    v = -v;
  }
  const extra = f(v % span);
  const flips = Math.floor(f(v / span));
  return flips % 2 === 0 ? { at: f(extra + min), grad: sign } : { at: f(f(span - extra) + min), grad: -sign };
}

/** The source coordinate of a grid value along a dimension of `size` pixels, and its derivative. */
function source(coord: number, size: number, padding: GridPaddingMode, alignCorners: boolean): Source {
  let at: number;
  let grad: number;
  if (alignCorners) {
    grad = f((size - 1) / 2);
    at = f(f(f(coord + 1) / 2) * (size - 1));
  } else {
    grad = f(size / 2);
    at = f(f(f(f(coord + 1) * size) - 1) / 2);
  }
  if (padding === 'border') {
    const c = clip(at, size);
    return { at: c.at, grad: grad * c.grad };
  }
  if (padding === 'reflection') {
    const r = alignCorners ? reflect(at, 0, 2 * (size - 1)) : reflect(at, -1, 2 * size - 1);
    const c = clip(r.at, size);
    return { at: c.at, grad: grad * r.grad * c.grad };
  }
  return { at, grad };
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
  const inside = (y: number, x: number): boolean => y >= 0 && y < H && x >= 0 && x < W;
  // Per output pixel: the source coordinates and their derivatives, kept for the backward pass.
  const sx = new Float64Array(N * outPlane);
  const sy = new Float64Array(N * outPlane);
  const dx = new Float64Array(N * outPlane);
  const dy = new Float64Array(N * outPlane);
  for (let n = 0; n < N; n++) {
    for (let p = 0; p < outPlane; p++) {
      const k = n * outPlane + p;
      const x = source(gv[2 * k]!, W, padding, alignCorners);
      const y = source(gv[2 * k + 1]!, H, padding, alignCorners);
      sx[k] = x.at;
      sy[k] = y.at;
      dx[k] = x.grad;
      dy[k] = y.grad;
      for (let c = 0; c < C; c++) {
        const base = (n * C + c) * plane;
        let v = 0;
        if (mode === 'nearest') {
          const [xi, yi] = [nearbyint(x.at), nearbyint(y.at)];
          v = inside(yi, xi) ? xv[base + yi * W + xi]! : 0;
        } else {
          const [x0, y0] = [Math.floor(x.at), Math.floor(y.at)];
          const [tx, ty, ux, uy] = [f(x0 + 1 - x.at), f(y0 + 1 - y.at), f(x.at - x0), f(y.at - y0)];
          if (inside(y0, x0)) v = f(v + f(xv[base + y0 * W + x0]! * f(tx * ty)));
          if (inside(y0, x0 + 1)) v = f(v + f(xv[base + y0 * W + x0 + 1]! * f(ux * ty)));
          if (inside(y0 + 1, x0)) v = f(v + f(xv[base + (y0 + 1) * W + x0]! * f(tx * uy)));
          if (inside(y0 + 1, x0 + 1)) v = f(v + f(xv[base + (y0 + 1) * W + x0 + 1]! * f(ux * uy)));
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
        const [x, y] = [sx[k]!, sy[k]!];
        let gx = 0;
        let gy = 0;
        for (let c = 0; c < C; c++) {
          const base = (n * C + c) * plane;
          const up = G[(n * C + c) * outPlane + p]!;
          if (mode === 'nearest') {
            const [xi, yi] = [nearbyint(x), nearbyint(y)];
            if (inside(yi, xi)) gi.data[base + yi * W + xi]! += up;
            continue;
          }
          const [x0, y0] = [Math.floor(x), Math.floor(y)];
          const [tx, ty, ux, uy] = [x0 + 1 - x, y0 + 1 - y, x - x0, y - y0];
          const corners: [number, number, number, number, number][] = [
            // y, x, weight, d(weight)/dx, d(weight)/dy
            [y0, x0, tx * ty, -ty, -tx], [y0, x0 + 1, ux * ty, ty, -ux], [y0 + 1, x0, tx * uy, -uy, tx], [y0 + 1, x0 + 1, ux * uy, uy, ux],
          ];
          for (const [yy, xx, w, wx, wy] of corners) {
            if (!inside(yy, xx)) continue;
            const at = base + yy * W + xx;
            gi.data[at]! += w * up;
            gx += xv[at]! * wx * up;
            gy += xv[at]! * wy * up;
          }
        }
        gg.data[2 * k] = dx[k]! * gx;
        gg.data[2 * k + 1] = dy[k]! * gy;
      }
    }
    return [gi, gg];
  }, undefined, 'GridSampler2DBackward0');
}
