import { deferOuterRows, gradAdded, leafGradBuffer, noteRowsAdded, type SparseRow } from '../autograd/accumulate.js';
import { isGradRecording } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { addColumnSums, addWeightGradRows, gemm, gemmCheckingB, sparseRowProduct } from '../kernels/linalg.js';
import { subStorage } from '../kernels/storage.js';
import { transientFloat32 } from '../kernels/transient.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { matmul, zeroTimesNonFinite } from './matmul.js';
import { checkTensor } from './util.js';

/** A new zero-filled contiguous tensor (cheap storage for per-step activations and gradients). */
function empty(shape: readonly number[]): Tensor {
  let n = 1;
  for (const d of shape) n *= d;
  return new Tensor(transientFloat32(n), shape);
}

/** True when a [out, in] weight is stored transposed: an [in, out] row-major block. */
export function isTransposedStorage(w: Tensor): boolean {
  return w.ndim === 2 && w.strides[0] === 1 && w.strides[1] === w.shape[0] && w.unsettledData.length === w.numel();
}

/**
 * Whether products with this weight skip zeros as nn.Linear's do: a weight stored transposed (a [1, 1] weight is
 * both layouts, and takes PyTorch's NaN).
 */
function skipsZeros(w: Tensor): boolean {
  return isTransposedStorage(w) && !isContiguous2d(w);
}

function isContiguous2d(w: Tensor): boolean {
  return w.ndim === 2 && w.strides[1] === 1 && w.strides[0] === w.shape[1] && w.unsettledData.length === w.numel();
}

