// nn.init.orthogonal_, nn.init.truncNormal_ and nn.init.sparse_, as PyTorch 1.13's (torch/nn/init.py), drawing from
// Kindling's generator in PyTorch's order, so that after the same manualSeed the values are PyTorch's: truncNormal_
// within a few float32 ulps (erfinv as PyTorch's float32 kernel, see kernels/ref/erfinv.ts), sparse_ bit for bit,
// orthogonal_ within float32 rounding (PyTorch's LAPACK QR in float32; here a float64 Householder QR of the same
// normal draws, rounded once).
import { noGrad } from '../autograd/grad-mode.js';
import { erf } from '../kernels/ref/erf.js';
import { erfinv } from '../kernels/ref/erfinv.js';
import { drawOrder, normalValues, uniformValues } from '../ops/draw-order.js';
import { checkTarget } from '../ops/inplace.js';
import { checkOptions, describeValue, isPlainObject } from '../options.js';
import { generatorOf, type Generator } from '../random.js';
import { permutation } from '../tensor/integers.js';
import type { Tensor } from '../tensor/tensor.js';
import { writeValues } from './init-core.js';
import { warnOnce } from '../warn.js';

/** Runs `fill` on t as one in-place change outside the graph, and returns t. */
function inPlace(t: Tensor, where: string, fill: () => void): Tensor {
  noGrad(() => checkTarget(t, where));
  noGrad(fill);
  t.versionCounter.value++;
  return t;
}

/** Numbers by position in `keys`' order, then an object of named options (also `generator`). */
function optionsOf(where: string, keys: readonly string[], args: readonly unknown[], example: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let k = 0;
  for (; k < args.length && k < keys.length && !isPlainObject(args[k]); k++) if (args[k] !== undefined) out[keys[k]!] = args[k];
  const rest = args.slice(k).filter((v) => v !== undefined);
  if (rest.length > 1 || (rest.length === 1 && !isPlainObject(rest[0]))) {
    throw new TypeError(`${where}: expected up to ${keys.length} numbers then an object of named options, as in ${example}; got ${describeValue(rest[rest.length - 1])}`);
  }
  if (rest.length === 1) {
    const named = checkOptions<Record<string, unknown>>(where, rest[0] as Record<string, unknown>, [...keys, 'generator']);
    for (const [key, v] of Object.entries(named)) {
      if (Object.hasOwn(out, key)) throw new TypeError(`${where}: ${key} given twice: ${describeValue(out[key])} by position and ${describeValue(v)} in the options`);
      if (v !== undefined) out[key] = v;
    }
  }
  for (const key of keys) {
    const v = out[key];
    if (v !== undefined && (typeof v !== 'number' || Number.isNaN(v))) throw new TypeError(`${where}: ${key} must be a number, got ${describeValue(v)}`);
  }
  return out;
}

const num = (v: unknown, fallback: number): number => (v === undefined ? fallback : (v as number));

/**
 * Fills t with N(mean, std²) truncated to [a, b], as PyTorch's `trunc_normal_(tensor, mean=0., std=1., a=-2., b=2.)`:
 * U(2·Φ(α) − 1, 2·Φ(β) − 1) from the generator, erfinv, × std·√2, + mean, clamped to [a, b], each step in float32
 * as PyTorch's. Warns (once) as PyTorch when mean is more than 2 std from [a, b].
 * @throws RangeError for a > b, a negative std (PyTorch's uniform_ refuses the range they give) or std 0 (PyTorch's
 *   ZeroDivisionError).
 * `truncNormal_(w, 0, 0.02)`, `truncNormal_(w, { std: 0.02, a: -0.04, b: 0.04, generator })`.
 */
