// linalg.svd and linalg.svdvals, as PyTorch 1.13's: A = U·diag(S)·Vh with S descending, by one-sided Jacobi rotations
// in float64, rounded once (singular vectors are unique only up to sign: each left one is given with its largest entry
// positive, and its right one to match); `fullMatrices` completes U or Vh with an orthonormal basis. Backward as
// PyTorch's svd_backward (the extra columns of full matrices take no gradient, as there):
// gA = U·[(skew(Uᵀ·gU) ⊘ E)·S + S·(skew(Vᵀ·gV) ⊘ E) + diag(gS)]·Vᵀ + (I − UUᵀ)·gU·S⁻¹·Vᵀ + U·S⁻¹·gVᵀ·(I − VVᵀ), Eᵢⱼ = Sⱼ² − Sᵢ².
import { record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { eye } from '../tensor/integers.js';
import { KindlingError } from '../errors.js';
import { checkOptions } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { checkTensor } from '../ops/util.js';
import { joined, matricesOf, mul64 } from './batches.js';
import { checkFloat } from './lu.js';

/** U (m × k), S (k) and V (n × k) of the m × n matrix `a` (m ≥ n, k = n), by Hestenes' one-sided Jacobi, in float64. */
function jacobiSvdTall(a: Float64Array, m: number, n: number): { u: Float64Array; s: Float64Array; v: Float64Array } {
  const u = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let rotated = false;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let r = 0; r < m; r++) {
          alpha += u[r * n + p]! ** 2;
          beta += u[r * n + q]! ** 2;
          gamma += u[r * n + p]! * u[r * n + q]!;
        }
        if (Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta) || gamma === 0) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let r = 0; r < m; r++) {
          const up = u[r * n + p]!;
          const uq = u[r * n + q]!;
          u[r * n + p] = c * up - s * uq;
          u[r * n + q] = s * up + c * uq;
        }
        for (let r = 0; r < n; r++) {
          const vp = v[r * n + p]!;
          const vq = v[r * n + q]!;
          v[r * n + p] = c * vp - s * vq;
          v[r * n + q] = s * vp + c * vq;
        }
      }
    }
    if (!rotated) break;
  }
  const norms = Array.from({ length: n }, (_, j) => {
    let s = 0;
    for (let r = 0; r < m; r++) s += u[r * n + j]! ** 2;
    return Math.sqrt(s);
  });
  const order = norms.map((_, j) => j).sort((i, j) => norms[j]! - norms[i]!);
  const U = new Float64Array(m * n);
  const V = new Float64Array(n * n);
  const S = new Float64Array(n);
  order.forEach((col, k) => {
    const sv = norms[col]!;
    S[k] = sv;
    let big = 0;
    for (let r = 0; r < m; r++) if (Math.abs(u[r * n + col]!) > Math.abs(big)) big = u[r * n + col]!;
    const sign = big < 0 ? -1 : 1;
    for (let r = 0; r < m; r++) U[r * n + k] = sv === 0 ? 0 : (sign * u[r * n + col]!) / sv;
    for (let r = 0; r < n; r++) V[r * n + k] = sign * v[r * n + col]!;
  });
  // The columns of singular values that are zero in float64 (last, as S descends; at most max(m, n) units in the last
  // place of the largest, where the column left by the rotations is rounding noise, and its square may underflow) take
  // an orthonormal basis of the rest of the space, so that U stays orthogonal for a matrix of lower rank, as LAPACK's.
  const negligible = S[0]! * Math.max(m, n) * 2 ** -52;
  const rank = S.findIndex((x) => x <= negligible);
  if (rank >= 0) {
    const whole = complete(cols(U, m, n, rank), m, rank);
    for (let r = 0; r < m; r++) for (let c = rank; c < n; c++) U[r * n + c] = whole[r * m + c]!;
  }
  return { u: U, s: S, v: V };
}

