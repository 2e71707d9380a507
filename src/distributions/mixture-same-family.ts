// MixtureSameFamily(mixture, components), as PyTorch 1.13's: a Categorical choosing among the last batch dimension of
// a component distribution; samples gathered from the components' by the mixture's draws (PyTorch's draw order:
// the mixture first), the log density by logsumexp over components, cdf, mean and variance.
import { noGrad } from '../autograd/grad-mode.js';
import type { Tensor } from '../tensor/tensor.js';
import { Categorical } from './categorical.js';
import { Distribution, type DistributionOptions } from './distribution.js';
import * as constraints from './constraints.js';

const numel = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

export class MixtureSameFamily extends Distribution {
  override get support(): constraints.Constraint { return this.componentDistribution.support; }
  override get argConstraints(): Record<string, constraints.Constraint> { return {}; }
  override get hasRsample(): boolean { return false; }

  readonly #eventNdims: number;

  constructor(readonly mixtureDistribution: Categorical, readonly componentDistribution: Distribution, options: DistributionOptions = {}) {
    if (!(mixtureDistribution instanceof Categorical)) throw new TypeError(' The Mixture distribution needs to be an  instance of torch.distribtutions.Categorical');
    if (!(componentDistribution instanceof Distribution)) throw new TypeError('The Component distribution need to be an instance of torch.distributions.Distribution');
    const mdbs = mixtureDistribution.batchShape;
    const cdbs = componentDistribution.batchShape.slice(0, -1);
    for (let i = 1; i <= Math.min(mdbs.length, cdbs.length); i++) {
      const a = mdbs[mdbs.length - i]!;
      const b = cdbs[cdbs.length - i]!;
      if (a !== 1 && b !== 1 && a !== b) throw new RangeError(`\`mixture_distribution.batch_shape\` (torch.Size([${mdbs.join(', ')}])) is not compatible with \`component_distribution.batch_shape\`(torch.Size([${cdbs.join(', ')}]))`);
    }
    const km = mixtureDistribution.numEvents;
    const kc = componentDistribution.batchShape[componentDistribution.batchShape.length - 1];
    if (km !== kc) throw new RangeError(`\`mixture_distribution component\` (${km}) does not equal \`component_distribution.batch_shape[-1]\` (${kc})`);
    super(cdbs, componentDistribution.eventShape, options);
    this.#eventNdims = componentDistribution.eventShape.length;
  }

  protected params(): [string, Tensor][] {
    return [];
  }

  override toString(): string {
    return `MixtureSameFamily(\n  ${this.mixtureDistribution.toString()},\n  ${this.componentDistribution.toString()})`;
  }

  /** x with a component dimension before its event dimensions. */
  private pad(x: Tensor): Tensor {
    return x.unsqueeze(-1 - this.#eventNdims);
  }

  /** The mixture's probabilities shaped to multiply the components' [..., k, event] values (PyTorch's padding). */
  private padMixture(x: Tensor): Tensor {
    const distNumel = numel(this.batchShape);
    const catNumel = numel(this.mixtureDistribution.batchShape);
    const padNdims = catNumel === 1 ? 0 : distNumel - catNumel;
    const xs = x.shape;
    return x.reshape([...xs.slice(0, -1), ...Array<number>(padNdims).fill(1), xs[xs.length - 1]!, ...Array<number>(this.#eventNdims).fill(1)]);
  }

  override get mean(): Tensor {
    const probs = this.padMixture(this.mixtureDistribution.probs);
    return probs.mul(this.componentDistribution.mean).sum(-1 - this.#eventNdims);
  }

  override get variance(): Tensor {
    const probs = this.padMixture(this.mixtureDistribution.probs);
    const meanCondVar = probs.mul(this.componentDistribution.variance).sum(-1 - this.#eventNdims);
    const varCondMean = probs.mul(this.componentDistribution.mean.sub(this.pad(this.mean)).pow(2)).sum(-1 - this.#eventNdims);
    return meanCondVar.add(varCondMean);
  }

  override cdf(x: Tensor): Tensor {
    this.checkTensor(x, 'cdf');
    return this.componentDistribution.cdf(this.pad(x)).mul(this.mixtureDistribution.probs).sum(-1);
  }

  logProb(x: Tensor): Tensor {
    this.validateSample(x);
    const logProbX = this.componentDistribution.logProb(this.pad(x));
    const logMixProb = this.mixtureDistribution.logits.logSoftmax(-1);
    return logProbX.add(logMixProb).logsumexp(-1);
  }

  sample(sampleShape: readonly number[] = []): Tensor {
    return noGrad(() => {
      const gatherDim = sampleShape.length + this.batchShape.length;
      const es = this.eventShape;
      const mix = this.mixtureDistribution.sample(sampleShape);
      const comp = this.componentDistribution.sample(sampleShape);
      const index = mix.reshape([...mix.shape, ...Array<number>(es.length + 1).fill(1)]).repeat([...mix.shape.map(() => 1), 1, ...es]);
      return comp.gather(gatherDim, index).squeeze(gatherDim);
    });
  }
}
