// PyTorch's torch/nn/utils/convert_parameters.py: all parameters as one flat vector, and back.
import { noGrad } from '../../autograd/grad-mode.js';
import { describeValue } from '../../options.js';
import { cat } from '../../ops/join.js';
import { Tensor } from '../../tensor/tensor.js';
import { Module } from '../module.js';

function tensorsOf(name: string, parameters: unknown): Tensor[] {
  if (parameters instanceof Module) throw new TypeError(`${name}: got a module (${describeValue(parameters)}), not its parameters: pass model.parameters()`);
  if (typeof parameters !== 'object' || parameters === null || typeof (parameters as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function') {
    throw new TypeError(`${name}: parameters must be an array (or other iterable) of tensors, such as model.parameters(); got ${describeValue(parameters)}`);
  }
  const out: Tensor[] = [];
  for (const p of parameters as Iterable<unknown>) {
    if (!(p instanceof Tensor)) throw new TypeError(`${name}: parameter ${out.length} is not a Tensor (got ${describeValue(p)})`);
    out.push(p);
  }
  return out;
}

/**
 * The parameters flattened and joined into one 1-D tensor, in order (PyTorch's `parameters_to_vector`). It is a new
 * tensor in the graph (gradients flow back to the parameters), not a view of them.
 *
 * @example
 * const flat = nn.utils.parametersToVector(model.parameters());
 */
export function parametersToVector(parameters: Iterable<Tensor>): Tensor {
  const ps = tensorsOf('parametersToVector', parameters);
  if (ps.length === 0) throw new RangeError('parametersToVector: no parameters (PyTorch\'s torch.cat refuses an empty list too)');
  return cat(ps.map((p) => p.reshape(-1)));
}

/**
 * Copies the values of the 1-D tensor `vec` into the parameters, in order, each taking as many values as it holds
 * (PyTorch's `vector_to_parameters`). The copy is made outside the graph, as PyTorch's `param.data = …`: the
 * parameters stay leaves. `vec` must hold at least as many values as the parameters together; from a longer one
 * they take its first values, as PyTorch's. Unlike PyTorch 1.13's (whose parameters then share `vec`'s storage), the
 * parameters keep their own storage: a later change to `vec` does not reach them.
 *
 * @example
 * nn.utils.vectorToParameters(flat, model.parameters());
 */
export function vectorToParameters(vec: Tensor, parameters: Iterable<Tensor>): void {
  const name = 'vectorToParameters';
  if (!(vec instanceof Tensor)) throw new TypeError(`${name}: expected a Tensor, but got: ${describeValue(vec)}`);
  if (vec.ndim !== 1) throw new RangeError(`${name}: vec must be 1-D, got shape [${vec.shape.join(', ')}]`);
  const ps = tensorsOf(name, parameters);
  const total = ps.reduce((n, p) => n + p.numel(), 0);
  if (vec.numel() < total) throw new RangeError(`${name}: vec has ${vec.numel()} values, the parameters hold ${total}`);
  noGrad(() => {
    let at = 0;
    for (const p of ps) {
      const n = p.numel();
      p.copy_(vec.narrow(0, at, n).reshape(...p.shape));
      at += n;
    }
  });
}
