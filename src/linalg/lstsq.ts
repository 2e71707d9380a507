// linalg.lstsq, as PyTorch 1.13's on the CPU: min ‖A·X − B‖ by LAPACK's drivers, in float64 and rounded once.
// 'gelsy' (the default) pivots A's columns in a QR and takes the rank r as the largest whose leading block R₁₁ has
// σmax·rcond ≤ σmin (LAPACK estimates those singular values, here they are exact), then the minimum-norm solution of
// that rank-r problem; 'gelsd' and 'gelss' drop the singular values at most rcond·σ₁ (their own readings of rcond
// below) and also give the singular values; 'gels' assumes full rank (QR, or LQ for a wide A: no rank, and a matrix
// with an exact zero on R's diagonal is refused as PyTorch refuses it). rcond defaults to ε·max(m, n) (float32's ε).
// Residuals, ‖A·X − B‖² per column, come for m > n with a driver other than 'gelsy' when every matrix of A has full
// rank (always with 'gels'; all-zero A: LAPACK zeroes them), else empty. The gradient is PyTorch's whatever the
// driver: that of pinv(A)·B (LinalgLstsqBackward0).
import { isGradRecording } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import { linearTwice } from '../autograd/twice.js';
import { KindlingError } from '../errors.js';
import { checkOptions, describeValue } from '../options.js';
import { checkTensor } from '../ops/util.js';
import { broadcastShapes } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { joined, matricesOf, mul64 } from './batches.js';
import { pinv } from './pinv.js';
import { householderQr } from './qr.js';
import { svd64 } from './svd.js';

export type LstsqDriver = 'gels' | 'gelsy' | 'gelsd' | 'gelss';

export interface LstsqOptions {
  /** Singular values (or, for 'gelsy', the condition of R₁₁) below rcond relative to the largest count as zero. */
  rcond?: number | null;
  /** LAPACK's driver: 'gelsy' (default), 'gelsd', 'gelss' or 'gels' (case-insensitive, as PyTorch's). */
  driver?: LstsqDriver | null;
}

export type LstsqResult = [Tensor, Tensor, Tensor, Tensor] & { solution: Tensor; residuals: Tensor; rank: Tensor; singularValues: Tensor };

/** float32's ε, PyTorch's default rcond per max(m, n); and what LAPACK's float32 drivers call the machine precision. */
const EPS32 = 2 ** -23;
const LAPACK_EPS32 = 2 ** -24;
/** float32's smallest normal number, gelss' least threshold. */
const SFMIN32 = 2 ** -126;

/** A solution, the rank, σ (gelsd, gelss), LAPACK's info (gels' zero pivot) and whether LAPACK zeroed B (no residual). */
interface Solved { x: Float64Array; rank: number; s: Float64Array | null; info: number; zeroed?: boolean }

/** The rank of upper-triangular R (its leading k × k block) by gelsy's rule, exact singular values for its estimates. */
function gelsyRank(r: Float64Array, n: number, k: number, rcond: number): number {
  if (k === 0 || r[0] === 0) return 0;
  let rank = 1;
  while (rank < k) {
    const size = rank + 1;
    const block = new Float64Array(size * size);
    for (let i = 0; i < size; i++) for (let j = i; j < size; j++) block[i * size + j] = r[i * n + j]!;
    const s = svd64(block, size, size).s;
    if (!(s[0]! * rcond <= s[size - 1]!)) break;
    rank = size;
  }
  return rank;
}

/** y (n × k) of least norm with W·y = c, W the r × n matrix of full row rank (row-major), c r × k: y = Q·R⁻ᵀ·c from Wᵀ = Q·R. */
function minimumNorm(w: Float64Array, r: number, n: number, c: Float64Array, k: number): Float64Array {
  const wt = new Float64Array(n * r);
  for (let i = 0; i < r; i++) for (let j = 0; j < n; j++) wt[j * r + i] = w[i * n + j]!;
  const { q, r: R } = householderQr(wt, n, r);
  // z = R⁻ᵀ·c (Rᵀ lower triangular), then y = Q[:, :r]·z.
  const z = Float64Array.from(c);
  for (let col = 0; col < k; col++) {
    for (let i = 0; i < r; i++) {
      let s = z[i * k + col]!;
      for (let p = 0; p < i; p++) s -= R[p * r + i]! * z[p * k + col]!;
      z[i * k + col] = s / R[i * r + i]!;
    }
  }
  const y = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let col = 0; col < k; col++) {
    let s = 0;
    for (let p = 0; p < r; p++) s += q[i * n + p]! * z[p * k + col]!;
    y[i * k + col] = s;
  }
  return y;
}

