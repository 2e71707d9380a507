/**
 * A tiny float64 reference evaluator for the engine's ops, written independently of src/ (plain loops over
 * row-major Float64Arrays, every intermediate materialised). The gradient checker differentiates these
 * numerically, so the engine's analytic float32 gradients are compared against float64 finite differences.
 */
export class Ref {
  constructor(readonly data: Float64Array, readonly shape: readonly number[]) {
    if (data.length !== size(shape)) throw new Error(`Ref: ${data.length} values for shape [${shape.join(', ')}]`);
  }
}

export const ref = (values: ArrayLike<number>, shape: readonly number[]): Ref => new Ref(Float64Array.from(values), shape);
export const scalarRef = (v: number): Ref => ref([v], []);

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** Multi-index of flat position `k` in `shape`. */
function unravel(k: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = k % shape[d]!;
    k = Math.floor(k / shape[d]!);
  }
  return idx;
}

function broadcast(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new Error(`ref: cannot broadcast [${a}] and [${b}]`);
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** Flat position in `x` of the element that broadcasting maps to output index `idx`. */
function bpos(x: Ref, idx: readonly number[]): number {
  const st = stridesOf(x.shape);
  const off = idx.length - x.shape.length;
  let p = 0;
  for (let d = 0; d < x.shape.length; d++) p += (x.shape[d] === 1 ? 0 : idx[d + off]!) * st[d]!;
  return p;
}

export function map(x: Ref, f: (v: number) => number): Ref {
  return new Ref(x.data.map(f), x.shape);
}

export function zip(a: Ref, b: Ref, f: (x: number, y: number) => number): Ref {
  const shape = broadcast(a.shape, b.shape);
  const out = new Float64Array(size(shape));
  for (let k = 0; k < out.length; k++) {
    const idx = unravel(k, shape);
    out[k] = f(a.data[bpos(a, idx)]!, b.data[bpos(b, idx)]!);
  }
  return new Ref(out, shape);
}

export const add = (a: Ref, b: Ref): Ref => zip(a, b, (x, y) => x + y);
export const sub = (a: Ref, b: Ref): Ref => zip(a, b, (x, y) => x - y);
export const mul = (a: Ref, b: Ref): Ref => zip(a, b, (x, y) => x * y);
export const div = (a: Ref, b: Ref): Ref => zip(a, b, (x, y) => x / y);
export const pow = (a: Ref, b: Ref): Ref => zip(a, b, (x, y) => Math.pow(x, y));
export const maximum = (a: Ref, b: Ref): Ref => zip(a, b, Math.max);
export const minimum = (a: Ref, b: Ref): Ref => zip(a, b, Math.min);
export const sigmoid = (x: Ref): Ref => map(x, (v) => 1 / (1 + Math.exp(-v)));
export const leakyRelu = (x: Ref, slope: number): Ref => map(x, (v) => (v > 0 ? v : slope * v));

export function where(cond: Ref, a: Ref, b: Ref): Ref {
  const shape = broadcast(broadcast(cond.shape, a.shape), b.shape);
  const out = new Float64Array(size(shape));
  for (let k = 0; k < out.length; k++) {
    const idx = unravel(k, shape);
    out[k] = cond.data[bpos(cond, idx)] !== 0 ? a.data[bpos(a, idx)]! : b.data[bpos(b, idx)]!;
  }
  return new Ref(out, shape);
}

export function reshape(x: Ref, shape: readonly number[]): Ref {
  return new Ref(x.data.slice(), shape);
}

export function permute(x: Ref, dims: readonly number[]): Ref {
  const shape = dims.map((d) => x.shape[d]!);
  const st = stridesOf(x.shape);
  const out = new Float64Array(x.data.length);
  for (let k = 0; k < out.length; k++) {
    const idx = unravel(k, shape);
    let p = 0;
    dims.forEach((d, i) => (p += idx[i]! * st[d]!));
    out[k] = x.data[p]!;
  }
  return new Ref(out, shape);
}

export function transpose(x: Ref, a: number, b: number): Ref {
  const dims = x.shape.map((_, i) => i);
  dims[a] = b;
  dims[b] = a;
  return permute(x, dims);
}

export function expand(x: Ref, shape: readonly number[]): Ref {
  return zip(x, new Ref(new Float64Array(size(shape)), shape), (v) => v);
}

/** Generic reduction over `dims` (non-negative) with an initial value and a combiner. */
function reduce(x: Ref, dims: readonly number[], keepdim: boolean, init: number, f: (acc: number, v: number) => number): Ref {
  const kept = x.shape.map((s, i) => (dims.includes(i) ? 1 : s));
  const out = new Float64Array(size(kept)).fill(init);
  const kst = stridesOf(kept);
  for (let k = 0; k < x.data.length; k++) {
    const idx = unravel(k, x.shape);
    let p = 0;
    idx.forEach((v, i) => (p += (dims.includes(i) ? 0 : v) * kst[i]!));
    out[p] = f(out[p]!, x.data[k]!);
  }
  return new Ref(out, keepdim ? kept : x.shape.filter((_, i) => !dims.includes(i)));
}

const norm = (dims: readonly number[] | undefined, rank: number): number[] => (dims ?? [...Array(rank).keys()]).map((d) => (d < 0 ? d + rank : d));

export function sum(x: Ref, dims?: readonly number[], keepdim = false): Ref {
  return reduce(x, norm(dims, x.shape.length), keepdim, 0, (a, v) => a + v);
}

export function mean(x: Ref, dims?: readonly number[], keepdim = false): Ref {
  const d = norm(dims, x.shape.length);
  const count = d.reduce((a, i) => a * x.shape[i]!, 1);
  return map(sum(x, d, keepdim), (v) => v / count);
}

export function max(x: Ref, dim?: number, keepdim = false): Ref {
  return reduce(x, norm(dim === undefined ? undefined : [dim], x.shape.length), keepdim, -Infinity, Math.max);
}

/**
 * PyTorch's matmul rules for operands of any rank ≥ 1: a 1-D operand gets a dimension prepended (left) or appended
 * (right), removed from the result; the batch dimensions (all but the last two) broadcast against each other.
 */
export function matmul(a: Ref, b: Ref): Ref {
  const as = a.shape.length === 1 ? [1, a.shape[0]!] : a.shape;
  const bs = b.shape.length === 1 ? [b.shape[0]!, 1] : b.shape;
  const [M, K] = as.slice(-2) as [number, number];
  const [K2, N] = bs.slice(-2) as [number, number];
  if (K !== K2) throw new Error('ref matmul: inner sizes differ');
  const ba = as.slice(0, -2);
  const bb = bs.slice(0, -2);
  const n = Math.max(ba.length, bb.length);
  const batch: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = ba[ba.length - n + i] ?? 1;
    const db = bb[bb.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new Error('ref matmul: batch dimensions do not broadcast');
    batch.push(da === 1 ? db : da);
  }
  /** The matrix index, in an operand of batch shape `own`, of the broadcast batch index `t`. */
  const source = (own: readonly number[], t: number): number => {
    let idx = 0;
    let stride = 1;
    for (let i = n - 1; i >= 0; i--) {
      const d = batch[i]!;
      const c = t % d;
      t = Math.floor(t / d);
      const j = own.length - n + i;
      if (j >= 0) {
        if (own[j] !== 1) idx += c * stride;
        stride *= own[j]!;
      }
    }
    return idx;
  };
  const B = size(batch);
  const out = new Float64Array(B * M * N);
  for (let t = 0; t < B; t++) {
    const ao = source(ba, t) * M * K;
    const bo = source(bb, t) * K * N;
    for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += a.data[ao + i * K + k]! * b.data[bo + k * N + j]!;
      out[t * M * N + i * N + j] = s;
    }
  }
  const shape = batch.slice();
  if (a.shape.length > 1) shape.push(M);
  if (b.shape.length > 1) shape.push(N);
  return new Ref(out, shape);
}

