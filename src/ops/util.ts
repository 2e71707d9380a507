import { transientFloat32 } from '../kernels/transient.js';
import { Tensor } from '../tensor/tensor.js';

/** A new contiguous tensor of `shape` over fresh (zeroed) storage. */
export function empty(shape: readonly number[]): Tensor {
  let n = 1;
  for (const d of shape) n *= d;
  return new Tensor(transientFloat32(n), shape);
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
