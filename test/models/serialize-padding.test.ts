// A Sequential holding the padding layers as a file: describeModule/buildModule round-trip their paddings and
// values, model.save and nn.Module.load give the same outputs, and a bad spec is refused naming the field.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { manualSeed, nn, randn } from '../../src/index.js';
import { buildModule, describeModule, formatArchitecture, parseArchitecture } from '../../src/nn/serialize.js';
import { tempFolder } from './helpers.js';

const tmp = tempFolder();
after(tmp.remove);

function model(): nn.Sequential {
  manualSeed(7);
  return new nn.Sequential(
    new nn.ReflectionPad2d([1, 0, 2, 1]), new nn.Conv2d(2, 3, 3), new nn.ZeroPad2d(1), new nn.ReplicationPad2d([0, 1, 1, 0]),
    new nn.ConstantPad2d([-1, 1, 0, 0], 0.5), new nn.Flatten(2), new nn.ReflectionPad1d(2), new nn.ReplicationPad1d([1, 0]),
    new nn.ConstantPad1d(1, -2.5), new nn.Flatten(), new nn.Linear(3 * 55, 2),
  );
}

test('describeModule and buildModule round-trip the padding layers', () => {
  const m = model();
  const spec = describeModule(m);
  const layers = (spec as { layers: unknown[] }).layers;
  assert.deepEqual(layers[0], { type: 'ReflectionPad2d', padding: [1, 0, 2, 1] });
  assert.deepEqual(layers[2], { type: 'ZeroPad2d', padding: [1, 1, 1, 1] });
  assert.deepEqual(layers[3], { type: 'ReplicationPad2d', padding: [0, 1, 1, 0] });
  assert.deepEqual(layers[4], { type: 'ConstantPad2d', padding: [-1, 1, 0, 0], value: 0.5 });
  assert.deepEqual(layers[6], { type: 'ReflectionPad1d', padding: [2, 2] });
  assert.deepEqual(layers[7], { type: 'ReplicationPad1d', padding: [1, 0] });
  assert.deepEqual(layers[8], { type: 'ConstantPad1d', padding: [1, 1], value: -2.5 });
  const rebuilt = buildModule(parseArchitecture(JSON.parse(JSON.stringify(spec)), 'test'));
  assert.equal(String(rebuilt), String(m));
  assert.deepEqual(describeModule(rebuilt), spec);
  assert.match(formatArchitecture(spec), /^ReflectionPad2d\(1, 0, 2, 1\) → Conv2d.* → ZeroPad2d\(1, 1, 1, 1\) → .*ConstantPad1d\(1, 1, value=-2.5\) →/);
});

test('model.save and nn.Module.load give the same outputs', () => {
  const m = model();
  const path = join(tmp.dir, 'padding.safetensors');
  m.save(path);
  const loaded = nn.Module.load(path);
  assert.equal(String(loaded), String(m));
  const x = randn([2, 2, 4, 4]);
  assert.deepEqual(Array.from(loaded.forward(x).toArray()), Array.from(m.forward(x).toArray()));
});

test('a bad padding spec is refused naming the field', () => {
  assert.doesNotThrow(() => parseArchitecture({ type: 'ConstantPad1d', padding: [1, -1], value: 2 }, 'f'));
  assert.throws(() => parseArchitecture({ type: 'ReflectionPad2d', padding: [1, 1] }, 'f'), /"padding" must be an array of 4 integers/);
  assert.throws(() => parseArchitecture({ type: 'ReplicationPad1d', padding: 2 }, 'f'), /"padding" must be an array of 2 integers/);
  assert.throws(() => parseArchitecture({ type: 'ConstantPad2d', padding: [1, 1, 1, 1] }, 'f'), /value/);
});

function resampler(): nn.Sequential {
  manualSeed(8);
  return new nn.Sequential(
    new nn.Upsample({ scaleFactor: 2 }), new nn.Conv2d(2, 8, 3, { padding: 1 }), new nn.PixelShuffle(2), new nn.PixelUnshuffle(4),
    new nn.Upsample({ size: [3, 5], mode: 'bilinear', alignCorners: true }), new nn.Flatten(), new nn.Linear(32 * 15, 2),
  );
}

test('Upsample, PixelShuffle and PixelUnshuffle round-trip, save and load', () => {
  const m = resampler();
  const spec = describeModule(m);
  const layers = (spec as { layers: unknown[] }).layers;
  assert.deepEqual(layers[0], { type: 'Upsample', size: null, scaleFactor: 2, mode: 'nearest', alignCorners: null, recomputeScaleFactor: null });
  assert.deepEqual(layers[2], { type: 'PixelShuffle', upscaleFactor: 2 });
  assert.deepEqual(layers[3], { type: 'PixelUnshuffle', downscaleFactor: 4 });
  assert.deepEqual(layers[4], { type: 'Upsample', size: [3, 5], scaleFactor: null, mode: 'bilinear', alignCorners: true, recomputeScaleFactor: null });
  const rebuilt = buildModule(parseArchitecture(JSON.parse(JSON.stringify(spec)), 'test'));
  assert.equal(String(rebuilt), String(m));
  assert.deepEqual(describeModule(rebuilt), spec);
  assert.match(formatArchitecture(spec), /^Upsample\(scale_factor=2, nearest\) → Conv2d.* → PixelShuffle\(2\) → PixelUnshuffle\(4\) → Upsample\(size=3×5, bilinear, align_corners=true\) →/);
  const path = join(tmp.dir, 'resampler.safetensors');
  m.save(path);
  const loaded = nn.Module.load(path);
  assert.equal(String(loaded), String(m));
  const x = randn([2, 2, 4, 4]);
  assert.deepEqual(Array.from(loaded.forward(x).toArray()), Array.from(m.forward(x).toArray()));
  assert.throws(() => parseArchitecture({ type: 'Upsample', size: 2, scaleFactor: null, mode: 'cubic', alignCorners: null, recomputeScaleFactor: null }, 'f'), /"mode" must be "nearest", "nearest-exact", "linear", "bilinear", "bicubic", "trilinear" or "area"/);
  assert.throws(() => parseArchitecture({ type: 'PixelShuffle', upscaleFactor: 0 }, 'f'), /"upscaleFactor" must be a positive integer/);
});
