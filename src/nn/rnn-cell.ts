// nn.RNNCell, nn.LSTMCell and nn.GRUCell, as PyTorch 1.13's: one step of a recurrent layer, composed of
// differentiable ops (rnn-math.ts), so autograd gives the gradients of the input, the state and every parameter.
import { KindlingError } from '../errors.js';
import { checkTensor } from '../ops/util.js';
import { zeros } from '../tensor/creation.js';
import { checkArgumentCount, checkOptions, describeValue } from '../options.js';
import { withoutFactoryKwargs, type FactoryKwargs } from '../device.js';
import { refusePythonNames } from '../python-names.js';
import { getDefaultGenerator, type Generator } from '../random.js';
import { Tensor } from '../tensor/tensor.js';
import { fillUniform } from './init-core.js';
import { Module } from './module.js';
import { cellStep, type CellWeights } from './rnn-math.js';
import { parameterStorage } from './parameter-storage.js';

export interface RNNCellOptions extends FactoryKwargs {
  /** Learn the biases b_ih and b_hh (default true). */
  bias?: boolean;
  /** RNNCell only: 'tanh' (default) or 'relu'. */
  nonlinearity?: 'tanh' | 'relu';
  /** Draws the initial weights (default: the global generator, which `manualSeed` seeds). */
  generator?: Generator;
}

/** A whole number of at least `min` (1 unless told: 0 where PyTorch takes an empty size), or an error naming the argument. */
export function checkSize(where: string, what: string, v: unknown, min: 0 | 1 = 1): number {
  if (!Number.isSafeInteger(v) || (v as number) < min) {
    throw new KindlingError(`${where}: ${what} must be a ${min === 1 ? 'positive' : 'non-negative'} integer, got ${describeValue(v)}`);
  }
  return v as number;
}

/**
 * PyTorch's initialisation of every recurrent weight and bias: U(−1/√hiddenSize, 1/√hiddenSize), drawn parameter by
 * parameter in registration order, row-major within each (one generator draw per value, as `init.uniform_`; an
 * empty parameter draws nothing). A cell of hidden size 0 has only empty parameters (PyTorch's stdv is then 0).
 */
export function resetRecurrent(params: readonly Tensor[], hiddenSize: number, generator: Generator): void {
  const stdv = hiddenSize > 0 ? 1.0 / Math.sqrt(hiddenSize) : 0;
  for (const p of params) fillUniform(p, -stdv, stdv, generator);
}

/** A new parameter tensor of `shape` (its values are drawn by resetParameters). */
export function emptyParameter(shape: readonly number[], where = 'nn', what = 'a parameter'): Tensor {
  return new Tensor(parameterStorage(where, what, shape), shape);
}

/** The parameters of RNNCell, LSTMCell and GRUCell (PyTorch's RNNCellBase): weight_ih, weight_hh, bias_ih, bias_hh. */
abstract class RNNCellBase extends Module {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly bias: boolean;
  #w: { weight_ih: Tensor; weight_hh: Tensor; bias_ih: Tensor | null; bias_hh: Tensor | null };

