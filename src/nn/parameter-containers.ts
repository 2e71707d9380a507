// nn.ParameterList and nn.ParameterDict, as PyTorch 1.13's: parameters held by position ('0', '1', …) or by name,
// registered with the module that holds the container (`ps.0`, `pd.w` in `namedParameters()` and `stateDict()`, seen
// by optimizers, `zeroGrad`, `loadStateDict`). A plain tensor put in becomes a parameter (requiring grad), as
// PyTorch's `Parameter(t)`; a parameter keeps its own requiresGrad. Printed as PyTorch prints them (ParameterDict
// with its "torch.FloatTensor").
import { describeValue } from '../options.js';
import { isMarkedParameter } from '../tensor/parameter-mark.js';
import { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

/** `t` as a parameter: itself when it is one, else `new nn.Parameter(t)`. */
function asParameter(where: string, t: unknown): Tensor {
  if (!(t instanceof Tensor)) throw new TypeError(`${where}: expects a Tensor or an nn.Parameter, got ${describeValue(t)}`);
  return isMarkedParameter(t) ? t : new Parameter(t);
}

/** PyTorch's one-line description of a parameter in these containers. */
const described = (t: Tensor, type: string): string => `Parameter containing: [${type} of size ${t.shape.join('x')}]`;

/** PyTorch's Module.__repr__ for a module with no sub-modules and these lines of extra_repr. */
function printed(name: string, lines: string[]): string {
  if (lines.length === 0) return `${name}()`;
  if (lines.length === 1) return `${name}(${lines[0]})`;
  return `${name}(\n  ${lines.join('\n  ')}\n)`;
}

/** Parameters by position: `new nn.ParameterList([w1, w2])`, `ps.at(0)`, `ps.append(w)`, `for (const p of ps)`. */
export class ParameterList extends Module {
  readonly #items: Tensor[] = [];

  constructor(values: Iterable<Tensor> = []) {
    super();
    this.extend(values);
  }

  get length(): number {
    return this.#items.length;
  }

  /** The parameter at `i` (negative counts from the end); PyTorch's IndexError message past the end. */
  at(i: number): Tensor {
    const p = Number.isInteger(i) ? this.#items[i < 0 ? i + this.#items.length : i] : undefined;
    if (p === undefined) throw new RangeError(`index ${i} is out of range`);
    return p;
  }

  /** Puts `value` (a parameter, or a tensor made one) at index `i`, replacing what is there. */
  set(i: number, value: Tensor): this {
    const k = Number.isInteger(i) && i < 0 ? i + this.#items.length : i;
    this.at(i);
    const p = asParameter('ParameterList', value);
    this.#items[k] = p;
    this.holdParameter(String(k), p);
    return this;
  }

  append(value: Tensor): this {
    const p = asParameter('ParameterList.append', value);
    this.holdParameter(String(this.#items.length), p);
    this.#items.push(p);
    return this;
  }

  extend(values: Iterable<Tensor>): this {
    if (values instanceof Tensor || typeof values !== 'object' || values === null || !(Symbol.iterator in values)) {
      throw new TypeError(`ParameterList.extend should be called with an iterable, but got ${describeValue(values)}`);
    }
    for (const v of [...values]) this.append(v);
    return this;
  }

  [Symbol.iterator](): Iterator<Tensor> {
    return this.#items[Symbol.iterator]();
  }

  override toString(): string {
    return printed('ParameterList', this.#items.map((p, i) => `  (${i}): ${described(p, 'torch.float32')}`));
  }

  /** A ParameterList holds parameters for your module's forward to use: it has none of its own. */
  forward(_input: Tensor): never {
    throw new Error('ParameterList has no forward(): use its parameters in your module\'s forward, e.g. x.matmul(this.weights.at(0))');
  }
}

type DictEntries = Readonly<Record<string, Tensor>> | ReadonlyMap<string, Tensor> | Iterable<readonly [string, Tensor]> | ParameterDict;

/**
 * Parameters by name: `new nn.ParameterDict({ w: weight })`, `pd.get('w')`, `pd.set('b', bias)`. A plain object's
 * keys go in sorted, as PyTorch 1.13 sorts a dict's (a `Map`, pairs or another ParameterDict keep their order).
 */
export class ParameterDict extends Module {
  readonly #items = new Map<string, Tensor>();

  constructor(values: DictEntries = {}) {
    super();
    this.update(values);
  }

  get length(): number {
    return this.#items.size;
  }

  /** The parameter under `key`, or `fallback` (undefined) when there is none, as Python's `dict.get`. */
  get(key: string, fallback?: Tensor): Tensor | undefined {
    return this.#items.get(key) ?? fallback;
  }

  has(key: string): boolean {
    return this.#items.has(key);
  }

  /** Puts `value` (a parameter, or a tensor made one) under `key`: a new key goes last. */
  set(key: string, value: Tensor): this {
    if (typeof key !== 'string') {
      throw new TypeError(`Index given to ParameterDict cannot be used as a key as it is not a string (type is '${typeof key}')`);
    }
    if (key === '' || key.includes('.')) throw new TypeError(`ParameterDict: a key must be a non-empty string without '.', got '${key}'`);
    if (!this.#items.has(key) && key in this) {
      throw new RangeError(`ParameterDict: the key '${key}' is the name of a member of the module (a property or method): choose another key`);
    }
    const p = asParameter(`ParameterDict['${key}']`, value);
    this.#items.set(key, p);
    this.holdParameter(key, p);
    return this;
  }

  /** Removes the parameter under `key`; true if there was one. */
  delete(key: string): boolean {
    if (!this.#items.delete(key)) return false;
    this.unregisterParameter(key);
    return true;
  }

  /** Removes the parameter under `key` and returns it (an error when there is none, as Python's KeyError). */
  pop(key: string): Tensor {
    const p = this.#items.get(key);
    if (p === undefined) throw new RangeError(`ParameterDict: no parameter under '${key}'`);
    this.delete(key);
    return p;
  }

  clear(): void {
    for (const key of [...this.#items.keys()]) this.delete(key);
  }

  /** Puts every entry in: a plain object's in sorted key order, a Map's, pairs' or a ParameterDict's in theirs. */
  update(values: DictEntries): this {
    let entries: Iterable<readonly [string, Tensor]>;
    if (values instanceof ParameterDict) entries = [...values.items()];
    else if (values instanceof Map || (typeof values === 'object' && values !== null && !(values instanceof Tensor) && Symbol.iterator in values)) entries = values as Iterable<readonly [string, Tensor]>;
    else if (typeof values === 'object' && values !== null && !(values instanceof Tensor)) entries = Object.entries(values as Record<string, Tensor>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    else throw new TypeError(`ParameterDict.update should be called with a plain object, a Map or [key, parameter] pairs, but got ${describeValue(values)}`);
    for (const entry of entries) {
      if (!Array.isArray(entry) || entry.length !== 2) throw new TypeError('ParameterDict.update: every entry must be a [key, parameter] pair');
      this.set(entry[0] as string, entry[1] as Tensor);
    }
    return this;
  }

  keys(): IterableIterator<string> {
    return this.#items.keys();
  }

  values(): IterableIterator<Tensor> {
    return this.#items.values();
  }

  items(): IterableIterator<[string, Tensor]> {
    return this.#items.entries();
  }

  /** The keys, in order (as iterating a PyTorch ParameterDict gives them). */
  [Symbol.iterator](): IterableIterator<string> {
    return this.#items.keys();
  }

  override toString(): string {
    return printed('ParameterDict', [...this.#items].map(([k, p]) => `  (${k}): ${described(p, 'torch.FloatTensor')}`));
  }

  /** A ParameterDict holds parameters for your module's forward to use: it has none of its own. */
  forward(_input: Tensor): never {
    throw new Error("ParameterDict has no forward(): use its parameters in your module's forward, e.g. x.mul(this.scales.get('a')!)");
  }
}
