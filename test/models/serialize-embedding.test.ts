// A Sequential holding an Embedding as a file: describeModule/buildModule round-trip its options, model.save and
// nn.load give the same weights and outputs, and a bad Embedding spec is refused naming the field.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { manualSeed, nn, tensor } from '../../src/index.js';
import { buildModule, describeModule, formatArchitecture, parseArchitecture } from '../../src/nn/serialize.js';
import { inputFeatures } from '../../src/io/architecture.js';
import { tempFolder } from './helpers.js';

const tmp = tempFolder();
after(tmp.remove);

function model(): nn.Sequential {
  manualSeed(5);
  return new nn.Sequential(
    new nn.Embedding(10, 3, { paddingIdx: -2, maxNorm: 1.5, normType: 1, scaleGradByFreq: true }), new nn.Flatten(), new nn.Linear(6, 2),
  );
}

test('describeModule and buildModule round-trip an Embedding with its options', () => {
  const m = model();
  const spec = describeModule(m);
  assert.deepEqual((spec as { layers: unknown[] }).layers[0], {
    type: 'Embedding', numEmbeddings: 10, embeddingDim: 3, paddingIdx: 8, maxNorm: 1.5, normType: 1, scaleGradByFreq: true,
  });
  const rebuilt = buildModule(parseArchitecture(JSON.parse(JSON.stringify(spec)), 'test'));
  assert.equal(String(rebuilt), String(m));
  assert.deepEqual(describeModule(rebuilt), spec);
  assert.equal(formatArchitecture(spec), 'Embedding(10, 3, padding_idx=8, max_norm=1.5, norm_type=1, scale_grad_by_freq=true) → Flatten(1, -1) → Linear(6, 2)');
  assert.equal(inputFeatures(spec), undefined);
  const plain = describeModule(new nn.Sequential(new nn.Embedding(4, 2)));
  assert.equal(formatArchitecture(plain), 'Embedding(4, 2)');
});

test('model.save and nn.Module.load give the same weights and outputs', () => {
  const m = model();
  const path = join(tmp.dir, 'emb.safetensors');
  m.save(path);
  const loaded = nn.Module.load(path);
  assert.equal(String(loaded), String(m));
  const a = m.stateDict();
  const b = loaded.stateDict();
  assert.deepEqual(Object.keys(b), ['0.weight', '2.weight', '2.bias']);
  for (const k of Object.keys(a)) assert.deepEqual(Array.from(b[k]!.toArray()), Array.from(a[k]!.toArray()), k);
  const x = tensor([[1, 9], [3, 3]]);
  assert.deepEqual(Array.from(loaded.forward(x).toArray()), Array.from(m.forward(x).toArray()));
});

test('a bad Embedding spec is refused naming the field', () => {
  const good = { type: 'Embedding', numEmbeddings: 5, embeddingDim: 2, paddingIdx: null, maxNorm: null, normType: 2, scaleGradByFreq: false };
  assert.doesNotThrow(() => parseArchitecture(good, 'f'));
  assert.throws(() => parseArchitecture({ ...good, numEmbeddings: 0 }, 'f'), /"numEmbeddings" must be a positive integer, got 0/);
  assert.throws(() => parseArchitecture({ ...good, paddingIdx: 5 }, 'f'), /"paddingIdx" must be null or a row in \[0, 4\], got 5/);
  assert.throws(() => parseArchitecture({ ...good, paddingIdx: -1 }, 'f'), /"paddingIdx" must be null or a row/);
  assert.throws(() => parseArchitecture({ ...good, scaleGradByFreq: 'no' }, 'f'), /"scaleGradByFreq" must be true or false/);
  assert.throws(() => parseArchitecture({ ...good, sparse: false }, 'f'), /unknown field "sparse"/);
});
