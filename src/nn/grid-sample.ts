// PyTorch's `F.affine_grid(theta, size, align_corners)` and `F.grid_sample(input, grid, mode='bilinear',
// padding_mode='zeros', align_corners)` for 2-D transforms (ops/grid-sample.ts): together, a spatial transformer —
// `F.gridSample(x, F.affineGrid(theta, x.shape, false), { alignCorners: false })`. `alignCorners` defaults to false,
// PyTorch's default since 1.3 (which it warns about when left out; Kindling does not).
import { KindlingError } from '../errors.js';
import { gridSample as gridSampleOp, type GridPaddingMode, type GridSampleMode } from '../ops/grid-sample.js';
import { checkTensor } from '../ops/util.js';
import { describeValue, layerArguments } from '../options.js';
import { linspace, tensor } from '../tensor/creation.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/** PyTorch's `linspace_from_neg_one`: W steps over [−1, 1], pulled in to the pixel centres without alignCorners. */
function fromNegOne(steps: number, alignCorners: boolean): Float32Array {
  if (steps <= 1) return new Float32Array(Math.max(steps, 1));
  const range = linspace(-1, 1, steps);
  return (alignCorners ? range : range.mul(steps - 1).div(steps)).values();
}

/**
 * The sampling grid [N, H, W, 2] of the affine maps `theta` [N, 2, 3] for an output of `size` [N, C, H, W]:
 * `F.affineGrid(theta, size)`, `F.affineGrid(theta, size, false)` or `F.affineGrid(theta, size, { alignCorners:
 * false })`, as PyTorch's `F.affine_grid(theta, size, align_corners=None)`, whose None (null here) is false.
 */
export function affineGrid(theta: Tensor, size: readonly number[], ...rest: [alignCorners?: boolean | null | { alignCorners?: boolean | null }]): Tensor {
  checkTensor(theta, 'affineGrid', 'theta');
  if (!Array.isArray(size) || !size.every((v) => Number.isInteger(v))) throw new TypeError(`affineGrid: size must be the output's [N, C, H, W], got ${describeValue(size)}`);
  const alignCorners = layerArguments('affineGrid', rest, ['alignCorners'], 'F.affineGrid(theta, x.shape, false)')['alignCorners'] ?? false;
  if (typeof alignCorners !== 'boolean') throw new TypeError(`affineGrid: alignCorners must be true or false, got ${describeValue(alignCorners)}`);
  const pySize = `(${size.join(', ')})`;
  if (size.length === 5) throw new KindlingError(`affineGrid: Kindling builds 2-D grids (size [N, C, H, W]); PyTorch's 3-D transforms (size ${pySize}) are not built`);
  if (size.length !== 4) throw new KindlingError(`affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, respectively. Got size ${pySize}.`);
  if (theta.ndim !== 3 || theta.shape[1] !== 2 || theta.shape[2] !== 3) {
    throw new KindlingError(`Expected a batch of 2D affine matrices of shape Nx2x3 for size ${pySize}. Got ${formatShape(theta.shape)}.`);
  }
  if (Math.min(...size) <= 0) throw new KindlingError(`Expected non-zero, positive output size. Got ${pySize}`);
  const [N, , H, W] = size as [number, number, number, number];
  if (theta.shape[0] !== N) throw new KindlingError(`affineGrid: theta holds ${theta.shape[0]} matrices for a batch of ${N}`);
  const xs = fromNegOne(W, alignCorners);
  const ys = fromNegOne(H, alignCorners);
  const base = new Float32Array(H * W * 3);
  for (let h = 0; h < H; h++) {
    for (let w = 0; w < W; w++) base.set([xs[w]!, ys[h]!, 1], (h * W + w) * 3);
  }
  const grid = tensor(base, [1, H * W, 3]).expand([N, H * W, 3]).bmm(theta.transpose(1, 2));
  return grid.reshape([N, H, W, 2]);
}

const MODES: readonly string[] = ['bilinear', 'nearest', 'bicubic'];
const PADDINGS: readonly string[] = ['zeros', 'border', 'reflection'];

/** The options of `gridSample`, PyTorch's keywords. */
export interface GridSampleOptions {
  mode?: GridSampleMode;
  paddingMode?: GridPaddingMode;
  alignCorners?: boolean;
}

/**
 * Samples `input` [N, C, H, W] at the points of `grid` [N, Ho, Wo, 2] (x, y in [−1, 1]), PyTorch's `grid_sample`:
 * `F.gridSample(x, grid)`, `F.gridSample(x, grid, 'nearest', 'border', true)` or `F.gridSample(x, grid, { mode,
 * paddingMode, alignCorners })`. Returns [N, C, Ho, Wo].
 */
export function gridSample(
  input: Tensor, grid: Tensor, ...rest: [mode?: GridSampleMode | GridSampleOptions, paddingMode?: GridPaddingMode, alignCorners?: boolean]
): Tensor {
  checkTensor(input, 'gridSample');
  checkTensor(grid, 'gridSample', 'grid');
  const a = layerArguments('gridSample', rest, ['mode', 'paddingMode', 'alignCorners'], "F.gridSample(x, grid, 'bilinear', 'zeros', false)");
  // Left out, the defaults; null is refused, as PyTorch refuses mode=None and padding_mode=None.
  const mode = (a['mode'] === undefined ? 'bilinear' : a['mode']) as string;
  const padding = (a['paddingMode'] === undefined ? 'zeros' : a['paddingMode']) as string;
  if (!MODES.includes(mode)) throw new KindlingError(`nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', but got: '${String(mode)}'`);
  if (mode === 'bicubic') throw new KindlingError("gridSample: mode 'bicubic' is not built in Kindling; use 'bilinear' or 'nearest'");
  if (!PADDINGS.includes(padding)) throw new KindlingError(`nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or 'reflection', but got: '${String(padding)}'`);
  const alignCorners = a['alignCorners'] ?? false;
  if (typeof alignCorners !== 'boolean') throw new TypeError(`gridSample: alignCorners must be true or false, got ${describeValue(alignCorners)}`);
  return gridSampleOp(input, grid, mode as GridSampleMode, padding as GridPaddingMode, alignCorners);
}
