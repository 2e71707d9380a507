// The chapter's six variants (see /work/shared/docs/protocol.md), built from Kindling's public API exactly as a
// user would write them, for the benchmark and the backend-equivalence test.
import { nn, optim, type Tensor } from '../src/index.js';

export const VARIANTS = ['baseline', 'bce', 'leakyrelu', 'adam', 'layernorm', 'combined'] as const;
export type Variant = (typeof VARIANTS)[number];

export interface Setup {
  model: nn.Sequential;
  lossFn: { forward(input: Tensor, target: Tensor): Tensor };
  opt: optim.Optimizer;
}

/** Model, loss and optimiser of one variant (call `manualSeed` first for PyTorch's initial weights). */
export function buildVariant(variant: Variant, sizes: readonly [number, number, number] = [784, 200, 10]): Setup {
  const [nIn, nHid, nOut] = sizes;
  const lrelu = (): nn.LeakyReLU => new nn.LeakyReLU(0.02);
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
  }
  const model = new nn.Sequential(...layers);
  const lossFn = variant === 'bce' || variant === 'combined' ? new nn.BCELoss() : new nn.MSELoss();
  const opt = variant === 'adam' || variant === 'combined' ? new optim.Adam(model.parameters()) : new optim.SGD(model.parameters(), { lr: 0.01 });
  return { model, lossFn, opt };
}
