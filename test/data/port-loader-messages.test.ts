// A PyTorch user's batch size or limit passed as a string (read from argv, say) is named as a string in the error,
// not printed as if it were the number.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataLoader, loadEmbeddedMnist, MnistDataset } from '../../src/data/index.js';

const loose = <T>(v: unknown): T => v as T;

test('DataLoader and MnistDataset name a string batch size or limit as a string', () => {
  const ds = new MnistDataset(loadEmbeddedMnist('test'), { limit: 10 });
  assert.throws(() => new DataLoader(ds, loose<number>('4')), { message: 'DataLoader: batchSize must be a positive integer, got the string "4"' });
  assert.throws(() => new DataLoader(ds, { batchSize: loose<number>('8') }), { message: 'DataLoader: batchSize must be a positive integer, got the string "8"' });
  assert.throws(() => new DataLoader(ds, 2.5), { message: 'DataLoader: batchSize must be a positive integer, got 2.5' });
  assert.throws(() => new MnistDataset(loadEmbeddedMnist('test'), { limit: loose<number>('5') }), { message: 'MnistDataset: limit must be a non-negative integer, got the string "5"' });
  assert.throws(() => new MnistDataset(loadEmbeddedMnist('test'), { limit: -1 }), { message: 'MnistDataset: limit must be a non-negative integer, got -1' });
});
