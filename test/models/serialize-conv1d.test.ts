// A Sequential holding the 1-D layers as a file: describeModule/buildModule round-trip their options, model.save and
// nn.Module.load give the same outputs and parameters, and a bad spec is refused naming the field.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { manualSeed, nn, randn } from '../../src/index.js';
import { buildModule, describeModule, formatArchitecture, parseArchitecture } from '../../src/nn/serialize.js';
import { tempFolder } from './helpers.js';

const tmp = tempFolder();
after(tmp.remove);

function model(): nn.Sequential {
  manualSeed(5);
  return new nn.Sequential(
    new nn.Conv1d(2, 4, 3, { padding: 'same' }), new nn.ReLU(), new nn.Conv1d(4, 6, 2, 2, { padding: 1, dilation: 2, groups: 2, bias: false }),
    new nn.Flatten(), new nn.Linear(6 * 5, 3),
  );
}

test('describeModule and buildModule round-trip Conv1d layers', () => {
  const m = model();
  const spec = describeModule(m);
  const layers = (spec as { layers: unknown[] }).layers;
  assert.deepEqual(layers[0], { type: 'Conv1d', inChannels: 2, outChannels: 4, kernelSize: 3, stride: 1, padding: 'same', dilation: 1, groups: 1, bias: true });
  assert.deepEqual(layers[2], { type: 'Conv1d', inChannels: 4, outChannels: 6, kernelSize: 2, stride: 2, padding: 1, dilation: 2, groups: 2, bias: false });
  const rebuilt = buildModule(parseArchitecture(JSON.parse(JSON.stringify(spec)), 'test'));
  assert.equal(String(rebuilt), String(m));
  assert.deepEqual(describeModule(rebuilt), spec);
  assert.match(formatArchitecture(spec), /^Conv1d\(2, 4, 3, padding=same\) → ReLU → Conv1d\(4, 6, 2, stride=2, padding=1, dilation=2, groups=2, bias=false\) →/);
});

test('model.save and nn.Module.load give the same parameters and outputs', () => {
  const m = model();
  const path = join(tmp.dir, 'conv1d.safetensors');
  m.save(path);
  const loaded = nn.Module.load(path);
  assert.equal(String(loaded), String(m));
  assert.deepEqual(Object.keys(loaded.stateDict()), ['0.weight', '0.bias', '2.weight', '4.weight', '4.bias']);
  for (const [k, t] of Object.entries(m.stateDict())) assert.deepEqual(Array.from(loaded.stateDict()[k]!.toArray()), Array.from(t.toArray()), k);
  const x = randn([2, 2, 9]);
  assert.deepEqual(Array.from(loaded.forward(x).toArray()), Array.from(m.forward(x).toArray()));
});

test('a bad Conv1d spec is refused naming the field', () => {
  const good = { type: 'Conv1d', inChannels: 4, outChannels: 6, kernelSize: 3, stride: 1, padding: 0, dilation: 1, groups: 2, bias: true };
  assert.doesNotThrow(() => parseArchitecture(good, 'f'));
  assert.throws(() => parseArchitecture({ ...good, kernelSize: [3] }, 'f'), /"kernelSize" must be a positive integer/);
  assert.throws(() => parseArchitecture({ ...good, padding: 'full' }, 'f'), /"padding" must be a non-negative integer, "valid" or "same"/);
  assert.throws(() => parseArchitecture({ ...good, groups: 4 }, 'f'), /must be divisible by groups/);
  assert.throws(() => parseArchitecture({ ...good, stride: 2, padding: 'same' }, 'f'), /padding "same" needs stride 1/);
});

function poolModel(): nn.Sequential {
  manualSeed(6);
  return new nn.Sequential(
    new nn.Conv1d(2, 3, 3), new nn.MaxPool1d([3], 2, { padding: 1, dilation: 2, ceilMode: true }), new nn.AvgPool1d(2, { countIncludePad: false, padding: 1 }),
    new nn.AdaptiveMaxPool1d(4), new nn.AdaptiveAvgPool1d([2]), new nn.Flatten(), new nn.Linear(6, 2),
  );
}

test('describeModule and buildModule round-trip the 1-D pooling layers (a size given as [n] kept, for the repr)', () => {
  const m = poolModel();
  const spec = describeModule(m);
  const layers = (spec as { layers: unknown[] }).layers;
  assert.deepEqual(layers[1], { type: 'MaxPool1d', kernelSize: [3], stride: 2, padding: 1, dilation: 2, ceilMode: true, returnIndices: false });
  assert.deepEqual(layers[2], { type: 'AvgPool1d', kernelSize: 2, stride: null, padding: 1, ceilMode: false, countIncludePad: false });
  assert.deepEqual(layers[3], { type: 'AdaptiveMaxPool1d', outputSize: 4, returnIndices: false });
  assert.deepEqual(layers[4], { type: 'AdaptiveAvgPool1d', outputSize: [2] });
  const rebuilt = buildModule(parseArchitecture(JSON.parse(JSON.stringify(spec)), 'test'));
  assert.equal(String(rebuilt), String(m));
  assert.deepEqual(describeModule(rebuilt), spec);
  assert.match(formatArchitecture(spec), /→ MaxPool1d\(3, stride=2, padding=1, dilation=2, ceil_mode=true\) → AvgPool1d\(2, padding=1, count_include_pad=false\) → AdaptiveMaxPool1d\(4\) → AdaptiveAvgPool1d\(2\) →/);
  const indices = describeModule(new nn.Sequential(new nn.AdaptiveMaxPool1d(3, true), new nn.MaxPool1d(2, { returnIndices: true })));
  assert.equal(formatArchitecture(indices), 'AdaptiveMaxPool1d(3, return_indices=true) → MaxPool1d(2, return_indices=true)');
});

test('a model with 1-D pooling saves and loads, giving the same outputs', () => {
  const m = poolModel();
  const path = join(tmp.dir, 'pool1d.safetensors');
  m.save(path);
  const loaded = nn.Module.load(path);
  assert.equal(String(loaded), String(m));
  assert.deepEqual(Object.keys(loaded.stateDict()), ['0.weight', '0.bias', '6.weight', '6.bias']);
  const x = randn([3, 2, 13]);
  assert.deepEqual(Array.from(loaded.forward(x).toArray()), Array.from(m.forward(x).toArray()));
});

test('a bad 1-D pooling spec is refused naming the field', () => {
  const good = { type: 'MaxPool1d', kernelSize: 3, stride: null, padding: 1, dilation: 1, ceilMode: false, returnIndices: false };
  assert.doesNotThrow(() => parseArchitecture(good, 'f'));
  assert.throws(() => parseArchitecture({ ...good, kernelSize: [3, 3] }, 'f'), /"kernelSize" must be a positive integer or an array of one/);
  assert.throws(() => parseArchitecture({ ...good, padding: 2 }, 'f'), /padding must be at most half the kernel size/);
  assert.throws(() => parseArchitecture({ ...good, stride: 0 }, 'f'), /"stride" must be a positive integer, an array of one, or null/);
  assert.throws(() => parseArchitecture({ type: 'AvgPool1d', kernelSize: 2, stride: 1, padding: 0, ceilMode: false, countIncludePad: true, dilation: 1 }, 'f'), /unknown field "dilation"/);
  assert.throws(() => parseArchitecture({ type: 'AdaptiveAvgPool1d', outputSize: -1 }, 'f'), /"outputSize" must be a non-negative integer or an array of one/);
  assert.throws(() => parseArchitecture({ type: 'AdaptiveMaxPool1d', outputSize: 2 }, 'f'), /"returnIndices" must be true or false/);
});
