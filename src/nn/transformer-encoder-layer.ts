import { isGradEnabled, noGrad } from '../autograd/grad-mode.js';
import { gelu } from '../ops/activations-more.js';
import { checkTensor } from '../ops/util.js';
import { boundArguments, checkArgumentCount, checkOptions, describeValue, type PositionalThenOptions } from '../options.js';
import { checkFactoryKwargs, FACTORY_KWARGS, type FactoryKwargs } from '../device.js';
import { refusePythonNames } from '../python-names.js';
import { Generator } from '../random.js';
import type { Tensor } from '../tensor/tensor.js';
import { readMask, type AttentionMask } from './attention-mask.js';
import { ReLU } from './activation.js';
import { GELU } from './activation-more.js';
import { Dropout } from './dropout.js';
import { relu } from './functional-inplace.js';
import { gelu as geluF } from './functional-arity.js';
import { Linear } from './linear.js';
import { Module } from './module.js';
import { MultiheadAttention } from './multihead-attention.js';
import { LayerNorm } from './normalization.js';

/**
 * The feed-forward activation: PyTorch's names, a function of a tensor, or a module (registered as the layer's
 * `activation`, as PyTorch registers one; the copies of an encoder or decoder share it, so it may hold no parameters).
 */
export type TransformerActivation = 'relu' | 'gelu' | ((x: Tensor) => Tensor) | Module;

export interface TransformerLayerOptions extends FactoryKwargs {
  /** Width of the feed-forward network (default 2048, PyTorch's). */
  dimFeedforward?: number;
  /** Dropout after attention, inside and after the feed-forward network while training (default 0.1). */
  dropout?: number;
  /** 'relu' (default), 'gelu', a function of a tensor, or a module (`new nn.GELU()`). */
  activation?: TransformerActivation;
  /** The LayerNorms' eps (default 1e-5). */
  layerNormEps?: number;
  /** Inputs and output as [batch, seq, feature] (default false: [seq, batch, feature]). */
  batchFirst?: boolean;
  /** LayerNorm before attention and feed-forward (pre-norm) instead of after (default false). */
  normFirst?: boolean;
  /** Draws the initial weights (default: the global generator, which `manualSeed` seeds). */
  generator?: Generator;
}

export interface TransformerEncoderLayerForwardOptions {
  /** The attention mask [S, S] or [N·nhead, S, S]: a float mask (added) or `{ bool: t }` (nonzero: not attended). */
  srcMask?: AttentionMask | null;
  /** [N, S] ([S] unbatched): padding positions, `{ bool: t }` (nonzero: padding) or a float mask. */
  srcKeyPaddingMask?: AttentionMask | null;
}

const OPTIONS = ['dimFeedforward', 'dropout', 'activation', 'layerNormEps', 'batchFirst', 'normFirst', 'generator'] as const;
/** PyTorch 1.13's positional parameters of both Transformer layers after d_model and nhead (`inspect.signature`). */
const POSITIONAL = ['dimFeedforward', 'dropout', 'activation', 'layerNormEps', 'batchFirst', 'normFirst', ...FACTORY_KWARGS] as const;

/** A Transformer layer's arguments after dModel and nhead: PyTorch's positional ones in order, then options. */
export type TransformerLayerRest = PositionalThenOptions<
  [dimFeedforward: number | undefined, dropout: number | undefined, activation: TransformerActivation | undefined, layerNormEps: number | undefined,
    batchFirst: boolean | undefined, normFirst: boolean | undefined, device: string | null | undefined, dtype: string | null | undefined],
  TransformerLayerOptions
>;

/**
 * A Transformer layer's options from its constructor's `args` (dModel and nhead first): by position in PyTorch's
 * order, then optionally one object of options; device and dtype checked and left out. @internal
 */
export function transformerLayerArguments(where: string, args: ArrayLike<unknown>): TransformerLayerOptions {
  const bound = boundArguments(where, args, 2, POSITIONAL, ['generator'], `new ${where}(512, 8, 2048, 0.1, 'relu', 1e-5, false, false, { generator })`);
  checkFactoryKwargs(where, bound);
  const { device: _d, dtype: _t, ...o } = bound;
  return o as TransformerLayerOptions;
}

/** The options of a Transformer layer, checked, with PyTorch's defaults. @internal */
export interface LayerSettings {
  readonly dimFeedforward: number;
  readonly dropout: number;
  readonly activation: TransformerActivation;
  readonly layerNormEps: number;
  readonly batchFirst: boolean;
  readonly normFirst: boolean;
}

