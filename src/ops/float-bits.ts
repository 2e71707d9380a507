// frexp, nextafter, float_power and histogram, as PyTorch 1.13 computes them on float32 tensors.
import { noGrad } from '../autograd/grad-mode.js';
import { GraphNode, record } from '../autograd/record.js';
import { composedTwice, twice } from '../autograd/twice.js';
import { cPow } from '../kernels/ref/elementwise.js';
import { linspace } from '../tensor/creation.js';
import { broadcastShapes } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions, describeValue } from '../options.js';
import { expanded, operand } from './binary-math.js';
import { pow } from './pow.js';
import { checkResultSize, checkTensor } from './util.js';

const bits64 = new DataView(new ArrayBuffer(8));

/** The binary exponent e of a finite non-zero v with |v| in [2^(e−1), 2^e) (float64 bits: exact, subnormal float32 values included). */
function exponentOf(v: number): number {
  bits64.setFloat64(0, v);
  return ((bits64.getUint16(0) >> 4) & 0x7ff) - 1022;
}

/**
 * `[mantissa, exponent]` with x = mantissa · 2^exponent and |mantissa| in [0.5, 1), as `torch.frexp` (0, ±∞ and NaN
 * give themselves and exponent 0); the exponent as whole float32 values (PyTorch's int32). The mantissa's gradient is
 * PyTorch's grad / 2^exponent (FrexpBackward0); the exponent has none.
 */
export function frexp(x: Tensor): [Tensor, Tensor] & { mantissa: Tensor; exponent: Tensor } {
  checkTensor(x, 'frexp');
  const v = x.values();
  const m = new Float32Array(v.length);
  const e = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const a = v[i]!;
    if (a === 0 || !Number.isFinite(a)) {
      m[i] = a;
      continue;
    }
    const k = exponentOf(a);
    e[i] = k;
    m[i] = a * 2 ** -k;
  }
  const exponent = new Tensor(e, x.shape);
  const back = (g: Tensor): Tensor[] => [g.div(exponent.exp2())];
  const mantissa = twice(record(new Tensor(m, x.shape), 'frexp', [x], back, [], 'FrexpBackward0'), back);
  return Object.assign([mantissa, exponent] as [Tensor, Tensor], { mantissa, exponent });
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The float32 after x in the direction of y (C's nextafterf). */
function nextAfter32(x: number, y: number): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  if (x === y) return y;
  if (x === 0) return y > 0 ? 2 ** -149 : -(2 ** -149);
  f32[0] = x;
  // Away from zero adds one to the bits' magnitude, toward zero takes one off.
  if ((y > x) === (x > 0)) u32[0]! += 1;
  else u32[0]! -= 1;
  return f32[0]!;
}

/** The next float32 after each x toward the matching element of `other` (broadcast), as `torch.nextafter`. No gradient (PyTorch's node refuses one). */
export function nextafter(x: Tensor, other: Tensor | number): Tensor {
  checkTensor(x, 'nextafter');
  const o = operand('nextafter', 'other', other, true);
  const shape = broadcastShapes(x.shape, o.shape, 'nextafter');
  const a = expanded(x, shape);
  const b = expanded(o, shape);
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = nextAfter32(a[i]!, b[i]!);
  return record(new Tensor(out, shape), 'nextafter', [x, o], () => {
    throw new Error("the derivative for 'nextafter' is not implemented.");
  }, [], 'NextafterBackward0');
}

/**
 * x^e in float64 as PyTorch's pow(Tensor, Scalar) computes a double tensor: the exponents it special-cases by their
 * own arithmetic (0 ones, 1 a copy, 0.5 sqrt, −0.5 1/sqrt, −1 1/x, 2 x·x, 3 x·x·x, −2 1/(x·x)), so that (−∞)^0.5 is
 * sqrt's NaN and (−0)^−0.5 is −∞; any other exponent C's pow (1^y = 1 and (−1)^±∞ = 1, where JavaScript's ** gives NaN).
 */
