// nn.Unfold and nn.Fold, PyTorch 1.13's modules over F.unfold and F.fold (src/ops/fold.ts), printed as PyTorch
// prints the sizes they were given.
import { layerArguments } from '../options.js';
import { fold, unfold, type FoldOptions } from '../ops/fold.js';
import { pair, type IntPair } from '../ops/window.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/** A size as PyTorch prints what it was given: 2, or (2, 3). */
const given = (v: IntPair): string => (typeof v === 'number' ? String(v) : `(${v.join(', ')})`);

/** Any integer: the ranges are F.unfold's and F.fold's to check, at the first call, as PyTorch's. */
const ANY = Number.MIN_SAFE_INTEGER;

/**
 * The arguments by position or by name (an options object last, as PyTorch's keywords: `new Unfold(3, { padding: 1 })`,
 * `new Unfold({ kernelSize: 3 })`), the required ones present and every size an integer or a pair of them, kept as
 * given (an array copied, so that changing the caller's leaves the layer as it was).
 */
function sizesOf(where: 'Unfold' | 'Fold', args: ArrayLike<unknown>, required: readonly string[], usage: string): Record<string, IntPair> {
  const a = layerArguments(where, args, [...required, 'dilation', 'padding', 'stride'], usage);
  const missing = required.filter((k) => a[k] === undefined);
  if (missing.length > 0) throw new TypeError(`${where}: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} required, as in ${usage}`);
  const out: Record<string, IntPair> = {};
  for (const [k, v] of Object.entries(a)) {
    pair(where, k, v, ANY);
    out[k] = Array.isArray(v) ? (Object.freeze([...v]) as unknown as IntPair) : (v as IntPair);
  }
  return out;
}

/** The sizes other than the required ones: F.unfold's and F.fold's options. */
function optionsOf(s: Record<string, IntPair>): Readonly<FoldOptions> {
  const { dilation, padding, stride } = s;
  return Object.freeze({ ...(dilation === undefined ? {} : { dilation }), ...(padding === undefined ? {} : { padding }), ...(stride === undefined ? {} : { stride }) });
}

function repr(o: FoldOptions, k: IntPair): string {
  return `kernel_size=${given(k)}, dilation=${given(o.dilation ?? 1)}, padding=${given(o.padding ?? 0)}, stride=${given(o.stride ?? 1)}`;
}

/** Unfold's and Fold's options, PyTorch's keyword arguments. */
export interface UnfoldOptions extends FoldOptions {
  readonly kernelSize?: IntPair;
}
export interface FoldLayerOptions extends UnfoldOptions {
  readonly outputSize?: IntPair;
}

/**
 * The sliding blocks of an image as columns, PyTorch's `nn.Unfold(kernel_size, dilation=1, padding=0, stride=1)`:
 * [N, C, H, W] → [N, C·kh·kw, L].
 *
 * @example
 * new nn.Unfold(3, { padding: 1 });
 * new nn.Unfold({ kernelSize: 3 });
 */
export class Unfold extends Module {
  readonly options: Readonly<FoldOptions>;
  readonly kernelSize: IntPair;
  constructor(kernelSize: IntPair, options?: FoldOptions);
  constructor(kernelSize: IntPair, dilation?: IntPair, padding?: IntPair, stride?: IntPair);
  constructor(options: UnfoldOptions);
  constructor() {
    super();
    const s = sizesOf('Unfold', arguments, ['kernelSize'], 'new Unfold(3, { padding: 1 })');
    this.kernelSize = s['kernelSize']!;
    this.options = optionsOf(s);
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
 * new nn.Fold({ outputSize: 4, kernelSize: 2 });
 */
export class Fold extends Module {
  readonly options: Readonly<FoldOptions>;
  readonly outputSize: IntPair;
  readonly kernelSize: IntPair;
  constructor(outputSize: IntPair, kernelSize: IntPair, options?: FoldOptions);
  constructor(outputSize: IntPair, kernelSize: IntPair, dilation?: IntPair, padding?: IntPair, stride?: IntPair);
  constructor(options: FoldLayerOptions);
  constructor() {
    super();
    const s = sizesOf('Fold', arguments, ['outputSize', 'kernelSize'], 'new Fold([28, 28], 2, { stride: 2 })');
    this.outputSize = s['outputSize']!;
    this.kernelSize = s['kernelSize']!;
    this.options = optionsOf(s);
  }

  forward(input: Tensor): Tensor {
    return fold(input, this.outputSize, this.kernelSize, this.options);
  }

  protected override extraRepr(): string {
    return `output_size=${given(this.outputSize)}, ${repr(this.options, this.kernelSize)}`;
  }
}
