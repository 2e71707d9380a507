// Fractional max pooling (ops/fractional-pool.ts) as PyTorch's `F.fractional_max_pool2d/3d(input, kernel_size,
// output_size=None, output_ratio=None, return_indices=False, _random_samples=None)` and the layers
// `nn.FractionalMaxPool2d/3d`: an output size, or a ratio of the input's (each size ⌊in·ratio⌋); the samples, one per
// plane and dimension, drawn with `rand([N, C, dims])` from the global generator as PyTorch's Python draws them (so
// the windows are PyTorch's after the same seed), or given as `randomSamples`.
import { KindlingError } from '../errors.js';
import { fractionalMaxPool } from '../ops/fractional-pool.js';
import { checkTensor } from '../ops/util.js';
import { checkOptions, describeValue, type PositionalThenOptions } from '../options.js';
import { rand } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { functionalArguments } from './functional-positional.js';
import { Module } from './module.js';

export interface FractionalMaxPoolOptions {
  /** The output's spatial size: one number for every dimension, or one each. */
  readonly outputSize?: number | readonly number[] | null;
  /** The output's size as a fraction of the input's, in (0, 1): one number, or one each. */
  readonly outputRatio?: number | readonly number[] | null;
  /** Return [output, indices] (default false). */
  readonly returnIndices?: boolean;
  /** The samples [N, C, dims] in [0, 1) instead of drawing them (PyTorch's `_random_samples`). */
  readonly randomSamples?: Tensor | null;
}

const OPTIONS = ['outputSize', 'outputRatio', 'returnIndices', 'randomSamples'] as const;

function each(where: string, what: string, v: unknown, dims: number, ok: (x: number) => boolean): number[] {
  const list = typeof v === 'number' ? new Array<number>(dims).fill(v) : Array.isArray(v) ? (v as number[]) : null;
  if (list === null || list.length !== dims || !list.every((x) => typeof x === 'number' && ok(x))) {
    throw new TypeError(`${where}: ${what} must be ${dims === 2 ? 'a number or two' : 'a number or three'} (${what === 'outputRatio' ? 'positive' : what === 'outputSize' ? 'non-negative integers' : 'positive integers'}), got ${describeValue(v)}`);
  }
  return [...list];
}

function pool(where: string, dims: 2 | 3, input: Tensor, kernelSize: unknown, o: FractionalMaxPoolOptions): Tensor | [Tensor, Tensor] {
  checkTensor(input, where);
  const kernel = each(where, 'kernelSize', kernelSize, dims, (x) => Number.isInteger(x) && x > 0);
  if ((o.outputSize ?? null) === null && (o.outputRatio ?? null) === null) {
    throw new KindlingError(`fractional_max_pool${dims}d requires specifying either an output_size or an output_ratio`);
  }
  const spatial = input.shape.slice(-dims);
  const size = (o.outputSize ?? null) !== null
    ? each(where, 'outputSize', o.outputSize, dims, (x) => Number.isInteger(x) && x >= 0)
    : each(where, 'outputRatio', o.outputRatio, dims, (x) => x > 0).map((r, d) => Math.trunc(spatial[d]! * r));
  const batch = input.ndim === dims + 2 ? input.shape[0]! : 1;
  const samples = o.randomSamples ?? rand([batch, input.shape[input.ndim - dims - 1] ?? 1, dims]);
  const [out, indices] = fractionalMaxPool(input, dims, kernel, size, samples);
  return o.returnIndices === true ? [out, indices] : out;
}

/** The arguments after the kernel size, in PyTorch's order, then optionally the options. */
type Rest = PositionalThenOptions<[outputSize: FractionalMaxPoolOptions['outputSize'], outputRatio: FractionalMaxPoolOptions['outputRatio'], returnIndices: boolean | null, randomSamples: Tensor | null], FractionalMaxPoolOptions>;

/**
 * The options of `F.fractionalMaxPool2d/3d(x, kernel, …)` bound as PyTorch binds `output_size, output_ratio,
 * return_indices, _random_samples`: by position (`F.fractionalMaxPool2d(x, 2, null, 0.5)`), by name, or both; None
 * (null) is not given.
 */
