// A Sequential holding AdaptiveAvgPool2d and AdaptiveMaxPool2d as a file: describeModule/buildModule round-trip their
// output sizes (null entries too), model.save and nn.Module.load give the same outputs, and a bad spec is refused.
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
    new nn.Conv2d(1, 2, 3), new nn.AdaptiveMaxPool2d([3, null]), new nn.AdaptiveAvgPool2d(2), new nn.Flatten(), new nn.Linear(8, 2),
  );
}

test('describeModule and buildModule round-trip adaptive pooling layers', () => {
  const m = model();
  const spec = describeModule(m);
  const layers = (spec as { layers: unknown[] }).layers;
  assert.deepEqual(layers[1], { type: 'AdaptiveMaxPool2d', outputSize: [3, null], returnIndices: false });
  assert.deepEqual(layers[2], { type: 'AdaptiveAvgPool2d', outputSize: 2 });
  const rebuilt = buildModule(parseArchitecture(JSON.parse(JSON.stringify(spec)), 'test'));
  assert.equal(String(rebuilt), String(m));
  assert.deepEqual(describeModule(rebuilt), spec);
  assert.match(formatArchitecture(spec), /→ AdaptiveMaxPool2d\(\(3, None\)\) → AdaptiveAvgPool2d\(2\) →/);
});

test('model.save and nn.Module.load give the same outputs', () => {
  const m = model();
  const path = join(tmp.dir, 'adaptive.safetensors');
  m.save(path);
  const loaded = nn.Module.load(path);
  assert.equal(String(loaded), String(m));
  assert.deepEqual(Object.keys(loaded.stateDict()), ['0.weight', '0.bias', '4.weight', '4.bias']);
  const x = randn([2, 1, 9, 7]);
  assert.deepEqual(Array.from(loaded.forward(x).toArray()), Array.from(m.forward(x).toArray()));
});

test('a bad adaptive pooling spec is refused naming the field', () => {
  const good = { type: 'AdaptiveMaxPool2d', outputSize: [2, null], returnIndices: false };
  assert.doesNotThrow(() => parseArchitecture(good, 'f'));
  assert.throws(() => parseArchitecture({ ...good, outputSize: -1 }, 'f'), /"outputSize" must be a non-negative integer or a pair/);
  assert.throws(() => parseArchitecture({ ...good, outputSize: [1, 2, 3] }, 'f'), /"outputSize" must be/);
  assert.throws(() => parseArchitecture({ type: 'AdaptiveAvgPool2d', outputSize: 2, returnIndices: false }, 'f'), /unknown field "returnIndices"/);
});
