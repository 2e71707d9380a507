import { record } from '../autograd/record.js';
import { linearTwice, twice } from '../autograd/twice.js';
import * as k from '../kernels/ref/elementwise.js';
import { gatheredBinary, gatherStrided } from '../kernels/strided.js';
import { Tensor } from '../tensor/tensor.js';
import { broadcastShapes, broadcastStrides, numel, sameShape } from '../tensor/shape.js';
import { binaryFlat, binaryRows } from '../kernels/elementwise.js';
import { transientFloat32 } from '../kernels/transient.js';
import { broadcastPair, sumToShape } from './broadcast.js';
import { asTensor, checkTensor, coversStorage, empty, sameStrides } from './util.js';
import { float32Scalar } from '../tensor/float32-scalar.js';
import { nonzero } from './nonzero.js';
import { isMask, markMask } from '../tensor/mask-mark.js';
import { maskOf } from './mask.js';

function binaryForward(op: k.BinaryOp, a: Tensor, b: Tensor, name: string = op): Tensor {
  const { shape, aStrides, bStrides } = broadcastPair(a, b, name);
  const out = empty(shape);
  const n = out.numel();
  // Operands that are whole or one value each need no strides: a flat loop (a kernel for the four arithmetic ops).
  if ((a.numel() === n || a.numel() === 1) && (b.numel() === n || b.numel() === 1)) flatForward(op, a, b, out.data);
  else if (a.numel() === n && repeatsOverRows(b, shape)) binaryRows(op, a.values(), b.values(), out.data, b.numel());
  else if (b.numel() === n && repeatsOverRows(a, shape)) binaryRows(op, a.values(), b.values(), out.data, a.numel());
  else k.binary(op, a.values(), aStrides, b.values(), bStrides, out.data, shape);
  return out;
}

/**
 * out = a op b for operands of out.length values or one: a flat loop, where an operand laid out otherwise (a `Linear`
 * weight's gradient, stored transposed) is gathered straight into out.
 */
function flatForward(op: k.BinaryOp, a: Tensor, b: Tensor, out: Float32Array): void {
  const n = out.length;
  if (n > 1 && a.numel() === n && !a.isContiguous()) gatheredBinary(op, a.settled(), a.shape, a.strides, b.values(), false, out);
  else if (n > 1 && b.numel() === n && !b.isContiguous()) gatheredBinary(op, b.settled(), b.shape, b.strides, a.values(), true, out);
  else binaryFlat(op, a.values(), b.values(), out);
}

/**
 * True when `t`, broadcast to `shape`, is its values repeated over the leading dimensions (a bias [N] against a batch
 * [B, N], or [1, C, H] against [B, C, H]): its shape, without leading 1s, is the trailing part of `shape`.
 */
function repeatsOverRows(t: Tensor, shape: readonly number[]): boolean {
  let d = 0;
  while (d < t.ndim && t.shape[d] === 1) d++;
  const own = t.ndim - d;
  if (own === 0 || own > shape.length) return false;
  for (let i = 1; i <= own; i++) if (t.shape[t.ndim - i] !== shape[shape.length - i]) return false;
  return true;
}

/**
 * op(a, b) for an in-place op to write into `a` (its result is seen by nobody else): computed over the operands'
 * storage in storage order, and laid out as they are, when `a` covers its storage exactly but not in row-major order
 * (a `Linear` weight, stored transposed, or its gradient) and `b` is a number or laid out alike. Elementwise results
 * do not depend on the order, so these are the row-major computation's bits, without gathering the operands into
 * row-major order and scattering the result back. Null for everything else. (A public op's result stays row-major,
 * as PyTorch's is on its contiguous weights.)
 */
