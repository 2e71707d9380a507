import { checkArgumentCount, describeValue, layerArguments } from '../options.js';
import { interpolate, type InterpolateMode } from '../ops/interpolate.js';
import { formatPyFloat } from '../tensor/format.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

export interface UpsampleOptions {
  size?: number | readonly number[] | null;
  scaleFactor?: number | readonly number[] | null;
  mode?: InterpolateMode;
  alignCorners?: boolean | null;
  recomputeScaleFactor?: boolean | null;
}

const NAMES = ['size', 'scaleFactor', 'mode', 'alignCorners', 'recomputeScaleFactor'] as const;

/** A Python tuple as printed: (3, 4), or (3,) for one. */
const tuple = (v: readonly (number | string)[]): string => `(${v.join(', ')}${v.length === 1 ? ',' : ''})`;

/**
 * Resamples its input, PyTorch's `nn.Upsample(size, scale_factor, mode, align_corners, recompute_scale_factor)`:
 * `F.interpolate` with fixed options.
 *
 * @example
 * new nn.Upsample({ scaleFactor: 2 });                          // nearest
 * new nn.Upsample({ size: [8, 8], mode: 'bilinear', alignCorners: true });
 */
export class Upsample extends Module {
  readonly options: Readonly<UpsampleOptions>;

  constructor(options?: UpsampleOptions);
  constructor(size: UpsampleOptions['size'], scaleFactor?: UpsampleOptions['scaleFactor'], mode?: InterpolateMode, alignCorners?: boolean | null, recomputeScaleFactor?: boolean | null);
  constructor() {
    super();
    // PyTorch's (size, scale_factor, mode, align_corners, recompute_scale_factor), by position or by name.
    const given = layerArguments('Upsample', arguments, NAMES, 'new Upsample({ scaleFactor: 2 }) or new Upsample(null, 2)');
    const sf = given['scaleFactor'];
    if (sf !== undefined && sf !== null && typeof sf !== 'number' && !(Array.isArray(sf) && sf.every((v) => typeof v === 'number'))) {
      throw new TypeError(`Upsample: scaleFactor must be a number or an array of numbers, got ${describeValue(sf)}`);
    }
    // PyTorch 1.13 keeps `float(scale_factor) if scale_factor else None`: 0 (or -0) counts as not given.
    if (sf === 0 || sf === null) delete given['scaleFactor'];
    const copy = (v: unknown): unknown => (Array.isArray(v) ? Object.freeze([...v]) : v);
    this.options = Object.freeze(Object.fromEntries(Object.entries(given).map(([k, v]) => [k, copy(v)])) as UpsampleOptions);
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('Upsample.forward', arguments, 1, 'forward(input); a target goes to the loss');
    return interpolate(input, this.options);
  }

  protected override extraRepr(): string {
    const { size = null, scaleFactor = null, mode = 'nearest' } = this.options;
    const info = scaleFactor !== null
      ? `scale_factor=${Array.isArray(scaleFactor) ? tuple(scaleFactor.map(formatPyFloat)) : formatPyFloat(scaleFactor as number)}`
      : `size=${Array.isArray(size) ? tuple(size) : size === null ? 'None' : String(size)}`;
    return `${info}, mode=${mode}`;
  }
}
