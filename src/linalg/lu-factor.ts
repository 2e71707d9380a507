// linalg.lu_factor, lu_factor_ex, lu, lu_solve and torch.lu_unpack, as PyTorch 1.13's: LU with partial pivoting as
// LAPACK's getrf pivots (the first largest |value| of the column; m × n matrices, min(m, n) steps), in float64 and
// rounded once (PyTorch's float32 LAPACK rounds at every step: values agree within float32 rounding scaled by the
// condition number). Pivots are 1-based, as LAPACK's and PyTorch's (int32 there, whole float32 values here).
// Gradients are PyTorch's: linalg_lu_backward (square, wide and tall), lu_factor_ex_backward, linalg_lu_solve_LU
// and lu_unpack's.
import { noGrad } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { KindlingError } from '../errors.js';
import { checkOptions } from '../options.js';
import { cat } from '../ops/join.js';
import { checkTensor } from '../ops/util.js';
import { Tensor } from '../tensor/tensor.js';
import { checkFloat, luFactor as factor, noBoolKernel } from './lu.js';
import { solveTriangular } from './solve-triangular.js';

export interface LuFactorOptions { pivot?: boolean }
export interface LuFactorExOptions extends LuFactorOptions { checkErrors?: boolean }
export interface LuSolveOptions { left?: boolean; adjoint?: boolean }

interface Factored { LU: Tensor; pivots: Tensor; info: Tensor }

/** Every matrix of A factorised: LU (A's shape), the 1-based pivots [..., k] and LAPACK's info [...] per matrix. */
function factorAll(a: Tensor, op: string, options: LuFactorOptions): Factored {
  checkTensor(a, op, 'A');
  checkFloat(a, op, noBoolKernel('lu_cpu'));
  const { pivot = true } = options;
  if (typeof pivot !== 'boolean') throw new TypeError(`${op}: pivot must be true or false, got ${String(pivot)}`);
  if (a.ndim < 2) throw new KindlingError(`${op === 'linalg.lu' ? op : 'torch.lu_factor'}: Expected tensor with 2 or more dimensions. Got size: [${a.shape.join(', ')}] instead`);
  // As PyTorch's CPU kernel, which an empty A never reaches (its factors are as empty with or without pivoting).
  if (!pivot && a.numel() > 0) throw new KindlingError('linalg.lu_factor: LU without pivoting is not implemented on the CPU');
  const m = a.shape[a.ndim - 2]!;
  const n = a.shape[a.ndim - 1]!;
  const k = Math.min(m, n);
  const batch = a.shape.slice(0, -2);
  const count = batch.reduce((p, d) => p * d, 1);
  const v = a.toArray();
  const lu = new Float32Array(count * m * n);
  const piv = new Float32Array(count * k);
  const info = new Float32Array(count);
  for (let b = 0; b < count; b++) {
    const f = factor(v, b * m * n, m, n);
    for (let i = 0; i < m * n; i++) lu[b * m * n + i] = f.lu[i]!;
    for (let i = 0; i < k; i++) piv[b * k + i] = f.pivots[i]! + 1;
    info[b] = f.info;
  }
  return { LU: new Tensor(lu, a.shape), pivots: new Tensor(piv, [...batch, k]), info: new Tensor(info, batch) };
}

/** PyTorch's refusal of a factorisation with an exact zero on U's diagonal (naming the first such matrix of a batch). */
function refuseSingular(f: Factored, op: string): void {
  const info = f.info.toArray();
  const bad = info.findIndex((i) => i > 0);
  if (bad < 0) return;
  const at = info[bad]!;
  const where = f.info.ndim > 0 ? `(Batch element ${bad}): ` : '';
  throw new KindlingError(`${op}: ${where}U[${at},${at}] is zero and using it on lu_solve would result in a division by zero. If you still want to perform the factorization, consider calling linalg.lu(A, pivot) or linalg.lu_factor_ex(A, pivot)`);
}

