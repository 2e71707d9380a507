import { pngjs } from '../io/lazy-pngjs.js';
import { withTextChunk } from '../io/png-text.js';
import { digitAt, digitCount, type DigitSource } from './digit-source.js';
import { DataError } from './errors.js';
import { drawText, fillRect, GLYPH_HEIGHT, textWidth, type Canvas } from './font.js';
import { checkIndex, imageBytes, type MnistSplit } from './mnist.js';

/** Largest grid the preview draws; more would be a poster, not a preview. */
export const MAX_GRID = 1000;
/** Largest number of PNG pixels per image pixel. */
export const MAX_SCALE = 64;
/** Largest PNG a preview draws, in pixels: its canvas takes 4 bytes a pixel (256 MB), and encoding it takes seconds. */
export const MAX_PNG_PIXELS = 64_000_000;

function newCanvas(width: number, height: number): Canvas {
  const data = new Uint8Array(width * height * 4);
  // White background, opaque.
  data.fill(255);
  return { data, width, height };
}

/** Draws image `index` with its top-left corner at (x, y), each pixel a `scale × scale` square; ink is dark. */
function drawDigit(canvas: Canvas, split: MnistSplit, index: number, x: number, y: number, scale: number): void {
  const bytes = imageBytes(split, index);
  for (let r = 0; r < split.rows; r++) {
    for (let c = 0; c < split.cols; c++) {
      fillRect(canvas, x + c * scale, y + r * scale, scale, scale, 255 - bytes[r * split.cols + c]!);
    }
  }
}

/** The `Software` text of every preview PNG: `preview --out` replaces a PNG only when it has it. */
export const PREVIEW_SOFTWARE = 'Kindling preview';
/**
 * The text chunk giving where the digit of a captioned preview is, and the picture's size, as
 * `x y width height pictureWidth pictureHeight` (predict reads it; previews before the size was added have the
 * first four).
 */
export const DIGIT_BOX_KEYWORD = 'Kindling digit box';

/**
 * The text chunk of a grid preview giving the image's size and each digit's box and label, as JSON:
 * `{"width":…,"height":…,"boxes":[[x, y, width, height], …],"labels":[…]}` (predict classifies each cell).
 */
export const DIGIT_GRID_KEYWORD = 'Kindling digit grid';

/** The size of a grid preview, where each of its digits is, and their labels. */
export interface DigitGrid {
  readonly width: number;
  readonly height: number;
  readonly boxes: readonly (readonly [number, number, number, number])[];
  readonly labels: readonly number[];
}

/**
 * The canvas as a PNG that says it is Kindling's preview, and where its digit is when it has a caption too (or
 * where each digit is, for a grid).
 */
function encode(canvas: Canvas, digits?: { box: readonly [number, number, number, number, number, number] } | { grid: DigitGrid }): Uint8Array {
  const png = new (pngjs())({ width: canvas.width, height: canvas.height });
  png.data = Buffer.from(canvas.data.buffer, canvas.data.byteOffset, canvas.data.byteLength);
  const out = pngjs().sync.write(png);
  let bytes: Uint8Array = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  if (digits !== undefined && 'box' in digits) bytes = withTextChunk(bytes, DIGIT_BOX_KEYWORD, digits.box.join(' '));
  if (digits !== undefined && 'grid' in digits) bytes = withTextChunk(bytes, DIGIT_GRID_KEYWORD, JSON.stringify(digits.grid));
  return withTextChunk(bytes, 'Software', PREVIEW_SOFTWARE);
}

function checkScale(scale: number): void {
  if (!Number.isInteger(scale) || scale < 1 || scale > MAX_SCALE) {
    throw new DataError(`scale must be an integer from 1 to ${MAX_SCALE}, got ${scale}`);
  }
}

/**
 * A PNG of image `at` of `source` (a split, or a `MnistDataset` as its `get` counts), scaled up `scale` times
 * (dark ink on white), with "label N" written under it — the chapter's `imshow` with the label as the title — unless `caption` is false: then the digit alone, as
 * `kindling predict` expects an image (it would take the caption for ink).
 *
 * @returns the PNG file's bytes; its size is (cols·scale) × (rows·scale + a caption strip, if any).
 * @example
 * writeFileAtomic('digit.png', digitPng(loadEmbeddedMnist('train'), 13));
 */
