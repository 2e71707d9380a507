// The chapter's variants built exactly as bench/torch_reference.py builds them, for the end-to-end golden tests.
import { nn, optim } from '../../src/index.js';
import type { Tensor } from '../../src/index.js';

export type VariantName = 'baseline' | 'bce' | 'leakyrelu' | 'adam' | 'layernorm' | 'combined';

export interface Built {
  model: nn.Sequential;
  loss: { forward(input: Tensor, target: Tensor): Tensor };
  optimizer: optim.Optimizer;
}

/**
 * Model, loss and optimiser of one variant; the caller seeds the generator first, since the Linear layers draw
 * their initial weights in construction order, as in PyTorch. `sizes` (in, hidden, out) shrink only for e2e-tiny.
 */
export function buildVariant(variant: string, sizes: readonly [number, number, number] = [784, 200, 10]): Built {
  const [nIn, nHid, nOut] = sizes;
  const lrelu = (): nn.Module => new nn.LeakyReLU(0.02);
  let layers: nn.Module[];
  switch (variant) {
    case 'baseline':
    case 'bce':
    case 'adam':
      layers = [new nn.Linear(nIn, nHid), new nn.Sigmoid(), new nn.Linear(nHid, nOut), new nn.Sigmoid()];
      break;
    case 'leakyrelu':
      layers = [new nn.Linear(nIn, nHid), lrelu(), new nn.Linear(nHid, nOut), lrelu()];
      break;
    case 'layernorm':
      layers = [new nn.Linear(nIn, nHid), new nn.Sigmoid(), new nn.LayerNorm(nHid), new nn.Linear(nHid, nOut), new nn.Sigmoid()];
      break;
    case 'combined':
      layers = [new nn.Linear(nIn, nHid), lrelu(), new nn.LayerNorm(nHid), new nn.Linear(nHid, nOut), new nn.Sigmoid()];
      break;
    default:
      throw new Error(`unknown variant ${variant}`);
  }
  const model = new nn.Sequential(...layers);
  const loss = variant === 'bce' || variant === 'combined' ? new nn.BCELoss() : new nn.MSELoss();
  const optimizer = variant === 'adam' || variant === 'combined' ? new optim.Adam(model.parameters()) : new optim.SGD(model.parameters(), { lr: 0.01 });
  return { model, loss, optimizer };
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
