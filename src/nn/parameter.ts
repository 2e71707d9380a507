import { Tensor } from '../tensor/tensor.js';
import { markParameter } from './members.js';

/** `new nn.Parameter(data, requiresGrad?)`: the constructor's type (it returns a Tensor, as PyTorch's Parameter is one). */
export interface ParameterConstructor {
  new (data: Tensor, requiresGrad?: boolean): Tensor;
}

/**
 * PyTorch's `nn.Parameter`: a leaf tensor sharing `data`'s storage, requiring grad (unless `requiresGrad` is false),
 * marked so that a module holding it in a property counts it among its parameters (a plain tensor that requires
 * grad is not one, as in PyTorch).
 *
 * @example
 * class Scale extends nn.Module {
 *   scale = new nn.Parameter(ones(1));
 *   forward(x: Tensor): Tensor { return x.mul(this.scale); }
 * }
 */
/** The type of a parameter held in a field (`weight: nn.Parameter`): a Tensor, as PyTorch's Parameter is one. */
export type Parameter = Tensor;

export const Parameter = function Parameter(data: Tensor, requiresGrad = true): Tensor {
  if (!(data instanceof Tensor)) throw new TypeError(`nn.Parameter: expected a Tensor, got ${data === null ? 'null' : typeof data}`);
  if (typeof requiresGrad !== 'boolean') throw new TypeError(`nn.Parameter: requiresGrad must be true or false, got ${String(requiresGrad)}`);
  const t = data.detach();
  t.requiresGrad = requiresGrad;
  return markParameter(t);
} as unknown as ParameterConstructor;
