// F.marginRankingLoss, as PyTorch 1.13's: max(0, −target·(input1 − input2) + margin), then the reduction
// (ClampMinBackward0 unreduced, MeanBackward0 / SumBackward0 reduced).
import { checkOptions, describeValue } from '../options.js';
import type { Tensor } from '../tensor/tensor.js';
import { KindlingError } from '../errors.js';
import { applyReduction, checkReduction, type Reduction } from './reduction.js';
import { checkTensor } from './util.js';
import { checkLossBroadcast } from './loss-target-shape.js';

export interface MarginRankingLossOptions {
  /** Default 0. */
  readonly margin?: number;
  /** 'mean' (default), 'sum' or 'none'. */
  readonly reduction?: Reduction;
}

/** PyTorch's `F.margin_ranking_loss(input1, input2, target, margin=0, reduction='mean')`. */
export function marginRankingLoss(input1: Tensor, input2: Tensor, target: Tensor, options: MarginRankingLossOptions = {}): Tensor {
  const where = 'marginRankingLoss';
  checkTensor(input1, where);
  checkTensor(input2, where);
  checkTensor(target, where);
  const o = checkOptions<MarginRankingLossOptions>(where, options, ['margin', 'reduction']);
  const margin = o.margin ?? 0;
  if (typeof margin !== 'number' || Number.isNaN(margin)) throw new TypeError(`${where}: margin must be a number, got ${describeValue(margin)}`);
  const reduction = checkReduction(o.reduction ?? 'mean', where);
  if (input1.ndim !== input2.ndim || input1.ndim !== target.ndim) {
    throw new KindlingError(`margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: torch.Size([${input1.shape.join(', ')}]), input2: torch.Size([${input2.shape.join(', ')}]), target: torch.Size([${target.shape.join(', ')}]) `);
  }
  checkLossBroadcast(where, ['input1', input1], ['input2', input2], ['target', target]);
  return applyReduction(target.neg().mul(input1.sub(input2)).add(margin).clampMin(0), reduction);
}
