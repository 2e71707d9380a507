// The options of the functions that make tensors (`tensor`, `zeros`, `arange`, `eye`, `rand`, …), checked as
// PyTorch's keywords: with `requiresGrad` (and a function's own), PyTorch's factory keywords `dtype` and `device`,
// which code ported from PyTorch gives (`torch.tensor(x, dtype=torch.float32)`, `torch.zeros(3, device='cpu')`):
// float32 and the CPU, Kindling's only ones, are taken and change nothing, as layers take them (device.ts); any
// other is refused naming the function and the value. `tensor`, `zeros`, `ones`, `full`, `empty`, their `*Like` and
// `asTensor` take `dtype: 'bool'` too, as PyTorch's, and give a mask (mask-mark.ts).
import { checkFactoryKwargs, FACTORY_KWARGS, isBoolDtype, type FactoryKwargs } from '../device.js';
import { checkOptions, isPlainObject } from '../options.js';

/** `requiresGrad`, and PyTorch's factory keywords (float32 on the CPU only). */
export interface TensorOptions extends FactoryKwargs {
  requiresGrad?: boolean;
}

/**
 * `options` checked as {@link checkOptions} checks them, against `accepted` and `dtype` and `device`, whose values
 * are then checked as a layer's (`zeros: only float32 is supported, got 'float64' (…)`).
 */
export function creationOptions<T extends object>(op: string, options: T | undefined, accepted: readonly (keyof T & string)[], hints: Readonly<Record<string, string>> = {}, takesBool = false): Partial<T> {
  if (options === undefined) return {};
  const o = checkOptions<T & FactoryKwargs>(op, options as T & FactoryKwargs, [...accepted, ...FACTORY_KWARGS] as (keyof (T & FactoryKwargs) & string)[], hints);
  checkFactoryKwargs(op, takesBool && isBoolDtype(o.dtype) ? { device: o.device } : o);
  return o;
}

/** Whether creation options ask for PyTorch's bool (`{ dtype: 'bool' }`): the result is a mask. */
export function asksBool(options: unknown): boolean {
  return isPlainObject(options) && isBoolDtype(options['dtype']);
}

/** Whether creation options name a dtype (float32 or bool), which decides the result's dtype over the values'. */
export function namesDtype(options: unknown): boolean {
  return isPlainObject(options) && options['dtype'] !== undefined && options['dtype'] !== null;
}
