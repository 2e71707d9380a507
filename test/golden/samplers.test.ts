// A DataLoader over a dataset of one's own, and PyTorch's samplers, against PyTorch 1.13 (fixtures/torch/samplers.json,
// from make_samplers.py): defaultCollate's batches, shuffles with and without a generator, RandomSampler,
// SubsetRandomSampler, WeightedRandomSampler and BatchSampler alone and in a loader — the same indices from the same
// seed, and the generators left where PyTorch's are (the next draws agree) — defaultCollate on nested examples,
// ConcatDataset, and PyTorch's refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { data, Generator, manualSeed, rand, tensor, type Tensor } from '../../src/index.js';
import { loadFixture, values, type EncodedTensor } from './golden-helpers.js';

type Batches = [EncodedTensor, number[]][];
interface Draws { indices: (number | number[])[]; after: number[] | null }
const fx = loadFixture<{
  shuffle: { batches: Batches; after: number[] };
  shuffleGenerator: { epochs: [Batches, Batches]; after: number[]; generatorAfter: number[] };
  sequential: { batches: Batches; after: number[] };
  samplers: Record<string, Draws>;
  batchSamplerLoader: { batches: Batches; after: number[] };
  samplerLoader: { batches: Batches; after: number[] };
  stream: { batches: Batches; after: number[] };
  streamDropLast: { batches: Batches; after: number[] };
  collate: { t: EncodedTensor; n: number[]; a: EncodedTensor; b: number[]; s: string[] };
  concat: { length: number; cumulative: number[]; last: EncodedTensor; third: EncodedTensor };
  refusals: Record<string, { type: string; message: string }>;
}>('samplers.json');

/** Example i: [tensor([i, i²]), i % 3], as the fixture's Squares. */
class Squares extends data.Dataset<[Tensor, number]> {
  constructor(readonly length: number) { super(); }
  get(i: number): [Tensor, number] { return [tensor([i, i * i]), i % 3]; }
}

/** Examples [tensor([i, i²]), i % 3] for i < n, as a stream. */
class Stream extends data.IterableDataset<[Tensor, number]> {
  constructor(readonly n: number) { super(); }
  *[Symbol.iterator](): Iterator<[Tensor, number]> { for (let i = 0; i < this.n; i++) yield [tensor([i, i * i]), i % 3]; }
}

function assertBatches(loader: Iterable<[Tensor, Tensor]>, want: Batches, label: string): void {
  const got = [...loader];
  assert.equal(got.length, want.length, `${label}: ${got.length} batches, PyTorch has ${want.length}`);
  got.forEach(([x, y], b) => {
    assert.deepEqual(x.shape, want[b]![0].shape, `${label}: batch ${b} x's shape`);
    assert.deepEqual(Array.from(x.toArray()), values(want[b]![0]), `${label}: batch ${b} x`);
    assert.deepEqual(Array.from(y.toArray()), want[b]![1], `${label}: batch ${b} y`);
  });
}

const after = (): number[] => Array.from(rand(2).toArray());
const close = (a: number[], b: number[], label: string): void => assert.deepEqual(a.map(Math.fround), b.map(Math.fround), label);

test('a DataLoader over a Dataset of one\'s own: defaultCollate\'s batches, shuffled as PyTorch shuffles them', () => {
  const ds = new Squares(10);
  manualSeed(5);
  assertBatches(new data.DataLoader(ds, 4, { shuffle: true }), fx.shuffle.batches, 'shuffle');
  close(after(), fx.shuffle.after, 'the global generator afterwards');
  manualSeed(5);
  const g = new Generator(7);
  const loader = new data.DataLoader(ds, 3, { shuffle: true, generator: g, dropLast: true });
  assert.equal(loader.length, 3);
  assertBatches(loader, fx.shuffleGenerator.epochs[0], 'epoch 1');
  assertBatches(loader, fx.shuffleGenerator.epochs[1], 'epoch 2');
  close(after(), fx.shuffleGenerator.after, 'the global generator afterwards');
  close(Array.from(rand([2], { generator: g }).toArray()), fx.shuffleGenerator.generatorAfter, 'the loader\'s generator afterwards');
  manualSeed(5);
  assertBatches(new data.DataLoader(ds, 4), fx.sequential.batches, 'in order');
  close(after(), fx.sequential.after, 'the global generator afterwards');
});

