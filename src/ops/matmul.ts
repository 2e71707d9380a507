import { gradAdded, leafGradBuffer } from '../autograd/accumulate.js';
import { record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { addWeightGradRows, allFinite, gemmCheckingB } from '../kernels/linalg.js';
import { addZeroRows } from '../kernels/optim.js';
import { sharesElements, subStorage } from '../kernels/storage.js';
import { broadcastShapes, formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { sumToShape } from './broadcast.js';
import { checkTensor, empty, reach } from './util.js';
import { ownResult, reshape } from './view.js';

/** Row and column strides of the last two dimensions, and the batch stride, of a ≥2-D tensor. */
function mat(t: Tensor): { rs: number; cs: number; bs: number } {
  const n = t.ndim;
  return { rs: t.strides[n - 2]!, cs: t.strides[n - 1]!, bs: n === 3 ? t.strides[0]! : 0 };
}

/** Batched product of ≥2-D operands (rank ≤ 3), reading transposed views without copying. */
function bmm(a: Tensor, b: Tensor): Tensor {
  const M = a.shape[a.ndim - 2]!;
  const K = a.shape[a.ndim - 1]!;
  const N = b.shape[b.ndim - 1]!;
  const batchA = a.ndim === 3 ? a.shape[0]! : 1;
  const batchB = b.ndim === 3 ? b.shape[0]! : 1;
  const batch = broadcastShapes([batchA], [batchB], 'matmul')[0]!;
  const outShape = a.ndim === 3 || b.ndim === 3 ? [batch, M, N] : [M, N];
  const out = empty(outShape);
  const A = mat(a);
  const B = mat(b);
  const av = reach(a, a.data);
  const bv = reach(b, b.data);
  for (let i = 0; i < batch; i++) {
    const aOff = batchA === 1 ? 0 : i * A.bs;
    const bOff = batchB === 1 ? 0 : i * B.bs;
    const finite = gemmCheckingB(M, N, K, av, aOff, A.rs, A.cs, bv, bOff, B.rs, B.cs, out.data, i * M * N, false);
    if (!finite) zeroTimesNonFinite(M, N, K, av, aOff, A.rs, A.cs, bv, bOff, B.rs, B.cs, out.data, i * M * N);
  }
  return out;
}

/**
 * The product kernels skip the zeros of A, which is exact for finite B; where a skipped 0 meets an ∞ or a NaN of B,
 * IEEE arithmetic (and PyTorch) gives NaN, put back here. Called only when B holds an ∞ or a NaN (the product's
 * kernel call checks, on wasm with four lanes at a time, where a pass over B in JavaScript took longer than the
 * product of a one-row A).
 */
export function zeroTimesNonFinite(
  M: number, N: number, K: number, A: Float32Array, aOff: number, aRs: number, aCs: number,
  B: Float32Array, bOff: number, bRs: number, bCs: number, C: Float32Array, cOff: number,
): void {
  for (let k = 0; k < K; k++) {
    let at = bOff + k * bRs;
    for (let j = 0; j < N; j++, at += bCs) {
      const v = B[at]!;
      // v − v is 0 exactly when v is finite (NaN for NaN and ±∞): one subtraction, where this pass over B is the
      // cost of a product with one row.
      if (v - v === 0) continue;
      for (let i = 0; i < M; i++) if (A[aOff + i * aRs + k * aCs] === 0) C[cOff + i * N + j] = Number.NaN;
    }
  }
}

/**
 * The gradient of B in A·B: Aᵀ·G. For a 2-D leaf B (a weight made by hand: `x.matmul(W)`) it is added straight into
 * B's gradient buffer, as `nn.Linear` does, and null is returned: the same float32 additions the backward walk
 * would make (the sum Aᵀ·G starts at +0 and is then added to the buffer), without a dense array the size of B to
 * fill, copy and add.
 */
function weightGrad(a2: Tensor, b: Tensor, b2: Tensor, g2: Tensor): Tensor | null {
  const buf = b.ndim === 2 && a2.ndim === 2 ? leafGradBuffer(b) : null;
  if (buf === null || !buf.isContiguous() || buf.unsettledData.length !== buf.numel()) {
    return sumToShape(bmm(a2.transpose(-1, -2), g2), b2.shape).reshape(b.shape);
  }
  const X = reach(a2, a2.settled());
  const G = reach(g2, g2.settled());
  const C = buf.settled();
  // The sum is added to the buffer as it is made: neither operand may be (part of) that buffer.
  if (sharesElements(X, C) || sharesElements(G, C)) return sumToShape(bmm(a2.transpose(-1, -2), g2), b2.shape).reshape(b.shape);
  const M = a2.shape[0]!;
  const K = a2.shape[1]!;
  const N = b.shape[1]!;
  const sa = mat(a2);
  const sg = mat(g2);
  buf.rowSupport = null;
  gradAdded(buf);
  if (a2.isContiguous() && g2.isContiguous()) {
    // Row-major X and G: nn.Linear's weight-gradient kernel, which walks X's columns (its rows in Aᵀ) once, over
    // their non-zeros (the same sums, each from +0 in increasing row, then added to C).
    const touched = addWeightGradRows(C, X, M, K, G, N, false);
    // The other rows' sums are +0, which the walk would add too (−0 + 0 is +0).
    addZeroRows(C, N, otherRows(touched, K));
    if (!allFinite(G, 0, M, N, N)) zeroTimesNonFinite(K, N, M, X, 0, 1, K, G, 0, N, 1, C, 0);
    return null;
  }
  // Aᵀ is A read with its two strides swapped; G is read through its own (an expanded gradient has strides of 0).
  if (!gemmCheckingB(K, N, M, X, 0, sa.cs, sa.rs, G, 0, sg.rs, sg.cs, C, 0, true)) {
    // C + NaN is NaN: where a skipped zero of A meets an ∞ or a NaN of G, the sum would have been NaN.
    zeroTimesNonFinite(K, N, M, X, 0, sa.cs, sa.rs, G, 0, sg.rs, sg.cs, C, 0);
  }
  return null;
}

/** The rows 0..count not in `rows` (increasing, distinct), in increasing order. */
function otherRows(rows: Int32Array, count: number): Int32Array {
  const out = new Int32Array(count - rows.length);
  for (let j = 0, t = 0, o = 0; j < count; j++) {
    if (t < rows.length && rows[t] === j) t++;
    else out[o++] = j;
  }
  return out;
}

/**
 * A 1-D operand, outside the graph, as the row or column matmul multiplies: over its storage when contiguous, else a
 * copy. The op's own, so not counted as a view of the operand (see VersionCounter).
 */
function asMatrix(x: Tensor, shape: readonly number[]): Tensor {
  if (!x.isContiguous()) return new Tensor(x.toArray(), shape);
  return new Tensor(subStorage(x.settled(), 0, x.numel()), shape, { version: x.versionCounter });
}

/**
 * Matrix product with PyTorch's rules for 1-D operands: vector·vector → scalar, matrix·vector → vector,
 * vector·matrix → vector, and batched products of any rank: the dimensions before the last two broadcast against
 * each other (a 1-D operand gets a dimension prepended or appended, removed from the result), as torch.matmul.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkTensor(a, 'matmul');
  checkTensor(b, 'matmul', 'other');
  if (a.ndim === 0 || b.ndim === 0) {
    throw new RangeError(`matmul: both arguments need at least 1 dimension, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  if (a.ndim > 3 || b.ndim > 3) return matmulNd(a, b);
  const a2 = a.ndim === 1 ? asMatrix(a, [1, a.shape[0]!]) : a.detach();
  const b2 = b.ndim === 1 ? asMatrix(b, [b.shape[0]!, 1]) : b.detach();
  const K = a2.shape[a2.ndim - 1]!;
  const Kb = b2.shape[b2.ndim - 2]!;
  if (K !== Kb) {
    throw new RangeError(`matmul: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} cannot be multiplied (${K} vs ${Kb})`);
  }
  const batchA = a2.ndim === 3 ? a2.shape[0]! : 1;
  const batchB = b2.ndim === 3 ? b2.shape[0]! : 1;
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) {
    throw new RangeError(`matmul: batch sizes of shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} do not broadcast (${batchA} vs ${batchB})`);
  }
  const full = bmm(a2, b2);
  let shape = full.shape.slice();
  if (a.ndim === 1) shape.splice(shape.length - 2, 1);
  if (b.ndim === 1) shape.splice(shape.length - 1, 1);
  const out = new Tensor(full.data, shape);
  return twice(record(out, 'matmul', [a, b], (g) => {
    const g2 = g.reshape(full.shape);
    const ga = a.requiresGrad ? sumToShape(bmm(g2, b2.transpose(-1, -2)), a2.shape).reshape(a.shape) : null;
    const gb = b.requiresGrad ? weightGrad(a2, b, b2, g2) : null;
    return [ga, gb];
  }, a.requiresGrad ? (b.requiresGrad ? [a, b] : [b]) : [a], matmulTorchName(a.ndim, b.ndim)), (g) => graphGrads(a, b, g.reshape(full.shape)));
}

/**
 * matmul's gradients with recorded ops (the gradient's graph, createGraph), for operands of 1 to 3 dimensions and
 * the gradient `g2` in the shape of their 2- or 3-D product: g2·bᵀ and aᵀ·g2, summed over a broadcast batch.
 */
function graphGrads(a: Tensor, b: Tensor, g2: Tensor): (Tensor | null)[] {
  const a2 = a.ndim === 1 ? reshape(a, [1, a.shape[0]!]) : a;
  const b2 = b.ndim === 1 ? reshape(b, [b.shape[0]!, 1]) : b;
  return [
    a.requiresGrad ? sumToShape(matmul(g2, b2.transpose(-1, -2)), a2.shape).reshape(a.shape) : null,
    b.requiresGrad ? sumToShape(matmul(a2.transpose(-1, -2), g2), b2.shape).reshape(b.shape) : null,
  ];
}

/**
 * The last node of PyTorch 1.13's matmul for operands of these ranks: dot, mv, mm, the squeeze of a 1-D · 2-D
 * product, the contiguous copy ending a 2-D · batched product, and the _unsafe_view ending the batched ones.
 */
function matmulTorchName(ra: number, rb: number): string {
  if (ra === 1) return rb === 1 ? 'DotBackward0' : rb === 2 ? 'SqueezeBackward3' : 'UnsafeViewBackward0';
  if (ra === 2) return rb === 1 ? 'MvBackward0' : rb === 2 ? 'MmBackward0' : 'CloneBackward0';
  return 'UnsafeViewBackward0';
}

/**
 * matmul where an operand has more than 3 dimensions, composed of the ops below (their backward passes give the
 * gradient): the batch dimensions (all but the last two) are broadcast, each operand with batch dimensions is
 * expanded to the broadcast batch and flattened to one batch dimension, the product is matmul's 1- to 3-D path,
 * and its result is reshaped to the batch shape. expand's backward sums over the broadcast dimensions. An operand
 * of rank ≤ 2 goes in as it is (the 3-D path broadcasts it), as does the matrix of an operand whose batch
 * dimensions are all 1, so `x.matmul(W)` with a 4-D x keeps W's gradient path of a 2-D weight.
 */
function matmulNd(a: Tensor, b: Tensor): Tensor {
  const K = a.shape[a.ndim - 1]!;
  const Kb = b.shape[b.ndim === 1 ? 0 : b.ndim - 2]!;
  if (K !== Kb) {
    throw new RangeError(`matmul: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} cannot be multiplied (${K} vs ${Kb})`);
  }
  const batchA = a.ndim > 2 ? a.shape.slice(0, -2) : [];
  const batchB = b.ndim > 2 ? b.shape.slice(0, -2) : [];
  const n = Math.max(batchA.length, batchB.length);
  const batch: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = batchA[batchA.length - n + i] ?? 1;
    const db = batchB[batchB.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(`matmul: batch dimensions of shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} do not broadcast ` +
        `(batch shapes ${formatShape(batchA)} and ${formatShape(batchB)}, dimension ${i}: ${da} vs ${db}; each must be equal or 1)`);
    }
    batch.push(da === 1 ? db : da);
  }
  const count = batch.reduce((p, d) => p * d, 1);
  const to3d = (x: Tensor, own: number[]): Tensor => {
    if (x.ndim <= 2) return x;
    const m = x.shape.slice(-2);
    if (own.every((d) => d === 1)) return x.reshape(m);
    const full = own.length === batch.length && own.every((d, i) => d === batch[i]) ? x : x.expand([...batch, ...m]);
    return full.reshape([count, ...m]);
  };
  const out = matmul(to3d(a, batchA), to3d(b, batchB));
  const shape = batch.slice();
  if (a.ndim > 1) shape.push(a.shape[a.ndim - 2]!);
  if (b.ndim > 1) shape.push(b.shape[b.ndim - 1]!);
  return ownResult(reshape(out, shape, 'reshape', matmulTorchName(a.ndim, b.ndim)));
}
