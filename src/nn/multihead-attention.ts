import { checkTensor } from '../ops/util.js';
import { boundArguments, checkArgumentCount, checkOptions, describeValue, type PositionalThenOptions } from '../options.js';
import { checkFactoryKwargs, FACTORY_KWARGS, type FactoryKwargs } from '../device.js';
import { refusePythonNames } from '../python-names.js';
import { isGradEnabled } from '../autograd/grad-mode.js';
import { getDefaultGenerator, type Generator } from '../random.js';
import { Tensor } from '../tensor/tensor.js';
import { multiHeadAttention } from './attention-forward.js';
import { readMask, refuse, type AttentionMask } from './attention-mask.js';
import { calculateFanInAndFanOut, fillNormal, fillUniform } from './init-core.js';
import { Linear } from './linear.js';
import { Module } from './module.js';
import { parameterStorage } from './parameter-storage.js';

/** PyTorch's `NonDynamicallyQuantizableLinear`: a Linear under another name (MultiheadAttention's out_proj prints so). */
export class NonDynamicallyQuantizableLinear extends Linear {}

export interface MultiheadAttentionOptions extends FactoryKwargs {
  /** Dropout on the attention weights while training (default 0). */
  dropout?: number;
  /** Biases on the in- and out-projections (default true). */
  bias?: boolean;
  /** Learned biases `bias_k`, `bias_v` [1, 1, E] appended to the keys and values of every sequence (default false). */
  addBiasKv?: boolean;
  /** A key and a value of zeros appended to every sequence and head (default false). */
  addZeroAttn?: boolean;
  /** Features of the key (default embedDim); another size gives separate q/k/v projection weights. */
  kdim?: number | null;
  /** Features of the value (default embedDim). */
  vdim?: number | null;
  /** Inputs and output as [batch, seq, feature] (default false: [seq, batch, feature]); ignored for unbatched inputs. */
  batchFirst?: boolean;
  /** Draws the initial weights (default: the global generator, which `manualSeed` seeds). */
  generator?: Generator;
}

export interface MultiheadAttentionForwardOptions {
  /** [N, S] ([S] unbatched): keys not to attend; `{ bool: t }` (nonzero: padding) or a float mask added to the scores (read as booleans on PyTorch's eval fast path, as there). */
  keyPaddingMask?: AttentionMask | null;
  /** Return the attention weights too (default true); otherwise the second result is null. */
  needWeights?: boolean;
  /** [L, S] or [N·numHeads, L, S]: a float mask added to the scores, or `{ bool: t }` (nonzero: not attended). */
  attnMask?: AttentionMask | null;
  /** Average the returned weights over the heads (default true): [N, L, S]; false gives [N, numHeads, L, S]. */
  averageAttnWeights?: boolean;
}

/** PyTorch 1.13's positional parameters after embed_dim and num_heads (`inspect.signature`). */
const POSITIONAL = ['dropout', 'bias', 'addBiasKv', 'addZeroAttn', 'kdim', 'vdim', 'batchFirst', ...FACTORY_KWARGS] as const;

/** The arguments after embedDim and numHeads: PyTorch's positional ones in order, then options. */
type MultiheadAttentionRest = PositionalThenOptions<
  [dropout: number | undefined, bias: boolean | undefined, addBiasKv: boolean | undefined, addZeroAttn: boolean | undefined, kdim: number | null | undefined,
    vdim: number | null | undefined, batchFirst: boolean | undefined, device: string | null | undefined, dtype: string | null | undefined],
  MultiheadAttentionOptions
>;
const FORWARD_OPTIONS = ['keyPaddingMask', 'needWeights', 'attnMask', 'averageAttnWeights'] as const;

function size(where: string, what: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new RangeError(`${where}: ${what} must be a non-negative integer, got ${describeValue(v)}`);
  return v;
}

function positive(where: string, what: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) throw new RangeError(`${where}: ${what} must be a positive integer, got ${describeValue(v)}`);
  return v;
}

export function flag(where: string, what: string, v: unknown, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new TypeError(`${where}: ${what} must be true or false, got ${describeValue(v)}`);
  return v;
}

