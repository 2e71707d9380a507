// unique and unique_consecutive, as PyTorch 1.13's: the distinct values (or, with `dim`, the distinct slices along
// it, in lexicographic order of x.transpose(dim, 0)'s rows), with the inverse indices (where each element or slice
// went) and the counts when asked.
// unique sorts its result ascending; PyTorch's CPU kernel with sorted=False returns its hash set's order, which
// Kindling does not reproduce: it sorts then too (PyTorch documents no order). Each NaN is distinct (NaN ≠ NaN), and
// unique puts the NaNs last (PyTorch's std::sort leaves them where its comparisons fall). No gradient (as PyTorch).
import { noGrad } from '../autograd/grad-mode.js';
import { formatShape, normalizeDim } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { describeValue } from '../options.js';
import { checkTensor } from './util.js';

/** unique's options: PyTorch's keyword arguments camelCased. */
export interface UniqueOptions {
  sorted?: boolean;
  returnInverse?: boolean;
  returnCounts?: boolean;
  dim?: number | null;
}

function checkOptions(o: UniqueOptions, op: string, allowed: readonly string[]): void {
  if (o === null || typeof o !== 'object') throw new TypeError(`${op}: options must be an object, got ${describeValue(o)}`);
  for (const k of Object.keys(o)) if (!allowed.includes(k)) throw new TypeError(`${op}: unknown option '${k}' (expected ${allowed.join(', ')})`);
  for (const k of ['sorted', 'returnInverse', 'returnCounts'] as const) {
    if (o[k] !== undefined && typeof o[k] !== 'boolean') throw new TypeError(`${op}: ${k} must be true or false, got ${describeValue(o[k])}`);
  }
}

/** The slices of x along `d` as rows of numbers (the other dimensions flattened in order). */
function slices(x: Tensor, d: number): number[][] {
  const v = x.values();
  const n = x.shape[d]!;
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < d; i++) outer *= x.shape[i]!;
  for (let i = d + 1; i < x.ndim; i++) inner *= x.shape[i]!;
  const rows: number[][] = Array.from({ length: n }, () => []);
  for (let o = 0; o < outer; o++) for (let k = 0; k < n; k++) for (let i = 0; i < inner; i++) rows[k]!.push(v[(o * n + k) * inner + i]!);
  return rows;
}

/**
 * The sort keys of the slices along `d`, as PyTorch 1.13's unique_dim compares them: each slice's elements in the order
 * of x.transpose(d, 0) made contiguous (dimension 0 takes d's place), which for a `d` of 2 or more is not the order of
 * `slices` (x.movedim(d, 0)), and so can rank the slices differently.
 */
function sortKeys(x: Tensor, d: number): number[][] {
  if (d <= 1) return slices(x, d);
  const v = noGrad(() => x.transpose(d, 0).toArray());
  const n = x.shape[d]!;
  const len = n === 0 ? 0 : v.length / n;
  return Array.from({ length: n }, (_, k) => Array.from(v.subarray(k * len, (k + 1) * len)));
}

/** Slices (rows) stacked back along `d` of a tensor shaped like x. */
function fromSlices(x: Tensor, d: number, rows: number[][]): Tensor {
  const n = rows.length;
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < d; i++) outer *= x.shape[i]!;
  for (let i = d + 1; i < x.ndim; i++) inner *= x.shape[i]!;
  const out = new Float32Array(outer * n * inner);
  for (let o = 0; o < outer; o++) for (let k = 0; k < n; k++) for (let i = 0; i < inner; i++) out[(o * n + k) * inner + i] = rows[k]![o * inner + i]!;
  const shape = x.shape.slice();
  shape[d] = n;
  return new Tensor(out, shape);
}

const sameRow = (a: number[], b: number[]): boolean => a.every((v, i) => v === b[i]);

function result(values: Tensor, inverse: Int32Array, inverseShape: number[], counts: number[], o: UniqueOptions): Tensor | Tensor[] {
  if (!o.returnInverse && !o.returnCounts) return values;
  const out = [values];
  if (o.returnInverse) out.push(new Tensor(Float32Array.from(inverse), inverseShape));
  if (o.returnCounts) out.push(new Tensor(Float32Array.from(counts), [counts.length]));
  return out;
}

/**
 * Refuses, as PyTorch does (its messages), an input with a size-0 dimension besides `d` (its slices are empty and
 * cannot be compared): when `d` is empty too, because more than one dimension is; otherwise because one not selected is.
 */
function checkEmptyElsewhere(op: string, x: Tensor, d: number): void {
  if (x.shape[d] === 0 && x.shape.filter((s) => s === 0).length > 1) {
    throw new RangeError(`${op}: Number of zero sized dimensions is more than one, so unique cannot be applied (shape ${formatShape(x.shape)}, dim ${d})`);
  }
  if (x.numel() === 0 && x.shape[d] !== 0) {
    throw new RangeError(`${op}: There are 0 sized dimensions, and they aren't selected, so unique cannot be applied (shape ${formatShape(x.shape)}, dim ${d})`);
  }
}