/** The LU factor's node: PyTorch's lu_factor_ex_backward (the gradient of L's and U's parts of LU, through linalg_lu_backward). */
function recordFactor(a: Tensor, f: Factored): Tensor {
  const k = Math.min(a.shape[a.ndim - 2]!, a.shape[a.ndim - 1]!);
  const result = record(f.LU, 'luFactor', [a], (g) => {
    const [P, L, U] = unpackAll(f.LU, f.pivots);
    return [noGrad(() => luBackward(g.narrow(-1, 0, k), g.narrow(-2, 0, k), P, L, U))];
  }, [], 'LinalgLuFactorExBackward0');
  // The same with ops on L and U unpacked from the recorded result (createGraph).
  return twice(result, (g) => {
    const [P, L, U] = luUnpack(result, f.pivots);
    return [luBackward(g.narrow(-1, 0, k), g.narrow(-2, 0, k), P, L, U)];
  });
}

/**
 * The compact LU factorisation of each matrix, as `torch.linalg.lu_factor(A)`: `[LU, pivots]`, L's multipliers below
 * the diagonal of LU (its unit diagonal implied) and U on and above it; row i was swapped with row pivots[i] − 1.
 * A matrix with an exact zero on U's diagonal is refused, as PyTorch refuses it (use `luFactorEx` or `lu`).
 */
export function luFactor(a: Tensor, options: LuFactorOptions = {}): [Tensor, Tensor] & { LU: Tensor; pivots: Tensor } {
  const f = factorAll(a, 'linalg.lu_factor', checkOptions('linalg.luFactor', options, ['pivot']));
  refuseSingular(f, 'torch.linalg.lu_factor');
  const LU = recordFactor(a, f);
  return Object.assign([LU, f.pivots] as [Tensor, Tensor], { LU, pivots: f.pivots });
}

/** `luFactor` that reports singular matrices instead of refusing them, as `torch.linalg.lu_factor_ex`: `[LU, pivots, info]` (info: the first zero of U's diagonal, 1-based, or 0). */
export function luFactorEx(a: Tensor, options: LuFactorExOptions = {}): [Tensor, Tensor, Tensor] & { LU: Tensor; pivots: Tensor; info: Tensor } {
  const o = checkOptions('linalg.luFactorEx', options, ['pivot', 'checkErrors']);
  const f = factorAll(a, 'linalg.lu_factor_ex', o);
  if (o.checkErrors === true) refuseSingular(f, 'torch.linalg.lu_factor_ex');
  const LU = recordFactor(a, f);
  return Object.assign([LU, f.pivots, f.info] as [Tensor, Tensor, Tensor], { LU, pivots: f.pivots, info: f.info });
}

/** P (m × m), L (m × k, unit lower) and U (k × n) from a compact factorisation, as `torch.lu_unpack` computes them (no graph). */
function unpackAll(LU: Tensor, pivots: Tensor): [Tensor, Tensor, Tensor] {
  const m = LU.shape[LU.ndim - 2]!;
  const n = LU.shape[LU.ndim - 1]!;
  const k = Math.min(m, n);
  const batch = LU.shape.slice(0, -2);
  const count = batch.reduce((p, d) => p * d, 1);
  const lu = LU.toArray();
  const pv = pivots.toArray();
  const P = new Float32Array(count * m * m);
  const L = new Float32Array(count * m * k);
  const U = new Float32Array(count * k * n);
  for (let b = 0; b < count; b++) {
    const base = b * m * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < k; j++) L[b * m * k + i * k + j] = i === j ? 1 : j < i ? lu[base + i * n + j]! : 0;
    }
    for (let i = 0; i < k; i++) for (let j = i; j < n; j++) U[b * k * n + i * n + j] = lu[base + i * n + j]!;
    // The permutation the swaps make: row i of P·L·U is row perm[i] of A; P[perm[i], i] = 1.
    const perm = Array.from({ length: m }, (_, i) => i);
    for (let i = 0; i < k; i++) {
      const p = pv[b * k + i]! - 1;
      if (!Number.isInteger(p) || p < 0 || p >= m) throw new KindlingError(`lu_unpack: pivots must be whole numbers from 1 to ${m}, got ${p + 1}`);
      [perm[i], perm[p]] = [perm[p]!, perm[i]!];
    }
    for (let i = 0; i < m; i++) P[b * m * m + perm[i]! * m + i] = 1;
  }
  return [new Tensor(P, [...batch, m, m]), new Tensor(L, [...batch, m, k]), new Tensor(U, [...batch, k, n])];
}

