import { checkEmbeddingOptions, embeddingChecked, EMBEDDING_OPTIONS, paddingRow, type EmbeddingOptions } from '../ops/embedding.js';
import { checkTensor } from '../ops/util.js';
import { embeddingBag, type BagMode } from '../ops/embedding-bag.js';
import { boundArguments, checkArgumentCount, checkOptions, describeValue, type PositionalThenOptions } from '../options.js';
import { checkFactoryKwargs, FACTORY_KWARGS, type FactoryKwargs } from '../device.js';
import { refusePythonNames } from '../python-names.js';
import { getDefaultGenerator, type Generator } from '../random.js';
import { formatPyFloat } from '../tensor/format.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { fillNormal } from './init-core.js';
import { Parameter } from './parameter.js';
import { WeightAndBias } from './weight-and-bias.js';
import { parameterStorage } from './parameter-storage.js';

export interface EmbeddingLayerOptions extends EmbeddingOptions, FactoryKwargs {
  /** Draws the initial weights (default: the global generator, which `manualSeed` seeds). */
  generator?: Generator;
}

export interface FromPretrainedOptions extends EmbeddingOptions {
  /** Keep the weights fixed: the weight does not require grad (default true, as PyTorch's). */
  freeze?: boolean;
}

/** PyTorch 1.13's positional parameters of `nn.Embedding` after the sizes (`inspect.signature`; `_weight` is its private one). */
const EMBEDDING_POSITIONAL = ['paddingIdx', 'maxNorm', 'normType', 'scaleGradByFreq', 'sparse', '_weight', ...FACTORY_KWARGS] as const;
/** PyTorch 1.13's positional parameters of `nn.EmbeddingBag` after the sizes: a different order from Embedding's. */
const EMBEDDING_BAG_POSITIONAL = ['maxNorm', 'normType', 'scaleGradByFreq', 'mode', 'sparse', '_weight', 'includeLastOffset', 'paddingIdx', ...FACTORY_KWARGS] as const;

/** Embedding's arguments after the sizes: PyTorch's positional ones in order, then options. */
type EmbeddingRest = PositionalThenOptions<
  [paddingIdx: number | null | undefined, maxNorm: number | null | undefined, normType: number | undefined, scaleGradByFreq: boolean | undefined,
    sparse: boolean | undefined, _weight: null | undefined, device: string | null | undefined, dtype: string | null | undefined],
  EmbeddingLayerOptions
>;
/** EmbeddingBag's arguments after the sizes: PyTorch's positional ones in order, then options. */
type EmbeddingBagRest = PositionalThenOptions<
  [maxNorm: number | null | undefined, normType: number | undefined, scaleGradByFreq: boolean | undefined, mode: BagMode | undefined, sparse: boolean | undefined,
    _weight: null | undefined, includeLastOffset: boolean | undefined, paddingIdx: number | null | undefined, device: string | null | undefined, dtype: string | null | undefined],
  EmbeddingBagLayerOptions
>;

/**
 * An embedding table's options from its constructor's `args` (the sizes first): by position in PyTorch's order, then
 * optionally an object of options; device and dtype checked and taken out, `_weight` (PyTorch's private argument for
 * given weights) refused unless null.
 */
function tableArguments<O>(where: string, args: ArrayLike<unknown>, positional: readonly string[], namedOnly: readonly string[], usage: string): O {
  const bound = boundArguments(where, args, 2, positional, namedOnly, usage);
  checkFactoryKwargs(where, bound);
  const { device: _d, dtype: _t, _weight: w, ...o } = bound;
  if (w !== undefined && w !== null) throw new TypeError(`${where}: _weight is not taken; give the weights with ${where}.fromPretrained(weights, { freeze: false }), got ${describeValue(w)}`);
  return o as O;
}

