/** Elementwise kernels over contiguous Float32Arrays. Each writes into `out` (which may alias the input). */

export type UnaryOp = 'neg' | 'exp' | 'log' | 'sqrt' | 'abs' | 'sigmoid' | 'tanh' | 'relu';

/**
 * The sigmoid of one value, before rounding to float32: 1 / (1 + e^−x) in float64, except +0 where float32's e^−x
 * overflows (x below about −88.72), since PyTorch computes e^−x in float32 and gets 1 / (1 + ∞) there.
 */
export function sigmoidOf(x: number): number {
  const e = Math.exp(-x);
  return Math.fround(e) === Infinity ? 0 : 1 / (1 + e);
}

export function unary(op: UnaryOp, x: Float32Array, out: Float32Array): void {
  const n = out.length;
  switch (op) {
    case 'neg': for (let i = 0; i < n; i++) out[i] = -x[i]!; break;
    case 'exp': for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]!); break;
    case 'log': for (let i = 0; i < n; i++) out[i] = Math.log(x[i]!); break;
    case 'sqrt': for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]!); break;
    case 'abs': for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]!); break;
    case 'sigmoid': for (let i = 0; i < n; i++) out[i] = sigmoidOf(x[i]!); break;
    case 'tanh': for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]!); break;
    // PyTorch's clamp_min(x, 0): NaN stays NaN (a diverged model must not look finite after a ReLU), −0 stays −0.
    case 'relu': for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v < 0 ? 0 : v; } break;
  }
}

export function leakyRelu(x: Float32Array, slope: number, out: Float32Array): void {
  const s = Math.fround(slope);
  for (let i = 0; i < out.length; i++) {
    const v = x[i]!;
    out[i] = v > 0 ? v : v * s;
  }
}

/** dx = g * f'(x), written with whichever of x (input) or y (output) the derivative needs. */
export function unaryBackward(op: UnaryOp, x: Float32Array, y: Float32Array, g: Float32Array, out: Float32Array): void {
  const n = out.length;
  switch (op) {
    case 'neg': for (let i = 0; i < n; i++) out[i] = -g[i]!; break;
    case 'exp': for (let i = 0; i < n; i++) out[i] = g[i]! * y[i]!; break;
    case 'log': for (let i = 0; i < n; i++) out[i] = g[i]! / x[i]!; break;
    case 'sqrt': for (let i = 0; i < n; i++) out[i] = g[i]! / (2 * y[i]!); break;
    // PyTorch's sgn: 0 at a NaN.
    case 'abs': for (let i = 0; i < n; i++) { const s = Math.sign(x[i]!); out[i] = g[i]! * (s === s ? s : 0); } break;
    // PyTorch's sigmoid_backward: (g·(1 − y))·y, left to right (a * (1 - b) * b), each product rounded.
    case 'sigmoid': for (let i = 0; i < n; i++) { const s = y[i]!; out[i] = Math.fround(g[i]! * Math.fround(1 - s)) * s; } break;
    // PyTorch 1.13's tanh_backward, g·(1 − y·y) with 1 − y·y rounded once (a fused multiply-add): y·y is exact in
    // float64, and 1 − y·y rounded from float64 to float32 has the FMA's bits for every float32 |y| ≤ 1 (all checked).
    case 'tanh': for (let i = 0; i < n; i++) { const t = y[i]!; out[i] = g[i]! * Math.fround(1 - t * t); } break;
    // PyTorch's threshold_backward: the gradient passes unless y ≤ 0 (so it passes at a NaN).
    case 'relu': for (let i = 0; i < n; i++) out[i] = y[i]! <= 0 ? 0 : g[i]!; break;
  }
}

export function leakyReluBackward(x: Float32Array, slope: number, g: Float32Array, out: Float32Array): void {
  const s = Math.fround(slope);
  for (let i = 0; i < out.length; i++) out[i] = x[i]! > 0 ? g[i]! : g[i]! * s;
}

/**
 * C's pow, which PyTorch calls: JavaScript's Math.pow except that 1^y is 1 for every y (NaN too) and (−1)^±∞ is 1,
 * where Math.pow gives NaN.
 */
export function cPow(a: number, b: number): number {
  if (a === 1 || (a === -1 && (b === Infinity || b === -Infinity))) return 1;
  return Math.pow(a, b);
}

export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'max' | 'min';

function apply(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case 'add': return a + b;
    case 'sub': return a - b;
    case 'mul': return a * b;
    case 'div': return a / b;
    case 'pow': return cPow(a, b);
    case 'max': return a > b || Number.isNaN(a) ? a : b;
    case 'min': return a < b || Number.isNaN(a) ? a : b;
  }
}

/**
 * out[i] = a[ia] op b[ib] over `shape`, where a and b are read through broadcast strides (0 on broadcast dims).
 * Fast paths for equal layouts and scalar operands.
 */
export function binary(
  op: BinaryOp,
  a: Float32Array, aStrides: readonly number[],
  b: Float32Array, bStrides: readonly number[],
  out: Float32Array, shape: readonly number[],
): void {
  const n = out.length;
  const rank = shape.length;
  const aFull = a.length === n;
  const bFull = b.length === n;
  if (aFull && bFull) {
    switch (op) {
      case 'add': for (let i = 0; i < n; i++) out[i] = a[i]! + b[i]!; return;
      case 'sub': for (let i = 0; i < n; i++) out[i] = a[i]! - b[i]!; return;
      case 'mul': for (let i = 0; i < n; i++) out[i] = a[i]! * b[i]!; return;
      case 'div': for (let i = 0; i < n; i++) out[i] = a[i]! / b[i]!; return;
      default: for (let i = 0; i < n; i++) out[i] = apply(op, a[i]!, b[i]!); return;
    }
  }
  if (aFull && b.length === 1) {
    const s = b[0]!;
    switch (op) {
      case 'add': for (let i = 0; i < n; i++) out[i] = a[i]! + s; return;
      case 'sub': for (let i = 0; i < n; i++) out[i] = a[i]! - s; return;
      case 'mul': for (let i = 0; i < n; i++) out[i] = a[i]! * s; return;
      case 'div': for (let i = 0; i < n; i++) out[i] = a[i]! / s; return;
      default: for (let i = 0; i < n; i++) out[i] = apply(op, a[i]!, s); return;
    }
  }
  const idx = new Array<number>(rank).fill(0);
  let pa = 0;
  let pb = 0;
  for (let k = 0; k < n; k++) {
    out[k] = apply(op, a[pa]!, b[pb]!);
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]!++;
      pa += aStrides[d]!;
      pb += bStrides[d]!;
      if (idx[d]! < shape[d]!) break;
      pa -= aStrides[d]! * shape[d]!;
      pb -= bStrides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}

export function clamp(x: Float32Array, lo: number, hi: number, out: Float32Array): void {
  // A NaN bound makes every element NaN, as PyTorch's clamp propagates it (its gradient is 0: no element is inside).
  if (lo !== lo || hi !== hi) {
    out.fill(Number.NaN);
    return;
  }
  for (let i = 0; i < out.length; i++) {
    let v = x[i]!;
    if (v < lo) v = lo;
    if (v > hi) v = hi;
    out[i] = v;
  }
}

export function fill(out: Float32Array, value: number): void {
  out.fill(value);
}
