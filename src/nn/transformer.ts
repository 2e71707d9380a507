import { KindlingError } from '../errors.js';
import { checkTensor } from '../ops/util.js';
import { boundArguments, checkArgumentCount, checkOptions, describeValue, type PositionalThenOptions } from '../options.js';
import { FACTORY_KWARGS, withoutFactoryKwargs, type FactoryKwargs } from '../device.js';
import { refusePythonNames } from '../python-names.js';
import { getDefaultGenerator, type Generator } from '../random.js';
import { full } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { AttentionMask } from './attention-mask.js';
import { calculateFanInAndFanOut, fillUniform } from './init-core.js';
import { Module } from './module.js';
import { LayerNorm } from './normalization.js';
import { TransformerDecoder } from './transformer-decoder.js';
import { TransformerDecoderLayer } from './transformer-decoder-layer.js';
import { TransformerEncoder } from './transformer-encoder.js';
import { TransformerEncoderLayer, type TransformerActivation } from './transformer-encoder-layer.js';

export interface TransformerOptions extends FactoryKwargs {
  /** Features of the inputs and output (default 512). */
  dModel?: number;
  /** Attention heads (default 8). */
  nhead?: number;
  /** Encoder layers (default 6). */
  numEncoderLayers?: number;
  /** Decoder layers (default 6). */
  numDecoderLayers?: number;
  /** Width of the feed-forward networks (default 2048). */
  dimFeedforward?: number;
  /** Dropout probability (default 0.1). */
  dropout?: number;
  /** 'relu' (default), 'gelu', or a function of a tensor. */
  activation?: TransformerActivation;
  /** An encoder of your own, used instead of the built one: `forward(src, { mask, srcKeyPaddingMask })`. */
  customEncoder?: Module | null;
  /** A decoder of your own: `forward(tgt, memory, { tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask })`. */
  customDecoder?: Module | null;
  /** The LayerNorms' eps (default 1e-5). */
  layerNormEps?: number;
  /** Inputs and output as [batch, seq, feature] (default false). */
  batchFirst?: boolean;
  /** LayerNorm before each block instead of after (default false). */
  normFirst?: boolean;
  /** Draws the initial weights (default: the global generator, which `manualSeed` seeds). */
  generator?: Generator;
}

export interface TransformerForwardOptions {
  srcMask?: AttentionMask | null;
  tgtMask?: AttentionMask | null;
  memoryMask?: AttentionMask | null;
  srcKeyPaddingMask?: AttentionMask | null;
  tgtKeyPaddingMask?: AttentionMask | null;
  memoryKeyPaddingMask?: AttentionMask | null;
}

/** PyTorch 1.13's parameters of `nn.Transformer`, in its order (all may be given by position, as there). */
const POSITIONAL = ['dModel', 'nhead', 'numEncoderLayers', 'numDecoderLayers', 'dimFeedforward', 'dropout', 'activation', 'customEncoder', 'customDecoder',
  'layerNormEps', 'batchFirst', 'normFirst'] as const;
const OPTIONS = [...POSITIONAL, 'generator'] as const;

/** The constructor's arguments: PyTorch's, by position in its order (device and dtype last), then options. */
export type TransformerArguments = PositionalThenOptions<
  [number, number, number, number, number, number, TransformerActivation, Module | null, Module | null, number, boolean, boolean, FactoryKwargs['device'], FactoryKwargs['dtype']],
  TransformerOptions
>;
const FORWARD_OPTIONS = ['srcMask', 'tgtMask', 'memoryMask', 'srcKeyPaddingMask', 'tgtKeyPaddingMask', 'memoryKeyPaddingMask'] as const;

/**
 * The Transformer of "Attention Is All You Need", as PyTorch 1.13's `nn.Transformer({ dModel, nhead,
 * numEncoderLayers, numDecoderLayers, dimFeedforward, dropout, activation, customEncoder, customDecoder,
 * layerNormEps, batchFirst, normFirst })`: a TransformerEncoder and a TransformerDecoder, each with a final LayerNorm;
 * every parameter of two or more dimensions then drawn again by Xavier uniform, in PyTorch's order, so that the
 * values match PyTorch's after the same seed. `forward(src, tgt, { srcMask, tgtMask, memoryMask, srcKeyPaddingMask,
 * tgtKeyPaddingMask, memoryKeyPaddingMask })` gives [T, N, dModel] ([N, T, dModel] with batchFirst).
 *
 * @example
 * const model = new nn.Transformer({ dModel: 16, nhead: 4, numEncoderLayers: 2, numDecoderLayers: 2, dimFeedforward: 32 });
 * const out = model.forward(randn(10, 2, 16), randn(7, 2, 16), { tgtMask: nn.Transformer.generateSquareSubsequentMask(7) });   // [7, 2, 16]
 */
export class Transformer extends Module {
  readonly dModel: number;
  readonly nhead: number;
  readonly batchFirst: boolean;
  readonly #encoder: Module;
  readonly #decoder: Module;