/** Checks a Transformer layer's options (`where` names the layer). @internal */
export function layerSettings(where: string, options: TransformerLayerOptions | undefined): LayerSettings & { generator: Generator | undefined } {
  const o = checkOptions<TransformerLayerOptions>(where, options, [...OPTIONS]);
  // Only a value left out is the default: null, PyTorch's None, is refused there (dim_feedforward, dropout, activation).
  const ff = o.dimFeedforward === undefined ? 2048 : o.dimFeedforward;
  // PyTorch takes 0 (linear1 and linear2 empty: the feed-forward block then adds linear2's bias only).
  if (typeof ff !== 'number' || !Number.isSafeInteger(ff) || ff < 0) throw new RangeError(`${where}: dimFeedforward must be a non-negative integer, got ${describeValue(ff)}`);
  const p = o.dropout === undefined ? 0.1 : o.dropout;
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new RangeError(`${where}: dropout must be a probability in [0, 1], got ${describeValue(p)}`);
  const activation = o.activation === undefined ? 'relu' : o.activation;
  if (activation !== 'relu' && activation !== 'gelu' && typeof activation !== 'function' && !(activation instanceof Module)) {
    throw new RangeError(`${where}: activation should be relu/gelu, not ${typeof activation === 'string' ? activation : describeValue(activation)} (or a function of a tensor, or a module)`);
  }
  const eps = o.layerNormEps ?? 1e-5;
  if (typeof eps !== 'number' || !(eps >= 0)) throw new RangeError(`${where}: layerNormEps must be a non-negative number, got ${describeValue(eps)}`);
  for (const k of ['batchFirst', 'normFirst'] as const) {
    if (o[k] !== undefined && typeof o[k] !== 'boolean') throw new TypeError(`${where}: ${k} must be true or false, got ${describeValue(o[k])}`);
  }
  return { dimFeedforward: ff, dropout: p, activation, layerNormEps: eps, batchFirst: o.batchFirst === true, normFirst: o.normFirst === true, generator: o.generator };
}

/** Applies a layer's activation. @internal */
export function activate(activation: TransformerActivation, x: Tensor): Tensor {
  if (activation instanceof Module) return activation.forward(x);
  return activation === 'relu' ? x.relu() : activation === 'gelu' ? gelu(x) : activation(x);
}

/**
 * PyTorch's `activation_relu_or_gelu`: 1 for relu ('relu', F.relu or an nn.ReLU), 2 for gelu ('gelu', F.gelu or any
 * nn.GELU, whatever its approximation), 0 for anything else. @internal
 */
export function activationReluOrGelu(activation: TransformerActivation): 0 | 1 | 2 {
  if (activation === 'relu' || activation === relu || activation instanceof ReLU) return 1;
  if (activation === 'gelu' || activation === geluF || activation === gelu || activation instanceof GELU) return 2;
  return 0;
}

/** A module activation with parameters cannot be shared by copies (PyTorch's deep copies would each have their own). @internal */
export function refuseSharedActivation(activation: TransformerActivation, where: string): void {
  if (activation instanceof Module && activation.parameters().length > 0) {
    throw new TypeError(`${where}: cannot copy a layer whose activation module holds parameters (${activation.constructor.name}): Kindling's copies share the activation, PyTorch's deep copies would not; use a parameterless activation or build the layers yourself`);
  }
}

/**
 * Copies `from`'s parameter values, requiresGrad flags and every sub-module's training mode into `to`, a module of the
 * same structure: PyTorch's `copy.deepcopy` of a layer (its _get_clones). @internal
 */
export function copyModuleState(from: Module, to: Module): void {
  const src = from.namedParameters();
  const dst = new Map(to.namedParameters());
  noGrad(() => {
    for (const [name, p] of src) {
      const q = dst.get(name)!;
      q.copy_(p);
      q.requiresGrad = p.requiresGrad;
    }
  });
  const mods = to.modules();
  from.modules().forEach((m, i) => { mods[i]!.training = m.training; });
}

/**
 * A Transformer encoder layer, as PyTorch 1.13's `nn.TransformerEncoderLayer(dModel, nhead, { dimFeedforward,
 * dropout, activation, layerNormEps, batchFirst, normFirst })`: self-attention then a feed-forward network, each
 * with dropout, a residual connection and a LayerNorm (after each by default; before each with normFirst).
 * `forward(src, { srcMask, srcKeyPaddingMask })` on [S, N, dModel] ([N, S, dModel] with batchFirst, or unbatched
 * [S, dModel]). Sub-modules under PyTorch's names (self_attn, linear1, dropout, linear2, norm1, norm2, dropout1,
 * dropout2), drawn in its order after the same seed.
 *
 * @example
 * const layer = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true });
 * layer.forward(randn(3, 5, 8));   // [3, 5, 8]
 */
export class TransformerEncoderLayer extends Module {
  readonly dModel: number;
  readonly nhead: number;
  readonly settings: LayerSettings;
  readonly #selfAttn: MultiheadAttention;
  readonly #linear1: Linear;
  readonly #dropout: Dropout;
  readonly #linear2: Linear;
  readonly #norm1: LayerNorm;
  readonly #norm2: LayerNorm;
  readonly #dropout1: Dropout;
  readonly #dropout2: Dropout;

