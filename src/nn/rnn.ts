// nn.RNN, nn.LSTM and nn.GRU, as PyTorch 1.13's on the CPU: layers of cells (rnn-math.ts) run over a sequence,
// optionally in both directions, with dropout between layers while training. Composed of differentiable ops in
// the order ATen's CPU code uses (aten/src/ATen/native/RNN.cpp: FullLayer, FullBidirectionalLayer, apply_layer_stack),
// so the outputs' grad_fn names are PyTorch's (StackBackward0, CatBackward0, TransposeBackward0, SqueezeBackward1).
import { warnOnce } from '../warn.js';
import { KindlingError } from '../errors.js';
import { dropout as dropoutOp } from '../ops/dropout.js';
import { cat, stack } from '../ops/join.js';
import { checkTensor } from '../ops/util.js';
import { transpose } from '../ops/view.js';
import { boundArguments, checkArgumentCount, describeValue, type PositionalThenOptions } from '../options.js';
import { checkFactoryKwargs, FACTORY_KWARGS, type FactoryKwargs } from '../device.js';
import { refusePythonNames } from '../python-names.js';
import { getDefaultGenerator, type Generator } from '../random.js';
import { zeros } from '../tensor/creation.js';
import { formatPyFloat } from '../tensor/format.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';
import { checkSize, emptyParameter, resetRecurrent } from './rnn-cell.js';
import { gateCount, inputProjection, stepFromProjection, type CellMode, type CellWeights } from './rnn-math.js';
import { runPacked } from './rnn-packed.js';
import { timeSteps } from './rnn-steps.js';
import { PackedSequence } from './utils/packed-sequence.js';

export interface RNNBaseOptions extends FactoryKwargs {
  /** Stacked layers (default 1); each after the first takes the previous one's output. */
  numLayers?: number;
  /** Learn the biases b_ih and b_hh (default true). */
  bias?: boolean;
  /** Input and output as [batch, seq, feature] instead of [seq, batch, feature] (default false; the states keep [layers·directions, batch, hidden]). */
  batchFirst?: boolean;
  /** Dropout probability on each layer's output but the last's, while training (default 0). */
  dropout?: number;
  /** Run each layer forwards and backwards, outputs concatenated (default false). */
  bidirectional?: boolean;
  /** Draws the initial weights (default: the global generator, which `manualSeed` seeds). */
  generator?: Generator;
}

export interface RNNOptions extends RNNBaseOptions {
  /** 'tanh' (default) or 'relu'. */
  nonlinearity?: 'tanh' | 'relu';
}

export interface LSTMOptions extends RNNBaseOptions {
  /**
   * PyTorch's proj_size (default 0, none): each step's h = (o ⊙ tanh(c))·W_hrᵀ, projected to this many features by
   * weight_hr_l{k} [projSize, hiddenSize]; must be below hiddenSize. h0, h_n and the output then have projSize
   * features (directions·projSize), c0 and c_n keep hiddenSize.
   */
  projSize?: number;
}

/** Every option a layer may be given (projSize is refused but for an LSTM, with PyTorch's words). */
type LayerOptions = RNNOptions & LSTMOptions;

// PyTorch 1.13's RNNBase parameters after the sizes, in order. projSize is taken for every layer, so that RNN and GRU
// refuse it with PyTorch's message rather than as unknown.
const POSITIONAL = ['numLayers', 'bias', 'batchFirst', 'dropout', 'bidirectional', 'projSize', ...FACTORY_KWARGS] as const;

/** The arguments after the sizes: PyTorch's positional ones in order, then options `O`. */
export type RNNRest<O> = PositionalThenOptions<
  [numLayers: number | undefined, bias: boolean | undefined, batchFirst: boolean | undefined, dropout: number | undefined, bidirectional: boolean | undefined,
    projSize: number | undefined, device: string | null | undefined, dtype: string | null | undefined],
  O
>;

