/**
 * What is wrong with a PNG the decoder refused, in the user's terms: a header PNG does not allow, a chunk cut short or
 * damaged (its checksum), a missing end, or more image data than the header declares. pngjs's own words for these
 * ("unrecognised content at end of stream", "read requests waiting") say little, or the opposite.
 */
import { constants, inflateSync } from 'node:zlib';
import { expectedImageBytes, type PngHeader } from './png-layout.js';
import { crc32 } from './png-text.js';

/** The bit depths PNG allows for each colour type. */
const DEPTHS: Readonly<Record<number, readonly number[]>> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };
const COLOUR: Readonly<Record<number, string>> = { 0: 'greyscale', 2: 'RGB', 3: 'palette', 4: 'greyscale with alpha', 6: 'RGBA' };

const be32 = (b: Uint8Array, at: number): number => ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;
const chunkType = (b: Uint8Array, at: number): string => String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);

export interface PngDamage {
  /** What is wrong, as a clause: "the IDAT chunk at byte 41 is damaged (its checksum does not match)". */
  readonly why: string;
  /** True when the file looks cut short (the question "is the file complete?" then helps). */
  readonly cut: boolean;
}

/** The first thing wrong with a PNG (signature already checked), or null when none of these checks finds one. */
export function pngDamage(bytes: Uint8Array, h: PngHeader | null): PngDamage | null {
  // A PNG's first chunk is its 13-byte IHDR header (a file cut short inside it is found by the walk below).
  if (h === null && bytes.length >= 16) {
    const first = chunkType(bytes, 12);
    if (first !== 'IHDR') return { why: `its first chunk is ${printable(first)}, where a PNG starts with its IHDR header chunk`, cut: false };
    if (be32(bytes, 8) !== 13) return { why: `its IHDR header chunk is ${be32(bytes, 8).toLocaleString('en-US')} bytes long, where PNG's is 13`, cut: false };
  }
  if (h !== null) {
    // IHDR's compression, filter and interlace methods (bytes 26–28 of the file).
    if (bytes[26] !== 0) return { why: `its header declares compression method ${bytes[26]!}, which PNG does not have (only 0, deflate)`, cut: false };
    if (bytes[27] !== 0) return { why: `its header declares filter method ${bytes[27]!}, which PNG does not have (only 0)`, cut: false };
    if (bytes[28]! > 1) return { why: `its header declares interlace method ${bytes[28]!}, which PNG does not have (0, none, or 1, Adam7)`, cut: false };
    const depths = DEPTHS[h.colorType];
    if (depths === undefined) return { why: `its header declares colour type ${h.colorType}, which PNG does not have (0, 2, 3, 4 or 6)`, cut: false };
    if (!depths.includes(h.depth)) {
      return { why: `its header declares a bit depth of ${h.depth}, which PNG does not allow for ${COLOUR[h.colorType]} images (${depths.join(', ')})`, cut: false };
    }
  }
  const idat: Uint8Array[] = [];
  let at = 8;
  for (;;) {
    if (at + 8 > bytes.length) return { why: `the file ends at byte ${bytes.length.toLocaleString('en-US')} without the IEND chunk that ends a PNG`, cut: true };
    const length = be32(bytes, at);
    const type = chunkType(bytes, at + 4);
    if (at + 12 + length > bytes.length) {
      return { why: `its ${printable(type)} chunk at byte ${at.toLocaleString('en-US')} runs past the end of the file (${length.toLocaleString('en-US')} bytes declared)`, cut: true };
    }
    if (crc32(bytes.subarray(at + 4, at + 8 + length)) !== be32(bytes, at + 8 + length)) {
      return { why: `its ${printable(type)} chunk at byte ${at.toLocaleString('en-US')} is damaged (its checksum does not match its contents)`, cut: false };
    }
    if (type === 'IDAT') idat.push(bytes.subarray(at + 8, at + 8 + length));
    if (type === 'IEND') break;
    at += 12 + length;
  }
  if (h !== null) {
    const expected = expectedImageBytes(h);
    try {
      const got = inflateSync(Buffer.concat(idat), { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: expected + 1 }).length;
      if (got > expected) return { why: `its image data holds more than the ${expected.toLocaleString('en-US')} bytes its header declares for ${h.width} × ${h.height} pixels`, cut: false };
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') return { why: `its image data holds more than the ${expected.toLocaleString('en-US')} bytes its header declares for ${h.width} × ${h.height} pixels`, cut: false };
      return { why: 'its image data is not a valid compressed stream', cut: false };
    }
  }
  return null;
}

/** A chunk type as text, or its bytes in hex when they are not letters. */
function printable(type: string): string {
  return /^[A-Za-z]{4}$/.test(type) ? type : `0x${Array.from(type, (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('')}`;
}
