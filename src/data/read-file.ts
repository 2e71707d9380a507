import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DataError } from './errors.js';

/** True when `bytes` start with the gzip magic number (0x1f 0x8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Reads a whole file as bytes, gunzipping it when it is gzip-compressed (detected from its content, so a `.gz`
 * name is not required and a misnamed file still loads). Errors name the file.
 */
export function readDataFile(path: string): Uint8Array {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder, not a file' : (err as Error).message;
    throw new DataError(`cannot read ${path}: ${why}`, { cause: err });
  }
  return isGzip(raw) ? gunzipData(raw, path) : new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
}

/** The bytes of gzip data read from `path` (named in the error when the data is damaged or truncated). */
export function gunzipData(raw: Uint8Array, path: string): Uint8Array {
  try {
    const out = gunzipSync(raw);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (err) {
    throw new DataError(`${path}: the gzip data is damaged or truncated (${(err as Error).message})`, { cause: err });
  }
}

