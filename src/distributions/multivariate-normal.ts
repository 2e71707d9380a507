// MultivariateNormal(loc, { covarianceMatrix | precisionMatrix | scaleTril }), as PyTorch 1.13's: everything from
// the lower Cholesky factor L (of the covariance; from a precision matrix through PyTorch's flip–Cholesky–flip and a
// triangular solve); rsample loc + L·ε with ε from normal_() (seeded as PyTorch's draws), the log density from the
// Mahalanobis distance by a triangular solve, entropy, and the three matrices, in PyTorch's formulas.
import { noGrad } from '../autograd/grad-mode.js';
import { cholesky } from '../linalg/cholesky.js';
import { solveTriangular } from '../linalg/solve-triangular.js';
import { checkOptions } from '../options.js';
import { broadcastShapes } from '../tensor/shape.js';
import { eye } from '../tensor/integers.js';
import { zeros } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { Distribution } from './distribution.js';
import * as constraints from './constraints.js';

export interface MultivariateNormalOptions {
  covarianceMatrix?: Tensor;
  precisionMatrix?: Tensor;
  scaleTril?: Tensor;
  validateArgs?: boolean;
}

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * The squared Mahalanobis distance xᵀ(L·Lᵀ)⁻¹x of each vector of x (last dimension) for the lower factor L, by a
 * triangular solve, L broadcast to x's batch (PyTorch's _batch_mahalanobis).
 */
export function mahalanobis(l: Tensor, x: Tensor): Tensor {
  const n = x.shape[x.ndim - 1]!;
  const batch = broadcastShapes(x.shape.slice(0, -1), l.shape.slice(0, -2), 'mahalanobis');
  return solveTriangular(l.expand([...batch, n, n]), x.expand([...batch, n]).unsqueeze(-1), { upper: false }).squeeze(-1).pow(2).sum(-1);
}

/** L with L·Lᵀ = P⁻¹, as PyTorch's _precision_to_scale_tril. */
export function precisionToScaleTril(p: Tensor): Tensor {
  const lf = cholesky(p.flip([-2, -1]));
  const lInv = lf.flip([-2, -1]).transpose(-2, -1);
  const n = p.shape[p.ndim - 1]!;
  return solveTriangular(lInv, eye(n), { upper: false });
}

export class MultivariateNormal extends Distribution {
  override get support(): constraints.Constraint { return constraints.realVector; }
  override get argConstraints(): Record<string, constraints.Constraint> { return { loc: constraints.realVector, covarianceMatrix: constraints.positiveDefinite, precisionMatrix: constraints.positiveDefinite, scaleTril: constraints.lowerCholesky }; }
  override get hasRsample(): boolean { return true; }

  readonly loc: Tensor;
  #tril: Tensor;
  #given: 'covarianceMatrix' | 'precisionMatrix' | 'scaleTril';
  #matrix: Tensor;

  constructor(loc: Tensor, options: MultivariateNormalOptions = {}) {
    const o = checkOptions<MultivariateNormalOptions>('MultivariateNormal', options, ['covarianceMatrix', 'precisionMatrix', 'scaleTril', 'validateArgs']);
    if (!(loc instanceof Tensor) || loc.ndim < 1) throw new RangeError('loc must be at least one-dimensional.');
    const given = (['covarianceMatrix', 'precisionMatrix', 'scaleTril'] as const).filter((k) => o[k] !== undefined);
    if (given.length !== 1) throw new RangeError('Exactly one of covariance_matrix or precision_matrix or scale_tril may be specified. (Kindling\'s options: covarianceMatrix, precisionMatrix, scaleTril)');
    const key = given[0]!;
    const matrix = o[key]!;
    const pyName = { covarianceMatrix: 'covariance_matrix', precisionMatrix: 'precision_matrix', scaleTril: 'scale_tril' }[key];
    if (!(matrix instanceof Tensor) || matrix.ndim < 2) {
      throw new RangeError(`${pyName} ${key === 'scaleTril' ? 'matrix ' : ''}must be at least two-dimensional, with optional leading batch dimensions`);
    }
    const batch = broadcastShapes(matrix.shape.slice(0, -2), loc.shape.slice(0, -1), 'MultivariateNormal');
    const n = loc.shape[loc.ndim - 1]!;
    super(batch, [n], o);
    this.loc = loc.expand([...batch, n]);
    this.#given = key;
    this.#matrix = matrix;
    if (o.validateArgs !== false) this.validate(key, pyName, matrix);
    this.#tril = key === 'scaleTril' ? matrix : key === 'covarianceMatrix' ? cholesky(matrix) : precisionToScaleTril(matrix);
  }