export function truncNormal_(t: Tensor, ...args: unknown[]): Tensor {
  const o = optionsOf('truncNormal_', ['mean', 'std', 'a', 'b'], args, 'truncNormal_(w, 0, 0.02, -0.04, 0.04, { generator })');
  const mean = num(o['mean'], 0);
  const std = num(o['std'], 1);
  const a = num(o['a'], -2);
  const b = num(o['b'], 2);
  const gen = generatorOf('truncNormal_', o['generator']);
  if (mean < a - 2 * std || mean > b + 2 * std) warnOnce('mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The distribution of values may be incorrect.');
  // PyTorch divides by std in Python (ZeroDivisionError for 0), and its uniform_(2l − 1, 2u − 1) refuses from > to,
  // which a > b or a negative std gives: refused here too, not filled with a bound.
  if (std === 0) throw new RangeError('truncNormal_: std must not be 0 (PyTorch divides by it: ZeroDivisionError)');
  const cdf = (x: number): number => (1 + erf(x / Math.SQRT2)) / 2;
  const l = cdf((a - mean) / std);
  const u = cdf((b - mean) / std);
  if (2 * l - 1 > 2 * u - 1) {
    throw new RangeError(`truncNormal_: expects a ≤ b and a positive std, got a = ${a}, b = ${b}, std = ${std} (PyTorch's uniform_ refuses the range it draws from, [${2 * l - 1}, ${2 * u - 1}))`);
  }
  return inPlace(t, 'truncNormal_', () => {
    const n = t.numel();
    // tensor.uniform_ on t itself: on a view, in PyTorch's memory order.
    const v = uniformValues(n, drawOrder(t), 2 * l - 1, 2 * u - 1, gen);
    const scale = Math.fround(std * Math.SQRT2);
    const shift = Math.fround(mean);
    const lo = Math.fround(a);
    const hi = Math.fround(b);
    for (let i = 0; i < n; i++) {
      const x = Math.fround(Math.fround(erfinv(v[i]!)) * scale);
      const y = Math.fround(x + shift);
      // clamp_(min=a, max=b): NaN stays NaN, as PyTorch's.
      v[i] = y !== y ? y : Math.min(Math.max(y, lo), hi);
    }
    writeValues(t, v);
  });
}

/**
 * Fills t (2 or more dimensions, flattened to [rows, numel / rows]) with a (semi-)orthogonal matrix times gain, as
 * PyTorch's `orthogonal_(tensor, gain=1)`: Q of the QR decomposition of a normal_(0, 1) draw of [rows, cols]
 * (transposed when rows < cols), its columns' signs set so that R's diagonal is positive.
 * @throws RangeError for fewer than 2 dimensions (PyTorch's "Only tensors with 2 or more dimensions are supported").
 */
export function orthogonal_(t: Tensor, ...args: unknown[]): Tensor {
  const o = optionsOf('orthogonal_', ['gain'], args, 'orthogonal_(w, 1, { generator })');
  const gain = num(o['gain'], 1);
  const gen: Generator = generatorOf('orthogonal_', o['generator']);
  if (t.ndim < 2) throw new RangeError(`orthogonal_: Only tensors with 2 or more dimensions are supported (got shape [${t.shape.join(', ')}])`);
  if (t.numel() === 0) return t;
  const rows = t.shape[0]!;
  const cols = t.numel() / rows;
  return inPlace(t, 'orthogonal_', () => {
    const draw = new Float32Array(rows * cols);
    gen.normalFill(draw, 0, 1);
    // A is m×n with m ≥ n: the draw, or its transpose when rows < cols.
    const wide = rows < cols;
    const m = wide ? cols : rows;
    const n = wide ? rows : cols;
    const A = new Float64Array(m * n);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) A[wide ? j * n + i : i * n + j] = draw[i * cols + j]!;
    const Q = householderQ(A, m, n);
    const v = new Float32Array(rows * cols);
    const g = Math.fround(gain);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) v[i * cols + j] = Math.fround(Math.fround(wide ? Q[j * n + i]! : Q[i * n + j]!) * g);
    }
    writeValues(t, v);
  });
}