export function inStorageOrder(op: 'add' | 'sub' | 'mul' | 'div', a: Tensor, b: Tensor | number): Tensor | null {
  if (a.isContiguous() || !coversStorage(a)) return null;
  const other = asTensor(b, op);
  const n = a.numel();
  const scalar = other.numel() === 1 && other.ndim <= a.ndim;
  if (!scalar && !(sameShape(other.shape, a.shape) && sameStrides(other, a) && other.unsettledData.length === n)) return null;
  const out = new Tensor(transientFloat32(n), a.shape, { strides: a.strides });
  binaryFlat(op, a.settled(), scalar ? other.values() : other.settled(), out.data);
  return out;
}

type GradRule = (g: Tensor, a: Tensor, b: Tensor, out: Tensor) => [Tensor | null, Tensor | null];
/** The tensors a rule reads, as PyTorch saves them for the op (which may depend on which inputs need a gradient). */
type Saves = (a: Tensor, b: Tensor, out: Tensor) => Tensor[];

const NOTHING: Saves = () => [];
/** a·b: a for b's gradient, b for a's. */
const FACTORS: Saves = (a, b) => (a.requiresGrad ? (b.requiresGrad ? [a, b] : [b]) : [a]);

/**
 * The op `op` of the kernels as the public function `name` (its errors and its grad_fn say `name`). `graph` is the
 * rule written with recorded ops, for the gradient's graph (createGraph): `true` when `rule` itself is one, absent when
 * the op has none. `torchName` is PyTorch's name for the node when it is not `name`'s (record.ts): `x.square()` is a
 * product named PowBackward0.
 */
function makeBinary(op: k.BinaryOp, rule: GradRule, saves: Saves, name: string = op, graph: GradRule | boolean = false) {
  return (x: Tensor | number, y: Tensor | number, torchName?: string): Tensor => {
    const a = asTensor(x, name);
    const b = asTensor(y, name);
    const out = binaryForward(op, a, b, name);
    const back = (g: Tensor): (Tensor | null)[] => {
      const [ga, gb] = rule(g, a, b, out);
      return [
        ga && a.requiresGrad ? sumToShape(ga, a.shape) : null,
        gb && b.requiresGrad ? sumToShape(gb, b.shape) : null,
      ];
    };
    const result = record(out, name, [a, b], back, saves(a, b, out), torchName);
    if (graph === false) return result;
    if (graph === true) return twice(result, back);
    return twice(result, (g) => {
      const [ga, gb] = graph(g, a, b, out);
      return [ga && a.requiresGrad ? sumToShape(ga, a.shape) : null, gb && b.requiresGrad ? sumToShape(gb, b.shape) : null];
    });
  };
}

export const add = makeBinary('add', (g) => [g, g], NOTHING, 'add', true);
export const sub = makeBinary('sub', (g, _a, b) => [g, b.requiresGrad ? g.neg() : null], NOTHING, 'sub', true);
export const mul = makeBinary('mul', (g, a, b) => [a.requiresGrad ? g.mul(b) : null, b.requiresGrad ? g.mul(a) : null], FACTORS, 'mul', true);
export const div = makeBinary('div', (g, a, b) => [
  a.requiresGrad ? g.div(b) : null,
  // PyTorch's order, −g·((a / b) / b): the same bits, and no overflow of b·b or g·a where the result is finite.
  b.requiresGrad ? g.mul(a.div(b).div(b)).neg() : null,
], (a, b) => (b.requiresGrad ? [a, b] : [b]), 'div', true);
/** pow with a tensor exponent (ops/pow.ts takes a number's): C's pow of each pair, rounded to float32. */
export const powTensor = makeBinary('pow', (g, a, b, out) => [
  // d/da a^b = b·a^(b−1), PyTorch's grad·(b·a^(b−1)); 0 where b == 0.
  a.requiresGrad ? zeroWhere(g.mul(b.mul(a.pow(b.sub(1)))), b) : null,
  // d/db a^b = a^b·ln a, PyTorch's grad·(a^b·ln a); 0 where a == 0 and b ≥ 0.
  b.requiresGrad ? g.mul(out.mul(safeLog(a, b))) : null,
], (a, b, out) => [a, b, out], 'pow', (g, a, b, out) => {
  // The same formulas with recorded ops: the zeros chosen by constant masks, and log a taken of 1 where it is skipped.
  const shape = broadcastShapes(a.shape, b.shape, 'pow');
  const av = expandValues(a, shape);
  const bv = expandValues(b, shape);
  const keepA = maskOf(bv, shape, (e) => e !== 0);
  const logged = markMask(new Tensor(Float32Array.from(av, (e, i) => (e === 0 && bv[i]! >= 0 ? 0 : 1)), shape));
  return [
    a.requiresGrad ? g.mul(b.mul(a.pow(b.sub(1)))).where(keepA, 0) : null,
    b.requiresGrad ? g.mul(out.mul(a.where(logged, 1).log())) : null,
  ];
});
/** maximum's and minimum's gradients with recorded ops: g times the constant shares (1, 0 or ½ at ties). */
const minMaxGraph = (sign: 1 | -1): GradRule => (g, a, b) => {
  const [wa, wb] = minMaxGrads(new Tensor(new Float32Array(g.numel()).fill(1), g.shape), a, b, sign);
  return [g.mul(wa), g.mul(wb)];
};
export const maximum = makeBinary('max', (g, a, b) => minMaxGrads(g, a, b, 1), (a, b) => [a, b], 'maximum', minMaxGraph(1));
export const minimum = makeBinary('min', (g, a, b) => minMaxGrads(g, a, b, -1), (a, b) => [a, b], 'minimum', minMaxGraph(-1));