/**
 * PyTorch's linalg_lu_backward: A's gradient from L's (m × k) and U's (k × n); either may be null. Written with ops:
 * run in noGrad for the plain gradient, recorded (on recorded L and U) for the gradient's graph.
 */
function luBackward(gL: Tensor | null, gU: Tensor | null, P: Tensor, L: Tensor, U: Tensor): Tensor {
  {
    const m = L.shape[L.ndim - 2]!;
    const n = U.shape[U.ndim - 1]!;
    const k = Math.min(m, n);
    const Lh = L.mT;
    const Uh = U.mT;
    let g: Tensor;
    if (m === n) {
      const fromL = gL === null ? null : Lh.matmul(gL).tril(-1);
      const fromU = gU === null ? null : gU.matmul(Uh).triu();
      g = fromL === null ? fromU! : fromU === null ? fromL : fromL.add(fromU);
      g = solveTriangular(Uh, g, { upper: false, left: false });
      g = solveTriangular(Lh, g, { upper: true, unitriangular: true });
    } else if (m < n) {
      const U1 = U.narrow(-1, 0, k);
      let t = gL === null ? null : Lh.matmul(gL);
      if (gU !== null) t = t === null ? gU.triu().matmul(Uh).neg() : t.sub(gU.triu().matmul(Uh));
      g = solveTriangular(U1.mT, t!.tril(-1), { upper: false, left: false });
      if (gU !== null) g = cat([g.add(gU.narrow(-1, 0, k).triu()), gU.narrow(-1, k, n - k)], -1);
      g = solveTriangular(Lh, g, { upper: true, unitriangular: true });
      if (gU === null) g = cat([g, U.narrow(-1, k, n - k).mul(0)], -1);
    } else {
      const L1 = L.narrow(-2, 0, k);
      let t = gU === null ? null : gU.matmul(Uh);
      if (gL !== null) t = t === null ? Lh.matmul(gL.tril(-1)).neg() : t.sub(Lh.matmul(gL.tril(-1)));
      g = solveTriangular(L1.mT, t!.triu(), { upper: true, unitriangular: true });
      if (gL !== null) g = cat([g.add(gL.narrow(-2, 0, k).tril(-1)), gL.narrow(-2, k, m - k)], -2);
      g = solveTriangular(Uh, g, { upper: false, left: false });
      if (gL === null) g = cat([g, L.narrow(-2, k, m - k).mul(0)], -2);
    }
    return P.matmul(g);
  }
}

/**
 * `[P, L, U]` with A = P·L·U, as `torch.linalg.lu(A)`: P a permutation matrix (m × m), L unit lower triangular
 * (m × k), U upper triangular (k × n), k = min(m, n). L and U have PyTorch's gradient (LinalgLuBackward0); P none.
 */
export function lu(a: Tensor, options: LuFactorOptions = {}): [Tensor, Tensor, Tensor] & { P: Tensor; L: Tensor; U: Tensor } {
  const f = factorAll(a, 'linalg.lu', checkOptions('linalg.lu', options, ['pivot']));
  const [P, L0, U0] = unpackAll(f.LU, f.pivots);
  const node = (t: Tensor, which: 'L' | 'U'): Tensor => record(t, 'lu', [a], (g) => [noGrad(() => luBackward(which === 'L' ? g : null, which === 'U' ? g : null, P, L0, U0))], [], 'LinalgLuBackward0');
  const L = node(L0, 'L');
  const U = node(U0, 'U');
  // With ops on the recorded L and U (createGraph).
  twice(L, (g) => [luBackward(g, null, P, L, U)]);
  twice(U, (g) => [luBackward(null, g, P, L, U)]);
  // Without pivoting (only an empty A gets here) P is empty, [0], as PyTorch's.
  const Pout = options.pivot === false ? new Tensor(new Float32Array(0), [0]) : P;
  return Object.assign([Pout, L, U] as [Tensor, Tensor, Tensor], { P: Pout, L, U });
}

