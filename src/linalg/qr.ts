// linalg.qr, as PyTorch 1.13's: Householder reflections as LAPACK's geqrf makes them (each one's β of the sign
// opposite to the column's leading entry, so R's diagonal and Q's columns have LAPACK's signs), in float64, rounded
// once; modes 'reduced' (Q m × k, R k × n), 'complete' (Q m × m) and 'r' (R only, Q empty: no gradient, as PyTorch).
// Backward for mode 'reduced' (and 'complete' when m ≤ n): m ≥ n, gA = (gQ + Q·copyltu(M))·R⁻ᵀ with
// M = R·gRᵀ − gQᵀ·Q; m < n, A = [X | Y] with X = Q·U square, Y = Q·V: X's through the square case with gQ + Y·gVᵀ, gY = Q·gV.
import { record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { KindlingError } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { cat } from '../ops/join.js';
import { checkTensor } from '../ops/util.js';
import { joined, matricesOf, mul64, solveRight, transpose64 } from './batches.js';
import { checkFloat } from './lu.js';
import { solveTriangular } from './solve-triangular.js';

/**
 * Q (m × m) and R (m × n) of the m × n matrix `a`, by LAPACK's Householder reflections (float64). With `pivot`,
 * A·P = Q·R as LAPACK's geqp3 pivots: at each step the remaining column of the largest norm (below the rows done; the
 * first of equal ones) is swapped in; `perm[j]` is the column of A that is column j of A·P.
 */
export function householderQr(a: Float64Array, m: number, n: number, pivot = false): { q: Float64Array; r: Float64Array; perm: number[] } {
  const r = Float64Array.from(a);
  const q = new Float64Array(m * m);
  for (let i = 0; i < m; i++) q[i * m + i] = 1;
  const perm = Array.from({ length: n }, (_, j) => j);
  const k = Math.min(m, n);
  const partialNorm = (c: number, from: number): number => {
    let s = 0;
    for (let i = from; i < m; i++) s += r[i * n + c]! ** 2;
    return s;
  };
  for (let j = 0; j < k; j++) {
    if (pivot) {
      let best = j;
      let bestNorm = partialNorm(j, j);
      for (let c = j + 1; c < n; c++) {
        const v = partialNorm(c, j);
        if (v > bestNorm) { best = c; bestNorm = v; }
      }
      if (best !== j) {
        for (let i = 0; i < m; i++) [r[i * n + j], r[i * n + best]] = [r[i * n + best]!, r[i * n + j]!];
        [perm[j], perm[best]] = [perm[best]!, perm[j]!];
      }
    }
    let norm = 0;
    for (let i = j; i < m; i++) norm += r[i * n + j]! ** 2;
    norm = Math.sqrt(norm);
    const alpha = r[j * n + j]!;
    let tail = 0;
    for (let i = j + 1; i < m; i++) tail += r[i * n + j]! ** 2;
    if (tail === 0) continue; // LAPACK's τ = 0: H = I
    const beta = alpha >= 0 ? -norm : norm;
    // v = [1, x(j+1..)/(α − β)], τ = (β − α)/β; H = I − τ·v·vᵀ
    const v = new Float64Array(m);
    v[j] = 1;
    for (let i = j + 1; i < m; i++) v[i] = r[i * n + j]! / (alpha - beta);
    const tau = (beta - alpha) / beta;
    for (let c = 0; c < n; c++) {
      let s = 0;
      for (let i = j; i < m; i++) s += v[i]! * r[i * n + c]!;
      for (let i = j; i < m; i++) r[i * n + c] = r[i * n + c]! - tau * v[i]! * s;
    }
    for (let row = 0; row < m; row++) {
      let s = 0;
      for (let i = j; i < m; i++) s += q[row * m + i]! * v[i]!;
      for (let i = j; i < m; i++) q[row * m + i] = q[row * m + i]! - tau * s * v[i]!;
    }
  }
  for (let i = 0; i < m; i++) for (let c = 0; c < Math.min(i, n); c++) r[i * n + c] = 0;
  return { q, r, perm };
}

const cols = (x: Float64Array, rows: number, width: number, take: number): Float64Array =>
  Float64Array.from({ length: rows * take }, (_, i) => x[Math.floor(i / take) * width + (i % take)]!);
const rowsOf = (x: Float64Array, width: number, take: number): Float64Array => x.slice(0, take * width);

/** The gradient of A = Q·R (Q m × k, R k × n, m ≥ n = k) from gQ, gR, in float64. */
function squareOrTall(q: Float64Array, r: Float64Array, gQ: Float64Array | null, gR: Float64Array | null, m: number, n: number): Float64Array {
  // M = R·gRᵀ − gQᵀ·Q (n × n)
  const M = new Float64Array(n * n);
  if (gR !== null) {
    const t = mul64(r, gR, n, n, n, false, true);
    for (let i = 0; i < n * n; i++) M[i] = t[i]!;
  }
  if (gQ !== null) {
    const t = mul64(gQ, q, n, m, n, true, false);
    for (let i = 0; i < n * n; i++) M[i] = M[i]! - t[i]!;
  }
  // copyltu(M): the lower triangle mirrored above the diagonal
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
    c[i * n + j] = M[i * n + j]!;
    c[j * n + i] = M[i * n + j]!;
  }
  const b = mul64(q, c, m, n, n);
  if (gQ !== null) for (let i = 0; i < m * n; i++) b[i] = b[i]! + gQ[i]!;
  // X·Rᵀ = b, Rᵀ lower triangular (R is n × n here).
  const x = solveRight(transpose64(r, n), b, n, m);
  return x;
}