export function linear(x: Ref, w: Ref, b: Ref | null): Ref {
  const y = matmul(x, transpose(w, 0, 1));
  return b === null ? y : add(y, b);
}

export function softmax(x: Ref, dim: number): Ref {
  const d = dim < 0 ? dim + x.shape.length : dim;
  const e = map(x, Math.exp);
  return div(e, sum(e, [d], true));
}

export function logSoftmax(x: Ref, dim: number): Ref {
  return map(softmax(x, dim), Math.log);
}

/** Normalises over the last `k` dimensions with the biased variance, then weight·x̂ + bias. */
export function layerNorm(x: Ref, k: number, w: Ref | null, b: Ref | null, eps = 1e-5): Ref {
  const dims = [...Array(k).keys()].map((i) => x.shape.length - k + i);
  const mu = mean(x, dims, true);
  const centred = sub(x, mu);
  const v = mean(map(centred, (c) => c * c), dims, true);
  let y = div(centred, map(v, (s) => Math.sqrt(s + eps)));
  if (w !== null) y = mul(y, w);
  if (b !== null) y = add(y, b);
  return y;
}

export type Reduction = 'mean' | 'sum' | 'none';

export function reduceLoss(l: Ref, r: Reduction): Ref {
  return r === 'none' ? l : r === 'sum' ? sum(l) : mean(l);
}