/**
 * The distinct values in ascending order (flattened), or with `dim` the distinct slices along it, as PyTorch's
 * `unique`; with `returnInverse` / `returnCounts`, the array [values, inverse?, counts?] (PyTorch's tuple).
 */
export function unique(x: Tensor, options?: UniqueOptions & { returnInverse?: false; returnCounts?: false }): Tensor;
export function unique(x: Tensor, options: UniqueOptions & ({ returnInverse: true } | { returnCounts: true })): Tensor[];
export function unique(x: Tensor, options?: UniqueOptions): Tensor | Tensor[];
export function unique(x: Tensor, options: UniqueOptions = {}): Tensor | Tensor[] {
  checkTensor(x, 'unique');
  checkOptions(options, 'unique', ['sorted', 'returnInverse', 'returnCounts', 'dim']);
  const { dim = null } = options;
  if (dim === null) {
    const v = x.values();
    const order = Array.from(v.keys()).sort((i, j) => {
      const a = v[i]!;
      const b = v[j]!;
      if (a !== a || b !== b) return a !== a ? (b !== b ? i - j : 1) : -1;
      return a < b ? -1 : a > b ? 1 : i - j;
    });
    const vals: number[] = [];
    const counts: number[] = [];
    const inverse = new Int32Array(v.length);
    for (const i of order) {
      const e = v[i]!;
      // The first of equal values is kept (−0 or +0, whichever comes first, as PyTorch's set keeps the first inserted).
      if (vals.length === 0 || !(vals[vals.length - 1] === e)) {
        vals.push(e);
        counts.push(0);
      }
      counts[counts.length - 1]! += 1;
      inverse[i] = vals.length - 1;
    }
    return result(new Tensor(Float32Array.from(vals), [vals.length]), inverse, x.shape.slice(), counts, options);
  }
  if (typeof dim !== 'number') throw new TypeError(`unique: dim must be a number or null, got ${describeValue(dim)}`);
  if (x.ndim === 0) throw new RangeError(`unique: Dimension specified as ${dim} but tensor has no dimensions`);
  const d = normalizeDim(dim, x.ndim, 'unique');
  checkEmptyElsewhere('unique', x, d);
  const rows = slices(x, d);
  const keys = sortKeys(x, d);
  const order = Array.from(rows.keys()).sort((i, j) => {
    const a = keys[i]!;
    const b = keys[j]!;
    for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k]! < b[k]! ? -1 : 1;
    return i - j;
  });
  const kept: number[][] = [];
  const counts: number[] = [];
  const inverse = new Int32Array(rows.length);
  for (const i of order) {
    if (kept.length === 0 || !sameRow(kept[kept.length - 1]!, rows[i]!)) {
      kept.push(rows[i]!);
      counts.push(0);
    }
    counts[counts.length - 1]! += 1;
    inverse[i] = kept.length - 1;
  }
  return result(fromSlices(x, d, kept), inverse, [rows.length], counts, options);
}

/** The values (or slices along `dim`) with each run of equal neighbours kept once, as PyTorch's `unique_consecutive`. */
export function uniqueConsecutive(x: Tensor, options?: Omit<UniqueOptions, 'sorted'> & { returnInverse?: false; returnCounts?: false }): Tensor;
export function uniqueConsecutive(x: Tensor, options: Omit<UniqueOptions, 'sorted'> & ({ returnInverse: true } | { returnCounts: true })): Tensor[];
export function uniqueConsecutive(x: Tensor, options?: Omit<UniqueOptions, 'sorted'>): Tensor | Tensor[];
export function uniqueConsecutive(x: Tensor, options: Omit<UniqueOptions, 'sorted'> = {}): Tensor | Tensor[] {
  checkTensor(x, 'uniqueConsecutive');
  checkOptions(options, 'uniqueConsecutive', ['returnInverse', 'returnCounts', 'dim']);
  const { dim = null } = options;
  if (dim !== null && typeof dim !== 'number') throw new TypeError(`uniqueConsecutive: dim must be a number or null, got ${describeValue(dim)}`);
  if (dim !== null && x.ndim === 0) throw new RangeError(`uniqueConsecutive: Dimension specified as ${dim} but tensor has no dimensions`);
  const d = dim === null ? null : normalizeDim(dim, x.ndim, 'uniqueConsecutive');
  if (d !== null) checkEmptyElsewhere('uniqueConsecutive', x, d);
  const rows = d === null ? Array.from(x.values(), (v) => [v]) : slices(x, d);
  const kept: number[][] = [];
  const counts: number[] = [];
  const inverse = new Int32Array(rows.length);
  rows.forEach((r, i) => {
    if (kept.length === 0 || !sameRow(kept[kept.length - 1]!, r)) {
      kept.push(r);
      counts.push(0);
    }
    counts[counts.length - 1]! += 1;
    inverse[i] = kept.length - 1;
  });
  const values = d === null ? new Tensor(Float32Array.from(kept, (r) => r[0]!), [kept.length]) : fromSlices(x, d, kept);
  return result(values, inverse, d === null ? x.shape.slice() : [rows.length], counts, options);
}
