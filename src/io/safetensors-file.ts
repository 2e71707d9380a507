/**
 * Safetensors files on disk: `saveFile` writes atomically (see `atomic.ts`), `loadFile` reads the whole file and
 * decodes it, turning file-system failures into errors that name the file.
 */
import { writeFileAtomic, writeFileAtomicAsync } from './atomic.js';
import { SafetensorsError, describeFsError, errorCode } from './errors.js';
import { readRegularFile, readRegularFileAsync } from './read-regular.js';
import {
  decodeSafetensors,
  encodeSafetensors,
  type SafetensorsContents,
  type SafetensorsInput,
} from './safetensors.js';

function readFailure(path: string, err: unknown): SafetensorsError {
  const code = errorCode(err);
  let reason = describeFsError(err);
  if (code === 'ENOENT') reason = 'the file does not exist';
  else if (code === 'EISDIR') reason = 'it is a folder, not a file';
  return new SafetensorsError(`cannot read ${path}: ${reason}`, { cause: err });
}

/**
 * Writes tensors (and string metadata) to `path` in the safetensors format, atomically: a crash leaves the old
 * file or the new one. The folder must exist.
 *
 * @throws SafetensorsError for inconsistent tensors; IoError if the file cannot be written.
 * @example
 * saveFile('model.safetensors', { '0.weight': { shape: [3, 4], data } }, { epoch: '3' });
 */
export function saveFile(
  path: string,
  tensors: Readonly<Record<string, SafetensorsInput>>,
  metadata?: Readonly<Record<string, string>>,
): void {
  writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}

/** The asynchronous twin of {@link saveFile}. */
export async function saveFileAsync(
  path: string,
  tensors: Readonly<Record<string, SafetensorsInput>>,
  metadata?: Readonly<Record<string, string>>,
): Promise<void> {
  await writeFileAtomicAsync(path, encodeSafetensors(tensors, metadata));
}

/**
 * Reads a safetensors file; every tensor comes back as float32.
 *
 * @throws SafetensorsError naming `path`: missing file, a folder, unreadable, or malformed contents.
 * @example
 * const { tensors, metadata } = loadFile('model.safetensors');
 */
export function loadFile(path: string): SafetensorsContents {
  let bytes: Uint8Array;
  try {
    bytes = readRegularFile(path);
  } catch (err) {
    throw readFailure(path, err);
  }
  return decodeSafetensors(bytes, path);
}

/** The asynchronous twin of {@link loadFile}. */
export async function loadFileAsync(path: string): Promise<SafetensorsContents> {
  let bytes: Uint8Array;
  try {
    bytes = await readRegularFileAsync(path);
  } catch (err) {
    throw readFailure(path, err);
  }
  return decodeSafetensors(bytes, path);
}
