/**
 * PNG text chunks (`tEXt`: a keyword, a zero byte, Latin-1 text), which pngjs neither writes nor reports: Kindling's
 * previews carry one saying what they are and where the digit is, so that `preview --out` replaces only its own
 * images and `predict` reads the digit of a captioned preview without the caption.
 */

/** CRC-32 (ISO-HDLC, the one PNG uses) of `bytes`. */
export function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

const be32 = (b: Uint8Array, at: number): number => ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;
/** Bytes as Latin-1 text (a loop: spreading a large chunk's bytes into one call would overflow the stack). */
function latin1(b: Uint8Array): string {
  let s = '';
  for (const c of b) s += String.fromCharCode(c);
  return s;
}

/** Where the first chunk after IHDR starts (signature 8 bytes, IHDR 8 + 13 + 4). */
const AFTER_IHDR = 33;

/**
 * The PNG with a `tEXt` chunk `keyword` = `text` placed right after IHDR (PNG allows text chunks anywhere between
 * IHDR and IEND). Both must be printable ASCII; the keyword 1–79 characters.
 */
export function withTextChunk(png: Uint8Array, keyword: string, text: string): Uint8Array {
  if (!/^[\x20-\x7e]{1,79}$/.test(keyword) || !/^[\x20-\x7e]*$/.test(text)) throw new RangeError(`withTextChunk: keyword and text must be printable ASCII, got ${JSON.stringify(keyword)}`);
  const body = new Uint8Array(4 + keyword.length + 1 + text.length);
  body.set([0x74, 0x45, 0x58, 0x74]); // tEXt
  for (let i = 0; i < keyword.length; i++) body[4 + i] = keyword.charCodeAt(i);
  for (let i = 0; i < text.length; i++) body[4 + keyword.length + 1 + i] = text.charCodeAt(i);
  const chunk = new Uint8Array(4 + body.length + 4);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, body.length - 4);
  chunk.set(body, 4);
  view.setUint32(4 + body.length, crc32(body));
  const out = new Uint8Array(png.length + chunk.length);
  out.set(png.subarray(0, AFTER_IHDR));
  out.set(chunk, AFTER_IHDR);
  out.set(png.subarray(AFTER_IHDR), AFTER_IHDR + chunk.length);
  return out;
}

/**
 * The text of the first `tEXt` chunk named `keyword` before the image data, or undefined (also for a chunk whose
 * CRC does not match, and for bytes that stop short: `png` may be just the start of a file).
 */
export function readTextChunk(png: Uint8Array, keyword: string): string | undefined {
  for (let at = 8; at + 12 <= png.length; ) {
    const length = be32(png, at);
    const type = latin1(png.subarray(at + 4, at + 8));
    if (type === 'IDAT' || type === 'IEND' || at + 12 + length > png.length) return undefined;
    if (type === 'tEXt') {
      const body = png.subarray(at + 4, at + 8 + length);
      const data = body.subarray(4);
      const zero = data.subarray(0, 80).indexOf(0);
      if (zero > 0 && latin1(data.subarray(0, zero)) === keyword && crc32(body) === be32(png, at + 8 + length)) return latin1(data.subarray(zero + 1));
    }
    at += 12 + length;
  }
  return undefined;
}
