// Wishart(df, { covarianceMatrix | precisionMatrix | scaleTril }), as PyTorch 1.13's: everything from the lower
// Cholesky factor L of the scale matrix Σ (from a precision matrix by PyTorch's flip–Cholesky–flip), rsample by the
// Bartlett decomposition with PyTorch's retry loop (bartlett.ts; gradients reach ν through Chi2's rsample and L),
// the log density, entropy, mean, mode and variance in PyTorch's formulas, and the three matrices.
import { noGrad } from '../autograd/grad-mode.js';
import { cholesky } from '../linalg/cholesky.js';
import { checkOptions } from '../options.js';
import { arange } from '../tensor/creation.js';
import { eye } from '../tensor/integers.js';
import { broadcastShapes } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { bartlettSample, wishartSample } from './bartlett.js';
import { asTensor, Distribution, type Param } from './distribution.js';
import { Chi2 } from './gamma.js';
import { lowerCholeskyCheck, positiveDefiniteCheck } from './matrix-constraints.js';
import { precisionToScaleTril } from './multivariate-normal.js';
import * as constraints from './constraints.js';
import { warnOnce } from '../warn.js';

export interface WishartOptions {
  covarianceMatrix?: Tensor;
  precisionMatrix?: Tensor;
  scaleTril?: Tensor;
  validateArgs?: boolean;
}

type Given = 'covarianceMatrix' | 'precisionMatrix' | 'scaleTril';
const PY_NAME = { covarianceMatrix: 'covariance_matrix', precisionMatrix: 'precision_matrix', scaleTril: 'scale_tril' } as const;
const LOG_2 = Math.log(2);

/** A Python-style repr of a number: 1.0, 2.5. */
const pyNumber = (v: number): string => (Number.isInteger(v) ? v.toFixed(1) : String(v));

/** The multivariate digamma Σᵢ ψ(x − i/2), i < p (PyTorch's _mvdigamma). */
function mvdigamma(x: Tensor, p: number): Tensor {
  return x.unsqueeze(-1).sub(arange(p).div(2)).digamma().sum(-1);
}

export class Wishart extends Distribution {
  override get support(): constraints.Constraint { return constraints.positiveDefinite; }
  override get hasRsample(): boolean { return true; }
  /** PyTorch sets df's constraint to GreaterThan(lower_bound=p - 1), p an int, when it builds a Wishart. */
  override get argConstraints(): Record<string, constraints.Constraint> {
    return {
      covarianceMatrix: constraints.positiveDefinite, precisionMatrix: constraints.positiveDefinite, scaleTril: constraints.lowerCholesky,
      df: constraints.greaterThan(this.p - 1).renamed(`GreaterThan(lower_bound=${this.p - 1})`),
    };
  }

  readonly df: Tensor;
  #tril: Tensor;
  #given: Given;
  /** The matrix given, expanded to the batch shape. */
  #matrix: Tensor;
  readonly #chi2: Chi2;

