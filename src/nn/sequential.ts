import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/** Applies its modules in order; they are named '0', '1', … as in PyTorch. */
export class Sequential extends Module {
  private readonly layers: Module[] = [];

  constructor(...modules: Module[]) {
    super();
    for (const m of modules) this.append(m);
  }

  append(m: Module): this {
    if (!(m instanceof Module)) {
      const hint = Array.isArray(m) ? ' (an array: pass the modules as separate arguments, or spread it: new Sequential(...layers))' : '';
      throw new TypeError(`Sequential: item ${this.layers.length} is not a Module${hint}`);
    }
    this.registerModule(String(this.layers.length), m);
    this.layers.push(m);
    return this;
  }

  get length(): number {
    return this.layers.length;
  }

  at(i: number): Module {
    const m = this.layers[i < 0 ? i + this.layers.length : i];
    if (!m) throw new RangeError(`Sequential: index ${i} out of range (length ${this.layers.length})`);
    return m;
  }

  [Symbol.iterator](): Iterator<Module> {
    return this.layers[Symbol.iterator]();
  }

  forward(input: Tensor): Tensor {
    let x = input;
    for (const m of this.layers) x = m.forward(x);
    return x;
  }
}
