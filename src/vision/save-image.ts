/**
 * `saveImage`: torchvision's `save_image` — a tensor of images written as one PNG, laid out by {@link makeGrid},
 * each value v in [0, 1] becoming the byte ⌊255·v + 0.5⌋ (clamped to 0–255; NaN becomes 0). Written atomically.
 */
import { extname } from 'node:path';
import { noGrad } from '../autograd/grad-mode.js';
import { writeFileAtomic } from '../io/atomic.js';
import { pngjs } from '../io/lazy-pngjs.js';
import { checkOptions, describeValue, isPlainObject, shownValue } from '../options.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { GRID_HINTS, GRID_OPTIONS, layOut, type GridOptions } from './make-grid.js';

/** {@link makeGrid}'s options, and `scale`: each pixel drawn as a `scale × scale` square (default 1, torchvision's). */
export interface ImageOptions extends GridOptions {
  readonly scale?: number;
}

/** The largest `scale`: a 28 × 28 digit 448 pixels wide. */
const MAX_SCALE = 16;
/** The largest PNG written, in pixels: its canvas takes 4 bytes a pixel (256 MB). */
const MAX_PIXELS = 64_000_000;

/** `scale`, checked, and the grid's own options. */
function splitOptions(where: string, options: ImageOptions | undefined): [number, GridOptions | undefined] {
  // Anything but an object literal goes to makeGrid's check, which says what options must be.
  if (options === undefined || !isPlainObject(options)) return [1, options];
  const { scale = 1, ...grid }: Partial<ImageOptions> = checkOptions<ImageOptions>(where, options as ImageOptions, [...GRID_OPTIONS, 'scale'], GRID_HINTS);
  if (!Number.isInteger(scale) || scale < 1 || scale > MAX_SCALE) {
    throw new RangeError(`${where}: scale must be a whole number of PNG pixels per image pixel, 1 to ${MAX_SCALE}, got ${shownValue(scale)}`);
  }
  return [scale, grid];
}

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
export function imagePng(images: Tensor | readonly Tensor[], options?: ImageOptions): Uint8Array {
  const [scale, grid] = splitOptions('imagePng', options);
  return encodeGrid('imagePng', layOut('imagePng', images, grid), Array.isArray(images), scale);
}

function encodeGrid(where: string, grid: Tensor, fromArray: boolean, scale: number): Uint8Array {
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
  if (width * scale * height * scale > MAX_PIXELS) {
    throw new RangeError(`${where}: the PNG would be ${width * scale} × ${height * scale} pixels (the grid ${formatShape(grid.shape)} at scale ${scale}), more than ${MAX_PIXELS.toLocaleString('en-US')}: save fewer images at once, or a smaller scale`);
  }
  const values = toBytes(grid);
  const PNG = pngjs();
  const png = new PNG({ width: width * scale, height: height * scale });
  const plane = width * height;
  const rgba = new Uint8Array(4);
  for (let i = 0; i < plane; i++) {
    const byte = (c: number): number => { const v = values[c * plane + i]!; return Number.isNaN(v) ? 0 : Math.trunc(v); };
    if (channels === 2) {
      rgba[0] = rgba[1] = rgba[2] = byte(0);
      rgba[3] = byte(1);
    } else {
      rgba[0] = byte(0);
      rgba[1] = byte(1);
      rgba[2] = byte(2);
      rgba[3] = channels === 4 ? byte(3) : 255;
    }
    // The pixel as a scale × scale square (nearest neighbour: the digits stay crisp).
    const x0 = (i % width) * scale;
    const y0 = Math.floor(i / width) * scale;
    for (let y = y0; y < y0 + scale; y++) {
      for (let x = x0; x < x0 + scale; x++) png.data.set(rgba, (y * width * scale + x) * 4);
    }
  }
  return PNG.sync.write(png, { colorType });
}

/**
 * Writes images to a PNG file, as torchvision's `save_image` does: laid out by {@link makeGrid} (with its options),
 * each value v becoming the byte ⌊255·v + 0.5⌋ clamped to 0–255, so values are expected in [0, 1] (or use
 * `normalize`). `scale` (Kindling's, 1 to 16, default 1) draws each pixel as a `scale × scale` square, so that a
 * grid of 28 × 28 digits is big enough to look at. The file is written atomically (a temporary file, then a rename).
 *
 * @throws TypeError when the name does not end in `.png`; RangeError for shapes {@link makeGrid} refuses or a
 *   grid a PNG cannot hold.
 * @example
 * saveImage(G.forward(randn(16, 100)).reshape(-1, 1, 28, 28), 'generated.png', { nrow: 4 });
 */
export function saveImage(images: Tensor | readonly Tensor[], path: string, options?: ImageOptions): void {
  if (typeof path !== 'string' || extname(path).toLowerCase() !== '.png') {
    throw new TypeError(`saveImage: the file name must end in .png (Kindling writes PNG images), got ${describeValue(path)}`);
  }
  const [scale, grid] = splitOptions('saveImage', options);
  writeFileAtomic(path, encodeGrid('saveImage', layOut('saveImage', images, grid), Array.isArray(images), scale));
}
