/**
 * The lazy batch and instance norms, PyTorch's `nn.LazyBatchNorm1d/2d/3d` and `nn.LazyInstanceNorm1d/2d/3d(eps,
 * momentum, affine, track_running_stats)`: the number of features comes from the first input's dimension 1 (an
 * unbatched input's too, as PyTorch's); the weight (ones), bias (zeros) and running statistics are
 * made then, and the layer becomes the plain BatchNorm (see lazy.ts). Nothing is drawn at random.
 */
import { KindlingError } from '../errors.js';
import { allocStorage } from '../kernels/storage.js';
import { describeValue } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { BatchNorm1d, BatchNorm2d, BatchNorm3d, type BatchNormOptions } from './batchnorm.js';
import { InstanceNorm1d, InstanceNorm2d, InstanceNorm3d } from './instance-norm.js';
import type { NormBase } from './norm-base.js';
import { become, type Lazy } from './lazy.js';
import { MATERIALIZE, markUninitialized } from './uninitialized.js';

type NormClass = abstract new (...args: never[]) => NormBase;

function lazyNorm<B extends NormClass>(Base: B): abstract new (...args: unknown[]) => InstanceType<B> & Lazy {
  abstract class LazyNorm extends (Base as unknown as new (...args: unknown[]) => NormBase) implements Lazy {
    #pending = true;

    constructor(...rest: unknown[]) {
      super(1, ...rest);
      this.#allocate(0);
      markUninitialized(this.weight, this.bias, this.runningMean, this.runningVar);
    }

    hasUninitializedParams(): boolean {
      return this.#pending;
    }

    /** Sizes the layer from the input's dimension 1 and makes its parameters and statistics (PyTorch's `initialize_parameters`). */
    initializeParameters(input: Tensor): void {
      if (!this.#pending) return;
      if (!(input instanceof Tensor)) throw new TypeError(`${this.constructor.name}: input must be a Tensor, got ${describeValue(input)}`);
      if (input.ndim < 2) throw new KindlingError(`${this.constructor.name}: the input needs a dimension 1 for its features, got shape [${input.shape.join(', ')}]`);
      this.#allocate(input.shape[1]!);
      this.resetParameters();
      this.#pending = false;
    }

    [MATERIALIZE](state: Readonly<Record<string, Tensor>>, prefix: string): void {
      if (!this.#pending) return;
      const t = ['weight', 'bias', 'running_mean', 'running_var'].map((k) => state[`${prefix}${k}`]).find((v) => v instanceof Tensor && v.ndim === 1);
      if (t === undefined) return;
      this.#allocate(t.shape[0]!);
      this.resetParameters();
      this.#pending = false;
    }

    override forward(input: Tensor): Tensor {
      this.initializeParameters(input);
      become(this, Base);
      return this.forward(input);
    }

    /** Weight, bias and running statistics of `n` features, in their places. */
    #allocate(n: number): void {
      const self = this as unknown as {
        registerParameter(k: string, t: Tensor): Tensor; holdWeightAndBias(w: Tensor | null, b: Tensor | null): void; numFeatures: number;
      };
      const shape = [n];
      const weight = this.weight === null ? null : self.registerParameter('weight', new Tensor(allocStorage(n).fill(1), shape));
      const bias = this.bias === null ? null : self.registerParameter('bias', new Tensor(allocStorage(n), shape));
      self.holdWeightAndBias(weight, bias);
      if (this.runningMean !== null) this.registerBuffer('running_mean', new Tensor(new Float32Array(n), shape));
      if (this.runningVar !== null) this.registerBuffer('running_var', new Tensor(new Float32Array(n).fill(1), shape));
      self.numFeatures = n;
    }
  }
  return LazyNorm as unknown as abstract new (...args: unknown[]) => InstanceType<B> & Lazy;
}

type NormArguments = [epsOrOptions?: number | BatchNormOptions, momentum?: number | null, affine?: boolean, trackRunningStats?: boolean];

/** PyTorch's `nn.LazyBatchNorm1d(eps=1e-5, momentum=0.1, affine=True, track_running_stats=True)`. */
export class LazyBatchNorm1d extends lazyNorm(BatchNorm1d) {
  constructor(...args: NormArguments) {
    super(...args);
  }
}

/** PyTorch's `nn.LazyBatchNorm2d(eps=1e-5, momentum=0.1, affine=True, track_running_stats=True)`. */
export class LazyBatchNorm2d extends lazyNorm(BatchNorm2d) {
  constructor(...args: NormArguments) {
    super(...args);
  }
}

/** PyTorch's `nn.LazyBatchNorm3d(eps=1e-5, momentum=0.1, affine=True, track_running_stats=True)`. */
export class LazyBatchNorm3d extends lazyNorm(BatchNorm3d) {
  constructor(...args: NormArguments) {
    super(...args);
  }
}

/** PyTorch's `nn.LazyInstanceNorm1d(eps=1e-5, momentum=0.1, affine=False, track_running_stats=False)`. */
export class LazyInstanceNorm1d extends lazyNorm(InstanceNorm1d) {
  constructor(...args: NormArguments) {
    super(...args);
  }
}

/** PyTorch's `nn.LazyInstanceNorm2d(eps=1e-5, momentum=0.1, affine=False, track_running_stats=False)`. */
export class LazyInstanceNorm2d extends lazyNorm(InstanceNorm2d) {
  constructor(...args: NormArguments) {
    super(...args);
  }
}

/** PyTorch's `nn.LazyInstanceNorm3d(eps=1e-5, momentum=0.1, affine=False, track_running_stats=False)`. */
export class LazyInstanceNorm3d extends lazyNorm(InstanceNorm3d) {
  constructor(...args: NormArguments) {
    super(...args);
  }
}
