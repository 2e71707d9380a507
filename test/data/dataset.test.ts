import assert from 'node:assert/strict';
import { test } from 'node:test';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataLoader, loadEmbeddedMnist, loadSplit, MnistDataset, PIXEL_SCALE, writeMnistCsv, type MnistSplit } from '../../src/data/index.js';
import { tempDir, throwsWith } from './helpers.js';

const train = loadEmbeddedMnist('train');

/** The float32 bit pattern of `x`, to compare scaling exactly. */
function bits(x: number): number {
  return new Uint32Array(new Float32Array([x]).buffer)[0]!;
}

test('pixels are scaled as torch.FloatTensor(np.asfarray(x) / 255.0), bit for bit', () => {
  // Bit patterns printed by /usr/bin/python3 with PyTorch 1.13: torch.FloatTensor(np.asfarray(range(256)) / 255.0).
  const torchBits: Record<number, number> = {
    0: 0, 1: 0x3b808081, 3: 0x3c40c0c1, 127: 0x3efefeff, 128: 0x3f008081, 254: 0x3f7efeff, 255: 0x3f800000,
  };
  for (const [b, expected] of Object.entries(torchBits)) assert.equal(bits(PIXEL_SCALE[Number(b)]!), expected, `pixel ${b}`);
  const { image, label } = new MnistDataset(train).get(0);
  assert.equal(label, 5);
  assert.deepEqual(image.shape, [784]);
  // Pixels 152–159 of image 0 (bytes 3 18 18 18 126 136 175 26), as the same torch expression gives them.
  const expected = [
    0.0117647061124444, 0.07058823853731155, 0.07058823853731155, 0.07058823853731155, 0.4941176474094391,
    0.5333333611488342, 0.686274528503418, 0.10196078568696976,
  ];
  assert.deepEqual(Array.from(image.data.subarray(152, 160)), expected);
  // torch: x.double().sum() for the whole image 0.
  const sum = image.data.reduce((s, v) => s + v, 0);
  assert.ok(Math.abs(sum - 107.94117754790932) < 1e-9, `sum ${sum}`);
});

test('the target is one-hot at the label', () => {
  const ds = new MnistDataset(train);
  for (const i of [0, 1, 2, 59999]) {
    const { target, label } = ds.get(i);
    assert.deepEqual(target.shape, [10]);
    const expected = new Float32Array(10);
    expected[label] = 1;
    assert.deepEqual(target.data, expected);
    assert.equal(label, train.labels[i]);
  }
  assert.equal(ds.get(59999).label, 8);
});

test('samples are independent copies', () => {
  const ds = new MnistDataset(train);
  const a = ds.get(0);
  a.image.data.fill(9);
  a.target.data.fill(9);
  const b = ds.get(0);
  assert.equal(b.image.data[0], 0);
  assert.equal(b.target.data[5], 1);
  assert.equal(train.images[0], 0);
});

test('fillImage and fillTarget write at an offset and clear stale values', () => {
  const ds = new MnistDataset(train);
  const out = new Float32Array(3 * 784).fill(-1);
  ds.fillImage(1, out, 784);
  assert.equal(out[783], -1);
  assert.equal(out[1568], -1);
  assert.deepEqual(out.subarray(784, 1568), ds.get(1).image.data);
  const targets = new Float32Array(20).fill(7);
  ds.fillTarget(2, targets, 10);
  assert.deepEqual(Array.from(targets.subarray(10)), [0, 0, 0, 0, 1, 0, 0, 0, 0, 0]);
  assert.equal(targets[9], 7);
  throwsWith(() => ds.fillImage(0, new Float32Array(784), 1), ['784 values at offset 1', 'array of 784']);
});

test('limit restricts the dataset; out-of-range indices are clear errors', () => {
  const ds = new MnistDataset(train, { limit: 100 });
  assert.equal(ds.length, 100);
  assert.equal(ds.get(99).label, train.labels[99]);
  throwsWith(() => ds.get(100), ['index 100', 'limited to 100', '0 to 99']);
  assert.equal(new MnistDataset(train, { limit: 1e6 }).length, 60000);
  throwsWith(() => new MnistDataset(train).get(60000), ['index 60000', '60000 images', '0 to 59999']);
  // Negative counts from the end, as Python's indexing (and TensorDataset's, Subset's) does.
  assert.equal(ds.get(-1).label, train.labels[99]);
  assert.equal(ds.label(-100), train.labels[0]);
  assert.deepEqual(ds.get(-100).image.toArray(), ds.get(0).image.toArray());
  throwsWith(() => ds.get(-101), ['MnistDataset: index -101 is out of range for 100 examples (0 to 99, or negative from the end)']);
  assert.equal(new MnistDataset(train).get(-1).label, train.labels[59999]);
  throwsWith(() => ds.fillImage(-1, new Float32Array(784)), ['index -1']);
  throwsWith(() => new MnistDataset(train, { limit: -3 }), ['limit', '-3']);
});

