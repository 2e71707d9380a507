// linalg.cholesky, linalg.cholesky_ex and the deprecated torch.cholesky, as PyTorch 1.13's: L (or U = Lᴴ with
// `upper`) of each symmetric positive-definite matrix, computed in float64 and rounded once (PyTorch's float32 LAPACK
// rounds at every step), reading the lower triangle as LAPACK does (the upper one with `upper`); PyTorch's refusal
// naming the leading minor that is not positive-definite. Backward as PyTorch's cholesky_backward (Murray 2016):
// Φ(Lᴴ·gL) mapped back through L.
import { record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { KindlingError } from '../errors.js';
import { checkOptions } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { checkTensor } from '../ops/util.js';
import { joined, matricesOf, mul64, solveLeftUpperT, solveRight, transpose64 } from './batches.js';
import { checkFloat, checkSquare, noBoolKernel } from './lu.js';
import { solveTriangular } from './solve-triangular.js';

/**
 * The Cholesky factor of the n × n matrix `a` (its lower triangle read), and 0 or the order of the failing minor.
 * Column by column, as the potf2 of PyTorch's LAPACK (OpenBLAS): where a minor fails, its diagonal entry holds what
 * was left of it and the columns from there on A's own lower triangle, as `cholesky_ex` returns them; a NaN is no
 * failure there (it is not ≤ 0), it spreads.
 */
export function cholesky64(a: Float64Array, n: number): { l: Float64Array; info: number } {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!;
    for (let k = 0; k < j; k++) d -= l[j * n + k]! * l[j * n + k]!;
    if (d <= 0) {
      for (let c = j; c < n; c++) for (let i = c; i < n; i++) l[i * n + c] = a[i * n + c]!;
      l[j * n + j] = d;
      return { l, info: j + 1 };
    }
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = s / ljj;
    }
  }
  return { l, info: 0 };
}

export interface CholeskyOptions { upper?: boolean }

function factors(op: string, a: Tensor, upper: boolean): { parts: Float64Array[]; infos: number[]; n: number } {
  checkTensor(a, op, 'A');
  checkFloat(a, 'linalg.cholesky', op === 'cholesky' ? noBoolKernel('cholesky_cpu') : undefined);
  const n = checkSquare(a, op === 'cholesky' ? op : 'linalg.cholesky'); // cholesky_ex's shapes too, as PyTorch's
  const parts: Float64Array[] = [];
  const infos: number[] = [];
  for (const m of matricesOf(a)) {
    // `upper` reads A's upper triangle, as LAPACK's potrf('U'): that is the lower triangle of Aᵀ.
    const { l, info } = cholesky64(upper ? transpose64(m, n) : m, n);
    parts.push(upper ? transpose64(l, n) : l);
    infos.push(info);
  }
  return { parts, infos, n };
}


/** The gradient of A from that of its factor, PyTorch's cholesky_backward, in float64 for each matrix. */
function backward(gv: Float32Array, parts: readonly Float64Array[], n: number, upper: boolean): Float32Array {
  const out: Float64Array[] = [];
  parts.forEach((p, b) => {
    const l = upper ? transpose64(p, n) : p;
    let gl: Float64Array = Float64Array.from(gv.subarray(b * n * n, (b + 1) * n * n));
    if (upper) gl = transpose64(gl, n);
    // gA = tril(Lᴴ·gL); gA = ½(gA + tril(gA, −1)ᴴ): m's lower triangle halved, mirrored above the diagonal.
    const m = mul64(l, gl, n, n, n, true, false);
    const ga = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        ga[i * n + j] = 0.5 * m[i * n + j]!;
        if (j < i) ga[j * n + i] = 0.5 * m[i * n + j]!;
      }
    }
    // Then gA = L⁻ᴴ·gA (upper-triangular solve) and gA·L⁻¹ (solving from the right).
    out.push(solveRight(l, solveLeftUpperT(l, ga, n), n));
  });
  return joined(out);
}

function factorTensor(a: Tensor, parts: Float64Array[], n: number, upper: boolean, torchName: string): Tensor {
  const out = new Tensor(joined(parts), a.shape);
  const node = record(out, 'cholesky', [a], (g) => [new Tensor(backward(g.values(), parts, n, upper), a.shape)], [out], torchName);
  // PyTorch's cholesky_backward written with ops (products, tril, two triangular solves) for createGraph.
  return twice(node, (g) => {
    const l = upper ? node.transpose(-2, -1) : node;
    const gl = upper ? g.transpose(-2, -1) : g;
    let ga = l.transpose(-2, -1).matmul(gl).tril();
    ga = ga.add(ga.tril(-1).transpose(-2, -1)).mul(0.5);
    ga = solveTriangular(l.transpose(-2, -1), ga, { upper: true });
    return [solveTriangular(l, ga, { upper: false, left: false })];
  });
}

/** PyTorch's refusal of the first matrix whose factorisation failed (its batch element named for a batched A). */
function refuseFailed(op: string, a: Tensor, infos: readonly number[]): void {
  const bad = infos.findIndex((i) => i !== 0);
  if (bad < 0) return;
  const where = a.ndim > 2 ? `(Batch element ${bad}): ` : '';
  throw new KindlingError(`${op}: ${where}The factorization could not be completed because the input is not positive-definite (the leading minor of order ${infos[bad]} is not positive-definite).`);
}

/** The Cholesky factor L of each positive-definite matrix of A (U = Lᴴ with `{ upper: true }`), as `torch.linalg.cholesky`. */
export function cholesky(a: Tensor, options: CholeskyOptions = {}): Tensor {
  const { upper = false } = checkOptions('linalg.cholesky', options, ['upper']);
  const { parts, infos, n } = factors('linalg.cholesky', a, upper);
  refuseFailed('linalg.cholesky', a, infos);
  return factorTensor(a, parts, n, upper, 'LinalgCholeskyExBackward0');
}

/**
 * `[L, info]` without refusing (also as `{ L, info }`, PyTorch's named tuple): info 0, or the order of the first
 * leading minor that is not positive-definite (`cholesky_ex`); `{ checkErrors: true }` refuses it, as `cholesky`.
 */
export function choleskyEx(a: Tensor, options: CholeskyOptions & { checkErrors?: boolean } = {}): [Tensor, Tensor] & { L: Tensor; info: Tensor } {
  const { upper = false, checkErrors = false } = checkOptions('linalg.cholesky_ex', options, ['upper', 'checkErrors']);
  const { parts, infos, n } = factors('linalg.cholesky_ex', a, upper);
  if (checkErrors) refuseFailed('linalg.cholesky_ex', a, infos);
  const info = new Tensor(Float32Array.from(infos), a.shape.slice(0, -2));
  const L = factorTensor(a, parts, n, upper, 'LinalgCholeskyExBackward0');
  return Object.assign([L, info] as [Tensor, Tensor], { L, info });
}

/** The deprecated `torch.cholesky(A, upper=False)` (CholeskyBackward0); `linalg.cholesky` is the one to use. */
export function choleskyDeprecated(a: Tensor, upper = false): Tensor {
  const { parts, infos, n } = factors('cholesky', a, upper);
  refuseFailed('cholesky', a, infos);
  return factorTensor(a, parts, n, upper, 'CholeskyBackward0');
}
