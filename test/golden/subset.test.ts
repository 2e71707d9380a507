// Subset and randomSplit against PyTorch 1.13's Subset and random_split (fixtures/torch/subset.json, written by
// make_subset.py): the same subsets for the same seed, the generators left where PyTorch leaves them, and a
// DataLoader over a subset giving PyTorch's batches.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { data, Generator, manualSeed, rand, tensor } from '../../src/index.js';
import { loadEmbeddedMnist } from '../../src/data/mnist.js';
import { decode, loadFixture, values, type EncodedTensor } from './golden-helpers.js';

interface SplitCase {
  label: string;
  lengths: number[];
  generatorSeed: number | null;
  indices: number[][];
  randAfter: EncodedTensor;
}
const fx = loadFixture<{
  seed: number;
  tensors: EncodedTensor[];
  splits: SplitCase[];
  nested: EncodedTensor[][];
  loaderIndices: number[];
  loaderSeed: number;
  epochs: EncodedTensor[][][];
}>('subset.json');

const dataset = (): data.TensorDataset => new data.TensorDataset(...fx.tensors.map((t) => decode(t)));

test('randomSplit draws PyTorch\'s subsets from the same seed, by counts or fractions, and leaves the stream where PyTorch does', () => {
  manualSeed(fx.seed);
  const ds = dataset();
  for (const c of fx.splits) {
    const parts = data.randomSplit(ds, c.lengths, c.generatorSeed === null ? undefined : new Generator(c.generatorSeed));
    assert.deepEqual(parts.map((p) => Array.from(p.indices)), c.indices, c.label);
    assert.deepEqual(parts.map((p) => p.length), c.indices.map((i) => i.length), c.label);
    // Each subset's examples are the dataset's rows at its indices.
    parts.forEach((p, k) => p.indices.forEach((_, j) => assert.deepEqual(p.get(j).map((t) => t.tolist()), ds.get(c.indices[k]![j]!).map((t) => t.tolist()))));
    assert.deepEqual(Array.from(rand([2]).toArray()), values(c.randAfter), `${c.label}: the global stream afterwards`);
  }
});

test('a Subset of a Subset reads the first dataset\'s rows, negative indices counting from the end, as in PyTorch', () => {
  const outer = new data.Subset(dataset(), [12, 0, 5, 5, 3, -1]);
  const inner = new data.Subset(outer, [1, 4, -2]);
  // As PyTorch's: the inner subset's dataset is the outer one, its indices positions in it (not flattened).
  assert.equal(inner.dataset, outer);
  assert.deepEqual(Array.from(inner.indices), [1, 4, 4]);
  assert.equal(inner.length, fx.nested.length);
  [...inner].forEach((example, i) => example.forEach((t, k) => assert.deepEqual(Array.from(t.toArray()), values(fx.nested[i]![k]!), `example ${i}, tensor ${k}`)));
});

test('a shuffled DataLoader over a Subset gives PyTorch\'s batches for the same generator', () => {
  const loader = new data.DataLoader(new data.Subset(dataset(), fx.loaderIndices), 3, { shuffle: true, generator: new Generator(fx.loaderSeed) });
  assert.equal(loader.length, fx.epochs[0]!.length);
  for (const epoch of fx.epochs) {
    const got = [...loader];
    assert.equal(got.length, epoch.length);
    got.forEach((batch, b) => batch.forEach((t, k) => assert.deepEqual(Array.from(t.toArray()), values(epoch[b]![k]!), `batch ${b}, tensor ${k}`)));
  }
});

test('a DataLoader over a Subset of MNIST gives those images, and batches name the split\'s indices', () => {
  const mnist = new data.MnistDataset(loadEmbeddedMnist('test'));
  const part = new data.Subset(mnist, [9999, 0, 42]);
  const [batch] = [...new data.DataLoader(part, 3)];
  assert.deepEqual(Array.from(batch!.indices), [9999, 0, 42]);
  assert.deepEqual(batch!.labels.tolist(), [mnist.label(9999), mnist.label(0), mnist.label(42)]);
  assert.deepEqual(batch!.x.select(0, 2).tolist(), mnist.get(42).image.tolist());
  const [train, valid] = data.randomSplit(mnist, [0.9, 0.1], new Generator(1));
  assert.deepEqual([train!.length, valid!.length], [9000, 1000]);
  assert.equal(new Set([...train!.indices, ...valid!.indices]).size, 10000, 'the subsets share no example and miss none');
});

