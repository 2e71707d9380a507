import { checkArgumentCount } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';
import { ModuleArray } from './module-array.js';

/**
 * Holds sub-modules in a list, like PyTorch's `nn.ModuleList`: a module's property holding one registers them all,
 * as '0', '1', … under the property's name (`layers.0.weight`). A plain array of modules is not looked into.
 *
 * @example
 * class Deep extends nn.Module {
 *   layers = new nn.ModuleList([new nn.Linear(784, 200), new nn.Linear(200, 10)]);
 *   forward(x: Tensor): Tensor {
 *     for (const layer of this.layers) x = layer.forward(x).sigmoid();
 *     return x;
 *   }
 * }
 */
export class ModuleList extends ModuleArray {
  constructor(modules: Iterable<Module> = []) {
    super();
    checkArgumentCount('ModuleList', arguments, 1, 'new ModuleList([module, …])');
    if (modules instanceof Module || modules instanceof Tensor || typeof (modules as Partial<Iterable<Module>>)[Symbol.iterator] !== 'function') {
      throw new TypeError('ModuleList: expects an array (or other iterable) of modules, e.g. new nn.ModuleList([a, b])');
    }
    for (const m of modules) this.append(m);
  }

  protected override make(modules: Module[]): ModuleList {
    return new ModuleList(modules);
  }

  protected override spreadHint(): string {
    return 'extend() takes an array: list.extend(layers)';
  }

  /** A ModuleList only holds modules: call them from your own module's forward. */
  forward(_input: Tensor): never {
    throw new Error('ModuleList has no forward(): call its modules in your module\'s forward, e.g. for (const layer of this.layers) x = layer.forward(x)');
  }
}