/**
 * `[P, L, U]` from `luFactor`'s `[LU, pivots]`, as `torch.lu_unpack(LU, pivots)`; L and U pass their gradients back
 * to LU (LuUnpackBackward0). `unpackData: false` gives empty L and U, `unpackPivots: false` an empty P.
 */
export function luUnpack(LU: Tensor, pivots: Tensor, unpackData = true, unpackPivots = true): [Tensor, Tensor, Tensor] & { P: Tensor; L: Tensor; U: Tensor } {
  checkTensor(LU, 'lu_unpack', 'LU_data');
  checkTensor(pivots, 'lu_unpack', 'LU_pivots');
  if (LU.ndim < 2) throw new KindlingError(`torch.lu_unpack: Expected tensor with 2 or more dimensions. Got size: [${LU.shape.join(', ')}] instead`);
  const m = LU.shape[LU.ndim - 2]!;
  const n = LU.shape[LU.ndim - 1]!;
  const k = Math.min(m, n);
  if (pivots.shape[pivots.ndim - 1] !== k || pivots.ndim !== LU.ndim - 1) {
    throw new KindlingError(`torch.lu_unpack: LU_pivots of shape [${pivots.shape.join(', ')}] do not fit LU_data of shape [${LU.shape.join(', ')}] (expected [${[...LU.shape.slice(0, -2), k].join(', ')}])`);
  }
  const [P0, L0, U0] = unpackAll(LU, pivots);
  const empty = new Tensor(new Float32Array(0), [0]);
  const P = unpackPivots ? P0 : empty;
  if (!unpackData) return Object.assign([P, empty, empty] as [Tensor, Tensor, Tensor], { P, L: empty, U: empty });
  // L's gradient goes to LU's part below the diagonal (m × k), U's to the rest (k × n); the other part's rows or
  // columns of a rectangular LU get zeros.
  const back = (which: 'L' | 'U') => (g: Tensor): Tensor[] => {
    const zeros = (rows: number, cols: number): Tensor => new Tensor(new Float32Array(LU.numel() / (m * n) * rows * cols), [...LU.shape.slice(0, -2), rows, cols]);
    if (which === 'U') return [m > n ? cat([g.triu(), zeros(m - k, n)], -2) : g.triu()];
    return [m < n ? cat([g.tril(-1), zeros(m, n - k)], -1) : g.tril(-1)];
  };
  // Linear: the same ops record the gradient's graph (createGraph).
  const node = (t: Tensor, which: 'L' | 'U'): Tensor => twice(record(t, 'luUnpack', [LU], (g) => noGrad(() => back(which)(g)), [], 'LuUnpackBackward0'), back(which));
  const L = node(L0, 'L');
  const U = node(U0, 'U');
  return Object.assign([P, L, U] as [Tensor, Tensor, Tensor], { P, L, U });
}

/**
 * X with A·X = B from A's `luFactor`, as `torch.linalg.lu_solve(LU, pivots, B)`; `{ adjoint: true }` solves Aᴴ·X = B
 * and `{ left: false }` X·A = B. Gradients to LU and B, as PyTorch's (LinalgLuSolveBackward0).
 */