/** One matrix A (m × n) and right-hand sides B (m × k) solved by `driver`; k may be 0 (only the rank and σ wanted). */
function solveOne(a: Float64Array, b: Float64Array, m: number, n: number, k: number, driver: LstsqDriver, rcond: number): Solved {
  const x = new Float64Array(n * k);
  const mn = Math.min(m, n);
  if (driver === 'gelsd' || driver === 'gelss') {
    const { u, s, v } = svd64(a, m, n);
    // gelss: rcond < 0 means the machine precision, and no threshold below the smallest normal number; gelsd (its
    // slalsd): rcond ≤ 0 or ≥ 1 means the machine precision. Both keep the values above the threshold.
    const big = s[0] ?? 0;
    const threshold = driver === 'gelss'
      ? Math.max((rcond < 0 ? LAPACK_EPS32 : rcond) * big, SFMIN32)
      : (rcond <= 0 || rcond >= 1 ? LAPACK_EPS32 : rcond) * big;
    let rank = 0;
    while (rank < mn && s[rank]! > threshold) rank++;
    // X = V·diag(1/σ)·Uᵀ·B over the kept values.
    for (let p = 0; p < rank; p++) {
      for (let col = 0; col < k; col++) {
        let d = 0;
        for (let i = 0; i < m; i++) d += u[i * mn + p]! * b[i * k + col]!;
        d /= s[p]!;
        for (let j = 0; j < n; j++) x[j * k + col] = x[j * k + col]! + v[j * mn + p]! * d;
      }
    }
    return { x, rank, s, info: 0 };
  }
  if (driver === 'gels') {
    // LAPACK's gels returns zeros, B's residual rows too, for an all-zero or an empty problem.
    if (mn === 0 || k === 0 || a.every((e) => e === 0)) return { x, rank: 0, s: null, info: 0, zeroed: true };
    // m ≥ n: A = Q·R, X = R⁻¹·(Qᵀ·B)[:n]; m < n: Aᵀ = Q·R, X = Q[:, :m]·R⁻ᵀ·B (the LQ of A).
    const wide = m < n;
    const at = wide ? Float64Array.from({ length: m * n }, (_, i) => a[(i % m) * n + Math.floor(i / m)]!) : a;
    const [rows, cols] = wide ? [n, m] : [m, n];
    const { q, r } = householderQr(at, rows, cols);
    // LAPACK refuses an exact zero on R's diagonal: where A's columns (rows) are dependent, float32's R has one where
    // float64's has rounding noise, so a diagonal entry within float64 rounding of R's largest counts as zero.
    const noise = 2 ** -52 * Math.max(m, n) * r.reduce((big, e) => Math.max(big, Math.abs(e)), 0);
    for (let i = 0; i < cols; i++) if (Math.abs(r[i * cols + i]!) <= noise) return { x, rank: 0, s: null, info: i + 1 };
    if (wide) {
      const w = new Float64Array(m * n);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) w[i * n + j] = a[i * n + j]!;
      return { x: minimumNorm(w, m, n, b, k), rank: 0, s: null, info: 0 };
    }
    const c = mul64(q, b, m, m, k, true, false);
    for (let col = 0; col < k; col++) {
      for (let i = n - 1; i >= 0; i--) {
        let sum = c[i * k + col]!;
        for (let p = i + 1; p < n; p++) sum -= r[i * n + p]! * x[p * k + col]!;
        x[i * k + col] = sum / r[i * n + i]!;
      }
    }
    return { x, rank: 0, s: null, info: 0 };
  }
  // gelsy: A·P = Q·R; with the rank r, X = P·[R₁₁ R₁₂]⁺·(Qᵀ·B)[:r], the least-norm solution of that rank.
  const { q, r, perm } = householderQr(a, m, n, true);
  const rank = gelsyRank(r, n, mn, rcond);
  if (rank === 0 || k === 0) return { x, rank, s: null, info: 0 };
  const c = mul64(q, b, m, m, k, true, false).subarray(0, rank * k);
  const y = minimumNorm(r.subarray(0, rank * n), rank, n, Float64Array.from(c), k);
  for (let j = 0; j < n; j++) for (let col = 0; col < k; col++) x[perm[j]! * k + col] = y[j * k + col]!;
  return { x, rank, s: null, info: 0 };
}

/**
 * `[solution, residuals, rank, singularValues]` of min ‖A·X − B‖ (also as named fields, PyTorch's named tuple), as
 * `torch.linalg.lstsq(A, B, rcond=None, driver=None)` on the CPU: A [..., m, n], B [..., m, k] or [..., m] (one
 * dimension less than A: a vector solution), batches broadcast. The rank (A's batch) is empty with 'gels'; the
 * singular values (A's batch, [..., min(m, n)]) only with 'gelsd' and 'gelss'.
 */
