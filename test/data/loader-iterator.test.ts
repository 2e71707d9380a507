// The DataLoader against PyTorch 1.13 where a review found it differed: when iter(loader) draws, what it takes as
// a dataset and a sampler, what it shows (loader.sampler, …) and the options it checks. Expected values are
// PyTorch 1.13's (torch.set_num_threads(1)), written inline.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BatchSampler, DataLoader, Dataset, RandomSampler, SequentialSampler, TensorDataset } from '../../src/data/index.js';
import { Generator, manualSeed } from '../../src/random.js';
import { arange, rand, randn } from '../../src/tensor/creation.js';
import { randint } from '../../src/tensor/integers.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { throwsWith } from './helpers.js';

const firsts = (batches: Iterable<Tensor[]>): number[][] => [...batches].map((b) => b[0]!.tolist() as number[]);

test('iter(loader) draws the base seed when the iterator is made; the shuffle when the first batch is asked for', () => {
  // PyTorch: two shuffled loaders zipped: [5, 0, 3] [2, 3, 1], then [2, 1, 4] [5, 4, 0]; torch.rand(1) 0.4556…
  manualSeed(0);
  const a = new DataLoader(new TensorDataset(arange(6)), 3, { shuffle: true });
  const b = new DataLoader(new TensorDataset(arange(6)), 3, { shuffle: true });
  const ia = a[Symbol.iterator](), ib = b[Symbol.iterator]();
  const got: number[][][] = [];
  for (;;) {
    const x = ia.next(), y = ib.next();
    if (x.done === true || y.done === true) break;
    got.push([x.value[0]!.tolist() as number[], y.value[0]!.tolist() as number[]]);
  }
  assert.deepEqual(got, [[[5, 0, 3], [2, 3, 1]], [[2, 1, 4], [5, 4, 0]]]);
  assert.equal(rand([1]).item(), 0.455627977848053);
  // it = iter(A); torch.rand(1); next(it): 0.0884… between, then [3, 2, 0].
  manualSeed(0);
  const it = a[Symbol.iterator]();
  assert.equal(rand([1]).item(), 0.08847743272781372);
  assert.deepEqual(it.next().value![0]!.tolist(), [3, 2, 0]);
  // With the loader's generator: a draw from it between iter() and next() comes before the permutation's.
  const g = new Generator(3);
  const it2 = new DataLoader(new TensorDataset(arange(5)), 2, { shuffle: true, generator: g })[Symbol.iterator]();
  assert.equal(randint(0, 100, [1], { generator: g }).item(), 37);
  assert.deepEqual(firsts({ [Symbol.iterator]: () => it2 }), [[2, 1], [0, 3], [4]]);
});

test('a dataset of one\'s own (through the samplers) draws at PyTorch\'s moments too when loaders are zipped', () => {
  class Five extends Dataset<number> {
    get length(): number { return 5; }
    get(i: number): number { return i; }
  }
  manualSeed(1);
  const a = new DataLoader(new Five(), 2, { shuffle: true }), b = new DataLoader(new Five(), 2, { shuffle: true });
  const ia = a[Symbol.iterator](), ib = b[Symbol.iterator]();
  const got: number[][][] = [];
  for (let x = ia.next(), y = ib.next(); x.done !== true && y.done !== true; x = ia.next(), y = ib.next()) got.push([x.value.tolist() as number[], y.value.tolist() as number[]]);
  assert.deepEqual(got, [[[4, 0], [4, 0]], [[2, 1], [2, 3]], [[3], [1]]]);
  assert.equal(rand([1]).item(), 0.5695084929466248);
});

test('arrays and tensors are datasets, as PyTorch indexes them: items and rows collated by defaultCollate', () => {
  assert.deepEqual([...new DataLoader(arange(6).reshape(3, 2), 2)].map((t) => t.tolist()), [[[0, 1], [2, 3]], [[4, 5]]]);
  assert.deepEqual([...new DataLoader([1, 2, 3], 2)].map((t) => t.tolist()), [[1, 2], [3]]);
  manualSeed(0);
  assert.deepEqual([...new DataLoader([10, 20, 30, 40], 3, { shuffle: true })].map((t) => t.tolist()), [[30, 20, 40], [10]]);
  const rows = arange(4);
  assert.equal(new DataLoader(rows, 2).dataset, rows);
  throwsWith(() => new DataLoader(5 as never), ['DataLoader: batches a dataset', 'an array or a tensor', 'got the number 5']);
});

test('dropLast and shuffle must be booleans: PyTorch refuses drop_last=\'no\' (and would shuffle for shuffle=\'no\')', () => {
  const ten = new TensorDataset(arange(10));
  throwsWith(() => new DataLoader(ten, 3, { dropLast: 'no' as never }), ['DataLoader: drop_last should be a boolean value, but got drop_last=the string "no"']);
  throwsWith(() => new DataLoader(ten, 3, { shuffle: 'no' as never }), ['DataLoader: shuffle should be a boolean value, but got shuffle=the string "no"']);
  // PyTorch 1.13 takes shuffle=None for False, but refuses drop_last=None (BatchSampler: "drop_last should be a
  // boolean value, but got drop_last=None"), unless a batch_sampler leaves it unused.
  assert.equal(new DataLoader(ten, 3, { shuffle: null as never }).length, 4);
  throwsWith(() => new DataLoader(ten, 3, { dropLast: null as never }), ['DataLoader: drop_last should be a boolean value, but got drop_last=null']);
  assert.deepEqual([...new DataLoader([0, 1, 2], { batchSampler: [[2, 0], [1]], dropLast: null as never })].map((t) => t.tolist()), [[2, 0], [1]]);
});

