// lerp, addcmul and addcdiv as PyTorch 1.13's: three operands broadcast together, each value rounded as PyTorch's
// float32 CPU kernel rounds it (addcmul's multiply-add fused, as its AVX2 kernel fuses it), the gradients PyTorch's
// formulas (derivatives.yaml) rounded step by step, summed over what was broadcast.
import { noGrad } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import { twice, zeroEdge } from '../autograd/twice.js';
import { fmaf } from '../kernels/ref/fmaf.js';
import { checkOptions, describeValue, isPlainObject } from '../options.js';
import { broadcastShapes } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { float32Scalar } from '../tensor/float32-scalar.js';
import { expanded, operand } from './binary-math.js';
import { div } from './binary.js';
import { sumToShape } from './broadcast.js';
import { empty } from './util.js';

const f = Math.fround;

/** One element's value, or one operand's gradient (from the output gradient g), from the three operands' values. */
type Element = (a: number, b: number, c: number) => number;
type Partial = (g: number, a: number, b: number, c: number) => number;

/** The three operands' gradients written with recorded ops (for createGraph), null where an operand gets none. */
type Graph = (g: Tensor, a: Tensor, b: Tensor, c: Tensor) => (Tensor | null)[];

/**
 * out = value(a, b, c) elementwise over the broadcast operands, recorded with the partials of the tensors among them,
 * and `graph`, the same gradients as recorded ops (second derivatives).
 */
/** Which operands the gradients of the operands that require grad read (PyTorch saves only those), by index. */
type Reads = readonly (readonly number[])[];

function ternary(name: string, torchName: string, ts: readonly Tensor[], value: Element, partials: readonly Partial[], graph: Graph, reads: Reads): Tensor {
  const shape = broadcastShapes(broadcastShapes(ts[0]!.shape, ts[1]!.shape, name), ts[2]!.shape, name);
  const [av, bv, cv] = ts.map((t) => expanded(t, shape)) as [Float32Array, Float32Array, Float32Array];
  const out = empty(shape);
  const o = out.data;
  for (let i = 0; i < o.length; i++) o[i] = value(av[i]!, bv[i]!, cv[i]!);
  const node = record(out, name, ts, (g) => {
    const G = g.values();
    return ts.map((t, k) => {
      if (!t.requiresGrad) return null;
      const p = partials[k]!;
      const r = empty(shape);
      const d = r.data;
      for (let i = 0; i < d.length; i++) d[i] = p(G[i]!, av[i]!, bv[i]!, cv[i]!);
      return sumToShape(r, t.shape);
    });
  }, [...new Set(ts.flatMap((t, k) => (t.requiresGrad ? reads[k]!.map((j) => ts[j]!) : [])))], torchName);
  return twice(node, (g) => {
    const grads = graph(g, ts[0]!, ts[1]!, ts[2]!);
    return ts.map((t, k) => (t.requiresGrad && grads[k] !== null && grads[k] !== undefined ? sumToShape(grads[k]!, t.shape) : null));
  });
}

/**
 * PyTorch's lerp of one element: a + w·(b − a) for w < 0.5, else b − (b − a)·(1 − w) (exact at both ends), the
 * multiply-add fused as its compiled kernel fuses it.
 */
function lerpOf(a: number, b: number, w: number): number {
  const d = f(b - a);
  return w < 0.5 ? fmaf(w, d, a) : fmaf(-d, f(1 - w), b);
}

/**
 * input + weight·(end − input), elementwise (PyTorch's `lerp`): `weight` a number (LerpBackward0) or a tensor that
 * broadcasts with the others (LerpBackward1, with its own gradient, grad·(end − input)).
 */
export function lerp(input: Tensor, end: Tensor, weight: Tensor | number): Tensor {
  const a = operand('lerp', 'input', input, false);
  const b = operand('lerp', 'end', end, false);
  if (weight instanceof Tensor) {
    return ternary('lerp', 'LerpBackward1', [a, b, weight], lerpOf, [
      (g, _a, _b, w) => f(g * f(1 - w)),
      (g, _a, _b, w) => f(g * w),
      (g, x, y) => f(g * f(y - x)),
    ], (g, x, y, wt) => [g.mul(wt.neg().add(1)), g.mul(wt), g.mul(y.sub(x))], [[2], [2], [0, 1]]);
  }
  if (typeof weight !== 'number') throw new TypeError(`lerp: argument 'weight' must be a Tensor or a number, got ${describeValue(weight)}`);
  const w = f(float32Scalar('lerp', 'weight', weight));
  // The gradients' factors, as PyTorch computes them: 1 − weight in float64, each rounded to float32 once.
  const keep = f(1 - weight);
  const zero = new Tensor(new Float32Array(1), []);
  return ternary('lerp', 'LerpBackward0', [a, b, zero], (x, y) => lerpOf(x, y, w), [(g) => f(g * keep), (g) => f(g * w), () => 0], (g) => [g.mul(keep), g.mul(w), null], [[], [], []]);
}

