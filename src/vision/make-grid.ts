/**
 * `makeGrid`: torchvision's `make_grid` — a batch of images laid out side by side in one image, with padding
 * between them, for saving or viewing what a network made (a GAN's generated digits, a conv layer's filters).
 */
import { noGrad } from '../autograd/grad-mode.js';
import { cat, stack } from '../ops/join.js';
import { checkOptions, describeValue, shownValue } from '../options.js';
import { full } from '../tensor/creation.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

export interface GridOptions {
  /** Images in each row of the grid (default 8); the grid has ⌈count / nrow⌉ rows. */
  readonly nrow?: number;
  /** Pixels of padding around and between the images (default 2). */
  readonly padding?: number;
  /** Shift the values to [0, 1] by the smallest and largest value, or by `valueRange` (default false). */
  readonly normalize?: boolean;
  /** With `normalize`: the values that become 0 and 1 (values outside are clamped); default the tensor's own. */
  readonly valueRange?: readonly [number, number] | null;
  /** With `normalize`: each image by its own smallest and largest value instead of the whole batch's. */
  readonly scaleEach?: boolean;
  /** The padding's value (default 0, black). */
  readonly padValue?: number;
}

export const GRID_OPTIONS = ['nrow', 'padding', 'normalize', 'valueRange', 'scaleEach', 'padValue'] as const;

/**
 * Advice for names from older torchvision: tutorials (DCGAN's among them) still pass `range=(-1, 1)`, which
 * torchvision 0.14 takes into `**kwargs` and ignores without a word, so the images come out unnormalised.
 */
export const GRID_HINTS = {
  range: 'torchvision\'s old name for valueRange (torchvision 0.14 ignores range without a word); use valueRange: [low, high]',
};

/** The options, checked, with torchvision's defaults filled in. */
interface CheckedGridOptions extends Required<Omit<GridOptions, 'valueRange'>> {
  readonly valueRange: readonly [number, number] | undefined;
}

function gridOptions(where: string, options: GridOptions | undefined): CheckedGridOptions {
  const o = checkOptions(where, options, [...GRID_OPTIONS], GRID_HINTS);
  const nrow = o.nrow ?? 8;
  if (!Number.isInteger(nrow) || nrow < 1) throw new RangeError(`${where}: nrow must be a whole number of images, 1 or more, got ${shownValue(nrow)}`);
  const padding = o.padding ?? 2;
  if (!Number.isInteger(padding) || padding < 0) throw new RangeError(`${where}: padding must be a whole number of pixels, 0 or more, got ${shownValue(padding)}`);
  for (const k of ['normalize', 'scaleEach'] as const) {
    if (o[k] !== undefined && typeof o[k] !== 'boolean') throw new TypeError(`${where}: ${k} must be true or false, got ${describeValue(o[k])}`);
  }
  const padValue = o.padValue ?? 0;
  if (typeof padValue !== 'number') throw new TypeError(`${where}: padValue must be a number, got ${describeValue(padValue)}`);
  if (Number.isFinite(padValue) && !Number.isFinite(Math.fround(padValue))) throw new RangeError(`${where}: padValue ${padValue} is beyond float32's range`);
  const range = o.valueRange ?? undefined;   // null is PyTorch's None
  if (range !== undefined && !(Array.isArray(range) && range.length === 2 && range.every((v) => typeof v === 'number' && Number.isFinite(v)))) {
    throw new TypeError(`${where}: valueRange must be two finite numbers [low, high], got ${Array.isArray(range) ? `[${range.map(shownValue).join(', ')}]` : describeValue(range)}`);
  }
  if (range?.some((v) => !Number.isFinite(Math.fround(v)))) throw new RangeError(`${where}: valueRange [${range.join(', ')}] is beyond float32's range`);
  return { nrow, padding, normalize: o.normalize ?? false, scaleEach: o.scaleEach ?? false, padValue, valueRange: range };
}

let warnedFlat = false;

/**
 * A [N, 784] tensor is one image N pixels high to torchvision as to Kindling: almost always a batch of flat MNIST
 * images that was meant to be reshaped. Said once per process, as a warning (the call is valid).
 */
function warnFlatBatch(where: string, t: Tensor): void {
  if (warnedFlat || t.ndim !== 2 || t.shape[1] !== 784 || typeof process === 'undefined' || typeof process.emitWarning !== 'function') return;
  warnedFlat = true;
  process.emitWarning(`${where}: a tensor of shape ${formatShape(t.shape)} is drawn as one image ${t.shape[0]} pixels high and 784 wide; ` +
    `for ${t.shape[0]} flat 28 × 28 images, reshape it first: x.reshape(-1, 1, 28, 28)`);
}