function zeroWhere(v: Tensor, b: Tensor): Tensor {
  const shape = broadcastShapes(v.shape, b.shape, 'pow');
  const out = new Tensor(expandValues(v, shape), shape);
  const bv = expandValues(b, shape);
  const o = out.data;
  for (let i = 0; i < o.length; i++) if (bv[i] === 0) o[i] = 0;
  return out;
}

function safeLog(a: Tensor, b: Tensor): Tensor {
  const shape = broadcastShapes(a.shape, b.shape, 'pow');
  const av = expandValues(a, shape);
  const bv = expandValues(b, shape);
  for (let i = 0; i < av.length; i++) {
    const x = av[i]!;
    av[i] = x === 0 && bv[i]! >= 0 ? 0 : Math.log(x);
  }
  return new Tensor(av, shape);
}

/**
 * Gradient of maximum (sign 1) / minimum (sign −1), PyTorch's rule: half to each on a tie, else all of it to each
 * input except the one that lost — so where a NaN is involved (neither wins nor ties) both get it.
 */
function minMaxGrads(g: Tensor, a: Tensor, b: Tensor, sign: 1 | -1): [Tensor, Tensor] {
  const shape = g.shape;
  const ga = empty(shape);
  const gb = empty(shape);
  const av = expandValues(a, shape);
  const bv = expandValues(b, shape);
  const GA = ga.data;
  const GB = gb.data;
  const G = g.data;
  for (let i = 0; i < GA.length; i++) {
    const x = av[i]! * sign;
    const y = bv[i]! * sign;
    const gi = G[i]!;
    if (x === y) {
      GA[i] = gi / 2;
      GB[i] = gi / 2;
    } else {
      GA[i] = x < y ? 0 : gi;
      GB[i] = x > y ? 0 : gi;
    }
  }
  return [ga, gb];
}

/**
 * Elementwise choice: `x` where `condition` is non-zero, else `y` (all three broadcast together). With the condition
 * alone, the coordinates of its non-zero elements, one 1-D tensor per dimension, as PyTorch's `torch.where(condition)`
 * (`nonzero(condition, { asTuple: true })`).
 */
