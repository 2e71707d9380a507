/**
 * What a PNG file's own header promises, read before and after decoding: its size (so a tiny file declaring a huge
 * picture is refused before gigabytes are allocated) and how many bytes of image data it must hold (pngjs fills
 * the rows a short zlib stream leaves out with zeros, without a word).
 */
import { inflateSync, constants } from 'node:zlib';

/** The largest side `decodePng` accepts: a 48-megapixel phone photo fits; 8192 × 8192 RGBA is 268 MB. */
export const MAX_PNG_SIDE = 8192;

export interface PngHeader {
  readonly width: number;
  readonly height: number;
  /** Bits per sample: 1, 2, 4, 8 or 16. */
  readonly depth: number;
  readonly colorType: number;
  readonly interlaced: boolean;
}

/** Samples per pixel by colour type: grey, RGB, palette index, grey + alpha, RGBA. */
const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Adam7's seven passes: the first column and row of each, and the steps between them. */
const ADAM7: ReadonlyArray<readonly [number, number, number, number]> = [
  [0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2],
];

const be32 = (b: Uint8Array, at: number): number => ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;
const chunkType = (b: Uint8Array, at: number): string => String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);

/** The IHDR fields of a PNG (signature already checked), or null when the file is too short or IHDR is not first. */
export function readPngHeader(bytes: Uint8Array): PngHeader | null {
  if (bytes.length < 8 + 8 + 13 || chunkType(bytes, 12) !== 'IHDR' || be32(bytes, 8) !== 13) return null;
  return { width: be32(bytes, 16), height: be32(bytes, 20), depth: bytes[24]!, colorType: bytes[25]!, interlaced: bytes[28] === 1 };
}

/** Bytes of one filtered row `width` pixels wide: its filter byte, then the packed samples. */
function rowBytes(h: PngHeader, width: number): number {
  return Math.ceil((width * (CHANNELS[h.colorType] ?? 1) * h.depth) / 8) + 1;
}

/** Bytes of image data (decompressed, still filtered) the header promises. */
export function expectedImageBytes(h: PngHeader): number {
  if (!h.interlaced) return h.height * rowBytes(h, h.width);
  let total = 0;
  for (const [x0, y0, dx, dy] of ADAM7) {
    const w = h.width > x0 ? Math.ceil((h.width - x0) / dx) : 0;
    const rows = h.height > y0 ? Math.ceil((h.height - y0) / dy) : 0;
    if (w > 0 && rows > 0) total += rows * rowBytes(h, w);
  }
  return total;
}

/** The IDAT chunks' bytes, joined (the chunk structure has been checked by the decoder). */
function idatBytes(bytes: Uint8Array): Buffer {
  const parts: Uint8Array[] = [];
  for (let at = 8; at + 8 <= bytes.length;) {
    const length = be32(bytes, at);
    const type = chunkType(bytes, at + 4);
    if (type === 'IDAT') parts.push(bytes.subarray(at + 8, Math.min(bytes.length, at + 8 + length)));
    if (type === 'IEND') break;
    at += 12 + length;
  }
  return Buffer.concat(parts);
}

/**
 * What is wrong with the image data for the header, or null: it is no compressed stream at all (`invalid`), or it
 * falls short of what the header promises (`short`: "it holds 14 of the 28 rows the header declares", bytes instead
 * of rows for an interlaced image). The PNG decoder gives an empty picture for some of these without a word.
 */
export function imageDataProblem(bytes: Uint8Array, h: PngHeader): { invalid: true } | { short: string } | null {
  const expected = expectedImageBytes(h);
  let got: number;
  try {
    // A sync flush returns what a cut stream holds instead of throwing. Inflating stops past the promised size (a
    // stream holding more is not short: the decoder has its own words for that).
    got = inflateSync(idatBytes(bytes), { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: Math.max(1, expected) }).length;
  } catch (err) {
    return (err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE' ? null : { invalid: true };
  }
  if (got >= expected) return null;
  if (h.interlaced) return { short: `it holds ${got} of the ${expected} bytes the header declares` };
  return { short: `it holds ${Math.floor(got / rowBytes(h, h.width))} of the ${h.height} rows the header declares` };
}
