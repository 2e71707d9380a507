// linalg.pinv and linalg.matrix_exp, as PyTorch 1.13's. pinv from the SVD in float64 (singular values at most
// max(atol, rtol·σ₁) dropped; rtol max(m, n)·ε by default), or from eigh with `hermitian`, backward PyTorch's
// pinv_backward; matrix_exp by scaling and squaring a degree-18 Taylor series in float64, its backward the
// upper-right block of exp([[Aᵀ, G], [0, Aᵀ]]), as PyTorch's.
import { record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { cat } from '../ops/join.js';
import { KindlingError } from '../errors.js';
import { checkOptions, describeValue } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { checkTensor } from '../ops/util.js';
import { joined, matricesOf, mul64 } from './batches.js';
import { checkFloat, checkSquare } from './lu.js';
import { jacobiEigen, symmetric } from './eigh.js';
import { svd64 } from './svd.js';
import { tolerances, type Tolerance } from './tolerance.js';

export interface PinvOptions {
  /** Absolute tolerance (a number or a tensor broadcast against the batch): singular values at most it are dropped. */
  atol?: Tolerance | null;
  /** Relative tolerance, times the largest singular value (default max(m, n)·ε, or 0 where atol is positive). */
  rtol?: Tolerance | null;
  /** Takes A as symmetric, reading its lower triangle: through its eigendecomposition (eigh). */
  hermitian?: boolean;
}

/** pinv of the m × n matrix `x` by its SVD, values at most max(atol, rtol·σ₁) dropped (n × m). */
function pinvBySvd(x: Float64Array, m: number, n: number, atol: number, rtol: number): Float64Array {
  const k = Math.min(m, n);
  const { u, s, v } = svd64(x, m, n);
  const tol = Math.max(atol, rtol * (s[0] ?? 0));
  const scaled = Float64Array.from(v, (val, i) => (s[i % k]! > tol ? val / s[i % k]! : 0));
  return mul64(scaled, u, n, k, m, false, true);
}

/**
 * pinv of the symmetric matrix the lower triangle of `x` (n × n) stands for, by its eigenvalues λ: U·diag(1/λ)·Uᵀ
 * over |λ| > max(atol, rtol·max|λ|).
 */
function pinvByEigh(x: Float64Array, n: number, atol: number, rtol: number): Float64Array {
  const { values, vectors } = jacobiEigen(symmetric(x, n, false), n);
  const big = values.reduce((b, l) => Math.max(b, Math.abs(l)), 0);
  const tol = Math.max(atol, rtol * big);
  const scaled = Float64Array.from(vectors, (val, i) => (Math.abs(values[i % n]!) > tol ? val / values[i % n]! : 0));
  return mul64(scaled, vectors, n, n, n, false, true);
}

/**
 * The pseudo-inverse of each matrix, as `torch.linalg.pinv(A, atol=None, rtol=None, hermitian=False)`: from the SVD,
 * or with `hermitian` from the eigendecomposition of the symmetric matrix A's lower triangle stands for (A square).
 * Tensor tolerances broadcast against the batch, as PyTorch's. The gradient is PyTorch's pinv_backward, which reads
 * A whole (both triangles) even with `hermitian`.
 */
export function pinv(a: Tensor, options: PinvOptions = {}): Tensor {
  checkTensor(a, 'linalg.pinv', 'A');
  const { atol, rtol, hermitian = false } = checkOptions('linalg.pinv', options, ['atol', 'rtol', 'hermitian']);
  if (typeof hermitian !== 'boolean') throw new TypeError(`linalg.pinv: hermitian must be true or false, got ${describeValue(hermitian)}`);
  if (a.ndim < 2 || a.dtype === 'bool') {
    throw new KindlingError(`linalg.pinv(${a.dtype === 'bool' ? 'Bool' : 'Float'}{[${a.shape.join(', ')}]}): expected a tensor with 2 or more dimensions of float, double, cfloat or cdouble types`);
  }
  if (hermitian) checkSquare(a, 'linalg.eigh');
  const m = a.shape[a.ndim - 2]!;
  const n = a.shape[a.ndim - 1]!;
  const tols = tolerances('linalg.pinv', a, atol, rtol);
  // A broadcast to the batch the tolerances give (itself when they add no dimension).
  const ab = tols.batch.length === a.ndim - 2 && tols.batch.every((d, i) => d === a.shape[i]) ? a : a.expand([...tols.batch, m, n]);
  const parts = matricesOf(ab).map((x, b) => (hermitian ? pinvByEigh(x, n, tols.atol[b]!, tols.rtol[b]!) : pinvBySvd(x, m, n, tols.atol[b]!, tols.rtol[b]!)));
  const p = new Tensor(joined(parts), [...tols.batch, n, m]);
  // PyTorch's pinv_backward, written with ops on A and the result: with createGraph it records its own graph.
  const back = (g: Tensor): Tensor[] => {
    const pinvAh = p.mT;
    const gh = g.mT;
    if (m <= n) {
      const K = gh.matmul(p);
      const KpinvAh = K.matmul(pinvAh);
      return [p.matmul(K).mT.neg().add(KpinvAh).sub(ab.matmul(p).matmul(KpinvAh)).add(pinvAh.matmul(p).matmul(gh.sub(K.matmul(ab))))];
    }
    const K = p.matmul(gh);
    const pinvAhK = pinvAh.matmul(K);
    return [K.matmul(p).mT.neg().add(gh.sub(ab.matmul(K)).matmul(p).matmul(pinvAh)).add(pinvAhK).sub(pinvAhK.matmul(p).matmul(ab))];
  };
  return twice(record(p, 'pinv', [ab], back, [ab, p], 'LinalgPinvBackward0'), back);
}

/**
 * e^A of an n × n matrix in float64: scaling and squaring a Taylor series. A 1 × 1 matrix is exp(a), as PyTorch's
 * (∞ stays ∞); a larger one with an infinity or a NaN is all NaN: PyTorch's is NaN for an infinity (its scaling by
 * 2^−∞ makes 0·∞), and with a NaN depends on how its choice of degree compares a NaN norm (arbitrary finite values),
 * where NaN is the sensible answer.
 */
function expm64(a: Float64Array, n: number): Float64Array {
  if (n === 1) return Float64Array.of(Math.exp(a[0]!));
  let norm = 0;
  for (let i = 0; i < n; i++) {
    let row = 0;
    for (let j = 0; j < n; j++) row += Math.abs(a[i * n + j]!);
    norm = Math.max(norm, row);
  }
  if (!Number.isFinite(norm)) return new Float64Array(n * n).fill(Number.NaN);
  const squarings = norm > 0.5 ? Math.ceil(Math.log2(norm / 0.5)) : 0;
  const scale = 2 ** -squarings;
  const x = Float64Array.from(a, (v) => v * scale);
  let term: Float64Array = new Float64Array(n * n);
  for (let i = 0; i < n; i++) term[i * n + i] = 1;
  let sum: Float64Array = Float64Array.from(term);
  for (let k = 1; k <= 18; k++) {
    term = mul64(term, x, n, n, n).map((v) => v / k);
    sum = sum.map((v, i) => v + term[i]!);
  }
  for (let s = 0; s < squarings; s++) sum = mul64(sum, sum, n, n, n);
  return sum;
}

/** e^A of each square matrix, as `torch.linalg.matrix_exp`. */
export function matrixExp(a: Tensor): Tensor {
  checkTensor(a, 'linalg.matrix_exp', 'A');
  checkFloat(a, 'matrix_exp');
  const n = checkSquare(a, 'linalg.matrix_exp');
  const mats = matricesOf(a);
  const out = new Tensor(joined(mats.map((x) => expm64(x, n))), a.shape);
  const node = record(out, 'matrixExp', [a], (g) => {
    const gv = g.values();
    const grads = mats.map((x, b) => {
      // exp([[Aᵀ, G], [0, Aᵀ]]): its upper-right block is the gradient.
      const big = new Float64Array(4 * n * n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          big[i * 2 * n + j] = x[j * n + i]!;
          big[(n + i) * 2 * n + n + j] = x[j * n + i]!;
          big[i * 2 * n + n + j] = gv[b * n * n + i * n + j]!;
        }
      }
      const e = expm64(big, 2 * n);
      return Float64Array.from({ length: n * n }, (_, k) => e[Math.floor(k / n) * 2 * n + n + (k % n)]!);
    });
    return [new Tensor(joined(grads), a.shape)];
  }, [], 'LinalgMatrixExpBackward0');
  // Its gradient's graph: the upper-right block of exp([[Aᵀ, g], [0, Aᵀ]]), the block matrix built with ops.
  return twice(node, (g) => {
    const at = a.transpose(-2, -1);
    const block = cat([cat([at, g], -1), cat([at.mul(0), at], -1)], -2);
    return [matrixExp(block).narrow(-2, 0, n).narrow(-1, n, n)];
  });
}