  /**
   * `df` ν > p − 1 (a number or a tensor, broadcast with the matrix's batch) and exactly one of the p × p scale
   * matrix Σ (`covarianceMatrix`), its inverse (`precisionMatrix`) or its lower Cholesky factor (`scaleTril`).
   */
  constructor(df: Param, options: WishartOptions) {
    const o = checkOptions<WishartOptions>('Wishart', options, ['covarianceMatrix', 'precisionMatrix', 'scaleTril', 'validateArgs']);
    const given = (['covarianceMatrix', 'precisionMatrix', 'scaleTril'] as const).filter((k) => o[k] !== undefined);
    if (given.length !== 1) throw new RangeError('Exactly one of covariance_matrix or precision_matrix or scale_tril may be specified. (Kindling\'s options: covarianceMatrix, precisionMatrix, scaleTril)');
    const key = given[0]!;
    const matrix = o[key]!;
    if (!(matrix instanceof Tensor) || matrix.ndim < 2) throw new RangeError('scale_tril must be at least two-dimensional, with optional leading batch dimensions');
    const p = matrix.shape[matrix.ndim - 1]!;
    const batch = df instanceof Tensor ? broadcastShapes(matrix.shape.slice(0, -2), df.shape, 'Wishart') : matrix.shape.slice(0, -2);
    const dfT = df instanceof Tensor ? df.expand(batch) : asTensor(df);
    const dfValues = dfT.values();
    if (dfValues.some((v) => v <= p - 1)) {
      throw new RangeError(`Value of df=${df instanceof Tensor ? String(df) : pyNumber(df)} expected to be greater than ndim - 1 = ${p - 1}.`);
    }
    if (dfValues.some((v) => v < p)) warnOnce('Low df values detected. Singular samples are highly likely to occur for ndim - 1 < df < ndim.');
    super(batch, [p, p], o);
    this.df = dfT;
    this.#given = key;
    this.#matrix = matrix.expand([...batch, p, p]);
    if (this.validateArgs) {
      const ok = key === 'scaleTril' ? lowerCholeskyCheck(this.#matrix) : noGrad(() => positiveDefiniteCheck(this.#matrix));
      this.checkParamWhole(PY_NAME[key], this.#matrix, ok.every((x) => x), key === 'scaleTril' ? 'LowerCholesky()' : 'PositiveDefinite()');
      this.checkParam('df', this.df, (v) => v > p - 1, `GreaterThan(lower_bound=${p - 1})`);
    }
    this.#tril = key === 'scaleTril' ? matrix : key === 'covarianceMatrix' ? cholesky(matrix) : precisionToScaleTril(matrix);
    this.#chi2 = new Chi2(this.df.unsqueeze(-1).sub(arange(p).expand([...batch, p])));
  }

  /** The same distribution over batch shape `batchShape`, its parameters and L expanded (PyTorch's expand). */
  override expand(batchShape: readonly number[]): Wishart {
    const full = [...batchShape, ...this.eventShape];
    const d = new Wishart(this.df.expand([...batchShape]), { scaleTril: this.#tril.expand(full), validateArgs: false });
    d.#given = this.#given;
    d.#matrix = this.#matrix.expand(full);
    return this.keepValidation(d);
  }

  protected params(): [string, Tensor][] {
    return [[PY_NAME[this.#given], this.#matrix], ['df', this.df]];
  }

  private get p(): number { return this.eventShape[0]!; }
  private get full(): number[] { return [...this.batchShape, ...this.eventShape]; }
  /** ν shaped to multiply a batch of matrices. */
  private get dfMatrix(): Tensor { return this.df.reshape([...this.batchShape, 1, 1]); }

  /** L, the lower Cholesky factor of Σ (the matrix given, when it was scaleTril). */
  get scaleTril(): Tensor { return this.#given === 'scaleTril' ? this.#matrix : this.#tril.expand(this.full); }
  /** Σ = L·Lᵀ (the matrix given, when it was covarianceMatrix). */
  get covarianceMatrix(): Tensor {
    return this.#given === 'covarianceMatrix' ? this.#matrix : this.#tril.matmul(this.#tril.mT).expand(this.full);
  }
  /** Σ⁻¹, by cholesky_solve of the identity (the matrix given, when it was precisionMatrix). */
  get precisionMatrix(): Tensor {
    return this.#given === 'precisionMatrix' ? this.#matrix : eye(this.p).choleskySolve(this.#tril).expand(this.full);
  }
  override get mean(): Tensor { return this.dfMatrix.mul(this.covarianceMatrix); }
  /** (ν − p − 1)·Σ, NaN where ν ≤ p + 1 (PyTorch's mode). */
  override get mode(): Tensor {
    const factor = this.df.sub(this.p).sub(1);
    return factor.maskedFill(factor.le(0), NaN).reshape([...this.batchShape, 1, 1]).mul(this.covarianceMatrix);
  }
  /** ν·(Σᵢⱼ² + Σᵢᵢ·Σⱼⱼ). */
  override get variance(): Tensor {
    const v = this.covarianceMatrix;
    const d = v.diagonal(0, -2, -1);
    return this.dfMatrix.mul(v.pow(2).add(d.unsqueeze(-1).mul(d.unsqueeze(-2))));
  }

  sample(sampleShape: readonly number[] = []): Tensor {
    return noGrad(() => this.rsample(sampleShape));
  }

  /**
   * A reparameterised sample by the Bartlett decomposition, with PyTorch 1.13's retry loop (`maxTryCorrection`
   * rounds, 10 as PyTorch's default; see bartlett.ts for what it redraws). Gradients reach ν and the matrix.
   */
  override rsample(sampleShape: readonly number[] = [], maxTryCorrection = 10): Tensor {
    const parts = { tril: this.#tril, chi2: this.#chi2, batchShape: this.batchShape };
    return wishartSample(parts, sampleShape, maxTryCorrection, () => warnOnce('Singular sample detected.'));
  }

  /** One Bartlett sample, without PyTorch's retries (its _bartlett_sampling). */
  bartlettSample(sampleShape: readonly number[] = []): Tensor {
    return bartlettSample({ tril: this.#tril, chi2: this.#chi2, batchShape: this.batchShape }, sampleShape);
  }

  /** The half log-determinant of Σ plus p·log(2)/2, shared by logProb and entropy. */
  private logScale(): Tensor {
    return this.#tril.diagonal(0, -2, -1).log().sum(-1).add((this.p * LOG_2) / 2);
  }

  logProb(value: Tensor): Tensor {
    this.checkValueMask(value, (t) => positiveDefiniteCheck(t).every((ok) => ok), 'PositiveDefinite()');
    const nu = this.df;
    const p = this.p;
    const [, logAbsDet] = value.slogdet();
    const trace = value.choleskySolve(this.#tril).diagonal(0, -2, -1).sum(-1);
    return nu.neg().mul(this.logScale())
      .sub(nu.div(2).mvlgamma(p))
      .add(nu.sub(p).sub(1).div(2).mul(logAbsDet))
      .sub(trace.div(2));
  }

  override entropy(): Tensor {
    const nu = this.df;
    const p = this.p;
    return this.logScale().mul(p + 1)
      .add(nu.div(2).mvlgamma(p))
      .sub(nu.sub(p).sub(1).div(2).mul(mvdigamma(nu.div(2), p)))
      .add(nu.mul(p).div(2));
  }
}