/** The table's sizes: whole numbers, 0 included (an empty table, as PyTorch's `Embedding(0, 3)`). */
function checkSizes(where: string, numEmbeddings: number, embeddingDim: number): void {
  for (const [v, what] of [[numEmbeddings, 'numEmbeddings'], [embeddingDim, 'embeddingDim']] as const) {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${where}: ${what} must be a non-negative integer, got ${describeValue(v)}`);
  }
}

/**
 * A lookup table of `numEmbeddings` vectors of `embeddingDim` values, as PyTorch's `nn.Embedding`: `forward(indices)`
 * gives the rows at a tensor of whole-number indices (any shape) as indices.shape + [embeddingDim]. The weight
 * [numEmbeddings, embeddingDim] starts as N(0, 1), drawn as PyTorch's `normal_` after the same seed, with the
 * `paddingIdx` row zeroed; that row never gets a gradient. Options as `F.embedding`'s (`maxNorm`, `normType`,
 * `scaleGradByFreq`; `sparse` only false), plus `generator`. Its `weight` is read by name, as PyTorch's, so
 * `nn.utils.spectralNorm`, `weightNorm`, `prune` and `parametrize` reparametrize it (it has no bias: null).
 */
export class Embedding extends WeightAndBias<Tensor> {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  /** The padding row as a row number (a negative paddingIdx counted from the end), or null. */
  readonly paddingIdx: number | null;
  readonly maxNorm: number | null;
  readonly normType: number;
  readonly scaleGradByFreq: boolean;
  /** Always false: Kindling has no sparse gradients. */
  readonly sparse = false;

  constructor(numEmbeddings: number, embeddingDim: number, ..._rest: EmbeddingRest) {
    super(false);
    const o = tableArguments<EmbeddingLayerOptions>('Embedding', arguments, EMBEDDING_POSITIONAL, ['generator'], 'new Embedding(10, 3, 0, null, 2, false, false, { generator })');
    checkSizes('Embedding', numEmbeddings, embeddingDim);
    const rest = checkEmbeddingOptions(o, 'Embedding');
    const pad = paddingRow(o.paddingIdx, numEmbeddings, 'Embedding');
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.paddingIdx = pad < 0 ? null : pad;
    this.maxNorm = rest.maxNorm;
    this.normType = rest.normType;
    this.scaleGradByFreq = rest.scaleGradByFreq;
    this.holdWeightAndBias(this.makeParameter('weight', new Tensor(parameterStorage('Embedding', 'weight', [numEmbeddings, embeddingDim]), [numEmbeddings, embeddingDim])), null);
    this.resetParameters(o.generator);
  }

  /**
   * PyTorch's initialisation: `normal_(weight)` (mean 0, std 1) from the generator, then the padding row set to 0.
   */
  resetParameters(generator: Generator = getDefaultGenerator()): void {
    fillNormal(this.weight, 0, 1, generator);
    this.fillPaddingWithZero();
  }

  private fillPaddingWithZero(): void {
    if (this.paddingIdx === null) return;
    const w = this.weight;
    const storage = w.settled();
    const [s0, s1] = w.strides as [number, number];
    for (let j = 0; j < this.embeddingDim; j++) storage[this.paddingIdx * s0 + j * s1] = 0;
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('Embedding.forward', arguments, 1, 'forward(indices)');
    checkTensor(input, 'Embedding.forward');
    const w = this.weight;
    if (w.ndim !== 2) throw new RangeError(`Embedding.forward: the weight must be 2-D, got shape ${formatShape(w.shape)}`);
    const { maxNorm, normType, scaleGradByFreq } = this;
    return embeddingChecked(input, w, { paddingIdx: this.paddingIdx ?? -1, maxNorm, normType, scaleGradByFreq });
  }

  /**
   * An Embedding holding `embeddings` [num, dim] as its weight, as PyTorch's `Embedding.from_pretrained`: the weight
   * shares the tensor's storage (as `nn.Parameter` does), does not require grad unless `freeze` is false, and its
   * padding row is kept as given (not zeroed).
   *
   * @example
   * const emb = nn.Embedding.fromPretrained(tensor([[1, 2.3, 3], [4, 5.1, 6.3]]));
   * emb.forward(tensor([1]));   // [[4, 5.1, 6.3]]
   */
  static fromPretrained(embeddings: Tensor, options: FromPretrainedOptions = {}): Embedding {
    const { num, dim, freeze, rest } = pretrained<FromPretrainedOptions>('Embedding.fromPretrained', embeddings, options, EMBEDDING_OPTIONS);
    // Built without drawing (a private generator leaves the global stream where it was), then given the tensor.
    const emb = new Embedding(num, dim, { ...rest, generator: NO_DRAWS });
    emb.weight = new Parameter(embeddings, !freeze);
    return emb;
  }

  protected override extraRepr(): string {
    let s = `${this.numEmbeddings}, ${this.embeddingDim}`;
    if (this.paddingIdx !== null) s += `, padding_idx=${this.paddingIdx}`;
    if (this.maxNorm !== null) s += `, max_norm=${formatPyFloat(this.maxNorm)}`;
    if (this.normType !== 2) s += `, norm_type=${formatPyFloat(this.normType)}`;
    if (this.scaleGradByFreq) s += ', scale_grad_by_freq=True';
    return s;
  }
}

/** A generator that fills nothing: fromPretrained's weight is replaced at once, so its draws would be wasted. */
const NO_DRAWS = { normalFill: () => undefined } as unknown as Generator;

refusePythonNames(Embedding.prototype, 'layer', [['reset_parameters', 'resetParameters', 'method']]);
refusePythonNames(Embedding, 'nn.Embedding', [['from_pretrained', 'fromPretrained', 'method']]);

export interface EmbeddingBagLayerOptions extends Omit<EmbeddingOptions, 'paddingIdx'>, FactoryKwargs {
  mode?: BagMode;
  paddingIdx?: number | null;
  includeLastOffset?: boolean;
  generator?: Generator;
}

export interface EmbeddingBagFromPretrainedOptions extends Omit<EmbeddingBagLayerOptions, 'generator'> {
  /** Keep the weights fixed: the weight does not require grad (default true, as PyTorch's). */
  freeze?: boolean;
}

const EMBEDDING_BAG_LAYER_OPTIONS = ['mode', 'paddingIdx', 'includeLastOffset', 'maxNorm', 'normType', 'scaleGradByFreq', 'sparse'] as const;

/**
 * PyTorch's `nn.EmbeddingBag(num, dim, { mode: 'mean', paddingIdx, includeLastOffset, maxNorm, normType,
 * scaleGradByFreq })`: an embedding table whose forward sums, averages or maxes the rows of each bag
 * (`forward(input, offsets?, perSampleWeights?)`, see `F.embeddingBag`, which renormalises the looked-up rows in place
 * with `maxNorm`); its weight drawn from N(0, 1) as PyTorch's (the padding row zeroed), read by name as Embedding's.
 * `sparse` only false. As PyTorch's, mode 'max' with scaleGradByFreq is refused when the layer is run, not built.
 */
export class EmbeddingBag extends WeightAndBias<Tensor> {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly mode: BagMode;
  readonly paddingIdx: number | null;
  readonly includeLastOffset: boolean;
  readonly maxNorm: number | null;
  readonly normType: number;
  readonly scaleGradByFreq: boolean;
  /** Always false: Kindling has no sparse gradients. */
  readonly sparse = false;

  constructor(numEmbeddings: number, embeddingDim: number, ..._rest: EmbeddingBagRest) {
    super(false);
    const o = tableArguments<EmbeddingBagLayerOptions>('EmbeddingBag', arguments, EMBEDDING_BAG_POSITIONAL, ['generator'], "new EmbeddingBag(10, 3, null, 2, false, 'mean', false, null, false, null, { generator })");
    checkSizes('EmbeddingBag', numEmbeddings, embeddingDim);
    const rest = checkEmbeddingOptions(o, 'EmbeddingBag');
    const pad = paddingRow(o.paddingIdx, numEmbeddings, 'EmbeddingBag');
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.mode = o.mode ?? 'mean';
    this.paddingIdx = pad < 0 ? null : pad;
    this.includeLastOffset = o.includeLastOffset ?? false;
    this.maxNorm = rest.maxNorm;
    this.normType = rest.normType;
    this.scaleGradByFreq = rest.scaleGradByFreq;
    this.holdWeightAndBias(this.makeParameter('weight', new Tensor(parameterStorage('EmbeddingBag', 'weight', [numEmbeddings, embeddingDim]), [numEmbeddings, embeddingDim])), null);
    fillNormal(this.weight, 0, 1, o.generator ?? getDefaultGenerator());
    if (this.paddingIdx !== null) this.weight.settled().fill(0, this.paddingIdx * embeddingDim, (this.paddingIdx + 1) * embeddingDim);
  }

  forward(input: Tensor, offsets?: Tensor | readonly number[] | null, perSampleWeights?: Tensor | null): Tensor {
    const { mode, paddingIdx, includeLastOffset, maxNorm, normType, scaleGradByFreq } = this;
    return embeddingBag(input, this.weight, { offsets: offsets ?? null, perSampleWeights: perSampleWeights ?? null, mode, paddingIdx, includeLastOffset, maxNorm, normType, scaleGradByFreq });
  }

  /**
   * An EmbeddingBag holding `embeddings` [num, dim] as its weight, as PyTorch's `EmbeddingBag.from_pretrained`: the
   * weight shares the tensor's storage (so `maxNorm` renormalises the tensor given), does not require grad unless
   * `freeze` is false, and its padding row is kept as given (not zeroed).
   *
   * @example
   * const bag = nn.EmbeddingBag.fromPretrained(tensor([[1, 2.3, 3], [4, 5.1, 6.3]]));
   * bag.forward(tensor([[1, 0]]));   // [[2.5, 3.7, 4.65]]
   */
  static fromPretrained(embeddings: Tensor, options: EmbeddingBagFromPretrainedOptions = {}): EmbeddingBag {
    const { num, dim, freeze, rest } = pretrained<EmbeddingBagFromPretrainedOptions>('EmbeddingBag.fromPretrained', embeddings, options, EMBEDDING_BAG_LAYER_OPTIONS);
    const bag = new EmbeddingBag(num, dim, { ...rest, generator: NO_DRAWS });
    bag.weight = new Parameter(embeddings, !freeze);
    return bag;
  }

  protected override extraRepr(): string {
    let s = `${this.numEmbeddings}, ${this.embeddingDim}`;
    if (this.maxNorm !== null) s += `, max_norm=${formatPyFloat(this.maxNorm)}`;
    if (this.normType !== 2) s += `, norm_type=${formatPyFloat(this.normType)}`;
    if (this.scaleGradByFreq) s += ', scale_grad_by_freq=True';
    s += `, mode=${this.mode}`;
    if (this.paddingIdx !== null) s += `, padding_idx=${this.paddingIdx}`;
    return s;
  }
}

refusePythonNames(EmbeddingBag, 'nn.EmbeddingBag', [['from_pretrained', 'fromPretrained', 'method']]);

/**
 * What `fromPretrained` of Embedding and EmbeddingBag checks, as PyTorch's `from_pretrained`: a 2-D tensor, the
 * layer's own options and `freeze` (true unless given, a boolean). Returns the table's size, `freeze` and the rest.
 */
function pretrained<O extends { readonly freeze?: boolean }>(
  where: string, embeddings: Tensor, options: O, allowed: readonly (keyof O & string)[],
): { num: number; dim: number; freeze: boolean; rest: Omit<Partial<O>, 'freeze'> } {
  checkTensor(embeddings, where, 'embeddings');
  const o = checkOptions<O>(where, options, ['freeze' as keyof O & string, ...allowed]);
  if (embeddings.ndim !== 2) {
    throw new RangeError(`${where}: embeddings must be 2-D [numEmbeddings, embeddingDim], got shape ${formatShape(embeddings.shape)} (PyTorch: "Embeddings parameter is expected to be 2-dimensional")`);
  }
  const freeze = o.freeze ?? true;
  if (typeof freeze !== 'boolean') throw new TypeError(`${where}: freeze must be true or false, got ${describeValue(freeze)}`);
  const { freeze: _, ...rest } = o;
  const [num, dim] = embeddings.shape as [number, number];
  return { num, dim, freeze, rest };
}
