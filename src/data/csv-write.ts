import { writeFileAtomic } from '../io/atomic.js';
import { checkOptions } from '../options.js';
import { IMAGE_SIZE } from './idx.js';

const COMMA = 0x2c;
const NL = 0x0a;
const ZERO = 0x30;

function digitCount(v: number): number {
  return v < 10 ? 1 : v < 100 ? 2 : 3;
}

/** Writes `v` (0–255) as decimal ASCII at `out[p]`; returns the position after it. */
function putByte(out: Uint8Array, p: number, v: number): number {
  if (v >= 100) {
    out[p++] = ZERO + ((v / 100) | 0);
    v %= 100;
    out[p++] = ZERO + ((v / 10) | 0);
  } else if (v >= 10) {
    out[p++] = ZERO + ((v / 10) | 0);
  }
  out[p++] = ZERO + (v % 10);
  return p;
}

/**
 * Encodes images and labels in the chapter's CSV format (no header, `\n` line breaks). `images` holds
 * `labels.length × 784` bytes (a view over a `SharedArrayBuffer` is fine).
 *
 * @param header write a `label,1x1,…,28x28` header row first (the reader skips it).
 */
export function encodeMnistCsv(images: Uint8Array, labels: Uint8Array, options: { header?: boolean } = {}): Uint8Array {
  checkOptions('encodeMnistCsv', options, ['header']);
  const count = labels.length;
  if (images.length < count * IMAGE_SIZE) {
    throw new RangeError(
      `encodeMnistCsv: ${count} labels need ${count * IMAGE_SIZE} image bytes, got ${images.length}`,
    );
  }
  const names = Array.from({ length: IMAGE_SIZE }, (_, i) => `${Math.floor(i / 28) + 1}x${(i % 28) + 1}`);
  const head = new TextEncoder().encode(options.header ? `label,${names.join(',')}\n` : '');
  // Exact size first (digits, plus a separator or line break per value), so the buffer is never oversized.
  let size = head.length + count * (1 + IMAGE_SIZE);
  for (let i = 0; i < count; i++) size += digitCount(labels[i]!);
  for (let i = 0, end = count * IMAGE_SIZE; i < end; i++) size += digitCount(images[i]!);
  const out = new Uint8Array(size);
  out.set(head);
  let p = head.length;
  for (let i = 0; i < count; i++) {
    p = putByte(out, p, labels[i]!);
    const base = i * IMAGE_SIZE;
    for (let k = 0; k < IMAGE_SIZE; k++) {
      out[p++] = COMMA;
      p = putByte(out, p, images[base + k]!);
    }
    out[p++] = NL;
  }
  return out;
}

/**
 * Writes images and labels as a CSV file in the chapter's format, atomically.
 *
 * @example
 * const train = loadEmbeddedMnist('train');
 * writeMnistCsv('mnist_train.csv', train.images, train.labels);
 */
export function writeMnistCsv(
  path: string,
  images: Uint8Array,
  labels: Uint8Array,
  options: { header?: boolean } = {},
): void {
  writeFileAtomic(path, encodeMnistCsv(images, labels, options));
}
