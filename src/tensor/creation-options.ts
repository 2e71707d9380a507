// The options of the functions that make tensors (`tensor`, `zeros`, `arange`, `eye`, `rand`, …), checked as
// PyTorch's keywords: with `requiresGrad` (and a function's own), PyTorch's factory keywords `dtype` and `device`,
// which code ported from PyTorch gives (`torch.tensor(x, dtype=torch.float32)`, `torch.zeros(3, device='cpu')`):
// float32 and the CPU, Kindling's only ones, are taken and change nothing, as layers take them (device.ts); any
// other is refused naming the function and the value.
import { checkFactoryKwargs, FACTORY_KWARGS, type FactoryKwargs } from '../device.js';
import { checkOptions } from '../options.js';

/** `requiresGrad`, and PyTorch's factory keywords (float32 on the CPU only). */
export interface TensorOptions extends FactoryKwargs {
  requiresGrad?: boolean;
}

/**
 * `options` checked as {@link checkOptions} checks them, against `accepted` and `dtype` and `device`, whose values
 * are then checked as a layer's (`zeros: only float32 is supported, got 'float64' (…)`).
 */
export function creationOptions<T extends object>(op: string, options: T | undefined, accepted: readonly (keyof T & string)[], hints: Readonly<Record<string, string>> = {}): Partial<T> {
  if (options === undefined) return {};
  const o = checkOptions<T & FactoryKwargs>(op, options as T & FactoryKwargs, [...accepted, ...FACTORY_KWARGS] as (keyof (T & FactoryKwargs) & string)[], hints);
  checkFactoryKwargs(op, o);
  return o;
}
