import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import * as kindling from '../../src/index.js';
import { KindlingError, loadFile, manualSeed, nn, saveFile } from '../../src/index.js';

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

test('saveFile takes a Map as a dict and null metadata as None, and refuses what it would have saved wrongly', () => {
  const path = join(dir, 'map.safetensors');
  // A Map used to be saved as a file of no tensors, and a string of metadata as one entry per character.
  saveFile(path, new Map([['w', kindling.tensor([1, 2])]]), new Map([['epoch', '3']]));
  const back = loadFile(path);
  assert.deepEqual([Object.keys(back.tensors), back.tensors['w']!.tolist(), back.metadata], [['w'], [1, 2], { epoch: '3' }]);
  saveFile(path, { w: kindling.tensor([3]) }, null);
  assert.deepEqual(loadFile(path).metadata, {});
  const model = new nn.Linear(2, 1);
  assert.throws(() => saveFile(path, model as never), /saveFile: the tensors must be an object of name → value \(or a Map\), as in saveFile\(path, model.stateDict\(\)\), got a Linear: for a model, pass model.stateDict\(\)/);
  assert.throws(() => saveFile(path, kindling.ones(2) as never), /got a Tensor of shape \[2\]: name the tensor, as in \{ weight: w \}/);
  assert.throws(() => saveFile(path, [...model.parameters()] as never), /saveFile: the tensors must be an object .* got an array/);
  assert.throws(() => saveFile(path, null as never), /saveFile: the tensors must be an object .* got null/);
  assert.throws(() => saveFile(path, { w: kindling.ones(1) }, 'epoch 3' as never), /saveFile: the metadata must be an object of name → value \(or a Map\), as in saveFile\(path, tensors, \{ epoch: '3' \}\), got the string "epoch 3"/);
  assert.throws(() => saveFile(42 as never, {}), /saveFile: the path must be a file name \(a string or a file: URL\), got the number 42/);
  assert.throws(() => loadFile(undefined as never), /loadFile: the path must be a file name \(a string or a file: URL\), got undefined/);
  assert.throws(() => loadFile(new URL('https://example.com/w.safetensors')), /loadFile: a URL path must be a file: URL, got https:/);
  // A file: URL, as Node's fs takes one (new URL('./w.safetensors', import.meta.url)), names the file.
  const url = pathToFileURL(path);
  saveFile(url, { w: kindling.tensor([1, 2]) });
  assert.deepEqual(loadFile(url).tensors['w']!.tolist(), [1, 2]);
});

test('a weights-only file: nn.load says to use nn.loadWeights(model, path), and doing just that works', () => {
  manualSeed(3);
  const a = new nn.Sequential(new nn.Linear(4, 3), new nn.Sigmoid(), new nn.Linear(3, 2));
  const path = join(dir, 'weights-only.safetensors');
  saveFile(path, a.stateDict());
  assert.throws(() => nn.load(path), (err: unknown) => {
    assert.ok(err instanceof KindlingError);
    // The name the message gives is the one the package exports (nn.loadWeights; there is no top-level loadWeights).
    assert.ok(err.message.includes('build the model in code and load the weights with nn.loadWeights(model, path); model.save(path) writes a file that can be rebuilt'), err.message);
    return true;
  });
  assert.equal(typeof nn.loadWeights, 'function');
  assert.equal('loadWeights' in kindling, false);
  manualSeed(4);
  const b = new nn.Sequential(new nn.Linear(4, 3), new nn.Sigmoid(), new nn.Linear(3, 2));
  nn.loadWeights(b, path);
  for (const [k, v] of Object.entries(a.stateDict())) assert.deepEqual(b.stateDict()[k]!.toArray(), v.toArray(), k);
});

test('loadFile keeps a tensor named __proto__ as an entry, and the result an ordinary object', () => {
  const path = join(dir, 'proto.safetensors');
  const tensors: Record<string, kindling.Tensor> = {};
  Object.defineProperty(tensors, '__proto__', { value: kindling.tensor([1, 2]), enumerable: true });
  tensors['w'] = kindling.tensor([3]);
  saveFile(path, tensors);
  const back = loadFile(path).tensors;
  assert.deepEqual(Object.keys(back).sort(), ['__proto__', 'w']);
  assert.equal(Object.getPrototypeOf(back), Object.prototype);
  assert.deepEqual(Object.getOwnPropertyDescriptor(back, '__proto__')!.value.tolist(), [1, 2]);
});