  constructor(...args: TransformerArguments) {
    super();
    const where = 'Transformer';
    // By position too, as PyTorch's nn.Transformer(512, 8, 6, 6, 2048).
    const bound = boundArguments(where, args, 0, [...POSITIONAL, ...FACTORY_KWARGS], ['generator'], 'new Transformer(dModel, nhead, numEncoderLayers, numDecoderLayers, dimFeedforward, …, { generator }) or new Transformer({ dModel, nhead, … })');
    const o = checkOptions<TransformerOptions>(where, withoutFactoryKwargs(where, bound as TransformerOptions), [...OPTIONS]);
    // null is not "the default" here (PyTorch's nn.Transformer(None) fails): only a value left out is.
    for (const [k, v] of [['dModel', o.dModel], ['nhead', o.nhead]] as const) {
      if (v !== undefined && (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0)) throw new RangeError(`${where}: ${k} must be a positive integer, got ${describeValue(v)}`);
    }
    const dModel = o.dModel ?? 512;
    const nhead = o.nhead ?? 8;
    for (const [k, v] of [['numEncoderLayers', o.numEncoderLayers], ['numDecoderLayers', o.numDecoderLayers]] as const) {
      if (v !== undefined && (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)) throw new RangeError(`${where}: ${k} must be a non-negative integer, got ${describeValue(v)}`);
    }
    for (const k of ['customEncoder', 'customDecoder'] as const) {
      if (o[k] != null && !(o[k] instanceof Module)) throw new TypeError(`${where}: ${k} must be a module or null, got ${describeValue(o[k])}`);
    }
    const layerOptions = {
      ...(o.dimFeedforward === undefined ? {} : { dimFeedforward: o.dimFeedforward }), ...(o.dropout === undefined ? {} : { dropout: o.dropout }),
      ...(o.activation === undefined ? {} : { activation: o.activation }), ...(o.layerNormEps === undefined ? {} : { layerNormEps: o.layerNormEps }),
      ...(o.batchFirst === undefined ? {} : { batchFirst: o.batchFirst }), ...(o.normFirst === undefined ? {} : { normFirst: o.normFirst }),
      ...(o.generator === undefined ? {} : { generator: o.generator }),
    };
    const eps = o.layerNormEps ?? 1e-5;
    this.#encoder = this.holdModule('encoder', o.customEncoder ?? new TransformerEncoder(new TransformerEncoderLayer(dModel, nhead, layerOptions), o.numEncoderLayers ?? 6, {
      norm: new LayerNorm(dModel, { eps }),
    }));
    this.#decoder = this.holdModule('decoder', o.customDecoder ?? new TransformerDecoder(new TransformerDecoderLayer(dModel, nhead, layerOptions), o.numDecoderLayers ?? 6, {
      norm: new LayerNorm(dModel, { eps }),
    }));
    this.resetParameters(o.generator);
    this.dModel = dModel;
    this.nhead = nhead;
    this.batchFirst = o.batchFirst === true;
  }

  get encoder(): Module { return this.#encoder; }
  get decoder(): Module { return this.#decoder; }

  /** PyTorch's `_reset_parameters`: Xavier uniform on every parameter of two or more dimensions, in `parameters()` order. */
  resetParameters(generator: Generator = getDefaultGenerator()): void {
    for (const p of this.parameters()) {
      if (p.ndim < 2) continue;
      const [fanIn, fanOut] = calculateFanInAndFanOut(p, 'Transformer.resetParameters');
      const a = Math.sqrt(3.0) * (1 * Math.sqrt(2.0 / (fanIn + fanOut)));
      fillUniform(p, -a, a, generator);
    }
  }

  forward(src: Tensor, tgt: Tensor, options?: TransformerForwardOptions): Tensor;
  /** nn.Module's signature, for the class to extend Module. */
  forward(input: Tensor, ...rest: unknown[]): Tensor;
  forward(src: Tensor, tgt?: unknown, options?: TransformerForwardOptions): Tensor {
    const where = 'Transformer.forward';
    checkArgumentCount(where, arguments, 3, 'forward(src, tgt, { srcMask, tgtMask, memoryMask, srcKeyPaddingMask, tgtKeyPaddingMask, memoryKeyPaddingMask })');
    checkTensor(src, where, 'src');
    checkTensor(tgt, where, 'tgt');
    const o = checkOptions<TransformerForwardOptions>(where, options, [...FORWARD_OPTIONS]);
    const batched = src.ndim === 3;
    const b = this.batchFirst ? 0 : 1;
    if (batched && src.shape[b] !== tgt.shape[b]) throw new KindlingError(`${where}: the batch number of src and tgt must be equal (src ${JSON.stringify(src.shape)}, tgt ${JSON.stringify(tgt.shape)})`);
    if (src.shape[src.ndim - 1] !== this.dModel || tgt.shape[tgt.ndim - 1] !== this.dModel) {
      throw new KindlingError(`${where}: the feature number of src and tgt must be equal to d_model (${this.dModel}; src ${JSON.stringify(src.shape)}, tgt ${JSON.stringify(tgt.shape)})`);
    }
    const memory = this.#encoder.forward(src, { mask: o.srcMask ?? null, srcKeyPaddingMask: o.srcKeyPaddingMask ?? null });
    return this.#decoder.forward(tgt, memory, {
      tgtMask: o.tgtMask ?? null, memoryMask: o.memoryMask ?? null, tgtKeyPaddingMask: o.tgtKeyPaddingMask ?? null,
      memoryKeyPaddingMask: o.memoryKeyPaddingMask ?? null,
    });
  }

  /**
   * A causal mask [sz, sz] as PyTorch's `generate_square_subsequent_mask`: 0 on and below the diagonal, −∞ above it
   * (a float mask: position i attends to positions up to i).
   */
  static generateSquareSubsequentMask(sz: number): Tensor {
    if (typeof sz !== 'number' || !Number.isSafeInteger(sz) || sz < 0) throw new RangeError(`Transformer.generateSquareSubsequentMask: sz must be a non-negative integer, got ${describeValue(sz)}`);
    return full([sz, sz], -Infinity).triu(1);
  }
}

refusePythonNames(Transformer.prototype, 'model', [['d_model', 'dModel', 'property'], ['batch_first', 'batchFirst', 'property'], ['_reset_parameters', 'resetParameters', 'method']]);
refusePythonNames(Transformer, 'nn.Transformer', [['generate_square_subsequent_mask', 'generateSquareSubsequentMask', 'method']]);
