// nn.MaxPool3d, nn.AvgPool3d, nn.AdaptiveAvgPool3d and nn.AdaptiveMaxPool3d, as PyTorch 1.13's modules over
// src/ops/pool3d.ts, printed as PyTorch prints them.
import type { Tensor } from '../tensor/tensor.js';
import { adaptiveAvgPool3d, adaptiveMaxPool3d, avgPool3d, maxPool3d, type AdaptiveSize, type AvgPool3dOptions, type MaxPool3dOptions, type Triple } from '../ops/pool3d.js';
import { Module } from './module.js';
import { adaptivePoolArguments, AVG_POOL_POSITIONAL, MAX_POOL_POSITIONAL, poolLayerArguments, type AdaptiveMaxPoolOptions, type AvgPoolRest, type MaxPoolRest } from './pool-arguments.js';

const frozen = (v: AdaptiveSize): AdaptiveSize => (Array.isArray(v) ? Object.freeze([...v]) as unknown as AdaptiveSize : v);

/** PyTorch's repr of a size: 2, or (2, 3, 4), None for a kept dimension. */
const py = (v: Triple | AdaptiveSize): string => (typeof v === 'number' ? String(v) : v === null ? 'None' : `(${v.map((x) => (x === null ? 'None' : String(x))).join(', ')})`);

export class MaxPool3d extends Module {
  readonly options: MaxPool3dOptions;
  constructor(readonly kernelSize: Triple, ..._rest: MaxPoolRest<Triple, MaxPool3dOptions>) {
    super();
    this.options = poolLayerArguments<MaxPool3dOptions>('MaxPool3d', MAX_POOL_POSITIONAL, arguments, 'new MaxPool3d(3, 2, 1, 1, false, false)');
  }
  forward(input: Tensor): Tensor {
    return maxPool3d(input, this.kernelSize, this.options) as Tensor;
  }
  /** `[values, indices]`, as `forward` gives with PyTorch's return_indices=True. */
  forwardWithIndices(input: Tensor): [Tensor, Tensor] {
    return maxPool3d(input, this.kernelSize, { ...this.options, returnIndices: true }) as [Tensor, Tensor];
  }
  protected override extraRepr(): string {
    const o = this.options;
    return `kernel_size=${py(this.kernelSize)}, stride=${py(o.stride ?? this.kernelSize)}, padding=${py(o.padding ?? 0)}, dilation=${py(o.dilation ?? 1)}, ceil_mode=${o.ceilMode === true ? 'True' : 'False'}`;
  }
}

export class AvgPool3d extends Module {
  readonly options: AvgPool3dOptions;
  constructor(readonly kernelSize: Triple, ..._rest: AvgPoolRest<Triple, AvgPool3dOptions>) {
    super();
    this.options = poolLayerArguments<AvgPool3dOptions>('AvgPool3d', AVG_POOL_POSITIONAL, arguments, 'new AvgPool3d(3, 2, 1, false, true, null)');
  }
  forward(input: Tensor): Tensor {
    return avgPool3d(input, this.kernelSize, this.options);
  }
  protected override extraRepr(): string {
    return `kernel_size=${py(this.kernelSize)}, stride=${py(this.options.stride ?? this.kernelSize)}, padding=${py(this.options.padding ?? 0)}`;
  }
}

export class AdaptiveAvgPool3d extends Module {
  readonly outputSize: AdaptiveSize;
  constructor(_outputSize: AdaptiveSize | { outputSize: AdaptiveSize }) {
    super();
    this.outputSize = frozen(adaptivePoolArguments('AdaptiveAvgPool3d', arguments, false, 'new AdaptiveAvgPool3d([2, 4, 4])').outputSize as AdaptiveSize);
  }
  forward(input: Tensor): Tensor {
    return adaptiveAvgPool3d(input, this.outputSize);
  }
  protected override extraRepr(): string {
    return `output_size=${py(this.outputSize)}`;
  }
}

/**
 * 3-D adaptive max pooling, PyTorch's `nn.AdaptiveMaxPool3d(output_size, return_indices=False)`; with
 * `returnIndices` the forward pass returns `[values, indices]` (typed as the values: read it with
 * `forwardWithIndices`).
 */
export class AdaptiveMaxPool3d extends Module {
  readonly outputSize: AdaptiveSize;
  readonly returnIndices: boolean;
  constructor(_outputSize: AdaptiveSize | AdaptiveMaxPoolOptions<AdaptiveSize>, _returnIndices?: boolean | Omit<AdaptiveMaxPoolOptions<AdaptiveSize>, 'outputSize'>) {
    super();
    const o = adaptivePoolArguments('AdaptiveMaxPool3d', arguments, true, 'new AdaptiveMaxPool3d([2, 4, 4], { returnIndices })');
    this.outputSize = frozen(o.outputSize as AdaptiveSize);
    this.returnIndices = o.returnIndices;
  }
  forward(input: Tensor): Tensor {
    return adaptiveMaxPool3d(input, this.outputSize, this.returnIndices) as Tensor;
  }
  /** `[values, indices]`, as `forward` gives with PyTorch's return_indices=True. */
  forwardWithIndices(input: Tensor): [Tensor, Tensor] {
    return adaptiveMaxPool3d(input, this.outputSize, true) as [Tensor, Tensor];
  }
  protected override extraRepr(): string {
    return `output_size=${py(this.outputSize)}`;
  }
}
