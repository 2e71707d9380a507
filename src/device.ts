// PyTorch's devices and dtypes, for code ported from the book that moves models and tensors (`model.to(device)`,
// `x.cuda()`, `x.double()`): Kindling computes on the CPU (WebAssembly or TypeScript kernels) in float32 only. Moving
// to the CPU or to float32 changes nothing, so it gives the object itself, as PyTorch's `to` does when nothing
// changes (but for a mask, PyTorch's bool tensor: float32 gives it as `float()` does, and bool gives a tensor's
// `bool()`); anything else is refused with a message saying so, where JavaScript would only say "x.to is not a function".
import { KindlingError } from './errors.js';
import { describeValue, isPlainObject } from './options.js';

/** Kindling's one device, as PyTorch names it. */
export const DEVICE = 'cpu';
/** Kindling's one dtype, as PyTorch names it (`torch.float32`). */
export const DTYPE = 'float32';

const SAME_DTYPE = new Set(['float32', 'float', 'torch.float32', 'torch.float']);
const BOOL_DTYPE = new Set(['bool', 'torch.bool']);
/** Whether `dtype` names PyTorch's bool (`'bool'`, `'torch.bool'`), a mask's dtype. */
export function isBoolDtype(dtype: unknown): boolean {
  return typeof dtype === 'string' && BOOL_DTYPE.has(dtype);
}
/** The dtypes a tensor's `to` and `type` take: float32, and bool, PyTorch's for a mask (what `x.bool()` makes). */
export type TensorDtype = typeof DTYPE | 'bool';
const OTHER_DTYPES = new Set([
  'float64', 'double', 'float16', 'half', 'bfloat16', 'int64', 'long', 'int32', 'int', 'int16', 'short', 'int8', 'uint8',
  'complex64', 'complex128',
]);
const GPU = /^(cuda|mps|xpu|xla|hip|ipu|vulkan|meta)(:\d+)?$/;

/** The error for a device other than the CPU. */
export function deviceError(call: string, device: string): Error {
  return new Error(`${call}: Kindling computes on the CPU only (WebAssembly SIMD kernels, no GPU), so there is no '${device}' device; drop the call, or use '${DEVICE}'`);
}

/** The error for a dtype other than float32. */
export function dtypeError(call: string, dtype: string): TypeError {
  const integer = /^(torch\.)?u?int|^(torch\.)?(long|short)$/.test(dtype);
  const hint = integer ? ' (class indices and labels are float32 whole numbers, as the losses take them)' : '';
  return new TypeError(`${call}: Kindling's tensors are float32 only, so there is no ${dtype}; drop the call${hint}`);
}

/** Checks one place `to` was asked for: a device or a dtype, named as PyTorch names them; the dtype, if one. */
function checkName(call: string, name: string, what: 'device or dtype' | 'device' | 'dtype'): TensorDtype | undefined {
  const bare = name.startsWith('torch.') ? name.slice('torch.'.length) : name;
  if (what !== 'dtype' && (name === DEVICE || name === 'cpu:0')) return undefined;
  if (what !== 'device' && SAME_DTYPE.has(name)) return DTYPE;
  if (what !== 'device' && BOOL_DTYPE.has(name)) return 'bool';
  if (what !== 'dtype' && GPU.test(name)) throw deviceError(call, name);
  if (what !== 'device' && OTHER_DTYPES.has(bare)) throw dtypeError(call, name);
  const known = what === 'device' ? `'${DEVICE}'` : what === 'dtype' ? `'${DTYPE}'` : `'${DEVICE}' or '${DTYPE}'`;
  throw new TypeError(`${call}: ${JSON.stringify(name)} is not a ${what} Kindling knows; it has ${known}`);
}

/**
 * Checks the arguments of `to` as PyTorch takes them: a device, a dtype, both, a tensor (its device and dtype, always
 * Kindling's), or options `{ device, dtype, nonBlocking, copy }`. Returns whether a copy was asked for
 * (`copy: true`) and the dtype named, if any ('float32' or 'bool', PyTorch's dtype of a mask; the caller reads a
 * tensor given). Throws for a GPU device, another dtype, or anything else.
 *
 * @param call how the message names the call (`x.to`, `model.to`).
 * @param isTensor whether a value is a tensor (given by the caller, so that this file needs no tensor import).
 */
export function checkTo(call: string, args: readonly unknown[], isTensor: (v: unknown) => boolean): { copy: boolean; dtype: TensorDtype | undefined } {
  if (args.length === 0) throw new TypeError(`${call}(): give a device or a dtype ('${DEVICE}', '${DTYPE}'), as PyTorch's to()`);
  let copy = false;
  let dtype: TensorDtype | undefined;
  for (const a of args) {
    if (typeof a === 'string') dtype = checkName(call, a, 'device or dtype') ?? dtype;
    else if (isTensor(a)) continue;
    else if (isPlainObject(a)) {
      for (const [key, value] of Object.entries(a)) {
        if (key === 'device' || key === 'dtype') {
          if (typeof value !== 'string') throw new TypeError(`${call}: ${key} must be a string such as '${key === 'device' ? DEVICE : DTYPE}', got ${describeValue(value)}`);
          dtype = checkName(call, value, key) ?? dtype;
        } else if (key === 'nonBlocking' || key === 'copy') {
          if (typeof value !== 'boolean') throw new TypeError(`${call}: ${key} must be true or false, got ${describeValue(value)}`);
          if (key === 'copy') copy = value;
        } else {
          throw new TypeError(`${call}: unknown option '${key}' (known: device, dtype, nonBlocking, copy)`);
        }
      }
    } else {
      throw new TypeError(`${call}: expected a device or a dtype ('${DEVICE}', '${DTYPE}'), a tensor, or options { device, dtype }, got ${describeValue(a)}`);
    }
  }
  return { copy, dtype };
}

