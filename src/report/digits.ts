/** Test images as small inline PNGs, for the report page's "what each variant gets wrong" section. */
import { pngjs } from '../io/lazy-pngjs.js';

const SIDE = 28;

/**
 * Encodes a 28 × 28 MNIST image as a grey PNG enlarged `scale` times (nearest neighbour, so pixels stay crisp).
 * Ink is drawn dark on white, as digits look on paper (MNIST stores ink as high values on black).
 *
 * @param pixels 784 grey values 0–255, row by row.
 * @example digitPng(image.pixels, 3) // an 84 × 84 PNG
 */
export function digitPng(pixels: ArrayLike<number>, scale = 3): Buffer {
  if (pixels.length !== SIDE * SIDE) {
    throw new RangeError(`digitPng: an MNIST image has ${SIDE * SIDE} pixels (28 × 28), got ${pixels.length}`);
  }
  if (!Number.isInteger(scale) || scale < 1 || scale > 16) {
    throw new RangeError(`digitPng: scale must be an integer from 1 to 16, got ${scale}`);
  }
  const side = SIDE * scale;
  const png = new (pngjs())({ width: side, height: side });
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const v = pixels[Math.floor(y / scale) * SIDE + Math.floor(x / scale)]!;
      const grey = 255 - Math.max(0, Math.min(255, Math.round(v)));
      const o = (y * side + x) * 4;
      png.data[o] = grey;
      png.data[o + 1] = grey;
      png.data[o + 2] = grey;
      png.data[o + 3] = 255;
    }
  }
  // colorType 0 stores one grey byte per pixel: a third of the RGB size for the same picture.
  return pngjs().sync.write(png, { colorType: 0 });
}

/**
 * The same image as a `data:` URI, ready for an `<img src>` in a page that must work offline.
 * @example `<img src="${digitDataUri(pixels)}" alt="a 7">`
 */
export function digitDataUri(pixels: ArrayLike<number>, scale = 3): string {
  return `data:image/png;base64,${digitPng(pixels, scale).toString('base64')}`;
}
