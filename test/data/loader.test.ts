import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataLoader, encodeMnistCsv, loadEmbeddedMnist, loadSplit, MnistDataset, TensorDataset } from '../../src/data/index.js';
import { Generator, manualSeed } from '../../src/random.js';
import * as F from '../../src/nn/functional.js';
import { arange, rand, tensor, zeros } from '../../src/tensor/creation.js';
import { throwsWith } from './helpers.js';

const test10 = loadEmbeddedMnist('test');
const ds = new MnistDataset(test10, { limit: 10 });

test('batch size 1 without shuffle yields the file order', () => {
  const loader = new DataLoader(new MnistDataset(test10, { limit: 8 }));
  assert.equal(loader.length, 8);
  const labels: number[] = [];
  for (const batch of loader) {
    assert.deepEqual(batch.x.shape, [1, 784]);
    assert.deepEqual(batch.y.shape, [1, 10]);
    assert.deepEqual(batch.labels.shape, [1]);
    labels.push(batch.labels.item());
  }
  assert.deepEqual(labels, [7, 2, 1, 0, 4, 1, 4, 9]);
});

test('batches stack images and one-hot targets in order; the last batch is partial unless dropLast', () => {
  const loader = new DataLoader(ds, { batchSize: 4 });
  assert.equal(loader.length, 3);
  const batches = [...loader];
  assert.deepEqual(batches.map((b) => b.x.shape), [[4, 784], [4, 784], [2, 784]]);
  assert.deepEqual(batches.map((b) => Array.from(b.indices)), [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
  assert.deepEqual(batches[0]!.labels.tolist(), [7, 2, 1, 0]);
  const second = batches[1]!;
  for (let k = 0; k < 4; k++) {
    const sample = ds.get(4 + k);
    assert.deepEqual(second.x.data.subarray(k * 784, (k + 1) * 784), sample.image.data);
    assert.deepEqual(second.y.data.subarray(k * 10, (k + 1) * 10), sample.target.data);
  }
  const dropped = new DataLoader(ds, { batchSize: 4, dropLast: true });
  assert.equal(dropped.length, 2);
  assert.deepEqual([...dropped].map((b) => b.labels.shape), [[4], [4]]);
  assert.equal(new DataLoader(ds, { batchSize: 10, dropLast: true }).length, 1);
  assert.equal(new DataLoader(ds, { batchSize: 11, dropLast: true }).length, 0);
  assert.equal([...new DataLoader(ds, { batchSize: 11, dropLast: true })].length, 0);
});

function epochOrder(loader: DataLoader): number[] {
  return [...loader].flatMap((b) => Array.from(b.indices));
}

test('shuffle is a permutation, repeatable from the seed, and new each epoch', () => {
  const big = new MnistDataset(test10, { limit: 50 });
  const a = new DataLoader(big, { batchSize: 7, shuffle: true, generator: new Generator(123) });
  const b = new DataLoader(big, { batchSize: 7, shuffle: true, generator: new Generator(123) });
  const a1 = epochOrder(a);
  const a2 = epochOrder(a);
  assert.deepEqual([...a1].sort((x, y) => x - y), Array.from({ length: 50 }, (_, i) => i));
  assert.notDeepEqual(a1, Array.from({ length: 50 }, (_, i) => i));
  assert.notDeepEqual(a1, a2, 'each epoch draws a new order');
  assert.deepEqual(epochOrder(b), a1);
  assert.deepEqual(epochOrder(b), a2);
  const c = new DataLoader(big, { batchSize: 7, shuffle: true, generator: new Generator(124) });
  assert.notDeepEqual(epochOrder(c), a1);
  // Labels and images follow the shuffled indices.
  for (const batch of new DataLoader(big, { batchSize: 5, shuffle: true, generator: new Generator(1) })) {
    batch.indices.forEach((i, k) => {
      assert.equal(batch.labels.data[k], test10.labels[i]);
      assert.equal(batch.y.data[k * 10 + test10.labels[i]!], 1);
    });
  }
});

test('shuffled and plain epochs draw what PyTorch 1.13\'s DataLoader draws: its orders, and the generator left as its', () => {
  // PyTorch's own outputs for a TensorDataset of 10 (/usr/bin/python3, torch 1.13), two epochs each:
  // DataLoader(ds, 1, shuffle=True, generator=torch.Generator().manual_seed(7));
  const withGenerator = new DataLoader(ds, { shuffle: true, generator: new Generator(7) });
  assert.deepEqual([epochOrder(withGenerator), epochOrder(withGenerator)], [[1, 3, 5, 7, 9, 4, 6, 2, 8, 0], [5, 1, 6, 0, 9, 7, 8, 4, 3, 2]]);
  // torch.manual_seed(3); DataLoader(ds, 1, shuffle=True), then torch.rand(2).
  manualSeed(3);
  const global = new DataLoader(ds, { shuffle: true });
  assert.deepEqual([epochOrder(global), epochOrder(global)], [[6, 2, 0, 1, 8, 3, 5, 4, 7, 9], [3, 4, 0, 9, 6, 7, 1, 2, 5, 8]]);
  assert.deepEqual(Array.from(rand(2).toArray()), [0.5944212079048157, 0.887856662273407]);
  // torch.manual_seed(0); one epoch of DataLoader(ds, 4), unshuffled; then torch.rand(3).
  manualSeed(0);
  epochOrder(new DataLoader(ds, { batchSize: 4 }));
  assert.deepEqual(Array.from(rand(3).toArray()), [0.08847743272781372, 0.13203048706054688, 0.30742281675338745]);
  // null is PyTorch's None; anything else is refused when the loader is made.
  manualSeed(3);
  assert.deepEqual(epochOrder(new DataLoader(ds, { shuffle: true, generator: null as never })), [6, 2, 0, 1, 8, 3, 5, 4, 7, 9]);
  throwsWith(() => new DataLoader(ds, { shuffle: true, generator: 5 as never }), ['DataLoader: generator must be a Generator (new Generator(seed)) or null, got the number 5']);
});

test('a short last batch comes after the sampler\'s last draws, as in PyTorch; a full one, or dropLast, before them', () => {
  // /usr/bin/python3, torch 1.13: ds = TensorDataset(torch.arange(10.)); g = torch.Generator().manual_seed(5); two
  // epochs of DataLoader(ds, batch_size, shuffle=True, drop_last, generator=g), each loop body drawing
  // torch.rand(1, generator=g), then one more draw.
  const run = (batchSize: number, dropLast: boolean): unknown[] => {
    const g = new Generator(5);
    const loader = new DataLoader(new TensorDataset(arange(10)), { batchSize, shuffle: true, dropLast, generator: g });
    const out: unknown[] = [];
    for (let epoch = 0; epoch < 2; epoch++) {
      for (const [x] of loader) out.push([Array.from(x!.toArray()), rand(1, { generator: g }).item()]);
    }
    out.push(rand(1, { generator: g }).item());
    return out;
  };
  assert.deepEqual(run(3, false), [
    [[7, 4, 8], 0.5645712614059448], [[1, 2, 3], 0.07241219282150269], [[6, 5, 9], 0.6593389511108398], [[0], 0.7850357890129089],
    [[1, 4, 9], 0.7431865334510803], [[8, 0, 2], 0.9697042107582092], [[7, 6, 3], 0.06087362766265869], [[5], 0.5978885889053345],
    0.8563690185546875,
  ]);
  assert.deepEqual(run(5, false), [
    [[7, 4, 8, 1, 2], 0.5645712614059448], [[3, 6, 5, 9, 0], 0.07241219282150269], [[4, 8, 5, 6, 9], 0.4884120225906372],
    [[3, 2, 0, 7, 1], 0.796462893486023], 0.8795862197875977,
  ]);
  assert.deepEqual(run(3, true), [
    [[7, 4, 8], 0.5645712614059448], [[1, 2, 3], 0.07241219282150269], [[6, 5, 9], 0.6593389511108398],
    [[7, 2, 3], 0.796462893486023], [[9, 4, 1], 0.7431865334510803], [[8, 5, 6], 0.9697042107582092], 0.9185793995857239,
  ]);
});

test('batchSize null (PyTorch\'s None: no batching) and a shuffle of an empty dataset are refused, as PyTorch refuses the latter', () => {
  throwsWith(() => new DataLoader(ds, { batchSize: null as never }), ['batchSize null', 'batch_size=None', 'dataset.get(i)']);
  // By position, as PyTorch's DataLoader(ds, None).
  throwsWith(() => new DataLoader(ds, null as never), ['batchSize null', 'batch_size=None', 'dataset.get(i)']);
  throwsWith(() => new DataLoader(new MnistDataset(test10, { limit: 0 }), { shuffle: true }), ['shuffle needs a dataset of at least one example', 'num_samples=0']);
  assert.equal([...new DataLoader(new MnistDataset(test10, { limit: 0 }))].length, 0);
});

test('a yielded batch never changes when iteration goes on', () => {
  const it = new DataLoader(ds, { batchSize: 2 })[Symbol.iterator]();
  const first = it.next().value!;
  const copy = Float32Array.from(first.x.data);
  it.next();
  it.next();
  assert.deepEqual(first.x.data, copy);
  assert.deepEqual(first.labels.tolist(), [7, 2]);
});

test('a batch unpacks as [x, y], as PyTorch\'s do', () => {
  const [first] = new DataLoader(ds, { batchSize: 3 });
  const [x, y, ...rest] = first!;
  assert.equal(x, first!.x);
  assert.equal(y, first!.y);
  assert.equal(rest.length, 0);
  let n = 0;
  for (const [bx, by] of new DataLoader(ds, 5)) {
    assert.deepEqual([bx!.shape, by!.shape], [[5, 784], [5, 10]]);
    n++;
  }
  assert.equal(n, 2);
});

test('a batch\'s labels are a tensor of class indices, so PyTorch\'s idioms take them as they are', () => {
  const [batch] = new DataLoader(ds, { batchSize: 4 });
  // Scores that pick labels 7, 2, 1 and 3 (the batch's labels are 7, 2, 1, 0): three right.
  const scores = zeros(4, 10);
  for (const [row, cls] of [7, 2, 1, 3].entries()) scores.data[row * 10 + cls] = 5;
  assert.equal(scores.argmax(1).eq(batch!.labels).sum().item(), 3);
  // The loss of those scores against the labels, as against the same indices written out.
  const loss = F.crossEntropyLoss(scores, batch!.labels).item();
  assert.equal(loss, F.crossEntropyLoss(scores, tensor([7, 2, 1, 0])).item());
  assert.ok(loss > 1, `one wrong guess costs more than 1 (got ${loss})`);
});

test('a DataLoader over something that is no dataset, and a bad index, are clear errors', () => {
  const own = { length: 2, get: (i: number) => [i, i] };
  assert.deepEqual([...new DataLoader(own as unknown as MnistDataset)].length, 2, 'anything with a length and get(i) is a dataset');
  throwsWith(() => new DataLoader({ length: 2 } as unknown as MnistDataset), ['DataLoader: batches a dataset', 'one of your own with a length and get(i) (extend data.Dataset)', 'got an object']);
  throwsWith(() => ds.get(1.5), ['index must be an integer, got the number 1.5']);
  throwsWith(() => loadSplit('mnist_data', 'validation' as 'test'), ["loadSplit: the split must be 'train' or 'test', got the string \"validation\" (e.g. loadSplit('mnist_data', 'test'))"]);
  throwsWith(() => loadSplit(undefined), ["loadSplit: the split must be 'train' or 'test', got undefined"]);
  throwsWith(() => loadEmbeddedMnist('validation' as 'test'), ["loadEmbeddedMnist: the split must be 'train' or 'test', got the string \"validation\""]);
  throwsWith(() => ds.get('3' as unknown as number), ['index must be an integer, got the string "3"']);
  throwsWith(() => ds.get(20_000), ['index 20000 is out of range: the dataset is limited to 10 images (0 to 9)']);
  throwsWith(() => ds.get(-11), ['MnistDataset: index -11 is out of range for 10 examples (0 to 9, or negative from the end)']);
  throwsWith(() => new MnistDataset(test10).get(10000), ['index 10000 is out of range', 'has 10000 images (0 to 9999)']);
});

test('invalid batch sizes are refused', () => {
  throwsWith(() => new DataLoader(ds, { batchSize: 0 }), ['batchSize', 'positive integer', '0']);
  throwsWith(() => new DataLoader(ds, { batchSize: 2.5 }), ['2.5']);
});

/** Options with a key the type does not have, as a JavaScript caller can pass them. */
const loose = <T>(v: unknown): T => v as T;

test('unknown options are refused, naming the key, suggesting the right one and listing the options', () => {
  const list = 'the options are batchSize, shuffle, dropLast, generator, sampler, batchSampler, collateFn, numWorkers, pinMemory, timeout, workerInitFn, prefetchFactor, persistentWorkers';
  const seed = throwsWith(() => new DataLoader(ds, loose({ batchSize: 3, shuffle: true, seed: 42 })), ['DataLoader: unknown option "seed"', 'generator: new Generator(42)', list]);
  assert.ok(seed instanceof TypeError);
  const snake = throwsWith(() => new DataLoader(ds, loose({ batch_size: 3 })), ['DataLoader: unknown option "batch_size" (did you mean batchSize?)', list]);
  assert.ok(snake instanceof TypeError);
  throwsWith(() => new DataLoader(ds, loose({ drop_last: true })), ['"drop_last" (did you mean dropLast?)']);
  throwsWith(() => new DataLoader(ds, loose({ num_workers: 2 })), ['DataLoader: unknown option "num_workers" (did you mean numWorkers?); the options']);
  throwsWith(() => new DataLoader(ds, loose([4])), ['DataLoader: options must be an object', 'an array']);
  throwsWith(() => new MnistDataset(test10, loose({ limt: 5 })), ['MnistDataset: unknown option "limt" (did you mean limit?)', 'the options are limit']);
  throwsWith(() => encodeMnistCsv(test10.images, test10.labels.subarray(0, 1), loose({ headers: true })), ['encodeMnistCsv: unknown option "headers" (did you mean header?)']);
});

test('the batch size may come second, as in PyTorch: new DataLoader(dataset, 4, { … })', () => {
  const loader = new DataLoader(ds, 4);
  assert.equal(loader.batchSize, 4);
  assert.deepEqual([...loader].map((b) => Array.from(b.indices)), [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
  const dropped = new DataLoader(ds, 4, { dropLast: true });
  assert.deepEqual([...dropped].map((b) => b.labels.shape), [[4], [4]]);
  const shuffled = [...new DataLoader(ds, 3, { shuffle: true, generator: new Generator(5) })].map((b) => Array.from(b.indices));
  const named = [...new DataLoader(ds, { batchSize: 3, shuffle: true, generator: new Generator(5) })].map((b) => Array.from(b.indices));
  assert.deepEqual(shuffled, named);
  assert.notDeepEqual(shuffled.flat(), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  throwsWith(() => new DataLoader(ds, 4, loose({ batchSize: 2 })), ['DataLoader: batchSize given twice: 4 by position and 2 in the options']);
  throwsWith(() => new DataLoader(ds, 4, loose(true)), ['DataLoader: the argument after batchSize must be an object', 'true']);
  throwsWith(() => new DataLoader(ds, 0), ['batchSize must be a positive integer, got 0']);
});