export function where(condition: Tensor): Tensor[];
export function where(condition: Tensor, x: Tensor | number, y: Tensor | number): Tensor;
export function where(condition: Tensor, x?: Tensor | number, y?: Tensor | number): Tensor | Tensor[] {
  if (x === undefined && y === undefined && arguments.length <= 1) {
    checkTensor(condition, 'where', 'condition');
    return nonzero(condition, { asTuple: true });
  }
  if (x === undefined || y === undefined) {
    throw new TypeError(`where: give both x and y, or the condition alone (its non-zero coordinates, as nonzero(condition, { asTuple: true })); got ${x === undefined ? 'no x' : 'no y'}`);
  }
  checkTensor(condition, 'where', 'condition');
  if (!isMask(condition)) {
    throw new TypeError(`where: where expected condition to be a boolean tensor, but got a tensor with dtype Float (PyTorch's words; a mask is a comparison's result, as x.gt(0), or c.bool())`);
  }
  const out = whereNamed(condition, x, y, undefined);
  // Of two masks, a mask: PyTorch's where of two bool tensors is bool.
  return x instanceof Tensor && y instanceof Tensor && isMask(x) && isMask(y) ? markMask(out) : out;
}

/** `where`, its node named `torchName` for PyTorch (`maskedFill`'s is MaskedFillBackward0, or 1 for a tensor value). */
export function whereNamed(condition: Tensor, x: Tensor | number, y: Tensor | number, torchName: string | undefined): Tensor {
  checkTensor(condition, 'where', 'condition');
  if (typeof x === 'number') float32Scalar('where', 'x', x);
  if (typeof y === 'number') float32Scalar('where', 'y', y);
  const a = asTensor(x, 'where');
  const b = asTensor(y, 'where');
  const shape = broadcastShapes(broadcastShapes(condition.shape, a.shape, 'where'), b.shape, 'where');
  const c = expandValues(condition, shape);
  const av = expandValues(a, shape);
  const bv = expandValues(b, shape);
  const out = empty(shape);
  const o = out.data;
  for (let i = 0; i < c.length; i++) o[i] = c[i] !== 0 ? av[i]! : bv[i]!;
  const chosen = new Tensor(c, shape);
  return linearTwice(record(out, 'where', [a, b], (g) => {
    const ga = empty(shape);
    const gb = empty(shape);
    const GA = ga.data;
    const GB = gb.data;
    const G = g.data;
    for (let i = 0; i < c.length; i++) {
      if (c[i] !== 0) GA[i] = G[i]!;
      else GB[i] = G[i]!;
    }
    return [a.requiresGrad ? sumToShape(ga, a.shape) : null, b.requiresGrad ? sumToShape(gb, b.shape) : null];
  }, [condition], torchName), (h) => whereNamed(chosen, h, 0, torchName), (h) => whereNamed(chosen, 0, h, torchName));
}

/** The values of `t` broadcast to `shape`, as a new contiguous array. */
function expandValues(t: Tensor, shape: readonly number[]): Float32Array {
  const out = new Float32Array(numel(shape));
  // A strided copy, not x + 0: that would turn −0 into +0.
  gatherStrided(t.values(), shape, broadcastStrides(t.shape, shape), out);
  return out;
}

type Comparison = (x: number, y: number) => boolean;

/**
 * An elementwise comparison with broadcasting. PyTorch gives a bool tensor; Kindling's tensors are float32, so the
 * result holds 1 where the comparison is true and 0 where it is false (NaN compares false, except with `ne`), and
 * works with `sum()`, `mean()` and `where()`. It has no gradient.
 */
function makeComparison(name: string, test: Comparison) {
  return (x: Tensor | number, y: Tensor | number): Tensor => {
    const a = asTensor(x, name);
    const b = asTensor(y, name);
    const shape = broadcastShapes(a.shape, b.shape, name);
    const av = expandValues(a, shape);
    const bv = expandValues(b, shape);
    const out = empty(shape);
    const o = out.data;
    for (let i = 0; i < o.length; i++) o[i] = test(av[i]!, bv[i]!) ? 1 : 0;
    return markMask(out);
  };
}

export const eq = makeComparison('eq', (x, y) => x === y);
export const ne = makeComparison('ne', (x, y) => x !== y);
export const gt = makeComparison('gt', (x, y) => x > y);
export const ge = makeComparison('ge', (x, y) => x >= y);
export const lt = makeComparison('lt', (x, y) => x < y);
export const le = makeComparison('le', (x, y) => x <= y);
