// linalg.inv and linalg.solve, as PyTorch 1.13's: LU with partial pivoting in float64, rounded once to float32
// (PyTorch's float32 LAPACK rounds at every step: values agree within float32 rounding scaled by the condition
// number). Backward as PyTorch's: inv's −A⁻ᵀ·g·A⁻ᵀ; solve's g_B = A⁻ᵀ·g, g_A = −g_B·Xᵀ.
import { record } from '../autograd/record.js';
import { linearTwice, twice } from '../autograd/twice.js';
import { KindlingError } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { checkTensor } from '../ops/util.js';
import { checkOptions } from '../options.js';
import { batchCount } from './batches.js';
import { checkFloat, checkSquare, luFactorAs, luSolveAs } from './lu.js';

/** The inverse of each square matrix of A, as `torch.linalg.inv` (a singular one is refused with PyTorch's message). */
export function inv(a: Tensor): Tensor {
  return inverted(a, 'linalg.inv', true).result;
}

/**
 * `[inverse, info]`, as `torch.linalg.inv_ex(A)`: info is 0 for an invertible matrix, else the first zero of the
 * diagonal (1-based) of the LU factor PyTorch computes (Aᵀ's for a contiguous A), the inverse then holding what the
 * substitution gives (infinities, NaN; PyTorch's LAPACK may place them otherwise). `{ checkErrors: true }` refuses a singular matrix, as `inv`.
 */
export function invEx(a: Tensor, options: { checkErrors?: boolean } = {}): [Tensor, Tensor] & { inverse: Tensor; info: Tensor } {
  const { checkErrors = false } = checkOptions('linalg.invEx', options, ['checkErrors']);
  const { result, info } = inverted(a, 'linalg.inv_ex', checkErrors);
  return Object.assign([result, info] as [Tensor, Tensor], { inverse: result, info });
}

function inverted(a: Tensor, op: string, refuse: boolean): { result: Tensor; info: Tensor } {
  checkTensor(a, op, 'A');
  checkFloat(a, 'linalg.inv');
  const n = checkSquare(a, 'linalg.inv'); // inv_ex's shapes are checked by inv, as PyTorch's
  const v = a.toArray();
  const out = new Float32Array(v.length);
  const count = batchCount(a.shape);
  const infos = new Float32Array(count);
  // PyTorch factors Aᵀ for a contiguous A (so the first zero pivot it reports is Aᵀ's), and so does this.
  const transposed = a.isContiguous();
  for (let b = 0; b < count; b++) {
    const f = luFactorAs(v, b * n * n, n, transposed);
    infos[b] = f.info;
    if (f.info !== 0 && refuse) {
      const where = a.ndim > 2 ? `(Batch element ${b}): ` : '';
      throw new KindlingError(`${op}: ${where}The diagonal element ${f.info} is zero, the inversion could not be completed because the input matrix is singular.`);
    }
    const x = new Float64Array(n * n);
    for (let i = 0; i < n; i++) x[i * n + i] = 1;
    luSolveAs(f, transposed, n, x, n);
    for (let k = 0; k < n * n; k++) out[b * n * n + k] = x[k]!;
  }
  const result = new Tensor(out, a.shape);
  // −A⁻ᵀ·g·A⁻ᵀ, written with ops on the result: with createGraph it records its own graph (second derivatives).
  const back = (g: Tensor): Tensor[] => {
    const t = result.transpose(-2, -1);
    return [t.matmul(g).matmul(t).neg()];
  };
  twice(record(result, 'inv', [a], back, [result], 'LinalgInvExBackward0'), back);
  return { result, info: new Tensor(infos, a.shape.slice(0, -2)) };
}

export interface SolveOptions {
  /** Solve A·X = B (default true) or X·A = B. */
  left?: boolean;
}

/**
 * X with A·X = B, as `torch.linalg.solve(A, B)`: A [..., n, n]; B [..., n, k], or a vector [n] (or [..., n] with
 * A's batch) giving a vector; batch dimensions broadcast. `{ left: false }` solves X·A = B.
 */
export function solve(a: Tensor, b: Tensor, options: SolveOptions = {}): Tensor {
  return solveWith(a, b, options, true);
}

/**
 * `[result, info]`, as `torch.linalg.solve_ex(A, B, left, check_errors)`: info (A's own batch shape, as PyTorch 1.13's)
 * 0 where A is invertible, else the first zero of the diagonal of the LU factor PyTorch computes (Aᵀ's for a
 * contiguous A), the result then holding what the substitution gives; `{ checkErrors: true }` refuses a singular matrix, as `solve`.
 */
export function solveEx(a: Tensor, b: Tensor, options: SolveOptions & { checkErrors?: boolean } = {}): [Tensor, Tensor] & { result: Tensor; info: Tensor } {
  const { checkErrors = false, ...rest } = checkOptions('linalg.solveEx', options, ['left', 'checkErrors']);
  const result = solveWith(a, b, rest, checkErrors, 'torch.linalg.solve_ex');
  const n = a.shape[a.ndim - 1]!;
  const count = batchCount(a.shape);
  // As PyTorch 1.13's: A's own batch (not broadcast with B's), from the factorisation it computes (Aᵀ's for a
  // contiguous A, A's own otherwise, whichever side A is on).
  const w = a.toArray();
  const transposed = a.isContiguous();
  const info = new Tensor(Float32Array.from({ length: count }, (_, k) => luFactorAs(w, k * n * n, n, transposed).info), a.shape.slice(0, -2));
  return Object.assign([result, info] as [Tensor, Tensor], { result, info });
}

/**
 * The solve; `transposed` says whether to factor the transpose of `a` (PyTorch factors Aᵀ for a contiguous A: for
 * X·A = B, solved here as Aᵀ·Xᵀ = Bᵀ, that is `a` = Aᵀ itself).
 */
