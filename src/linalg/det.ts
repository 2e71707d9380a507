// linalg.det and linalg.slogdet, as PyTorch 1.13's: an LU factorisation per matrix (float64 here, rounded once to
// float32; PyTorch's float32 LAPACK rounds at every step, so values agree within float32 rounding, scaled by the
// matrix's condition). Backward: det's is g·det·A⁻ᵀ, or the matrix of cofactors where A is singular (det 0);
// slogdet's g·A⁻ᵀ through logabsdet (its sign has no gradient).
import { record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { eye } from '../tensor/integers.js';
import { inv } from './inverse.js';
import { Tensor } from '../tensor/tensor.js';
import { checkTensor } from '../ops/util.js';
import { batchCount } from './batches.js';
import { checkFloat, checkSquare, luDet, luFactor, luSolve } from './lu.js';
import { svd } from './svd.js';

/** The batch's inverse transposes (A⁻ᵀ) in float64, or null for a singular matrix. */
export function inverseTransposes(a: Tensor, n: number): (Float64Array | null)[] {
  const v = a.toArray();
  const count = batchCount(a.shape);
  const out: (Float64Array | null)[] = [];
  for (let b = 0; b < count; b++) {
    const f = luFactor(v, b * n * n, n);
    if (f.info !== 0) { out.push(null); continue; }
    const inv = new Float64Array(n * n);
    for (let i = 0; i < n; i++) inv[i * n + i] = 1;
    luSolve(f, n, inv, n);
    const t = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[i * n + j] = inv[j * n + i]!;
    out.push(t);
  }
  return out;
}

/** The cofactor matrix of the n × n matrix at v[at…] (each entry (−1)^(i+j) times its minor's determinant). */
function cofactors(v: ArrayLike<number>, at: number, n: number): Float64Array {
  const out = new Float64Array(n * n);
  if (n === 1) { out[0] = 1; return out; }
  const minor = new Float64Array((n - 1) * (n - 1));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let k = 0;
      for (let r = 0; r < n; r++) {
        if (r === i) continue;
        for (let c = 0; c < n; c++) if (c !== j) minor[k++] = v[at + r * n + c]!;
      }
      out[i * n + j] = ((i + j) % 2 === 0 ? 1 : -1) * luDet(luFactor(minor, 0, n - 1), n - 1);
    }
  }
  return out;
}

/** The determinant of each square matrix of A ([..., n, n] → [...]), as `torch.linalg.det`. */
export function det(a: Tensor): Tensor {
  checkTensor(a, 'linalg.det', 'A');
  checkFloat(a, 'linalg.det');
  const n = checkSquare(a, 'linalg.det');
  const v = a.toArray();
  const batch = a.shape.slice(0, -2);
  const count = batch.reduce((p, d) => p * d, 1);
  const out = new Float32Array(count);
  for (let b = 0; b < count; b++) out[b] = luDet(luFactor(v, b * n * n, n), n);
  const result = new Tensor(out, batch);
  const node = record(result, 'det', [a], (g) => {
    const gv = g.toArray();
    const invT = inverseTransposes(a, n);
    const grad = new Float32Array(v.length);
    for (let b = 0; b < count; b++) {
      const t = invT[b];
      const cof = t === null || t === undefined ? cofactors(v, b * n * n, n) : null;
      for (let k = 0; k < n * n; k++) grad[b * n * n + k] = cof !== null ? gv[b]! * cof[k]! : gv[b]! * out[b]! * t![k]!;
    }
    return [new Tensor(grad, a.shape)];
  }, [a, result], 'LinalgDetBackward0');
  // Written with ops (for createGraph): g·det(A)·A⁻ᵀ when every matrix is invertible, else PyTorch's singular
  // formula, the cofactors from an SVD: det(U)·det(Vh)·U·diag(∏ⱼ≠ᵢ Sⱼ)·Vh.
  return twice(node, (g) => {
    const scale = g.unsqueeze(-1).unsqueeze(-1);
    if (inverseTransposes(a, n).every((t) => t !== null)) return [scale.mul(result.unsqueeze(-1).unsqueeze(-1)).mul(inv(a).transpose(-2, -1))];
    return [scale.mul(cofactorsByOps(a, n))];
  });
}

/** The cofactor matrix of each matrix with recorded ops, as PyTorch's singular case of det's backward computes it. */
function cofactorsByOps(a: Tensor, n: number): Tensor {
  const [u, s, vh] = svd(a);
  // det(U)·det(Vh) is ±1 (orthogonal factors) and constant under small changes of A: no gradient flows through it.
  const alpha = det(u.detach()).mul(det(vh.detach()));
  // Row i of `others` is S with its i-th entry replaced by 1: the row's product is ∏ⱼ≠ᵢ Sⱼ, zeros included.
  const id = eye(n);
  const others = s.unsqueeze(-2).mul(id.neg().add(1)).add(id);
  const d = others.prod(-1).mul(alpha.unsqueeze(-1));
  return u.mul(d.unsqueeze(-2)).matmul(vh);
}

/**
 * `[sign, logabsdet]` of each square matrix (also as named fields, PyTorch's named tuple), as `torch.linalg.slogdet`
 * (a singular matrix: sign 0, −∞).
 */
export function slogdet(a: Tensor): [Tensor, Tensor] & { sign: Tensor; logabsdet: Tensor } {
  checkTensor(a, 'linalg.slogdet', 'A');
  checkFloat(a, 'linalg.slogdet');
  const n = checkSquare(a, 'linalg.slogdet');
  const v = a.toArray();
  const batch = a.shape.slice(0, -2);
  const count = batch.reduce((p, d) => p * d, 1);
  const signs = new Float32Array(count);
  const logs = new Float32Array(count);
  for (let b = 0; b < count; b++) {
    const f = luFactor(v, b * n * n, n);
    let sign = f.sign;
    let log = 0;
    for (let i = 0; i < n; i++) {
      const d = f.lu[i * n + i]!;
      // PyTorch's sgn: 0 for a NaN pivot (and for 0), so a NaN matrix has sign 0 and log|det| NaN.
      sign *= d > 0 ? 1 : d < 0 ? -1 : 0;
      log += Math.log(Math.abs(d));
    }
    signs[b] = sign;
    logs[b] = log;
  }
  const logNode = record(new Tensor(logs, batch), 'slogdet', [a], (g) => {
    const gv = g.toArray();
    const invT = inverseTransposes(a, n);
    const grad = new Float32Array(v.length);
    for (let b = 0; b < count; b++) for (let k = 0; k < n * n; k++) grad[b * n * n + k] = gv[b]! * (invT[b]?.[k] ?? Infinity);
    return [new Tensor(grad, a.shape)];
  }, [a], 'LinalgSlogdetBackward0');
  // g·A⁻ᵀ written with ops (for createGraph).
  const logabsdet = twice(logNode, (g) => [g.unsqueeze(-1).unsqueeze(-1).mul(inv(a).transpose(-2, -1))]);
  const sign = new Tensor(signs, batch);
  return Object.assign([sign, logabsdet] as [Tensor, Tensor], { sign, logabsdet });
}