function fractionalArguments(where: string, input: Tensor, kernelSize: unknown, rest: readonly unknown[]): FractionalMaxPoolOptions {
  return functionalArguments(where, [input, kernelSize, ...rest], 2, OPTIONS, OPTIONS, `F.${where}(x, 2, null, 0.5)`) as FractionalMaxPoolOptions;
}

/** PyTorch's `F.fractional_max_pool2d`: `F.fractionalMaxPool2d(x, 2, { outputSize: [4, 5] })` or `{ outputRatio: 0.5, returnIndices: true }`, or by position, `F.fractionalMaxPool2d(x, 2, [4, 5])`. */
export function fractionalMaxPool2d(input: Tensor, kernelSize: number | readonly [number, number], ...rest: Rest): Tensor | [Tensor, Tensor] {
  return pool('fractionalMaxPool2d', 2, input, kernelSize, fractionalArguments('fractionalMaxPool2d', input, kernelSize, rest));
}

/** PyTorch's `F.fractional_max_pool3d`: `F.fractionalMaxPool3d(x, 2, { outputSize: [3, 3, 4] })`, or by position, `F.fractionalMaxPool3d(x, 2, null, 0.5, true)`. */
export function fractionalMaxPool3d(input: Tensor, kernelSize: number | readonly [number, number, number], ...rest: Rest): Tensor | [Tensor, Tensor] {
  return pool('fractionalMaxPool3d', 3, input, kernelSize, fractionalArguments('fractionalMaxPool3d', input, kernelSize, rest));
}

/** The layers: PyTorch's checks of the options at construction, its printing (no options shown). */
abstract class FractionalMaxPoolNd extends Module {
  readonly kernelSize: number | readonly number[];
  readonly outputSize: number | readonly number[] | null;
  readonly outputRatio: number | readonly number[] | null;
  readonly returnIndices: boolean;
  readonly #dims: 2 | 3;

  protected constructor(dims: 2 | 3, kernelSize: number | readonly number[], options: FractionalMaxPoolOptions) {
    super();
    const where = `FractionalMaxPool${dims}d`;
    const o = checkOptions(where, options, [...OPTIONS]);
    this.#dims = dims;
    this.kernelSize = kernelSize;
    this.outputSize = o.outputSize ?? null;
    this.outputRatio = o.outputRatio ?? null;
    this.returnIndices = o.returnIndices ?? false;
    if (this.outputSize === null && this.outputRatio === null) throw new KindlingError(`${where} requires specifying either an output size, or a pooling ratio`);
    if (this.outputSize !== null && this.outputRatio !== null) throw new KindlingError('only one of output_size and output_ratio may be specified');
    if (this.outputRatio !== null) {
      const ratios = typeof this.outputRatio === 'number' ? [this.outputRatio] : this.outputRatio;
      if (!ratios.every((r) => r > 0 && r < 1)) throw new KindlingError(`output_ratio must be between 0 and 1 (got ${Array.isArray(this.outputRatio) ? `(${this.outputRatio.join(', ')})` : String(this.outputRatio)})`);
    }
    this.registerBuffer('_random_samples', o.randomSamples ?? null);
  }

  forward(input: Tensor): Tensor {
    const o = { outputSize: this.outputSize, outputRatio: this.outputRatio, returnIndices: this.returnIndices, randomSamples: this.getBuffer('_random_samples') };
    return pool(this.constructor.name, this.#dims, input, this.kernelSize, o) as Tensor;
  }
}

/** PyTorch's `nn.FractionalMaxPool2d(kernel_size, output_size=None, output_ratio=None, return_indices=False)`. */
export class FractionalMaxPool2d extends FractionalMaxPoolNd {
  constructor(kernelSize: number | readonly [number, number], options: FractionalMaxPoolOptions = {}) {
    super(2, kernelSize, options);
  }
}

/** PyTorch's `nn.FractionalMaxPool3d(kernel_size, output_size=None, output_ratio=None, return_indices=False)`. */
export class FractionalMaxPool3d extends FractionalMaxPoolNd {
  constructor(kernelSize: number | readonly [number, number, number], options: FractionalMaxPoolOptions = {}) {
    super(3, kernelSize, options);
  }
}