export const mse = (x: Ref, y: Ref, r: Reduction): Ref => reduceLoss(zip(x, y, (a, t) => (a - t) ** 2), r);

/** One element's BCE of probability p against target t, each log clamped at −100 as PyTorch's. */
const bceTerm = (p: number, t: number): number => -(t * Math.max(Math.log(p), -100) + (1 - t) * Math.max(Math.log(1 - p), -100));

export const bce = (x: Ref, y: Ref, r: Reduction): Ref => reduceLoss(zip(x, y, bceTerm), r);

/** BCE with PyTorch's `weight` (broadcast to the input's shape) scaling each element's loss. */
export const weightedBce = (x: Ref, y: Ref, w: Ref, r: Reduction): Ref => reduceLoss(mul(zip(x, y, bceTerm), w), r);

/** log(1 + e^−z) = −log σ(z), without overflow or cancellation. */
const softplusNeg = (z: number): number => Math.max(-z, 0) + Math.log1p(Math.exp(-Math.abs(z)));

/**
 * BCE on scores with PyTorch's `weight` and `posWeight` (either may be null; both broadcast to the input's shape):
 * (1 − y)·x + ((posWeight − 1)·y + 1)·log(1 + e^−x), then · weight.
 */
export function weightedBceWithLogits(x: Ref, y: Ref, w: Ref | null, pw: Ref | null, r: Reduction): Ref {
  const lw = pw === null ? map(y, () => 1) : zip(y, pw, (t, p) => (p - 1) * t + 1);
  const l = add(zip(x, y, (z, t) => (1 - t) * z), zip(x, lw, (z, a) => a * softplusNeg(z)));
  return reduceLoss(w === null ? l : mul(l, w), r);
}

export const bceWithLogits = (x: Ref, y: Ref, r: Reduction): Ref =>
  // log σ(z) = −log(1 + e^−z) and log(1 − σ(z)) = −z − log(1 + e^−z), written without cancellation.
  reduceLoss(zip(x, y, (z, t) => t * Math.log1p(Math.exp(-z)) + (1 - t) * (z + Math.log1p(Math.exp(-z)))), r);

/** NLL of class indices `target` ([N] or []) in log-probabilities `x` ([N, C] or [C]). */
export function nll(x: Ref, target: readonly number[], r: Reduction): Ref {
  const C = x.shape[x.shape.length - 1]!;
  const l = target.map((c, i) => -x.data[i * C + c]!);
  return reduceLoss(ref(l, x.shape.length === 1 ? [] : [target.length]), r);
}

export function crossEntropyIndices(x: Ref, target: readonly number[], r: Reduction): Ref {
  return nll(logSoftmax(x, x.shape.length - 1), target, r);
}

/** Cross-entropy against class probabilities: −Σ_c y·log softmax(x), 'mean' divides by the batch size. */
export function crossEntropyProbs(x: Ref, y: Ref, r: Reduction): Ref {
  const dim = x.shape.length - 1;
  const l = map(sum(mul(logSoftmax(x, dim), y), [dim]), (v) => -v);
  return r === 'mean' ? map(sum(l), (v) => v / (x.shape.length === 1 ? 1 : x.shape[0]!)) : reduceLoss(l, r);
}