/**
 * Multi-head attention, as PyTorch 1.13's `nn.MultiheadAttention(embedDim, numHeads, { dropout, bias, addBiasKv,
 * addZeroAttn, kdim, vdim, batchFirst })`: `forward(query, key, value, { keyPaddingMask, needWeights, attnMask, averageAttnWeights })`
 * returns [output, weights or null]. Inputs are [L, N, E] ([N, L, E] with batchFirst) or unbatched [L, E]; the key
 * and value [S, N, kdim] and [S, N, vdim]. Parameters and their initial values are PyTorch's after the same seed:
 * `in_proj_weight` [3E, E] (Xavier uniform; `q_proj_weight`, `k_proj_weight`, `v_proj_weight` when kdim or vdim
 * differ from E), `in_proj_bias` [3E] (zeros), `out_proj`, a Linear E → E whose bias starts at 0, and with addBiasKv
 * `bias_k`, `bias_v` [1, 1, E] (Xavier normal), a key and a value appended to every sequence; addZeroAttn appends a
 * key and a value of zeros (the masks get a column for each, attended).
 *
 * @example
 * const mha = new nn.MultiheadAttention(8, 2);
 * const x = randn(5, 3, 8);                          // [seq, batch, embed]
 * const [out, weights] = mha.forward(x, x, x);       // out [5, 3, 8], weights [3, 5, 5]
 */
export class MultiheadAttention extends Module {
  readonly embedDim: number;
  readonly numHeads: number;
  readonly headDim: number;
  readonly kdim: number;
  readonly vdim: number;
  readonly dropout: number;
  readonly batchFirst: boolean;
  /** Whether a key and a value of zeros are appended to every sequence (PyTorch's add_zero_attn). */
  readonly addZeroAttn: boolean;
  #inProjWeight: Tensor | null = null;
  #qProjWeight: Tensor | null = null;
  #kProjWeight: Tensor | null = null;
  #vProjWeight: Tensor | null = null;
  #inProjBias: Tensor | null = null;
  #biasK: Tensor | null = null;
  #biasV: Tensor | null = null;
  readonly #outProj: NonDynamicallyQuantizableLinear;

  constructor(embedDim: number, numHeads: number, ..._rest: MultiheadAttentionRest) {
    super();
    const where = 'MultiheadAttention';
    const bound = boundArguments(where, arguments, 2, POSITIONAL, ['generator'], 'new MultiheadAttention(8, 2, 0.1, true, false, false, null, null, true, { generator })');
    checkFactoryKwargs(where, bound);
    const o = bound as MultiheadAttentionOptions;
    this.embedDim = positive(where, 'embedDim', embedDim);
    this.numHeads = positive(where, 'numHeads', numHeads);
    // PyTorch takes a kdim or vdim of 0 (an empty k_proj_weight or v_proj_weight).
    this.kdim = o.kdim == null ? embedDim : size(where, 'kdim', o.kdim);
    this.vdim = o.vdim == null ? embedDim : size(where, 'vdim', o.vdim);
    const p = o.dropout ?? 0;
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new RangeError(`${where}: dropout must be a probability in [0, 1], got ${describeValue(p)}`);
    this.dropout = p;
    this.batchFirst = flag(where, 'batchFirst', o.batchFirst, false);
    const bias = flag(where, 'bias', o.bias, true);
    const addBiasKv = flag(where, 'addBiasKv', o.addBiasKv, false);
    this.addZeroAttn = flag(where, 'addZeroAttn', o.addZeroAttn, false);
    this.headDim = Math.floor(embedDim / numHeads);
    if (this.headDim * numHeads !== embedDim) throw refuse(where, `embed_dim must be divisible by num_heads (embedDim ${embedDim}, numHeads ${numHeads})`);
    const E = embedDim;
    const empty = (shape: number[], what: string): Tensor => new Tensor(parameterStorage(where, what, shape), shape);
    if (this.qkvSameEmbedDim) {
      this.#inProjWeight = this.makeParameter('in_proj_weight', empty([3 * E, E], 'in_proj_weight'));
    } else {
      this.#qProjWeight = this.makeParameter('q_proj_weight', empty([E, E], 'q_proj_weight'));
      this.#kProjWeight = this.makeParameter('k_proj_weight', empty([E, this.kdim], 'k_proj_weight'));
      this.#vProjWeight = this.makeParameter('v_proj_weight', empty([E, this.vdim], 'v_proj_weight'));
    }
    if (bias) this.#inProjBias = this.makeParameter('in_proj_bias', empty([3 * E], 'in_proj_bias'));
    // Drawn here, as PyTorch's constructor draws it before _reset_parameters.
    this.#outProj = this.holdModule('out_proj', new NonDynamicallyQuantizableLinear(E, E, bias, o.generator === undefined ? {} : { generator: o.generator }));
    if (addBiasKv) {
      this.#biasK = this.makeParameter('bias_k', empty([1, 1, E], 'bias_k'));
      this.#biasV = this.makeParameter('bias_v', empty([1, 1, E], 'bias_v'));
    }
    this.resetParameters(o.generator);
  }

