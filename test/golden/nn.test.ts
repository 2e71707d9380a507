// Modules against PyTorch: outputs, input gradients and parameter gradients, with PyTorch's parameter names.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { manualSeed, nn, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedMap, type EncodedTensor } from './golden-helpers.js';

interface ModuleCase {
  name: string;
  module: { type: string; inFeatures?: number; outFeatures?: number; normalizedShape?: number; layers?: string[] };
  init: string;
  params: EncodedMap;
  inputs: { x: EncodedTensor };
  outputs: { out: EncodedTensor };
  upstream: { out: EncodedTensor };
  grads: { x: EncodedTensor };
  paramGrads: EncodedMap;
}

function build(spec: ModuleCase['module']): nn.Module {
  switch (spec.type) {
    case 'Linear':
      return new nn.Linear(spec.inFeatures!, spec.outFeatures!);
    case 'LayerNorm':
      return new nn.LayerNorm(spec.normalizedShape!);
    case 'Sequential':
      // the fixture's one Sequential: Linear(6,4), LeakyReLU(0.02), LayerNorm(4), Linear(4,3), Sigmoid()
      assert.deepEqual(spec.layers, ['Linear(6,4)', 'LeakyReLU(0.02)', 'LayerNorm(4)', 'Linear(4,3)', 'Sigmoid()']);
      return new nn.Sequential(new nn.Linear(6, 4), new nn.LeakyReLU(0.02), new nn.LayerNorm(4), new nn.Linear(4, 3), new nn.Sigmoid());
    default:
      throw new Error(`unknown module type ${spec.type}`);
  }
}

const { cases } = loadFixture<{ cases: ModuleCase[] }>('nn.json');

for (const c of cases) {
  test(`module ${c.name}`, () => {
    const m = build(c.module);
    assert.deepEqual(Object.keys(m.stateDict()), Object.keys(c.params), 'parameter names as in PyTorch');
    const state: Record<string, Tensor> = {};
    for (const [k, e] of Object.entries(c.params)) state[k] = decode(e);
    m.loadStateDict(state);
    const x = decode(c.inputs.x, true);
    const y = m.forward(x);
    assertTensorClose(y, c.outputs.out, `${c.name} output`);
    y.backward(decode(c.upstream.out));
    assertTensorClose(x.grad, c.grads.x, `${c.name} input grad`);
    const named = new Map(m.namedParameters());
    for (const [k, e] of Object.entries(c.paramGrads)) assertTensorClose(named.get(k)?.grad ?? null, e, `${c.name} grad of ${k}`);
  });
}

test('Linear(5,3) after manualSeed(7) starts with exactly PyTorch\'s initial weights', () => {
  const c = cases.find((k) => k.name === 'Linear_5_3')!;
  assert.equal(c.init, 'torch.manual_seed(7)');
  manualSeed(7);
  const m = new nn.Linear(5, 3);
  const sd = m.stateDict();
  for (const [k, e] of Object.entries(c.params)) assertTensorClose(sd[k] ?? null, e, `init ${k}`, { rtol: 0, atol: 0 });
});
