// EmbeddingBag in a model file: describeModule/buildModule round-trip its options (mode, paddingIdx,
// includeLastOffset), model.save and nn.Module.load give the same bags of a 2-D input, and a bad spec is refused
// naming the field.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { manualSeed, nn, tensor } from '../../src/index.js';
import { buildModule, describeModule, formatArchitecture, parseArchitecture } from '../../src/nn/serialize.js';
import { tempFolder } from './helpers.js';

const tmp = tempFolder();
after(tmp.remove);

test('a model with EmbeddingBag layers saves and loads: the same options, weights and outputs', () => {
  manualSeed(11);
  const model = new nn.Sequential(new nn.EmbeddingBag(10, 4, { mode: 'sum', paddingIdx: 0 }), new nn.Linear(4, 2));
  const spec = describeModule(model);
  assert.deepEqual((spec as { layers: unknown[] }).layers[0], { type: 'EmbeddingBag', numEmbeddings: 10, embeddingDim: 4, mode: 'sum', paddingIdx: 0, includeLastOffset: false });
  assert.match(formatArchitecture(spec), /^EmbeddingBag\(10, 4, mode=sum, padding_idx=0\) → Linear\(4, 2\)$/);
  const path = join(tmp.dir, 'bag.safetensors');
  model.save(path);
  const loaded = nn.Module.load(path);
  assert.equal(String(loaded), String(model));
  const x = tensor([[1, 2, 0], [3, 3, 9]]);
  assert.deepEqual([...loaded.forward(x).toArray()], [...model.forward(x).toArray()]);
  const rebuilt = buildModule(parseArchitecture({ type: 'EmbeddingBag', numEmbeddings: 5, embeddingDim: 3, mode: 'max', paddingIdx: null, includeLastOffset: true }, 'f'));
  assert.equal(String(rebuilt), 'EmbeddingBag(5, 3, mode=max)');
  assert.equal((rebuilt as nn.EmbeddingBag).includeLastOffset, true);
});

test('a bad EmbeddingBag spec is refused naming the field', () => {
  const good = { type: 'EmbeddingBag', numEmbeddings: 5, embeddingDim: 3, mode: 'mean', paddingIdx: null, includeLastOffset: false };
  assert.doesNotThrow(() => parseArchitecture(good, 'f'));
  assert.throws(() => parseArchitecture({ ...good, mode: 'median' }, 'f'), /"mode".*"sum", "mean" or "max"/);
  assert.throws(() => parseArchitecture({ ...good, paddingIdx: 5 }, 'f'), /"paddingIdx" must be null or a row in \[0, 4\]/);
  assert.throws(() => parseArchitecture({ ...good, numEmbeddings: 0 }, 'f'), /"numEmbeddings"/);
});

test("an EmbeddingBag's maxNorm, normType and scaleGradByFreq survive a model file (written only when set)", () => {
  manualSeed(12);
  const bag = new nn.EmbeddingBag(6, 3, { mode: 'mean', maxNorm: 0.5, normType: 1, scaleGradByFreq: true });
  const spec = describeModule(new nn.Sequential(bag));
  assert.deepEqual((spec as { layers: unknown[] }).layers[0], {
    type: 'EmbeddingBag', numEmbeddings: 6, embeddingDim: 3, mode: 'mean', paddingIdx: null, includeLastOffset: false,
    maxNorm: 0.5, normType: 1, scaleGradByFreq: true,
  });
  assert.equal(formatArchitecture(spec), 'EmbeddingBag(6, 3, max_norm=0.5, norm_type=1, scale_grad_by_freq=true, mode=mean)');
  const path = join(tmp.dir, 'bag-renorm.safetensors');
  new nn.Sequential(bag).save(path);
  const loaded = [...(nn.Module.load(path) as nn.Sequential)][0] as nn.EmbeddingBag;
  assert.deepEqual([loaded.maxNorm, loaded.normType, loaded.scaleGradByFreq], [0.5, 1, true]);
  // The loaded bag renorms as the saved one does: the rows it looks up end with an L1 norm of at most 0.5.
  const x = tensor([[1, 2], [2, 4]]);
  assert.deepEqual([...loaded.forward(x).toArray()], [...bag.forward(x).toArray()]);
  for (const row of [1, 2, 4]) {
    const l1 = [...loaded.weight.select(0, row).values()].reduce((s, v) => s + Math.abs(v), 0);
    assert.ok(l1 <= 0.5 + 1e-6, `row ${row}'s L1 norm ${l1} is at most maxNorm`);
  }
  assert.throws(() => parseArchitecture({ ...(spec as { layers: Record<string, unknown>[] }).layers[0], maxNorm: 'big' }, 'f'), /"maxNorm" must be/);
});