function qrBackward(q: Float64Array, r: Float64Array, gQ: Float64Array | null, gR: Float64Array | null, m: number, n: number): Float64Array {
  if (m >= n) return squareOrTall(q, r, gQ, gR, m, n);
  // A = [X | Y], R = [U | V]: X = Q·U (m × m), Y = Q·V.
  const U = cols(r, m, n, m);
  const V = Float64Array.from({ length: m * (n - m) }, (_, i) => r[Math.floor(i / (n - m)) * n + m + (i % (n - m))]!);
  const Y = mul64(q, V, m, m, n - m);
  const gU = gR === null ? null : cols(gR, m, n, m);
  const gV = gR === null ? null : Float64Array.from({ length: m * (n - m) }, (_, i) => gR[Math.floor(i / (n - m)) * n + m + (i % (n - m))]!);
  let gQx = gQ;
  if (gV !== null) {
    const t = mul64(Y, gV, m, n - m, m, false, true);
    gQx = gQ === null ? t : Float64Array.from(gQ, (v, i) => v + t[i]!);
  }
  const gX = squareOrTall(q, U, gQx, gU, m, m);
  const gY = gV === null ? new Float64Array(m * (n - m)) : mul64(q, gV, m, m, n - m);
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) out[i * n + j] = gX[i * m + j]!;
    for (let j = 0; j < n - m; j++) out[i * n + m + j] = gY[i * (n - m) + j]!;
  }
  return out;
}

export type QrMode = 'reduced' | 'complete' | 'r';