test('loader.sampler, batchSampler, batchSize, dropLast and generator are what PyTorch\'s loader shows', () => {
  const five = new TensorDataset(arange(5));
  const shuffled = new DataLoader(five, 2, { shuffle: true });
  assert.ok(shuffled.sampler instanceof RandomSampler);
  assert.ok(shuffled.batchSampler instanceof BatchSampler);
  assert.equal(shuffled.batchSampler.sampler, shuffled.sampler);
  assert.deepEqual([shuffled.batchSize, shuffled.dropLast, shuffled.sampler.length, shuffled.generator], [2, false, 5, undefined]);
  const g = new Generator(1);
  assert.equal(new DataLoader(five, 1, { shuffle: true, generator: g }).generator, g);
  const given = [[0, 1], [4]];
  const byBatches = new DataLoader(five, { batchSampler: given });
  assert.deepEqual([byBatches.batchSize, byBatches.dropLast, byBatches.batchSampler === given], [null, false, true]);
  assert.ok(byBatches.sampler instanceof SequentialSampler);
  assert.deepEqual(firsts(byBatches), [[0, 1], [4]]);
  // A generator object has no length: PyTorch iterates it all the same.
  const once = new DataLoader(five, 2, { sampler: [4, 3, 2].values() });
  assert.deepEqual(firsts(once), [[4, 3], [2]]);
  throwsWith(() => once.length, ['DataLoader: its sampler has no length']);
});

test('the worker options are checked as PyTorch 1.13 checks them, and change nothing', async () => {
  throwsWith(() => new DataLoader([0, 1, 2], { numWorkers: -1 }), ['DataLoader: num_workers option should be non-negative; use num_workers=0 to disable multiprocessing']);
  throwsWith(() => new DataLoader([0, 1, 2], { numWorkers: 1.5 }), ['DataLoader: num_workers must be a whole number, got 1.5']);
  throwsWith(() => new DataLoader([0, 1, 2], { timeout: -1 }), ['DataLoader: timeout option should be non-negative']);
  // PyTorch 1.13 makes the loader, then its single-process iterator asserts timeout == 0 (AssertionError).
  throwsWith(() => new DataLoader([0, 1, 2], { timeout: 0.5 }), ['DataLoader: timeout 0.5 needs numWorkers > 0', 'asserts timeout == 0']);
  throwsWith(() => new DataLoader([0, 1, 2], { prefetchFactor: 4 }), ['DataLoader: prefetch_factor option could only be specified in multiprocessing']);
  throwsWith(() => new DataLoader([0, 1, 2], { persistentWorkers: true }), ['DataLoader: persistent_workers option needs num_workers > 0']);
  throwsWith(() => new DataLoader([0, 1, 2], { pinMemory: 1 as never }), ['DataLoader: pin_memory should be a boolean value']);
  throwsWith(() => new DataLoader([0, 1, 2], { num_workers: 2 } as never), ['unknown option "num_workers" (did you mean numWorkers?)']);
  // PyTorch 1.13 refuses None for these three (TypeError: '<' not supported between 'NoneType' and 'int'; for
  // prefetch_factor, "could only be specified in multiprocessing"), and takes it for the other worker options.
  throwsWith(() => new DataLoader([0, 1, 2], { numWorkers: null as never }), ['DataLoader: num_workers must be a whole number, got null']);
  throwsWith(() => new DataLoader([0, 1, 2], { timeout: null as never }), ['DataLoader: timeout must be a number of seconds, got null']);
  throwsWith(() => new DataLoader([0, 1, 2], { prefetchFactor: null as never }), ['DataLoader: prefetch_factor must be a positive whole number, got null']);
  assert.equal(new DataLoader([0, 1, 2], { pinMemory: null as never, persistentWorkers: null as never, workerInitFn: null }).length, 3);
  let called = 0;
  const plain = new DataLoader([0, 1, 2], 2, { pinMemory: true, timeout: 0, workerInitFn: () => { called++; } });
  assert.deepEqual([...plain].map((t) => t.tolist()), [[0, 1], [2]]);
  assert.equal(called, 0, 'PyTorch calls worker_init_fn only in worker processes');
  const warnings: string[] = [];
  const listen = (w: Error): void => { warnings.push(w.message); };
  process.on('warning', listen);
  try {
    const workers = new DataLoader([0, 1, 2], 2, { numWorkers: 2, prefetchFactor: 4, persistentWorkers: true, timeout: 0.5 });
    assert.deepEqual([...workers].map((t) => t.tolist()), [[0, 1], [2]]);
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', listen);
  }
  assert.ok(warnings.some((m) => m.includes('numWorkers 2: Kindling has no worker processes')), warnings.join('\n'));
});

test('batches of a TensorDataset of a tensor requiring grad are in its graph, as PyTorch\'s stack of its rows', () => {
  const w = randn(3, 2, { requiresGrad: true });
  const [[wb]] = [...new DataLoader(new TensorDataset(w), 2)];
  assert.equal(wb!.requiresGrad, true);
  assert.equal(wb!.gradFn?.torchName, 'StackBackward0');
  wb!.sum().backward();
  assert.deepEqual(w.grad!.tolist(), [[1, 1], [1, 1], [0, 0]]);
});