  constructor(dModel: number, nhead: number, ..._rest: TransformerLayerRest) {
    super();
    const where = 'TransformerEncoderLayer';
    const { generator, ...s } = layerSettings(where, transformerLayerArguments(where, arguments));
    this.settings = s;
    const gen = generator === undefined ? {} : { generator };
    this.#selfAttn = this.holdModule('self_attn', new MultiheadAttention(dModel, nhead, { dropout: s.dropout, batchFirst: s.batchFirst, ...gen }));
    this.dModel = dModel;
    this.nhead = nhead;
    this.#linear1 = this.holdModule('linear1', new Linear(dModel, s.dimFeedforward, true, gen));
    this.#dropout = this.holdModule('dropout', new Dropout(s.dropout));
    this.#linear2 = this.holdModule('linear2', new Linear(s.dimFeedforward, dModel, true, gen));
    this.#norm1 = this.holdModule('norm1', new LayerNorm(dModel, { eps: s.layerNormEps }));
    this.#norm2 = this.holdModule('norm2', new LayerNorm(dModel, { eps: s.layerNormEps }));
    this.#dropout1 = this.holdModule('dropout1', new Dropout(s.dropout));
    this.#dropout2 = this.holdModule('dropout2', new Dropout(s.dropout));
    if (s.activation instanceof Module) this.holdModule('activation', s.activation);
  }

  get selfAttn(): MultiheadAttention { return this.#selfAttn; }
  get linear1(): Linear { return this.#linear1; }
  get dropout(): Dropout { return this.#dropout; }
  get linear2(): Linear { return this.#linear2; }
  get norm1(): LayerNorm { return this.#norm1; }
  get norm2(): LayerNorm { return this.#norm2; }
  get dropout1(): Dropout { return this.#dropout1; }
  get dropout2(): Dropout { return this.#dropout2; }
  get normFirst(): boolean { return this.settings.normFirst; }
  get batchFirst(): boolean { return this.settings.batchFirst; }
  get activation(): TransformerActivation { return this.settings.activation; }

  forward(src: Tensor, options?: TransformerEncoderLayerForwardOptions): Tensor;
  /** nn.Module's signature, for the class to extend Module. */
  forward(input: Tensor, ...rest: unknown[]): Tensor;
  forward(src: Tensor, options?: TransformerEncoderLayerForwardOptions): Tensor {
    const where = 'TransformerEncoderLayer.forward';
    checkArgumentCount(where, arguments, 2, 'forward(src, { srcMask, srcKeyPaddingMask })');
    checkTensor(src, where, 'src');
    const o = checkOptions<TransformerEncoderLayerForwardOptions>(where, options, ['srcMask', 'srcKeyPaddingMask']);
    const attnMask = o.srcMask ?? null;
    const keyPaddingMask = o.srcKeyPaddingMask ?? null;
    readMask(attnMask, where, 'srcMask');
    const padding = readMask(keyPaddingMask, where, 'srcKeyPaddingMask');
    let kpm = keyPaddingMask;
    let activation = this.settings.activation;
    if (this.#fastPath(src, attnMask)) {
      // PyTorch's fast path (_transformer_encoder_layer_fwd) reads a float padding mask as booleans (nonzero hides
      // the key) and computes relu, or exact gelu for any nn.GELU (its approximation is not passed on).
      if (padding !== null) kpm = { bool: padding.t };
      activation = activationReluOrGelu(activation) === 2 ? 'gelu' : 'relu';
    }
    const sa = (x: Tensor): Tensor => this.#dropout1.forward(this.#selfAttn.forward(x, x, x, { attnMask, keyPaddingMask: kpm, needWeights: false })[0]);
    const ff = (x: Tensor): Tensor => this.#dropout2.forward(this.#linear2.forward(this.#dropout.forward(activate(activation, this.#linear1.forward(x)))));
    let x = src;
    if (this.settings.normFirst) {
      x = x.add(sa(this.#norm1.forward(x)));
      x = x.add(ff(this.#norm2.forward(x)));
    } else {
      x = this.#norm1.forward(x.add(sa(x)));
      x = this.#norm2.forward(x.add(ff(x)));
    }
    return x;
  }

  /** Whether PyTorch 1.13 takes its fast path (transformer.py, TransformerEncoderLayer.forward's `why_not_sparsity_fast_path`). */
  #fastPath(src: Tensor, srcMask: AttentionMask | null): boolean {
    if (src.ndim !== 3 || this.training || !this.batchFirst || !this.#selfAttn.qkvSameEmbedDim) return false;
    if (activationReluOrGelu(this.settings.activation) === 0 || this.#norm1.eps !== this.#norm2.eps || srcMask !== null || this.nhead % 2 === 1) return false;
    const mods = [this.#selfAttn, this.#norm1, this.#norm2, this.#linear1, this.#linear2];
    return !(isGradEnabled() && [src, ...mods.flatMap((m) => m.parameters())].some((t) => t.requiresGrad));
  }

  /** A copy with the same options, parameter values and training modes (PyTorch's `copy.deepcopy`), drawing nothing. */
  clone(): TransformerEncoderLayer {
    refuseSharedActivation(this.settings.activation, 'TransformerEncoderLayer');
    const copy = new TransformerEncoderLayer(this.dModel, this.nhead, { ...this.settings, generator: new Generator(0) });
    copyModuleState(this, copy);
    return copy;
  }
}

refusePythonNames(TransformerEncoderLayer.prototype, 'layer', [
  ['self_attn', 'selfAttn', 'property'], ['norm_first', 'normFirst', 'property'], ['batch_first', 'batchFirst', 'property'],
]);