/** Python's repr of a tuple of sizes, as PyTorch's messages print the expected hidden size: (2, 3, 4). */
const pyTuple = (s: readonly number[]): string => `(${s.join(', ')}${s.length === 1 ? ',' : ''})`;

/** What nn.RNN, nn.LSTM and nn.GRU share (PyTorch's RNNBase): options, parameters, the run over a sequence. */
export abstract class RNNBase extends Module {
  readonly mode: CellMode;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  /** An LSTM's projection size, PyTorch's proj_size (0: none; always 0 for RNN and GRU). */
  readonly projSize: number;
  /**
   * Per layer and direction (l0, l0_reverse, l1, …), in PyTorch's order: [weight_ih, weight_hh, bias_ih, bias_hh,
   * weight_hr] (no biases without bias, no weight_hr without projSize).
   */
  readonly #weights: Tensor[][] = [];
  readonly #name: string;

  protected constructor(name: string, mode: CellMode, inputSize: number, hiddenSize: number, o: LayerOptions) {
    super();
    this.#name = name;
    this.mode = mode;
    // PyTorch takes an input size of 0 (weight_ih [G·hidden, 0]: the gates see only the biases and h).
    this.inputSize = checkSize(name, 'inputSize', inputSize, 0);
    // PyTorch refuses a hidden size of 0 in its check of proj_size ("proj_size has to be smaller than hidden_size").
    this.hiddenSize = checkSize(name, 'hiddenSize', hiddenSize);
    this.numLayers = checkSize(name, 'numLayers', o.numLayers ?? 1);
    for (const k of ['bias', 'batchFirst', 'bidirectional'] as const) {
      if (o[k] !== undefined && typeof o[k] !== 'boolean') {
        // PyTorch 1.13's RNN takes its fourth argument as bias, as RNNBase's signature says; the nonlinearity is a keyword.
        const hint = name === 'RNN' && k === 'bias' && typeof o[k] === 'string' ? ` (the fourth argument is bias, as in PyTorch 1.13; give the nonlinearity by name: new RNN(${inputSize}, ${hiddenSize}, ${this.numLayers}, { nonlinearity: ${JSON.stringify(o[k])} }))` : '';
        throw new TypeError(`${name}: ${k} must be true or false, got ${describeValue(o[k])}${hint}`);
      }
    }
    this.bias = o.bias !== false;
    this.batchFirst = o.batchFirst === true;
    this.bidirectional = o.bidirectional === true;
    const p = o.dropout ?? 0;
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
      throw new KindlingError(`${name}: dropout should be a number in range [0, 1] representing the probability of an element being zeroed, got ${describeValue(p)}`);
    }
    this.dropout = p;
    if (p > 0 && this.numLayers === 1) warnDropout(p);
    this.projSize = checkProjSize(name, mode, o.projSize, hiddenSize);
    const gates = gateCount(mode) * hiddenSize;
    const dirs = this.bidirectional ? 2 : 1;
    // With a projection, h (the state carried to the next step, and each layer's output) has projSize features.
    const realHidden = this.projSize > 0 ? this.projSize : hiddenSize;
    for (let layer = 0; layer < this.numLayers; layer++) {
      for (let d = 0; d < dirs; d++) {
        const suffix = `_l${layer}${d === 1 ? '_reverse' : ''}`;
        const inSize = layer === 0 ? inputSize : realHidden * dirs;
        const ps = [
          this.makeParameter(`weight_ih${suffix}`, emptyParameter([gates, inSize], name, `weight_ih${suffix}`)),
          this.makeParameter(`weight_hh${suffix}`, emptyParameter([gates, realHidden], name, `weight_hh${suffix}`)),
        ];
        if (this.bias) ps.push(this.makeParameter(`bias_ih${suffix}`, emptyParameter([gates], name, `bias_ih${suffix}`)), this.makeParameter(`bias_hh${suffix}`, emptyParameter([gates], name, `bias_hh${suffix}`)));
        if (this.projSize > 0) ps.push(this.makeParameter(`weight_hr${suffix}`, emptyParameter([this.projSize, hiddenSize], name, `weight_hr${suffix}`)));
        this.#weights.push(ps);
      }
    }
    refuseLayerAttributes(this, this.#weights.map((ps) => ps.map((w) => w.name!)));
    this.resetParameters(o.generator);
  }

