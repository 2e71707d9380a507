// Hardtanh, ReLU6, Hardshrink and Softshrink in a model file: describeModule/buildModule round-trip their options
// (the inplace flag too), model.save and nn.Module.load give the same outputs, and a bad spec is refused.
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
    new nn.Linear(6, 8), new nn.Hardtanh(-0.5, 2), new nn.Linear(8, 8), new nn.ReLU6(true), new nn.Hardshrink(0.25),
    new nn.Linear(8, 4), new nn.Softshrink(0.1),
  );
}

test('describeModule and buildModule round-trip Hardtanh, ReLU6, Hardshrink and Softshrink', () => {
  const m = model();
  const spec = describeModule(m);
  const layers = (spec as { layers: unknown[] }).layers;
  assert.deepEqual(layers[1], { type: 'Hardtanh', minVal: -0.5, maxVal: 2 });
  assert.deepEqual(layers[3], { type: 'ReLU6', inplace: true });
  assert.deepEqual(layers[4], { type: 'Hardshrink', lambd: 0.25 });
  assert.deepEqual(layers[6], { type: 'Softshrink', lambd: 0.1 });
  const rebuilt = buildModule(parseArchitecture(JSON.parse(JSON.stringify(spec)), 'test'));
  assert.equal(String(rebuilt), String(m));
  assert.deepEqual(describeModule(rebuilt), spec);
  assert.match(formatArchitecture(spec), /→ Hardtanh\(-0\.5, 2\) → .* → ReLU6 → Hardshrink\(0\.25\) → .* → Softshrink\(0\.1\)/);
});

test('model.save and nn.Module.load give the same outputs', () => {
  const m = model();
  const path = join(tmp.dir, 'clip.safetensors');
  m.save(path);
  const loaded = nn.Module.load(path);
  assert.equal(String(loaded), String(m));
  const x = randn([5, 6]).mul(4);
  const want = Array.from(m.forward(x).toArray());
  assert.deepEqual(Array.from(loaded.forward(x).toArray()), want);
  assert.ok(want.some((v) => v === 0) && want.some((v) => v !== 0), 'the shrink layers zero some outputs and pass others');
});

test('a bad spec is refused naming the field', () => {
  assert.doesNotThrow(() => parseArchitecture({ type: 'Hardtanh', minVal: -1, maxVal: 1 }, 'f'));
  assert.throws(() => parseArchitecture({ type: 'Hardtanh', minVal: 1, maxVal: 1 }, 'f'), /maxVal \(1\) must be greater than minVal \(1\)/);
  assert.throws(() => parseArchitecture({ type: 'Hardtanh', minVal: -1 }, 'f'), /maxVal/);
  assert.throws(() => parseArchitecture({ type: 'Softshrink', lambd: -0.5 }, 'f'), /"lambd"/);
  assert.throws(() => parseArchitecture({ type: 'ReLU6', lambd: 1 }, 'f'), /unknown field "lambd"/);
});

test('a Hardtanh with an infinite bound is refused at saving (JSON has no ±Infinity), not written as null', () => {
  const m = new nn.Sequential(new nn.Linear(2, 2), new nn.Hardtanh(0, Infinity));
  assert.throws(() => m.save(join(tmp.dir, 'inf.safetensors')), /Hardtanh\): its bounds \(0, Infinity\) must be finite to go in a model file/);
});
