import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';
import { ModuleArray } from './module-array.js';

/** Applies its modules in order; they are named '0', '1', … as in PyTorch. */
export class Sequential extends ModuleArray {
  constructor(...modules: Module[]) {
    super();
    for (const m of modules) this.append(m);
  }

  /** Adds `m` at the end; it must have a `forward` (a module a Sequential calls). */
  override append(m: Module): this {
    // Module's own forward only says it is missing (a container module, or a class without one).
    if (m instanceof Module && (typeof (m as Partial<Module>).forward !== 'function' || m.forward === Module.prototype.forward)) {
      throw new TypeError(`Sequential: item ${this.length} (${m.constructor.name}) has no forward() method to call`);
    }
    return super.append(m);
  }

  protected override spreadHint(): string {
    return 'pass the modules as separate arguments, or spread it: new Sequential(...layers)';
  }

  forward(input: Tensor): Tensor {
    const layers = this.items;
    let x = input;
    for (let i = 0; i < layers.length; i++) x = layers[i]!.forward(x);
    return x;
  }
}
