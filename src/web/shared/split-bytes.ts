/**
 * A slice of an MNIST split as one binary blob, for the browser: a 16-byte header (`KMNS`, then count, rows and
 * cols as little-endian uint32), the labels (one byte each), then the images (rows × cols bytes each). One
 * request, no parsing beyond typed-array views, and the page gets the same bytes Node trains on.
 */

export const SPLIT_MAGIC = 0x534e4d4b; // "KMNS" read as a little-endian uint32
const HEADER_BYTES = 16;

/** The part of `MnistSplit` this format carries (the browser builds a split from it). */
export interface SplitSlice {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
}

/** Encodes the first `count` images of a split. */
export function encodeSplitSlice(split: SplitSlice, count: number): Uint8Array {
  const n = Math.min(count, split.count);
  const size = split.rows * split.cols;
  const out = new Uint8Array(HEADER_BYTES + n + n * size);
  const view = new DataView(out.buffer);
  view.setUint32(0, SPLIT_MAGIC, true);
  view.setUint32(4, n, true);
  view.setUint32(8, split.rows, true);
  view.setUint32(12, split.cols, true);
  out.set(split.labels.subarray(0, n), HEADER_BYTES);
  out.set(split.images.subarray(0, n * size), HEADER_BYTES + n);
  return out;
}

/**
 * Decodes a blob made by `encodeSplitSlice`; the arrays are views over `bytes`, not copies.
 * @throws Error saying what is wrong when the blob is too short or not of this format.
 */
export function decodeSplitSlice(bytes: Uint8Array): SplitSlice {
  if (bytes.length < HEADER_BYTES) throw new Error(`MNIST slice: ${bytes.length} bytes is shorter than the 16-byte header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  if (view.getUint32(0, true) !== SPLIT_MAGIC) throw new Error('MNIST slice: the data does not start with "KMNS"');
  const count = view.getUint32(4, true);
  const rows = view.getUint32(8, true);
  const cols = view.getUint32(12, true);
  const expected = HEADER_BYTES + count + count * rows * cols;
  if (bytes.length !== expected) {
    throw new Error(`MNIST slice: ${count} images of ${rows}×${cols} need ${expected} bytes, got ${bytes.length}`);
  }
  const labels = bytes.subarray(HEADER_BYTES, HEADER_BYTES + count);
  const images = bytes.subarray(HEADER_BYTES + count, expected);
  return { images, labels, count, rows, cols };
}
