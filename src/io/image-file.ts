/**
 * Reading PNG pictures for `kindling predict` (Node only; the browser gets its pixels from a canvas). Any PNG
 * pngjs decodes — grey, palette, RGB, with or without alpha, 8 or 16 bits — comes back as 8-bit RGBA.
 */
import type { PNG } from 'pngjs';
import { pngjs } from './lazy-pngjs.js';
import { KindlingError } from '../errors.js';
import { formatBytes } from '../format-bytes.js';
import { describeFsError, errorCode } from './errors.js';
import { readRegularFile } from './read-regular.js';
import { imageDataProblem, MAX_PNG_SIDE, readPngHeader } from './png-layout.js';
import { pngDamage } from './png-damage.js';

/** A picture could not be read or decoded. The message names the file. */
export class ImageError extends KindlingError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'ImageError';
  }
}

export interface RgbaImage {
  readonly rgba: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** The 8-byte signature every PNG file starts with. */
export const PNG_SIGNATURE: readonly number[] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** True when `bytes` start with the PNG signature. */
export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

/**
 * Decodes PNG bytes to 8-bit RGBA.
 *
 * @throws ImageError naming `source` when the bytes are not a PNG or are damaged.
 */
export function decodePng(bytes: Uint8Array, source: string): RgbaImage {
  if (!isPng(bytes)) throw new ImageError(`${source} is not a PNG image (it does not start with the PNG signature)`);
  const header = readPngHeader(bytes);
  if (header !== null && (header.width > MAX_PNG_SIDE || header.height > MAX_PNG_SIDE)) {
    const size = `${header.width.toLocaleString('en-US')} × ${header.height.toLocaleString('en-US')}`;
    const bytes = header.width * header.height * 4;
    // The memory only when it is why such a limit exists; a long thin strip is refused for its side alone.
    const memory = bytes >= 256 * 1024 * 1024 ? ` (its pixels alone would take ${formatBytes(bytes)})` : '';
    throw new ImageError(`${source}: the PNG image is ${size} pixels, larger than the ${MAX_PNG_SIDE} × ${MAX_PNG_SIDE} Kindling reads${memory}; scale it down first`);
  }
  // A header of no pixels is invalid PNG; decoding it would blame the compressed data instead.
  if (header !== null && (header.width === 0 || header.height === 0)) throw new ImageError(`${source}: the PNG image is empty (its header gives ${header.width} × ${header.height} pixels)`);
  let png: PNG;
  try {
    png = pngjs().sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
  } catch (err) {
    // pngjs's words say little ("unrecognised content at end of stream") or the opposite of what is wrong: find it.
    const damage = pngDamage(bytes, header);
    // Image data that ends early leaves pngjs reading whatever its buffer held after it, zeros or leftovers of other
    // work, which it may take for a row's filter byte: the cut is what is wrong.
    const problem = damage === null && header !== null ? imageDataProblem(bytes, header) : null;
    if (problem !== null && !('invalid' in problem)) throw new ImageError(endsEarly(source, problem.short), { cause: err });
    const message = err instanceof Error ? err.message : String(err);
    // A row's filter byte out of range is damage inside whole data, not a cut.
    const filter = damage === null ? /^Unrecognised filter type - (\d+)$/.exec(message) : null;
    const why = damage?.why ?? (filter !== null ? `a row of its image data starts with filter type ${filter[1]}, which PNG does not have (0 to 4)` : message);
    throw new ImageError(`${source}: the PNG image cannot be decoded: ${why}${(damage === null && filter === null) || damage?.cut ? '; is the file complete?' : ''}`, { cause: err });
  }
  if (png.width < 1 || png.height < 1) throw new ImageError(`${source}: the PNG image is empty (${png.width} × ${png.height})`);
  const problem = header === null ? null : imageDataProblem(bytes, header);
  if (problem !== null && 'invalid' in problem) throw new ImageError(`${source}: the PNG image cannot be decoded: its image data is not a valid compressed stream`);
  if (problem !== null) throw new ImageError(endsEarly(source, problem.short));
  return { rgba: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length), width: png.width, height: png.height };
}

/** The message for image data that holds fewer rows than the header declares (`short` says how many). */
function endsEarly(source: string, short: string): string {
  return `${source}: the PNG image cannot be decoded (the image data ends before the image does: ${short}); is the file complete?`;
}

/**
 * Reads and decodes a PNG file.
 *
 * @throws ImageError naming the file: missing, a folder, unreadable, not a PNG, or damaged.
 * @example
 * const { rgba, width, height } = readPngFile('digit.png');
 */
export function readPngFile(path: string): RgbaImage {
  let bytes: Uint8Array;
  try {
    bytes = readRegularFile(path);
  } catch (err) {
    const reason = errorCode(err) === 'ENOENT' ? 'the file does not exist' : describeFsError(err);
    throw new ImageError(`cannot read ${path}: ${reason}`, { cause: err });
  }
  return decodePng(bytes, path);
}
