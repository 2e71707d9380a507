// Elementwise add, sub, mul and div over flat arrays, with the bits of the reference loops
// (src/kernels/ref/elementwise.ts `binary`): a float32 operation is correctly rounded, as is the reference's float64
// operation on two float32 values rounded to float32 (53 ≥ 2·24 + 2 bits: the double rounding is innocuous).
// An operand may be one value (a number, or a tensor of one element) used for every element.

import { fma4 } from './fma';
import { loadPart, storePart } from './part';

/** The op codes of `binaryFlat`, in the order of src/kernels/wasm/binary.ts's table. */
const ADD = 0;
const SUB = 1;
const MUL = 2;

@inline
function lanes(op: i32, a: v128, b: v128): v128 {
  if (op === ADD) return f32x4.add(a, b);
  if (op === SUB) return f32x4.sub(a, b);
  if (op === MUL) return f32x4.mul(a, b);
  return f32x4.div(a, b);
}

@inline
function one(op: i32, a: f32, b: f32): f32 {
  if (op === ADD) return a + b;
  if (op === SUB) return a - b;
  if (op === MUL) return a * b;
  return a / b;
}

/**
 * out[i] = a[i] op b[i] for i < n; `aStep`/`bStep` are 1 for an array and 0 for one value read at every i. out may
 * be a or b (each element is read before it is written).
 */
export function binaryFlat(op: i32, a: usize, aStep: i32, b: usize, bStep: i32, out: usize, n: i32): void {
  // One loop per op and layout: the op and the steps stay out of the loop body.
  if (op === ADD) run(ADD, a, aStep, b, bStep, out, n);
  else if (op === SUB) run(SUB, a, aStep, b, bStep, out, n);
  else if (op === MUL) run(MUL, a, aStep, b, bStep, out, n);
  else run(3, a, aStep, b, bStep, out, n);
}

/**
 * out[i] = a[i] op (alpha·b[i]) for i < n: add and sub rounded once (PyTorch's fused kernel), mul and div with the
 * product rounded to float32 first: an in-place `p.sub_(g, alpha)` in one pass. out may be a or b.
 */
export function binaryScaled(op: i32, a: usize, b: usize, alpha: f32, out: usize, n: i32): void {
  if (op === ADD) runScaled(ADD, a, b, alpha, out, n);
  else if (op === SUB) runScaled(SUB, a, b, alpha, out, n);
  else if (op === MUL) runScaled(MUL, a, b, alpha, out, n);
  else runScaled(3, a, b, alpha, out, n);
}

@inline
function runScaled(op: i32, a: usize, b: usize, alpha: f32, out: usize, n: i32): void {
  const end = <usize>(n & ~3) << 2;
  const tail = <usize>n << 2;
  if (op === ADD || op === SUB) {
    // a ± alpha·b rounded once, as PyTorch's kernel (vec::fmadd): fmaf(b, ±alpha, a).
    const vs = f32x4.splat(op === ADD ? alpha : -alpha);
    for (let q: usize = 0; q < end; q += 16) v128.store(out + q, fma4(v128.load(b + q), vs, v128.load(a + q)));
    const k = <i32>(tail - end) >> 2;
    if (k > 0) storePart(out + end, fma4(loadPart(b + end, k), vs, loadPart(a + end, k)), k);
    return;
  }
  const va = f32x4.splat(alpha);
  for (let q: usize = 0; q < end; q += 16) v128.store(out + q, lanes(op, v128.load(a + q), f32x4.mul(va, v128.load(b + q))));
  for (let q = end; q < tail; q += 4) store<f32>(out + q, one(op, load<f32>(a + q), alpha * load<f32>(b + q)));
}

/**
 * out[r, j] = a[r, j] op b[r, j] over `rows` rows of `width` elements, where an operand with `aRow`/`bRow` set is one
 * row of `width` values used for every r (a bias added to a batch). out may be the whole operand.
 */
export function binaryRows(op: i32, a: usize, aRow: bool, b: usize, bRow: bool, out: usize, rows: i32, width: i32): void {
  if (op === ADD) runRows(ADD, a, aRow, b, bRow, out, rows, width);
  else if (op === SUB) runRows(SUB, a, aRow, b, bRow, out, rows, width);
  else if (op === MUL) runRows(MUL, a, aRow, b, bRow, out, rows, width);
  else runRows(3, a, aRow, b, bRow, out, rows, width);
}

@inline
function runRows(op: i32, a: usize, aRow: bool, b: usize, bRow: bool, out: usize, rows: i32, width: i32): void {
  const rowBytes = <usize>width << 2;
  for (let r = 0; r < rows; r++) {
    const o = <usize>r * rowBytes;
    run(op, aRow ? a : a + o, 1, bRow ? b : b + o, 1, out + o, width);
  }
}

@inline
function run(op: i32, a: usize, aStep: i32, b: usize, bStep: i32, out: usize, n: i32): void {
  const end = <usize>(n & ~3) << 2;
  const tail = <usize>n << 2;
  if (aStep !== 0 && bStep !== 0) {
    for (let q: usize = 0; q < end; q += 16) v128.store(out + q, lanes(op, v128.load(a + q), v128.load(b + q)));
    for (let q = end; q < tail; q += 4) store<f32>(out + q, one(op, load<f32>(a + q), load<f32>(b + q)));
  } else if (aStep !== 0) {
    const s = load<f32>(b), vs = f32x4.splat(s);
    for (let q: usize = 0; q < end; q += 16) v128.store(out + q, lanes(op, v128.load(a + q), vs));
    for (let q = end; q < tail; q += 4) store<f32>(out + q, one(op, load<f32>(a + q), s));
  } else if (bStep !== 0) {
    const s = load<f32>(a), vs = f32x4.splat(s);
    for (let q: usize = 0; q < end; q += 16) v128.store(out + q, lanes(op, vs, v128.load(b + q)));
    for (let q = end; q < tail; q += 4) store<f32>(out + q, one(op, s, load<f32>(b + q)));
  } else {
    const v = one(op, load<f32>(a), load<f32>(b));
    for (let q: usize = 0; q < tail; q += 4) store<f32>(out + q, v);
  }
}