export function digitPng(source: DigitSource, at: number, scale = 10, caption = true): Uint8Array {
  const { split, index } = digitAt(source, at, 'digitPng');
  checkIndex(split, index);
  checkScale(scale);
  const width = split.cols * scale;
  if (!caption) {
    const canvas = newCanvas(width, split.rows * scale);
    drawDigit(canvas, split, index, 0, 0, scale);
    return encode(canvas);
  }
  const text = `label ${split.labels[index]}`;
  // The caption shrinks with the image so that it always fits.
  let textScale = Math.max(1, Math.floor(scale / 3));
  while (textScale > 1 && textWidth(text, textScale) > width - 4) textScale--;
  const pad = 2 * textScale;
  const height = split.rows * scale + GLYPH_HEIGHT * textScale + 2 * pad;
  const canvas = newCanvas(width, height);
  drawDigit(canvas, split, index, 0, 0, scale);
  drawText(canvas, text, Math.floor((width - textWidth(text, textScale)) / 2), split.rows * scale + pad, textScale);
  return encode(canvas, { box: [0, 0, width, split.rows * scale, width, height] });
}

/** The layout of a grid preview, exposed so that tests and callers can know the image size in advance. */
export interface GridLayout {
  readonly columns: number;
  readonly rowsOfCells: number;
  readonly cellWidth: number;
  readonly cellHeight: number;
  readonly width: number;
  readonly height: number;
}

const GRID_GAP = 6;
const GRID_TEXT_SCALE = 2;

function pixels(layout: GridLayout): number {
  return layout.width * layout.height;
}

/** The layout of a grid of `n` images at `scale`: a near-square arrangement with a label under each image. */
export function gridLayout(split: Pick<MnistSplit, 'rows' | 'cols'>, n: number, scale = 3): GridLayout {
  const columns = Math.ceil(Math.sqrt(n));
  const rowsOfCells = Math.ceil(n / columns);
  const cellWidth = split.cols * scale + GRID_GAP;
  const cellHeight = split.rows * scale + GLYPH_HEIGHT * GRID_TEXT_SCALE + 2 * GRID_GAP;
  const width = columns * cellWidth + GRID_GAP;
  const height = rowsOfCells * cellHeight + GRID_GAP;
  return { columns, rowsOfCells, cellWidth, cellHeight, width, height };
}

/**
 * A PNG grid of `n` images starting at `start`, each with its label written under it.
 *
 * @throws DataError when `n` is not 1…1000 or the images run past the end of the split.
 */
export function gridPng(source: DigitSource, first: number, n: number, scale = 3): Uint8Array {
  if (!Number.isInteger(n) || n < 1 || n > MAX_GRID) {
    throw new DataError(`grid size must be an integer from 1 to ${MAX_GRID}, got ${n}`);
  }
  checkScale(scale);
  const { split, index: start } = digitAt(source, first, 'gridPng');
  checkIndex(split, start);
  const count = digitCount(source);
  if (start + n > count) {
    throw new DataError(
      `a grid of ${n} images from index ${start} runs past the end: ${split.source} has ${count} images ` +
        `(0 to ${count - 1})${count < split.count ? ' within the dataset\'s limit' : ''}`,
    );
  }
  const layout = gridLayout(split, n, scale);
  if (pixels(layout) > MAX_PNG_PIXELS) {
    let fits = scale - 1;
    while (fits > 0 && pixels(gridLayout(split, n, fits)) > MAX_PNG_PIXELS) fits--;
    throw new DataError(
      `a grid of ${n} images at scale ${scale} would be a ${layout.width.toLocaleString('en-US')} × ${layout.height.toLocaleString('en-US')} PNG ` +
        `(${Math.round(pixels(layout) / 1e6).toLocaleString('en-US')} megapixels), more than the ${MAX_PNG_PIXELS / 1e6} megapixels a preview draws: ` +
        (fits > 0 ? `for ${n} images, use a scale of at most ${fits}, or fewer images` : 'use fewer images'),
    );
  }
  const canvas = newCanvas(layout.width, layout.height);
  const boxes: [number, number, number, number][] = [];
  for (let k = 0; k < n; k++) {
    const x = GRID_GAP + (k % layout.columns) * layout.cellWidth;
    const y = GRID_GAP + Math.floor(k / layout.columns) * layout.cellHeight;
    drawDigit(canvas, split, start + k, x, y, scale);
    const label = String(split.labels[start + k]);
    const imageWidth = split.cols * scale;
    const labelX = x + Math.floor((imageWidth - textWidth(label, GRID_TEXT_SCALE)) / 2);
    drawText(canvas, label, labelX, y + split.rows * scale + GRID_GAP / 2, GRID_TEXT_SCALE);
    boxes.push([x, y, imageWidth, split.rows * scale]);
  }
  return encode(canvas, { grid: { width: layout.width, height: layout.height, boxes, labels: Array.from(split.labels.subarray(start, start + n)) } });
}
