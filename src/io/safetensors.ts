/**
 * The safetensors format, byte for byte (https://huggingface.co/docs/safetensors): an 8-byte little-endian header
 * length N, N bytes of UTF-8 JSON `{"__metadata__": {…}, "<name>": {"dtype", "shape", "data_offsets": [begin,
 * end]}, …}`, then the tensors' little-endian bytes, contiguous, offsets counted from the first byte after the
 * header. The writer follows the reference implementation: tensors sorted by dtype, largest alignment first (F32,
 * then BOOL: masks, PyTorch's bool tensors, one byte each), then by name, `__metadata__` first (its keys in insertion
 * order), compact JSON padded with spaces to a multiple of 8 bytes so every tensor starts 8-byte aligned. The reader checks everything the
 * reference does and more, because the file may come from anywhere.
 */
import { SafetensorsError } from './errors.js';
import { READABLE_DTYPES, dtypeSize, isKnownUnreadable, toFloat32, writeBool, writeFloat32 } from './dtypes.js';
import { JsonSyntaxError, parseJsonStrict, type JsonValue } from './json-strict.js';

/** A tensor to write: float32 data in row-major order, written as F32 (the default) or BOOL (non-zero is true). */
export interface SafetensorsInput {
  readonly dtype?: 'F32' | 'BOOL';
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/**
 * A tensor read back, converted to float32 whatever its stored dtype. `data` is a fresh, aligned copy. `dtype` is
 * BOOL for a BOOL tensor (its 1s and 0s: a mask), F32 for every other (converted) one.
 */
export interface SafetensorsTensor {
  dtype: 'F32' | 'BOOL';
  shape: number[];
  data: Float32Array;
}

export interface SafetensorsContents {
  tensors: Record<string, SafetensorsTensor>;
  metadata: Record<string, string>;
}

/** The reference implementation's limit; a larger length means a corrupt file or not a safetensors file at all. */
export const MAX_HEADER_BYTES = 100_000_000;
const METADATA_KEY = '__metadata__';

/** Sorts like Rust's `String` ordering (UTF-8 bytes), which differs from JavaScript's UTF-16 order for some names. */
function compareUtf8(a: string, b: string): number {
  const x = utf8.encode(a);
  const y = utf8.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

/** TextEncoder rather than Buffer: files are also made in browsers (a model trained in a page). */
const utf8 = new TextEncoder();

function shapeText(shape: readonly unknown[]): string {
  return `[${shape.join(', ')}]`;
}

function checkInput(name: string, t: SafetensorsInput): void {
  const where = `encodeSafetensors: tensor ${JSON.stringify(name)}`;
  const fail = (msg: string): SafetensorsError => new SafetensorsError(`${where}: ${msg}`);
  if (name === METADATA_KEY) {
    throw new SafetensorsError(`encodeSafetensors: "${METADATA_KEY}" is reserved, not a tensor name`);
  }
  if (t.dtype !== undefined && t.dtype !== 'F32' && t.dtype !== 'BOOL') throw fail(`dtype must be F32 or BOOL, got ${String(t.dtype)}`);
  if (!(t.data instanceof Float32Array)) throw fail('data must be a Float32Array');
  let numel = 1;
  for (const d of t.shape) {
    if (!Number.isSafeInteger(d) || d < 0) throw fail(`shape ${shapeText(t.shape)} must hold non-negative integers`);
    numel *= d;
  }
  if (numel !== t.data.length) {
    throw fail(`shape ${shapeText(t.shape)} has ${numel} elements but data has ${t.data.length}`);
  }
}

/** The reference writer's order: larger elements first (F32 before BOOL), then by name. */
function compareEntries(tensors: Readonly<Record<string, SafetensorsInput>>): (a: string, b: string) => number {
  const bool = (n: string): number => (tensors[n]!.dtype === 'BOOL' ? 1 : 0);
  return (a, b) => bool(a) - bool(b) || compareUtf8(a, b);
}

/**
 * Encodes float32 tensors, F32 or BOOL (and optional string metadata), as a safetensors file image.
 *
 * @throws SafetensorsError if a shape does not match its data, a metadata value is not a string, or a tensor is
 *   named `__metadata__`.
 * @example
 * const bytes = encodeSafetensors({ '0.weight': { shape: [3, 4], data: w } }, { epoch: '3' });
 */
export function encodeSafetensors(
  tensors: Readonly<Record<string, SafetensorsInput>>,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  const parts: string[] = [];
  if (metadata !== undefined) {
    // Insertion order, like a Python dict: the caller decides, and a decoded file re-encodes byte for byte.
    const entries: string[] = [];
    for (const [k, v] of Object.entries(metadata) as [string, unknown][]) {
      if (typeof v !== 'string') {
        const what = `metadata value for ${JSON.stringify(k)}`;
        throw new SafetensorsError(`encodeSafetensors: ${what} must be a string, got ${typeof v}`);
      }
      entries.push(`${JSON.stringify(k)}:${JSON.stringify(v)}`);
    }
    parts.push(`"${METADATA_KEY}":{${entries.join(',')}}`);
  }
  for (const name of Object.keys(tensors).sort(compareUtf8)) checkInput(name, tensors[name]!);
  const names = Object.keys(tensors).sort(compareEntries(tensors));
  let offset = 0;
  for (const name of names) {
    const t = tensors[name]!;
    const dtype = t.dtype ?? 'F32';
    const end = offset + t.data.length * (dtype === 'BOOL' ? 1 : 4);
    const info = `{"dtype":"${dtype}","shape":[${t.shape.join(',')}],"data_offsets":[${offset},${end}]}`;
    parts.push(`${JSON.stringify(name)}:${info}`);
    offset = end;
  }
  const json = utf8.encode(`{${parts.join(',')}}`);
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let at = 8 + headerLength;
  for (const name of names) {
    const t = tensors[name]!;
    at = t.dtype === 'BOOL' ? writeBool(out, at, t.data) : writeFloat32(out, at, t.data);
  }
  return out;
}

type Fail = (msg: string, cause?: unknown) => SafetensorsError;

interface Entry {
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

function kindOf(v: JsonValue | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Map) return 'an object';
  return `a ${typeof v}`;
}

function isIndex(v: JsonValue): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** Defines an own property even for names like `__proto__` (plain assignment would change the prototype). */
export function put<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** How to write weights that Kindling reads, from PyTorch. */
const FROM_PYTORCH = 'in PyTorch, save the weights with safetensors.torch.save_file(model.state_dict(), path)';

/**
 * What a file that is not safetensors is, when its first bytes say so: what `torch.save` writes (a zip archive since
 * PyTorch 1.6, a pickle before), or NumPy's `.npy`.
 */
function knownOtherFormat(bytes: Uint8Array): string | undefined {
  const starts = (...b: number[]): boolean => b.every((x, i) => bytes[i] === x);
  if (starts(0x50, 0x4b, 0x03, 0x04)) return `this is a zip archive, as torch.save writes, not a safetensors file: ${FROM_PYTORCH}`;
  if (starts(0x80) && bytes[1]! >= 2 && bytes[1]! <= 5) {
    return `this is a Python pickle, as torch.save wrote before PyTorch 1.6, not a safetensors file: ${FROM_PYTORCH}`;
  }
  if (starts(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59)) return 'this is a NumPy .npy file, not a safetensors file';
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'this is a PNG image, not a safetensors file';
  const text = textStart(bytes);
  if (text === '') return 'this is a text file that begins with blank space, not a safetensors file';
  if (text !== undefined) return `this is a text file (it begins ${JSON.stringify(text)}), not a safetensors file`;
  return undefined;
}

/**
 * The first characters of a file that begins as text (eight or more printable ASCII bytes, tabs or line ends), with
 * its runs of white space shown as one space, else undefined. A safetensors file cannot begin so: eight such bytes
 * read as a header length of over 600 PB.
 */
function textStart(bytes: Uint8Array): string | undefined {
  const head = bytes.subarray(0, 24);
  const printable = (b: number): boolean => (b >= 0x20 && b < 0x7f) || b === 0x09 || b === 0x0a || b === 0x0d;
  if (!head.subarray(0, 8).every(printable)) return undefined;
  const n = head.findIndex((b) => !printable(b));
  const end = n === -1 ? head.length : n;
  const shown = new TextDecoder().decode(head.subarray(0, end)).replace(/\s+/g, ' ').trim();
  return shown === '' || end >= bytes.length ? shown : `${shown}…`;
}

function readHeader(bytes: Uint8Array, fail: Fail): { root: Map<string, JsonValue>; dataStart: number } {
  if (bytes.length < 8) {
    throw fail(
      `file is ${bytes.length} bytes long, too short for a safetensors file (it begins with an 8-byte header length)`,
    );
  }
  const length = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  // Only a file that cannot be safetensors is named by its first bytes (a valid header length may begin the same).
  const other = length > BigInt(MAX_HEADER_BYTES) || 8n + length > BigInt(bytes.length) ? knownOtherFormat(bytes) : undefined;
  if (other !== undefined) throw fail(other);
  if (length > BigInt(MAX_HEADER_BYTES)) {
    throw fail(
      `header length ${length} bytes is beyond the ${MAX_HEADER_BYTES}-byte limit: ` +
        'the file is corrupt or not a safetensors file',
    );
  }
  const n = Number(length);
  if (8 + n > bytes.length) {
    throw fail(
      `header length ${n} bytes runs past the end of the file (${bytes.length} bytes in all): ` +
        'the file is truncated or not a safetensors file',
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch (err) {
    throw fail('header is not valid UTF-8', err);
  }
  let root: JsonValue;
  try {
    root = parseJsonStrict(text);
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw fail(`header is not valid JSON: ${err.message}`);
    throw err;
  }
  if (!(root instanceof Map)) throw fail(`header must be a JSON object, got ${kindOf(root)}`);
  return { root, dataStart: 8 + n };
}

function readMetadata(value: JsonValue | undefined, fail: Fail): Record<string, string> {
  const out: Record<string, string> = {};
  if (value === undefined || value === null) return out;
  if (!(value instanceof Map)) throw fail(`"${METADATA_KEY}" must be an object of strings, got ${kindOf(value)}`);
  for (const [k, v] of value) {
    if (typeof v !== 'string') {
      throw fail(`"${METADATA_KEY}" value for ${JSON.stringify(k)} must be a string, got ${kindOf(v)}`);
    }
    put(out, k, v);
  }
  return out;
}

/** Checks one tensor's description; its offsets are checked against the data section's length later (see `checkRange`). */
function readEntry(name: string, value: JsonValue, fail: Fail): Entry {
  const where = `tensor ${JSON.stringify(name)}`;
  if (!(value instanceof Map)) throw fail(`${where} must be described by an object, got ${kindOf(value)}`);
  const dtype = value.get('dtype');
  if (typeof dtype !== 'string') throw fail(`${where}: "dtype" must be a string, got ${kindOf(dtype)}`);
  const size = dtypeSize(dtype);
  if (size === undefined) {
    const known = isKnownUnreadable(dtype) ? 'unsupported' : 'unknown';
    throw fail(`${where} has ${known} dtype ${JSON.stringify(dtype)} (Kindling reads ${READABLE_DTYPES.join(', ')})`);
  }
  const shape = value.get('shape');
  if (!Array.isArray(shape) || !shape.every(isIndex)) {
    throw fail(`${where}: "shape" must be an array of non-negative integers, got ${JSON.stringify(toPlain(shape))}`);
  }
  const offsets = value.get('data_offsets');
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex)) {
    const got = JSON.stringify(toPlain(offsets));
    throw fail(`${where}: "data_offsets" must be [begin, end] with non-negative integers, got ${got}`);
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) throw fail(`${where}: data_offsets [${begin}, ${end}] end before they begin`);
  // A zero dimension makes the tensor empty however large the others are (and Infinity * 0 would be NaN).
  let numel = shape.includes(0) ? 0 : 1;
  for (const d of shape) numel *= d;
  // A product past 2^53 is inexact, but then it is far larger than end - begin (< 2^53) anyway.
  if (numel * size !== end - begin) {
    const needs = `shape ${shapeText(shape)} of ${dtype} needs ${numel * size} bytes`;
    throw fail(`${where}: ${needs} but data_offsets [${begin}, ${end}] hold ${end - begin}`);
  }
  return { name, dtype, shape: shape.slice(), begin, end };
}

/** For error messages: JSON values back to plain JSON-able data. */
function toPlain(v: JsonValue | undefined): unknown {
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [k, toPlain(x)]));
  if (Array.isArray(v)) return v.map(toPlain);
  return v ?? null;
}