/** The first `take` columns of the rows × width matrix x. */
const cols = (x: Float64Array, rows: number, width: number, take: number): Float64Array =>
  Float64Array.from({ length: rows * take }, (_, i) => x[Math.floor(i / take) * width + (i % take)]!);

/** The k columns of `q` (rows × k) completed to rows × rows with orthonormal columns (Gram–Schmidt on the unit vectors). */
function complete(q: Float64Array, rows: number, k: number): Float64Array {
  const out = new Float64Array(rows * rows);
  for (let r = 0; r < rows; r++) for (let c = 0; c < k; c++) out[r * rows + c] = q[r * k + c]!;
  let filled = k;
  for (let e = 0; e < rows && filled < rows; e++) {
    const w = new Float64Array(rows);
    w[e] = 1;
    for (let pass = 0; pass < 2; pass++) {
      for (let c = 0; c < filled; c++) {
        let d = 0;
        for (let r = 0; r < rows; r++) d += out[r * rows + c]! * w[r]!;
        for (let r = 0; r < rows; r++) w[r] = w[r]! - d * out[r * rows + c]!;
      }
    }
    const norm = Math.sqrt(w.reduce((s, x) => s + x * x, 0));
    if (norm < 1e-8) continue;
    for (let r = 0; r < rows; r++) out[r * rows + filled] = w[r]! / norm;
    filled++;
  }
  return out;
}

/** U (m × k), S, V (n × k) of any m × n matrix, k = min(m, n). */
export function svd64(a: Float64Array, m: number, n: number): { u: Float64Array; s: Float64Array; v: Float64Array } {
  if (m >= n) return jacobiSvdTall(a, m, n);
  const t = new Float64Array(n * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) t[j * m + i] = a[i * n + j]!;
  const r = jacobiSvdTall(t, n, m);
  return { u: r.v, s: r.s, v: r.u };
}

export interface SvdOptions { fullMatrices?: boolean }

/**
 * The matrices of A, a matrix with a NaN refused as PyTorch's LAPACK refuses it (its SVD does not converge; one with
 * an infinity it does not refuse: its singular values come out NaN, as here).
 */
function matricesChecked(a: Tensor): Float64Array[] {
  const mats = matricesOf(a);
  const bad = mats.findIndex((x) => x.some(Number.isNaN));
  if (bad >= 0) {
    const where = a.ndim > 2 ? `(Batch element ${bad}): ` : '';
    throw new KindlingError(`linalg.svd: ${where}The algorithm failed to converge because the input matrix contained non-finite values.`);
  }
  return mats;
}

function shapes(op: string, a: Tensor): { m: number; n: number; k: number; batch: number[] } {
  checkTensor(a, op, 'A');
  checkFloat(a, op);
  if (a.ndim < 2) throw new KindlingError(`${op}: The input tensor A must have at least 2 dimensions.`);
  const m = a.shape[a.ndim - 2]!;
  const n = a.shape[a.ndim - 1]!;
  return { m, n, k: Math.min(m, n), batch: a.shape.slice(0, -2) };
}

