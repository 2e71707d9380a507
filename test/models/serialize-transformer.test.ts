// TransformerEncoderLayer and TransformerEncoder as files: describeModule/buildModule round-trip their options (in a
// Sequential too), model.save and nn.Module.load give the same weights and outputs, and what a file cannot hold (a
// function activation, a norm other than LayerNorm(dModel)) or a bad spec is refused naming it.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { manualSeed, nn, randn } from '../../src/index.js';
import { inputFeatures } from '../../src/io/architecture.js';
import { buildModule, describeModule, formatArchitecture, parameterShapes, parseArchitecture } from '../../src/nn/serialize.js';
import { tempFolder } from './helpers.js';

const tmp = tempFolder();
after(tmp.remove);

function model(): nn.Sequential {
  manualSeed(8);
  const layer = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 6, dropout: 0.2, activation: 'gelu', layerNormEps: 1e-4, batchFirst: true });
  return new nn.Sequential(
    new nn.Linear(3, 4),
    new nn.TransformerEncoder(layer, 2, { norm: new nn.LayerNorm(4, { eps: 1e-3 }) }),
    new nn.TransformerEncoderLayer(4, 1, { dimFeedforward: 5, normFirst: true, batchFirst: true }),
    new nn.Linear(4, 1),
  );
}

test('describeModule and buildModule round-trip the encoder and the layer, with their options', () => {
  const m = model();
  const spec = describeModule(m);
  const layers = (spec as { layers: unknown[] }).layers;
  assert.deepEqual(layers[1], {
    type: 'TransformerEncoder', dModel: 4, nhead: 2, dimFeedforward: 6, dropout: 0.2, activation: 'gelu', layerNormEps: 1e-4, batchFirst: true,
    normFirst: false, numLayers: 2, norm: { eps: 1e-3, elementwiseAffine: true }, enableNestedTensor: true,
  });
  assert.deepEqual(layers[2], {
    type: 'TransformerEncoderLayer', dModel: 4, nhead: 1, dimFeedforward: 5, dropout: 0.1, activation: 'relu', layerNormEps: 1e-5, batchFirst: true, normFirst: true,
  });
  const rebuilt = buildModule(parseArchitecture(JSON.parse(JSON.stringify(spec)), 'test'));
  assert.equal(String(rebuilt), String(m));
  assert.deepEqual(describeModule(rebuilt), spec);
  assert.deepEqual([...parameterShapes(spec).keys()], Object.keys(m.stateDict()));
  for (const [k, t] of Object.entries(m.stateDict())) assert.deepEqual(parameterShapes(spec).get(k), [...t.shape], k);
  assert.equal(formatArchitecture(spec), 'Linear(3, 4) → TransformerEncoder(TransformerEncoderLayer(4, 2, dim_feedforward=6, dropout=0.2, activation=gelu, '
    + 'layer_norm_eps=0.0001, batch_first=true), 2, norm=LayerNorm(4, eps=0.001)) → TransformerEncoderLayer(4, 1, dim_feedforward=5, batch_first=true, norm_first=true) → Linear(4, 1)');
  assert.equal(inputFeatures(describeModule(new nn.Sequential(new nn.TransformerEncoderLayer(4, 2), new nn.Linear(4, 1)))), undefined);
});

test('model.save and nn.Module.load give the same weights and outputs', () => {
  const m = model();
  m.eval();
  const path = join(tmp.dir, 'transformer.safetensors');
  m.save(path);
  const loaded = nn.Module.load(path);
  loaded.eval();
  assert.equal(String(loaded), String(m));
  const a = m.stateDict();
  const b = loaded.stateDict();
  assert.deepEqual(Object.keys(b), Object.keys(a));
  for (const k of Object.keys(a)) assert.deepEqual(Array.from(b[k]!.toArray()), Array.from(a[k]!.toArray()), k);
  const x = randn(2, 5, 3);
  assert.deepEqual(Array.from(loaded.forward(x).toArray()), Array.from(m.forward(x).toArray()));
});

test('what a file cannot hold is refused naming the layer; a bad spec naming the field', () => {
  assert.throws(() => describeModule(new nn.Sequential(new nn.TransformerEncoderLayer(4, 2, { activation: (t) => t.tanh() }))), {
    name: 'ModelFileError', message: /cannot describe model\[0\] \(TransformerEncoderLayer\): its activation is a function/,
  });
  assert.throws(() => describeModule(new nn.TransformerEncoderLayer(4, 2, { activation: new nn.GELU() })), { name: 'ModelFileError', message: /its activation is a module/ });
  assert.throws(() => describeModule(new nn.TransformerEncoder(new nn.TransformerEncoderLayer(4, 2), 2, { norm: new nn.Tanh() })), {
    name: 'ModelFileError', message: /cannot describe model\.norm \(Tanh\): .*LayerNorm\(4\) or none/,
  });
  assert.throws(() => new nn.Sequential(new nn.MultiheadAttention(4, 2)).save(join(tmp.dir, 'mha.safetensors')), { message: /cannot describe model\[0\] \(MultiheadAttention\)/ });
  const good = { type: 'TransformerEncoderLayer', dModel: 4, nhead: 2, dimFeedforward: 8, dropout: 0.1, activation: 'relu', layerNormEps: 1e-5, batchFirst: false, normFirst: false };
  assert.doesNotThrow(() => parseArchitecture(good, 'f'));
  assert.throws(() => parseArchitecture({ ...good, activation: 'tanh' }, 'f'), /"activation" must be "relu" or "gelu", got "tanh"/);
  assert.throws(() => parseArchitecture({ ...good, nhead: 3 }, 'f'), /"dModel" 4 must be divisible by "nhead" 3/);
  assert.throws(() => parseArchitecture({ ...good, dropout: 2 }, 'f'), /"dropout" must be a number from 0 to 1/);
  assert.throws(() => parseArchitecture({ ...good, bias: true }, 'f'), /unknown field "bias"/);
  const enc = { ...good, type: 'TransformerEncoder', numLayers: 2, norm: null, enableNestedTensor: true };
  assert.doesNotThrow(() => parseArchitecture(enc, 'f'));
  assert.throws(() => parseArchitecture({ ...enc, norm: { eps: 1e-5 } }, 'f'), /"norm" must be null or \{"eps"/);
  assert.throws(() => parseArchitecture({ ...enc, numLayers: 0 }, 'f'), /"numLayers" must be a positive integer/);
});
