import { checkTensor } from '../ops/util.js';
import { checkArgumentCount, checkOptions } from '../options.js';
import { refusePythonNames } from '../python-names.js';
import { Generator } from '../random.js';
import type { Tensor } from '../tensor/tensor.js';
import { readMask, type AttentionMask } from './attention-mask.js';
import { Dropout } from './dropout.js';
import { Linear } from './linear.js';
import { Module } from './module.js';
import { MultiheadAttention } from './multihead-attention.js';
import { LayerNorm } from './normalization.js';
import { activate, copyModuleState, layerSettings, refuseSharedActivation, transformerLayerArguments, type LayerSettings, type TransformerActivation, type TransformerLayerRest } from './transformer-encoder-layer.js';

export interface TransformerDecoderForwardOptions {
  /** The self-attention mask [T, T] or [N·nhead, T, T]: a float mask (added) or `{ bool: t }` (nonzero: not attended). */
  tgtMask?: AttentionMask | null;
  /** The mask of the attention over the memory, [T, S] or [N·nhead, T, S]. */
  memoryMask?: AttentionMask | null;
  /** [N, T] ([T] unbatched): target padding, `{ bool: t }` (nonzero: padding) or a float mask. */
  tgtKeyPaddingMask?: AttentionMask | null;
  /** [N, S] ([S] unbatched): memory padding. */
  memoryKeyPaddingMask?: AttentionMask | null;
}

/** The forward options' names. @internal */
export const DECODER_FORWARD_OPTIONS = ['tgtMask', 'memoryMask', 'tgtKeyPaddingMask', 'memoryKeyPaddingMask'] as const;

/** Checks a decoder forward's options and masks. @internal */
export function decoderCall(where: string, options: TransformerDecoderForwardOptions | undefined): Required<{ [K in keyof TransformerDecoderForwardOptions]: AttentionMask | null }> {
  const o = checkOptions<TransformerDecoderForwardOptions>(where, options, [...DECODER_FORWARD_OPTIONS]);
  const out = { tgtMask: o.tgtMask ?? null, memoryMask: o.memoryMask ?? null, tgtKeyPaddingMask: o.tgtKeyPaddingMask ?? null, memoryKeyPaddingMask: o.memoryKeyPaddingMask ?? null };
  for (const [k, v] of Object.entries(out)) readMask(v, where, k);
  return out;
}

/**
 * A Transformer decoder layer, as PyTorch 1.13's `nn.TransformerDecoderLayer(dModel, nhead, { dimFeedforward,
 * dropout, activation, layerNormEps, batchFirst, normFirst })`: self-attention over the target, attention over the
 * memory (the encoder's output), then a feed-forward network, each with dropout, a residual connection and a
 * LayerNorm (after each, or before with normFirst). `forward(tgt, memory, { tgtMask, memoryMask, tgtKeyPaddingMask,
 * memoryKeyPaddingMask })`. Sub-modules under PyTorch's names (self_attn, multihead_attn, linear1, dropout, linear2,
 * norm1, norm2, norm3, dropout1, dropout2, dropout3), drawn in its order after the same seed.
 *
 * @example
 * const layer = new nn.TransformerDecoderLayer(8, 2, { dimFeedforward: 16 });
 * layer.forward(randn(4, 3, 8), randn(6, 3, 8));   // [4, 3, 8]
 */
export class TransformerDecoderLayer extends Module {
  readonly dModel: number;
  readonly nhead: number;
  readonly settings: LayerSettings;
  readonly #selfAttn: MultiheadAttention;
  readonly #multiheadAttn: MultiheadAttention;
  readonly #linear1: Linear;
  readonly #dropout: Dropout;
  readonly #linear2: Linear;
  readonly #norm1: LayerNorm;
  readonly #norm2: LayerNorm;
  readonly #norm3: LayerNorm;
  readonly #dropout1: Dropout;
  readonly #dropout2: Dropout;
  readonly #dropout3: Dropout;

