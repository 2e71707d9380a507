/**
 * PNG files built by hand, chunk by chunk, so that a test can make what encoders never write: image data shorter
 * than the header says, or a header declaring a huge picture over a few bytes of data.
 */
import { deflateSync } from 'node:zlib';

/** CRC-32 as PNG chunks use it (zlib.crc32 is missing from early Node 20 releases). */
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

export interface HandPng {
  width: number;
  height: number;
  /** 0 grey, 2 RGB, 6 RGBA (8 bits a sample). */
  colorType?: 0 | 2 | 6;
  interlaced?: boolean;
  /** The filtered, uncompressed image data (filter byte 0 per row); default: every row the header declares. */
  raw?: Uint8Array;
  /** The IDAT chunk's bytes as they are, instead of `raw` compressed. */
  idat?: Uint8Array;
}

/** Grey rows with filter byte 0, pixel (x, y) = (7x + 3y) mod 256, for `rows` rows of a grey image. */
export function greyRows(width: number, rows: number): Uint8Array {
  const raw = new Uint8Array(rows * (width + 1));
  for (let y = 0; y < rows; y++) for (let x = 0; x < width; x++) raw[y * (width + 1) + 1 + x] = (7 * x + 3 * y) & 255;
  return raw;
}

/** A PNG file with an IHDR, one IDAT holding `raw` deflated, and an IEND. */
export function handPng(p: HandPng): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(p.width, 0);
  ihdr.writeUInt32BE(p.height, 4);
  ihdr[8] = 8;
  ihdr[9] = p.colorType ?? 0;
  ihdr[12] = p.interlaced ? 1 : 0;
  const raw = p.raw ?? greyRows(p.width, p.height);
  return new Uint8Array(Buffer.concat([Buffer.from(SIGNATURE), chunk('IHDR', ihdr), chunk('IDAT', p.idat ?? deflateSync(raw)), chunk('IEND', new Uint8Array(0))]));
}
