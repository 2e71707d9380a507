// Independent(base, reinterpretedBatchNdims), as PyTorch 1.13's: the rightmost batch dimensions of `base` become
// event dimensions, so logProb and entropy sum over them.
import type { Tensor } from '../tensor/tensor.js';
import { Distribution, sumRightmost } from './distribution.js';
import * as constraints from './constraints.js';

/** What Independent needs of its base distribution. */
interface Base extends Distribution {
  sample(sampleShape?: readonly number[]): Tensor;
  rsample?(sampleShape?: readonly number[]): Tensor;
  logProb(value: Tensor): Tensor;
  entropy?(): Tensor;
  readonly mean: Tensor;
  readonly variance: Tensor;
}


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

  constructor(readonly baseDist: Base, readonly reinterpretedBatchNdims: number) {
    const shape = [...baseDist.batchShape, ...baseDist.eventShape];
    const eventDim = reinterpretedBatchNdims + baseDist.eventShape.length;
    if (!Number.isInteger(reinterpretedBatchNdims) || reinterpretedBatchNdims < 0 || reinterpretedBatchNdims > baseDist.batchShape.length) {
      throw new RangeError(`Expected reinterpreted_batch_ndims <= len(base_distribution.batch_shape), actual ${reinterpretedBatchNdims} vs ${baseDist.batchShape.length}`);
    }
    super(shape.slice(0, shape.length - eventDim), shape.slice(shape.length - eventDim));
  }

  override expand(batchShape: readonly number[]): Independent {
    const inner = this.baseDist.batchShape.slice(this.baseDist.batchShape.length - this.reinterpretedBatchNdims);
    return new Independent(this.baseDist.expand([...batchShape, ...inner]) as Base, this.reinterpretedBatchNdims);
  }

  protected params(): [string, Tensor][] {
    return [];
  }

  override toString(): string {
    return `Independent(${this.baseDist.toString()}, ${this.reinterpretedBatchNdims})`;
  }

  get mean(): Tensor { return this.baseDist.mean; }
  get variance(): Tensor { return this.baseDist.variance; }

  sample(sampleShape: readonly number[] = []): Tensor {
    return this.baseDist.sample(sampleShape);
  }

  rsample(sampleShape: readonly number[] = []): Tensor {
    if (this.baseDist.rsample === undefined) throw new Error(`${this.baseDist.constructor.name} has no rsample, so neither has Independent over it`);
    return this.baseDist.rsample(sampleShape);
  }

  logProb(value: Tensor): Tensor {
    return sumRightmost(this.baseDist.logProb(value), this.reinterpretedBatchNdims);
  }

  entropy(): Tensor {
    if (this.baseDist.entropy === undefined) throw new Error(`${this.baseDist.constructor.name} has no entropy`);
    return sumRightmost(this.baseDist.entropy(), this.reinterpretedBatchNdims);
  }
}