/** Clamps `img` to [low, high] and maps that range to [0, 1], in place (torchvision's `norm_ip`). */
function normalizeInPlace(img: Tensor, low: number, high: number): void {
  img.clamp_(low, high);
  img.sub_(low).div_(Math.max(high - low, 1e-5));
}

function normalizeRange(t: Tensor, range: readonly [number, number] | undefined): void {
  if (range !== undefined) normalizeInPlace(t, range[0], range[1]);
  else normalizeInPlace(t, t.min().item(), t.max().item());
}

/** The images as one [B, C, H, W] batch, one-channel images made three (grey as RGB), as torchvision does. */
function asBatch(where: string, images: Tensor | readonly Tensor[]): Tensor {
  let t: Tensor;
  if (Array.isArray(images)) {
    if (images.length === 0) throw new RangeError(`${where}: expects at least one image, got an empty array`);
    images.forEach((x: unknown, i) => {
      if (!(x instanceof Tensor)) throw new TypeError(`${where}: expects a tensor or an array of tensors, got ${describeValue(x)} at index ${i}`);
      if (!sameShape(x.shape, images[0]!.shape)) {
        throw new RangeError(`${where}: the images of an array must have one shape; image ${i} has shape ${formatShape(x.shape)}, image 0 ${formatShape(images[0]!.shape)}`);
      }
    });
    t = stack(images, 0);
  } else if (images instanceof Tensor) {
    t = images;
  } else {
    throw new TypeError(`${where}: expects a tensor or an array of tensors, got ${describeValue(images)}`);
  }
  if (t.ndim < 2 || t.ndim > 4) {
    const hint = t.ndim === 1 ? ' (a flat image? reshape it, as x.reshape(28, 28))' : '';
    throw new RangeError(`${where}: expects one image [H, W] or [C, H, W], or a batch [B, C, H, W], got shape ${formatShape(t.shape)}${hint}`);
  }
  if (t.ndim === 2) {
    warnFlatBatch(where, t);
    t = t.unsqueeze(0);
  }
  if (t.ndim === 3) {
    if (t.shape[0] === 1) t = cat([t, t, t], 0);
    t = t.unsqueeze(0);
  }
  if (t.shape[1] === 1) t = cat([t, t, t], 1);
  if (t.shape[0] === 0) throw new RangeError(`${where}: expects at least one image, got a batch of shape ${formatShape(t.shape)}`);
  return t;
}

/**
 * Lays out a batch of images in a grid, as torchvision's `make_grid`, with the same results: a [C, H, W] tensor,
 * `nrow` images to a row, `padding` pixels of `padValue` around each. Images are [H, W] (one), [C, H, W] (one) or
 * [B, C, H, W], or an array of same-shaped tensors (stacked first). One-channel images become three (grey as RGB).
 * A single image comes back without padding (as torchvision's does). No gradient flows through it.
 *
 * @throws RangeError for a shape that is not an image or a batch of images, or a bad option.
 * @example
 * const grid = makeGrid(G.forward(seeds).reshape(-1, 1, 28, 28), { nrow: 4 });   // [3, H, W]
 */
export function makeGrid(images: Tensor | readonly Tensor[], options?: GridOptions): Tensor {
  return layOut('makeGrid', images, options);
}

/** {@link makeGrid}, its messages naming `where` (the function the user called). @internal */
export function layOut(where: string, images: Tensor | readonly Tensor[], options: GridOptions | undefined): Tensor {
  const o = gridOptions(where, options);
  return noGrad(() => {
    let t = asBatch(where, images);
    if (o.normalize) {
      t = t.clone();
      if (o.scaleEach) for (let k = 0; k < t.shape[0]!; k++) normalizeRange(t.select(0, k), o.valueRange);
      else normalizeRange(t, o.valueRange);
    }
    const [count, channels, h, w] = t.shape as [number, number, number, number];
    if (count === 1) return t.squeeze(0);
    const across = Math.min(o.nrow, count);
    const down = Math.ceil(count / across);
    const cellH = h + o.padding;
    const cellW = w + o.padding;
    const grid = full([channels, cellH * down + o.padding, cellW * across + o.padding], o.padValue);
    for (let k = 0; k < count; k++) {
      const y = Math.floor(k / across);
      const x = k % across;
      grid.narrow(1, y * cellH + o.padding, h).narrow(2, x * cellW + o.padding, w).copy_(t.select(0, k));
    }
    return grid;
  });
}
