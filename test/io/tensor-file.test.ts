import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import * as kindling from '../../src/index.js';
import { KindlingError, loadFile, manualSeed, nn, saveFile } from '../../src/index.js';
import { repoRoot } from '../shared.js';

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

test('a mask is saved as BOOL, as PyTorch saves a bool tensor (the Python writer\'s bytes exactly), and a BOOL tensor loads as a mask', () => {
  const fixture = join(repoRoot(), 'fixtures', 'safetensors', 'bool.safetensors');
  // fixtures/safetensors/make_fixtures.py: PyTorch's x > 0, True, an empty bool [0, 2], a bool vector and x itself.
  const x = kindling.tensor([[0.5, -1, 0], [2, -0.25, 3]]);
  const path = join(dir, 'masks.safetensors');
  saveFile(path, { mask: x.gt(0), flag: kindling.tensor(true), none: kindling.zeros(0, 2).bool(), 'a.mask': kindling.tensor([false, true, true, false, true]), weight: x }, { note: 'bool tensors' });
  assert.deepEqual(readFileSync(path), readFileSync(fixture));
  const { tensors } = loadFile(fixture);
  assert.deepEqual(Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, t.dtype])), { weight: 'float32', 'a.mask': 'bool', flag: 'bool', mask: 'bool', none: 'bool' });
  assert.equal(String(tensors['mask']), 'tensor([[ True, False, False],\n        [ True, False,  True]])');
  assert.deepEqual(tensors['a.mask']!.tolist(), [0, 1, 1, 0, 1]);
  // A mask selects, as PyTorch's x[mask] does.
  assert.deepEqual(x.index([tensors['mask']!]).tolist(), [0.5, 2, 3]);
});

test('a module\'s mask buffer round-trips through saveFile/loadFile and stays a mask; a float state dict loads into it cast to bool, as copy_ casts', () => {
  const make = () => {
    const m = new nn.Linear(2, 1);
    m.registerBuffer('keep', kindling.tensor([true, false, true]));
    return m;
  };
  const a = make();
  a.getBuffer('keep')!.copy_(kindling.tensor([0, 0.5, Number.NaN]));
  // PyTorch 1.13: keep.copy_(torch.tensor([0., 0.5, nan])) is tensor([False,  True,  True]).
  assert.equal(String(a.getBuffer('keep')), 'tensor([False,  True,  True])');
  const path = join(dir, 'buffer.safetensors');
  saveFile(path, a.stateDict());
  const b = make();
  b.loadStateDict(loadFile(path).tensors);
  assert.equal(String(b.getBuffer('keep')), 'tensor([False,  True,  True])');
  // PyTorch 1.13: load_state_dict({'keep': torch.tensor([2., 0., -0.5]), …}) into a bool buffer gives [True, False, True].
  b.loadStateDict({ ...a.stateDict(), keep: kindling.tensor([2, 0, -0.5]) });
  assert.equal(String(b.getBuffer('keep')), 'tensor([ True, False,  True])');
  assert.equal(b.getBuffer('keep')!.dtype, 'bool');
});

test('a file with a dtype Kindling cannot read is refused naming the file, the tensor and the dtype', () => {
  const path = join(dir, 'c64.safetensors');
  const json = Buffer.from('{"z":{"dtype":"C64","shape":[1],"data_offsets":[0,8]}}');
  const head = Buffer.alloc(8);
  head.writeBigUInt64LE(BigInt(json.length));
  writeFileSync(path, Buffer.concat([head, json, Buffer.alloc(8)]));
  assert.throws(() => loadFile(path), (e: Error) => e.message.startsWith(`${path}: tensor "z" has unsupported dtype "C64" (Kindling reads F32, F64, F16, BF16, I64, U64, I32, U32, I16, U16, I8, U8, BOOL)`));
});
