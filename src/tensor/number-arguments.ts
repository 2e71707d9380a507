// The number arguments of the functions that make ranges (`arange`, `range`, `linspace`, `logspace`), bound as
// Python binds PyTorch's: by position, or by name in the options last (`linspace(0, 1, { steps: 5 })`,
// `arange(0, 10, { step: 2 })`), each a number or a 0-d tensor, as PyTorch's Number arguments take one
// (`torch.linspace(x.min(), x.max(), 100)`).
import { boundArguments } from '../options.js';
import { creationOptions, type TensorOptions } from './creation-options.js';
import { Tensor } from './tensor.js';

/**
 * A 0-d tensor's value, as PyTorch reads a tensor given for a Number (one that requires grad, or has dimensions,
 * PyTorch refuses: "must be Number, not Tensor", and so is given back for the caller's check to name); anything
 * else as it is.
 */
export function numberOf(v: unknown): unknown {
  return v instanceof Tensor && v.ndim === 0 && !v.requiresGrad ? v.item() : v;
}

/**
 * `args` bound to `names` by position, then by name from one object of options last, which also holds
 * `requiresGrad` and the factory keywords (checked as the other creation functions check them); each bound value
 * read by {@link numberOf}.
 */
export function rangeArguments(op: string, args: readonly unknown[], names: readonly string[], usage: string): { values: Record<string, unknown>; requiresGrad: boolean } {
  const { requiresGrad: rg, dtype, device, ...bound } = boundArguments(op, args, 0, names, ['requiresGrad', 'dtype', 'device'], usage);
  const { requiresGrad = false } = creationOptions<TensorOptions>(op, { requiresGrad: rg, dtype, device } as TensorOptions, ['requiresGrad']);
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(bound)) values[k] = numberOf(v);
  return { values, requiresGrad };
}
