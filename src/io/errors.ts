import { KindlingError } from '../errors.js';

/**
 * A file could not be written or read (missing folder, disk full, permission denied). The message names the file
 * and the reason; the original Node.js error is kept as `cause`.
 */
export class IoError extends KindlingError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'IoError';
  }
}

/**
 * A safetensors file (or buffer) is malformed, uses something Kindling cannot read, or the tensors given to the
 * writer are inconsistent. The message starts with the file name (or `<buffer>`) and says what was expected.
 */
export class SafetensorsError extends KindlingError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'SafetensorsError';
  }
}

/** Node's `code` on a system error, if any (`ENOENT`, `ENOSPC`, …). */
export function errorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** The `code` of readRegularFile's error for a path that is neither a file, a folder nor a pipe (Kindling's own). */
export const NOT_A_FILE = 'ENOTFILE';

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'the file system is read-only',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of the path is not a folder',
  ENAMETOOLONG: 'the name is too long',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
  EEXIST: 'the file already exists',
  ENOTEMPTY: 'it is a folder that is not empty',
  [NOT_A_FILE]: 'it is not a file but a device or a socket, whose reading might never end',
  ENXIO: 'it is not a file but a socket or a device with nothing behind it',
  EFBIG: 'it is larger than 2 GB',
};

/** A short human reason for a Node.js file-system error, e.g. `no space left on the device (ENOSPC)`. */
export function describeFsError(err: unknown): string {
  const code = errorCode(err);
  // ENOTFILE is Kindling's own code, not the system's: only the words are shown.
  if (code === NOT_A_FILE) return REASONS[code]!;
  if (code !== undefined && REASONS[code] !== undefined) return `${REASONS[code]} (${code})`;
  return err instanceof Error ? err.message : String(err);
}
