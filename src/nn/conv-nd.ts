import { sizeText } from '../ops/conv-volume.js';
import { getDefaultGenerator, type Generator } from '../random.js';
import { Tensor } from '../tensor/tensor.js';
import type { PaddingMode } from './conv-padding-mode.js';
import { calculateFanInAndFanOut, resetWeightAndBias } from './init-core.js';
import { WeightAndBias } from './weight-and-bias.js';
import { parameterStorage } from './parameter-storage.js';

/**
 * A convolution's default initialisation, PyTorch 1.13's `_ConvNd.reset_parameters`: the weight as Linear's, then the
 * bias only when fan_in is not 0 — an empty weight (`Conv2d(0, 4, 3)`) leaves the bias as it is (PyTorch's
 * uninitialised memory, zeros here) and draws nothing, so the generator is left where PyTorch leaves it.
 */
export function resetConvolution(weight: Tensor, bias: Tensor | null, generator: Generator, where: string): void {
  resetWeightAndBias(weight, calculateFanInAndFanOut(weight, where)[0] === 0 ? null : bias, generator, where);
}

/** A convolution layer's geometry, resolved: one size per spatial dimension. */
export interface ConvGeometry<S extends readonly number[]> {
  readonly kernelSize: S;
  readonly stride: S;
  readonly padding: S | 'valid' | 'same';
  readonly dilation: S;
  readonly groups: number;
  /** How the padding is filled: zeros, or the input's reflection, edge or other side (conv-padding-mode.ts). */
  readonly paddingMode: PaddingMode;
}

/**
 * What `Conv2d` and `Conv3d` share (PyTorch's `_ConvNd`): the channel counts and geometry, the weight
 * [outChannels, inChannels / groups, …kernel] and bias [outChannels] drawn as PyTorch draws them, and the printing.
 */
export abstract class ConvNd<S extends readonly number[]> extends WeightAndBias<Tensor> {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: S;
  readonly stride: S;
  readonly padding: S | 'valid' | 'same';
  readonly dilation: S;
  readonly groups: number;
  readonly paddingMode: PaddingMode;

  protected constructor(where: string, inChannels: number, outChannels: number, g: ConvGeometry<S>, bias: boolean, generator: Generator | undefined) {
    super(false);
    if (inChannels % g.groups !== 0) throw new RangeError(`${where}: inChannels (${inChannels}) must be divisible by groups (${g.groups})`);
    if (outChannels % g.groups !== 0) throw new RangeError(`${where}: outChannels (${outChannels}) must be divisible by groups (${g.groups})`);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = g.kernelSize;
    this.stride = g.stride;
    this.padding = g.padding;
    this.dilation = g.dilation;
    this.groups = g.groups;
    this.paddingMode = g.paddingMode;
    const shape = [outChannels, inChannels / g.groups, ...g.kernelSize];
    this.holdWeightAndBias(
      this.makeParameter('weight', new Tensor(parameterStorage(where, 'weight', shape), shape)),
      bias ? this.makeParameter('bias', new Tensor(parameterStorage(where, 'bias', [outChannels]), [outChannels])) : null,
    );
    this.resetParameters(generator);
  }

  /**
   * PyTorch's default initialisation, drawn in PyTorch's order from the generator: kaiming_uniform_(a=√5) for the
   * weight (= U(−1/√fanIn, 1/√fanIn)), then U(−1/√fanIn, 1/√fanIn) for the bias.
   */
  resetParameters(generator: Generator = getDefaultGenerator()): void {
    resetConvolution(this.weight, this.bias, generator, `${this.constructor.name}.resetParameters`);
  }

  protected override extraRepr(): string {
    const off = (s: readonly number[], v: number): boolean => s.some((x) => x !== v);
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${sizeText(this.kernelSize)}, stride=${sizeText(this.stride)}`;
    const pad = this.padding;
    if (typeof pad === 'string') s += `, padding=${pad}`;
    else if (off(pad, 0)) s += `, padding=${sizeText(pad)}`;
    if (off(this.dilation, 1)) s += `, dilation=${sizeText(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=False';
    if (this.paddingMode !== 'zeros') s += `, padding_mode=${this.paddingMode}`;
    return s;
  }
}