/** `[U, S, Vh]` of each matrix (PyTorch's `linalg.svd(A, full_matrices=True)`; also as `{ U, S, Vh }`). */
export function svd(a: Tensor, options: SvdOptions = {}): [Tensor, Tensor, Tensor] & { U: Tensor; S: Tensor; Vh: Tensor } {
  const { fullMatrices = true } = checkOptions('linalg.svd', options, ['fullMatrices']);
  const { m, n, k, batch } = shapes('linalg.svd', a);
  const parts = matricesChecked(a).map((x) => svd64(x, m, n));
  const us = parts.map((p) => (fullMatrices && m > k ? complete(p.u, m, k) : p.u));
  const vs = parts.map((p) => (fullMatrices && n > k ? complete(p.v, n, k) : p.v));
  const uCols = fullMatrices ? m : k;
  const vCols = fullMatrices ? n : k;
  const vh = vs.map((v) => {
    const t = new Float64Array(vCols * n);
    for (let r = 0; r < n; r++) for (let c = 0; c < vCols; c++) t[c * n + r] = v[r * vCols + c]!;
    return t;
  });
  const U = new Tensor(joined(us), [...batch, m, uCols]);
  const S = new Tensor(joined(parts.map((p) => p.s)), [...batch, k]);
  const Vh = new Tensor(joined(vh), [...batch, vCols, n]);
  const grads: { U: Float32Array | null; S: Float32Array | null; Vh: Float32Array | null } = { U: null, S: null, Vh: null };
  const back = (): Tensor => {
    const out = parts.map((p, b) => svdBackward(p, m, n, k, grads, b, uCols, vCols));
    return new Tensor(joined(out), a.shape);
  };
  const node = (t: Tensor, key: 'U' | 'S' | 'Vh'): Tensor => record(t, 'svd', [a], (g) => {
    grads[key] = g.values();
    const r = back();
    grads[key] = null;
    return [r];
  }, [], 'LinalgSvdBackward0');
  const [Ur, Sr, Vr] = [node(U, 'U'), node(S, 'S'), node(Vh, 'Vh')];
  // The gradients' graphs (createGraph): each output's part of svd_backward (the whole is their sum, as it is linear
  // in gU, gS, gVh), written with ops on the recorded outputs.
  const parts3 = (): SvdParts => ({ u: Ur.narrow(-1, 0, k), s: Sr, vh: Vr.narrow(-2, 0, k), m, n, k });
  twice(Ur, (g) => [svdBackwardOps(parts3(), { gU: g.narrow(-1, 0, k) })]);
  twice(Sr, (g) => [svdBackwardOps(parts3(), { gS: g })]);
  twice(Vr, (g) => [svdBackwardOps(parts3(), { gVh: g.narrow(-2, 0, k) })]);
  return Object.assign([Ur, Sr, Vr] as [Tensor, Tensor, Tensor], { U: Ur, S: Sr, Vh: Vr });
}

interface SvdParts { u: Tensor; s: Tensor; vh: Tensor; m: number; n: number; k: number }

/** svd_backward with recorded ops on U (m × k), S, Vh (k × n), from one of gU, gS, gVh. */
function svdBackwardOps(p: SvdParts, g: { gU?: Tensor; gS?: Tensor; gVh?: Tensor }): Tensor {
  const { u, s, vh, m, n, k } = p;
  const uT = u.mT;
  const v = vh.mT;
  if (g.gS !== undefined) return u.mul(g.gS.unsqueeze(-2)).matmul(vh);
  const id = eye(k);
  const sq = s.mul(s);
  // E with 1 on its diagonal (the skew part is 0 there), Eᵢⱼ = Sⱼ² − Sᵢ²
  const E = sq.unsqueeze(-2).sub(sq.unsqueeze(-1)).add(id);
  if (g.gU !== undefined) {
    const x = uT.matmul(g.gU);
    const mid = x.sub(x.mT).div(E).mul(s.unsqueeze(-2));
    let ga = u.matmul(mid).matmul(vh);
    if (m > k) {
      const gUS = g.gU.div(s.unsqueeze(-2));
      ga = ga.add(gUS.sub(u.matmul(uT.matmul(gUS))).matmul(vh));
    }
    return ga;
  }
  const gV = g.gVh!.mT;
  const y = vh.matmul(gV);
  const mid = s.unsqueeze(-1).mul(y.sub(y.mT).div(E));
  let ga = u.matmul(mid).matmul(vh);
  if (n > k) {
    const gVS = gV.div(s.unsqueeze(-2));
    ga = ga.add(u.matmul(gVS.sub(v.matmul(vh.matmul(gVS))).mT));
  }
  return ga;
}