  /** PyTorch's `all_weights`: per layer and direction, its weight_ih, weight_hh (bias_ih, bias_hh; weight_hr). */
  get allWeights(): Tensor[][] {
    return this.#weights.map((ps) => [...ps]);
  }

  /**
   * PyTorch's `flatten_parameters()`, which packs the weights into one buffer for cuDNN and is a no-op on the CPU:
   * here always a no-op (there is nothing to flatten), so code written for PyTorch runs unchanged.
   */
  flattenParameters(): undefined {
    return undefined;
  }

  /** The parameters of layer-direction `k` (l0, l0_reverse, l1, …) as a step reads them. */
  #cellWeights(k: number): CellWeights {
    const ps = this.#weights[k]!;
    return {
      wIh: ps[0]!, wHh: ps[1]!, bIh: this.bias ? ps[2]! : null, bHh: this.bias ? ps[3]! : null, wHr: this.projSize > 0 ? ps[ps.length - 1]! : null,
    };
  }

  /** The feature size of each state tensor: [h] or, for an LSTM, [h, c] (h has projSize features with a projection). */
  #stateSizes(): number[] {
    const h = this.projSize > 0 ? this.projSize : this.hiddenSize;
    return this.mode === 'LSTM' ? [h, this.hiddenSize] : [h];
  }

  /** PyTorch's initialisation: U(−1/√hiddenSize, 1/√hiddenSize) for every parameter, in registration order. */
  resetParameters(generator: Generator = getDefaultGenerator()): void {
    resetRecurrent(this.#weights.flat(), this.hiddenSize, generator);
  }

  /**
   * The run over a sequence, shared by the three layers: `states` are the initial state tensors given ([h], or
   * [h, c] for an LSTM; null for zeros). Returns the output and the final state tensors, shaped as PyTorch's.
   */
  protected runSequence(input: Tensor | PackedSequence, states: readonly Tensor[] | null): [Tensor | PackedSequence, Tensor[]] {
    const name = this.#name;
    if (input instanceof PackedSequence) {
      states?.forEach((h) => checkTensor(h, `${name}.forward`, 'hx'));
      const weights = this.#weights.map((_, k) => this.#cellWeights(k));
      return runPacked({ name, mode: this.mode, inputSize: this.inputSize, stateSizes: this.#stateSizes(), numLayers: this.numLayers, bidirectional: this.bidirectional, dropout: this.dropout, training: this.training, weights }, input, states);
    }
    checkTensor(input, `${name}.forward`);
    const lstm = this.mode === 'LSTM';
    const batched = input.ndim === 3;
    const batchDim = this.batchFirst ? 0 : 1;
    if (states !== null) {
      states.forEach((h) => checkTensor(h, `${name}.forward`, 'hx'));
      const want = batched ? 3 : 2;
      if (states.some((h) => h.ndim !== want)) {
        const what = batched ? 'batched 3-D' : 'unbatched 2-D';
        throw new KindlingError(lstm
          ? `For ${what} input, hx and cx should also be ${want}-D but got (${states[0]!.ndim}-D, ${states[1]!.ndim}-D) tensors`
          : `For ${what} input, hx should also be ${want}-D but got ${states[0]!.ndim}-D tensor`);
      }
    }
    // As PyTorch: anything but 3-D is taken as unbatched and given a batch dimension, then must be 3-D.
    const x = batched || input.ndim === 0 ? input : input.unsqueeze(batchDim);
    if (x.ndim !== 3) throw new KindlingError(`input must have 3 dimensions, got ${x.ndim}`);
    if (x.shape[2] !== this.inputSize) throw new KindlingError(`input.size(-1) must be equal to input_size. Expected ${this.inputSize}, got ${x.shape[2]}`);
    const dirs = this.bidirectional ? 2 : 1;
    const batch = x.shape[batchDim]!;
    const expected = this.#stateSizes().map((size) => [this.numLayers * dirs, batch, size]);
    let hs: Tensor[];
    if (states === null) {
      hs = expected.map((shape) => zeros(shape));
    } else {
      hs = batched ? [...states] : states.map((h) => h.unsqueeze(1));
      hs.forEach((h, k) => {
        const want = expected[k]!;
        if (h.shape.length !== 3 || h.shape.some((v, i) => v !== want[i])) {
          throw new KindlingError(`Expected hidden${lstm ? `[${k}]` : ''} size ${pyTuple(want)}, got [${h.shape.join(', ')}]`);
        }
      });
    }
    const seq = this.batchFirst ? x.transpose(0, 1) : x;
    if (seq.shape[0] === 0) throw new KindlingError('Expected sequence length to be larger than 0 in RNN');
    const initial = hs.map((h) => h.unbind(0));
    const finals: Tensor[][] = [];
    let layerInput = seq;
    for (let layer = 0; layer < this.numLayers; layer++) {
      const outs: Tensor[] = [];
      for (let d = 0; d < dirs; d++) {
        const k = layer * dirs + d;
        const w = this.#cellWeights(k);
        // The input's projection for every step at once, then one step at a time (backwards for the reverse direction).
        const steps = timeSteps(inputProjection(layerInput, w));
        if (d === 1) steps.reverse();
        let state = initial.map((s) => s[k]!);
        const stepOutputs: Tensor[] = [];
        for (const xw of steps) {
          state = stepFromProjection(this.mode, xw, state, w);
          stepOutputs.push(state[0]!);
        }
        if (d === 1) stepOutputs.reverse();
        outs.push(stack(stepOutputs, 0));
        finals.push(state);
      }
      layerInput = dirs === 2 ? cat(outs, 2) : outs[0]!;
      if (this.dropout !== 0 && this.training && layer < this.numLayers - 1) layerInput = dropoutOp(layerInput, this.dropout, true);
    }
    // ATen turns an LSTM's output back with transpose (TransposeBackward0), an RNN's or GRU's with transpose_ in
    // place (TransposeBackward1): the same view, under the name PyTorch's graph shows.
    let output = this.batchFirst ? transpose(layerInput, 0, 1, lstm ? 'TransposeBackward0' : 'TransposeBackward1') : layerInput;
    let hn = hs.map((_, i) => stack(finals.map((f) => f[i]!), 0));
    if (!batched) {
      output = output.squeeze(batchDim);
      hn = hn.map((h) => h.squeeze(1));
    }
    return [output, hn];
  }

  protected override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (this.projSize !== 0) s += `, proj_size=${this.projSize}`;
    if (this.numLayers !== 1) s += `, num_layers=${this.numLayers}`;
    if (!this.bias) s += ', bias=False';
    if (this.batchFirst) s += ', batch_first=True';
    // PyTorch stores float(dropout): 1 prints as 1.0.
    if (this.dropout !== 0) s += `, dropout=${formatPyFloat(this.dropout)}`;
    if (this.bidirectional) s += ', bidirectional=True';
    return s;
  }
}

/**
 * PyTorch's warning for dropout on a single layer (where it does nothing): once per message, as Python shows it. Its
 * text names the dropout but not the kind of layer, so another value warns again and the same value from an LSTM
 * after a GRU does not.
 */
function warnDropout(p: number): void {
  warnOnce(
    `nn.RNN/LSTM/GRU: dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects num_layers greater than 1, ` +
      `but got dropout=${formatPyFloat(p)} and num_layers=1 (PyTorch's warning; give numLayers > 1, or no dropout)`,
    'RNNBase',
  );
}

/**
 * A layer's options from its constructor's `args` (the sizes first): by position in the order of PyTorch 1.13's
 * RNNBase (num_layers, bias, batch_first, dropout, bidirectional, proj_size, device, dtype; its nn.RNN takes the
 * nonlinearity by keyword only), then optionally one object of options (with `extra`: RNN's nonlinearity); device
 * and dtype checked and taken out.
 */
function layerOptions(where: string, args: ArrayLike<unknown>, extra: readonly (keyof LayerOptions)[], usage: string): LayerOptions {
  const bound = boundArguments(where, args, 2, POSITIONAL, ['generator', ...extra], usage);
  checkFactoryKwargs(where, bound);
  const { device: _d, dtype: _t, ...o } = bound;
  // PyTorch 1.13's nn.RNN and nn.GRU refuse the proj_size keyword but take RNNBase's eighth positional argument,
  // proj_size, as 0 (no projection) like an LSTM does: new GRU(2, 3, 1, true, false, 0, false, 0, 'cpu') builds.
  if (where !== 'LSTM' && args[2 + POSITIONAL.indexOf('projSize')] === 0) delete o.projSize;
  return o as LayerOptions;
}

/** The projection size, with PyTorch's refusals: only an LSTM has one, and it must be in [0, hiddenSize). */
function checkProjSize(where: string, mode: CellMode, projSize: unknown, hiddenSize: number): number {
  if (projSize === undefined) return 0;
  // PyTorch refuses the keyword itself on RNN and GRU, even proj_size=0.
  if (mode !== 'LSTM') throw new KindlingError(`${where}: proj_size argument is only supported for LSTM, not RNN or GRU (projSize is an LSTM option)`);
  if (!Number.isSafeInteger(projSize)) throw new TypeError(`${where}: projSize must be a whole number (0 for no projection), got ${describeValue(projSize)}`);
  if ((projSize as number) < 0) throw new KindlingError(`${where}: proj_size should be a positive integer or zero to disable projections, got ${projSize as number}`);
  if ((projSize as number) >= hiddenSize) throw new KindlingError(`${where}: proj_size has to be smaller than hidden_size, got projSize ${projSize as number} and hiddenSize ${hiddenSize}`);
  return projSize as number;
}

/** Each layer's parameter names, per layer and direction as allWeights: what the refusing accessors below look up. */
const layerNames = new WeakMap<object, readonly (readonly string[])[]>();
/** The names given a refusing accessor on RNNBase.prototype so far. */
const refusedNames = new Set<string>();

/** Where the parameter `name` of layer `self` is in its allWeights ([k, i]), or null when it has none of that name. */
function place(self: object, name: string): [number, number] | null {
  const all = layerNames.get(self) ?? [];
  for (let k = 0; k < all.length; k++) {
    const i = all[k]!.indexOf(name);
    if (i >= 0) return [k, i];
  }
  return null;
}

/**
 * PyTorch's per-layer attributes (`lstm.weight_ih_l0`, `bias_hh_l1_reverse`, `weight_hr_l0`), which JavaScript would
 * read as undefined: a Kindling layer keeps its parameters inside, so reading or assigning one of its own is refused,
 * saying where the parameter is. The accessors are on the prototype (an own property of a parameter's name would be
 * taken for the parameter by the member scan), made for the names of the layers built so far; on a layer without
 * the name they read undefined and assign an ordinary property, as if they were not there.
 */
function refuseLayerAttributes(m: RNNBase, names: readonly (readonly string[])[]): void {
  layerNames.set(m, names);
  for (const name of names.flat()) {
    if (refusedNames.has(name)) continue;
    refusedNames.add(name);
    const refusal = ([k, i]: [number, number]): TypeError => new TypeError(
      `layer.${name} is PyTorch's attribute; a Kindling layer keeps its parameters inside: read it as layer.getParameter('${name}'), ` +
        `layer.allWeights[${k}][${i}] or layer.stateDict()['${name}'] (namedParameters() lists them all); to set its values, copy into it in noGrad, or use loadStateDict`,
    );
    Object.defineProperty(RNNBase.prototype, name, {
      enumerable: false,
      configurable: false,
      get(this: object): undefined {
        const at = place(this, name);
        if (at !== null) throw refusal(at);
        return undefined;
      },
      set(this: object, v: unknown): void {
        const at = place(this, name);
        if (at !== null) throw refusal(at);
        Object.defineProperty(this, name, { value: v, writable: true, enumerable: true, configurable: true });
      },
    });
  }
}

/**
 * A multi-layer Elman RNN, as PyTorch's `nn.RNN(inputSize, hiddenSize, { numLayers, nonlinearity, bias,
 * batchFirst, dropout, bidirectional })` (numLayers, bias, batchFirst, dropout and bidirectional also by position, in
 * that order, as PyTorch 1.13's: `new RNN(10, 20, 2, true, true)`; the nonlinearity only by name, as 1.13's): h_t = tanh(x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh) (or relu) per layer.
 * `forward(input, h0?)`: input [seq, batch, inputSize] ([batch, seq, …] with batchFirst) or unbatched [seq,
 * inputSize]; h0 [numLayers·directions, batch, hiddenSize] (or [numLayers·directions, hiddenSize]), zeros when left
 * out. Returns [output, h_n]: output [seq, batch, directions·hiddenSize], h_n shaped as h0.
 *
 * @example
 * const rnn = new nn.RNN(10, 20, 2);
 * const [output, hn] = rnn.forward(randn(5, 3, 10));   // output [5, 3, 20], hn [2, 3, 20]
 */
export class RNN extends RNNBase {
  readonly nonlinearity: 'tanh' | 'relu';

  constructor(inputSize: number, hiddenSize: number, ..._rest: RNNRest<RNNOptions>) {
    const o = layerOptions('RNN', arguments, ['nonlinearity'], "new RNN(10, 20, 2, true, false, 0, false, { nonlinearity: 'relu' })");
    const nl = o.nonlinearity ?? 'tanh';
    if (nl !== 'tanh' && nl !== 'relu') throw new KindlingError(`RNN: Unknown nonlinearity '${typeof nl === 'string' ? nl : describeValue(nl)}' (the nonlinearities are 'tanh' and 'relu')`);
    super('RNN', nl === 'tanh' ? 'RNN_TANH' : 'RNN_RELU', inputSize, hiddenSize, o);
    this.nonlinearity = nl;
  }

  forward(input: Tensor, hx?: Tensor | null): [Tensor, Tensor];
  /** A packed batch (nn.utils.rnn.packPaddedSequence) gives a packed output, each sequence run over its own length. */
  forward(input: PackedSequence, hx?: Tensor | null): [PackedSequence, Tensor];
  /** nn.Module's signature (its forward returns a tensor), for the class to extend Module; calls resolve to the one above. */
  forward(input: Tensor, ...rest: unknown[]): Tensor;
  forward(input: Tensor | PackedSequence, hx?: Tensor | null): Tensor | [Tensor | PackedSequence, Tensor] {
    checkArgumentCount('RNN.forward', arguments, 2, 'forward(input, h0?)');
    const [out, [h]] = this.runSequence(input, hx == null ? null : [hx]);
    return [out, h!];
  }
}

/**
 * A multi-layer long short-term memory, as PyTorch's `nn.LSTM(inputSize, hiddenSize, { numLayers, bias,
 * batchFirst, dropout, bidirectional, projSize })` (each also by position, in that order, as PyTorch's): each layer an LSTMCell (gates i, f, g, o) over the sequence.
 * `forward(input, [h0, c0]?)` returns [output, [h_n, c_n]] (shapes as nn.RNN's). With `projSize` P (PyTorch's
 * proj_size), each step's h is projected by weight_hr [P, hiddenSize]: h0 and h_n are [numLayers·directions, batch, P],
 * the output [seq, batch, directions·P], c0 and c_n keep hiddenSize.
 *
 * @example
 * const lstm = new nn.LSTM(10, 20, 2);
 * const [output, [hn, cn]] = lstm.forward(randn(5, 3, 10));   // output [5, 3, 20], hn and cn [2, 3, 20]
 */
export class LSTM extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, ..._rest: RNNRest<LSTMOptions>) {
    super('LSTM', 'LSTM', inputSize, hiddenSize, layerOptions('LSTM', arguments, [], 'new LSTM(10, 20, 2, true, true, 0, false, 0, { generator })'));
  }

  forward(input: Tensor, hx?: readonly [Tensor, Tensor] | null): [Tensor, [Tensor, Tensor]];
  /** A packed batch (nn.utils.rnn.packPaddedSequence) gives a packed output, each sequence run over its own length. */
  forward(input: PackedSequence, hx?: readonly [Tensor, Tensor] | null): [PackedSequence, [Tensor, Tensor]];
  /** nn.Module's signature (its forward returns a tensor), for the class to extend Module; calls resolve to the one above. */
  forward(input: Tensor, ...rest: unknown[]): Tensor;
  forward(input: Tensor | PackedSequence, hx?: readonly [Tensor, Tensor] | null): Tensor | [Tensor | PackedSequence, [Tensor, Tensor]] {
    checkArgumentCount('LSTM.forward', arguments, 2, 'forward(input, [h0, c0]?)');
    if (hx != null && (!Array.isArray(hx) || hx.length !== 2)) throw new TypeError(`LSTM.forward: hx must be [h0, c0], an array of two tensors, got ${describeValue(hx)}`);
    const [out, [h, c]] = this.runSequence(input, hx == null ? null : [hx[0], hx[1]]);
    return [out, [h!, c!]];
  }
}

