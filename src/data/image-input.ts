/**
 * Any picture of a digit → the 28 × 28 grey image an MNIST model expects, prepared the way MNIST itself was made
 * (LeCun et al.): the digit, white on black, scaled so its bounding box fits 20 × 20 with its aspect ratio kept
 * (anti-aliased by area averaging), then placed so its centre of mass is at the centre of the 28 × 28 field.
 *
 * Pure computation on RGBA bytes, with no Node.js imports: the web page runs the same function in the browser.
 */
import { DataError } from './errors.js';

/** MNIST's image side. */
export const MNIST_SIDE = 28;
/** The side of the box the digit is scaled into. */
export const DIGIT_BOX = 20;
/** Ink below this share of the strongest ink is treated as background (paper texture, compression noise). */
const NOISE = 0.02;
/**
 * Ink less than this many standard deviations of the border's noise above the background is background too: a
 * photo's grain or a scan's speckle, which would otherwise widen the digit's box to the whole picture (six: of a
 * 12-megapixel photo's normally distributed grain, about one pixel in 10^9 passes).
 */
const GRAIN_SIGMAS = 6;

/** Luminance (ITU-R BT.601), 0–255. */
function luminance(r: number, g: number, b: number): number {
  return 0.299 * r + 0.587 * g + 0.114 * b;
}

/**
 * Grey values with transparency resolved. When most of the picture is transparent (a digit drawn on a transparent
 * canvas: only the ink is opaque), a transparent pixel becomes the colour that contrasts with the ink (white under
 * dark ink, black under light ink), so the digit reads as drawn on paper. When most of it is opaque (a photo or a
 * screenshot with rounded, transparent corners), the opaque part holds the background too, and a transparent pixel
 * becomes that background: the median grey of the mostly opaque pixels.
 */
function greyLevels(rgba: ArrayLike<number>, n: number): Float32Array {
  const grey = new Float32Array(n);
  let transparent = false;
  let inkSum = 0;
  let alphaSum = 0;
  const opaque = new Uint32Array(256);
  for (let i = 0; i < n; i++) {
    const a = rgba[4 * i + 3]! / 255;
    const l = luminance(rgba[4 * i]!, rgba[4 * i + 1]!, rgba[4 * i + 2]!);
    grey[i] = l;
    if (a < 1) transparent = true;
    if (a >= 0.5) opaque[Math.round(l)]!++;
    inkSum += a * l;
    alphaSum += a;
  }
  if (!transparent) return grey;
  const under = alphaSum > n / 2 ? median(opaque) : alphaSum > 0 && inkSum / alphaSum < 128 ? 255 : 0;
  for (let i = 0; i < n; i++) {
    const a = rgba[4 * i + 3]! / 255;
    grey[i] = a * grey[i]! + (1 - a) * under;
  }
  return grey;
}

/** The median of a histogram of grey levels 0–255. */
function median(histogram: Uint32Array): number {
  let total = 0;
  for (const c of histogram) total += c;
  let seen = 0;
  for (let level = 0; level < 256; level++) {
    seen += histogram[level]!;
    if (2 * seen >= total) return level;
  }
  return 255;
}

/**
 * The median grey of the outermost rows and columns (the background, whatever the digit covers), and the spread of
 * its grain: the standard deviation as estimated from the median absolute deviation (0 on clean paper).
 */
function borderLevel(grey: Float32Array, w: number, h: number): { level: number; grain: number } {
  const edge: number[] = [];
  for (let x = 0; x < w; x++) edge.push(grey[x]!, grey[(h - 1) * w + x]!);
  for (let y = 1; y < h - 1; y++) edge.push(grey[y * w]!, grey[y * w + w - 1]!);
  edge.sort((a, b) => a - b);
  const level = edge[edge.length >> 1]!;
  const deviations = edge.map((v) => Math.abs(v - level)).sort((a, b) => a - b);
  return { level, grain: 1.4826 * deviations[deviations.length >> 1]! };
}

/**
 * Whether the ink is darker than the background: the side of the border's level where more contrast lies beyond the
 * grain (ink covers more of a picture than a glare or a shadow's edge does), so dark ink on a dim photo of paper (a
 * background below mid-grey) reads as dark ink too. With no contrast on either side, the background decides: light
 * paper means dark ink.
 */
function darkInk(grey: Float32Array, border: number, grain: number): boolean {
  const beyond = Math.max(4, GRAIN_SIGMAS * grain);
  let darker = 0;
  let lighter = 0;
  for (let i = 0; i < grey.length; i++) {
    const d = grey[i]! - border;
    if (d < -beyond) darker -= d + beyond;
    else if (d > beyond) lighter += d - beyond;
  }
  return darker !== lighter ? darker > lighter : border > 127.5;
}

