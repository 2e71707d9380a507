import { InvalidArgumentError } from 'commander';
import { hiddenProblem } from '../lab/limits.js';
import { listItemsOrProblem, parseSeeds } from '../lab/seed-list.js';
import { CHAPTER_VARIANTS, VARIANTS } from '../lab/variants.js';
import { ACTIVATION_NAMES, ACTIVATION_PARAMETER, OPTIMIZER_LIST, OPTIMIZER_NAMES, type ActivationSpec, type OptimizerName } from '../report/results.js';
import { runNameProblem } from '../report/run-name.js';

/** Option parsers: each turns a string into a checked value or throws commander's InvalidArgumentError. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1) throw new InvalidArgumentError(`expected a positive integer, got "${value}".`);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`"${value}" is too large: expected a positive integer up to ${Number.MAX_SAFE_INTEGER.toLocaleString('en-US')}.`);
  return n;
}

/** `--hidden`: a positive integer no larger than a lab run can hold (see `MAX_HIDDEN`). */
export function hiddenUnits(value: string): number {
  const n = positiveInt(value);
  const problem = hiddenProblem(n);
  if (problem !== null) throw new InvalidArgumentError(`--hidden ${problem}.`);
  return n;
}

/**
 * A number written in decimal (`0.01`, `1e-3`, `.5`, `-2`), or NaN: JavaScript's Number() would also take `0x10`,
 * `0b1`, `0o7`, `Infinity` and the empty string.
 */
export function decimal(value: string): number {
  const t = value.trim();
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) ? Number(t) : NaN;
}

export function positiveNumber(value: string): number {
  const n = decimal(value);
  if (n === Number.POSITIVE_INFINITY) throw new InvalidArgumentError(`expected a finite positive number, got "${value}", which is too large for a number (over 1.8e308).`);
  if (n === 0 && !value.trim().startsWith('-') && /[1-9]/.test(value.split(/e/i)[0]!)) throw new InvalidArgumentError(`expected a positive number, got "${value}", which is too small for a number (it rounds to 0).`);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a positive number${Number.isFinite(Number(value)) && Number(value) > 0 ? ' written in decimal (such as 0.01 or 1e-3)' : ''}, got "${value}".`);
  return n;
}

/** `--name`: checked before anything trains, since it names the run's files. */
export function runName(value: string): string {
  const problem = runNameProblem(value);
  if (problem !== null) throw new InvalidArgumentError(`the name is ${problem}.`);
  return value;
}

/** The items of a comma-separated list; an empty one (`0,,1`, `0,1,`) is refused, as an empty option value is. */
export function listItems(value: string, what: string): string[] {
  const items = listItemsOrProblem(value, what);
  if (!Array.isArray(items)) throw new InvalidArgumentError(items.problem);
  return items;
}

export function seedList(value: string): number[] {
  const seeds = parseSeeds(value);
  if (!Array.isArray(seeds)) throw new InvalidArgumentError(seeds.problem);
  return seeds;
}

export function variantList(value: string): string[] {
  const names = listItems(value, 'variant names');
  if (names.length === 1 && names[0] === 'all') return [...CHAPTER_VARIANTS];
  if (names.length === 0) throw new InvalidArgumentError(`expected variant names, one of: ${VARIANTS.map((v) => v.name).join(', ')}.`);
  for (const n of names) {
    if (!VARIANTS.some((v) => v.name === n)) throw new InvalidArgumentError(`unknown variant "${n}"; known variants: ${VARIANTS.map((v) => v.name).join(', ')}.`);
  }
  if (new Set(names).size !== names.length) throw new InvalidArgumentError(`a variant is listed twice in "${value}".`);
  return names;
}

const ACTIVATIONS_TEXT = 'sigmoid, relu, tanh, leakyrelu[:slope], gelu, silu or elu[:alpha]';

/** `sigmoid`, `relu`, `tanh`, `leakyrelu`, `leakyrelu:0.02`, `gelu`, `silu`, `elu` or `elu:0.5`. */
export function activationSpec(value: string): ActivationSpec {
  const [name, number, extra] = value.trim().toLowerCase().split(':');
  const known = ACTIVATION_NAMES.find((n) => n === name);
  if (extra !== undefined || known === undefined) throw new InvalidArgumentError(`expected ${ACTIVATIONS_TEXT}, got "${value}".`);
  const param = ACTIVATION_PARAMETER[known];
  if (param === undefined) {
    if (number !== undefined) throw new InvalidArgumentError(`expected ${ACTIVATIONS_TEXT}, got "${value}" (${known} takes no number).`);
    return { name: known };
  }
  if (number === undefined) return { name: known, [param]: param === 'slope' ? 0.01 : 1 };
  const v = decimal(number);
  if (!Number.isFinite(v)) throw new InvalidArgumentError(`${known === 'leakyrelu' ? 'LeakyReLU slope' : 'ELU alpha'} must be a finite number written in decimal, got "${number}".`);
  return { name: known, [param]: v };
}

/**
 * `none` or an activation. `none` stays the string 'none' here: commander turns an option parser's null into ''.
 */
export function outputActivationSpec(value: string): ActivationSpec | 'none' {
  return value.trim().toLowerCase() === 'none' ? 'none' : activationSpec(value);
}

/** An optimizer's name (OPTIMIZER_NAMES: `sgd`, `adam`, `rmsprop`, …), optionally with a learning rate: `sgd:0.05`, `adam:0.0005`. */
export function optimizerSpec(value: string): { optimizer: OptimizerName; lr?: number } {
  const [name, lr, extra] = value.trim().toLowerCase().split(':');
  const known = OPTIMIZER_NAMES.find((n) => n === name);
  if (known === undefined || extra !== undefined) throw new InvalidArgumentError(`expected ${OPTIMIZER_LIST}, optionally with :lr (e.g. adam:0.001), got "${value}".`);
  if (lr === undefined) return { optimizer: known };
  return { optimizer: known, lr: positiveNumber(lr) };
}

export function lossName(value: string): 'mse' | 'bce' {
  const v = value.trim().toLowerCase();
  if (v !== 'mse' && v !== 'bce') throw new InvalidArgumentError(`expected mse or bce, got "${value}".`);
  return v;
}