test('fillImage gives PIXEL_SCALE of every byte, whether images can be read four bytes at a time or not', () => {
  const check = (split: MnistSplit, label: string): void => {
    const ds = new MnistDataset(split);
    const size = split.rows * split.cols;
    const out = new Float32Array(size + 2).fill(-1);
    for (let i = 0; i < split.count; i += Math.max(1, Math.floor(split.count / 500))) {
      ds.fillImage(i, out, 1);
      for (let k = 0; k < size; k++) {
        const want = PIXEL_SCALE[split.images[i * size + k]!]!;
        if (out[1 + k] !== want) assert.fail(`${label}: image ${i}, pixel ${k} is ${out[1 + k]}, expected ${want}`);
      }
      assert.equal(out[0], -1);
      assert.equal(out[size + 1], -1);
      // Over zeros, only the lit pixels are written: the same values, the neighbours untouched.
      const fresh = new Float32Array(size + 2);
      fresh[0] = -1;
      fresh[size + 1] = -1;
      ds.fillImageOverZeros(i, fresh, 1);
      assert.deepEqual(fresh, out);
    }
  };
  check(train, 'embedded training set');
  // Every byte value in every position of a group of four, in images that start at an odd byte or whose size is
  // not a multiple of four.
  const bytes = Uint8Array.from({ length: 4 * 256 + 17 }, (_, k) => (k * 37 + (k >> 2)) & 255);
  const count = 40;
  const shifted = new Uint8Array(1 + count * 28);
  shifted.set(bytes.subarray(0, count * 28), 1);
  check({ ...train, images: shifted.subarray(1), labels: new Uint8Array(count), count, rows: 4, cols: 7 }, 'odd start');
  check({ ...train, images: bytes.subarray(0, 64 * 15), labels: new Uint8Array(64), count: 64, rows: 3, cols: 5 }, '3×5 images');
  check({ ...train, images: bytes.subarray(0, 64 * 16), labels: new Uint8Array(64), count: 64, rows: 4, cols: 4 }, '4×4 images');
});

test('a dataset iterates its examples in order, as get(i) gives them, and stops at its limit', () => {
  const ds = new MnistDataset(train, { limit: 5 });
  const seen = [...ds];
  assert.equal(seen.length, 5);
  seen.forEach((sample, i) => {
    const direct = ds.get(i);
    assert.equal(sample.label, direct.label);
    assert.deepEqual(sample.image.data, direct.image.data);
    assert.deepEqual(sample.target.data, direct.target.data);
  });
  assert.deepEqual(seen.map((x) => x.label), Array.from(train.labels.subarray(0, 5)));
});

test('a dataset made from a path, as the book makes it from mnist_test.csv: the split from the name, or as told', () => {
  const dir = tempDir();
  const test10 = loadEmbeddedMnist('test');
  const csv = join(dir, 'mnist_test.csv');
  writeMnistCsv(csv, test10.images.subarray(0, 12 * 784), test10.labels.subarray(0, 12));
  const ds = new MnistDataset(csv);
  assert.equal(ds.length, 12);
  assert.equal(ds.split.source, csv);
  const embedded = new MnistDataset(test10);
  for (const i of [0, 11]) assert.deepEqual(ds.get(i).image.data, embedded.get(i).image.data);
  assert.equal(new DataLoader(ds, 5).length, 3);
  assert.equal(loadSplit(csv).count, 12, 'loadSplit reads the split from the name too');
  // A name that does not say: the split option, or an error that says how.
  const plain = join(dir, 'digits.csv');
  copyFileSync(csv, plain);
  assert.equal(new MnistDataset(plain, { split: 'test', limit: 4 }).length, 4);
  throwsWith(() => new MnistDataset(plain), ['MnistDataset', 'digits.csv', "{ split: 'test' }"]);
  throwsWith(() => loadSplit(plain), ['loadSplit', 'digits.csv', "'test')"]);
  // A folder holding mnist_test.csv: the split option picks it.
  const folder = join(dir, 'folder');
  mkdirSync(folder);
  copyFileSync(csv, join(folder, 'mnist_test.csv'));
  assert.equal(new MnistDataset(folder, { split: 'test' }).length, 12);
  throwsWith(() => new MnistDataset(join(dir, 'missing_test.csv')), ['missing_test.csv', 'does not exist']);
  throwsWith(() => new MnistDataset(join(dir, 'missing.csv')), ['missing.csv', 'does not exist']);
  throwsWith(() => new MnistDataset(csv, { split: 'validation' as 'test' }), ["MnistDataset: the split option must be 'train' or 'test', got the string \"validation\""]);
});

test('a dataset refuses what is neither a split nor a path, naming what it got and what it takes', () => {
  for (const bad of [42, {}, null, undefined, [1, 2]]) {
    throwsWith(() => new MnistDataset(bad as unknown as MnistSplit), ['MnistDataset: expected a split', 'loadEmbeddedMnist', 'path']);
  }
  throwsWith(() => new MnistDataset(train, { split: 'test' }), ['MnistDataset', 'split option goes with a path']);
  throwsWith(() => new MnistDataset(train, { spilt: 'test' } as never), ['MnistDataset', 'spilt']);
});
