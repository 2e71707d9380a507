import type { Tensor } from '../tensor/tensor.js';
import { describeValue, isPlainObject, checkArgumentCount } from '../options.js';
import { Module } from './module.js';
import { ModuleArray } from './module-array.js';

/** Applies its modules in order; they are named '0', '1', … as in PyTorch. */
export class Sequential extends ModuleArray {
  constructor(...modules: Module[]) {
    super();
    for (const m of modules) this.append(m);
  }

  /** PyTorch 1.13's Sequential.extend(3) fails in its loop: "'int' object is not iterable". */
  protected override notIterable(value: unknown): string {
    return `${this.constructor.name}.extend: ${describeValue(value)} is not iterable`;
  }

  /** A module a Sequential calls must have a `forward`. */
  protected override checkItem(m: unknown, index: number): asserts m is Module {
    // PyTorch's nn.Sequential(OrderedDict([('fc', …), …])) names its layers; Kindling's are named 0, 1, ….
    if (m instanceof Map || (isPlainObject(m) && Object.values(m).some((v) => v instanceof Module))) {
      const spread = m instanceof Map ? '...map.values()' : '...Object.values(layers)';
      throw new TypeError(
        `Sequential: item ${index} is ${describeValue(m)} of named modules, as PyTorch's nn.Sequential(OrderedDict(...)); ` +
          `Kindling's Sequential names its modules 0, 1, …: pass them as arguments (new Sequential(${spread})), ` +
          'or hold them under your names in a class extending nn.Module (or an nn.ModuleDict)',
      );
    }
    super.checkItem(m, index);
    // Module's own forward only says it is missing (a container module, or a class without one).
    if (typeof (m as Partial<Module>).forward !== 'function' || m.forward === Module.prototype.forward) {
      throw new TypeError(`Sequential: item ${index} (${m.constructor.name}) has no forward() method to call`);
    }
  }

  protected override make(modules: Module[]): Sequential {
    return new Sequential(...modules);
  }

  protected override spreadHint(): string {
    return 'pass the modules as separate arguments, or spread it: new Sequential(...layers)';
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('Sequential.forward', arguments, 1, 'forward(input); a target goes to the loss');
    const layers = this.items;
    let x = input;
    for (let i = 0; i < layers.length; i++) x = layers[i]!.forward(x);
    return x;
  }
}
