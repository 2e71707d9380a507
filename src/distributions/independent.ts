// Independent(base, reinterpretedBatchNdims), as PyTorch 1.13's: the rightmost batch dimensions of `base` become
// event dimensions, so logProb and entropy sum over them.
import type { Tensor } from '../tensor/tensor.js';
import { Distribution, sumRightmost, type DistributionOptions } from './distribution.js';
import * as constraints from './constraints.js';

export class Independent extends Distribution {
  override get support(): constraints.Constraint { return this.reinterpretedBatchNdims === 0 ? this.baseDist.support : constraints.independent(this.baseDist.support, this.reinterpretedBatchNdims); }
  override get argConstraints(): Record<string, constraints.Constraint> { return {}; }
  override get hasRsample(): boolean { return this.baseDist.hasRsample; }
  override get hasEnumerateSupport(): boolean { return this.reinterpretedBatchNdims > 0 ? false : this.baseDist.hasEnumerateSupport; }
  /** The base's enumeration, when no batch dimension is reinterpreted (PyTorch refuses the cartesian product). */
  override enumerateSupport(expand = true): Tensor {
    if (this.reinterpretedBatchNdims > 0) throw new Error('Enumeration over cartesian product is not implemented');
    return this.baseDist.enumerateSupport(expand);
  }

  constructor(readonly baseDist: Distribution, readonly reinterpretedBatchNdims: number, options: DistributionOptions = {}) {
    const shape = [...baseDist.batchShape, ...baseDist.eventShape];
    const eventDim = reinterpretedBatchNdims + baseDist.eventShape.length;
    if (!Number.isInteger(reinterpretedBatchNdims) || reinterpretedBatchNdims < 0 || reinterpretedBatchNdims > baseDist.batchShape.length) {
      throw new RangeError(`Expected reinterpreted_batch_ndims <= len(base_distribution.batch_shape), actual ${reinterpretedBatchNdims} vs ${baseDist.batchShape.length}`);
    }
    super(shape.slice(0, shape.length - eventDim), shape.slice(shape.length - eventDim), options);
  }

  override expand(batchShape: readonly number[]): Independent {
    const inner = this.baseDist.batchShape.slice(this.baseDist.batchShape.length - this.reinterpretedBatchNdims);
    return this.keepValidation(new Independent(this.baseDist.expand([...batchShape, ...inner]), this.reinterpretedBatchNdims, { validateArgs: false }));
  }

  protected params(): [string, Tensor][] {
    return [];
  }

  override toString(): string {
    return `Independent(${this.baseDist.toString()}, ${this.reinterpretedBatchNdims})`;
  }

  override get mean(): Tensor { return this.baseDist.mean; }
  override get mode(): Tensor { return this.baseDist.mode; }
  override get variance(): Tensor { return this.baseDist.variance; }

  sample(sampleShape: readonly number[] = []): Tensor {
    return this.baseDist.sample(sampleShape);
  }

  override rsample(sampleShape: readonly number[] = []): Tensor {
    return this.baseDist.rsample(sampleShape);
  }

  logProb(value: Tensor): Tensor {
    return sumRightmost(this.baseDist.logProb(value), this.reinterpretedBatchNdims);
  }

  override entropy(): Tensor {
    return sumRightmost(this.baseDist.entropy(), this.reinterpretedBatchNdims);
  }
}
