// nn.Bilinear in a model file: describeModule/buildModule round-trip its sizes and bias flag, model.save and
// nn.Module.load give the same weights and outputs, and a bad spec is refused naming the field.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { manualSeed, nn, randn } from '../../src/index.js';
import { buildModule, describeModule, formatArchitecture, parseArchitecture } from '../../src/nn/serialize.js';
import { tempFolder } from './helpers.js';

const tmp = tempFolder();
after(tmp.remove);

test('describeModule and buildModule round-trip Bilinear', () => {
  for (const bias of [true, false]) {
    const m = new nn.Bilinear(3, 2, 4, bias);
    const spec = describeModule(m);
    assert.deepEqual(spec, { type: 'Bilinear', in1Features: 3, in2Features: 2, outFeatures: 4, bias });
    const rebuilt = buildModule(parseArchitecture(JSON.parse(JSON.stringify(spec)), 'test'));
    assert.equal(String(rebuilt), String(m));
    assert.equal(formatArchitecture(spec).includes(`Bilinear(3, 2, 4${bias ? '' : ', bias=false'})`), true);
  }
});

test('model.save and nn.Module.load give the same weights and outputs', () => {
  manualSeed(4);
  const m = new nn.Bilinear(3, 2, 4);
  const path = join(tmp.dir, 'bilinear.safetensors');
  m.save(path);
  const loaded = nn.Module.load(path) as nn.Bilinear;
  assert.equal(String(loaded), String(m));
  assert.deepEqual(Object.keys(loaded.stateDict()), ['weight', 'bias']);
  assert.deepEqual(Array.from(loaded.weight.toArray()), Array.from(m.weight.toArray()));
  const x1 = randn([5, 3]);
  const x2 = randn([5, 2]);
  assert.deepEqual(Array.from(loaded.forward(x1, x2).toArray()), Array.from(m.forward(x1, x2).toArray()));
});

test('a bad spec is refused naming the field', () => {
  assert.throws(() => parseArchitecture({ type: 'Bilinear', in1Features: 3, in2Features: 0, outFeatures: 4, bias: true }, 'f'), /in2Features/);
  assert.throws(() => parseArchitecture({ type: 'Bilinear', in1Features: 3, in2Features: 2, outFeatures: 4 }, 'f'), /bias/);
});
