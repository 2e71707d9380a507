// nn.ParameterList and nn.ParameterDict against PyTorch 1.13 (fixtures/torch/parameter-containers.json, from
// make_parameter_containers.py): printing (alone, empty and inside a module), parameter names and state-dict keys,
// requiresGrad kept or given, and two SGD steps of a module whose weights live in them (loss and parameters after).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nn, ones, optim, zeros, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

const fx = loadFixture<{
  printed: { list: string; dict: string; net: string; empty: string[] };
  names: { list: string[]; dict: string[]; net: string[]; state: string[] };
  requiresGrad: boolean[];
  init: Record<'W0' | 'W1' | 'S' | 'B' | 'X' | 'T', EncodedTensor>;
  losses: number[];
  after: Record<string, EncodedTensor>;
}>('parameter-containers.json');

class Net extends nn.Module {
  layers = new nn.ParameterList([new nn.Parameter(decode(fx.init.W0)), decode(fx.init.W1)]);
  extra = new nn.ParameterDict({ shift: decode(fx.init.B), scale: new nn.Parameter(decode(fx.init.S)) });
  frozen = new nn.ParameterList([new nn.Parameter(ones([2]), false)]);
  forward(x: Tensor): Tensor {
    const h = x.matmul(this.layers.at(0)).tanh();
    return h.matmul(this.layers.at(1)).mul(this.extra.get('scale')!).add(this.extra.get('shift')!).add(this.frozen.at(0));
  }
}

test('ParameterList and ParameterDict print, name and key their parameters as PyTorch', () => {
  const pl = new nn.ParameterList([new nn.Parameter(ones([3, 4])), zeros([3])]);
  const pd = new nn.ParameterDict({ b: new nn.Parameter(ones([2])), a: zeros([3, 1]) });
  assert.equal(String(pl), fx.printed.list);
  assert.equal(String(pd), fx.printed.dict);
  assert.deepEqual([String(new nn.ParameterList()), String(new nn.ParameterDict())], fx.printed.empty);
  assert.deepEqual(pl.namedParameters().map(([n]) => n), fx.names.list);
  assert.deepEqual([...pd.keys()], fx.names.dict);
  const net = new Net();
  assert.equal(String(net), fx.printed.net);
  assert.deepEqual(net.namedParameters().map(([n]) => n), fx.names.net);
  assert.deepEqual(Object.keys(net.stateDict()), fx.names.state);
  assert.deepEqual(net.parameters().map((p) => p.requiresGrad), fx.requiresGrad);
});

test('an optimizer trains the parameters the containers hold: two SGD steps give PyTorch\'s losses and parameters', () => {
  const net = new Net();
  const opt = new optim.SGD(net.parameters(), { lr: 0.1 });
  const [x, t] = [decode(fx.init.X), decode(fx.init.T)];
  fx.losses.forEach((want, step) => {
    opt.zeroGrad();
    const loss = net.forward(x).sub(t).pow(2).mean();
    loss.backward();
    opt.step();
    assert.ok(Math.abs(loss.item() - want) <= 1e-6 * Math.abs(want), `loss at step ${step}: ${loss.item()} vs PyTorch ${want}`);
  });
  const state = net.stateDict();
  for (const [k, e] of Object.entries(fx.after)) assertTensorClose(state[k]!, e, k, { rtol: 1e-5, atol: 1e-6 });
  // And a state dict loads back into a fresh one.
  const other = new Net();
  other.loadStateDict(state);
  assert.deepEqual(other.extra.get('scale')!.tolist(), state['extra.scale']!.tolist());
});

test('ParameterList and ParameterDict editing: set, negative indices, pop, delete, update order, refusals', () => {
  const pl = new nn.ParameterList();
  pl.append(ones([2])).extend([zeros([1]), ones([3])]);
  assert.equal(pl.length, 3);
  assert.deepEqual(pl.at(-1).shape, [3]);
  pl.set(-1, zeros([5]));
  assert.deepEqual(pl.namedParameters().map(([n, p]) => [n, p.shape[0]]), [['0', 2], ['1', 1], ['2', 5]]);
  assert.throws(() => pl.at(10), /index 10 is out of range/);
  assert.throws(() => pl.extend(ones([2]) as never), /should be called with an iterable/);
  const pd = new nn.ParameterDict(new Map([['z', ones([1])], ['y', ones([2])]]));
  assert.deepEqual([...pd], ['z', 'y'], 'a Map keeps its order');
  pd.set('c', ones([1]));
  assert.deepEqual(pd.pop('z').shape, [1]);
  assert.equal(pd.delete('nope'), false);
  assert.deepEqual(pd.namedParameters().map(([n]) => n), ['y', 'c']);
  assert.equal(pd.get('missing'), undefined);
  assert.throws(() => pd.set(3 as unknown as string, ones([1])), /cannot be used as a key as it is not a string/);
  assert.throws(() => pl.forward(ones([1])), /ParameterList has no forward/);
});
