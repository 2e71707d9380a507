// The chapter's variants for the end-to-end golden tests: the lab's definitions, checked against bench/torch_reference.py's.
import type { nn, optim } from '../../src/index.js';
import { buildVariant as buildLab } from '../../bench/variants.js';
import type { Tensor } from '../../src/index.js';

export type VariantName = 'baseline' | 'bce' | 'leakyrelu' | 'adam' | 'layernorm' | 'combined';

export interface Built {
  model: nn.Sequential;
  loss: { forward(input: Tensor, target: Tensor): Tensor };
  optimizer: optim.Optimizer;
}

/**
 * Model, loss and optimiser of one variant, from the lab's own definitions (so these tests prove that what
 * `kindling reproduce` trains is what bench/torch_reference.py trains); the caller seeds the generator first, since
 * the Linear layers draw their initial weights in construction order, as in PyTorch. `sizes` (in, hidden, out)
 * shrink only for e2e-tiny.
 */
export function buildVariant(variant: string, sizes: readonly [number, number, number] = [784, 200, 10]): Built {
  const { model, lossFn, opt } = buildLab(variant, sizes);
  return { model, loss: lossFn, optimizer: opt };
}

/** The book's loop body, in its order: forward, loss, zero_grad, backward, step. Returns output and loss. */
export function trainStep(b: Built, x: Tensor, y: Tensor): { output: Tensor; loss: Tensor } {
  const output = b.model.forward(x);
  const loss = b.loss.forward(output, y);
  b.optimizer.zeroGrad();
  loss.backward();
  b.optimizer.step();
  return { output, loss };
}
