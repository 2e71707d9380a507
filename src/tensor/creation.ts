import { getDefaultGenerator, type Generator } from '../random.js';
import { checkShape, formatShape, numel } from './shape.js';
import { Tensor, type NestedArray } from './tensor.js';

export interface TensorOptions {
  requiresGrad?: boolean;
}

function nestedShape(values: NestedArray): number[] {
  const shape: number[] = [];
  let cur: NestedArray = values;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0]!;
  }
  return shape;
}

function flatten(values: NestedArray, shape: readonly number[], out: Float32Array): void {
  let k = 0;
  const walk = (v: NestedArray, dim: number, path: string): void => {
    if (dim === shape.length) {
      if (typeof v !== 'number') throw new TypeError(`tensor: expected a number at ${path || 'the top level'}, got ${Array.isArray(v) ? 'an array' : typeof v}`);
      out[k++] = v;
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[dim]) {
      throw new RangeError(`tensor: ragged nested array: ${path || 'the top level'} has ${Array.isArray(v) ? `length ${v.length}` : 'a number'} but ${shape[dim]} was expected (shape ${formatShape(shape)})`);
    }
    v.forEach((x, i) => walk(x, dim + 1, `${path}[${i}]`));
  };
  walk(values, 0, '');
}

/**
 * Makes a tensor from nested arrays (`tensor([[1, 2], [3, 4]])`), a number (0-d), or a flat array / typed array
 * with an explicit shape (`tensor(values, [2, 2])`), or another tensor (a detached copy of its values, as
 * `torch.tensor(t)`). Values are copied and stored as float32.
 *
 * @example
 * const x = tensor([1, 2, 3], undefined, { requiresGrad: true });
 */
export function tensor(values: NestedArray | ArrayLike<number> | Tensor, shape?: readonly number[], options: TensorOptions = {}): Tensor {
  if (values instanceof Tensor) return tensor(values.toArray(), shape ?? values.shape, options);
  let data: Float32Array;
  let s: readonly number[];
  if (ArrayBuffer.isView(values) || (shape !== undefined && Array.isArray(values) && !values.some(Array.isArray))) {
    // new Float32Array(arrayLike) copies as Float32Array.from does, several times faster.
    data = new Float32Array(values as ArrayLike<number>);
    s = shape ?? [data.length];
  } else {
    const inferred = nestedShape(values as NestedArray);
    data = new Float32Array(numel(inferred));
    flatten(values as NestedArray, inferred, data);
    s = shape ?? inferred;
  }
  checkShape(s, 'tensor');
  if (numel(s) !== data.length) throw new RangeError(`tensor: ${data.length} values cannot have shape ${formatShape(s)}`);
  return new Tensor(data, s, { requiresGrad: options.requiresGrad ?? false });
}

function filled(shape: readonly number[], value: number, options: TensorOptions, op: string): Tensor {
  checkShape(shape, op);
  if (typeof value !== 'number') throw new TypeError(`${op}: fill value must be a number, got ${typeof value}`);
  return new Tensor(new Float32Array(numel(shape)).fill(value), shape, { requiresGrad: options.requiresGrad ?? false });
}

/** A tensor of `shape` filled with `value`. */
export const full = (shape: readonly number[], value: number, options: TensorOptions = {}): Tensor => filled(shape, value, options, 'full');
export const zeros = (shape: readonly number[], options: TensorOptions = {}): Tensor => filled(shape, 0, options, 'zeros');
export const ones = (shape: readonly number[], options: TensorOptions = {}): Tensor => filled(shape, 1, options, 'ones');
export const zerosLike = (t: Tensor): Tensor => zeros(t.shape);
export const onesLike = (t: Tensor): Tensor => ones(t.shape);

/** Values start, start+step, … below end (like `torch.arange`). */
export function arange(start: number, end?: number, step = 1): Tensor {
  const [a, b] = end === undefined ? [0, start] : [start, end];
  if (typeof a !== 'number' || typeof b !== 'number' || !Number.isFinite(a) || !Number.isFinite(b)) {
    throw new TypeError(`arange: start and end must be finite numbers, got ${String(a)} and ${String(b)}`);
  }
  if (typeof step !== 'number' || step === 0 || !Number.isFinite(step)) throw new RangeError(`arange: step must be a non-zero finite number, got ${step}`);
  const n = Math.max(0, Math.ceil((b - a) / step));
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = a + i * step;
  return new Tensor(data, [n]);
}

/** Uniform values in [0, 1), drawn exactly as `torch.rand` draws them from the same seed. */
export function rand(shape: readonly number[], options: TensorOptions & { generator?: Generator } = {}): Tensor {
  checkShape(shape, 'rand');
  const gen = options.generator ?? getDefaultGenerator();
  const data = new Float32Array(numel(shape));
  for (let i = 0; i < data.length; i++) data[i] = gen.uniform(0, 1);
  return new Tensor(data, shape, { requiresGrad: options.requiresGrad ?? false });
}

/** Standard normal values from the seeded generator (repeatable; not the same stream as `torch.randn`). */
export function randn(shape: readonly number[], options: TensorOptions & { generator?: Generator } = {}): Tensor {
  checkShape(shape, 'randn');
  const gen = options.generator ?? getDefaultGenerator();
  const data = new Float32Array(numel(shape));
  for (let i = 0; i < data.length; i++) data[i] = gen.normal();
  return new Tensor(data, shape, { requiresGrad: options.requiresGrad ?? false });
}
