import { DataError } from './errors.js';
import type { ReadOptions } from '../io/read-options.js';
import { readDataFile } from './read-file.js';
import { writeFileAtomic } from '../io/atomic.js';

/** IDX magic number of an image file: unsigned bytes (0x08), 3 dimensions (count, rows, cols). */
export const IDX_IMAGES_MAGIC = 0x00000803;
/** IDX magic number of a label file: unsigned bytes (0x08), 1 dimension (count). */
export const IDX_LABELS_MAGIC = 0x00000801;
/** Image height and width of MNIST and of the data sets made in its image (Fashion-MNIST, KMNIST, …). */
export const IMAGE_ROWS = 28;
export const IMAGE_COLS = 28;
export const IMAGE_SIZE = IMAGE_ROWS * IMAGE_COLS;

const IMAGES_HEADER = 16;
const LABELS_HEADER = 8;

/** The images of an IDX file: `count` images of `rows × cols` bytes, one after another, row-major. */
export interface IdxImages {
  readonly images: Uint8Array;
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
}

/** Hex with 8 digits, as magic numbers are usually written. */
function hex32(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

/** A hint about what a file with this (wrong) magic number probably is. */
function guessKind(bytes: Uint8Array, magic: number): string {
  if (magic === IDX_LABELS_MAGIC) return ' (that is an IDX label file — are the image and label files swapped?)';
  if (magic === IDX_IMAGES_MAGIC) return ' (that is an IDX image file — are the image and label files swapped?)';
  const head = bytes.subarray(0, 4);
  if (head.length === 4 && head.every((b) => (b >= 0x20 && b < 0x7f) || b === 0x0a || b === 0x0d || b === 0x09)) {
    return ' (the file starts with text — is it a CSV file?)';
  }
  return '';
}

function checkMagic(bytes: Uint8Array, source: string, expected: number, what: string, headerSize: number): DataView {
  const tooShort = (): DataError =>
    new DataError(
      `${source}: the file is ${bytes.length} bytes, too short for an IDX ${what} header (${headerSize} bytes)`,
    );
  if (bytes.length < 4) throw tooShort();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (magic !== expected) {
    throw new DataError(
      `${source}: magic number ${hex32(magic)} at offset 0, expected ${hex32(expected)} for IDX ${what}` +
        guessKind(bytes, magic),
    );
  }
  if (bytes.length < headerSize) throw tooShort();
  return view;
}

/**
 * Parses an IDX image file held in memory (big-endian header: magic 0x00000803, count, rows, cols; then the pixel
 * bytes). The returned `images` is a view into `bytes`, not a copy. `source` names the file in error messages.
 *
 * @throws DataError on a wrong magic number, dimensions other than 28 × 28, or a length that disagrees with the
 *   header.
 */
export function parseIdxImages(bytes: Uint8Array, source: string): IdxImages {
  const view = checkMagic(bytes, source, IDX_IMAGES_MAGIC, 'images', IMAGES_HEADER);
  const count = view.getUint32(4, false);
  const rows = view.getUint32(8, false);
  const cols = view.getUint32(12, false);
  if (rows !== IMAGE_ROWS || cols !== IMAGE_COLS) {
    throw new DataError(
      `${source}: images are ${rows} × ${cols} (header offsets 8 and 12), expected ${IMAGE_ROWS} × ${IMAGE_COLS}`,
    );
  }
  const size = rows * cols;
  const expected = IMAGES_HEADER + count * size;
  if (bytes.length < expected) {
    const complete = Math.floor((bytes.length - IMAGES_HEADER) / size);
    throw new DataError(
      `${source}: the header says ${count} images of ${rows} × ${cols} (${expected} bytes), but the file has only ` +
        `${bytes.length} bytes: it ends at offset ${bytes.length}, inside image ${complete} — the file is truncated`,
    );
  }
  if (bytes.length > expected) {
    throw new DataError(
      `${source}: the header says ${count} images of ${rows} × ${cols} (${expected} bytes), but the file has ` +
        `${bytes.length - expected} more bytes after offset ${expected}`,
    );
  }
  return { images: bytes.subarray(IMAGES_HEADER, expected), count, rows, cols };
}

/**
 * Parses an IDX label file held in memory (big-endian header: magic 0x00000801, count; then one byte per label).
 * The returned array is a view into `bytes`.
 *
 * @throws DataError on a wrong magic number, a length that disagrees with the header, or a label outside 0–9.
 */
export function parseIdxLabels(bytes: Uint8Array, source: string): Uint8Array {
  const view = checkMagic(bytes, source, IDX_LABELS_MAGIC, 'labels', LABELS_HEADER);
  const count = view.getUint32(4, false);
  const expected = LABELS_HEADER + count;
  if (bytes.length < expected) {
    throw new DataError(
      `${source}: the header says ${count} labels (${expected} bytes), but the file has only ${bytes.length} bytes: ` +
        `it ends at offset ${bytes.length}, at label ${bytes.length - LABELS_HEADER} — the file is truncated`,
    );
  }
  if (bytes.length > expected) {
    throw new DataError(
      `${source}: the header says ${count} labels (${expected} bytes), but the file has ` +
        `${bytes.length - expected} more bytes after offset ${expected}`,
    );
  }
  const labels = bytes.subarray(LABELS_HEADER, expected);
  for (let i = 0; i < count; i++) {
    const label = labels[i]!;
    if (label > 9) {
      throw new DataError(`${source}: label ${label} at offset ${LABELS_HEADER + i} (item ${i}) is outside 0–9`);
    }
  }
  return labels;
}

/** Reads an IDX image file, plain or gzip-compressed. @see parseIdxImages */
export function readIdxImages(path: string, options: ReadOptions = {}): IdxImages {
  return parseIdxImages(readDataFile(path, options), path);
}

/** Reads an IDX label file, plain or gzip-compressed. @see parseIdxLabels */
export function readIdxLabels(path: string, options: ReadOptions = {}): Uint8Array {
  return parseIdxLabels(readDataFile(path, options), path);
}

/**
 * Encodes images as an IDX image file (the inverse of `parseIdxImages`). `images` holds `count × rows × cols`
 * bytes. No validation of the dimensions: tests use this to make deliberately odd files.
 *
 * @example
 * const bytes = encodeIdxImages(split.images.subarray(0, 10 * 784), 10);
 */
export function encodeIdxImages(images: Uint8Array, count: number, rows = IMAGE_ROWS, cols = IMAGE_COLS): Uint8Array {
  const out = new Uint8Array(IMAGES_HEADER + images.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, IDX_IMAGES_MAGIC, false);
  view.setUint32(4, count, false);
  view.setUint32(8, rows, false);
  view.setUint32(12, cols, false);
  out.set(images, IMAGES_HEADER);
  return out;
}

/** Encodes labels as an IDX label file (the inverse of `parseIdxLabels`). */
export function encodeIdxLabels(labels: Uint8Array): Uint8Array {
  const out = new Uint8Array(LABELS_HEADER + labels.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, IDX_LABELS_MAGIC, false);
  view.setUint32(4, labels.length, false);
  out.set(labels, LABELS_HEADER);
  return out;
}

/** Writes an uncompressed IDX image file atomically. */
export function writeIdxImages(
  path: string,
  images: Uint8Array,
  count: number,
  rows = IMAGE_ROWS,
  cols = IMAGE_COLS,
): void {
  writeFileAtomic(path, encodeIdxImages(images, count, rows, cols));
}

/** Writes an uncompressed IDX label file atomically. */
export function writeIdxLabels(path: string, labels: Uint8Array): void {
  writeFileAtomic(path, encodeIdxLabels(labels));
}
