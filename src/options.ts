/**
 * Named options (`{ lr: 0.1, momentum: 0.9 }`), checked as Python checks keyword arguments: a key the function does
 * not take is an error, never silently ignored. The message names the key, suggests the option it was probably
 * meant to be (`weight_decay` → `weightDecay`, `momentun` → `momentum`) and lists the options there are. And
 * the first named option may come by position, as Python allows: `new SGD(params, 0.1, { momentum: 0.9 })`.
 */

/**
 * What a value is, for messages: `the number 0.9`, `an array`, `a Generator`, and a tensor with its shape
 * (`a Tensor of shape [2]`), as its shape is usually what went wrong (`[B, 1]` lengths where `[B]` were asked for).
 */
export function describeValue(v: unknown): string {
  const kind = describeKind(v);
  const shape = kind === 'a Tensor' ? (v as { shape?: unknown }).shape : undefined;
  return Array.isArray(shape) ? `${kind} of shape [${shape.join(', ')}]` : kind;
}

/** What a value is without a tensor's shape (`a Tensor`), for messages about its type, as "cannot assign a Tensor as parameter". */
export function describeKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number') return `the number ${v}`;
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'object') {
    const name = (v as object).constructor?.name;
    if (name === undefined || name === 'Object') return isPlainObject(v) ? 'an object' : 'an object with a prototype of its own';
    return name === '' ? 'an instance of an anonymous class' : `a ${name}`;
  }
  return typeof v;
}

/** A number as it is written (`2.5`), anything else as `describeValue` names it: for "got …" after a number was asked for. */
export function shownValue(v: unknown): string {
  return typeof v === 'number' ? String(v) : describeValue(v);
}

/** Whether `v` is an object literal (`{ … }`), as opposed to an array, a typed array, a tensor or a number. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** The accepted option `key` was probably meant to be: its camelCase form, the same letters, or a near typo. */
function suggestion(key: string, accepted: readonly string[]): string | undefined {
  const camel = key.replace(/_+([a-z0-9])/gi, (_, c: string) => c.toUpperCase());
  const same = accepted.find((a) => a === camel || a.toLowerCase() === camel.toLowerCase());
  if (same !== undefined) return same;
  const near = accepted.map((a) => ({ a, d: distance(a.toLowerCase(), camel.toLowerCase()) })).filter(({ d }) => d <= 2 && d < camel.length / 2);
  near.sort((x, y) => x.d - y.d);
  return near.length > 0 && (near.length === 1 || near[0]!.d < near[1]!.d) ? near[0]!.a : undefined;
}

/**
 * Checks an options object: `undefined` stands for none; anything else must be an object literal whose keys are
 * all in `accepted`. `hints` add advice for keys a user may bring from elsewhere (`seed` → use a generator).
 *
 * @throws TypeError `Adam: unknown option "weight_decay" (did you mean weightDecay?); the options are lr, betas, …`,
 *   or `MnistDataset: options must be an object of named options (limit), got the number 5`.
 * @example
 * const o = checkOptions('SGD', options, ['lr', 'momentum']);
 */
