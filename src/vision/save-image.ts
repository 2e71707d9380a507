/**
 * `saveImage`: torchvision's `save_image` — a tensor of images written as one PNG, laid out by {@link makeGrid},
 * each value v in [0, 1] becoming the byte ⌊255·v + 0.5⌋ (clamped to 0–255; NaN becomes 0). Written atomically.
 */
import { extname } from 'node:path';
import { noGrad } from '../autograd/grad-mode.js';
import { writeFileAtomic } from '../io/atomic.js';
import { pngjs } from '../io/lazy-pngjs.js';
import { describeValue } from '../options.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { makeGrid, type GridOptions } from './make-grid.js';

/** PNG colour types by the grid's channels: grey and alpha, RGB, RGBA (PIL's LA, RGB and RGBA). */
const COLOR_TYPES: Readonly<Record<number, 4 | 2 | 6>> = { 2: 4, 3: 2, 4: 6 };

/** The grid's bytes as torchvision computes them: grid·255 + 0.5, clamped to [0, 255], truncated; NaN gives 0. */
function toBytes(grid: Tensor): Float32Array {
  return noGrad(() => grid.mul(255).add(0.5).clamp(0, 255).toArray());
}

/**
 * Encodes images as a PNG in memory, laid out as {@link makeGrid} lays them out.
 * @throws RangeError when the grid has a number of channels a PNG cannot hold (2, 3 and 4 can; one-channel images
 *   are made three by the grid).
 */
export function imagePng(images: Tensor | readonly Tensor[], options?: GridOptions): Uint8Array {
  return encodeGrid('imagePng', makeGrid(images, options), Array.isArray(images));
}

function encodeGrid(where: string, grid: Tensor, fromArray: boolean): Uint8Array {
  const [channels, height, width] = grid.shape as [number, number, number];
  const colorType = COLOR_TYPES[channels];
  if (colorType === undefined) {
    const hint = fromArray
      ? ' (an array of [H, W] images is stacked into one image of that many channels: give them as [1, H, W] images, or one [B, 1, H, W] tensor)'
      : ' (a [C, H, W] tensor is one image of C channels: for C grey images, give it as [C, 1, H, W], x.unsqueeze(1))';
    throw new RangeError(`${where}: a PNG holds images of 1 to 4 channels (grey, grey and alpha, RGB, RGBA); the grid has shape ` +
      `${formatShape(grid.shape)}, ${channels} channels${hint}`);
  }
  if (height === 0 || width === 0) throw new RangeError(`${where}: the grid has shape ${formatShape(grid.shape)}, with no pixels to write`);
  const values = toBytes(grid);
  const PNG = pngjs();
  const png = new PNG({ width, height });
  const plane = width * height;
  for (let i = 0; i < plane; i++) {
    const byte = (c: number): number => { const v = values[c * plane + i]!; return Number.isNaN(v) ? 0 : Math.trunc(v); };
    const o = i * 4;
    if (channels === 2) {
      png.data[o] = png.data[o + 1] = png.data[o + 2] = byte(0);
      png.data[o + 3] = byte(1);
    } else {
      png.data[o] = byte(0);
      png.data[o + 1] = byte(1);
      png.data[o + 2] = byte(2);
      png.data[o + 3] = channels === 4 ? byte(3) : 255;
    }
  }
  return PNG.sync.write(png, { colorType });
}

/**
 * Writes images to a PNG file, as torchvision's `save_image` does: laid out by {@link makeGrid} (with its options),
 * each value v becoming the byte ⌊255·v + 0.5⌋ clamped to 0–255, so values are expected in [0, 1] (or use
 * `normalize`). The file is written atomically (a temporary file, then a rename).
 *
 * @throws TypeError when the name does not end in `.png`; RangeError for shapes {@link makeGrid} refuses or a
 *   grid a PNG cannot hold.
 * @example
 * saveImage(G.forward(randn(16, 100)).reshape(-1, 1, 28, 28), 'generated.png', { nrow: 4 });
 */
export function saveImage(images: Tensor | readonly Tensor[], path: string, options?: GridOptions): void {
  if (typeof path !== 'string' || extname(path).toLowerCase() !== '.png') {
    throw new TypeError(`saveImage: the file name must end in .png (Kindling writes PNG images), got ${describeValue(path)}`);
  }
  writeFileAtomic(path, encodeGrid('saveImage', makeGrid(images, options), Array.isArray(images)));
}
