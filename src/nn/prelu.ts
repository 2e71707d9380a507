import { prelu } from '../ops/prelu.js';
import { checkArgumentCount, describeValue, layerArguments } from '../options.js';
import { checkFactoryKwargs, FACTORY_KWARGS, type FactoryKwargs } from '../device.js';
import { refusePythonNames } from '../python-names.js';
import { float32Scalar } from '../tensor/float32-scalar.js';
import { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';
import { parameterStorage } from './parameter-storage.js';

/**
 * PReLU, x for x > 0 and w·x elsewhere with a learnable w, as PyTorch's `nn.PReLU(num_parameters=1, init=0.25)`:
 * `weight` (state_dict key `weight`) holds `numParameters` values, all `init`; one is shared by every element, more
 * go one to each channel of dim 1 (a 1-D input has one channel). `new PReLU(3, 0.1)` or
 * `new PReLU({ numParameters: 3, init: 0.1 })`.
 */
export class PReLU extends Module {
  readonly numParameters: number;
  readonly init: number;
  #weight: Tensor;

  constructor(numParameters?: number, init?: number, device?: string | null, dtype?: string | null);
  constructor(options: { readonly numParameters?: number; readonly init?: number } & FactoryKwargs);
  constructor(numParameters: number, options: { readonly init?: number } & FactoryKwargs);
  constructor() {
    super();
    const args = layerArguments('PReLU', arguments, ['numParameters', 'init', ...FACTORY_KWARGS], 'new PReLU(3, 0.25)');
    checkFactoryKwargs('PReLU', args);
    const n = args['numParameters'] ?? 1;
    const init = args['init'] ?? 0.25;
    if (!Number.isSafeInteger(n) || (n as number) < 0) throw new RangeError(`PReLU: numParameters must be a whole number ≥ 0, got ${describeValue(n)}`);
    if (typeof init !== 'number' || Number.isNaN(init)) throw new TypeError(`PReLU: init must be a number, got ${describeValue(init)}`);
    this.numParameters = n as number;
    this.init = float32Scalar('PReLU', 'init', init);
    this.#weight = this.makeParameter('weight', new Tensor(parameterStorage('PReLU', 'weight', [this.numParameters]), [this.numParameters]));
    this.resetParameters();
  }

  /** The slopes [numParameters]; replaced only by an `nn.Parameter`, as in PyTorch. */
  get weight(): Tensor {
    return this.#weight;
  }
  set weight(v: Tensor) {
    this.#weight = this.assignParameter('weight', v, false);
  }

  /** PyTorch's `reset_parameters`: every slope set to `init`. */
  resetParameters(): void {
    this.#weight.settled().fill(this.init);
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('PReLU.forward', arguments, 1, 'forward(input); a target goes to the loss');
    return prelu(input, this.#weight);
  }

  protected override extraRepr(): string {
    return `num_parameters=${this.numParameters}`;
  }
}

refusePythonNames(PReLU.prototype, 'layer', [['reset_parameters', 'resetParameters', 'method'], ['num_parameters', 'numParameters', 'property']]);