/**
 * Refuses offsets past the end of the data section. When the tensors tile the section their header describes
 * (no overlap, no hole), the header is sound and the file was cut short: the message says it is truncated.
 */
function checkRange(entries: Entry[], dataLength: number, fail: Fail): void {
  const out = entries.find((e) => e.end > dataLength);
  if (out === undefined) return;
  const described = entries.reduce((m, e) => Math.max(m, e.end), 0);
  let consistent = true;
  try {
    checkLayout(entries, described, fail);
  } catch {
    consistent = false;
  }
  const has = consistent ? `${dataLength} bytes of the ${described} its header describes: the file is truncated` : `${dataLength} bytes: the file is truncated or its header is corrupt`;
  throw fail(`tensor ${JSON.stringify(out.name)}: data_offsets [${out.begin}, ${out.end}] are out of range: the data section has ${has}`);
}

/** The spec requires the tensors to tile the data section exactly: no overlap, no hole, nothing after the last. */
function checkLayout(entries: Entry[], dataLength: number, fail: Fail): void {
  const sorted = entries.slice().sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  let previous: Entry | undefined;
  for (const e of sorted) {
    if (e.begin < at) {
      const other = `tensor ${JSON.stringify(previous?.name)} at [${previous?.begin}, ${previous?.end}]`;
      throw fail(`tensor ${JSON.stringify(e.name)} at bytes [${e.begin}, ${e.end}] overlaps ${other}`);
    }
    if (e.begin > at) {
      const before = `before tensor ${JSON.stringify(e.name)}`;
      throw fail(`hole in the data section: bytes [${at}, ${e.begin}) ${before} belong to no tensor`);
    }
    at = e.end;
    previous = e;
  }
  if (at !== dataLength) {
    const trailing = `${dataLength - at} trailing bytes belong to no tensor`;
    throw fail(`the data section has ${dataLength} bytes but the tensors cover only ${at}: ${trailing}`);
  }
}