  constructor(dModel: number, nhead: number, ..._rest: TransformerLayerRest) {
    super();
    const where = 'TransformerDecoderLayer';
    const { generator, ...s } = layerSettings(where, transformerLayerArguments(where, arguments));
    this.settings = s;
    const gen = generator === undefined ? {} : { generator };
    const attn = { dropout: s.dropout, batchFirst: s.batchFirst, ...gen };
    this.#selfAttn = this.holdModule('self_attn', new MultiheadAttention(dModel, nhead, attn));
    this.#multiheadAttn = this.holdModule('multihead_attn', new MultiheadAttention(dModel, nhead, attn));
    this.dModel = dModel;
    this.nhead = nhead;
    this.#linear1 = this.holdModule('linear1', new Linear(dModel, s.dimFeedforward, true, gen));
    this.#dropout = this.holdModule('dropout', new Dropout(s.dropout));
    this.#linear2 = this.holdModule('linear2', new Linear(s.dimFeedforward, dModel, true, gen));
    this.#norm1 = this.holdModule('norm1', new LayerNorm(dModel, { eps: s.layerNormEps }));
    this.#norm2 = this.holdModule('norm2', new LayerNorm(dModel, { eps: s.layerNormEps }));
    this.#norm3 = this.holdModule('norm3', new LayerNorm(dModel, { eps: s.layerNormEps }));
    this.#dropout1 = this.holdModule('dropout1', new Dropout(s.dropout));
    this.#dropout2 = this.holdModule('dropout2', new Dropout(s.dropout));
    this.#dropout3 = this.holdModule('dropout3', new Dropout(s.dropout));
    if (s.activation instanceof Module) this.holdModule('activation', s.activation);
  }

  get selfAttn(): MultiheadAttention { return this.#selfAttn; }
  get multiheadAttn(): MultiheadAttention { return this.#multiheadAttn; }
  get linear1(): Linear { return this.#linear1; }
  get dropout(): Dropout { return this.#dropout; }
  get linear2(): Linear { return this.#linear2; }
  get norm1(): LayerNorm { return this.#norm1; }
  get norm2(): LayerNorm { return this.#norm2; }
  get norm3(): LayerNorm { return this.#norm3; }
  get dropout1(): Dropout { return this.#dropout1; }
  get dropout2(): Dropout { return this.#dropout2; }
  get dropout3(): Dropout { return this.#dropout3; }
  get normFirst(): boolean { return this.settings.normFirst; }
  get batchFirst(): boolean { return this.settings.batchFirst; }
  get activation(): TransformerActivation { return this.settings.activation; }

  forward(tgt: Tensor, memory: Tensor, options?: TransformerDecoderForwardOptions): Tensor;
  /** nn.Module's signature, for the class to extend Module. */
  forward(input: Tensor, ...rest: unknown[]): Tensor;
  forward(tgt: Tensor, memory?: unknown, options?: TransformerDecoderForwardOptions): Tensor {
    const where = 'TransformerDecoderLayer.forward';
    checkArgumentCount(where, arguments, 3, 'forward(tgt, memory, { tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask })');
    checkTensor(tgt, where, 'tgt');
    checkTensor(memory, where, 'memory');
    const c = decoderCall(where, options);
    const mem = memory;
    const sa = (x: Tensor): Tensor => this.#dropout1.forward(this.#selfAttn.forward(x, x, x, { attnMask: c.tgtMask, keyPaddingMask: c.tgtKeyPaddingMask, needWeights: false })[0]);
    const mha = (x: Tensor): Tensor => this.#dropout2.forward(this.#multiheadAttn.forward(x, mem, mem, { attnMask: c.memoryMask, keyPaddingMask: c.memoryKeyPaddingMask, needWeights: false })[0]);
    const ff = (x: Tensor): Tensor => this.#dropout3.forward(this.#linear2.forward(this.#dropout.forward(activate(this.settings.activation, this.#linear1.forward(x)))));
    let x = tgt;
    if (this.settings.normFirst) {
      x = x.add(sa(this.#norm1.forward(x)));
      x = x.add(mha(this.#norm2.forward(x)));
      x = x.add(ff(this.#norm3.forward(x)));
    } else {
      x = this.#norm1.forward(x.add(sa(x)));
      x = this.#norm2.forward(x.add(mha(x)));
      x = this.#norm3.forward(x.add(ff(x)));
    }
    return x;
  }

  /** A copy with the same options, parameter values and training modes (PyTorch's `copy.deepcopy`), drawing nothing. */
  clone(): TransformerDecoderLayer {
    refuseSharedActivation(this.settings.activation, 'TransformerDecoderLayer');
    const copy = new TransformerDecoderLayer(this.dModel, this.nhead, { ...this.settings, generator: new Generator(0) });
    copyModuleState(this, copy);
    return copy;
  }
}

refusePythonNames(TransformerDecoderLayer.prototype, 'layer', [
  ['self_attn', 'selfAttn', 'property'], ['multihead_attn', 'multiheadAttn', 'property'], ['norm_first', 'normFirst', 'property'],
  ['batch_first', 'batchFirst', 'property'],
]);