/**
 * A multi-layer gated recurrent unit, as PyTorch's `nn.GRU(inputSize, hiddenSize, { numLayers, bias, batchFirst,
 * dropout, bidirectional })` (each also by position, in that order, as PyTorch's): each layer a GRUCell (gates r, z, n) over the sequence. `forward(input, h0?)` returns
 * [output, h_n] (shapes as nn.RNN's).
 */
export class GRU extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, ..._rest: RNNRest<RNNBaseOptions>) {
    super('GRU', 'GRU', inputSize, hiddenSize, layerOptions('GRU', arguments, [], 'new GRU(10, 20, 2, true, true, 0, false, { generator })'));
  }

  forward(input: Tensor, hx?: Tensor | null): [Tensor, Tensor];
  /** A packed batch (nn.utils.rnn.packPaddedSequence) gives a packed output, each sequence run over its own length. */
  forward(input: PackedSequence, hx?: Tensor | null): [PackedSequence, Tensor];
  /** nn.Module's signature (its forward returns a tensor), for the class to extend Module; calls resolve to the one above. */
  forward(input: Tensor, ...rest: unknown[]): Tensor;
  forward(input: Tensor | PackedSequence, hx?: Tensor | null): Tensor | [Tensor | PackedSequence, Tensor] {
    checkArgumentCount('GRU.forward', arguments, 2, 'forward(input, h0?)');
    const [out, [h]] = this.runSequence(input, hx == null ? null : [hx]);
    return [out, h!];
  }
}

for (const C of [RNN, LSTM, GRU]) {
  refusePythonNames(C.prototype, 'layer', [
    ['reset_parameters', 'resetParameters', 'method'], ['all_weights', 'allWeights', 'property'], ['input_size', 'inputSize', 'property'],
    ['hidden_size', 'hiddenSize', 'property'], ['num_layers', 'numLayers', 'property'], ['batch_first', 'batchFirst', 'property'],
    ['proj_size', 'projSize', 'property'], ['flatten_parameters', 'flattenParameters', 'method'],
    ['_flat_weights', 'allWeights.flat()', 'property'], ['_all_weights', 'allWeights', 'property'], ['_flat_weights_names', 'namedParameters()', 'property'],
  ]);
}