  /** Whether key and value have embedDim features (one packed in_proj_weight), PyTorch's `_qkv_same_embed_dim`. */
  get qkvSameEmbedDim(): boolean {
    return this.kdim === this.embedDim && this.vdim === this.embedDim;
  }

  /** [3E, E]: the q, k and v projection weights packed, or null with separate ones. */
  get inProjWeight(): Tensor | null { return this.#inProjWeight; }
  set inProjWeight(v: Tensor | null) { this.#inProjWeight = this.assignParameter('in_proj_weight', v, false); }
  /** [E, E] with kdim or vdim ≠ E, else null. */
  get qProjWeight(): Tensor | null { return this.#qProjWeight; }
  set qProjWeight(v: Tensor | null) { this.#qProjWeight = this.assignParameter('q_proj_weight', v, false); }
  /** [E, kdim] with kdim or vdim ≠ E, else null. */
  get kProjWeight(): Tensor | null { return this.#kProjWeight; }
  set kProjWeight(v: Tensor | null) { this.#kProjWeight = this.assignParameter('k_proj_weight', v, false); }
  /** [E, vdim] with kdim or vdim ≠ E, else null. */
  get vProjWeight(): Tensor | null { return this.#vProjWeight; }
  set vProjWeight(v: Tensor | null) { this.#vProjWeight = this.assignParameter('v_proj_weight', v, false); }
  /** [3E]: the q, k and v projection biases, or null (bias: false). */
  get inProjBias(): Tensor | null { return this.#inProjBias; }
  set inProjBias(v: Tensor | null) { this.#inProjBias = this.assignParameter('in_proj_bias', v, true); }
  /** The output projection, a Linear E → E. */
  get outProj(): NonDynamicallyQuantizableLinear { return this.#outProj; }
  /** [1, 1, E]: the learned key appended to every sequence (addBiasKv), else null. */
  get biasK(): Tensor | null { return this.#biasK; }
  set biasK(v: Tensor | null) { this.#biasK = this.assignParameter('bias_k', v, true); }
  /** [1, 1, E]: the learned value appended to every sequence (addBiasKv), else null. */
  get biasV(): Tensor | null { return this.#biasV; }
  set biasV(v: Tensor | null) { this.#biasV = this.assignParameter('bias_v', v, true); }

  /**
   * PyTorch's `_reset_parameters`: Xavier uniform on in_proj_weight (or q, k, v in turn), the in- and
   * out-projection biases set to 0, then Xavier normal on bias_k and bias_v. (out_proj's weight keeps the Linear
   * initialisation drawn when it was made.)
   */
  resetParameters(generator: Generator = getDefaultGenerator()): void {
    for (const w of [this.#inProjWeight, this.#qProjWeight, this.#kProjWeight, this.#vProjWeight]) {
      if (w === null) continue;
      const [fanIn, fanOut] = calculateFanInAndFanOut(w, 'MultiheadAttention.resetParameters');
      const a = Math.sqrt(3.0) * (1 * Math.sqrt(2.0 / (fanIn + fanOut)));
      fillUniform(w, -a, a, generator);
    }
    if (this.#inProjBias !== null) {
      this.#inProjBias.settled().fill(0);
      this.#outProj.bias?.settled().fill(0);
    }
    for (const b of [this.#biasK, this.#biasV]) {
      if (b === null) continue;
      const [fanIn, fanOut] = calculateFanInAndFanOut(b, 'MultiheadAttention.resetParameters');
      fillNormal(b, 0, 1 * Math.sqrt(2.0 / (fanIn + fanOut)), generator);
    }
  }

  forward(query: Tensor, key: Tensor, value: Tensor, options?: MultiheadAttentionForwardOptions): [Tensor, Tensor | null];
  /** nn.Module's signature (its forward returns a tensor), for the class to extend Module; calls resolve to the one above. */
  forward(input: Tensor, ...rest: unknown[]): Tensor;
  forward(query: Tensor, key?: unknown, value?: unknown, options?: MultiheadAttentionForwardOptions): Tensor | [Tensor, Tensor | null] {
    const where = 'MultiheadAttention.forward';
    checkArgumentCount(where, arguments, 4, 'forward(query, key, value, { keyPaddingMask, needWeights, attnMask, averageAttnWeights })');
    checkTensor(query, where, 'query');
    checkTensor(key, where, 'key');
    checkTensor(value, where, 'value');
    const o = checkOptions<MultiheadAttentionForwardOptions>(where, options, [...FORWARD_OPTIONS]);
    let keyPaddingMask = readMask(o.keyPaddingMask, where, 'keyPaddingMask');
    // PyTorch's fast path (_native_multi_head_attention) reads a float padding mask as booleans: nonzero hides the key.
    if (keyPaddingMask !== null && !keyPaddingMask.bool && this.#fastPath(query, key, value, o.attnMask ?? null)) keyPaddingMask = { t: keyPaddingMask.t, bool: true };
    const call = {
      keyPaddingMask,
      attnMask: readMask(o.attnMask, where, 'attnMask'),
      needWeights: flag(where, 'needWeights', o.needWeights, true),
      averageAttnWeights: flag(where, 'averageAttnWeights', o.averageAttnWeights, true),
    };
    const batchFirst = this.batchFirst && query.ndim === 3;
    let [q, k, v] = [query, key, value];
    if (batchFirst) {
      // Transposed keeping which of them are the same tensor, as PyTorch does (that picks the in-projection's path).
      q = query.transpose(1, 0);
      k = key === query ? q : key.transpose(1, 0);
      v = value === key ? k : value === query ? q : value.transpose(1, 0);
    }
    const [out, weights] = multiHeadAttention(where, q, k, v, {
      embedDim: this.embedDim, numHeads: this.numHeads, inProjWeight: this.#inProjWeight, qProjWeight: this.#qProjWeight,
      kProjWeight: this.#kProjWeight, vProjWeight: this.#vProjWeight, inProjBias: this.#inProjBias,
      biasK: this.#biasK, biasV: this.#biasV, addZeroAttn: this.addZeroAttn, outProjWeight: this.#outProj.weight, outProjBias: this.#outProj.bias, dropout: this.dropout, training: this.training,
    }, call);
    return [batchFirst ? out.transpose(1, 0) : out, weights];
  }

  /** Whether PyTorch 1.13 takes its fast path (activation.py, MultiheadAttention.forward's `why_not_fast_path`). */
  #fastPath(query: Tensor, key: Tensor, value: Tensor, attnMask: AttentionMask | null): boolean {
    if (query.ndim !== 3 || query !== key || key !== value || this.training || !this.batchFirst) return false;
    if (this.#biasK !== null || this.#biasV !== null || this.addZeroAttn) return false;
    if (this.dropout !== 0 || !this.qkvSameEmbedDim || attnMask !== null || this.numHeads % 2 === 1) return false;
    const args = [query, this.#inProjWeight, this.#inProjBias, this.#outProj.weight, this.#outProj.bias];
    return !(isGradEnabled() && args.some((t) => t !== null && t.requiresGrad));
  }
}

refusePythonNames(MultiheadAttention.prototype, 'layer', [
  ['in_proj_weight', 'inProjWeight', 'property'], ['in_proj_bias', 'inProjBias', 'property'], ['out_proj', 'outProj', 'property'],
  ['q_proj_weight', 'qProjWeight', 'property'], ['k_proj_weight', 'kProjWeight', 'property'], ['v_proj_weight', 'vProjWeight', 'property'],
  ['embed_dim', 'embedDim', 'property'], ['num_heads', 'numHeads', 'property'], ['head_dim', 'headDim', 'property'],
  ['batch_first', 'batchFirst', 'property'], ['bias_k', 'biasK', 'property'], ['bias_v', 'biasV', 'property'],
  ['add_zero_attn', 'addZeroAttn', 'property'], ['_reset_parameters', 'resetParameters', 'method'],
]);