/** PyTorch's factory keywords, which every layer with parameters takes (`nn.Linear(3, 2, device='cpu')`). */
export const FACTORY_KWARGS = ['device', 'dtype'] as const;

/** A layer's `device` and `dtype` options, as PyTorch's factory keywords: the CPU and float32 only (or null: the default). */
export interface FactoryKwargs {
  /** `'cpu'` (or `'cpu:0'`), the only device Kindling has; null or left out: the default, the CPU. */
  readonly device?: string | null;
  /** `'float32'` (or `'torch.float32'`, `'float'`), Kindling's one dtype; null or left out: the default, float32. */
  readonly dtype?: string | null;
}

/**
 * Checks a layer's `device` and `dtype` (PyTorch's `factory_kwargs`): the CPU and float32, Kindling's only ones, are
 * taken and change nothing; anything else is refused naming the layer and the value.
 *
 * @throws `Linear: only the CPU device is supported, got 'cuda'`, `Linear: only float32 is supported, got 'float64'`.
 */
export function checkFactoryKwargs(where: string, o: { readonly device?: unknown; readonly dtype?: unknown }): void {
  const { device, dtype } = o;
  if (device !== undefined && device !== null && device !== DEVICE && device !== 'cpu:0') {
    throw typeof device === 'string'
      ? new KindlingError(`${where}: only the CPU device is supported, got '${device}' (Kindling computes on the CPU: WebAssembly SIMD kernels, no GPU)`)
      : new TypeError(`${where}: device must be a string such as '${DEVICE}', got ${describeValue(device)}`);
  }
  if (dtype !== undefined && dtype !== null && !(typeof dtype === 'string' && SAME_DTYPE.has(dtype))) {
    throw typeof dtype === 'string'
      ? new KindlingError(`${where}: only float32 is supported, got '${dtype}' (Kindling's tensors are float32 only)`)
      : new TypeError(`${where}: dtype must be a string such as '${DTYPE}', got ${describeValue(dtype)}`);
  }
}

/**
 * `options` with `device` and `dtype` checked ({@link checkFactoryKwargs}) and taken out, for a layer that passes
 * the rest on; anything but an object of options is given back as it is, for the layer to judge.
 */
export function withoutFactoryKwargs<T>(where: string, options: T): T {
  if (!isPlainObject(options) || !(Object.hasOwn(options, 'device') || Object.hasOwn(options, 'dtype'))) return options;
  checkFactoryKwargs(where, options);
  const { device: _d, dtype: _t, ...rest } = options;
  return rest as T;
}

/** PyTorch's legacy tensor type names (`torch.FloatTensor`, …) and the dtypes they stand for. */
const TENSOR_TYPES: Readonly<Record<string, string>> = {
  Float: 'float32', Double: 'float64', Half: 'float16', BFloat16: 'bfloat16', Long: 'int64', Int: 'int32', Short: 'int16', Char: 'int8', Byte: 'uint8', Bool: 'bool',
};

/**
 * Checks the type `x.type(t)` is asked for, as PyTorch's `Tensor.type` takes it: a type name (`'torch.FloatTensor'`)
 * or a dtype (`'float32'`, `'torch.float32'`, or `{ dtype }` as its keyword). Kindling's float32 CPU tensors are
 * already `torch.FloatTensor`; `'torch.BoolTensor'` (or `'bool'`) is a mask's; another type is refused as `to` refuses
 * it. Returns the dtype given (null for none: null or options without a dtype, which ask for the type name).
 */
export function checkTensorType(call: string, t: unknown, nonBlocking?: unknown): TensorDtype | null {
  if (nonBlocking !== undefined && typeof nonBlocking !== 'boolean') throw new TypeError(`${call}: nonBlocking must be true or false, got ${describeValue(nonBlocking)}`);
  const name = isPlainObject(t) && Object.keys(t).every((k) => k === 'dtype' || k === 'nonBlocking') ? t['dtype'] : t;
  // No type (None, or options without a dtype, as x.type(non_blocking=True)) asks for the type, as PyTorch's x.type().
  if (name === undefined || name === null) return null;
  if (typeof name !== 'string') throw new TypeError(`${call}: expected a type name such as 'torch.FloatTensor' or a dtype such as '${DTYPE}', got ${describeValue(t)}`);
  const legacy = /^torch\.(cuda\.)?(\w+)Tensor$/.exec(name);
  if (legacy === null) return checkName(call, name, 'dtype')!;
  if (legacy[1] !== undefined) throw deviceError(call, 'cuda');
  const dtype = TENSOR_TYPES[legacy[2]!];
  if (dtype === undefined) throw new TypeError(`${call}: ${JSON.stringify(name)} is not a tensor type Kindling knows; it has 'torch.FloatTensor'`);
  if (dtype !== DTYPE && dtype !== 'bool') throw dtypeError(call, dtype);
  return dtype;
}
