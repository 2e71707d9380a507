// Saved models with the normalisation layers: describeModule/buildModule round-trip GroupNorm, InstanceNorm1d/2d and
// LocalResponseNorm with their options; model.save and nn.Module.load give the same parameters, buffers (InstanceNorm's
// running statistics) and outputs; bad specs are refused naming the field.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { manualSeed, noGrad, nn, tensor } from '../../src/index.js';
import { buildModule, describeModule, formatArchitecture, parseArchitecture } from '../../src/nn/serialize.js';
import { parameterShapes } from '../../src/io/architecture.js';
import { tempFolder } from './helpers.js';

const tmp = tempFolder();
after(tmp.remove);

function model(): nn.Sequential {
  manualSeed(7);
  return new nn.Sequential(
    new nn.Conv2d(2, 4, 3, { padding: 1 }), new nn.GroupNorm(2, 4, { eps: 1e-3 }), new nn.InstanceNorm2d(4, { affine: true, trackRunningStats: true, momentum: 0.3 }),
    new nn.LocalResponseNorm(3, { alpha: 0.01, k: 2 }), new nn.Flatten(), new nn.Unflatten(1, [4, 9]), new nn.InstanceNorm1d(4), new nn.Flatten(), new nn.Linear(36, 2),
  );
}

test('describeModule and buildModule round-trip GroupNorm, InstanceNorm1d/2d and LocalResponseNorm with their options', () => {
  const m = model();
  const spec = describeModule(m);
  const layers = (spec as { layers: unknown[] }).layers;
  assert.deepEqual(layers[1], { type: 'GroupNorm', numGroups: 2, numChannels: 4, eps: 1e-3, affine: true });
  assert.deepEqual(layers[2], { type: 'InstanceNorm2d', numFeatures: 4, eps: 1e-5, momentum: 0.3, affine: true, trackRunningStats: true });
  assert.deepEqual(layers[3], { type: 'LocalResponseNorm', size: 3, alpha: 0.01, beta: 0.75, k: 2 });
  assert.deepEqual(layers[6], { type: 'InstanceNorm1d', numFeatures: 4, eps: 1e-5, momentum: 0.1, affine: false, trackRunningStats: false });
  const rebuilt = buildModule(parseArchitecture(JSON.parse(JSON.stringify(spec)), 'test'));
  assert.equal(String(rebuilt), String(m));
  assert.deepEqual(describeModule(rebuilt), spec);
  assert.equal(formatArchitecture(spec),
    'Conv2d(2, 4, 3, padding=1) → GroupNorm(2, 4, eps=0.001) → InstanceNorm2d(4, momentum=0.3, affine=true, trackRunningStats=true) → ' +
    'LocalResponseNorm(3, alpha=0.01, k=2) → Flatten(1, -1) → Unflatten(1, [4, 9]) → InstanceNorm1d(4) → Flatten(1, -1) → Linear(36, 2)');
  assert.deepEqual([...parameterShapes(spec).keys()], Object.keys(m.stateDict()));
});

test('model.save and nn.Module.load give the same parameters, running statistics and outputs', () => {
  const m = model();
  const x = tensor(Array.from({ length: 2 * 2 * 3 * 3 }, (_, i) => Math.sin(i * 0.7) * 2), [2, 2, 3, 3]);
  noGrad(() => {
    m.forward(x); // training: moves the InstanceNorm2d's running statistics
    m.at<nn.GroupNorm>(1).weight!.mul_(1.5);
  });
  m.eval();
  const path = join(tmp.dir, 'norm.safetensors');
  m.save(path);
  const loaded = nn.Module.load(path);
  loaded.eval();
  assert.equal(String(loaded), String(m));
  const a = m.stateDict();
  const b = loaded.stateDict();
  assert.deepEqual(Object.keys(b), Object.keys(a));
  assert.ok(Object.keys(b).includes('2.running_mean') && Object.keys(b).includes('2.num_batches_tracked'));
  assert.ok(Array.from(a['2.running_mean']!.toArray()).some((v) => v !== 0), 'the running mean moved before saving');
  for (const k of Object.keys(a)) assert.deepEqual(Array.from(b[k]!.toArray()), Array.from(a[k]!.toArray()), k);
  assert.deepEqual(Array.from(noGrad(() => loaded.forward(x)).toArray()), Array.from(noGrad(() => m.forward(x)).toArray()));
});

test('bad GroupNorm, InstanceNorm and LocalResponseNorm specs are refused naming the field', () => {
  const gn = { type: 'GroupNorm', numGroups: 2, numChannels: 4, eps: 1e-5, affine: true };
  assert.doesNotThrow(() => parseArchitecture(gn, 'f'));
  assert.throws(() => parseArchitecture({ ...gn, numChannels: 5 }, 'f'), /numChannels \(5\) must be divisible by numGroups \(2\)/);
  assert.throws(() => parseArchitecture({ ...gn, numGroups: 0 }, 'f'), /"numGroups" must be a positive integer/);
  assert.throws(() => parseArchitecture({ ...gn, affine: 'yes' }, 'f'), /"affine" must be true or false/);
  const inorm = { type: 'InstanceNorm1d', numFeatures: 3, eps: 1e-5, momentum: 0.1, affine: false, trackRunningStats: false };
  assert.doesNotThrow(() => parseArchitecture(inorm, 'f'));
  assert.throws(() => parseArchitecture({ ...inorm, trackRunningStats: 1 }, 'f'), /"trackRunningStats" must be true or false/);
  assert.throws(() => parseArchitecture({ ...inorm, groups: 1 }, 'f'), /unknown field "groups"/);
  const lrn = { type: 'LocalResponseNorm', size: 2, alpha: 1e-4, beta: 0.75, k: 1 };
  assert.doesNotThrow(() => parseArchitecture(lrn, 'f'));
  assert.throws(() => parseArchitecture({ ...lrn, size: 0 }, 'f'), /"size" must be a positive integer/);
  assert.equal(formatArchitecture(parseArchitecture(lrn, 'f')), 'LocalResponseNorm(2)');
});
