import { Module } from './module.js';

/**
 * Modules in order, registered as '0', '1', … as in PyTorch (so their parameters are `0.weight`, `1.bias`, …): what
 * `Sequential` and `ModuleList` share. The list is kept in a #private field, which the property scan does not see.
 */
export abstract class ModuleArray extends Module {
  /** `model[0]`, as PyTorch's `model[0]` (a non-enumerable property per index, so it is not taken for a member). */
  readonly [index: number]: Module;
  readonly #items: Module[] = [];

  /** Adds `m` at the end, under the next index. */
  append(m: Module): this {
    if (!(m instanceof Module)) {
      const hint = Array.isArray(m) ? ` (an array: ${this.spreadHint()})` : '';
      throw new TypeError(`${this.constructor.name}: item ${this.#items.length} is not a Module${hint}`);
    }
    const index = this.#items.length;
    this.registerModule(String(index), m);
    this.#items.push(m);
    Object.defineProperty(this, index, { value: m, enumerable: false, configurable: true });
    return this;
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
    const m = this.#items[i < 0 ? i + this.#items.length : i];
    if (!m) throw new RangeError(`${this.constructor.name}: index ${i} out of range (length ${this.#items.length})`);
    return m as M;
  }

  [Symbol.iterator](): Iterator<Module> {
    return this.#items[Symbol.iterator]();
  }
}
