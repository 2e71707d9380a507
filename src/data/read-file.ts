import { gunzipSync } from 'node:zlib';
import { formatBytes } from '../format-bytes.js';
import { describeFsError, errorCode } from '../io/errors.js';
import type { ReadOptions } from '../io/read-options.js';
import { readRegularFile } from '../io/read-regular.js';
import { DataError } from './errors.js';

/** True when `bytes` start with the gzip magic number (0x1f 0x8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Reads a whole file as bytes, gunzipping it when it is gzip-compressed (detected from its content, so a `.gz`
 * name is not required and a misnamed file still loads). Errors name the file. With `shared`, a plain file's bytes are
 * read into shared memory (see ReadOptions); gzipped data is expanded into ordinary memory.
 */
export function readDataFile(path: string, options: ReadOptions = {}): Uint8Array {
  let raw: Buffer;
  try {
    raw = readRegularFile(path, options);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder, not a file' : describeFsError(err);
    throw new DataError(`cannot read ${path}: ${why}`, { cause: err });
  }
  return isGzip(raw) ? gunzipData(raw, path) : new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
}

/** The most a gzipped data file may expand to: MNIST's training images are 47 MB, as CSV about 110 MB. */
export const MAX_GUNZIPPED_BYTES = 2 ** 30;

/** The bytes of gzip data read from `path` (named in the error when the data is damaged, truncated or too large). */
export function gunzipData(raw: Uint8Array, path: string, limit = MAX_GUNZIPPED_BYTES): Uint8Array {
  try {
    const out = gunzipSync(raw, { maxOutputLength: limit });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (err) {
    if (errorCode(err) === 'ERR_BUFFER_TOO_LARGE') {
      throw new DataError(`${path}: the gzip data expands to more than ${formatBytes(limit)}, more than a data set Kindling reads`, { cause: err });
    }
    throw new DataError(`${path}: the gzip data is damaged or truncated (${(err as Error).message})`, { cause: err });
  }
}

