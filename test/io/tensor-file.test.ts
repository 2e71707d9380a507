import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadFile, manualSeed, nn, saveFile } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'kindling-tensor-file-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('saveFile/loadFile round-trip a state dict in row-major order, and it loads into a fresh model', () => {
  manualSeed(1);
  const a = new nn.Sequential(new nn.Linear(5, 3), new nn.Sigmoid(), new nn.Linear(3, 2));
  const path = join(dir, 'w.safetensors');
  saveFile(path, a.stateDict(), { note: 'hello' });
  const { tensors, metadata } = loadFile(path);
  assert.equal(metadata['note'], 'hello');
  assert.deepEqual(Object.keys(tensors).sort(), ['0.bias', '0.weight', '2.bias', '2.weight']);
  assert.deepEqual(tensors['0.weight']!.shape, [3, 5]);
  // Linear stores its weight transposed; the file must hold PyTorch's [out, in] row-major values.
  assert.deepEqual(Array.from(tensors['0.weight']!.toArray()), Array.from(a.stateDict()['0.weight']!.toArray()));
  manualSeed(2);
  const b = new nn.Sequential(new nn.Linear(5, 3), new nn.Sigmoid(), new nn.Linear(3, 2));
  assert.notDeepEqual(b.stateDict()['2.weight']!.toArray(), a.stateDict()['2.weight']!.toArray());
  b.loadStateDict(tensors);
  for (const [k, v] of Object.entries(a.stateDict())) assert.deepEqual(b.stateDict()[k]!.toArray(), v.toArray(), k);
});

test('saveFile refuses a value that is not a Tensor', () => {
  assert.throws(() => saveFile(join(dir, 'x.safetensors'), { w: [1, 2] as never }), /"w" is not a Tensor/);
});
