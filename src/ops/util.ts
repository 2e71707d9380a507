import { formatBytes } from '../format-bytes.js';
import { transientFloat32 } from '../kernels/transient.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** The most elements a tensor's storage can have: the longest Float32Array JavaScript makes (2^32). */
export const MAX_ELEMENTS = 2 ** 32;

/** The largest index a float32 index tensor holds exactly: float32's whole numbers are consecutive up to 2^24. */
export const MAX_EXACT_INDEX = 2 ** 24;

/**
 * Refuses an index past 2^24, which a float32 index tensor would round (PyTorch's int64 indices have no such limit):
 * a clear error rather than a silently different index.
 */
export function checkExactIndex(op: string, i: number): void {
  if (i > MAX_EXACT_INDEX) {
    throw new RangeError(`${op}: the index ${i} is past 2^24 (${MAX_EXACT_INDEX}), the largest whole number Kindling's float32 index tensors hold exactly (PyTorch's int64 indices have no such limit)`);
  }
}

/**
 * Refuses, before anything is allocated, a result of `shape` with more elements than a tensor can hold, naming the
 * shape and the memory it would take (PyTorch refuses the allocation too, naming the bytes).
 */
export function checkResultSize(op: string, shape: readonly number[]): void {
  const n = shape.reduce((p, d) => p * d, 1);
  if (n > MAX_ELEMENTS) {
    throw new RangeError(`${op}: the result would have shape ${formatShape(shape)}, ${n} elements (${formatBytes(4 * n)} of float32), more than a tensor can hold (${MAX_ELEMENTS} elements)`);
  }
}

/** A new contiguous tensor of `shape` over fresh (zeroed) storage. */
export function empty(shape: readonly number[]): Tensor {
  let n = 1;
  for (const d of shape) n *= d;
  return new Tensor(transientFloat32(n), shape);
}

/** True when `t`'s elements are exactly its storage's, each once, in whatever order its strides give. */
export function coversStorage(t: Tensor): boolean {
  const n = t.numel();
  if (t.unsettledData.length !== n) return false;
  const dims = t.strides.map((stride, i) => ({ stride, size: t.shape[i]! })).filter((d) => d.size !== 1);
  dims.sort((x, y) => x.stride - y.stride);
  let expect = 1;
  for (const d of dims) {
    if (d.stride !== expect) return false;
    expect *= d.size;
  }
  return expect === n;
}

/**
 * The part of `data` (`t`'s storage from its first element) that `t`'s elements lie in: up to its last element, for
 * the non-negative strides Kindling's views have. A view made by `narrow` or `select` keeps its base's storage to the
 * end; the product kernels copy what they are given into their memory, so they get only this.
 */
export function reach(t: Tensor, data: Float32Array): Float32Array {
  let last = 0;
  for (let d = 0; d < t.ndim; d++) {
    const n = t.shape[d]!;
    if (n === 0) return data.subarray(0, 0);
    last += (n - 1) * t.strides[d]!;
  }
  return last + 1 >= data.length ? data : data.subarray(0, last + 1);
}

/** True when x and y (of one shape) step through their storage alike: the same stride in every dimension of size > 1. */
export function sameStrides(x: Tensor, y: Tensor): boolean {
  for (let i = 0; i < x.ndim; i++) if (x.shape[i] !== 1 && x.strides[i] !== y.strides[i]) return false;
  return true;
}

/** Wraps a number as a 0-d tensor (no grad). */
export function scalar(v: number): Tensor {
  return new Tensor(new Float32Array([v]), []);
}

export function asTensor(v: Tensor | number, op: string): Tensor {
  if (v instanceof Tensor) return v;
  if (typeof v === 'number') return scalar(v);
  throw new TypeError(`${op}: expected a Tensor or a number, got ${describe(v)}`);
}

export function checkTensor(v: unknown, op: string, what = 'input'): asserts v is Tensor {
  if (!(v instanceof Tensor)) throw new TypeError(`${op}: ${what} must be a Tensor, got ${describe(v)}`);
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array (wrap it with tensor(...))';
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return `${article(v.constructor.name)} ${v.constructor.name} (wrap it with tensor(...))`;
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'an object';
  return typeof v;
}

/** "a" or "an" before a word. */
function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}
