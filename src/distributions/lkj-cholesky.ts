// LKJCholesky(dim, concentration), as PyTorch 1.13's: the distribution of lower Cholesky factors L of correlation
// matrices with density ∝ det(L·Lᵀ)^(η − 1). Samples by PyTorch's onion method — Beta draws for the squared row
// norms, then torch.randn directions (in that order, so seeded samples are PyTorch's) — and the log density of
// Lewandowski, Kurowicka and Joe (2009) in PyTorch's formula, with its gradient wrt the concentration.
import { noGrad } from '../autograd/grad-mode.js';
import { arange, randn, tensor } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { describeValue } from '../options.js';
import { Beta } from './dirichlet.js';
import { asTensor, Distribution, type Param } from './distribution.js';
import { corrCholeskyCheck } from './matrix-constraints.js';
import * as constraints from './constraints.js';

const TINY = 1.1754943508222875e-38;

export class LKJCholesky extends Distribution {
  override get support(): constraints.Constraint { return constraints.corrCholesky; }
  override get argConstraints(): Record<string, constraints.Constraint> { return { concentration: constraints.positive }; }
  override get hasRsample(): boolean { return false; }

  readonly dim: number;
  readonly concentration: Tensor;
  /** Beta(offset + ½, η + ½(dim − 2) − ½·offset) over the rows, offset = [0, 0, 1, …, dim − 2] (PyTorch's _beta). */
  readonly #beta: Beta;

  /**
   * `dim` ≥ 2 the order of the matrices, `concentration` η > 0 (a number or a tensor: its shape is the batch shape);
   * η = 1 is uniform over correlation matrices, η > 1 favours the identity, η < 1 strong correlations.
   */
  constructor(dim: number, concentration: Param = 1, options: { validateArgs?: boolean } = {}) {
    if (typeof dim !== 'number' || !Number.isInteger(dim)) throw new TypeError(`LKJCholesky: dim must be a whole number, got ${describeValue(dim)}`);
    if (dim < 2) throw new RangeError(`Expected dim to be an integer greater than or equal to 2. Found dim=${dim}.`);
    const c = asTensor(concentration);
    const marginal = c.add(0.5 * (dim - 2));
    const offset = tensor(Array.from({ length: dim }, (_, i) => Math.max(i - 1, 0)));
    // Built (and so validated) whatever validateArgs says, as PyTorch's: η ≤ 0 is refused here, by the Dirichlet.
    const beta = new Beta(offset.add(0.5), marginal.unsqueeze(-1).sub(offset.mul(0.5)));
    super([...c.shape], [dim, dim], options);
    this.dim = dim;
    this.concentration = c;
    this.#beta = beta;
    if (this.validateArgs) this.checkParam('concentration', c, (v) => v > 0, 'GreaterThan(lower_bound=0.0)');
  }

  /** The same distribution over batch shape `batchShape`, the concentration expanded (PyTorch's expand). */
  override expand(batchShape: readonly number[]): LKJCholesky {
    const d = new LKJCholesky(this.dim, this.concentration.expand([...batchShape]), { validateArgs: false });
    return this.keepValidation(d);
  }

  protected params(): [string, Tensor][] {
    return [['concentration', this.concentration]];
  }

  /**
   * Samples by the onion method as PyTorch vectorises it: y ~ Beta per row, directions u = tril(ε, −1)/‖·‖ with
   * ε ~ randn (the first row 0), w = √y·u, and the diagonal √max(1 − Σ w², tiny).
   */
  sample(sampleShape: readonly number[] = []): Tensor {
    return noGrad(() => {
      const y = this.#beta.sample(sampleShape).unsqueeze(-1);
      const normal = randn(this.extendedShape(sampleShape)).tril(-1);
      const firstRow = tensor([1, ...new Array<number>(this.dim - 1).fill(0)]).unsqueeze(-1);
      const sphere = normal.div(normal.norm(2, -1, true)).maskedFill(firstRow, 0);
      const w = y.sqrt().mul(sphere);
      const diagonal = w.pow(2).sum(-1).neg().add(1).clamp(TINY).sqrt();
      return w.add(diagonal.diagEmbed());
    });
  }

  /**
   * log p(L) = Σᵢ₌₂ᵈ (2(η − 1) + d − i)·log Lᵢᵢ − log c(η), c(η) the normaliser from mvlgamma and lgamma of
   * α = η + (d − 1)/2, as PyTorch's log_prob (values checked to be Cholesky factors of correlation matrices).
   */
  logProb(value: Tensor): Tensor {
    this.checkValueMask(value, (t) => corrCholeskyCheck(t).every((ok) => ok), 'CorrCholesky()');
    const d = this.dim;
    const diagonal = value.diagonal(0, -2, -1).narrow(-1, 1, d - 1);
    const order = this.concentration.sub(1).unsqueeze(-1).mul(2).add(d).sub(arange(2, d + 1));
    const unnormalized = order.mul(diagonal.log()).sum(-1);
    const dm1 = d - 1;
    const alpha = this.concentration.add(0.5 * dm1);
    const denominator = alpha.lgamma().mul(dm1);
    const numerator = alpha.sub(0.5).mvlgamma(dm1);
    const normalizer = numerator.add(0.5 * dm1 * Math.log(Math.PI)).sub(denominator);
    return unnormalized.sub(normalizer);
  }
}