/**
 * Decodes a safetensors file image, converting every tensor to float32 (F64, F16, BF16, BOOL and the integer types
 * are read too; a BOOL tensor keeps dtype BOOL). Every field is validated; nothing in `bytes` can make this throw anything but `SafetensorsError`.
 *
 * @param source the file name to put in error messages.
 * @throws SafetensorsError naming `source` and the problem: too short, header length past the end, invalid UTF-8 or
 *   JSON, duplicate keys, unsupported dtype, shape/offset mismatch, overlap, hole, out-of-range offsets, bad metadata.
 * @example
 * const { tensors, metadata } = decodeSafetensors(readFileSync('model.safetensors'), 'model.safetensors');
 */
export function decodeSafetensors(bytes: Uint8Array, source = '<buffer>'): SafetensorsContents {
  const fail: Fail = (msg, cause) => new SafetensorsError(`${source}: ${msg}`, { cause });
  const { root, dataStart } = readHeader(bytes, fail);
  const dataLength = bytes.length - dataStart;
  const metadata = readMetadata(root.get(METADATA_KEY), fail);
  const entries: Entry[] = [];
  for (const [name, value] of root) {
    if (name !== METADATA_KEY) entries.push(readEntry(name, value, fail));
  }
  checkRange(entries, dataLength, fail);
  checkLayout(entries, dataLength, fail);
  const tensors: Record<string, SafetensorsTensor> = {};
  for (const e of entries) {
    const count = (e.end - e.begin) / dtypeSize(e.dtype)!;
    const dtype = e.dtype === 'BOOL' ? 'BOOL' : 'F32';
    put(tensors, e.name, { dtype, shape: e.shape, data: toFloat32(bytes, dataStart + e.begin, count, e.dtype) });
  }
  return { tensors, metadata };
}