/** PyTorch's svd_backward for one matrix, from whichever of gU, gS, gVh is set (float64). */
function svdBackward(p: { u: Float64Array; s: Float64Array; v: Float64Array }, m: number, n: number, k: number,
  g: { U: Float32Array | null; S: Float32Array | null; Vh: Float32Array | null }, b: number, uCols: number, vCols: number): Float64Array {
  const { u, s, v } = p;
  // The gradients of the first k columns of U and of V (= Vhᵀ), the extra columns of full matrices left out.
  const gU = g.U === null ? null : Float64Array.from({ length: m * k }, (_, i) => g.U![b * m * uCols + Math.floor(i / k) * uCols + (i % k)]!);
  const gV = g.Vh === null ? null : Float64Array.from({ length: n * k }, (_, i) => g.Vh![b * vCols * n + (i % k) * n + Math.floor(i / k)]!);
  const mid = new Float64Array(k * k);
  const E = (i: number, j: number): number => s[j]! * s[j]! - s[i]! * s[i]!;
  if (gU !== null) {
    const x = mul64(u, gU, k, m, k, true, false);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) if (i !== j) mid[i * k + j] = mid[i * k + j]! + ((x[i * k + j]! - x[j * k + i]!) / E(i, j)) * s[j]!;
  }
  if (gV !== null) {
    const y = mul64(v, gV, k, n, k, true, false);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) if (i !== j) mid[i * k + j] = mid[i * k + j]! + s[i]! * ((y[i * k + j]! - y[j * k + i]!) / E(i, j));
  }
  if (g.S !== null) for (let i = 0; i < k; i++) mid[i * k + i] = mid[i * k + i]! + g.S[b * k + i]!;
  let ga = mul64(mul64(u, mid, m, k, k), v, m, k, n, false, true);
  if (gU !== null && m > k) {
    // + (I − UUᵀ)·gU·S⁻¹·Vᵀ
    const gUS = Float64Array.from(gU, (x, i) => x / s[i % k]!);
    const proj = mul64(u, mul64(u, gUS, k, m, k, true, false), m, k, k);
    const rest = Float64Array.from(gUS, (x, i) => x - proj[i]!);
    const add = mul64(rest, v, m, k, n, false, true);
    ga = Float64Array.from(ga, (x, i) => x + add[i]!);
  }
  if (gV !== null && n > k) {
    // + U·S⁻¹·gVᵀ·(I − VVᵀ)
    const gVS = Float64Array.from(gV, (x, i) => x / s[i % k]!);
    const proj = mul64(v, mul64(v, gVS, k, n, k, true, false), n, k, k);
    const rest = Float64Array.from(gVS, (x, i) => x - proj[i]!);
    const add = mul64(u, rest, m, k, n, false, true);
    ga = Float64Array.from(ga, (x, i) => x + add[i]!);
  }
  return ga;
}

/** The singular values of each matrix, descending (`linalg.svdvals`). */
export function svdvals(a: Tensor): Tensor {
  const { m, n, k, batch } = shapes('linalg.svd', a);
  const parts = matricesChecked(a).map((x) => svd64(x, m, n));
  const S = new Tensor(joined(parts.map((p) => p.s)), [...batch, k]);
  const node = record(S, 'svdvals', [a], (g) => {
    const gv = g.values();
    const out = parts.map((p, b) => {
      const d = new Float64Array(k * k);
      for (let i = 0; i < k; i++) d[i * k + i] = gv[b * k + i]!;
      return mul64(mul64(p.u, d, m, k, k), p.v, m, k, n, false, true);
    });
    return [new Tensor(joined(out), a.shape)];
  }, [], 'LinalgSvdBackward0');
  // Its gradient's graph: U·diag(g)·Vh with the factors of a recorded svd (which carry their own graphs).
  return twice(node, (g) => {
    const [u, , vh] = svd(a, { fullMatrices: false });
    return [u.mul(g.unsqueeze(-2)).matmul(vh)];
  });
}