function powScalar64(x: number, e: number): number {
  if (e === 0) return 1;
  if (e === 1) return x;
  if (e === 0.5) return Math.sqrt(x);
  if (e === -0.5) return 1 / Math.sqrt(x);
  if (e === -1) return 1 / x;
  if (e === 2) return x * x;
  if (e === 3) return x * x * x;
  if (e === -2) return 1 / (x * x);
  return cPow(x, e);
}

/**
 * x^exponent computed in float64, as `torch.float_power` (which returns float64; Kindling rounds the float64 power
 * to float32 once). A number is taken as the float64 it is (PyTorch's Scalar), not rounded to float32; a number
 * exponent goes through pow(Tensor, Scalar)'s special cases (powScalar64). The gradients are PyTorch's pow_backward
 * (grad·(e·x^(e−1)), zero for e = 0; x^(e−1) by the same special cases for a number e) and pow_backward_exponent
 * (grad·(x^e·log x), zero where x is 0 and e ≥ 0), in float64 then rounded.
 */
export function floatPower(x: Tensor | number, exponent: Tensor | number): Tensor {
  const a = operand('floatPower', 'input', x, true);
  const b = operand('floatPower', 'exponent', exponent, true);
  const shape = broadcastShapes(a.shape, b.shape, 'floatPower');
  // The operands as float64 values: a number as given (operand() holds it rounded to float32).
  const av: ArrayLike<number> = typeof x === 'number' ? [x] : expanded(a, shape);
  const bv: ArrayLike<number> = typeof exponent === 'number' ? [exponent] : expanded(b, shape);
  const n = shape.reduce((p, d) => p * d, 1);
  const at = (v: ArrayLike<number>, i: number): number => v[v.length === 1 ? 0 : i]!;
  const power = typeof exponent === 'number' ? powScalar64 : cPow;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = power(at(av, i), at(bv, i));
  const node = record(new Tensor(out, shape), 'floatPower', [a, b], (g) => {
    const gv = g.values();
    const ga = new Float32Array(n);
    const gb = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const base = at(av, i);
      const e = at(bv, i);
      const G = gv[i]!;
      ga[i] = e === 0 ? 0 : G * (e * power(base, e - 1));
      gb[i] = base === 0 && e >= 0 ? 0 : G * (power(base, e) * Math.log(base));
    }
    return [new Tensor(ga, shape).sumToSize(a.shape), new Tensor(gb, shape).sumToSize(b.shape)];
  }, [], x instanceof Tensor ? (exponent instanceof Tensor ? 'PowBackward1' : 'PowBackward0') : 'PowBackward2');
  // The gradient's graph (createGraph): pow's, in float32, carrying the float64 gradient's values (float32's pow
  // would overflow where float64's does not: 1e−40^(1e−40 − 1)·1e−40 is 1, not ∞); its own derivatives are pow's.
  const composed = composedTwice(node, (base, power) => pow(typeof x === 'number' ? x : base!, typeof exponent === 'number' ? exponent : power!));
  const fn = composed.gradFn;
  if (fn instanceof GraphNode && fn.graphBackward !== null) {
    const graph = fn.graphBackward;
    fn.graphBackward = (g) => {
      const exact = noGrad(() => fn.backward(g));
      return graph(g).map((t, i) => (t === null || t === undefined ? null : withValues(exact[i]!, t)));
    };
  }
  return composed;
}

/** A tensor of `values`' values whose gradient is `graph`'s (an identity node on it): float_power's exact gradient, differentiable as pow's. */
function withValues(values: Tensor, graph: Tensor): Tensor {
  if (!graph.requiresGrad) return values;
  const back = (h: Tensor): Tensor[] => [h];
  return twice(record(new Tensor(values.toArray(), values.shape), 'floatPowerBackward', [graph], back), back);
}

