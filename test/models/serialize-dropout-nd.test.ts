// Dropout1d, Dropout2d, Dropout3d, AlphaDropout and FeatureAlphaDropout in a model file: describeModule/buildModule
// round-trip p and inplace, model.save and nn.Module.load give the same model (the same outputs after eval(), the
// same masks for the same seed in training), and a bad p is refused naming the field.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { manualSeed, nn, randn } from '../../src/index.js';
import { buildModule, describeModule, formatArchitecture, parseArchitecture } from '../../src/nn/serialize.js';
import { tempFolder } from './helpers.js';

const tmp = tempFolder();
after(tmp.remove);

function model(): nn.Sequential {
  manualSeed(3);
  return new nn.Sequential(
    new nn.Unflatten(1, [2, 4]), new nn.Dropout1d(0.3), new nn.Unflatten(2, [2, 2]), new nn.Dropout2d(0.2, true), new nn.Unflatten(3, [1, 2]),
    new nn.Dropout3d(0.1), new nn.Flatten(), new nn.Linear(8, 6), new nn.SELU(), new nn.AlphaDropout(0.25), new nn.FeatureAlphaDropout(0.4, true), new nn.Linear(6, 3),
  );
}

test('describeModule and buildModule round-trip the dropout layers with p and inplace', () => {
  const m = model();
  const spec = describeModule(m);
  const layers = (spec as { layers: unknown[] }).layers;
  assert.deepEqual([layers[1], layers[3], layers[5], layers[9], layers[10]], [
    { type: 'Dropout1d', p: 0.3 }, { type: 'Dropout2d', p: 0.2, inplace: true }, { type: 'Dropout3d', p: 0.1 },
    { type: 'AlphaDropout', p: 0.25 }, { type: 'FeatureAlphaDropout', p: 0.4, inplace: true },
  ]);
  const rebuilt = buildModule(parseArchitecture(JSON.parse(JSON.stringify(spec)), 'test'));
  assert.equal(String(rebuilt), String(m));
  assert.deepEqual(describeModule(rebuilt), spec);
  assert.match(formatArchitecture(spec), /Dropout1d\(0\.3\) → .*Dropout2d\(0\.2\) → .*Dropout3d\(0\.1\) → .*AlphaDropout\(0\.25\) → FeatureAlphaDropout\(0\.4\)/);
});

test('model.save and nn.Module.load give the same model, in training and in evaluation', () => {
  const m = model();
  const path = join(tmp.dir, 'dropout-nd.safetensors');
  m.save(path);
  const loaded = nn.Module.load(path);
  assert.equal(String(loaded), String(m));
  const x = randn([5, 8]);
  manualSeed(11);
  const a = m.forward(x.clone()).toArray();
  manualSeed(11);
  const b = loaded.forward(x.clone()).toArray();
  assert.deepEqual(Array.from(b), Array.from(a));
  m.eval();
  loaded.eval();
  assert.deepEqual(Array.from(loaded.forward(x.clone()).toArray()), Array.from(m.forward(x.clone()).toArray()));
});

test('a bad spec is refused naming the field', () => {
  assert.doesNotThrow(() => parseArchitecture({ type: 'Dropout2d', p: 0.5 }, 'f'));
  assert.throws(() => parseArchitecture({ type: 'Dropout2d', p: 1.5 }, 'f'), /p/);
  assert.throws(() => parseArchitecture({ type: 'AlphaDropout' }, 'f'), /p/);
});