/** `value` of addcmul / addcdiv: a number, by position or as `{ value }` (PyTorch's keyword); 1 by default. */
export type ValueOption = number | { value?: number };

function valueOf(op: string, v: ValueOption | undefined): number {
  const value = isPlainObject(v) ? checkOptions(op, v, ['value']).value ?? 1 : v ?? 1;
  if (typeof value !== 'number') throw new TypeError(`${op}: value must be a number, got ${describeValue(value)}`);
  return f(float32Scalar(op, 'value', value));
}

/** input + value·tensor1·tensor2, elementwise (PyTorch's `addcmul`; `{ value }` 1 by default). */
export function addcmul(input: Tensor, tensor1: Tensor, tensor2: Tensor, value?: ValueOption): Tensor {
  const ts = [operand('addcmul', 'input', input, false), operand('addcmul', 'tensor1', tensor1, false), operand('addcmul', 'tensor2', tensor2, false)];
  const v = valueOf('addcmul', value);
  return ternary('addcmul', 'AddcmulBackward0', ts, (a, x, y) => fmaf(f(v * x), y, a), [
    (g) => g,
    (g, _a, _x, y) => f(g * f(y * v)),
    (g, _a, x) => f(g * f(x * v)),
  ], (g, _a, x, y) => [g.mul(1), g.mul(y.mul(v)), g.mul(x.mul(v))], [[], [2], [1]]);
}

/** input + value·tensor1 / tensor2, elementwise (PyTorch's `addcdiv`; `{ value }` 1 by default). */
export function addcdiv(input: Tensor, tensor1: Tensor, tensor2: Tensor, value?: ValueOption): Tensor {
  const ts = [operand('addcdiv', 'input', input, false), operand('addcdiv', 'tensor1', tensor1, false), operand('addcdiv', 'tensor2', tensor2, false)];
  const v = valueOf('addcdiv', value);
  return ternary('addcdiv', 'AddcdivBackward0', ts, (a, x, y) => f(a + f(f(v * x) / y)), [
    (g) => g,
    (g, _a, _x, y) => f(g * f(v / y)),
    (g, _a, x, y) => f(-g * f(f(v * x) / f(y * y))),
  ], (g, _a, x, y) => [g.mul(1), g.mul(div(v, y)), g.neg().mul(x.mul(v).div(y.mul(y)))], [[], [2], [1, 2]]);
}

// max(a, b) and min(a, b), NaN if either is NaN, and b when they are equal (so between −0 and +0), as the AVX2
// `vec::maximum` / `vec::minimum` of PyTorch's clamp kernel give them (max_ps / min_ps return their second operand).
const nanMax = (a: number, b: number): number => (a !== a || b !== b ? NaN : a > b ? a : b);
const nanMin = (a: number, b: number): number => (a !== a || b !== b ? NaN : a < b ? a : b);

/**
 * min(max(input, min), max) elementwise with tensor bounds broadcast with the input (PyTorch's
 * `clamp(Tensor min, Tensor max)`, ClampBackward0; either bound may be null), NaN in any operand giving NaN. The
 * gradients are PyTorch's `clamp_backward` and `clamp_backward_min_max`: the input's where min ≤ input ≤ max; min's
 * where input < min (and min < max, when both are given); max's where input > max (or max < min).
 */
export function clampTensors(input: Tensor, min: Tensor | null, max: Tensor | null): Tensor {
  const none = (v: number): Tensor => new Tensor(new Float32Array([v]), []);
  const ts = [operand('clamp', 'input', input, false), min ?? none(-Infinity), max ?? none(Infinity)];
  const both = min !== null && max !== null;
  return ternary('clamp', 'ClampBackward0', ts, (x, lo, hi) => nanMin(nanMax(x, lo), hi), [
    (g, x, lo, hi) => (x >= lo && x <= hi ? g : 0),
    (g, x, lo, hi) => (x < lo && (!both || lo < hi) ? g : 0),
    (g, x, lo, hi) => (x > hi || (both && hi < lo) ? g : 0),
  ], (g, x, lo, hi) => {
    const pass = noGrad(() => x.ge(lo).logicalAnd(x.le(hi)));
    const below = noGrad(() => (both ? x.lt(lo).logicalAnd(lo.lt(hi)) : x.lt(lo)));
    const above = noGrad(() => (both ? x.gt(hi).logicalOr(hi.lt(lo)) : x.gt(hi)));
    return [zeroEdge(g.mul(pass), x), zeroEdge(g.mul(below), lo), zeroEdge(g.mul(above), hi)];
  }, [[0, 1, 2], [0, 1, 2], [0, 1, 2]]);
}
