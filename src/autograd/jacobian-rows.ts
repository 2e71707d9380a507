// The rows of a Jacobian by reverse mode, one backward per output element: jacobian's and hessian's work, kept apart
// from functional.ts so that `autograd.functional` holds PyTorch's names only.
import { Tensor } from '../tensor/tensor.js';
import { stack } from '../ops/join.js';
import { grad } from './grad.js';
import { zerosOf } from './functional-args.js';

function independentError(out: number, input: number): Error {
  return new Error(`jacobian: output ${out} of the function is independent of input ${input}, which strict mode does not allow (PyTorch's message); leave strict out to get zeros`);
}

/**
 * ∂out/∂input for each input: one backward per element of `out`, with that element's gradient one. The graph is
 * released after the last unless `retainAll` (a Hessian's rows share the first derivatives' graph).
 */
export function jacobianOfOutput(out: Tensor, index: number, inputs: readonly Tensor[], strict: boolean, retainAll = false): Tensor[] {
  const n = out.numel();
  const blocks = inputs.map((t) => new Float32Array(n * t.numel()));
  if (!out.requiresGrad) {
    if (strict) throw independentError(index, 0);
  } else {
    for (let e = 0; e < n; e++) {
      const seed = new Float32Array(n);
      seed[e] = 1;
      const grads = grad(out, inputs, new Tensor(seed, out.shape), { retainGraph: retainAll || e < n - 1, allowUnused: true });
      grads.forEach((g, j) => {
        if (g === null) {
          if (strict) throw independentError(index, j);
          return;
        }
        blocks[j]!.set(g.values(), e * inputs[j]!.numel());
      });
    }
  }
  return inputs.map((t, j) => new Tensor(blocks[j]!, [...out.shape, ...t.shape]));
}

/**
 * `jacobianOfOutput` with the graph of every row kept (createGraph): the rows are stacked with recorded ops, and viewed
 * in the result's shape as PyTorch's `torch.stack(rows).view(...)` (its node: ViewBackward0).
 */
export function jacobianWithGraph(out: Tensor, index: number, inputs: readonly Tensor[], strict: boolean): Tensor[] {
  const n = out.numel();
  const rows: Tensor[][] = inputs.map(() => []);
  for (let e = 0; e < n; e++) {
    const seed = new Float32Array(n);
    seed[e] = 1;
    const grads: (Tensor | null)[] = out.requiresGrad ? grad(out, inputs, new Tensor(seed, out.shape), { createGraph: true, allowUnused: true }) : inputs.map(() => null);
    grads.forEach((g, j) => {
      if (g === null && strict) throw independentError(index, j);
      // A row with no graph (the output is linear in the input) cannot be differentiated again: PyTorch refuses it.
      if (g !== null && strict && !g.requiresGrad) {
        throw new Error(`jacobian: the Jacobian of output ${index} of the function with respect to input ${j} is independent of the inputs (the output is linear in it), which strict mode does not allow with createGraph (PyTorch: "This is not allowed in strict mode when create_graph=True"); leave strict out`);
      }
      rows[j]!.push(g ?? zerosOf(inputs[j]!.shape));
    });
  }
  return inputs.map((t, j) => (n === 0 ? zerosOf([...out.shape, ...t.shape]) : stack(rows[j]!).view([...out.shape, ...t.shape])));
}
