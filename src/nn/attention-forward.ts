// The computation of nn.MultiheadAttention, as PyTorch 1.13's F.multi_head_attention_forward (without static keys),
// composed of differentiable ops in its order, so that autograd follows and the values round as PyTorch's:
// in-projection, bias_k/bias_v appended to the keys and values, the heads split, the zero key and value appended
// (add_zero_attn), q / √headDim, baddbmm with the mask (or bmm), softmax, dropout, bmm with v, the heads merged,
// out-projection.
import { cat } from '../ops/join.js';
import { linear } from '../ops/linear.js';
import { pad } from '../ops/pad.js';
import { repeat } from '../ops/tiling.js';
import { baddbmm, bmm } from '../ops/products.js';
import { dropout } from '../ops/dropout.js';
import { softmax } from '../ops/softmax.js';
import { zeros } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { asOnes, boolToFloat, pyTuple, refuse, torchSize, type ReadMask } from './attention-mask.js';

/** The weights and settings of one attention. @internal */
export interface AttentionWeights {
  readonly embedDim: number;
  readonly numHeads: number;
  /** [3E, E] packed q, k, v weights, or null with separate ones. */
  readonly inProjWeight: Tensor | null;
  readonly qProjWeight: Tensor | null;
  readonly kProjWeight: Tensor | null;
  readonly vProjWeight: Tensor | null;
  readonly inProjBias: Tensor | null;
  /** [1, 1, E] learned key and value appended to every sequence (PyTorch's add_bias_kv), or null. */
  readonly biasK: Tensor | null;
  readonly biasV: Tensor | null;
  /** Appends a key and a value of zeros to every sequence and head (PyTorch's add_zero_attn). */
  readonly addZeroAttn: boolean;
  readonly outProjWeight: Tensor;
  readonly outProjBias: Tensor | null;
  readonly dropout: number;
  readonly training: boolean;
}

/** What the forward takes besides the weights. @internal */
export interface AttentionCall {
  readonly keyPaddingMask: ReadMask | null;
  readonly attnMask: ReadMask | null;
  readonly needWeights: boolean;
  readonly averageAttnWeights: boolean;
}

const dims = (t: Tensor): string => `${t.ndim}-D`;

/** PyTorch's _mha_shape_check: whether the input is batched, refusing what PyTorch refuses with its message. */
export function mhaShapeCheck(where: string, query: Tensor, key: Tensor, value: Tensor, kpm: Tensor | null, mask: Tensor | null, numHeads: number): boolean {
  if (query.ndim === 3) {
    if (key.ndim !== 3 || value.ndim !== 3) {
      throw refuse(where, `For batched (3-D) \`query\`, expected \`key\` and \`value\` to be 3-D but found ${dims(key)} and ${dims(value)} tensors respectively`);
    }
    if (kpm !== null && kpm.ndim !== 2) {
      throw refuse(where, `For batched (3-D) \`query\`, expected \`key_padding_mask\` to be \`None\` or 2-D but found ${dims(kpm)} tensor instead`);
    }
    if (mask !== null && mask.ndim !== 2 && mask.ndim !== 3) {
      throw refuse(where, `For batched (3-D) \`query\`, expected \`attn_mask\` to be \`None\`, 2-D or 3-D but found ${dims(mask)} tensor instead`);
    }
    return true;
  }
  if (query.ndim === 2) {
    if (key.ndim !== 2 || value.ndim !== 2) {
      throw refuse(where, `For unbatched (2-D) \`query\`, expected \`key\` and \`value\` to be 2-D but found ${dims(key)} and ${dims(value)} tensors respectively`);
    }
    if (kpm !== null && kpm.ndim !== 1) {
      throw refuse(where, `For unbatched (2-D) \`query\`, expected \`key_padding_mask\` to be \`None\` or 1-D but found ${dims(kpm)} tensor instead`);
    }
    if (mask !== null) {
      if (mask.ndim !== 2 && mask.ndim !== 3) {
        throw refuse(where, `For unbatched (2-D) \`query\`, expected \`attn_mask\` to be \`None\`, 2-D or 3-D but found ${dims(mask)} tensor instead`);
      }
      if (mask.ndim === 3) {
        const expected = [numHeads, query.shape[0]!, key.shape[0]!];
        if (mask.shape.some((s, i) => s !== expected[i])) throw refuse(where, `Expected \`attn_mask\` shape to be ${pyTuple(expected)} but got ${torchSize(mask.shape)}`);
      }
    }
    return false;
  }
  throw refuse(where, `query should be unbatched 2D or batched 3D tensor but received ${dims(query)} query tensor`);
}

