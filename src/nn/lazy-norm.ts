/**
 * The lazy batch and instance norms, PyTorch's `nn.LazyBatchNorm1d/2d/3d` and `nn.LazyInstanceNorm1d/2d/3d(eps,
 * momentum, affine, track_running_stats)`: the number of features comes from the first input's dimension 1 (an
 * unbatched input's too, as PyTorch's); the weight (ones), bias (zeros) and running statistics are made then, and the
 * layer becomes the plain norm (see lazy.ts). Nothing is drawn at random.
 */
import { KindlingError } from '../errors.js';
import { allocStorage } from '../kernels/storage.js';
import { isPlainObject } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { BatchNorm1d, BatchNorm2d, BatchNorm3d, type BatchNormOptions } from './batchnorm.js';
import { InstanceNorm1d, InstanceNorm2d, InstanceNorm3d } from './instance-norm.js';
import { lazy, type LazyFamily } from './lazy.js';
import type { NormBase } from './norm-base.js';

/**
 * The lazy instance norms' arguments with PyTorch 1.13's defaults filled in: their `_LazyNormBase` defaults affine
 * and track_running_stats to True, where the plain InstanceNorms default them to False. Anything else (a wrong
 * type, a key given twice) is left for the plain layer to refuse.
 */
function statsOn(args: readonly unknown[]): unknown[] {
  const [first, ...rest] = args;
  if (typeof first === 'number') {
    const out = [first, ...rest];
    while (out.length < 4) out.push(undefined);
    out[2] ??= true;
    out[3] ??= true;
    return out;
  }
  if ((first === undefined || isPlainObject(first)) && rest.every((v) => v === undefined)) {
    const given = Object.fromEntries(Object.entries((first ?? {}) as Record<string, unknown>).filter(([, v]) => v !== undefined));
    return [{ affine: true, trackRunningStats: true, ...given }];
  }
  return [...args];
}

/** The sizing rules of the norms: features from dimension 1; ones, zeros and fresh statistics. */
function norms<L extends NormBase>(statsByDefault = false): LazyFamily<L> {
  return {
    placeholder: (args) => [1, ...(statsByDefault ? statsOn(args) : args)],
    draws: false,
    sizeOf: (layer, input) => {
      if (input.ndim < 2) throw new KindlingError(`${layer.constructor.name}: the input needs a dimension 1 for its features, got shape [${input.shape.join(', ')}]`);
      return input.shape[1]!;
    },
    sizeFromState: (_layer, state, prefix) => {
      const t = ['weight', 'bias', 'running_mean', 'running_var'].map((k) => state[`${prefix}${k}`]).find((v) => v instanceof Tensor && v.ndim === 1);
      return t?.shape[0];
    },
    allocate: (layer, n) => {
      const shape = [n];
      const weight = layer.weight === null ? null : layer.makeParameter('weight', new Tensor(allocStorage(n).fill(1), shape));
      const bias = layer.bias === null ? null : layer.makeParameter('bias', new Tensor(allocStorage(n), shape));
      layer.holdWeightAndBias(weight, bias);
      if (layer.runningMean !== null) layer.registerBuffer('running_mean', new Tensor(new Float32Array(n), shape));
      if (layer.runningVar !== null) layer.registerBuffer('running_var', new Tensor(new Float32Array(n).fill(1), shape));
      (layer as { numFeatures: number }).numFeatures = n;
    },
    reset: (layer) => layer.resetParameters(),
    placeholders: (layer) => [layer.weight, layer.bias, layer.runningMean, layer.runningVar],
  };
}

type NormArguments = [epsOrOptions?: number | BatchNormOptions, momentum?: number | null, affine?: boolean, trackRunningStats?: boolean];

/** PyTorch's `nn.LazyBatchNorm1d(eps=1e-5, momentum=0.1, affine=True, track_running_stats=True)`. */
export class LazyBatchNorm1d extends lazy(BatchNorm1d, norms()) {
  constructor(...args: NormArguments) {
    super(...args);
  }
}

/** PyTorch's `nn.LazyBatchNorm2d(eps=1e-5, momentum=0.1, affine=True, track_running_stats=True)`. */
export class LazyBatchNorm2d extends lazy(BatchNorm2d, norms()) {
  constructor(...args: NormArguments) {
    super(...args);
  }
}

/** PyTorch's `nn.LazyBatchNorm3d(eps=1e-5, momentum=0.1, affine=True, track_running_stats=True)`. */
export class LazyBatchNorm3d extends lazy(BatchNorm3d, norms()) {
  constructor(...args: NormArguments) {
    super(...args);
  }
}

/**
 * PyTorch's `nn.LazyInstanceNorm1d(eps=1e-5, momentum=0.1, affine=True, track_running_stats=True)`: unlike the plain
 * InstanceNorm1d, a weight, a bias and running statistics by default, as PyTorch 1.13's.
 */
export class LazyInstanceNorm1d extends lazy(InstanceNorm1d, norms(true)) {
  constructor(...args: NormArguments) {
    super(...args);
  }
}

/**
 * PyTorch's `nn.LazyInstanceNorm2d(eps=1e-5, momentum=0.1, affine=True, track_running_stats=True)`: unlike the plain
 * InstanceNorm2d, a weight, a bias and running statistics by default, as PyTorch 1.13's.
 */
export class LazyInstanceNorm2d extends lazy(InstanceNorm2d, norms(true)) {
  constructor(...args: NormArguments) {
    super(...args);
  }
}

/**
 * PyTorch's `nn.LazyInstanceNorm3d(eps=1e-5, momentum=0.1, affine=True, track_running_stats=True)`: unlike the plain
 * InstanceNorm3d, a weight, a bias and running statistics by default, as PyTorch 1.13's.
 */
export class LazyInstanceNorm3d extends lazy(InstanceNorm3d, norms(true)) {
  constructor(...args: NormArguments) {
    super(...args);
  }
}
