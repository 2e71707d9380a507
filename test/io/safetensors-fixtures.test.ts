import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { IoError, SafetensorsError } from '../../src/io/errors.js';
import { encodeSafetensors } from '../../src/io/safetensors.js';
import { loadFile, loadFileAsync, saveFile, saveFileAsync } from '../../src/io/safetensors-file.js';
import { FIXTURES, tempFiles, tempFolder } from './helpers.js';

interface Expected {
  tensors: Record<string, { stored_dtype: string; shape: number[]; values: number[] }>;
  metadata: Record<string, string>;
}

const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as Record<string, Expected>;

for (const file of ['mlp.safetensors', 'dtypes.safetensors', 'edge.safetensors', 'unordered.safetensors', 'bool.safetensors']) {
  test(`${file} (written by PyTorch + numpy) decodes to exactly PyTorch's float32 values`, () => {
    const want = expected[file]!;
    const got = loadFile(join(FIXTURES, file));
    assert.deepEqual(got.metadata, want.metadata);
    assert.deepEqual(Object.keys(got.tensors).sort(), Object.keys(want.tensors).sort());
    for (const [name, w] of Object.entries(want.tensors)) {
      const t = got.tensors[name]!;
      // A BOOL tensor (PyTorch's bool) keeps its dtype, its 1s and 0s as float32; every other dtype is converted.
      assert.equal(t.dtype, w.stored_dtype === 'BOOL' ? 'BOOL' : 'F32', `${name} (${w.stored_dtype}) dtype`);
      assert.deepEqual(t.shape, w.shape, `${name} (${w.stored_dtype}) shape`);
      assert.equal(t.data.length, w.values.length, `${name} length`);
      // PyTorch's tensor.float() values are float32, so the comparison is exact (Object.is also tells -0 from 0).
      w.values.forEach((v, i) => assert.ok(Object.is(t.data[i], Math.fround(v)), `${name}[${i}]: ${t.data[i]} vs ${v}`));
    }
  });
}

test('re-encoding the F32 and BOOL fixtures gives the Python writer\'s bytes exactly (BOOL after F32, one byte each)', () => {
  for (const file of ['mlp.safetensors', 'edge.safetensors', 'bool.safetensors']) {
    const original = readFileSync(join(FIXTURES, file));
    const { tensors, metadata } = loadFile(join(FIXTURES, file));
    const again = encodeSafetensors(tensors, Object.keys(metadata).length > 0 ? metadata : undefined);
    assert.deepEqual(Buffer.from(again), original, file);
  }
});

test('saveFile then loadFile round-trips, atomically, leaving no temporary file', async () => {
  const dir = tempFolder();
  const path = join(dir, 'model.safetensors');
  const tensors = { '0.weight': { shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) } };
  saveFile(path, tensors, { epoch: '1' });
  assert.deepEqual(loadFile(path), { tensors: { '0.weight': { dtype: 'F32', shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) } }, metadata: { epoch: '1' } });
  await saveFileAsync(path, { b: { shape: [1], data: new Float32Array([5]) } });
  const back = await loadFileAsync(path);
  assert.deepEqual(Object.keys(back.tensors), ['b']);
  assert.deepEqual(back.metadata, {});
  assert.deepEqual(tempFiles(dir), []);
});

test('saveFile with bad tensors throws before touching the existing file', () => {
  const dir = tempFolder();
  const path = join(dir, 'model.safetensors');
  saveFile(path, { a: { shape: [1], data: new Float32Array([1]) } });
  const before = readFileSync(path);
  assert.throws(() => saveFile(path, { a: { shape: [2], data: new Float32Array([1]) } }), SafetensorsError);
  assert.deepEqual(readFileSync(path), before);
});

test('saveFile into a missing folder names the folder', () => {
  const dir = tempFolder();
  assert.throws(
    () => saveFile(join(dir, 'nope', 'm.safetensors'), {}),
    (e: unknown) => e instanceof IoError && /nope does not exist/.test(e.message),
  );
});

test('loadFile errors name the file: missing, a folder, corrupt', async () => {
  const dir = tempFolder();
  const missing = join(dir, 'missing.safetensors');
  const check = (re: RegExp) => (e: unknown) => e instanceof SafetensorsError && re.test(e.message);
  assert.throws(() => loadFile(missing), check(/^cannot read .*missing\.safetensors: the file does not exist$/));
  await assert.rejects(loadFileAsync(missing), check(/missing\.safetensors: the file does not exist/));
  mkdirSync(join(dir, 'folder.safetensors'));
  assert.throws(() => loadFile(join(dir, 'folder.safetensors')), check(/folder\.safetensors: it is a folder/));
  const corrupt = join(dir, 'corrupt.safetensors');
  writeFileSync(corrupt, readFileSync(join(FIXTURES, 'mlp.safetensors')).subarray(0, 100));
  assert.throws(() => loadFile(corrupt), check(/^.*corrupt\.safetensors: header length 344 bytes runs past the end of the file \(100 bytes/));
});
