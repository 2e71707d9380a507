/**
 * The arguments of the loss modules' constructors, as PyTorch 1.13 binds them (torch/nn/modules/loss.py): by position
 * in each `__init__`'s order, then optionally one object of named options (camelCase), a name given both ways refused
 * (options.ts `boundArguments`, as the layers take theirs). PyTorch's None where the default is None (weight,
 * size_average, reduce, pos_weight) is null and counts as not given; the legacy `size_average` and `reduce`
 * (`sizeAverage`, `reduce`) set the reduction as the F forms do (functional-positional.ts `legacyReduction`:
 * `_Reduction.legacy_get_string`, with PyTorch's deprecation warning). This runs once, when the module is made: the
 * forward of a module uses the values kept then.
 */
import { boundArguments, describeValue, isPlainObject, type PositionalThenOptions } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import type { Reduction } from '../ops/reduction.js';
import { legacyReduction, type LegacyReductionOptions } from './functional-positional.js';

/** PyTorch's `size_average=None, reduce=None, reduction='mean'`, the parameters every legacy loss ends with. */
export const PLAIN_POSITIONAL = ['sizeAverage', 'reduce', 'reduction'] as const;
/** NLLLoss's `(weight, size_average, ignore_index, reduce, reduction)`. */
export const NLL_POSITIONAL = ['weight', 'sizeAverage', 'ignoreIndex', 'reduce', 'reduction'] as const;

/** The types of PyTorch's legacy pair, by position. */
export type LegacyPair = [sizeAverage: boolean | null | undefined, reduce: boolean | null | undefined];
/** The arguments of a loss whose `__init__` is `(size_average=None, reduce=None, reduction='mean')`. */
export type PlainLossArguments = PositionalThenOptions<[...LegacyPair, reduction: Reduction | undefined], { reduction?: Reduction } & LegacyReductionOptions>;
/** A weight by position: a tensor, or null (PyTorch's None) for none. */
export type WeightArgument = Tensor | null | undefined;

/**
 * The options of loss module `where` from its constructor's `args`: bound to `positional` (PyTorch's `__init__`
 * order), then one object of options; the legacy pair turned into a reduction (with PyTorch's warning).
 *
 * @throws TypeError for a name given twice, too many arguments or an unknown option, naming the class.
 */
export function lossModuleArguments<O extends object = { reduction?: Reduction }>(where: string, args: readonly unknown[], positional: readonly string[], usage: string): O {
  // Bound as given, so a null by position and the same name in the options is a name given twice, as in PyTorch
  // (`nn.MSELoss(None, size_average=None)`), unlike the F forms' binding; the nulls then stand for "not given".
  const o = boundArguments(where, args, 0, positional, [], usage);
  for (const k of NONE_IS_DEFAULT) if (o[k] === null) delete o[k];
  legacyReduction(where, o);
  return o as O;
}

/** The parameters whose default is PyTorch's None: a null there counts as not given. */
const NONE_IS_DEFAULT = ['weight', 'sizeAverage', 'reduce', 'posWeight'];

/**
 * The options of a loss module whose `__init__` takes keyword arguments only (`GaussianNLLLoss(*, full, eps,
 * reduction)`): one object of options, as PyTorch refuses `nn.GaussianNLLLoss(True)`.
 */
export function namedOnlyLossArguments(where: string, args: readonly unknown[], names: readonly string[], usage: string): Record<string, unknown> {
  const first = args[0];
  if (first !== undefined && !isPlainObject(first)) {
    throw new TypeError(`${where} takes its arguments by name only, as PyTorch's keyword-only ${names.join(', ')}: ${usage}; got ${describeValue(first)}`);
  }
  return boundArguments(where, args, 0, [], names, usage);
}

/** `v` (`fallback` when not given) as a number; NaN and anything else refused, naming the class and the argument. */
export function numberArgument(where: string, name: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || Number.isNaN(v)) throw new TypeError(`${where}: ${name} must be a number, got ${describeValue(v)}`);
  return v;
}

/** `v` (`fallback` when not given) as true or false; anything else refused, naming the class and the argument. */
export function booleanArgument(where: string, name: string, v: unknown, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new TypeError(`${where}: ${name} must be true or false, got ${describeValue(v)}`);
  return v;
}

/** A weight by position or option: a tensor, or null / left out for none; anything else refused, naming the class. */
export function weightArgument(where: string, v: unknown, want: string): Tensor | null {
  if (v === undefined || v === null) return null;
  if (!(v instanceof Tensor)) throw new TypeError(`${where}: weight must be ${want}, got ${describeValue(v)}`);
  return v;
}