export function luSolve(LU: Tensor, pivots: Tensor, b: Tensor, options: LuSolveOptions = {}): Tensor {
  checkTensor(LU, 'linalg.lu_solve', 'LU');
  checkTensor(pivots, 'linalg.lu_solve', 'pivots');
  checkTensor(b, 'linalg.lu_solve', 'B');
  const { left = true, adjoint = false } = checkOptions('linalg.luSolve', options, ['left', 'adjoint']);
  if (LU.ndim < 2) throw new KindlingError('torch.linalg.lu_solve: The input tensor LU must have at least 2 dimensions.');
  const n = LU.shape[LU.ndim - 1]!;
  if (LU.shape[LU.ndim - 2] !== n) throw new KindlingError(`torch.linalg.lu_solve: A must be batches of square matrices, but they are ${LU.shape[LU.ndim - 2]} by ${n} matrices`);
  if (b.ndim < 2) throw new KindlingError('torch.linalg.lu_solve: The input tensor B must have at least 2 dimensions.');
  const rows = left ? b.shape[b.ndim - 2]! : b.shape[b.ndim - 1]!;
  if (rows !== n) {
    const [r, c] = [b.shape[b.ndim - 2]!, b.shape[b.ndim - 1]!];
    throw new KindlingError(left
      ? `linalg.lu_solve: Incompatible shapes of A and B for the equation AX = B (${n}x${n} and ${r}x${c})`
      : `linalg.lu_solve: Incompatible shapes of A and B for the equation XA = B (${n}x${n} and ${r}x${c})`);
  }
  const x = noGrad(() => {
    const [P, L, U] = unpackAll(LU, pivots);
    // A = P·L·U. left: A·X = B → X = U⁻¹L⁻¹Pᵀ B; adjoint: Aᵀ·X = B → X = P L⁻ᵀ U⁻ᵀ B. Right: X = B A⁻¹ or B A⁻ᵀ.
    if (left && !adjoint) return solveTriangular(U, solveTriangular(L, P.mT.matmul(b), { upper: false, unitriangular: true }), { upper: true });
    if (left) return P.matmul(solveTriangular(L.mT, solveTriangular(U.mT, b, { upper: false }), { upper: true, unitriangular: true }));
    if (!adjoint) return solveTriangular(L, solveTriangular(U, b, { upper: true, left: false }), { upper: false, left: false, unitriangular: true }).matmul(P.mT);
    return solveTriangular(U.mT, solveTriangular(L.mT, b.matmul(P), { upper: true, left: false, unitriangular: true }), { upper: false, left: false });
  });
  // PyTorch's formulas with ops: in noGrad for the plain gradient; with createGraph on P, L and U unpacked from the
  // recorded LU and on the recorded result, gB itself a luSolve.
  const back = (graph: boolean) => (gX: Tensor): (Tensor | null)[] => {
    const gB = luSolve(LU, pivots, gX, { left, adjoint: !adjoint });
    const [P, L, U] = graph ? luUnpack(LU, pivots) : unpackAll(LU, pivots);
    const X = graph ? result : x;
    let gLU: Tensor;
    if (left !== adjoint) {
      const gR = solveTriangular(U.mT, (left ? gX : gX.mT).matmul(left ? X.mT : X).neg(), { upper: false });
      const gL = solveTriangular(L.mT, gR.matmul(U.mT), { upper: true, unitriangular: true }).tril(-1);
      gLU = gL.add(gR.triu());
    } else {
      let gR = P.mT.matmul(left ? X : X.mT).matmul(left ? gX.mT : gX).matmul(P).neg();
      gR = solveTriangular(L.mT, gR, { upper: true, left: false, unitriangular: true });
      const gU = solveTriangular(U.mT, L.mT.matmul(gR), { upper: false, left: false }).triu();
      gLU = gR.tril(-1).add(gU);
    }
    // Batches broadcast: each gradient summed back to its input's shape.
    return [gLU.sumToSize(LU.shape), null, gB.sumToSize(b.shape)];
  };
  const plain = back(false);
  const result = record(x, 'luSolve', [LU, pivots, b], (gX) => noGrad(() => plain(gX)), [], 'LinalgLuSolveBackward0');
  return twice(result, back(true));
}

/**
 * `[LU, pivots]` (and `info` with `{ getInfos: true }`), as the deprecated `torch.lu(A, pivot, get_infos)`: a singular
 * matrix is factorised, not refused (use `linalg.luFactor` / `luFactorEx` in new code, as PyTorch says).
 */
export function luLegacy(a: Tensor, options: LuFactorOptions & { getInfos?: boolean } = {}): [Tensor, Tensor] | [Tensor, Tensor, Tensor] {
  const o = checkOptions('lu', options, ['pivot', 'getInfos']);
  const f = factorAll(a, 'torch.lu', o);
  const LU = recordFactor(a, f);
  return o.getInfos === true ? [LU, f.pivots, f.info] : [LU, f.pivots];
}

/** X with A·X = B from A's `[LU, pivots]`, as the deprecated `torch.lu_solve(B, LU, pivots)` (B first). */
export function luSolveLegacy(b: Tensor, LU: Tensor, pivots: Tensor): Tensor {
  return luSolve(LU, pivots, b);
}
