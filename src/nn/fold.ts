// nn.Unfold and nn.Fold, PyTorch 1.13's modules over F.unfold and F.fold (src/ops/fold.ts), printed as PyTorch
// prints the sizes they were given.
import { checkArgumentCount, checkOptions } from '../options.js';
import { fold, unfold, type FoldOptions } from '../ops/fold.js';
import type { IntPair } from '../ops/window.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/** A size as PyTorch prints what it was given: 2, or (2, 3). */
const given = (v: IntPair): string => (typeof v === 'number' ? String(v) : `(${v.join(', ')})`);

/** A size kept as given (an array copied, so that changing the caller's leaves the layer as it was). */
const copy = (v: IntPair): IntPair => (Array.isArray(v) ? (Object.freeze([...v]) as unknown as IntPair) : v);

/** The options checked for names (PyTorch's snake_case ones refused with the camelCase spelling), sizes copied. */
function frozen(where: string, options: FoldOptions): Readonly<FoldOptions> {
  const o = checkOptions(where, options, ['dilation', 'padding', 'stride']);
  return Object.freeze(Object.fromEntries(Object.entries(o).map(([k, v]) => [k, copy(v as IntPair)])) as FoldOptions);
}

function repr(o: FoldOptions, k: IntPair): string {
  return `kernel_size=${given(k)}, dilation=${given(o.dilation ?? 1)}, padding=${given(o.padding ?? 0)}, stride=${given(o.stride ?? 1)}`;
}

/**
 * The sliding blocks of an image as columns, PyTorch's `nn.Unfold(kernel_size, dilation=1, padding=0, stride=1)`:
 * [N, C, H, W] → [N, C·kh·kw, L].
 *
 * @example
 * new nn.Unfold(3, { padding: 1 });
 */
export class Unfold extends Module {
  readonly options: Readonly<FoldOptions>;
  readonly kernelSize: IntPair;
  constructor(kernelSize: IntPair, options: FoldOptions = {}) {
    super();
    checkArgumentCount('Unfold', arguments, 2, 'new Unfold(3, { padding: 1 })');
    this.kernelSize = copy(kernelSize);
    this.options = frozen('Unfold', options);
  }

  forward(input: Tensor): Tensor {
    return unfold(input, this.kernelSize, this.options);
  }

  protected override extraRepr(): string {
    return repr(this.options, this.kernelSize);
  }
}

/**
 * Columns of sliding blocks summed back into images, PyTorch's `nn.Fold(output_size, kernel_size, dilation=1,
 * padding=0, stride=1)`: [N, C·kh·kw, L] → [N, C, H, W].
 *
 * @example
 * new nn.Fold([28, 28], 2, { stride: 2 });
 */
export class Fold extends Module {
  readonly options: Readonly<FoldOptions>;
  readonly outputSize: IntPair;
  readonly kernelSize: IntPair;
  constructor(outputSize: IntPair, kernelSize: IntPair, options: FoldOptions = {}) {
    super();
    checkArgumentCount('Fold', arguments, 3, 'new Fold([28, 28], 2, { stride: 2 })');
    this.outputSize = copy(outputSize);
    this.kernelSize = copy(kernelSize);
    this.options = frozen('Fold', options);
  }

  forward(input: Tensor): Tensor {
    return fold(input, this.outputSize, this.kernelSize, this.options);
  }

  protected override extraRepr(): string {
    return `output_size=${given(this.outputSize)}, ${repr(this.options, this.kernelSize)}`;
  }
}
