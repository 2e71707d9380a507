import { checkArgumentCount, describeValue, shownValue } from '../options.js';
import { Module } from './module.js';

/**
 * Modules in order, registered as '0', '1', … as in PyTorch (so their parameters are `0.weight`, `1.bias`, …): what
 * `Sequential` and `ModuleList` share. The list is kept in a #private field, which the property scan does not see.
 */
export abstract class ModuleArray extends Module {
  /**
   * `model[0]`, `model[-1]` and `model[1] = layer`, as in PyTorch: a non-enumerable accessor per index (and per
   * negative index), so they are not taken for members. An index out of range reads undefined, where PyTorch raises
   * an IndexError (only a Proxy could see every index, and it would slow every read of the model's properties):
   * `at(i)` is the checked read. Writing one past either end throws; writing further out is refused by the next
   * call that finds the members (`parameters()`, `stateDict()`, printing, …); `delete model[i]` is refused (`pop(i)`
   * removes one). The accessors are made once per index and never removed (they cannot be: see `append`), so after
   * a `pop` the indices past the new end read undefined and refuse a module, as the first one past the end does
   * (`i in model` stays true for them: loop to `model.length`).
   */
  [index: number]: Module;
  readonly #items: Module[] = [];

  /** Adds `m` at the end, under the next index. */
  append(m: Module): this {
    this.checkItem(m, this.#items.length);
    const index = this.#items.length;
    this.holdModule(String(index), m);
    this.#items.push(m);
    // Not configurable: `delete model[0]` would drop the accessor and leave the module in place (PyTorch's `del`
    // renumbers the rest, which plain properties cannot follow), so strict code gets a TypeError instead.
    const at = { enumerable: false, configurable: false };
    // An index that held a module before a pop keeps its accessor, which reads and writes whatever is at it now.
    if (!this.#hasIndexAccessor(index)) {
      Object.defineProperty(this, index, { ...at, get: () => this.#items[index], set: (v: Module) => this.#setAt(index, v) });
    }
    const back = -(index + 1);
    if (!this.#hasIndexAccessor(back)) {
      Object.defineProperty(this, back, { ...at, get: () => this.#items[this.#items.length + back], set: (v: Module) => this.#setAt(back, v) });
    }
    this.#guardEnds();
    return this;
  }

  /**
   * Appends every module of `modules`, as PyTorch's `extend`: what is not iterable is refused with the container's
   * message (see `notIterable`); a string is iterable, so its first character is refused as not a Module, as PyTorch's
   * 'str is not a Module subclass'.
   */
  extend(modules: Iterable<Module>): this {
    if (typeof modules !== 'string' && (typeof modules !== 'object' || modules === null || typeof (modules as Partial<Iterable<Module>>)[Symbol.iterator] !== 'function')) {
      throw new TypeError(this.notIterable(modules));
    }
    // Taken first: extending with itself appends its modules once, as a Python list does.
    for (const m of [...modules]) this.append(m);
    return this;
  }

  constructor() {
    super();
    this.#guardEnds();
  }

  /**
   * The first index past each end reads undefined and refuses a module, as PyTorch's IndexError (the next append
   * turns it into a real index); an index further out is a plain property, refused when the members are found.
   */
  #guardEnds(): void {
    const n = this.#items.length;
    for (const past of [n, -(n + 1)]) {
      if (this.#hasIndexAccessor(past)) continue;
      Object.defineProperty(this, past, { enumerable: false, configurable: true, get: () => undefined, set: () => { throw this.#outOfRange(past); } });
    }
  }

  /** True when `index` has the accessor of a real index (made by `append`, never removed). */
  #hasIndexAccessor(index: number): boolean {
    return Object.getOwnPropertyDescriptor(this, index)?.configurable === false;
  }

  /** `model[index] = m`, `index` negative from the end: out of range (after a pop) is refused as past the end is. */
  #setAt(index: number, m: Module): void {
    const n = this.#items.length;
    const at = index < 0 ? index + n : index;
    if (at < 0 || at >= n) throw this.#outOfRange(index);
    this.#replace(at, m);
  }

  #outOfRange(index: number | string): RangeError {
    const n = this.#items.length;
    return new RangeError(`${this.constructor.name}: index ${index} is out of range (length ${n}): model[i] = m replaces one of the modules; append(m) adds one at the end`);
  }

  protected override strayMember(key: string, _value: unknown): Error | undefined {
    return /^-?[0-9]+$/.test(key) ? this.#outOfRange(key) : undefined;
  }

  /**
   * Puts `m` before the module at `index` (negative counts from the end; the length adds it at the end), the
   * modules from there on moving up one index, as PyTorch's `insert`.
   */
  insert(index: number, m: Module): this {
    const n = this.#items.length;
    if (!Number.isInteger(index) || index < -n || index > n) {
      throw new RangeError(`${this.constructor.name}.insert: index ${shownValue(index)} is out of range for length ${n} (0 to ${n}, or -${n} to -1)`);
    }
    const at = index < 0 ? index + n : index;
    this.checkItem(m, at);
    const next = [...this.#items.slice(0, at), m, ...this.#items.slice(at)];
    this.append(next[n]!);
    for (let k = n - 1; k >= at; k--) this.#replace(k, next[k]!);
    return this;
  }

  /**
   * Removes the module at `index` (negative counts from the end) and returns it, the modules after it moving down one
   * index (and their parameters' names with them: `2.weight` becomes `1.weight`), as PyTorch's `pop(key)`. Without
   * an index it removes the last one, as an array's `pop()` does (PyTorch asks for the key).
   */
  pop(index = -1): Module {
    const n = this.#items.length;
    const name = this.constructor.name;
    checkArgumentCount(`${name}.pop`, arguments, 1, 'pop(index): one module at a time');
    if (!Number.isInteger(index)) throw new TypeError(`${name}.pop: index must be an integer, got ${describeValue(index)}`);
    if (index < -n || index >= n) {
      throw new RangeError(`${name}.pop: index ${index} is out of range for length ${n}${n === 0 ? ' (it is empty)' : ` (0 to ${n - 1}, or -${n} to -1)`}`);
    }
    const at = index < 0 ? index + n : index;
    const [removed] = this.#items.splice(at, 1);
    for (let k = at; k < n - 1; k++) this.holdModule(String(k), this.#items[k]!);
    this.unregisterModule(String(n - 1));
    this.#guardEnds();
    return removed!;
  }

  /**
   * The modules from `start` up to, not including, `end`, every `step`-th (negative indices count from the end, as an
   * array's `slice`) in a new container, as PyTorch's `model[start:end:step]`: the modules themselves, not copies, so
   * training the slice trains them in this one too. The new container is a plain Sequential or ModuleList: on a
   * subclass (whose forward or constructor may differ) slice is refused, saying how to build one.
   */
  slice(start?: number, end?: number, step = 1): this {
    const name = this.constructor.name;
    checkArgumentCount(`${name}.slice`, arguments, 3, 'slice(start, end, step)');
    for (const [what, v] of [['start', start], ['end', end], ['step', step]] as const) {
      if (v !== undefined && !Number.isInteger(v)) throw new TypeError(`${name}.slice: ${what} must be an integer, got ${describeValue(v)}`);
    }
    if (step < 1) throw new RangeError(`${name}.slice: step must be 1 or more, got ${step} (for the modules in reverse order, build one from [...model].reverse())`);
    const made = this.make([]);
    if (made.constructor !== this.constructor) {
      throw new TypeError(`${name}.slice: slicing a subclass of ${made.constructor.name} would give a plain ${made.constructor.name}, without ${name}'s own forward; build one from the modules: new ${name}(...[...model].slice(start, end))`);
    }
    // A container of this very class (subclasses were refused above), so `this` is its type.
    return this.make(this.#items.slice(start, end).filter((_, i) => i % step === 0)) as this;
  }

  /** A new container of this kind (Sequential or ModuleList) holding `modules`, for `slice`. */
  protected abstract make(modules: Module[]): ModuleArray;

  /** The message for `extend(value)` of what is not iterable: PyTorch 1.13's ModuleList's (Sequential has its own). */
  protected notIterable(value: unknown): string {
    return `${this.constructor.name}.extend should be called with an iterable, but got ${describeValue(value)}`;
  }

  /** Refuses what this container cannot hold at `index` (anything but a Module). */
  protected checkItem(m: unknown, index: number): asserts m is Module {
    if (!(m instanceof Module)) {
      const hint = Array.isArray(m) ? ` (an array: ${this.spreadHint()})` : '';
      throw new TypeError(`${this.constructor.name}: item ${index} is not a Module${hint}`);
    }
  }

  /** Puts `m` at `index` in place of the module there (PyTorch's `model[i] = layer`). */
  #replace(index: number, m: Module): void {
    this.checkItem(m, index);
    this.holdModule(String(index), m);
    this.#items[index] = m;
  }

  /** The modules, in order (not a copy: do not change it). */
  protected get items(): readonly Module[] {
    return this.#items;
  }

  /** How to pass several modules, for the error about an array passed as one item. */
  protected abstract spreadHint(): string;

  get length(): number {
    return this.#items.length;
  }

  /**
   * The module at index `i` (negative counts from the end); name its type to reach its fields in TypeScript:
   * `model.at<nn.Linear>(0).weight`.
   */
  at<M extends Module = Module>(i: number): M {
    if (!Number.isInteger(i)) throw new TypeError(`${this.constructor.name}: index must be an integer, got ${describeValue(i)}`);
    const m = this.#items[i < 0 ? i + this.#items.length : i];
    if (!m) throw new RangeError(`${this.constructor.name}: index ${i} out of range (length ${this.#items.length})`);
    return m as M;
  }

  [Symbol.iterator](): Iterator<Module> {
    return this.#items[Symbol.iterator]();
  }
}