/** `[Q, R]` of each matrix (also as `{ Q, R }`), as `torch.linalg.qr(A, mode='reduced')`. */
export function qr(a: Tensor, mode: QrMode = 'reduced'): [Tensor, Tensor] & { Q: Tensor; R: Tensor } {
  checkTensor(a, 'linalg.qr', 'A');
  checkFloat(a, 'linalg.qr');
  if (mode !== 'reduced' && mode !== 'complete' && mode !== 'r') {
    throw new RangeError(`qr received unrecognized mode '${String(mode)}' but expected one of 'reduced' (default), 'r', or 'complete'`);
  }
  if (a.ndim < 2) throw new KindlingError('linalg.qr: The input tensor A must have at least 2 dimensions.');
  const m = a.shape[a.ndim - 2]!;
  const n = a.shape[a.ndim - 1]!;
  const k = Math.min(m, n);
  const batch = a.shape.slice(0, -2);
  const parts = matricesOf(a).map((x) => householderQr(x, m, n));
  const qCols = mode === 'complete' ? m : k;
  const rRows = mode === 'complete' ? m : k;
  const qs = parts.map((p) => cols(p.q, m, m, qCols));
  const rs = parts.map((p) => rowsOf(p.r, n, rRows));
  const Q = mode === 'r' ? new Tensor(new Float32Array(0), [0]) : new Tensor(joined(qs), [...batch, m, qCols]);
  const R = new Tensor(joined(rs), [...batch, rRows, n]);
  const grads: { Q: Float32Array | null; R: Float32Array | null } = { Q: null, R: null };
  const back = (): Tensor => {
    if (mode === 'r') throw new Error("The derivative of linalg.qr depends on Q, which is not computed when mode='r'. Please use linalg.qr(A, mode='reduced') if you are going to differentiate through linalg.qr.");
    if (mode === 'complete' && m > n) throw new Error("The QR decomposition is not differentiable when mode='complete' and nrows > ncols.");
    const out = parts.map((p, b) => {
      const gQ = grads.Q === null ? null : Float64Array.from(grads.Q.subarray(b * m * k, (b + 1) * m * k));
      const gR = grads.R === null ? null : Float64Array.from(grads.R.subarray(b * k * n, (b + 1) * k * n));
      return qrBackward(cols(p.q, m, m, k), rowsOf(p.r, n, k), gQ, gR, m, n);
    });
    return new Tensor(joined(out), a.shape);
  };
  const node = (t: Tensor, key: 'Q' | 'R'): Tensor => record(t, 'qr', [a], (g) => {
    grads[key] = g.values();
    try {
      return [back()];
    } finally {
      grads[key] = null;
    }
  }, [], 'LinalgQrBackward0');
  const [Qr, Rr] = [node(Q, 'Q'), node(R, 'R')];
  if (mode !== 'r' && !(mode === 'complete' && m > n)) {
    // The gradients' graphs (createGraph): the same formulas written with ops on the recorded outputs Q and R.
    twice(Qr, (g) => [qrBackwardOps(Qr, Rr, g, null, m, n)]);
    twice(Rr, (g) => [qrBackwardOps(Qr, Rr, null, g, m, n)]);
  }
  return Object.assign([Qr, Rr] as [Tensor, Tensor], { Q: Qr, R: Rr });
}

/** The square-or-tall case with ops: (gQ + Q·copyltu(R·gRᵀ − gQᵀ·Q))·R⁻ᵀ. */
function squareOrTallOps(q: Tensor, r: Tensor, gQ: Tensor | null, gR: Tensor | null): Tensor {
  const parts = [gR === null ? null : r.matmul(gR.mT), gQ === null ? null : gQ.mT.matmul(q).neg()].filter((t) => t !== null);
  const M = parts.length === 2 ? parts[0]!.add(parts[1]!) : parts[0]!;
  const b0 = q.matmul(M.tril().add(M.tril(-1).mT));
  const b = gQ === null ? b0 : b0.add(gQ);
  return solveTriangular(r.mT, b, { upper: false, left: false });
}

/** PyTorch's linalg_qr_backward with recorded ops on Q and R (reduced; A = [X | Y] when wide). */
function qrBackwardOps(q: Tensor, r: Tensor, gQ: Tensor | null, gR: Tensor | null, m: number, n: number): Tensor {
  if (m >= n) return squareOrTallOps(q, r, gQ, gR);
  const U = r.narrow(-1, 0, m);
  const V = r.narrow(-1, m, n - m);
  const gU = gR === null ? null : gR.narrow(-1, 0, m);
  const gV = gR === null ? null : gR.narrow(-1, m, n - m);
  let gQx = gQ;
  if (gV !== null) {
    const t = q.matmul(V).matmul(gV.mT);
    gQx = gQ === null ? t : gQ.add(t);
  }
  const gX = squareOrTallOps(q, U, gQx, gU);
  const gY = gV === null ? new Tensor(new Float32Array(V.numel()), V.shape) : q.matmul(gV);
  return cat([gX, gY], -1);
}
