// The chapter's six variants for the benchmark and the backend-equivalence test: the lab's own definitions
// (src/lab/variants.ts), built with the default generator so that `manualSeed(s)` first gives PyTorch's weights.
import { getDefaultGenerator, type nn, type optim, type Tensor } from '../src/index.js';
import { buildLoss, buildModel, buildOptimizer } from '../src/lab/model.js';
import { findVariant } from '../src/lab/variants.js';

export const VARIANTS = ['baseline', 'bce', 'leakyrelu', 'adam', 'layernorm', 'combined'] as const;
export type Variant = (typeof VARIANTS)[number];

export interface Setup {
  model: nn.Sequential;
  lossFn: { forward(input: Tensor, target: Tensor): Tensor };
  opt: optim.Optimizer;
}

/** Model, loss and optimiser of one variant (call `manualSeed` first for PyTorch's initial weights). */
export function buildVariant(variant: string, sizes: readonly [number, number, number] = [784, 200, 10]): Setup {
  const v = findVariant(variant);
  if (v === undefined) throw new Error(`unknown variant ${variant}`);
  const [nIn, nHid, nOut] = sizes;
  const config = { ...v.config, hidden: nHid };
  const model = buildModel(config, getDefaultGenerator(), nIn, nOut);
  return { model, lossFn: buildLoss(config), opt: buildOptimizer(config, model.parameters()) };
}