/** Averages `src` (length n, stride `stride` starting at `at`) into m cells, each covering n/m of the source. */
function resampleLine(src: Float32Array, at: number, stride: number, n: number, out: Float32Array, outAt: number, outStride: number, m: number): void {
  const scale = n / m;
  for (let j = 0; j < m; j++) {
    const from = j * scale;
    const to = from + scale;
    let sum = 0;
    for (let k = Math.floor(from); k < Math.min(n, Math.ceil(to)); k++) {
      const cover = Math.min(to, k + 1) - Math.max(from, k);
      if (cover > 0) sum += cover * src[at + k * stride]!;
    }
    out[outAt + j * outStride] = sum / scale;
  }
}

/** Area-average resampling of a w × h image to tw × th (separable: rows, then columns). */
function resample(img: Float32Array, w: number, h: number, tw: number, th: number): Float32Array {
  const rows = new Float32Array(tw * h);
  for (let y = 0; y < h; y++) resampleLine(img, y * w, 1, w, rows, y * tw, 1, tw);
  const out = new Float32Array(tw * th);
  for (let x = 0; x < tw; x++) resampleLine(rows, x, tw, h, out, x, tw, th);
  return out;
}

/**
 * Converts an RGBA picture of one digit (any size, colour, alpha, dark-on-light or light-on-dark) to MNIST's
 * 28 × 28 grey bytes, white digit on black, row by row:
 * 1. grey by luminance, transparency resolved against the ink's colour;
 * 2. inverted when the ink is darker than the background (the median of the border);
 * 3. the background level subtracted and the ink stretched to 0–255, faint noise and the paper's grain dropped;
 * 4. cropped to the ink's bounding box, scaled (area averaging) so the longer side is 20 px;
 * 5. placed in 28 × 28 with its centre of mass at the centre.
 * A blank picture gives 784 zeros.
 *
 * @param rgba `width × height × 4` bytes, as from a canvas's `ImageData` or pngjs.
 * @throws DataError when the sizes do not match the data.
 * @example
 * const { data, width, height } = PNG.sync.read(readFileSync('digit.png'));
 * const pixels = toMnistPixels(data, width, height); // Uint8Array(784)
 */
export function toMnistPixels(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): Uint8Array {
  if (!Number.isSafeInteger(width) || !Number.isSafeInteger(height) || width < 1 || height < 1) {
    throw new DataError(`toMnistPixels: width and height must be positive integers, got ${width} × ${height}`);
  }
  const n = width * height;
  if (rgba.length !== n * 4) {
    throw new DataError(`toMnistPixels: a ${width} × ${height} RGBA image has ${n * 4} bytes, got ${rgba.length}`);
  }
  const grey = greyLevels(rgba, n);
  const { level: border, grain } = borderLevel(grey, width, height);
  const light = darkInk(grey, border, grain);
  const base = light ? 255 - border : border;
  const ink = new Float32Array(n);
  let max = 0;
  for (let i = 0; i < n; i++) {
    const v = Math.max(0, (light ? 255 - grey[i]! : grey[i]!) - base);
    ink[i] = v;
    if (v > max) max = v;
  }
  const out = new Uint8Array(MNIST_SIDE * MNIST_SIDE);
  // Less than a few grey levels of contrast anywhere, or no more than the paper's grain: nothing is drawn.
  const floor = Math.max(NOISE, (GRAIN_SIGMAS * grain) / Math.max(max, 1));
  if (max < 4 || floor >= 1) return out;
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const v = ink[i]! / max;
      ink[i] = v < floor ? 0 : v * 255;
      if (v >= floor) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  const bw = x1 - x0 + 1;
  const bh = y1 - y0 + 1;
  const crop = new Float32Array(bw * bh);
  for (let y = 0; y < bh; y++) crop.set(ink.subarray((y0 + y) * width + x0, (y0 + y) * width + x0 + bw), y * bw);
  const scale = DIGIT_BOX / Math.max(bw, bh);
  const tw = Math.max(1, Math.min(DIGIT_BOX, Math.round(bw * scale)));
  const th = Math.max(1, Math.min(DIGIT_BOX, Math.round(bh * scale)));
  const digit = resample(crop, bw, bh, tw, th);
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const v = digit[y * tw + x]!;
      mass += v;
      mx += v * x;
      my += v * y;
    }
  }
  // MNIST put the centre of mass at pixel (14, 14), counting pixel centres from 0 (measured on its images: the
  // mean is 14.0 in both directions).
  const centre = MNIST_SIDE / 2;
  const clamp = (v: number, hi: number): number => Math.max(0, Math.min(hi, v));
  const ox = clamp(Math.round(centre - mx / mass), MNIST_SIDE - tw);
  const oy = clamp(Math.round(centre - my / mass), MNIST_SIDE - th);
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) out[(oy + y) * MNIST_SIDE + ox + x] = Math.round(clamp(digit[y * tw + x]!, 255));
  }
  return out;
}
