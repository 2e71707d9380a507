/**
 * Padding layers, PyTorch's `nn.ZeroPad2d`, `nn.ConstantPad1d/2d/3d`, `nn.ReflectionPad1d/2d/3d` and
 * `nn.ReplicationPad1d/2d/3d`: `F.pad` with a fixed padding (an int for every side, or (left, right[, top,
 * bottom[, front, back]])).
 */
import { KindlingError } from '../errors.js';
import { checkArgumentCount, describeValue } from '../options.js';
import { pad, type PadMode } from '../ops/pad.js';
import { formatPyNumber } from '../tensor/format.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/** A padding: one int for every side, or (left, right) for 1-D layers, (left, right, top, bottom) for 2-D ones. */
export type Padding1d = number | readonly [number, number];
export type Padding2d = number | readonly [number, number, number, number];
/** (left, right, top, bottom, front, back) for 3-D layers. */
export type Padding3d = number | readonly [number, number, number, number, number, number];

const SIDES = { 2: '[left, right]', 4: '[left, right, top, bottom]', 6: '[left, right, top, bottom, front, back]' } as const;

function sides(where: string, padding: unknown, count: 2 | 4 | 6): readonly number[] {
  if (Number.isInteger(padding)) return Object.freeze(new Array<number>(count).fill(padding as number));
  if (Array.isArray(padding) && padding.length === count && padding.every((p) => Number.isInteger(p))) return Object.freeze([...padding as number[]]);
  throw new KindlingError(`${where}: padding must be an int or ${SIDES[count]} (integers), got ${describeValue(padding)}`);
}

const pyTuple = (p: readonly number[]): string => `(${p.join(', ')})`;

/** What every padding layer shares: its sides, its mode, its value and PyTorch's name for each. */
abstract class PadNd extends Module {
  readonly padding: readonly number[];
  protected abstract readonly mode: PadMode;

  constructor(where: string, padding: unknown, count: 2 | 4 | 6) {
    super();
    this.padding = sides(where, padding, count);
  }

  protected fill(): number | undefined {
    return undefined;
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount(`${this.constructor.name}.forward`, arguments, 1, 'forward(input); a target goes to the loss');
    const value = this.fill();
    return pad(input, this.padding, value === undefined ? { mode: this.mode } : { mode: this.mode, value });
  }

  protected override extraRepr(): string {
    return pyTuple(this.padding);
  }
}

abstract class ConstantPadNd extends PadNd {
  protected readonly mode = 'constant';
  readonly value: number;

  constructor(where: string, padding: unknown, value: unknown, count: 2 | 4 | 6) {
    super(where, padding, count);
    if (typeof value !== 'number') throw new TypeError(`${where}: value must be a number, got ${describeValue(value)}`);
    this.value = value;
  }

  protected override fill(): number {
    return this.value;
  }

  /** value as Python prints the one given (`value=3.5`, `value=-2`, `1e-05`): JavaScript cannot tell 0 from 0.0. */
  protected override extraRepr(): string {
    return `padding=${pyTuple(this.padding)}, value=${formatPyNumber(this.value)}`;
  }
}

/**
 * Pads the last dimension with `value`, PyTorch's `nn.ConstantPad1d(padding, value)`; negative amounts crop.
 *
 * @example
 * new nn.ConstantPad1d([1, 2], 3.5);   // [N, C, W] -> [N, C, W + 3]
 */
export class ConstantPad1d extends ConstantPadNd {
  constructor(padding: Padding1d, value: number) {
    checkArgumentCount('ConstantPad1d', arguments, 2, 'new ConstantPad1d(2, 3.5)');
    super('ConstantPad1d', padding, value, 2);
  }
}

/**
 * Pads the last two dimensions with `value`, PyTorch's `nn.ConstantPad2d(padding, value)`.
 *
 * @example
 * new nn.ConstantPad2d([1, 1, 2, 0], -1);   // W by (1, 1), H by (2, 0)
 */
export class ConstantPad2d extends ConstantPadNd {
  constructor(padding: Padding2d, value: number) {
    checkArgumentCount('ConstantPad2d', arguments, 2, 'new ConstantPad2d(2, 3.5)');
    super('ConstantPad2d', padding, value, 4);
  }
}

/**
 * Pads the last two dimensions with zeros, PyTorch's `nn.ZeroPad2d(padding)`.
 *
 * @example
 * new nn.ZeroPad2d(2);
 */
