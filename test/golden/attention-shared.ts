// What the two MultiheadAttention golden tests (attention.test.ts, attention-bias-kv.test.ts) read alike: a call's
// masks and options as the fixtures give them, their refusal cases, and the tolerance of PyTorch's matrix products.
import type { Tensor } from '../../src/index.js';
import type { AttentionMask, MultiheadAttentionForwardOptions } from '../../src/nn/index.js';
import { assertTensorClose, decode, values, type EncodedTensor } from './golden-helpers.js';

export interface PyCall { key_padding_mask?: EncodedTensor; attn_mask?: EncodedTensor; need_weights?: boolean; average_attn_weights?: boolean }
export interface ErrorCase<Opts> {
  name: string; ctor: [number, number, Opts]; query: number[]; key: number[]; value: number[];
  call: Record<string, { shape: number[]; bool: boolean }>; type: string; message: string;
}

/** Within 1e-5 of each value, or 2e-6 of the tensor's largest (float32 roundings of sums in another order). */
export function close(actual: Tensor | null, e: EncodedTensor, label: string): void {
  const scale = values(e).reduce((m, x) => (Number.isFinite(x) ? Math.max(m, Math.abs(x)) : m), 0);
  assertTensorClose(actual, e, label, { rtol: 1e-5, atol: Math.max(1e-7, 2e-6 * scale) });
}

/** A fixture mask as Kindling takes it: a bool tensor as { bool: t }, a float one as the tensor. */
export function mask(e: EncodedTensor | undefined): AttentionMask | undefined {
  if (e === undefined) return undefined;
  const t = decode(e);
  return e.dtype === 'bool' ? { bool: t } : t;
}

export function options(call: PyCall): MultiheadAttentionForwardOptions {
  const o: MultiheadAttentionForwardOptions = {};
  const kpm = mask(call.key_padding_mask);
  const am = mask(call.attn_mask);
  if (kpm !== undefined) o.keyPaddingMask = kpm;
  if (am !== undefined) o.attnMask = am;
  if (call.need_weights !== undefined) o.needWeights = call.need_weights;
  if (call.average_attn_weights !== undefined) o.averageAttnWeights = call.average_attn_weights;
  return o;
}