export function checkOptions<T extends object>(
  where: string,
  options: T | undefined,
  accepted: readonly (keyof T & string)[],
  hints: Readonly<Record<string, string>> = {},
): Partial<T> {
  if (options === undefined) return {};
  if (!isPlainObject(options)) {
    throw new TypeError(`${where}: options must be an object of named options (${accepted.join(', ')}), got ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if ((accepted as readonly string[]).includes(key)) continue;
    const guess = suggestion(key, accepted);
    const hint = Object.hasOwn(hints, key) ? `: ${hints[key]}` : guess === undefined ? '' : ` (did you mean ${guess}?)`;
    throw new TypeError(`${where}: unknown option "${key}"${hint}; the options are ${accepted.join(', ')}`);
  }
  return options;
}

/**
 * The options of a call whose first named option (`key`) may also be given by position, as one object:
 * `(0.1, { momentum: 0.9 })` → `{ lr: 0.1, momentum: 0.9 }`, `({ lr: 0.1 })` → itself. A value that is not an
 * object counts as `key`'s (its own check then says what it must be); the options are left to {@link checkOptions}.
 *
 * @throws TypeError when `key` is given twice, or options follow options (`example` shows the call).
 */
export function leadingOption<T extends object>(where: string, key: keyof T & string, first: unknown, rest: unknown, example: string): T | undefined {
  if (first === undefined || typeof first === 'object') {
    if (rest !== undefined) throw new TypeError(`${where}: more named options only follow ${key} given by position, as in ${example}; got ${describeValue(rest)} after ${describeValue(first)}`);
    return first as T | undefined;
  }
  if (rest === undefined) return { [key]: first } as T;
  if (!isPlainObject(rest)) throw new TypeError(`${where}: the argument after ${key} must be an object of named options, as in ${example}; got ${describeValue(rest)}`);
  // A key set to undefined is not given (a spread config's unset value), as everywhere options are read.
  if (rest[key] !== undefined) throw new TypeError(`${where}: ${key} given twice: ${String(first)} by position and ${String(rest[key])} in the options`);
  return { ...rest, [key]: first } as T;
}

/**
 * The one option of a layer that takes it by position or by name, as PyTorch's keyword: `new Dropout(0.2)` or
 * `new Dropout({ p: 0.2 })`. Unknown keys are refused; the value is unchecked (the caller says what it must be).
 */
export function soleOption(where: string, key: string, arg: unknown, fallback: number, example: string): unknown {
  const given = leadingOption<Record<string, unknown>>(where, key, arg, undefined, example);
  const value = checkOptions<Record<string, unknown>>(where, given, [key])[key];
  return value === undefined ? fallback : value;
}

/**
 * Refuses arguments beyond the first `max`, as Python refuses too many positional arguments (trailing `undefined`s
 * aside): `new nn.Sigmoid(5)`, `new nn.LayerNorm(4, 1e-5, true, 7)`. `usage` shows the call.
 */
export function checkArgumentCount(where: string, args: ArrayLike<unknown>, max: number, usage: string): void {
  for (let i = max; i < args.length; i++) {
    if (args[i] === undefined) continue;
    const takes = max === 0 ? 'no arguments' : `at most ${max} argument${max === 1 ? '' : 's'}`;
    throw new TypeError(`${where}: takes ${takes} (${usage}), got ${describeValue(args[i])} as argument ${i + 1}`);
  }
}

/**
 * A layer's arguments as Python binds them to the parameters `names`, in order: values by position, then
 * optionally one object of named options, last (`new Dropout(0.2, true)`, `new Dropout({ p: 0.2 })`,
 * `new LeakyReLU(0.02, { inplace: false })`). Unknown names, a name given twice and too many arguments are refused.
 */
export function layerArguments(where: string, args: ArrayLike<unknown>, names: readonly string[], usage: string): Record<string, unknown> {
  return boundArguments(where, args, 0, names, [], usage);
}

/**
 * {@link layerArguments} for the arguments from index `from` on (those before it are the layer's own, checked by
 * it): bound to `positional` in order, as PyTorch's signature lists them (`Conv2d(3, 8, 3, 1, 1, 1, 1, false)`),
 * then optionally one object of named options, which may also hold the names of `namedOnly` (Kindling's own, such
 * as `generator`).
 */
export function boundArguments(where: string, args: ArrayLike<unknown>, from: number, positional: readonly string[], namedOnly: readonly string[], usage: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let i = from;
  for (; i < args.length && i - from < positional.length && !isPlainObject(args[i]); i++) if (args[i] !== undefined) out[positional[i - from]!] = args[i];
  if (i < args.length && isPlainObject(args[i])) {
    const named = checkOptions<Record<string, unknown>>(where, args[i] as Record<string, unknown>, [...positional, ...namedOnly]);
    for (const [k, v] of Object.entries(named)) {
      if (v !== undefined && Object.hasOwn(out, k)) throw new TypeError(`${where}: ${k} given twice: ${describeValue(out[k])} by position and ${describeValue(v)} in the options`);
      if (v !== undefined) out[k] = v;
    }
    i++;
  }
  checkArgumentCount(where, args, i, usage);
  return out;
}

/**
 * The arguments a layer takes after its leading ones, typed: the values `P` (PyTorch's positional parameters, in
 * order), each optional, where one object of options `O` may stand in place of the rest (`boundArguments` refuses
 * anything after it).
 */
export type PositionalThenOptions<P extends readonly unknown[], O> = [...{ [K in keyof P]?: P[K] | O }, (O | undefined)?];

/**
 * PyTorch's `inplace` flag of an activation or dropout layer, true or false (false when left out or null): with true the
 * layer changes its input in place and returns it (ops/inplace.ts `inPlaceOf`).
 */
export function inplaceOption(where: string, v: unknown): boolean {
  // null is Python's None, which PyTorch takes as "not in place" (F.relu(x, None), nn.ReLU(None)).
  if (v === undefined || v === null || v === false) return false;
  if (v === true) return true;
  throw new TypeError(`${where}: inplace must be true or false, got ${describeValue(v)}`);
}