export class ZeroPad2d extends ConstantPadNd {
  constructor(padding: Padding2d) {
    checkArgumentCount('ZeroPad2d', arguments, 1, 'new ZeroPad2d(2)');
    super('ZeroPad2d', padding, 0, 4);
  }

  protected override extraRepr(): string {
    return pyTuple(this.padding);
  }
}

/**
 * Mirrors the last dimension at its edges (without repeating them), PyTorch's `nn.ReflectionPad1d(padding)`.
 *
 * @example
 * new nn.ReflectionPad1d(2);   // [1, 2, 3, 4] -> [3, 2, 1, 2, 3, 4, 3, 2]
 */
export class ReflectionPad1d extends PadNd {
  protected readonly mode = 'reflect';
  constructor(padding: Padding1d) {
    checkArgumentCount('ReflectionPad1d', arguments, 1, 'new ReflectionPad1d(2)');
    super('ReflectionPad1d', padding, 2);
  }
}

/**
 * Mirrors the last two dimensions at their edges, PyTorch's `nn.ReflectionPad2d(padding)`.
 *
 * @example
 * new nn.ReflectionPad2d([1, 1, 2, 0]);
 */
export class ReflectionPad2d extends PadNd {
  protected readonly mode = 'reflect';
  constructor(padding: Padding2d) {
    checkArgumentCount('ReflectionPad2d', arguments, 1, 'new ReflectionPad2d(2)');
    super('ReflectionPad2d', padding, 4);
  }
}

/**
 * Repeats the edge values of the last dimension, PyTorch's `nn.ReplicationPad1d(padding)`.
 *
 * @example
 * new nn.ReplicationPad1d([3, 1]);   // [1, 2, 3] -> [1, 1, 1, 1, 2, 3, 3]
 */
export class ReplicationPad1d extends PadNd {
  protected readonly mode = 'replicate';
  constructor(padding: Padding1d) {
    checkArgumentCount('ReplicationPad1d', arguments, 1, 'new ReplicationPad1d(2)');
    super('ReplicationPad1d', padding, 2);
  }
}

/**
 * Repeats the edge values of the last two dimensions, PyTorch's `nn.ReplicationPad2d(padding)`.
 *
 * @example
 * new nn.ReplicationPad2d(1);
 */
export class ReplicationPad2d extends PadNd {
  protected readonly mode = 'replicate';
  constructor(padding: Padding2d) {
    checkArgumentCount('ReplicationPad2d', arguments, 1, 'new ReplicationPad2d(2)');
    super('ReplicationPad2d', padding, 4);
  }
}

/**
 * Pads the last three dimensions with `value`, PyTorch's `nn.ConstantPad3d(padding, value)`.
 *
 * @example
 * new nn.ConstantPad3d([1, 1, 2, 0, 0, 1], 0.5);   // W by (1, 1), H by (2, 0), D by (0, 1)
 */
export class ConstantPad3d extends ConstantPadNd {
  constructor(padding: Padding3d, value: number) {
    checkArgumentCount('ConstantPad3d', arguments, 2, 'new ConstantPad3d(2, 3.5)');
    super('ConstantPad3d', padding, value, 6);
  }
}

/**
 * Mirrors the last three dimensions at their edges, PyTorch's `nn.ReflectionPad3d(padding)`.
 *
 * @example
 * new nn.ReflectionPad3d(1);   // [N, C, D, H, W] -> [N, C, D + 2, H + 2, W + 2]
 */
export class ReflectionPad3d extends PadNd {
  protected readonly mode = 'reflect';
  constructor(padding: Padding3d) {
    checkArgumentCount('ReflectionPad3d', arguments, 1, 'new ReflectionPad3d(2)');
    super('ReflectionPad3d', padding, 6);
  }
}

/**
 * Repeats the edge values of the last three dimensions, PyTorch's `nn.ReplicationPad3d(padding)`.
 *
 * @example
 * new nn.ReplicationPad3d([0, 1, 2, 0, 1, 3]);
 */
export class ReplicationPad3d extends PadNd {
  protected readonly mode = 'replicate';
  constructor(padding: Padding3d) {
    checkArgumentCount('ReplicationPad3d', arguments, 1, 'new ReplicationPad3d(2)');
    super('ReplicationPad3d', padding, 6);
  }
}
