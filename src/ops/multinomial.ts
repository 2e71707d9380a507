/**
 * `torch.multinomial(input, numSamples, replacement)`: category indices drawn from the rows of `input`
 * (non-negative weights, not necessarily summing to 1), PyTorch 1.13's draws bit for bit after the same seed.
 *
 * PyTorch 1.13's CPU kernel has two paths. Without replacement it draws q ~ Exp(1) for every weight (`exponential_`
 * on a tensor like the input) and takes the largest p / q of each row (argmax, or topk for several): the Gumbel-max
 * trick. With replacement (one sample too) it builds each row's float32 cumulative sums, divides them by the total,
 * sets the last to 1, and finds each of `numSamples` float64 uniforms by binary search.
 */
import { checkOptions, describeValue } from '../options.js';
import { generatorOf, type Generator } from '../random.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { inRowMajor, likeDrawOrder } from './draw-order.js';
import type { FillOptions } from './random-fills.js';
import { topkOrder } from './topk-order.js';
import { checkTensor } from './util.js';

const f = Math.fround;

/** float32's consecutive integers end at 2^24: PyTorch's bound on the categories. */
const MAX_CATEGORIES = 1 << 24;

/**
 * `numSamples` category indices from each row of `input` ([categories] or [rows, categories]) drawn with
 * probabilities proportional to its weights, without replacement by default (each index at most once a row), as
 * PyTorch's `torch.multinomial(input, num_samples, replacement=False, generator=None)`. Gives [numSamples] or
 * [rows, numSamples], indices as float32 values (Kindling's tensors are float32).
 *
 * @example
 * manualSeed(0);
 * multinomial(tensor([0.1, 0.6, 0.3]), 4, true); // four draws, as torch.multinomial's after torch.manual_seed(0)
 */
export function multinomial(input: Tensor, numSamples: number, replacement = false, options?: FillOptions): Tensor {
  const where = 'multinomial';
  checkTensor(input, where);
  if (input.ndim < 1 || input.ndim > 2) throw new RangeError(`${where}: prob_dist must be 1 or 2 dim, got ${formatShape(input.shape)}`);
  if (!Number.isInteger(numSamples)) throw new TypeError(`${where}: numSamples must be an integer, got ${describeValue(numSamples)}`);
  if (typeof replacement !== 'boolean') throw new TypeError(`${where}: replacement must be true or false, got ${describeValue(replacement)} (options such as the generator come fourth)`);
  const gen = generatorOf(where, checkOptions<FillOptions>(where, options, ['generator']).generator);
  if (numSamples <= 0) throw new RangeError(`${where}: cannot sample n_sample <= 0 samples (numSamples ${numSamples})`);
  const n = input.shape[input.ndim - 1]!;
  const rows = input.ndim === 2 ? input.shape[0]! : 1;
  if (!replacement && numSamples > n) {
    throw new RangeError(`${where}: cannot sample n_sample > prob_dist.size(-1) samples without replacement (numSamples ${numSamples}, ${n} categories)`);
  }
  if (n > MAX_CATEGORIES) throw new RangeError(`${where}: number of categories cannot exceed 2^24 (got ${n})`);
  const p = input.values();
  const out = new Float32Array(rows * numSamples);
  if (!replacement) gumbelMax(where, input, p, rows, n, numSamples, gen, out);
  else inverseCdf(where, p, rows, n, numSamples, gen, out);
  return new Tensor(out, input.ndim === 2 ? [rows, numSamples] : [numSamples]);
}

/** The fast path: the `k` largest p / q of each row, q ~ Exp(1) drawn in the input's memory order. */
function gumbelMax(where: string, input: Tensor, p: Float32Array, rows: number, n: number, k: number, gen: Generator, out: Float32Array): void {
  let zeroRow = false;
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const v = p[r * n + j]!;
      if (!(v >= 0 && v < Infinity)) throw new RangeError(`${where}: probability tensor contains either \`inf\`, \`nan\` or element < 0 (${v} at [${input.ndim === 2 ? `${r}, ` : ''}${j}])`);
      sum += v;
    }
    if (sum === 0) zeroRow = true;
  }
  if (zeroRow) throw new RangeError(`${where}: invalid multinomial distribution (sum of probabilities <= 0)`);
  // PyTorch's q is empty_like(input), filled in its memory order: the layout of rand_like's (a slice of a transpose
  // keeps the transpose's column order).
  const order = likeDrawOrder(input);
  const drawn = new Float32Array(p.length);
  for (let i = 0; i < drawn.length; i++) drawn[i] = -Math.log(1.0 - gen.uniform64());
  const q = inRowMajor(drawn, order);
  const ratio = new Float32Array(n);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < n; j++) ratio[j] = f(p[r * n + j]! / q[r * n + j]!);
    if (k === 1) out[r] = firstLargest(ratio);
    else topkOrder(ratio, k, true, true).forEach((j, s) => { out[r * k + s] = j; });
  }
}

/** argmax's choice: the first largest value, a NaN (0 / 0) counting as the largest. */
function firstLargest(v: Float32Array): number {
  let best = 0;
  for (let j = 1; j < v.length; j++) {
    if (Number.isNaN(v[best]!)) break;
    if (Number.isNaN(v[j]!) || v[j]! > v[best]!) best = j;
  }
  return best;
}

/** With replacement: each row's normalised float32 cumulative sums, searched for float64 uniforms. */
function inverseCdf(where: string, p: Float32Array, rows: number, n: number, k: number, gen: Generator, out: Float32Array): void {
  const cum = new Float32Array(n);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const v = p[r * n + j]!;
      if (!(v >= 0)) throw new RangeError(`${where}: invalid multinomial distribution (encountering probability entry < 0): ${v} in row ${r}`);
      if (!Number.isFinite(v)) throw new RangeError(`${where}: invalid multinomial distribution (encountering probability entry = infinity or NaN): ${v} in row ${r}`);
      sum = f(sum + v);
      cum[j] = sum;
    }
    if (!(sum > 0)) throw new RangeError(`${where}: invalid multinomial distribution (sum of probabilities <= 0) in row ${r}`);
    for (let j = 0; j < n; j++) cum[j] = f(cum[j]! / sum);
    cum[n - 1] = 1;
    for (let s = 0; s < k; s++) out[r * k + s] = searchCdf(cum, gen.uniform64());
  }
}

/** The first category whose normalised cumulative sum is at least u (PyTorch's binary search). */
export function searchCdf(cum: ArrayLike<number>, u: number): number {
  let left = 0;
  let right = cum.length;
  while (right - left > 0) {
    const mid = left + ((right - left) >> 1);
    if (cum[mid]! < u) left = mid + 1;
    else right = mid;
  }
  return left;
}
