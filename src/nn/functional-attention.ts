// PyTorch's F.multi_head_attention_forward: nn.MultiheadAttention's computation with the weights passed in
// (sequence-first inputs, as PyTorch's function takes them).
import { checkTensor } from '../ops/util.js';
import { checkOptions, describeValue } from '../options.js';
import type { Tensor } from '../tensor/tensor.js';
import { multiHeadAttention } from './attention-forward.js';
import { readMask, refuse, type AttentionMask } from './attention-mask.js';
import { flag } from './multihead-attention.js';

export interface MultiHeadAttentionForwardOptions {
  readonly training?: boolean;
  readonly keyPaddingMask?: AttentionMask | null;
  readonly needWeights?: boolean;
  readonly attnMask?: AttentionMask | null;
  readonly useSeparateProjWeight?: boolean;
  readonly qProjWeight?: Tensor | null;
  readonly kProjWeight?: Tensor | null;
  readonly vProjWeight?: Tensor | null;
  readonly staticK?: Tensor | null;
  readonly staticV?: Tensor | null;
  readonly averageAttnWeights?: boolean;
}

const OPTIONS = ['training', 'keyPaddingMask', 'needWeights', 'attnMask', 'useSeparateProjWeight', 'qProjWeight', 'kProjWeight', 'vProjWeight', 'staticK', 'staticV', 'averageAttnWeights'] as const;

/**
 * `[output, weights]` of multi-head attention with the given weights, as PyTorch's `F.multi_head_attention_forward(query,
 * key, value, embed_dim_to_check, num_heads, in_proj_weight, in_proj_bias, bias_k, bias_v, add_zero_attn, dropout_p,
 * out_proj_weight, out_proj_bias, …)`: query [L, N, E] (or [L, E]), the same order of positional arguments, the
 * keyword ones as options (`training` true by default, as PyTorch's). `biasK` and `biasV` ([1, 1, E], both or
 * neither) are appended to the keys and values, `addZeroAttn` appends zeros, as PyTorch's; static keys are refused.
 */
export function multiHeadAttentionForward(
  query: Tensor, key: Tensor, value: Tensor, embedDimToCheck: number, numHeads: number, inProjWeight: Tensor | null, inProjBias: Tensor | null,
  biasK: Tensor | null, biasV: Tensor | null, addZeroAttn: boolean, dropoutP: number, outProjWeight: Tensor, outProjBias: Tensor | null,
  options: MultiHeadAttentionForwardOptions = {},
): [Tensor, Tensor | null] {
  const where = 'multiHeadAttentionForward';
  checkTensor(query, where, 'query');
  checkTensor(key, where, 'key');
  checkTensor(value, where, 'value');
  checkTensor(outProjWeight, where, 'outProjWeight');
  const o = checkOptions(where, options, [...OPTIONS]);
  if (biasK !== null) checkTensor(biasK, where, 'biasK');
  if (biasV !== null) checkTensor(biasV, where, 'biasV');
  if ((o.staticK ?? null) !== null || (o.staticV ?? null) !== null) throw refuse(where, 'staticK and staticV are not supported');
  if (!Number.isInteger(numHeads) || numHeads <= 0) throw refuse(where, `numHeads must be a positive whole number, got ${describeValue(numHeads)}`);
  if (typeof dropoutP !== 'number' || !(dropoutP >= 0 && dropoutP <= 1)) throw refuse(where, `dropoutP must be a probability in [0, 1], got ${describeValue(dropoutP)}`);
  const separate = flag(where, 'useSeparateProjWeight', o.useSeparateProjWeight, false);
  if (separate && (!o.qProjWeight || !o.kProjWeight || !o.vProjWeight)) throw refuse(where, 'use_separate_proj_weight is True but q_proj_weight, k_proj_weight or v_proj_weight is None');
  if (!separate && inProjWeight === null) throw refuse(where, 'use_separate_proj_weight is False but in_proj_weight is None');
  if (embedDimToCheck !== query.shape[query.ndim - 1]) throw refuse(where, `was expecting embedding dimension of ${embedDimToCheck}, but got ${query.shape[query.ndim - 1]}`);
  return multiHeadAttention(where, query, key, value, {
    embedDim: embedDimToCheck, numHeads, inProjWeight: separate ? null : inProjWeight,
    qProjWeight: separate ? o.qProjWeight! : null, kProjWeight: separate ? o.kProjWeight! : null, vProjWeight: separate ? o.vProjWeight! : null,
    inProjBias, biasK, biasV, addZeroAttn: flag(where, 'addZeroAttn', addZeroAttn, false), outProjWeight, outProjBias, dropout: dropoutP, training: flag(where, 'training', o.training, true),
  }, {
    keyPaddingMask: readMask(o.keyPaddingMask, where, 'keyPaddingMask'),
    attnMask: readMask(o.attnMask, where, 'attnMask'),
    needWeights: flag(where, 'needWeights', o.needWeights, true),
    averageAttnWeights: flag(where, 'averageAttnWeights', o.averageAttnWeights, true),
  });
}