  private validate(key: string, pyName: string, m: Tensor): void {
    const shown = this.#matrix.expand([...this.batchShape, ...this.eventShape, ...this.eventShape]);
    this.checkParam('loc', this.loc, (v) => !Number.isNaN(v), 'IndependentConstraint(Real(), 1)');
    if (key === 'scaleTril') {
      const n = m.shape[m.ndim - 1]!;
      const v = m.contiguous().values();
      let ok = true;
      for (let b = 0; b < v.length; b += n * n) {
        for (let i = 0; i < n; i++) {
          if (!(v[b + i * n + i]! > 0)) ok = false;
          for (let j = i + 1; j < n; j++) if (v[b + i * n + j] !== 0) ok = false;
        }
      }
      this.checkParamWhole(pyName, shown, ok, 'LowerCholesky()');
      return;
    }
    const symmetric = noGrad(() => m.sub(m.mT).abs().le(1e-6).values().every((x) => x !== 0));
    let positive = symmetric;
    if (symmetric) {
      try {
        noGrad(() => cholesky(m));
      } catch {
        positive = false;
      }
    }
    this.checkParamWhole(pyName, shown, positive, 'PositiveDefinite()');
  }

  /**
   * The same distribution over batch shape `batchShape`: loc and the matrix given expanded, the Cholesky factor shared
   * (PyTorch's expand: no factorization again).
   */
  override expand(batchShape: readonly number[]): MultivariateNormal {
    const n = this.eventShape[0]!;
    const d = new MultivariateNormal(this.loc.expand([...batchShape, n]), { scaleTril: this.#tril.expand([...batchShape, n, n]), validateArgs: false });
    d.#tril = this.#tril;
    d.#given = this.#given;
    d.#matrix = this.#matrix.expand([...batchShape, n, n]);
    return this.keepValidation(d);
  }

  protected params(): [string, Tensor][] {
    const full = [...this.batchShape, ...this.eventShape, ...this.eventShape];
    const name = { covarianceMatrix: 'covariance_matrix', precisionMatrix: 'precision_matrix', scaleTril: 'scale_tril' }[this.#given];
    return [['loc', this.loc], [name, this.#matrix.expand(full)]];
  }

  private get matrixShape(): number[] {
    return [...this.batchShape, ...this.eventShape, ...this.eventShape];
  }

  get scaleTril(): Tensor { return this.#tril.expand(this.matrixShape); }
  /** L as it was given or computed, before broadcasting to the batch shape (PyTorch's _unbroadcasted_scale_tril). @internal */
  get unbroadcastedScaleTril(): Tensor { return this.#tril; }
  /** The covariance matrix: as given (expanded to the batch), else L·Lᵀ (PyTorch's). */
  get covarianceMatrix(): Tensor {
    if (this.#given === 'covarianceMatrix') return this.#matrix.expand(this.matrixShape);
    return this.#tril.matmul(this.#tril.mT).expand(this.matrixShape);
  }

  /** The precision matrix: as given (expanded to the batch), else from L by cholesky_inverse (PyTorch's). */
  get precisionMatrix(): Tensor {
    if (this.#given === 'precisionMatrix') return this.#matrix.expand(this.matrixShape);
    return this.#tril.choleskyInverse().expand(this.matrixShape);
  }
  override get mean(): Tensor { return this.loc; }
  override get mode(): Tensor { return this.loc; }
  override get variance(): Tensor { return this.#tril.pow(2).sum(-1).expand([...this.batchShape, ...this.eventShape]); }

  sample(sampleShape: readonly number[] = []): Tensor {
    return noGrad(() => this.rsample(sampleShape));
  }

  override rsample(sampleShape: readonly number[] = []): Tensor {
    const eps = noGrad(() => zeros(this.extendedShape(sampleShape)).normal_());
    return this.loc.add(this.#tril.matmul(eps.unsqueeze(-1)).squeeze(-1));
  }

  logProb(value: Tensor): Tensor {
    this.checkValue(value, (v) => !Number.isNaN(v), 'IndependentConstraint(Real(), 1)');
    const n = this.eventShape[0]!;
    const m = mahalanobis(this.#tril, value.sub(this.loc));
    const halfLogDet = this.#tril.diagonal(0, -2, -1).log().sum(-1);
    return m.add(n * LOG_2PI).mul(-0.5).sub(halfLogDet);
  }

  override entropy(): Tensor {
    const halfLogDet = this.#tril.diagonal(0, -2, -1).log().sum(-1);
    const h = halfLogDet.add(0.5 * this.eventShape[0]! * (1 + LOG_2PI));
    return this.batchShape.length === 0 ? h : h.expand(this.batchShape);
  }
}