test('the samplers draw PyTorch\'s indices from the same seed and leave the generators where PyTorch\'s are', () => {
  const ds = new Squares(10);
  const cases: Record<string, () => Iterable<number | number[]>> = {
    'random replacement': () => new data.RandomSampler(ds, { replacement: true, numSamples: 40, generator: new Generator(11) }),
    'random numSamples 25': () => new data.RandomSampler(ds, { numSamples: 25 }),
    'subset random': () => new data.SubsetRandomSampler([3, 5, 7, 9, 11]),
    'subset random generator': () => new data.SubsetRandomSampler([3, 5, 7, 9, 11], new Generator(2)),
    'weighted': () => new data.WeightedRandomSampler([0.1, 0.9, 0.4, 0.0, 2.5], 20),
    'weighted no replacement': () => new data.WeightedRandomSampler([0.1, 0.9, 0.4, 0.0, 2.5], 4, false, new Generator(4)),
    'batch': () => new data.BatchSampler(new data.SequentialSampler({ length: 10 }), 3, false),
    'batch drop last': () => new data.BatchSampler(new data.SequentialSampler({ length: 10 }), 3, true),
  };
  for (const [name, make] of Object.entries(cases)) {
    const want = fx.samplers[name]!;
    manualSeed(3);
    const sampler = make();
    assert.deepEqual([...sampler], want.indices, name);
    assert.equal((sampler as unknown as { length: number }).length, want.indices.length, `${name}: length`);
    if (want.after !== null) close(after(), want.after, `${name}: the global generator afterwards`);
  }
});

test('a DataLoader with a batchSampler, and with a sampler and a batch size, as PyTorch\'s', () => {
  const ds = new Squares(10);
  manualSeed(8);
  const bs = new data.BatchSampler(new data.RandomSampler(ds, { generator: new Generator(9) }), 3, false);
  const l1 = new data.DataLoader(ds, { batchSampler: bs });
  assert.equal(l1.length, 4);
  assertBatches(l1, fx.batchSamplerLoader.batches, 'batchSampler');
  close(after(), fx.batchSamplerLoader.after, 'afterwards');
  manualSeed(8);
  const l2 = new data.DataLoader(ds, 3, { sampler: new data.WeightedRandomSampler([1, 1, 1, 1, 1, 3, 3, 3, 3, 3], 7) });
  assert.equal(l2.length, 3);
  assertBatches(l2, fx.samplerLoader.batches, 'sampler');
  close(after(), fx.samplerLoader.after, 'afterwards');
});

test('a DataLoader over an IterableDataset (and a ChainDataset) batches the examples as they come, as PyTorch\'s', () => {
  manualSeed(6);
  assertBatches(new data.DataLoader(new Stream(7), 3), fx.stream.batches, 'stream');
  close(after(), fx.stream.after, 'the global generator afterwards');
  manualSeed(6);
  assertBatches(new data.DataLoader(new data.ChainDataset([new Stream(2), new Stream(3)]), 2, { dropLast: true }), fx.streamDropLast.batches, 'chain, dropLast');
  close(after(), fx.streamDropLast.after, 'the global generator afterwards');
  assert.throws(() => new data.DataLoader(new Stream(3), { shuffle: true }), new RegExp(fx.refusals['stream shuffle']!.message, 'i'));
  assert.throws(() => new data.DataLoader(new Stream(3)).length, /has no length/);
  class Sized extends Stream { get length(): number { return this.n; } }
  assert.equal(new data.DataLoader(new Sized(7), 3).length, 3);
  assert.equal(new data.DataLoader(new Sized(7), 3, { dropLast: true }).length, 2);
  assert.throws(() => new data.ChainDataset([new Stream(2), [1] as never]), /only supports IterableDataset/);
});