  protected constructor(name: string, inputSize: number, hiddenSize: number, bias: unknown, gates: number, generator: Generator | undefined) {
    super();
    // PyTorch takes sizes of 0 here: RNNCell(0, 4) gives biases and h's contribution only, RNNCell(3, 0) an empty h.
    this.inputSize = checkSize(name, 'inputSize', inputSize, 0);
    this.hiddenSize = checkSize(name, 'hiddenSize', hiddenSize, 0);
    if (bias !== undefined && typeof bias !== 'boolean') throw new TypeError(`${name}: bias must be true or false, got ${describeValue(bias)}`);
    this.bias = bias !== false;
    const g = gates * hiddenSize;
    this.#w = {
      weight_ih: this.makeParameter('weight_ih', emptyParameter([g, inputSize], this.constructor.name, 'weight_ih')),
      weight_hh: this.makeParameter('weight_hh', emptyParameter([g, hiddenSize], this.constructor.name, 'weight_hh')),
      bias_ih: this.bias ? this.makeParameter('bias_ih', emptyParameter([g], this.constructor.name, 'bias_ih')) : null,
      bias_hh: this.bias ? this.makeParameter('bias_hh', emptyParameter([g], this.constructor.name, 'bias_hh')) : null,
    };
    this.resetParameters(generator);
  }

  /** weight_ih [G·hiddenSize, inputSize] (G = 1, 4 for LSTMCell's i, f, g, o, 3 for GRUCell's r, z, n). */
  get weightIh(): Tensor { return this.#w.weight_ih; }
  set weightIh(v: Tensor) { this.#w.weight_ih = this.assignParameter('weight_ih', v, false); }
  /** weight_hh [G·hiddenSize, hiddenSize]. */
  get weightHh(): Tensor { return this.#w.weight_hh; }
  set weightHh(v: Tensor) { this.#w.weight_hh = this.assignParameter('weight_hh', v, false); }
  /** bias_ih [G·hiddenSize], null without bias. */
  get biasIh(): Tensor | null { return this.#w.bias_ih; }
  set biasIh(v: Tensor | null) { this.#w.bias_ih = this.assignParameter('bias_ih', v, true); }
  /** bias_hh [G·hiddenSize], null without bias. */
  get biasHh(): Tensor | null { return this.#w.bias_hh; }
  set biasHh(v: Tensor | null) { this.#w.bias_hh = this.assignParameter('bias_hh', v, true); }

  /** PyTorch's initialisation: U(−1/√hiddenSize, 1/√hiddenSize) for each parameter, in order. */
  resetParameters(generator: Generator = getDefaultGenerator()): void {
    const w = this.#w;
    resetRecurrent([w.weight_ih, w.weight_hh, w.bias_ih, w.bias_hh].filter((p): p is Tensor => p !== null), this.hiddenSize, generator);
  }

  protected weights(): CellWeights {
    const w = this.#w;
    return { wIh: w.weight_ih, wHh: w.weight_hh, bIh: w.bias_ih, bHh: w.bias_hh };
  }

  /**
   * The input as a batch [B, inputSize] (a 1-D input [inputSize] becomes a batch of one) and the state tensors as
   * [B, hiddenSize] (zeros when not given), with PyTorch's checks and messages.
   */
  protected prepare(name: string, input: Tensor, hx: readonly (Tensor | undefined)[]): { x: Tensor; state: Tensor[]; batched: boolean } {
    checkTensor(input, `${name}.forward`);
    if (input.ndim !== 1 && input.ndim !== 2) throw new KindlingError(`${name}: Expected input to be 1-D or 2-D but received ${input.ndim}-D tensor`);
    const batched = input.ndim === 2;
    const x = batched ? input : input.unsqueeze(0);
    // ATen's check_rnn_cell_forward_input, then check_rnn_cell_forward_hidden for each state tensor (labelled 0 for
    // both of an LSTMCell's, as ATen does).
    if (x.shape[1] !== this.inputSize) throw new KindlingError(`input has inconsistent input_size: got ${x.shape[1]} expected ${this.inputSize}`);
    const state = hx.map((h) => {
      if (h === undefined) return zeros([x.shape[0]!, this.hiddenSize]);
      checkTensor(h, `${name}.forward`, 'hx');
      if (h.ndim !== input.ndim) {
        throw new KindlingError(`${name}: the state must be ${batched ? '2-D [batch, hiddenSize] for a 2-D input' : '1-D [hiddenSize] for a 1-D input'}, got ${h.ndim}-D tensor`);
      }
      const hb = batched ? h : h.unsqueeze(0);
      if (x.shape[0] !== hb.shape[0]) throw new KindlingError(`Input batch size ${x.shape[0]} doesn't match hidden0 batch size ${hb.shape[0]}`);
      if (hb.shape[1] !== this.hiddenSize) throw new KindlingError(`hidden0 has inconsistent hidden_size: got ${hb.shape[1]}, expected ${this.hiddenSize}`);
      return hb;
    });
    return { x, state, batched };
  }

  protected override extraRepr(): string {
    return `${this.inputSize}, ${this.hiddenSize}${this.bias ? '' : ', bias=False'}`;
  }
}

/**
 * An Elman RNN cell, as PyTorch's `nn.RNNCell(inputSize, hiddenSize, bias, nonlinearity)`:
 * h' = tanh(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh) (or relu). `forward(input, hx?)`: input [B, inputSize] or 1-D
 * [inputSize], hx likewise [B, hiddenSize] or [hiddenSize] (zeros when left out); returns h'.
 *
 * @example
 * const cell = new nn.RNNCell(3, 4);
 * let h = cell.forward(x0);      // x0 [batch, 3] → h [batch, 4]
 * h = cell.forward(x1, h);
 */
export class RNNCell extends RNNCellBase {
  readonly nonlinearity: 'tanh' | 'relu';

  constructor(inputSize: number, hiddenSize: number, bias?: boolean | RNNCellOptions, nonlinearity?: 'tanh' | 'relu', options?: { generator?: Generator } & FactoryKwargs);
  constructor(inputSize: number, hiddenSize: number, biasOrOptions?: boolean | RNNCellOptions, nonlinearity?: 'tanh' | 'relu', options?: { generator?: Generator } & FactoryKwargs) {
    checkArgumentCount('RNNCell', arguments, 5, "new RNNCell(3, 4, { nonlinearity: 'relu' })");
    const o = cellOptions('RNNCell', biasOrOptions, nonlinearity, options, true);
    const nl = o.nonlinearity ?? 'tanh';
    // PyTorch refuses it only at forward ("Unknown nonlinearity"); here at once.
    if (nl !== 'tanh' && nl !== 'relu') throw new KindlingError(`RNNCell: Unknown nonlinearity: ${typeof nl === 'string' ? nl : describeValue(nl)} (the nonlinearities are 'tanh' and 'relu')`);
    super('RNNCell', inputSize, hiddenSize, o.bias, 1, o.generator);
    this.nonlinearity = nl;
  }

  forward(input: Tensor, hx?: Tensor | null): Tensor {
    checkArgumentCount('RNNCell.forward', arguments, 2, 'forward(input, hx?)');
    const { x, state, batched } = this.prepare('RNNCell', input, [hx ?? undefined]);
    const [h] = cellStep(this.nonlinearity === 'tanh' ? 'RNN_TANH' : 'RNN_RELU', x, state, this.weights()) as [Tensor];
    return batched ? h : h.squeeze(0);
  }

  protected override extraRepr(): string {
    return super.extraRepr() + (this.nonlinearity !== 'tanh' ? `, nonlinearity=${this.nonlinearity}` : '');
  }
}

/**
 * A long short-term memory cell, as PyTorch's `nn.LSTMCell(inputSize, hiddenSize, bias)`: gates i, f, g, o (in
 * that order in the weights' rows) from x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh; c' = σ(f)·c + σ(i)·tanh(g),
 * h' = σ(o)·tanh(c'). `forward(input, [h, c]?)` returns [h', c'] (zeros for a state left out).
 *
 * @example
 * const cell = new nn.LSTMCell(10, 20);
 * let [h, c] = cell.forward(x0);
 * [h, c] = cell.forward(x1, [h, c]);
 */
export class LSTMCell extends RNNCellBase {
  constructor(inputSize: number, hiddenSize: number, biasOrOptions?: boolean | Omit<RNNCellOptions, 'nonlinearity'>, options?: { generator?: Generator } & FactoryKwargs) {
    checkArgumentCount('LSTMCell', arguments, 4, 'new LSTMCell(10, 20, { bias: false })');
    const o = cellOptions('LSTMCell', biasOrOptions, undefined, options, false);
    super('LSTMCell', inputSize, hiddenSize, o.bias, 4, o.generator);
  }

  forward(input: Tensor, hx?: readonly [Tensor, Tensor] | null): [Tensor, Tensor];
  /** nn.Module's signature (its forward returns a tensor), for the class to extend Module; calls resolve to the one above. */
  forward(input: Tensor, ...rest: unknown[]): Tensor;
  forward(input: Tensor, hx?: readonly [Tensor, Tensor] | null): Tensor | [Tensor, Tensor] {
    checkArgumentCount('LSTMCell.forward', arguments, 2, 'forward(input, [h, c]?)');
    if (hx != null && (!Array.isArray(hx) || hx.length !== 2)) {
      throw new TypeError(`LSTMCell.forward: hx must be [h, c], an array of two tensors, got ${describeValue(hx)}`);
    }
    const { x, state, batched } = this.prepare('LSTMCell', input, hx == null ? [undefined, undefined] : [hx[0], hx[1]]);
    const [h, c] = cellStep('LSTM', x, state, this.weights()) as [Tensor, Tensor];
    return batched ? [h, c] : [h.squeeze(0), c.squeeze(0)];
  }
}

/**
 * A gated recurrent unit cell, as PyTorch's `nn.GRUCell(inputSize, hiddenSize, bias)`: gates r, z, n (in that
 * order in the weights' rows); r = σ(W_ir x + b_ir + W_hr h + b_hr), z likewise, n = tanh(W_in x + b_in +
 * r·(W_hn h + b_hn)), h' = (1 − z)·n + z·h (computed as ATen does, (h − n)·z + n). `forward(input, hx?)` returns h'.
 */
export class GRUCell extends RNNCellBase {
  constructor(inputSize: number, hiddenSize: number, biasOrOptions?: boolean | Omit<RNNCellOptions, 'nonlinearity'>, options?: { generator?: Generator } & FactoryKwargs) {
    checkArgumentCount('GRUCell', arguments, 4, 'new GRUCell(3, 4, { bias: false })');
    const o = cellOptions('GRUCell', biasOrOptions, undefined, options, false);
    super('GRUCell', inputSize, hiddenSize, o.bias, 3, o.generator);
  }

  forward(input: Tensor, hx?: Tensor | null): Tensor {
    checkArgumentCount('GRUCell.forward', arguments, 2, 'forward(input, hx?)');
    const { x, state, batched } = this.prepare('GRUCell', input, [hx ?? undefined]);
    const [h] = cellStep('GRU', x, state, this.weights()) as [Tensor];
    return batched ? h : h.squeeze(0);
  }
}

/** A cell's options from PyTorch's positional forms (bias, and RNNCell's nonlinearity) or one object. */
function cellOptions(where: string, first: unknown, nonlinearity: unknown, rest: unknown, hasNonlinearity: boolean): RNNCellOptions {
  // PyTorch's device and dtype keywords: the CPU and float32 taken (and left out here), others refused.
  [first, nonlinearity, rest] = [first, nonlinearity, rest].map((v) => withoutFactoryKwargs(where, v));
  const accepted: (keyof RNNCellOptions)[] = hasNonlinearity ? ['bias', 'nonlinearity', 'generator'] : ['bias', 'generator'];
  if (first !== undefined && typeof first === 'object' && first !== null) {
    if (nonlinearity !== undefined || rest !== undefined) throw new TypeError(`${where}: nothing may follow the options object; put every option in it`);
    return checkOptions<RNNCellOptions>(where, first as RNNCellOptions, accepted);
  }
  const named = hasNonlinearity ? rest : nonlinearity;
  const more = checkOptions<RNNCellOptions>(where, named as RNNCellOptions | undefined, ['generator']);
  const out: RNNCellOptions = { ...more };
  if (first !== undefined) out.bias = first as boolean;
  if (hasNonlinearity && nonlinearity !== undefined) out.nonlinearity = nonlinearity as 'tanh' | 'relu';
  return out;
}

for (const C of [RNNCell, LSTMCell, GRUCell]) {
  refusePythonNames(C.prototype, 'cell', [
    ['reset_parameters', 'resetParameters', 'method'], ['weight_ih', 'weightIh', 'property'], ['weight_hh', 'weightHh', 'property'],
    ['bias_ih', 'biasIh', 'property'], ['bias_hh', 'biasHh', 'property'], ['input_size', 'inputSize', 'property'], ['hidden_size', 'hiddenSize', 'property'],
  ]);
}
