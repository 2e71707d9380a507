import { Tensor } from '../tensor/tensor.js';
import { checkArgumentCount, describeKind, describeValue, isPlainObject } from '../options.js';
import { Module } from './module.js';

type Entries = Readonly<Record<string, Module>> | ReadonlyMap<string, Module> | Iterable<readonly [string, Module]> | ModuleDict;

/**
 * Holds sub-modules by name, like PyTorch's `nn.ModuleDict`: a module's property holding one registers them all
 * under the property's name and their keys (`heads.digit.weight`), in insertion order. A plain object of modules is
 * not looked into. Iterating gives the keys, as in PyTorch; `items()` gives `[key, module]` pairs.
 *
 * @example
 * class TwoHeads extends nn.Module {
 *   body = new nn.Linear(784, 200);
 *   heads = new nn.ModuleDict({ digit: new nn.Linear(200, 10), odd: new nn.Linear(200, 1) });
 *   forward(x: Tensor): Tensor {
 *     return this.heads.get('digit').forward(this.body.forward(x).sigmoid());
 *   }
 * }
 */
export class ModuleDict extends Module {
  readonly #items = new Map<string, Module>();

  /** @param modules a plain object (`{ name: module }`), a `Map`, `[name, module]` pairs, or another ModuleDict. */
  constructor(modules: Entries = {}) {
    super();
    checkArgumentCount('ModuleDict', arguments, 1, 'new ModuleDict({ name: module })');
    this.update(modules);
  }

  /** The module under `key`; an error naming the keys there are when there is none (see `has`). */
  get(key: string): Module {
    const m = this.#items.get(key);
    if (m === undefined) {
      const keys = [...this.#items.keys()].map((k) => `'${k}'`).join(', ');
      throw new RangeError(`ModuleDict: no module under '${key}' (keys: ${keys || 'none'})`);
    }
    return m;
  }

  /** Puts `module` under `key`: a new key goes last; an existing one keeps its place and its module is replaced. */
  set(key: string, module: Module): this {
    if (typeof key !== 'string' || key === '' || key.includes('.')) {
      throw new TypeError(`ModuleDict: a key must be a non-empty string without '.', got ${describeValue(key)}`);
    }
    if (!(module instanceof Module)) throw new TypeError(`ModuleDict: the value under '${key}' is not a Module (${describeKind(module)})`);
    // A key that names a member (`training`, `parameters`, …) would hide it, and the module would be lost among them.
    if (!this.#items.has(key) && key in this) {
      throw new RangeError(`ModuleDict: the key '${key}' is the name of a member of the module (a property or method), as PyTorch refuses it ("attribute '${key}' already exists"): choose another key`);
    }
    this.holdModule(key, module);
    this.#items.set(key, module);
    return this;
  }

  has(key: string): boolean {
    return this.#items.has(key);
  }

  /** Removes the module under `key`; true if there was one. */
  delete(key: string): boolean {
    if (!this.#items.delete(key)) return false;
    this.unregisterModule(key);
    return true;
  }

  /** Removes the module under `key` and returns it (an error when there is none). */
  pop(key: string): Module {
    const m = this.get(key);
    this.delete(key);
    return m;
  }

  /** Removes every module. */
  clear(): void {
    for (const key of [...this.#items.keys()]) this.delete(key);
  }

  /** Puts every entry of `modules` (a plain object, a `Map`, `[name, module]` pairs or a ModuleDict), in order. */
  update(modules: Entries): this {
    let entries: Iterable<readonly [string, Module]>;
    if (modules instanceof ModuleDict) entries = [...modules.items()];
    else if (isPlainObject(modules)) entries = Object.entries(modules as Record<string, Module>);
    else if (typeof modules === 'object' && modules !== null && !(modules instanceof Module) && !(modules instanceof Tensor) && Symbol.iterator in modules) entries = modules;
    else throw new TypeError(`ModuleDict: expects a plain object, a Map or [name, module] pairs, e.g. new nn.ModuleDict({ fc: layer }); got ${describeValue(modules)}`);
    let i = 0;
    for (const entry of entries) {
      if (!Array.isArray(entry) || entry.length !== 2) throw new TypeError(`ModuleDict: entry ${i} is not a [name, module] pair`);
      this.set(entry[0], entry[1]);
      i++;
    }
    return this;
  }

  get length(): number {
    return this.#items.size;
  }

  keys(): IterableIterator<string> {
    return this.#items.keys();
  }

  values(): IterableIterator<Module> {
    return this.#items.values();
  }

  /** `[key, module]` pairs, in order. */
  items(): IterableIterator<[string, Module]> {
    return this.#items.entries();
  }

  /** The keys, in order (as iterating a PyTorch ModuleDict gives them). */
  [Symbol.iterator](): IterableIterator<string> {
    return this.#items.keys();
  }

  /**
   * `d.z = module` would make a sub-module that is not one of the keys (PyTorch's ModuleDict takes it as key 'z';
   * here the keys are kept apart from properties): refused, pointing to `set`.
   */
  protected override strayMember(key: string, value: unknown): Error | undefined {
    if (!(value instanceof Module)) return undefined;
    return new TypeError(`ModuleDict: a module assigned as the property '${key}' is not one of the keys; put it in with set('${key}', module) (or update({ ${key}: module }))`);
  }

  /** A ModuleDict only holds modules: call them from your own module's forward. */
  forward(_input: Tensor): never {
    throw new Error("ModuleDict has no forward(): call its modules in your module's forward, e.g. this.heads.get('digit').forward(x)");
  }
}