/**
 * y = x · Wᵀ + b over the last dimension of x (like `torch.nn.functional.linear`; b is [out], or one value, [1] or
 * [], added to every output). A fused primitive: one node in the graph, with kernels that read the weight in
 * whatever layout it is stored.
 *
 * With the weight stored transposed ([in, out] rows, as `nn.Linear` stores it) the forward pass is a sum of the
 * weight rows of the non-zero inputs, and the backward pass adds the weight gradient straight into the weight's
 * `.grad` buffer (when the weight is a leaf), touching only those rows — exact, since a zero input contributes
 * nothing, and what makes one-image steps on MNIST (81% zero pixels) cheap.
 */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  checkTensor(x, 'linear');
  checkTensor(weight, 'linear', 'weight');
  if (weight.ndim === 1) {
    // One output with its dimension dropped, as PyTorch's F.linear gives for a 1-D weight: x · w (which, like
    // PyTorch 1.13, takes no bias).
    if (bias !== null) throw new RangeError(`linear: a 1-D weight (shape ${formatShape(weight.shape)}) takes no bias, as in PyTorch; give the weight as [1, in] for a bias`);
    return matmul(x, weight);
  }
  if (weight.ndim !== 2) throw new RangeError(`linear: weight must be 2-D [out, in] (or 1-D [in]), got shape ${formatShape(weight.shape)}`);
  const outF = weight.shape[0]!;
  const inF = weight.shape[1]!;
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== inF) {
    throw new RangeError(`linear: input has ${x.ndim === 0 ? 0 : x.shape[x.ndim - 1]} features but the layer expects ${inF} (input shape ${formatShape(x.shape)})`);
  }
  if (bias !== null) {
    checkTensor(bias, 'linear', 'bias');
    if (bias.ndim !== 1 || bias.shape[0] !== outF) {
      // A bias of one value, [1] or [], broadcasts over the outputs, as PyTorch's does: expanded to [out] (a view;
      // its backward sums the gradient back).
      if (bias.ndim <= 1 && bias.numel() === 1) return linear(x, weight, bias.reshape(1).expand(outF));
      throw new RangeError(`linear: bias must have shape [${outF}] (or [1], or [], broadcast over the ${outF} outputs), got ${formatShape(bias.shape)}`);
    }
  }
  // The product of x's leading dimensions (with no features, x has no values to count rows by).
  let rows = 1;
  for (let d = 0; d < x.ndim - 1; d++) rows *= x.shape[d]!;
  const X = x.values();
  const W = weightFor(weight, X, rows);
  const ws0 = weight.strides[0]!;
  const ws1 = weight.strides[1]!;
  const outShape = x.ndim === 1 ? [outF] : [...x.shape.slice(0, -1), outF];
  const out = empty(outShape);
  const b = bias === null ? null : bias.values();
  const recording = isGradRecording() && (x.requiresGrad || weight.requiresGrad || (bias !== null && bias.requiresGrad));
  // One input row through a weight stored [in, out] whose gradient is wanted: its non-zeros, found once, serve both
  // the product here and the weight gradient of the backward pass (kept as its factors, see weightGrad).
  const sparse = recording && weight.requiresGrad && rows === 1 && skipsZeros(weight)
    ? sparseRowProduct(X, inF, W, ws1, outF, out.data, b)
    : null;
  if (sparse === null) {
    // A weight stored transposed is nn.Linear's, which skips zero inputs (see the doc comment); any other weight
    // gives PyTorch's 0·NaN = NaN where a zero input meets an ∞ or a NaN of it.
    if (skipsZeros(weight)) gemm(rows, outF, inF, X, 0, inF, 1, W, 0, ws1, ws0, out.data, 0, false, b);
    else productMatchingNaN(rows, outF, inF, X, 0, inF, 1, W, 0, ws1, ws0, out.data, false, b);
  }
  // Without a graph to record (evaluation), skip building the backward closure.
  if (!recording) return out;
  const inputs = bias === null ? [x, weight] : [x, weight, bias];
  return twice(record(out, 'linear', inputs, (g) => {
    const G = g.data;
    let gx: Tensor | null = null;
    if (x.requiresGrad) {
      gx = empty(x.shape);
      // nn.Linear's weight (stored transposed) skips zero gradients as its forward pass skips zero inputs.
      if (skipsZeros(weight)) gemm(rows, inF, outF, G, 0, outF, 1, weight.settled(), 0, ws0, ws1, gx.data, 0, false);
      else productMatchingNaN(rows, inF, outF, G, 0, outF, 1, weight.settled(), 0, ws0, ws1, gx.data, false, null);
    }
    const gw = weight.requiresGrad ? weightGrad(weight, X, sparse, G, rows, inF, outF) : null;
    const gb = bias !== null && bias.requiresGrad ? biasGrad(bias, G, rows, outF, x.ndim === 1) : null;
    return bias === null ? [gx, gw] : [gx, gw, gb];
  }, x.requiresGrad ? (weight.requiresGrad ? [x, weight] : [weight]) : [x], linearTorchName(x, bias !== null)), (g) => {
    // The gradient's graph (createGraph): g·W, gᵀ·x and the column sums of g, with recorded ops over the rows.
    const g2 = g.reshape([rows, outF]);
    return [
      x.requiresGrad ? g2.matmul(weight).reshape(x.shape) : null,
      weight.requiresGrad ? g2.transpose(0, 1).matmul(x.reshape([rows, inF])) : null,
      ...(bias === null ? [] : [bias.requiresGrad ? g2.sum(0) : null]),
    ];
  });
}

/**
 * The last node of PyTorch 1.13's F.linear for this input: addmm for a batch [N, in] with a bias, mm without; for
 * other ranks matmul's last node (the squeeze of a 1-D input's product, the _unsafe_view of a batched one), then,
 * with a bias, the view of the fused addmm of a contiguous 3-D input, or the in-place add of the bias.
 */
function linearTorchName(x: Tensor, hasBias: boolean): string {
  if (x.ndim === 2) return hasBias ? 'AddmmBackward0' : 'MmBackward0';
  if (!hasBias) return x.ndim === 1 ? 'SqueezeBackward3' : 'UnsafeViewBackward0';
  return x.ndim === 3 && x.isContiguous() ? 'ViewBackward0' : 'AddBackward0';
}

/**
 * The weight's storage for a forward pass over `rows` inputs X: with values owed to it (an optimizer's updates not
 * written yet, see optim/adam.ts), only the rows one input selects are written for a one-row input stored
 * transposed (the kernel reads no other row), and everything otherwise.
 */
function weightFor(weight: Tensor, X: Float32Array, rows: number): Float32Array {
  const owed = weight.pending;
  if (owed !== null && owed.settleFor !== undefined && rows === 1 && skipsZeros(weight)) {
    owed.settleFor(X);
    return weight.unsettledData;
  }
  return weight.settled();
}

