// A layer the model holds at two places (the same module object) is saved once as itself and then as `sameAs` its
// first place, and loads as one module again: its weights stay tied through training, as PyTorch's whole-model
// save keeps them.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ModelFileError } from '../../src/io/model-file.js';
import * as nn from '../../src/nn/index.js';
import { SGD } from '../../src/optim/sgd.js';
import { describeModule, formatArchitecture, loadModel, parseArchitecture, readModel, saveModel } from '../../src/nn/serialize.js';
import { Generator, withGenerator } from '../../src/random.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { tempFolder } from './helpers.js';

const tmp = tempFolder();
after(tmp.remove);

const linear = (i: number, o: number): nn.Linear => withGenerator(new Generator(i * 10 + o), () => new nn.Linear(i, o));

test('a layer held twice is described once and then as "sameAs" its first place; a reused ReLU is not tied', () => {
  const l = linear(4, 4);
  const act = new nn.ReLU();
  const inner = new nn.Sequential(linear(4, 4), act);
  const model = new nn.Sequential(l, act, inner, l, inner, linear(4, 2));
  const spec = describeModule(model);
  assert.ok(spec.type === 'Sequential');
  const lin = { type: 'Linear', inFeatures: 4, outFeatures: 4, bias: true };
  assert.deepEqual(spec.layers[0], lin);
  assert.deepEqual(spec.layers[1], { type: 'ReLU' });
  assert.deepEqual(spec.layers[3], { ...lin, sameAs: '0' });
  assert.deepEqual(spec.layers[4], { type: 'Sequential', layers: [lin, { type: 'ReLU' }], sameAs: '2' });
  assert.equal('sameAs' in spec.layers[5]!, false);
  assert.equal(
    formatArchitecture(spec),
    'Linear(4, 4) → ReLU → Linear(4, 4) → ReLU → Linear(4, 4) (the same as layer 0) → Linear(4, 4) → ReLU (the same as layer 2) → Linear(4, 2)',
  );
  assert.deepEqual(parseArchitecture(JSON.parse(JSON.stringify(spec)), 'm'), spec);
});

test('a model with tied layers loads with them tied: one module, the same outputs, and trained as one', () => {
  const l = linear(3, 3);
  const model = new nn.Sequential(l, new nn.Tanh(), new nn.Sequential(linear(3, 3), l), new nn.Sigmoid());
  const path = join(tmp.dir, 'tied.safetensors');
  saveModel(model, path);
  const loaded = loadModel(path) as nn.Sequential;
  assert.equal(loaded.at(0), (loaded.at(2) as nn.Sequential).at(1), 'one module at both places');
  assert.deepEqual(Object.keys(loaded.stateDict()), Object.keys(model.stateDict()));
  assert.equal(loaded.parameters().length, model.parameters().length);
  const x = new Tensor(new Float32Array([0.5, -1, 2, 0.25, 0, -0.75]), [2, 3]);
  assert.deepEqual(Array.from(loaded.forward(x).values()), Array.from(model.forward(x).values()));
  // A step of SGD on both: the tied weight gets the sum of both places' gradients in each, so they stay equal.
  for (const m of [model, loaded]) {
    const opt = new SGD(m.parameters(), { lr: 0.5 });
    m.forward(x).sum().backward();
    opt.step();
  }
  assert.deepEqual(Array.from(loaded.forward(x).values()), Array.from(model.forward(x).values()));
  assert.deepEqual(Array.from((loaded.at(0) as nn.Linear).weight.toArray()), Array.from(l.weight.toArray()));
  assert.equal(readModel(path).kind, 'model');
});

test('a "sameAs" that names no earlier layer, a copy, a layer holding it, or another kind of layer is refused by name', () => {
  const lin = { type: 'Linear', inFeatures: 2, outFeatures: 2, bias: true };
  const seq = (...layers: unknown[]): Record<string, unknown> => ({ type: 'Sequential', layers });
  const ln = (eps: number): Record<string, unknown> => ({ type: 'LayerNorm', normalizedShape: [4], eps, elementwiseAffine: true });
  const cases: Array<[unknown, RegExp]> = [
    [seq(lin, { ...lin, sameAs: '5' }), /architecture\.layers\[1\] \(Linear\): "sameAs" must name an earlier layer by its state_dict prefix \(such as "0" or "1\.2"\), got "5"/],
    [seq({ ...lin, sameAs: '1' }, lin), /layers\[0\] \(Linear\): "sameAs" must name an earlier layer .* got "1"/],
    [seq(lin, { ...lin, sameAs: 0 }), /"sameAs" must name an earlier layer .* got 0/],
    [seq(lin, { ...lin, sameAs: '0' }, { ...lin, sameAs: '1' }), /layers\[2\] \(Linear\): "sameAs" must name an earlier layer .* got "1"/],
    [seq(seq(lin, { ...lin, sameAs: '0' })), /layers\[0\]\.layers\[1\] \(Linear\): "sameAs" must name an earlier layer .* got "0"/],
    [seq(seq(lin), { ...seq(lin), sameAs: '0' }, { ...lin, sameAs: '1.0' }), /layers\[2\] \(Linear\): "sameAs" must name an earlier layer .* got "1\.0"/],
    [seq(lin, { ...lin, bias: false, sameAs: '0' }), /layers\[1\] \(Linear\): "sameAs" names layer "0" \(Linear\(2, 2\)\), which is not the same layer as this one \(Linear\(2, 2, bias=false\)\)/],
    [seq(lin, { type: 'Sigmoid', sameAs: '0' }), /"sameAs" names layer "0" \(Linear\(2, 2\)\), which is not the same layer as this one \(Sigmoid\)/],
    // Two layers that read alike are shown whole.
    [seq(ln(1e-5), { ...ln(1e-6), sameAs: '0' }), /names layer "0" \(\{"elementwiseAffine":true,"eps":0\.00001,"normalizedShape":\[4\],"type":"LayerNorm"\}\), which is not the same layer as this one \(\{"elementwiseAffine":true,"eps":0\.000001,/],
    [{ ...seq(lin), sameAs: '0' }, /architecture \(Sequential\): "sameAs" cannot stand on the whole model, only on a layer inside it/],
    [seq(...new Array<unknown>(10_000).fill({ type: 'ReLU' })), /architecture\.layers\[9999\]: more than 10,000 layers, the most a model file may describe/],
  ];
  for (const [json, pattern] of cases) {
    assert.throws(() => parseArchitecture(json, 'm.safetensors'), (err: unknown) => {
      assert.ok(err instanceof ModelFileError, String(err));
      assert.match(err.message, /^m\.safetensors: /);
      assert.match(err.message, pattern);
      return true;
    });
  }
  // 9,999 layers are read (and built, appended one at a time: spread as arguments, a wide file overflowed the stack).
  assert.equal(nn.buildModule(parseArchitecture(seq(...new Array<unknown>(9_999).fill({ type: 'ReLU' })), 'm')).children().length, 9_999);
  // The same spec with its fields in another order is the same layer.
  const reordered = seq(lin, { outFeatures: 2, bias: true, sameAs: '0', inFeatures: 2, type: 'Linear' });
  assert.doesNotThrow(() => parseArchitecture(reordered, 'm'));
});