function solveWith(a: Tensor, b: Tensor, options: SolveOptions, refuse: boolean, op = 'torch.linalg.solve', transposed = a.isContiguous()): Tensor {
  checkTensor(a, 'linalg.solve', 'A');
  checkTensor(b, 'linalg.solve', 'B');
  // X·A = B is Aᵀ·Xᵀ = Bᵀ; the result keeps the solve's node, as PyTorch's (which solves it directly). B's rows must
  // have A's size; a vector B is an n × 1 matrix there, as PyTorch's, which so refuses it.
  if (options.left === false) {
    const n = checkSquare(a, 'linalg.solve');
    const [rows, cols] = isVector(a, b) ? [b.shape[b.ndim - 1]!, 1] : [b.shape[b.ndim - 2]!, b.shape[b.ndim - 1]!];
    if (cols !== n) throw new KindlingError(`linalg.solve: Incompatible shapes of A and B for the equation XA = B (${n}x${n} and ${rows}x${cols})`);
    if (isVector(a, b)) return solveWith(a, b, {}, refuse, op, transposed); // 1 × 1: x·a = b is a·x = b
    const x = solveWith(a.transpose(-2, -1), b.transpose(-2, -1), {}, refuse, op, !a.isContiguous()).transpose(-2, -1);
    return asSolve(x, x.shape);
  }
  const n = checkSquare(a, 'linalg.solve');
  const vector = isVector(a, b);
  const bm = vector ? b.unsqueeze(-1) : b;
  if (bm.shape[bm.ndim - 2] !== n) {
    throw new KindlingError(`linalg.solve: Incompatible shapes of A and B for the equation AX = B (${n}x${n} and ${bm.shape[bm.ndim - 2]}x${bm.shape[bm.ndim - 1]})`);
  }
  const m = bm.shape[bm.ndim - 1]!;
  const batchA = a.shape.slice(0, -2);
  const batchB = bm.shape.slice(0, -2);
  const rank = Math.max(batchA.length, batchB.length);
  const batch: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = batchA[i - (rank - batchA.length)] ?? 1;
    const db = batchB[i - (rank - batchB.length)] ?? 1;
    // PyTorch's words (B's batch is its tensor a); Kindling adds the shapes.
    if (da !== db && da !== 1 && db !== 1) throw new KindlingError(`The size of tensor a (${db}) must match the size of tensor b (${da}) at non-singleton dimension ${i} (linalg.solve: batch dimensions of A [${batchA.join(', ')}] and B [${batchB.join(', ')}])`);
    batch.push(Math.max(da, db));
  }
  const av = a.expand([...batch, n, n]).toArray();
  const bv = bm.expand([...batch, n, m]).toArray();
  const count = batch.reduce((p, d) => p * d, 1);
  const out = new Float32Array(count * n * m);
  for (let k = 0; k < count; k++) {
    const f = luFactorAs(av, k * n * n, n, transposed);
    if (f.info !== 0 && refuse) throw new KindlingError(`${op}: ${batchElement(a, n, transposed)}The solver failed because the input matrix is singular.`);
    const x = new Float64Array(n * m);
    for (let i = 0; i < n * m; i++) x[i] = bv[k * n * m + i]!;
    luSolveAs(f, transposed, n, x, m);
    for (let i = 0; i < n * m; i++) out[k * n * m + i] = x[i]!;
  }
  const full = new Tensor(out, [...batch, n, m]);
  // Written with ops (a solve with Aᵀ, a product with the result): with createGraph it records its own graph.
  const back = (g: Tensor): (Tensor | null)[] => {
    // Never refused: solveEx's result of a singular A has a gradient (infinities, NaN), as PyTorch's.
    const gB = solveWith(a.transpose(-2, -1), g, {}, false);
    return [a.requiresGrad ? sumTo(gB.matmul(full.transpose(-2, -1)).neg(), a.shape) : null, bm.requiresGrad ? sumTo(gB, bm.shape) : null];
  };
  const result = twice(record(full, 'solve', [a, bm], back, [a, full], 'LinalgSolveExBackward0'), back);
  return vector ? asSolve(result, result.shape.slice(0, -1)) : result;
}

/** Whether B is a vector (or a batch of them) to PyTorch's solve: 1-D, or A's shape without its last dimension. */
const isVector = (a: Tensor, b: Tensor): boolean => b.ndim === 1 || (b.ndim === a.ndim - 1 && b.shape.every((s, i) => s === a.shape[i]));

/**
 * PyTorch's "(Batch element k): " naming the first singular matrix of A's own batch (before broadcasting against B),
 * empty for a single matrix.
 */
function batchElement(a: Tensor, n: number, transposed: boolean): string {
  if (a.ndim <= 2) return '';
  const w = a.toArray();
  for (let k = 0; k < batchCount(a.shape); k++) if (luFactorAs(w, k * n * n, n, transposed).info !== 0) return `(Batch element ${k}): `;
  return '';
}

/** A gradient summed over the batch dimensions its operand was broadcast along. */
function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  let t = g;
  while (t.ndim > shape.length) t = t.sum(0);
  const dims = shape.map((s, i) => (s === 1 && t.shape[i] !== 1 ? i : -1)).filter((i) => i >= 0);
  return dims.length > 0 ? t.sum(dims, true) : t;
}

/** t in `shape` (its own, or the vector's without the last dimension) under the solve's node, as PyTorch's result. */
function asSolve(t: Tensor, shape: readonly number[]): Tensor {
  return linearTwice(record(new Tensor(t.toArray(), shape), 'solve', [t], (g) => [g.reshape(t.shape)], [], 'LinalgSolveExBackward0'), (h) => h.reshape(shape));
}
