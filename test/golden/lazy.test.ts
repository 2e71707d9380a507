// Lazy layers against PyTorch (fixtures/torch/lazy.json, from make_lazy.py): made right after manualSeed, each prints
// as PyTorch's before and after its first call, infers its input size, draws PyTorch's weights bit for bit at that
// call (the generator left where PyTorch leaves it), becomes the plain layer, and computes its output; a state dict
// loaded first sizes it instead; an optimizer refuses a layer not yet run; PyTorch's refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { manualSeed, nn, optim, rand, zeros } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, values, type EncodedTensor } from './golden-helpers.js';

interface Case {
  name: string; args: (number | number[])[]; options: Record<string, unknown>; seed: number; before: string; uninitialized: boolean; input: EncodedTensor;
  after: string; class: string; state: Record<string, EncodedTensor>; out: EncodedTensor; next: EncodedTensor;
}
interface Fixture {
  cases: Case[];
  loaded: { classAfterLoad: string; classAfterRun: string; weight: EncodedTensor; bias: EncodedTensor; input: EncodedTensor; out: EncodedTensor };
  refusals: Record<string, { type: string; message: string }>;
}

const fx = loadFixture<Fixture>('lazy.json');

type LazyLayer = nn.Module & { hasUninitializedParams(): boolean };

function make(c: Case): LazyLayer {
  const Cls = (nn as unknown as Record<string, new (...a: unknown[]) => LazyLayer>)[c.name]!;
  const opts = Object.keys(c.options).length === 0 ? [] : [c.options];
  return new Cls(...c.args, ...opts);
}

for (const c of fx.cases) {
  test(`nn.${c.name}(${c.args.map((a) => JSON.stringify(a)).join(', ')}${Object.keys(c.options).length ? `, ${JSON.stringify(c.options)}` : ''}): PyTorch's printing, sizes, weights and output`, () => {
    manualSeed(c.seed);
    const m = make(c);
    assert.equal(String(m), c.before);
    assert.equal(m.hasUninitializedParams(), c.uninitialized);
    const y = m.forward(decode(c.input));
    assert.deepEqual([...rand([3]).toArray()], values(c.next), 'the generator is left where PyTorch leaves it');
    assert.equal(String(m), c.after);
    assert.equal(m.constructor.name, c.class);
    assert.ok(m instanceof (nn as unknown as Record<string, abstract new () => nn.Module>)[c.class]!);
    const state = m.stateDict();
    assert.deepEqual(Object.keys(state), Object.keys(c.state));
    // The drawn parameters bit for bit; the running statistics (the forward pass's batch statistics) within rounding.
    for (const [k, t] of Object.entries(state)) {
      if (k.startsWith('running_')) assertTensorClose(t, c.state[k]!, k);
      else assert.deepEqual([...t.toArray()], values(c.state[k]!), `${k} bit for bit`);
    }
    assertTensorClose(y, c.out, 'output');
    // Now a plain layer: an optimizer takes its parameters, a second call changes nothing of its sizes.
    if (m.parameters().length > 0) assert.doesNotThrow(() => new optim.SGD(m.parameters(), 0.1));
    assert.equal(String(m), c.after);
  });
}

test('a lazy layer given a state dict before its first call takes its sizes from it, as PyTorch\'s', () => {
  const L = fx.loaded;
  const m = new nn.LazyLinear(3);
  m.loadStateDict({ weight: decode(L.weight), bias: decode(L.bias) });
  assert.equal(m.constructor.name, L.classAfterLoad);
  assert.equal(m.hasUninitializedParams(), false);
  const y = m.forward(decode(L.input));
  assert.equal(m.constructor.name, L.classAfterRun);
  assertTensorClose(y, L.out, 'output');
  // Inside a model too: the prefix is followed.
  const model = new nn.Sequential(new nn.LazyLinear(3), new nn.ReLU());
  model.loadStateDict({ '0.weight': decode(L.weight), '0.bias': decode(L.bias) });
  assert.deepEqual([...(model.stateDict()['0.weight']!.toArray())], values(L.weight));
});

test('an optimizer refuses a lazy layer not yet run, saying to call the model first; after a call it takes it', () => {
  const model = new nn.Sequential(new nn.LazyLinear(4), new nn.ReLU(), new nn.Linear(4, 2));
  assert.throws(() => new optim.Adam(model.parameters()), /parameter 0 \(weight\) belongs to a lazy layer that has not run yet, so it has no size: call the model once on an input/);
  assert.throws(() => model.save('/tmp/never-written.safetensors'), /cannot describe model\[0\] \(LazyLinear\): a lazy layer is saved once it has run/);
  model.forward(zeros([1, 7]));
  const opt = new optim.Adam(model.parameters());
  assert.equal(opt.paramGroups[0]!.params.length, 4);
  assert.deepEqual([...(model.stateDict()['0.weight']!.shape)], [4, 7]);
});

test("lazy layers' refusals: PyTorch's words", () => {
  assert.throws(() => new nn.LazyConv2d(2, 3).forward(zeros([2, 3])), (e: Error) => e.message === fx.refusals['conv rank']!.message.replace('torch.Size([2, 3])', '[2, 3]'));
  assert.throws(() => new nn.LazyConv2d(4, 3, { groups: 2 }).forward(zeros([1, 3, 5, 5])), (e: Error) => e.message === fx.refusals['conv groups']!.message);
  assert.throws(() => new nn.LazyLinear(3).forward(zeros([])), /a 0-d input has no features/);
});
