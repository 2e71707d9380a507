// bincount and histc, as PyTorch 1.13's. bincount counts each whole number of a 1-D tensor of non-negative whole
// numbers (Kindling's integer tensors are float32 whole numbers), or sums `weights` per number (in float32, in order),
// into max(input) + 1 bins, at least `minlength`. histc counts the values in [min, max] (the data's own range when
// both are 0, widened by 1 each way when it is a single value) into `bins` equal bins, the bin of each value found by
// PyTorch's float32 linear interpolation (divided by the range, then multiplied by bins), the last bin closed, values
// outside left out (a NaN counted in the first bin, as PyTorch 1.13's kernel counts it). Neither has a gradient (PyTorch has none either).
import { linspace } from '../tensor/creation.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { boundArguments, describeValue, type PositionalThenOptions } from '../options.js';
import { checkResultSize, checkTensor } from './util.js';

/** bincount's options: PyTorch's keyword arguments. */
export interface BincountOptions {
  weights?: Tensor | null;
  minlength?: number;
}

/**
 * How many times each whole number 0, 1, … occurs in a 1-D tensor (or the sum of their `weights`), as PyTorch's
 * `bincount(input, weights=None, minlength=0)`: the arguments by position as there (`bincount(x, w, 5)`), or named.
 */
export function bincount(x: Tensor, ...args: PositionalThenOptions<[Tensor | null, number], BincountOptions>): Tensor {
  checkTensor(x, 'bincount');
  const { weights = null, minlength = 0 } = boundArguments('bincount', args, 0, ['weights', 'minlength'], [], 'bincount(x, weights?, minlength?) or bincount(x, { weights, minlength })') as BincountOptions;
  const v = x.values();
  if (x.ndim !== 1 || v.some((e) => !(e >= 0) || !Number.isInteger(e))) {
    throw new RangeError(`bincount: bincount only supports 1-d non-negative integral inputs (got shape ${formatShape(x.shape)}${x.ndim === 1 ? '; every value must be a non-negative whole number' : ''})`);
  }
  if (typeof minlength !== 'number' || !Number.isInteger(minlength)) throw new TypeError(`bincount: minlength must be an integer, got ${describeValue(minlength)}`);
  if (minlength < 0) throw new RangeError(`bincount: minlength should be >= 0 (got ${minlength})`);
  let w: Float32Array | null = null;
  if (weights !== null) {
    checkTensor(weights, 'bincount', 'weights');
    if (weights.ndim !== 1 || weights.shape[0] !== x.shape[0]) {
      throw new RangeError(`bincount: weights should be 1-d and have the same length as input (input shape ${formatShape(x.shape)}, weights shape ${formatShape(weights.shape)})`);
    }
    w = weights.values();
  }
  let top = -1;
  for (const e of v) if (e > top) top = e;
  checkResultSize('bincount', [Math.max(top + 1, minlength)]);
  const out = new Float32Array(Math.max(top + 1, minlength));
  for (let i = 0; i < v.length; i++) out[v[i]!] = out[v[i]!]! + (w === null ? 1 : w[i]!);
  return new Tensor(out, [out.length]);
}

/** histc's options: PyTorch's arguments after the input (`bins=100, min=0, max=0`). */
export interface HistcOptions {
  bins?: number;
  min?: number;
  max?: number;
}

/**
 * A histogram of the values in `bins` equal bins over [min, max] (the data's range when both are 0), as PyTorch's
 * `histc(input, bins=100, min=0, max=0)`: the arguments by position as there (`x.histc(4, 0, 6)`), or named.
 */
export function histc(x: Tensor, ...args: PositionalThenOptions<[number, number, number], HistcOptions>): Tensor {
  checkTensor(x, 'histc');
  const { bins = 100, min = 0, max = 0 } = boundArguments('histc', args, 0, ['bins', 'min', 'max'], [], 'histc(x, bins?, min?, max?) or histc(x, { bins, min, max })') as HistcOptions;
  if (typeof bins !== 'number' || !Number.isInteger(bins)) throw new TypeError(`histc: bins must be an integer, got ${describeValue(bins)}`);
  if (bins <= 0) throw new RangeError(`histc: bins must be > 0, but got ${bins} for dimension 0`);
  checkResultSize('histc', [bins + 1]);
  for (const [name, val] of [['min', min], ['max', max]] as const) if (typeof val !== 'number') throw new TypeError(`histc: ${name} must be a number, got ${describeValue(val)}`);
  const v = x.values();
  let lo = Math.fround(min);
  let hi = Math.fround(max);
  if (lo === hi && v.length > 0) {
    lo = Infinity;
    hi = -Infinity;
    // The data's range; a NaN makes it NaN, as PyTorch's aminmax.
    for (const e of v) {
      if (e !== e) {
        lo = hi = Number.NaN;
        break;
      }
      if (e < lo) lo = e;
      if (e > hi) hi = e;
    }
  }
  if (lo === hi) {
    lo -= 1;
    hi += 1;
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new RangeError(`histc: range of [${lo}, ${hi}] is not finite`);
  if (!(lo < hi)) throw new RangeError(`histc: max must be larger than min (got min ${min}, max ${max})`);
  const edges = linspace(lo, hi, bins + 1).values();
  const out = new Float32Array(bins);
  const left = edges[0]!;
  const right = edges[bins]!;
  for (const e of v) {
    if (e < left || e > right) continue;
    // PyTorch 1.13's linear interpolation (histc asks for no local search): ⌊((e − min) / (max − min))·bins⌋, each step
    // in float32, max itself in the last bin. A NaN position (a NaN value, which passes the range check there, or a
    // range that overflows to ∞) lands in bin 0, as PyTorch 1.13 counts it.
    const at = Math.fround(Math.fround(Math.fround(e - left) / Math.fround(right - left)) * Math.fround(bins));
    let pos = at !== at ? 0 : Math.trunc(at);
    if (pos >= bins) pos = bins - 1;
    out[pos] = out[pos]! + 1;
  }
  return new Tensor(out, [bins]);
}
