import { checkArgumentCount, describeValue, isPlainObject } from '../options.js';
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

  constructor(options: UpsampleOptions = {}) {
    super();
    checkArgumentCount('Upsample', arguments, 1, 'new Upsample({ scaleFactor: 2 })');
    if (!isPlainObject(options)) throw new TypeError(`Upsample: options must be an object ({ size, scaleFactor, mode, alignCorners, recomputeScaleFactor }), got ${describeValue(options)}`);
    for (const k of Object.keys(options)) {
      if (!['size', 'scaleFactor', 'mode', 'alignCorners', 'recomputeScaleFactor'].includes(k)) throw new TypeError(`Upsample: unknown option '${k}' (accepted: size, scaleFactor, mode, alignCorners, recomputeScaleFactor)`);
    }
    const copy = (v: unknown): unknown => (Array.isArray(v) ? Object.freeze([...v]) : v);
    this.options = Object.freeze(Object.fromEntries(Object.entries(options).map(([k, v]) => [k, copy(v)])) as UpsampleOptions);
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('Upsample.forward', arguments, 1, 'forward(input); a target goes to the loss');
    return interpolate(input, this.options);
  }

  protected override extraRepr(): string {
    const { size = null, scaleFactor = null, mode = 'nearest' } = this.options;
    const info = scaleFactor !== null
      ? `scale_factor=${Array.isArray(scaleFactor) ? tuple(scaleFactor.map(formatPyFloat)) : formatPyFloat(scaleFactor as number)}`
      : `size=${Array.isArray(size) ? tuple(size) : String(size)}`;
    return `${info}, mode=${mode}`;
  }
}
