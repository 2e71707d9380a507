// LowRankMultivariateNormal(loc, covFactor, covDiag): covariance W·Wᵀ + diag(D), as PyTorch 1.13's — the small
// "capacitance" matrix I + Wᵀ·D⁻¹·W and its Cholesky factor stand in for the full covariance (the Woodbury identity
// for the Mahalanobis distance, the determinant lemma for the log-determinant); rsample loc + W·ε_W + √D·ε_D with both
// ε from normal_() in PyTorch's order (seeded as its draws).
import { noGrad } from '../autograd/grad-mode.js';
import { cholesky } from '../linalg/cholesky.js';
import { solveTriangular } from '../linalg/solve-triangular.js';
import { zeros } from '../tensor/creation.js';
import { eye } from '../tensor/integers.js';
import { broadcastShapes } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { Distribution } from './distribution.js';
import { mahalanobis } from './multivariate-normal.js';
import * as constraints from './constraints.js';

const LOG_2PI = Math.log(2 * Math.PI);

export class LowRankMultivariateNormal extends Distribution {
  override get support(): constraints.Constraint { return constraints.realVector; }
  override get argConstraints(): Record<string, constraints.Constraint> { return { loc: constraints.realVector, covFactor: constraints.independent(constraints.real, 2), covDiag: constraints.independent(constraints.positive, 1) }; }
  override get hasRsample(): boolean { return true; }

  readonly loc: Tensor;
  readonly covFactor: Tensor;
  readonly covDiag: Tensor;
  readonly #w: Tensor;
  readonly #d: Tensor;
  readonly #capacitanceTril: Tensor;

  constructor(loc: Tensor, covFactor: Tensor, covDiag: Tensor, options: { validateArgs?: boolean } = {}) {
    if (!(loc instanceof Tensor) || loc.ndim < 1) throw new RangeError('loc must be at least one-dimensional.');
    const n = loc.shape[loc.ndim - 1]!;
    if (!(covFactor instanceof Tensor) || covFactor.ndim < 2) throw new RangeError('cov_factor must be at least two-dimensional, with optional leading batch dimensions');
    if (covFactor.shape[covFactor.ndim - 2] !== n) throw new RangeError(`cov_factor must be a batch of matrices with shape ${n} x m`);
    if (!(covDiag instanceof Tensor) || covDiag.shape[covDiag.ndim - 1] !== n) throw new RangeError(`cov_diag must be a batch of vectors with shape torch.Size([${n}])`);
    const m = covFactor.shape[covFactor.ndim - 1]!;
    let batch: number[];
    try {
      batch = broadcastShapes(broadcastShapes(loc.shape.slice(0, -1), covFactor.shape.slice(0, -2), 'LowRankMultivariateNormal'), covDiag.shape.slice(0, -1), 'LowRankMultivariateNormal');
    } catch {
      throw new RangeError(`Incompatible batch shapes: loc [${loc.shape.join(', ')}], cov_factor [${covFactor.shape.join(', ')}], cov_diag [${covDiag.shape.join(', ')}]`);
    }
    super(batch, [n], options);
    this.loc = loc.expand([...batch, n]);
    this.covFactor = covFactor.expand([...batch, n, m]);
    this.covDiag = covDiag.expand([...batch, n]);
    this.#w = covFactor;
    this.#d = covDiag;
    if (options.validateArgs !== false) this.checkParam('cov_diag', this.covDiag, (v) => v > 0, 'IndependentConstraint(GreaterThan(lower_bound=0.0), 1)');
    const k = covFactor.mT.div(covDiag.unsqueeze(-2)).matmul(covFactor).add(eye(m));
    this.#capacitanceTril = cholesky(k);
  }

  protected params(): [string, Tensor][] {
    return [['loc', this.loc], ['cov_factor', this.covFactor], ['cov_diag', this.covDiag]];
  }

  override expand(batchShape: readonly number[]): LowRankMultivariateNormal {
    const n = this.eventShape[0]!;
    const m = this.#w.shape[this.#w.ndim - 1]!;
    return this.keepValidation(new LowRankMultivariateNormal(this.loc.expand([...batchShape, n]), this.#w.expand([...batchShape, n, m]), this.#d.expand([...batchShape, n]), { validateArgs: false }));
  }

  override get mean(): Tensor { return this.loc; }
  override get mode(): Tensor { return this.loc; }
  override get variance(): Tensor { return this.#w.pow(2).sum(-1).add(this.#d).expand([...this.batchShape, ...this.eventShape]); }

  get covarianceMatrix(): Tensor {
    const n = this.eventShape[0]!;
    return this.#w.matmul(this.#w.mT).add(this.#d.diagEmbed()).expand([...this.batchShape, n, n]);
  }

  get precisionMatrix(): Tensor {
    const n = this.eventShape[0]!;
    const wtDinv = this.#w.mT.div(this.#d.unsqueeze(-2));
    const a = solveTriangular(this.#capacitanceTril, wtDinv, { upper: false });
    return this.#d.reciprocal().diagEmbed().sub(a.mT.matmul(a)).expand([...this.batchShape, n, n]);
  }

  get scaleTril(): Tensor {
    const n = this.eventShape[0]!;
    const dSqrt = this.#d.sqrt().unsqueeze(-1);
    const w = this.#w.div(dSqrt);
    const k = w.matmul(w.mT).add(eye(n));
    return dSqrt.mul(cholesky(k)).expand([...this.batchShape, n, n]);
  }

  sample(sampleShape: readonly number[] = []): Tensor {
    return noGrad(() => this.rsample(sampleShape));
  }

  override rsample(sampleShape: readonly number[] = []): Tensor {
    const shape = this.extendedShape(sampleShape);
    const m = this.#w.shape[this.#w.ndim - 1]!;
    const epsW = noGrad(() => zeros([...shape.slice(0, -1), m]).normal_());
    const epsD = noGrad(() => zeros(shape).normal_());
    return this.loc.add(this.#w.matmul(epsW.unsqueeze(-1)).squeeze(-1)).add(this.#d.sqrt().mul(epsD));
  }

  private logDet(): Tensor {
    return this.#capacitanceTril.diagonal(0, -2, -1).log().sum(-1).mul(2).add(this.#d.log().sum(-1));
  }

  logProb(value: Tensor): Tensor {
    this.checkValue(value, (v) => !Number.isNaN(v), 'IndependentConstraint(Real(), 1)');
    const diff = value.sub(this.loc);
    const wtDinv = this.#w.mT.div(this.#d.unsqueeze(-2));
    const wtDinvX = wtDinv.matmul(diff.unsqueeze(-1)).squeeze(-1);
    const term1 = diff.pow(2).div(this.#d).sum(-1);
    const m = term1.sub(mahalanobis(this.#capacitanceTril, wtDinvX));
    return this.logDet().add(this.eventShape[0]! * LOG_2PI).add(m).mul(-0.5);
  }

  override entropy(): Tensor {
    const h = this.logDet().add(this.eventShape[0]! * (1 + LOG_2PI)).mul(0.5);
    return this.batchShape.length === 0 ? h : h.expand(this.batchShape);
  }
}
