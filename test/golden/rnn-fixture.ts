// Shared reading of fixtures/torch/rnn.json (make_rnn.py) for the recurrent cells' and layers' golden tests.
import assert from 'node:assert/strict';
import { manualSeed, nn, rand, tensor, type Tensor } from '../../src/index.js';
type Module = nn.Module;
import { assertTensorClose, largest, loadFixture, values, type EncodedMap, type EncodedTensor, type Tolerance } from './golden-helpers.js';

export type Kind = 'RNNCell' | 'LSTMCell' | 'GRUCell' | 'RNN' | 'LSTM' | 'GRU';
export interface Args {
  bias?: boolean; nonlinearity?: 'tanh' | 'relu'; numLayers?: number; batchFirst?: boolean; dropout?: number; bidirectional?: boolean; projSize?: number;
}
export interface InitCase { seed: number; kind: Kind; size: [number, number]; args: Args; params: EncodedMap; next: EncodedTensor }
export interface RunCase {
  name: string; kind: Kind; size: [number, number]; args: Args; seed: number; input: EncodedTensor; hx: EncodedTensor[] | null;
  outputs: EncodedTensor[]; upstreams: EncodedTensor[]; gradFns: string[]; inputGrad: EncodedTensor; hxGrads: EncodedTensor[] | null;
  paramGrads: EncodedMap; dropSeed?: number;
}
export interface ModuleCase { kind: Kind; size: [number, number]; args: Args; repr: string; keys: string[]; shapes: number[][] }
export interface ErrorCase { kind: Kind; size: [number, number]; args: Args; input: number[]; hx: number[][] | null; error: string; message: string }
export interface CtorErrorCase { kind: Kind; size: [number, number]; args: Args; error: string; message: string }

export const fx = loadFixture<{
  cellInit: InitCase[]; layerInit: InitCase[]; cells: RunCase[]; layers: RunCase[]; modules: ModuleCase[]; errors: ErrorCase[];
  projLayers: RunCase[]; emptySizes: RunCase[]; ctorErrors: CtorErrorCase[];
}>('rnn.json');

/**
 * A module of the fixture's kind, size and options (PyTorch's keywords in Kindling's names; projSize is an LSTM
 * option, passed to the others as given so that they refuse it).
 */
export function build(kind: Kind, [inputSize, hiddenSize]: [number, number], args: Args): Module {
  switch (kind) {
    case 'RNNCell': return new nn.RNNCell(inputSize, hiddenSize, args);
    case 'LSTMCell': return new nn.LSTMCell(inputSize, hiddenSize, args);
    case 'GRUCell': return new nn.GRUCell(inputSize, hiddenSize, args);
    case 'RNN': return new nn.RNN(inputSize, hiddenSize, args as nn.RNNOptions);
    case 'LSTM': return new nn.LSTM(inputSize, hiddenSize, args);
    case 'GRU': return new nn.GRU(inputSize, hiddenSize, args as nn.RNNBaseOptions);
  }
}

export const make = (e: EncodedTensor, requiresGrad = false): Tensor => tensor(values(e), e.shape, { requiresGrad });

/** Calls forward with the state in PyTorch's form (a tensor, or [h, c] for the LSTMs) and returns every output tensor. */
export function run(m: Module, kind: Kind, x: Tensor, hx: Tensor[] | null): Tensor[] {
  const lstm = kind === 'LSTM' || kind === 'LSTMCell';
  const state = hx === null ? undefined : lstm ? hx : hx[0];
  const y = (m.forward as (x: Tensor, s?: unknown) => unknown)(x, state);
  if (kind === 'RNNCell' || kind === 'GRUCell') return [y as Tensor];
  if (kind === 'LSTMCell') return [...(y as Tensor[])];
  const [out, h] = y as [Tensor, Tensor | Tensor[]];
  return lstm ? [out, ...(h as Tensor[])] : [out, h as Tensor];
}

/**
 * Runs a case as PyTorch did (parameters drawn after manualSeed(seed), dropout masks after manualSeed(dropSeed))
 * and checks outputs, grad_fn names and every gradient within `rtol` (and `rtol` of the tensor's largest value).
 */
export function checkCase(c: RunCase, rtol: number): void {
  // Relative to each tensor's largest value too: a gradient summed over steps and batch can cancel to near zero.
  const tolFor = (e: EncodedTensor): Tolerance => ({ rtol, atol: rtol * Math.max(1e-3, largest(e)) });
  const close = (t: Tensor | null, e: EncodedTensor, what: string): void => assertTensorClose(t, e, what, tolFor(e));
  manualSeed(c.seed);
  const m = build(c.kind, c.size, c.args);
  const x = make(c.input, true);
  const hx = c.hx === null ? null : c.hx.map((h) => make(h, true));
  m.train(c.dropSeed !== undefined);
  if (c.dropSeed !== undefined) manualSeed(c.dropSeed);
  const outs = run(m, c.kind, x, hx);
  assert.equal(outs.length, c.outputs.length, `${c.name}: outputs`);
  outs.forEach((o, i) => {
    close(o, c.outputs[i]!, `${c.name}: output ${i}`);
    assert.equal(o.gradFn?.torchName, c.gradFns[i], `${c.name}: grad_fn of output ${i}`);
  });
  let loss = outs[0]!.mul(make(c.upstreams[0]!)).sum();
  for (let i = 1; i < outs.length; i++) loss = loss.add(outs[i]!.mul(make(c.upstreams[i]!)).sum());
  loss.backward();
  close(x.grad, c.inputGrad, `${c.name}: input grad`);
  hx?.forEach((h, i) => close(h.grad, c.hxGrads![i]!, `${c.name}: hx[${i}] grad`));
  const named = new Map(m.namedParameters());
  assert.deepEqual([...named.keys()], Object.keys(c.paramGrads), `${c.name}: parameter names`);
  for (const [k, g] of Object.entries(c.paramGrads)) close(named.get(k)!.grad, g, `${c.name}: ${k} grad`);
}

/** Each module built after its seed has PyTorch's parameters bit for bit, and leaves the random stream where PyTorch's does. */
export function checkInit(cases: readonly InitCase[]): void {
  for (const c of cases) {
    manualSeed(c.seed);
    const sd = build(c.kind, c.size, c.args).stateDict();
    assert.deepEqual(Object.keys(sd), Object.keys(c.params), `${c.kind} keys`);
    for (const [k, e] of Object.entries(c.params)) {
      assert.deepEqual(sd[k]!.shape, e.shape, `${c.kind} ${k} shape`);
      assert.deepEqual(Array.from(sd[k]!.toArray()), values(e), `${c.kind} seed ${c.seed} ${k}`);
    }
    assert.deepEqual(Array.from(rand(2).toArray()), values(c.next), `${c.kind} stream after`);
  }
}
