// isclose, allclose and equal, as PyTorch 1.13's. isclose computes in float32 as PyTorch does: a == b, or both NaN
// with equalNan, or |a − b| finite and ≤ atol + |rtol·b| (each step rounded to float32); the operands broadcast.
// allclose is whether every pair is close, equal whether the shapes are the same and every pair equal (NaN never is);
// both return a boolean, as PyTorch's return a Python bool.
import { float32Scalar } from '../tensor/float32-scalar.js';
import { broadcastShapes, sameShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { describeValue } from '../options.js';
import { checkTensor } from './util.js';
import { markMask } from '../tensor/mask-mark.js';

/** isclose's and allclose's options, PyTorch's keyword arguments camelCased. */
export interface CloseOptions {
  rtol?: number;
  atol?: number;
  equalNan?: boolean;
}

function closeOptions(o: CloseOptions, op: string): { rtol: number; atol: number; equalNan: boolean } {
  if (o === null || typeof o !== 'object') throw new TypeError(`${op}: options must be an object { rtol, atol, equalNan }, got ${describeValue(o)}`);
  for (const k of Object.keys(o)) if (!['rtol', 'atol', 'equalNan'].includes(k)) throw new TypeError(`${op}: unknown option '${k}' (expected rtol, atol, equalNan)`);
  const { rtol = 1e-5, atol = 1e-8, equalNan = false } = o;
  for (const [name, v] of [['rtol', rtol], ['atol', atol]] as const) {
    if (typeof v !== 'number') throw new TypeError(`${op}: ${name} must be a number, got ${describeValue(v)}`);
    float32Scalar(op, name, v);
    if (!(v >= 0)) throw new RangeError(`${op}: ${name} must be greater than or equal to zero, but got ${v}`);
  }
  if (typeof equalNan !== 'boolean') throw new TypeError(`${op}: equalNan must be true or false, got ${describeValue(equalNan)}`);
  return { rtol, atol, equalNan };
}

/** Refuses shapes that do not broadcast, with PyTorch's message. */
function checkBroadcast(a: readonly number[], b: readonly number[], op: string): void {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(`${op}: The size of tensor a (${da}) must match the size of tensor b (${db}) at non-singleton dimension ${i} (shapes [${a.join(', ')}] and [${b.join(', ')}] do not broadcast)`);
    }
  }
}

/**
 * rtol, atol and equalNan by position, as PyTorch takes them (`isclose(a, b, 0.1, 0, true)`), or as one options
 * object in rtol's place; not both.
 */
function optionsOf(rtol: number | CloseOptions | undefined, atol: number | undefined, equalNan: boolean | undefined, op: string): CloseOptions {
  if (rtol !== null && typeof rtol === 'object') {
    if (atol !== undefined || equalNan !== undefined) {
      throw new TypeError(`${op}: give rtol, atol and equalNan either by position or as one options object, not both (got ${describeValue(rtol)} then ${describeValue(atol)})`);
    }
    return rtol;
  }
  const o: CloseOptions = {};
  if (rtol !== undefined) o.rtol = rtol;
  if (atol !== undefined) o.atol = atol;
  if (equalNan !== undefined) o.equalNan = equalNan;
  return o;
}

/**
 * 1 where a and b are close, 0 elsewhere (float32), as PyTorch's `isclose(a, b, rtol=1e-5, atol=1e-8, equal_nan=False)`:
 * `isclose(a, b, 1e-3)`, `isclose(a, b, 1e-3, 0, true)` or `isclose(a, b, { atol: 1e-6 })`.
 */
export function isclose(a: Tensor, b: Tensor | number, rtol?: number | CloseOptions, atol?: number, equalNan?: boolean): Tensor {
  return closeness(a, b, optionsOf(rtol, atol, equalNan, 'isclose'), 'isclose');
}

function closeness(a: Tensor, b: Tensor | number, options: CloseOptions, op: string): Tensor {
  checkTensor(a, op);
  const other = typeof b === 'number' ? new Tensor(new Float32Array([b]), []) : b;
  checkTensor(other, op, 'other');
  const { rtol, atol, equalNan } = closeOptions(options, op);
  checkBroadcast(a.shape, other.shape, op);
  const shape = broadcastShapes(a.shape, other.shape, op);
  const A = a.detach().expand(shape).toArray();
  const B = other.detach().expand(shape).toArray();
  const out = new Float32Array(A.length);
  const fatol = Math.fround(atol);
  const frtol = Math.fround(rtol);
  for (let i = 0; i < A.length; i++) {
    const x = A[i]!;
    const y = B[i]!;
    let close = x === y || (equalNan && x !== x && y !== y);
    if (!close) {
      const allowed = Math.fround(fatol + Math.abs(Math.fround(frtol * y)));
      const actual = Math.abs(Math.fround(x - y));
      close = Number.isFinite(actual) && actual <= allowed;
    }
    out[i] = close ? 1 : 0;
  }
  return markMask(new Tensor(out, shape));
}

/** Whether every pair of a and b (broadcast) is close, as PyTorch's `allclose`; rtol, atol and equalNan as isclose's. */
export function allclose(a: Tensor, b: Tensor | number, rtol?: number | CloseOptions, atol?: number, equalNan?: boolean): boolean {
  return closeness(a, b, optionsOf(rtol, atol, equalNan, 'allclose'), 'allclose').values().every((v) => v === 1);
}

/** Whether a and b have the same shape and the same values (NaN is equal to nothing), as PyTorch's `equal`. */
export function equal(a: Tensor, b: Tensor): boolean {
  checkTensor(a, 'equal');
  checkTensor(b, 'equal', 'other');
  if (!sameShape(a.shape, b.shape)) return false;
  const A = a.values();
  const B = b.values();
  for (let i = 0; i < A.length; i++) if (A[i] !== B[i]) return false;
  return true;
}