test('defaultCollate on nested examples (tensors, numbers, objects, strings), as PyTorch\'s default_collate', () => {
  const c = data.defaultCollate([
    [tensor([1, 2]), 3, { a: tensor([[1]]), b: 1.5 }, 'x'],
    [tensor([4, 5]), 6, { a: tensor([[2]]), b: 2.5 }, 'y'],
  ] as [Tensor, number, { a: Tensor; b: number }, string][]);
  assert.deepEqual(c[0].shape, fx.collate.t.shape);
  assert.deepEqual(Array.from(c[0].toArray()), values(fx.collate.t));
  assert.deepEqual(Array.from(c[1].toArray()), fx.collate.n);
  assert.deepEqual(c[2].a.shape, fx.collate.a.shape);
  assert.deepEqual(Array.from(c[2].b.toArray()), fx.collate.b);
  assert.deepEqual(c[3], fx.collate.s);
});

test('a collateFn of one\'s own, and MNIST through a sampler keeps its own batches', () => {
  const ds = new Squares(6);
  const loader = new data.DataLoader(ds, 2, { collateFn: (items: [Tensor, number][]) => items.map(([, y]) => y) });
  assert.deepEqual([...loader], [[0, 1], [2, 0], [1, 2]]);
  const t = new data.TensorDataset(tensor([[1], [2], [3], [4]]), tensor([10, 20, 30, 40]));
  const rows = [...new data.DataLoader(t, 3, { sampler: new data.SubsetRandomSampler([3, 1, 0], new Generator(1)) })];
  assert.equal(rows.length, 1);
  assert.deepEqual(Array.from(rows[0]![1]!.toArray()).sort(), [10, 20, 40]);
  assert.deepEqual(Array.from(rows[0]![0]!.toArray()).map((v) => v * 10), Array.from(rows[0]![1]!.toArray()), 'x and y of the same examples');
});

test('ConcatDataset and Subset of a dataset of one\'s own, as PyTorch\'s', () => {
  const cat = new data.ConcatDataset([new Squares(3), new Squares(4)]);
  assert.equal(cat.length, fx.concat.length);
  assert.deepEqual(cat.cumulativeSizes, fx.concat.cumulative);
  assert.deepEqual(Array.from(cat.get(-1)[0].toArray()), values(fx.concat.last));
  assert.deepEqual(Array.from(cat.get(3)[0].toArray()), values(fx.concat.third));
  assert.equal(new Squares(2).concat(new Squares(5)).length, 7);
  const sub = new data.Subset(new Squares(10), [9, 2]);
  assert.deepEqual(Array.from(sub.get(0)[0].toArray()), [9, 81]);
  const [x] = [...new data.DataLoader(sub, 2)][0]!;
  assert.deepEqual(Array.from(x!.toArray()), [9, 81, 2, 4]);
  const parts = data.randomSplit(new Squares(10), [7, 3], new Generator(0));
  assert.deepEqual(parts.map((p) => p.length), [7, 3]);
});

test('refusals, as PyTorch\'s', () => {
  const ds = new Squares(10);
  const r = fx.refusals;
  assert.throws(() => new data.DataLoader(ds, { sampler: new data.SequentialSampler(ds), shuffle: true }), new RegExp(r['sampler and shuffle']!.message));
  assert.throws(() => new data.DataLoader(ds, 2, { batchSampler: new data.BatchSampler(new data.SequentialSampler(ds), 2, false) }), (e: Error) => e.message.includes(r['batch sampler and size']!.message));
  assert.throws(() => data.defaultCollate([tensor([0, 0]), tensor([0, 0, 0])]), (e: Error) => e.message.includes(r['collate sizes']!.message));
  assert.throws(() => new data.ConcatDataset([]), new RegExp(r['concat empty']!.message));
  assert.throws(() => new data.RandomSampler(ds, { numSamples: 0 }), (e: Error) => e.message.includes(r['num samples']!.message));
  assert.throws(() => new data.DataLoader({ length: 3 } as never), /length and get\(i\)/);
  assert.throws(() => data.defaultCollate([null, null]), /batch must contain tensors/);
  assert.throws(() => data.defaultCollate([[1, 2], [1]]), /each element in list of batch should be of equal size/);
  assert.throws(() => new data.WeightedRandomSampler([1, -1], 3), /weights must be finite and at least 0/);
});