/**
 * The m×n Q (m ≥ n) of A = QR by Householder reflections in float64, its columns multiplied by the signs of R's
 * diagonal (so R's diagonal is positive: the unique Q that PyTorch's `q * sign(diag(r))` gives).
 */
function householderQ(A: Float64Array, m: number, n: number): Float64Array {
  const R = Float64Array.from(A);
  const vs: Float64Array[] = [];
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let i = k; i < m; i++) norm += R[i * n + k]! ** 2;
    norm = Math.sqrt(norm);
    const v = new Float64Array(m);
    const alpha = R[k * n + k]! >= 0 ? -norm : norm;
    for (let i = k; i < m; i++) v[i] = R[i * n + k]!;
    v[k]! -= alpha;
    let vn = 0;
    for (let i = k; i < m; i++) vn += v[i]! ** 2;
    if (vn > 0) {
      for (let j = k; j < n; j++) {
        let s = 0;
        for (let i = k; i < m; i++) s += v[i]! * R[i * n + j]!;
        const f = (2 * s) / vn;
        for (let i = k; i < m; i++) R[i * n + j]! -= f * v[i]!;
      }
    }
    vs.push(v);
  }
  // Q = H0 H1 … H(n−1) applied to the first n columns of the identity.
  const Q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) Q[j * n + j] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = vs[k]!;
    let vn = 0;
    for (let i = k; i < m; i++) vn += v[i]! ** 2;
    if (vn === 0) continue;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = k; i < m; i++) s += v[i]! * Q[i * n + j]!;
      const f = (2 * s) / vn;
      for (let i = k; i < m; i++) Q[i * n + j]! -= f * v[i]!;
    }
  }
  for (let j = 0; j < n; j++) {
    if (R[j * n + j]! < 0) for (let i = 0; i < m; i++) Q[i * n + j] = -Q[i * n + j]!;
  }
  return Q;
}

/**
 * Fills a 2-D t with N(0, std²) (default std 0.01) and zeroes ⌈sparsity · rows⌉ rows of each column, chosen by a
 * randperm(rows) per column, as PyTorch's `sparse_(tensor, sparsity, std=0.01)`: bit for bit after manualSeed.
 * @throws RangeError for other than 2 dimensions (PyTorch's "Only tensors with 2 dimensions are supported").
 */
export function sparse_(t: Tensor, ...args: unknown[]): Tensor {
  const o = optionsOf('sparse_', ['sparsity', 'std'], args, 'sparse_(w, 0.1, 0.01, { generator })');
  if (o['sparsity'] === undefined) throw new TypeError('sparse_: sparsity (the fraction of each column set to zero) is required, as in sparse_(w, 0.1)');
  const sparsity = o['sparsity'] as number;
  const std = num(o['std'], 0.01);
  const gen = generatorOf('sparse_', o['generator']);
  if (t.ndim !== 2) throw new RangeError(`sparse_: Only tensors with 2 dimensions are supported (got shape [${t.shape.join(', ')}])`);
  if (std < 0) throw new RangeError(`sparse_: normal expects std >= 0.0, got ${std}`);
  const [rows, cols] = t.shape as [number, number];
  const zeros = Math.ceil(sparsity * rows);
  return inPlace(t, 'sparse_', () => {
    // tensor.normal_ on t itself: on a view, in PyTorch's memory order (scalar draws).
    const v = normalValues(rows * cols, drawOrder(t), 0, std, gen);
    const perm = new Float32Array(rows);
    for (let c = 0; c < cols; c++) {
      permutation(gen, perm);
      // Python's row_indices[:num_zeros]: a negative count leaves all but the last |n|, one above rows takes all.
      const count = zeros >= 0 ? Math.min(zeros, rows) : Math.max(0, rows + zeros);
      for (let k = 0; k < count; k++) v[perm[k]! * cols + c] = 0;
    }
    writeValues(t, v);
  });
}
