/**
 * The safetensors element types Kindling reads, their sizes, and their conversion to float32. Kindling computes
 * in float32, so every readable type is converted on load (F64, I64 and large integers lose precision exactly as
 * `tensor.float()` would in PyTorch: round to nearest float32). Data is little-endian in the file.
 */

/** Dtypes the format defines that Kindling does not convert (8-bit and smaller floats, complex). */
const UNREADABLE = new Set(['F8_E5M2', 'F8_E4M3', 'F8_E8M0', 'F6_E2M3', 'F6_E3M2', 'F4', 'C64']);

type Reader = (view: DataView, at: number) => number;

const BF16_FLOAT = new Float32Array(1);
const BF16_BITS = new Uint32Array(BF16_FLOAT.buffer);

/** IEEE half precision to float (exact: every half is a float32). */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** bfloat16 is the top half of a float32. */
function bf16ToFloat(b: number): number {
  BF16_BITS[0] = b << 16;
  return BF16_FLOAT[0]!;
}

/** A 64-bit integer whose high word is below this in magnitude is below 2^53: exact as a double. */
const EXACT_HI = 2 ** 21;

/**
 * A 64-bit integer rounded to the nearest float32 (ties to even) in one step, as PyTorch's `.float()` converts it.
 * Going through a double first would round twice: 2^60 + 2^36 + 1 would become 2^60 + 2^36 (a double keeps 53
 * bits), a tie that float32 then breaks down to 2^60, where the one rounding gives 2^60 + 2^37.
 */
function bigToFloat32(n: bigint): number {
  const negative = n < 0n;
  const m = negative ? -n : n;
  const shift = BigInt(m.toString(2).length - 24);
  let q = m >> shift;
  const rest = m - (q << shift);
  const half = 1n << (shift - 1n);
  if (rest > half || (rest === half && (q & 1n) === 1n)) q += 1n;
  const v = Number(q) * 2 ** Number(shift);
  return negative ? -v : v;
}

const READERS: Readonly<Record<string, { size: number; read: Reader }>> = {
  F32: { size: 4, read: (v, i) => v.getFloat32(i, true) },
  F64: { size: 8, read: (v, i) => v.getFloat64(i, true) },
  F16: { size: 2, read: (v, i) => halfToFloat(v.getUint16(i, true)) },
  BF16: { size: 2, read: (v, i) => bf16ToFloat(v.getUint16(i, true)) },
  // hi * 2^32 + lo is exact below 2^53; beyond, the integer is rounded to float32 in one step (see bigToFloat32).
  I64: { size: 8, read: (v, i) => {
    const hi = v.getInt32(i + 4, true);
    return hi >= -EXACT_HI && hi < EXACT_HI ? hi * 2 ** 32 + v.getUint32(i, true) : bigToFloat32(v.getBigInt64(i, true));
  } },
  U64: { size: 8, read: (v, i) => {
    const hi = v.getUint32(i + 4, true);
    return hi < EXACT_HI ? hi * 2 ** 32 + v.getUint32(i, true) : bigToFloat32(v.getBigUint64(i, true));
  } },
  I32: { size: 4, read: (v, i) => v.getInt32(i, true) },
  U32: { size: 4, read: (v, i) => v.getUint32(i, true) },
  I16: { size: 2, read: (v, i) => v.getInt16(i, true) },
  U16: { size: 2, read: (v, i) => v.getUint16(i, true) },
  I8: { size: 1, read: (v, i) => v.getInt8(i) },
  U8: { size: 1, read: (v, i) => v.getUint8(i) },
  BOOL: { size: 1, read: (v, i) => (v.getUint8(i) === 0 ? 0 : 1) },
};

/** The dtypes Kindling can convert to float32, in the order shown to users. */
export const READABLE_DTYPES: readonly string[] = Object.keys(READERS);

/** Bytes per element of a readable dtype, or undefined if Kindling cannot read it. */
export function dtypeSize(dtype: string): number | undefined {
  return Object.hasOwn(READERS, dtype) ? READERS[dtype]!.size : undefined;
}

/** True for a dtype the format defines but Kindling does not convert (as opposed to a name nobody defines). */
export function isKnownUnreadable(dtype: string): boolean {
  return UNREADABLE.has(dtype);
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Converts `count` elements of `dtype` starting at `bytes[start]` into a new Float32Array (always a copy, so the
 * result is aligned and independent of the file's buffer).
 */
export function toFloat32(bytes: Uint8Array, start: number, count: number, dtype: string): Float32Array {
  const out = new Float32Array(count);
  if (dtype === 'F32' && LITTLE_ENDIAN) {
    new Uint8Array(out.buffer).set(bytes.subarray(start, start + count * 4));
    return out;
  }
  if (!Object.hasOwn(READERS, dtype)) throw new Error(`toFloat32: unreadable dtype ${dtype}`);
  const { size, read } = READERS[dtype]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, count * size);
  for (let i = 0; i < count; i++) out[i] = read(view, i * size);
  return out;
}

/** Writes `data` as little-endian float32 into `out` at byte `at`; returns the byte after the last written. */
export function writeFloat32(out: Uint8Array, at: number, data: Float32Array): number {
  if (LITTLE_ENDIAN) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
  } else {
    const view = new DataView(out.buffer, out.byteOffset);
    for (let i = 0; i < data.length; i++) view.setFloat32(at + i * 4, data[i]!, true);
  }
  return at + data.length * 4;
}

/**
 * Writes `data` as BOOL, one byte per element, into `out` at byte `at` (1 for every non-zero value, NaN too, as
 * PyTorch's `.bool()` casts); returns the byte after the last written.
 */
export function writeBool(out: Uint8Array, at: number, data: Float32Array): number {
  for (let i = 0; i < data.length; i++) out[at + i] = data[i] !== 0 ? 1 : 0;
  return at + data.length;
}