/**
 * dW = Gᵀ·X. Added in place into the weight's own gradient buffer when it is a leaf (returns null: nothing left for
 * the backward walk to accumulate), otherwise returned as a tensor. `sparse`: X's non-zeros when the forward pass
 * found them (one row).
 */
function weightGrad(
  weight: Tensor, X: Float32Array, sparse: SparseRow | null, G: Float32Array, rows: number, inF: number, outF: number,
): Tensor | null {
  const transposed = isTransposedStorage(weight);
  const buf = transposed || isContiguous2d(weight) ? leafGradBuffer(weight) : null;
  if (buf !== null) gradAdded(buf);
  if (buf !== null && transposed) {
    // Rows are known zero when the buffer was just cleared (an empty row list): the kernel may store, not add.
    const clear = !buf.exposed && buf.rowSupport !== null && buf.rowSupport.length === 0;
    if (rows === 1 && clear && buf.pending === null) {
      // One sample into a cleared buffer: kept as its factors until read (plain SGD applies it from them).
      deferOuterRows(buf, sparse ?? subStorage(X, 0, inF), subStorage(G, 0, outF));
      return null;
    }
    noteRowsAdded(buf, addWeightGradRows(buf.settled(), X, rows, inF, G, outF, clear));
    return null;
  }
  if (buf !== null) {
    // Stored [out, in]: dW[o, :] += Σ_r G[r, o]·X[r, :], dense in general.
    productMatchingNaN(outF, inF, rows, G, 0, 1, outF, X, 0, inF, 1, buf.settled(), true, null);
    buf.rowSupport = null;
    return null;
  }
  if (transposed) {
    // dWᵀ = Xᵀ · G, produced directly in the weight's [in, out] storage layout.
    const d = transientFloat32(inF * outF);
    productMatchingNaN(inF, outF, rows, X, 0, 1, inF, G, 0, outF, 1, d, false, null);
    return new Tensor(d, [outF, inF], { strides: [1, outF] });
  }
  const gw = empty([outF, inF]);
  productMatchingNaN(outF, inF, rows, G, 0, 1, outF, X, 0, inF, 1, gw.data, false, null);
  return gw;
}

/**
 * C = A·B (+ bias), or C += A·B, as gemm computes it, with IEEE's (and PyTorch's) NaN where a zero of A meets an ∞ or
 * a NaN of B, which the kernels skip. The bias is added after the product, as gemm adds it: the same bits.
 */
function productMatchingNaN(
  M: number, N: number, K: number,
  A: Float32Array, aOff: number, aRs: number, aCs: number,
  B: Float32Array, bOff: number, bRs: number, bCs: number,
  C: Float32Array, accumulate: boolean, bias: Float32Array | null,
): void {
  // Accumulating, C + NaN is NaN too: the NaNs are written over the sums.
  if (!gemmCheckingB(M, N, K, A, aOff, aRs, aCs, B, bOff, bRs, bCs, C, 0, accumulate)) {
    zeroTimesNonFinite(M, N, K, A, aOff, aRs, aCs, B, bOff, bRs, bCs, C, 0);
  }
  if (bias !== null) for (let i = 0, o = 0; i < M; i++) for (let j = 0; j < N; j++, o++) C[o] = C[o]! + bias[j]!;
}

/**
 * db = Σ_rows G, added in place into the bias's gradient buffer when it is a leaf. `oneInput`: x is 1-D, whose bias
 * PyTorch adds last (AddBackward0), handing the same gradient to both operands: the bias's first `.grad` is then a
 * copy (version 1, see gradAdded).
 */
function biasGrad(bias: Tensor, G: Float32Array, rows: number, outF: number, oneInput: boolean): Tensor | null {
  const buf = bias.isContiguous() ? leafGradBuffer(bias) : null;
  if (buf !== null) {
    if (oneInput && buf.versionCounter.value < 0) gradAdded(buf);
    gradAdded(buf);
    addColumnSums(buf.settled(), G, rows, outF);
    return null;
  }
  const gb = empty([outF]);
  addColumnSums(gb.data, G, rows, outF);
  return gb;
}