const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((s, i) => s === b[i]);

/** A mask with one more key, attended (PyTorch's `pad(mask, (0, 1))`: 0, or False). */
function padKey(m: ReadMask | null): ReadMask | null {
  return m === null ? null : { t: pad(m.t, [0, 1]), bool: m.bool };
}

/**
 * The attention of sequence-first (or unbatched) query [L, N, E], key [S, N, Ek] and value [S, N, Ev]: the output
 * [L, N, E] and, when asked, the weights [N, L, S] (or per head [N, H, L, S]). Unbatched inputs give [L, E] and
 * [L, S] ([H, L, S]). Batched, the identity of key and value (and query) chooses PyTorch's in-projection path.
 * @internal
 */
export function multiHeadAttention(where: string, query: Tensor, key: Tensor, value: Tensor, w: AttentionWeights, call: AttentionCall): [Tensor, Tensor | null] {
  const { embedDim, numHeads } = w;
  let kpm = call.keyPaddingMask;
  const maskIn = call.attnMask;
  const batched = mhaShapeCheck(where, query, key, value, kpm?.t ?? null, maskIn?.t ?? null, numHeads);
  let [q0, k0, v0] = [query, key, value];
  if (!batched) {
    // Three new tensors, as PyTorch's three unsqueezes: unbatched inputs take the three-projection path.
    q0 = query.unsqueeze(1);
    k0 = key.unsqueeze(1);
    v0 = value.unsqueeze(1);
    if (kpm !== null) kpm = { t: kpm.t.unsqueeze(0), bool: kpm.bool };
  }
  const [tgtLen, bsz, E] = q0.shape as [number, number, number];
  const srcLen0 = k0.shape[0]!;
  if (E !== embedDim) throw refuse(where, `was expecting embedding dimension of ${embedDim}, but got ${E}`);
  const headDim = Math.floor(embedDim / numHeads);
  const separate = w.inProjWeight === null;
  if (separate) {
    if (!same(k0.shape.slice(0, 2), v0.shape.slice(0, 2))) {
      throw refuse(where, `key's sequence and batch dims ${torchSize(k0.shape.slice(0, 2))} do not match value's ${torchSize(v0.shape.slice(0, 2))}`);
    }
  } else if (!same(k0.shape, v0.shape)) {
    throw refuse(where, `key shape ${torchSize(k0.shape)} does not match value shape ${torchSize(v0.shape)}`);
  }

  // ---- in-projection (PyTorch's _in_projection_packed / _in_projection) ----
  let q: Tensor;
  let k: Tensor;
  let v: Tensor;
  const b = w.inProjBias;
  if (!separate) {
    const W = w.inProjWeight!;
    if (k0 === v0 && q0 === k0) {
      [q, k, v] = linear(q0, W, b).chunk(3, -1) as [Tensor, Tensor, Tensor];
    } else if (k0 === v0) {
      const [wq, wkv] = W.split([E, E * 2]) as [Tensor, Tensor];
      const [bq, bkv] = b === null ? [null, null] : (b.split([E, E * 2]) as [Tensor, Tensor]);
      q = linear(q0, wq, bq);
      [k, v] = linear(k0, wkv, bkv).chunk(2, -1) as [Tensor, Tensor];
    } else {
      const [wq, wk, wv] = W.chunk(3) as [Tensor, Tensor, Tensor];
      const [bq, bk, bv] = b === null ? [null, null, null] : (b.chunk(3) as [Tensor, Tensor, Tensor]);
      [q, k, v] = [linear(q0, wq, bq), linear(k0, wk, bk), linear(v0, wv, bv)];
    }
  } else {
    const [bq, bk, bv] = b === null ? [null, null, null] : (b.chunk(3) as [Tensor, Tensor, Tensor]);
    [q, k, v] = [linear(q0, w.qProjWeight!, bq), linear(k0, w.kProjWeight!, bk), linear(v0, w.vProjWeight!, bv)];
  }

  // ---- the attention mask, 3-D ----
  let mask: ReadMask | null = null;
  if (maskIn !== null) {
    const m = maskIn.t;
    if (m.ndim === 2) {
      if (!same(m.shape, [tgtLen, srcLen0])) throw refuse(where, `The shape of the 2D attn_mask is ${torchSize(m.shape)}, but should be ${pyTuple([tgtLen, srcLen0])}.`);
      mask = { t: m.unsqueeze(0), bool: maskIn.bool };
    } else {
      const want = [bsz * numHeads, tgtLen, srcLen0];
      if (!same(m.shape, want)) throw refuse(where, `The shape of the 3D attn_mask is ${torchSize(m.shape)}, but should be ${pyTuple(want)}.`);
      mask = maskIn;
    }
    if (mask.bool) mask = { t: asOnes(mask.t), bool: true };
  }

  // ---- bias_k and bias_v appended along the sequence (the masks padded with a 0: attended) ----
  if (w.biasK !== null && w.biasV !== null) {
    k = cat([k, repeat(w.biasK, [1, bsz, 1])]);
    v = cat([v, repeat(w.biasV, [1, bsz, 1])]);
    [mask, kpm] = [padKey(mask), padKey(kpm)];
  } else if (w.biasK !== null || w.biasV !== null) {
    throw refuse(where, `biasK and biasV go together: got ${w.biasK === null ? 'biasV' : 'biasK'} alone (PyTorch asserts bias_k is None and bias_v is None)`);
  }

  // ---- the heads, batch first: [N·H, L or S, headDim] ----
  q = q.contiguous().view(tgtLen, bsz * numHeads, headDim).transpose(0, 1);
  k = k.contiguous().view(k.shape[0]!, bsz * numHeads, headDim).transpose(0, 1);
  v = v.contiguous().view(v.shape[0]!, bsz * numHeads, headDim).transpose(0, 1);

  // ---- add_zero_attn: a key and a value of zeros for every sequence and head ----
  if (w.addZeroAttn) {
    k = cat([k, zeros(bsz * numHeads, 1, headDim)], 1);
    v = cat([v, zeros(bsz * numHeads, 1, headDim)], 1);
    [mask, kpm] = [padKey(mask), padKey(kpm)];
  }
  // The source length after the keys added.
  const srcLen = k.shape[1]!;

  // ---- the key padding mask merged into the attention mask ----
  if (kpm !== null) {
    if (!same(kpm.t.shape, [bsz, srcLen])) throw refuse(where, `expecting key_padding_mask shape of ${pyTuple([bsz, srcLen])}, but got ${torchSize(kpm.t.shape)}`);
    const merged = kpm.t.view(bsz, 1, 1, srcLen).expand(-1, numHeads, -1, -1).reshape(bsz * numHeads, 1, srcLen);
    if (mask === null) {
      mask = { t: kpm.bool ? asOnes(merged) : merged, bool: kpm.bool };
    } else if (mask.bool) {
      // PyTorch's attn_mask.logical_or(key_padding_mask): a float padding mask counts where it is nonzero.
      mask = { t: mask.t.logicalOr(asOnes(merged)), bool: true };
    } else if (kpm.bool) {
      mask = { t: mask.t.maskedFill(asOnes(merged), -Infinity), bool: false };
    } else {
      // PyTorch 1.13 runs attn_mask.masked_fill(key_padding_mask, -inf) with the float padding mask, which reads its
      // float bytes as booleans: no sensible result to match.
      throw refuse(where, 'a float keyPaddingMask together with a float attnMask is not supported (PyTorch 1.13 reads the float padding mask\'s bytes as booleans in masked_fill); give the padding mask as { bool: t } (nonzero: padding), or add it into the attnMask');
    }
  }
  const additive = mask === null ? null : mask.bool ? boolToFloat(mask.t) : mask.t;

  // ---- attention and out-projection ----
  const p = w.training ? w.dropout : 0;
  const qScaled = q.div(Math.sqrt(headDim));
  let weights = additive === null ? bmm(qScaled, k.transpose(-2, -1)) : baddbmm(additive, qScaled, k.transpose(-2, -1));
  weights = softmax(weights, -1);
  // The weights returned are those after dropout, as PyTorch's.
  if (p > 0) weights = dropout(weights, p);
  let out = bmm(weights, v);
  out = out.transpose(0, 1).contiguous().view(tgtLen * bsz, embedDim);
  out = linear(out, w.outProjWeight, w.outProjBias);
  out = out.view(tgtLen, bsz, out.shape[1]!);
  if (!call.needWeights) return [batched ? out : out.squeeze(1), null];
  weights = weights.view(bsz, numHeads, tgtLen, srcLen);
  if (call.averageAttnWeights) weights = weights.sum(1).div(numHeads);
  return batched ? [out, weights] : [out.squeeze(1), weights.squeeze(0)];
}
