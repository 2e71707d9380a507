// nn.MaxUnpool1d/2d/3d and nn.LPPool1d/2d, as PyTorch 1.13's modules over src/ops/max-unpool.ts and lp-pool.ts,
// printed as PyTorch prints them.
import { KindlingError } from '../errors.js';
import { describeValue, layerArguments } from '../options.js';
import { sizes, sizeText } from '../ops/conv-volume.js';
import { lpPool1d, lpPool2d } from '../ops/lp-pool.js';
import { maxUnpool1d, maxUnpool2d, maxUnpool3d } from '../ops/max-unpool.js';
import { pair, type IntPair } from '../ops/window.js';
import { single } from '../ops/window1d.js';
import { formatPyNumber } from '../tensor/format.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

const UNPOOL = { 1: maxUnpool1d, 2: maxUnpool2d, 3: maxUnpool3d } as const;

/** The max unpooling layers' common part (PyTorch's `_MaxUnpoolNd`): kernel size, stride and padding, one per dimension. */
abstract class MaxUnpoolNd extends Module {
  readonly kernelSize: readonly number[];
  readonly stride: readonly number[];
  readonly padding: readonly number[];
  readonly #dims: 1 | 2 | 3;

  protected constructor(dims: 1 | 2 | 3, args: ArrayLike<unknown>) {
    super();
    const where = `MaxUnpool${dims}d`;
    // PyTorch's (kernel_size, stride=None, padding=0), each by position or by name, as the other layers take theirs.
    const usage = `new ${where}(2, 2, 0) or new ${where}({ kernelSize: 2, stride: 2, padding: 0 })`;
    const { kernelSize, stride, padding } = layerArguments(where, args, ['kernelSize', 'stride', 'padding'], usage);
    if (kernelSize === undefined) throw new TypeError(`${where}: kernelSize is required, as in ${usage}`);
    this.#dims = dims;
    this.kernelSize = sizes(where, 'kernelSize', kernelSize, dims, 1);
    this.stride = stride === undefined || stride === null ? this.kernelSize : sizes(where, 'stride', stride, dims, 1);
    this.padding = sizes(where, 'padding', padding ?? 0, dims, 0);
  }

  /** The values of `input` put back at `indices` (from the max pooling with returnIndices); `outputSize` as `F.maxUnpool`'s. */
  forward(input: Tensor, indices?: Tensor, outputSize?: readonly number[] | null): Tensor {
    if (indices === undefined) throw new TypeError(`${this.constructor.name}.forward: needs the input and the indices its max pooling returned, as in unpool.forward(values, indices)`);
    const run = UNPOOL[this.#dims] as (x: Tensor, i: Tensor, k: unknown, o: object) => Tensor;
    return run(input, indices, this.kernelSize, { stride: this.stride, padding: this.padding, outputSize: outputSize ?? null });
  }

  protected override extraRepr(): string {
    return `kernel_size=${sizeText(this.kernelSize)}, stride=${sizeText(this.stride)}, padding=${sizeText(this.padding)}`;
  }
}

/** MaxUnpool's options, PyTorch's keyword arguments: `new MaxUnpool2d(2, { stride: 2 })`. */
export interface MaxUnpoolOptions<S> {
  readonly kernelSize?: S;
  readonly stride?: S | null;
  readonly padding?: S;
}

/**
 * The partial inverse of `MaxPool1d` with returnIndices, PyTorch's `nn.MaxUnpool1d(kernel_size, stride=None,
 * padding=0)`: `unpool.forward(values, indices, outputSize?)`.
 */
export class MaxUnpool1d extends MaxUnpoolNd {
  constructor(kernelSize: number | readonly [number], stride?: number | readonly [number] | null, padding?: number | readonly [number]);
  constructor(kernelSize: number | readonly [number], options: MaxUnpoolOptions<number | readonly [number]>);
  constructor(kernelSize: number | readonly [number], stride: number | readonly [number] | null, options: Omit<MaxUnpoolOptions<number | readonly [number]>, 'stride'>);
  constructor(options: MaxUnpoolOptions<number | readonly [number]> & { readonly kernelSize: number | readonly [number] });
  constructor() {
    super(1, arguments);
  }
}

/**
 * The partial inverse of `MaxPool2d` with returnIndices, PyTorch's `nn.MaxUnpool2d(kernel_size, stride=None,
 * padding=0)`: the maxima back in place, zeros elsewhere.
 *
 * @example
 * const pool = new nn.MaxPool2d(2, { returnIndices: true });
 * const unpool = new nn.MaxUnpool2d(2);
 * const [v, i] = pool.forwardWithIndices(x);
 * unpool.forward(v, i, x.shape);
 */
export class MaxUnpool2d extends MaxUnpoolNd {
  constructor(kernelSize: IntPair, stride?: IntPair | null, padding?: IntPair);
  constructor(kernelSize: IntPair, options: MaxUnpoolOptions<IntPair>);
  constructor(kernelSize: IntPair, stride: IntPair | null, options: Omit<MaxUnpoolOptions<IntPair>, 'stride'>);
  constructor(options: MaxUnpoolOptions<IntPair> & { readonly kernelSize: IntPair });
  constructor() {
    super(2, arguments);
  }
}

/** The partial inverse of `MaxPool3d` with returnIndices, PyTorch's `nn.MaxUnpool3d(kernel_size, stride=None, padding=0)`. */
export class MaxUnpool3d extends MaxUnpoolNd {
  constructor(kernelSize: number | readonly [number, number, number], stride?: number | readonly [number, number, number] | null, padding?: number | readonly [number, number, number]);
  constructor(kernelSize: number | readonly [number, number, number], options: MaxUnpoolOptions<number | readonly [number, number, number]>);
  constructor(kernelSize: number | readonly [number, number, number], stride: number | readonly [number, number, number] | null, options: Omit<MaxUnpoolOptions<number | readonly [number, number, number]>, 'stride'>);
  constructor(options: MaxUnpoolOptions<number | readonly [number, number, number]> & { readonly kernelSize: number | readonly [number, number, number] });
  constructor() {
    super(3, arguments);
  }
}

/** A size as PyTorch's LPPool prints what it was given: 3, (3, 2), or None. */
const given = (v: IntPair | null | undefined): string => (v === null || v === undefined ? 'None' : typeof v === 'number' ? String(v) : `(${v.join(', ')})`);

/** Any integer: the sizes' ranges are the pooling's to check, at the first call, as PyTorch's. */
const ANY = Number.MIN_SAFE_INTEGER;

/** LPPool's options, PyTorch's keyword arguments: `new LPPool2d(2, 3, { stride: 2 })`. */
export interface LPPoolOptions<S> {
  readonly normType?: number;
  readonly kernelSize?: S;
  readonly stride?: S | null;
  readonly ceilMode?: boolean;
}

/**
 * The power-average pooling layers' common part (PyTorch's `_LPPoolNd`): its arguments by position or by name (an
 * options object last, as PyTorch's keywords), each checked here so that printing and the first call cannot meet a
 * value of the wrong kind.
 */
abstract class LPPoolNd extends Module {
  readonly normType: number;
  readonly kernelSize: IntPair;
  readonly stride: IntPair | null;
  readonly ceilMode: boolean;