test('Subset and randomSplit refuse what PyTorch refuses, naming it', () => {
  const ds = dataset();
  assert.throws(() => new data.Subset(ds, [13]), /Subset: index 13 \(item 0 of the indices\) is out of range for a dataset of 13 examples/);
  assert.throws(() => new data.Subset(ds, [1.5]), /Subset: index 1\.5 \(item 0 of the indices\) is not a whole number/);
  assert.throws(() => new data.Subset(ds, tensor([0.5])), /Subset: index 0\.5 \(item 0 of the indices\) is not a whole number/);
  assert.throws(() => new data.Subset(7 as unknown as data.TensorDataset, [0]), /Subset: takes a dataset \(an MnistDataset, a TensorDataset, a Subset, one with a length and get\(i\), an array or a tensor\), got the number 7/);
  assert.throws(() => new data.Subset(ds, 3 as unknown as number[]), /indices must be an array or a 1-D tensor/);
  assert.throws(() => new data.Subset(ds, [0]).get(1), /Subset: index 1 is out of range for 1 examples/);
  assert.throws(() => data.randomSplit(ds, [4, 8]), /add up to 12, but the dataset has 13 examples/);
  assert.throws(() => data.randomSplit(ds, [0.5, 0.4]), /the lengths \[0\.5,0\.4\] are neither whole counts nor fractions adding up to 1/);
  // PyTorch takes fractions only where their float sum is at most 1: 0.34 + 0.56 + 0.1 is 1.0000000000000002.
  assert.throws(() => data.randomSplit(ds, [0.34, 0.56, 0.1]), /the lengths \[0\.34,0\.56,0\.1\] are neither whole counts nor fractions adding up to 1/);
  assert.throws(() => data.randomSplit(ds, [0.5, 0.5 + 1e-10]), /neither whole counts nor fractions/);
  // Sizes as PyTorch 1.13 gives them (random_split of 13 examples); the first sum is 0.9999999999999999.
  assert.deepEqual(data.randomSplit(ds, [0.7, 0.2, 0.1]).map((s) => s.length), [10, 2, 1]);
  assert.deepEqual(data.randomSplit(ds, [0.1, 0.2, 0.7]).map((s) => s.length), [2, 2, 9]);
  assert.throws(() => data.randomSplit(ds, [-1, 14]), /randomSplit: length at index 0 is -1: a split cannot have fewer than 0 examples/);
  // PyTorch 1.13: "Fraction at index 0 is not between 0 and 1"; [] is "Sum of input lengths does not equal …".
  assert.throws(() => data.randomSplit(ds, [-0.5, 1.5]), /randomSplit: Fraction at index 0 is not between 0 and 1/);
  assert.throws(() => data.randomSplit(ds, []), /randomSplit: no lengths given: the lengths must add up to the dataset's length \(13\)/);
  assert.throws(() => data.randomSplit(7 as unknown as data.TensorDataset, [1, 1]), /randomSplit: takes a dataset .*, got the number 7/);
});

test('randomSplit of a Subset, of an array: subsets of it, as PyTorch\'s; a split of 0 examples warns as PyTorch\'s does', async () => {
  // PyTorch 1.13: random_split(Subset(ds, [1, 2, 3, 4]), [2, 2], generator=torch.Generator().manual_seed(0)).
  const outer = new data.Subset(dataset(), [1, 2, 3, 4]);
  const parts = data.randomSplit(outer, [2, 2], new Generator(0));
  assert.deepEqual(parts.map((p) => Array.from(p.indices)), [[0, 1], [3, 2]]);
  assert.equal(parts[0]!.dataset, outer);
  // random_split([0, 1, 2, 3], [2, 2], torch.Generator().manual_seed(42)).
  assert.deepEqual(data.randomSplit([0, 1, 2, 3], [2, 2], new Generator(42)).map((p) => [...p]), [[2, 3], [0, 1]]);
  const warnings: string[] = [];
  const listen = (w: Error): void => { warnings.push(w.message); };
  process.on('warning', listen);
  try {
    assert.deepEqual(data.randomSplit([0, 1, 2], [0.9, 0.1, 0]).map((p) => p.length), [3, 0, 0]);
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', listen);
  }
  assert.deepEqual(warnings.filter((m) => m.startsWith('randomSplit:')), [
    'randomSplit: Length of split at index 1 is 0. This might result in an empty dataset.',
    'randomSplit: Length of split at index 2 is 0. This might result in an empty dataset.',
  ]);
});
