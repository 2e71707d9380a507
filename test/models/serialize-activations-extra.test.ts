// PReLU, SELU, CELU, Hardswish, Hardsigmoid, Mish, LogSigmoid, Softsign, Softmin, Tanhshrink and Threshold in a
// model file: describeModule/buildModule round-trip their options (inplace too), PReLU's weight is saved and loaded
// as a parameter (shape [numParameters]), model.save and nn.Module.load give the same outputs, and a bad spec is
// refused naming the field.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { manualSeed, nn, noGrad, randn } from '../../src/index.js';
import { buildModule, describeModule, formatArchitecture, parseArchitecture } from '../../src/nn/serialize.js';
import { tempFolder } from './helpers.js';

const tmp = tempFolder();
after(tmp.remove);

function model(): nn.Sequential {
  manualSeed(7);
  return new nn.Sequential(
    new nn.Linear(6, 8), new nn.PReLU(8, 0.1), new nn.SELU(), new nn.CELU(0.5, true), new nn.Hardswish(true), new nn.Linear(8, 8),
    new nn.Hardsigmoid(), new nn.Mish(true), new nn.LogSigmoid(), new nn.Softsign(), new nn.Tanhshrink(),
    new nn.Threshold(-0.2, 0.5, true), new nn.PReLU(), new nn.Linear(8, 4), new nn.Softmin(1),
  );
}

test('describeModule and buildModule round-trip the new activations with their options', () => {
  const m = model();
  const spec = describeModule(m);
  const layers = (spec as { layers: unknown[] }).layers;
  assert.deepEqual(layers.slice(1, 5), [
    { type: 'PReLU', numParameters: 8, init: 0.1 }, { type: 'SELU' }, { type: 'CELU', alpha: 0.5, inplace: true }, { type: 'Hardswish', inplace: true },
  ]);
  assert.deepEqual(layers.slice(6, 13), [
    { type: 'Hardsigmoid' }, { type: 'Mish', inplace: true }, { type: 'LogSigmoid' }, { type: 'Softsign' }, { type: 'Tanhshrink' },
    { type: 'Threshold', threshold: -0.2, value: 0.5, inplace: true }, { type: 'PReLU', numParameters: 1, init: 0.25 },
  ]);
  assert.deepEqual(layers[14], { type: 'Softmin', dim: 1 });
  const rebuilt = buildModule(parseArchitecture(JSON.parse(JSON.stringify(spec)), 'test'));
  assert.equal(String(rebuilt), String(m));
  assert.deepEqual(describeModule(rebuilt), spec);
  assert.match(formatArchitecture(spec), /→ PReLU\(8\) → SELU → CELU\(0\.5\) → Hardswish → .* → Threshold\(-0\.2, 0\.5\) → PReLU\(1\) → .* → Softmin\(dim=1\)/);
});

test('model.save and nn.Module.load give the same outputs, with the trained PReLU weights', () => {
  const m = model();
  const prelu = (m as unknown as nn.Module[])[1] as nn.PReLU;
  noGrad(() => prelu.weight.copy_(randn([8])));
  const path = join(tmp.dir, 'extra.safetensors');
  m.save(path);
  const loaded = nn.Module.load(path);
  assert.equal(String(loaded), String(m));
  assert.deepEqual(Object.keys(loaded.stateDict()), Object.keys(m.stateDict()));
  assert.ok(Object.keys(m.stateDict()).includes('1.weight') && Object.keys(m.stateDict()).includes('12.weight'));
  assert.deepEqual(Array.from(((loaded as unknown as nn.Module[])[1] as nn.PReLU).weight.toArray()), Array.from(prelu.weight.toArray()));
  const x = randn([5, 6]).mul(3);
  assert.deepEqual(Array.from(loaded.forward(x.clone()).toArray()), Array.from(m.forward(x.clone()).toArray()));
  assert.notDeepEqual(Array.from(prelu.weight.toArray()), new Array(8).fill(Math.fround(0.1)));
});

test('a bad spec is refused naming the field', () => {
  assert.doesNotThrow(() => parseArchitecture({ type: 'Threshold', threshold: 0.1, value: 20 }, 'f'));
  assert.throws(() => parseArchitecture({ type: 'Threshold', threshold: 0.1 }, 'f'), /value/);
  assert.throws(() => parseArchitecture({ type: 'CELU', alpha: 0 }, 'f'), /"alpha"/);
  assert.throws(() => parseArchitecture({ type: 'PReLU', numParameters: 0, init: 0.25 }, 'f'), /"numParameters"/);
  assert.throws(() => parseArchitecture({ type: 'Softmin', dim: 0.5 }, 'f'), /"dim"/);
  assert.throws(() => parseArchitecture({ type: 'LogSigmoid', inplace: true }, 'f'), /inplace/);
  assert.doesNotThrow(() => parseArchitecture({ type: 'Mish', inplace: true }, 'f'));
  assert.equal(String(buildModule(parseArchitecture({ type: 'PReLU', numParameters: 3, init: 0.5 }, 'f'))), 'PReLU(num_parameters=3)');
});