  constructor(where: 'LPPool1d' | 'LPPool2d', args: ArrayLike<unknown>) {
    super();
    const usage = `new ${where}(2, 3, { stride: 2 })`;
    const a = layerArguments(where, args, ['normType', 'kernelSize', 'stride', 'ceilMode'], usage);
    const { normType, kernelSize, stride = null, ceilMode = false } = a;
    if (normType === undefined || kernelSize === undefined) throw new TypeError(`${where}: normType and kernelSize are required, as in ${usage}`);
    if (typeof normType !== 'number' || !Number.isFinite(normType) || normType === 0) throw new KindlingError(`${where}: normType must be a finite number other than 0, got ${describeValue(normType)}`);
    if (typeof ceilMode !== 'boolean') throw new TypeError(`${where}: ceilMode must be true or false, got ${describeValue(ceilMode)}`);
    const size = (what: string, v: unknown): void => void (where === 'LPPool1d' ? single(where, what, v, ANY) : pair(where, what, v, ANY));
    size('kernelSize', kernelSize);
    if (stride !== null) size('stride', stride);
    // A size kept as given (an array copied), as PyTorch prints it: 3 or (3, 2).
    const kept = (v: unknown): IntPair => (Array.isArray(v) ? (Object.freeze([...v]) as unknown as IntPair) : (v as IntPair));
    this.normType = normType;
    this.kernelSize = kept(kernelSize);
    this.stride = stride === null ? null : kept(stride);
    this.ceilMode = ceilMode;
  }

  /** norm_type as PyTorch's docs pass it (`nn.LPPool2d(2, 3)` prints norm_type=2, 1e-5 as 1e-05). */
  protected override extraRepr(): string {
    return `norm_type=${formatPyNumber(this.normType)}, kernel_size=${given(this.kernelSize)}, stride=${given(this.stride)}, ceil_mode=${this.ceilMode ? 'True' : 'False'}`;
  }
}

/**
 * The p-norm of each window of [N, C, L], PyTorch's `nn.LPPool1d(norm_type, kernel_size, stride=None,
 * ceil_mode=False)`: `new LPPool1d(2, 3)`, `new LPPool1d(2, 3, { stride: 2 })`.
 */
export class LPPool1d extends LPPoolNd {
  constructor(normType: number, kernelSize: number, stride?: number | null, ceilMode?: boolean);
  constructor(normType: number, kernelSize: number, options: Omit<LPPoolOptions<number>, 'normType' | 'kernelSize'>);
  constructor(options: LPPoolOptions<number>);
  constructor() {
    super('LPPool1d', arguments);
  }

  forward(input: Tensor): Tensor {
    return lpPool1d(input, this.normType, this.kernelSize as number, { stride: this.stride as number | null, ceilMode: this.ceilMode });
  }
}

/**
 * The p-norm of each window of [N, C, H, W], PyTorch's `nn.LPPool2d(norm_type, kernel_size, stride=None,
 * ceil_mode=False)`.
 *
 * @example
 * new nn.LPPool2d(2, 2); // the Euclidean norm of each 2×2 window
 * new nn.LPPool2d(1.2, [3, 2], { stride: [2, 1] });
 */
export class LPPool2d extends LPPoolNd {
  constructor(normType: number, kernelSize: IntPair, stride?: IntPair | null, ceilMode?: boolean);
  constructor(normType: number, kernelSize: IntPair, options: Omit<LPPoolOptions<IntPair>, 'normType' | 'kernelSize'>);
  constructor(options: LPPoolOptions<IntPair>);
  constructor() {
    super('LPPool2d', arguments);
  }

  forward(input: Tensor): Tensor {
    return lpPool2d(input, this.normType, this.kernelSize, { stride: this.stride, ceilMode: this.ceilMode });
  }
}