export interface HistogramOptions {
  /** The range of the bins when `bins` is a count (default: the input's min and max). */
  readonly range?: readonly [number, number] | null;
  /** One weight per element (default: each counts 1). */
  readonly weight?: Tensor | null;
  /** Divide by the total and the bins' widths: a density that integrates to 1. */
  readonly density?: boolean;
}

/**
 * `[hist, binEdges]`, as `torch.histogram(input, bins, range, weight, density)`: `bins` equal-width bins over `range`
 * (the edges `linspace`'s, the range widened by 0.5 each side when it is one value; [0, 1] for an empty input), or the given increasing edges;
 * each element counted in the bin [eᵢ, eᵢ₊₁) holding it (the last bin closed), those outside left out. No gradient.
 */
export function histogram(input: Tensor, bins: number | Tensor, options: HistogramOptions = {}): [Tensor, Tensor] & { hist: Tensor; binEdges: Tensor } {
  checkTensor(input, 'histogram');
  const { range = null, weight = null, density = false } = checkOptions('histogram', options, ['range', 'weight', 'density']);
  const v = input.values();
  let edges: Tensor;
  if (bins instanceof Tensor) {
    if (bins.ndim !== 1 || bins.numel() < 2) throw new RangeError(`torch.histogram(): bins must be a 1-D tensor of at least 2 edges, got shape [${bins.shape.join(', ')}]`);
    edges = bins.contiguous();
  } else {
    if (typeof bins !== 'number' || !Number.isInteger(bins)) throw new TypeError(`histogram: bins must be a whole number or a tensor of edges, got ${describeValue(bins)}`);
    if (bins <= 0) throw new RangeError(`torch.histogram(): bins must be > 0, but got ${bins} for dimension 0`);
    checkResultSize('histogram', [bins + 1]);
    let lo: number;
    let hi: number;
    if (range !== null) {
      if (!Array.isArray(range) || range.length !== 2) throw new TypeError(`histogram: range must be [min, max], got ${describeValue(range)}`);
      [lo, hi] = range;
    } else {
      // An empty input's range is [0, 1], as PyTorch's select_outer_bin_edges starts from.
      lo = v.length === 0 ? 0 : v.reduce((a, b) => Math.min(a, b), Infinity);
      hi = v.length === 0 ? 1 : v.reduce((a, b) => Math.max(a, b), -Infinity);
    }
    if (!(Number.isFinite(lo) && Number.isFinite(hi))) throw new RangeError(`torch.histogramdd: range of [${lo}, ${hi}] is not finite`);
    if (lo > hi) throw new RangeError(`torch.histogramdd: min should not exceed max, but got min ${lo} max ${hi} for dimension 0`);
    if (lo === hi) [lo, hi] = [lo - 0.5, hi + 0.5];
    edges = linspace(lo, hi, bins + 1);
  }
  const e = edges.values();
  const n = e.length - 1;
  if (weight !== null && (!(weight instanceof Tensor) || weight.shape.length !== input.shape.length || weight.shape.some((d, i) => d !== input.shape[i]))) {
    throw new RangeError(`histogram: the weight must be a tensor of the input's shape [${input.shape.join(', ')}], got ${weight instanceof Tensor ? `shape [${weight.shape.join(', ')}]` : describeValue(weight)}`);
  }
  const w = weight === null ? null : weight.values();
  const hist = new Float32Array(n);
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (!(x >= e[0]! && x <= e[n]!)) continue;
    // upper_bound: the first edge above x, then one back; x on the last edge goes to the last bin.
    let lo = 0;
    let hi = e.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (e[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    const pos = Math.min(lo - 1, n - 1);
    hist[pos] = Math.fround(hist[pos]! + (w === null ? 1 : w[i]!));
  }
  let h = new Tensor(hist, [n]);
  if (density) h = h.div(h.sum()).div(edges.diff());
  return Object.assign([h, edges] as [Tensor, Tensor], { hist: h, binEdges: edges });
}