export function lstsq(a: Tensor, b: Tensor, options: LstsqOptions = {}): LstsqResult {
  checkTensor(a, 'linalg.lstsq', 'A');
  checkTensor(b, 'linalg.lstsq', 'B');
  const o = checkOptions('linalg.lstsq', options, ['rcond', 'driver']);
  const given = o.driver ?? 'gelsy';
  if (typeof given !== 'string') throw new TypeError(`linalg.lstsq: driver must be a string, got ${describeValue(given)}`);
  const driver = given.toLowerCase() as LstsqDriver;
  if (!['gels', 'gelsy', 'gelsd', 'gelss'].includes(driver)) {
    throw new KindlingError('torch.linalg.lstsq: parameter `driver` should be one of (gels, gelsy, gelsd, gelss)');
  }
  if (o.rcond !== undefined && o.rcond !== null && typeof o.rcond !== 'number') throw new TypeError(`linalg.lstsq: rcond must be a number, got ${describeValue(o.rcond)}`);
  if (a.ndim < 2) throw new KindlingError('torch.linalg.lstsq: input must have at least 2 dimensions.');
  const diff = a.ndim - b.ndim;
  if (diff < 0 || diff > 1) throw new KindlingError('torch.linalg.lstsq: input.dim() must be greater or equal to other.dim() and (input.dim() - other.dim()) <= 1');
  const vector = diff === 1;
  const bm = vector ? b.unsqueeze(-1) : b;
  const m = a.shape[a.ndim - 2]!;
  const n = a.shape[a.ndim - 1]!;
  if (bm.shape[bm.ndim - 2] !== m) {
    throw new KindlingError(vector ? 'torch.linalg.lstsq: input.size(-2) should match other.size(-1)' : 'torch.linalg.lstsq: input.size(-2) should match other.size(-2)');
  }
  const k = bm.shape[bm.ndim - 1]!;
  const rcond = o.rcond ?? EPS32 * Math.max(m, n);
  const batchA = a.shape.slice(0, -2);
  const batch = broadcastShapes(batchA, bm.shape.slice(0, -2), 'linalg.lstsq');
  // The rank and the singular values are A's own, one per matrix of A.
  const own = matricesOf(a).map((x) => solveOne(x, new Float64Array(0), m, n, 0, driver, rcond));
  const as = matricesOf(a.expand([...batch, m, n]));
  const bs = matricesOf(bm.expand([...batch, m, k]));
  const zeroed: boolean[] = [];
  const solved = as.map((x, i) => {
    const r = solveOne(x, bs[i]!, m, n, k, driver, rcond);
    if (r.info > 0) {
      const where = a.ndim > 2 ? `(Batch element ${i}): ` : '';
      throw new KindlingError(`torch.linalg.lstsq: ${where}The least squares solution could not be computed because the input matrix does not have full rank (error code: ${r.info}).`);
    }
    zeroed.push(r.zeroed === true);
    return r.x;
  });
  const shape = vector ? [...batch, n] : [...batch, n, k];
  let solution = new Tensor(joined(solved), shape);
  if (isGradRecording() && (a.requiresGrad || b.requiresGrad)) {
    // PyTorch's linalg_lstsq_backward differentiates pinv(A)·B (default tolerances), whatever the driver.
    const p = pinv(a).matmul(bm);
    const graph = vector ? p.squeeze(-1) : p;
    solution = linearTwice(record(solution, 'lstsq', [graph], (g) => [g], [], 'LinalgLstsqBackward0'), (h) => h);
  }
  const fullRank = own.every((r) => r.rank === n);
  const withResiduals = m > n && driver !== 'gelsy' && (driver === 'gels' || fullRank);
  const residuals = withResiduals
    ? new Tensor(joined(solved.map((x, i) => residualsOf(as[i]!, bs[i]!, x, m, n, k, zeroed[i]!))), [...batch, k])
    : new Tensor(new Float32Array(0), [0]);
  const rank = driver === 'gels' ? new Tensor(new Float32Array(0), [0]) : new Tensor(Float32Array.from(own, (r) => r.rank), batchA);
  const singularValues = driver === 'gelsd' || driver === 'gelss' ? new Tensor(joined(own.map((r) => r.s!)), [...batchA, Math.min(m, n)]) : new Tensor(new Float32Array(0), [0]);
  return Object.assign([solution, residuals, rank, singularValues] as [Tensor, Tensor, Tensor, Tensor], { solution, residuals, rank, singularValues });
}

/** ‖A·X − B‖² of each column (float64), or zeros where LAPACK zeroed B. */
function residualsOf(a: Float64Array, b: Float64Array, x: Float64Array, m: number, n: number, k: number, zeroed: boolean): Float64Array {
  const out = new Float64Array(k);
  if (zeroed) return out;
  const ax = mul64(a, x, m, n, k);
  for (let i = 0; i < m; i++) for (let col = 0; col < k; col++) out[col] = out[col]! + (ax[i * k + col]! - b[i * k + col]!) ** 2;
  return out;
}
