// Transforms onto Cholesky factors, as PyTorch 1.13's: LowerCholeskyTransform (square matrices to lower-triangular
// ones with a positive diagonal, eˣ on it) and CorrCholeskyTransform (D(D − 1)/2 reals to the Cholesky factor of a
// D × D correlation matrix: tanh, then a signed stick-breaking of each row), each PyTorch's formula in its order of
// ops, with PyTorch's tril_matrix_to_vec / vec_to_tril_matrix (row by row) as index selections.
import { softplus } from '../ops/activations-more.js';
import { cat } from '../ops/join.js';
import { pad } from '../ops/pad.js';
import { tensor, zeros } from '../tensor/creation.js';
import { eye } from '../tensor/integers.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { corrCholeskyCheck, lowerCholeskyCheck } from './matrix-constraints.js';
import { type Constraint, Transform } from './transforms.js';

const EPS = 2 ** -23;

/** The row-major positions in an n × n matrix of the entries on or below diagonal `diag` (PyTorch's tril mask). */
function trilPositions(n: number, diag: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (c < r + diag + 1) out.push(r * n + c);
  return out;
}

/** PyTorch's tril_matrix_to_vec: the entries on or below `diag`, row by row, as the last dimension. */
export function trilMatrixToVec(mat: Tensor, diag = 0): Tensor {
  const n = mat.shape[mat.ndim - 1]!;
  if (diag < -n || diag >= n) throw new RangeError(`diag (${diag}) provided is outside [${-n}, ${n - 1}].`);
  const flat = mat.reshape([...mat.shape.slice(0, mat.ndim - 2), n * n]);
  return flat.indexSelect(-1, tensor(trilPositions(n, diag)));
}

/** PyTorch's vec_to_tril_matrix: the n × n matrix with the vector's entries on or below `diag`, zeros elsewhere. */
export function vecToTrilMatrix(vec: Tensor, diag = 0): Tensor {
  const len = vec.shape[vec.ndim - 1]!;
  const n = (-(1 + 2 * diag) + Math.sqrt((1 + 2 * diag) ** 2 + 8 * len + 4 * Math.abs(diag) * (diag + 1))) / 2;
  if (Math.round(n) - n > EPS) throw new RangeError(`The size of last dimension is ${len} which cannot be expressed as the lower triangular part of a square D x D matrix.`);
  const size = Math.round(n);
  // Slot 0 of the padded vector is the zero every other entry takes.
  const from = new Array<number>(size * size).fill(0);
  trilPositions(size, diag).forEach((p, k) => (from[p] = k + 1));
  const batch = vec.shape.slice(0, vec.ndim - 1);
  return cat([zeros([...batch, 1]), vec], -1).indexSelect(-1, tensor(from)).reshape([...batch, size, size]);
}

export const LOWER_CHOLESKY: Constraint = { name: 'LowerCholesky()', ok: (v) => !Number.isNaN(v), whole: (t) => lowerCholeskyCheck(t).every(Boolean) };
export const CORR_CHOLESKY: Constraint = { name: 'CorrCholesky()', ok: (v) => !Number.isNaN(v), whole: (t) => corrCholeskyCheck(t).every(Boolean) };

/** x ↦ tril(x, −1) + diag(e^diag(x)); the inverse takes the log of the diagonal. No log |det J| (as PyTorch). */
export class LowerCholeskyTransform extends Transform {
  /** False, as PyTorch marks it (it leaves the default). */
  override readonly bijective = false;
  override get domainEventDim(): number { return 2; }
  override get codomainEventDim(): number { return 2; }
  get sign(): number { throw new Error('LowerCholeskyTransform has no sign (PyTorch\'s NotImplementedError)'); }
  protected call(x: Tensor): Tensor { return x.tril(-1).add(x.diagonal(0, -2, -1).exp().diagEmbed()); }
  protected invert(y: Tensor): Tensor { return y.tril(-1).add(y.diagonal(0, -2, -1).log().diagEmbed()); }
  logAbsDetJacobian(): Tensor { throw new Error('LowerCholeskyTransform has no log |det J| (PyTorch\'s NotImplementedError)'); }
  codomain(): Constraint { return LOWER_CHOLESKY; }
  override equals(other: Transform): boolean { return other instanceof LowerCholeskyTransform; }
}

/**
 * D(D − 1)/2 reals to a correlation matrix's Cholesky factor: r = tanh(x) (clamped inside (−1, 1)) below the diagonal,
 * row by row, each entry times √ of what the row's earlier entries left, ones on the diagonal scaled the same way.
 */
export class CorrCholeskyTransform extends Transform {
  override get domainEventDim(): number { return 1; }
  override get codomainEventDim(): number { return 2; }
  get sign(): number { throw new Error('CorrCholeskyTransform has no sign (PyTorch\'s NotImplementedError)'); }

  override forwardShape(shape: readonly number[]): number[] {
    if (shape.length < 1) throw new RangeError('CorrCholeskyTransform: too few dimensions on input');
    const n = shape[shape.length - 1]!;
    const d = Math.round(Math.sqrt(0.25 + 2 * n) + 0.5);
    if ((d * (d - 1)) / 2 !== n) throw new RangeError(`CorrCholeskyTransform: the input's last dimension (${n}) is not the size of a flattened lower triangle D(D − 1)/2`);
    return [...shape.slice(0, -1), d, d];
  }

  override inverseShape(shape: readonly number[]): number[] {
    if (shape.length < 2) throw new RangeError('CorrCholeskyTransform: too few dimensions on input');
    const d = shape[shape.length - 1]!;
    if (shape[shape.length - 2] !== d) throw new RangeError(`CorrCholeskyTransform: the input is not square (shape ${formatShape(shape)})`);
    return [...shape.slice(0, -2), (d * (d - 1)) / 2];
  }

  protected call(x: Tensor): Tensor {
    const r = vecToTrilMatrix(x.tanh().clamp(-1 + EPS, 1 - EPS), -1);
    const left = r.pow(2).neg().add(1).sqrt().cumprod(-1);
    const d = r.shape[r.ndim - 1]!;
    return r.add(eye(d)).mul(pad(left.narrow(-1, 0, d - 1), [1, 0], { value: 1 }));
  }

  protected invert(y: Tensor): Tensor {
    const d = y.shape[y.ndim - 1]!;
    const left = y.mul(y).cumsum(-1).neg().add(1);
    const shifted = pad(left.narrow(-1, 0, d - 1), [1, 0], { value: 1 });
    const t = trilMatrixToVec(y, -1).div(trilMatrixToVec(shifted, -1).sqrt());
    return t.add(1).div(t.neg().add(1)).log().div(2);
  }

  /** The stick-breaking's ½·Σ log(1 − cumsum(y²)) below the first subdiagonal plus tanh's −2·Σ(x + softplus(−2x) − log 2). */
  logAbsDetJacobian(x: Tensor, y: Tensor): Tensor {
    const left = y.mul(y).cumsum(-1).neg().add(1);
    const stick = trilMatrixToVec(left, -2).log().sum(-1).mul(0.5);
    const tanh = x.add(softplus(x.mul(-2))).sub(Math.log(2)).sum(-1).mul(-2);
    return stick.add(tanh);
  }

  codomain(): Constraint { return CORR_CHOLESKY; }
  override equals(other: Transform): boolean { return other instanceof CorrCholeskyTransform; }
}
