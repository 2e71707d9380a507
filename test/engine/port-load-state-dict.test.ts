// What a PyTorch user might hand loadStateDict besides a plain object: a Map (PyTorch's state dict is an OrderedDict),
// another module, a file's path (torch.load's habit), null. A Map loads; the others are refused saying what to pass,
// where they gave JavaScript's TypeErrors or a misleading list of missing and unexpected keys.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nn, tensor, type Tensor } from '../../src/index.js';

const loose = <T>(v: unknown): T => v as T;

test('loadStateDict takes a Map of name → tensor, as the object it stands for', () => {
  const lin = new nn.Linear(3, 2);
  const state = new Map<string, Tensor>([['weight', tensor([[1, 2, 3], [4, 5, 6]])], ['bias', tensor([7, 8])]]);
  assert.deepEqual(lin.loadStateDict(state), { missingKeys: [], unexpectedKeys: [] });
  assert.deepEqual(lin.weight.tolist(), [[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(lin.bias!.tolist(), [7, 8]);
  assert.throws(() => lin.loadStateDict(new Map([['weight', tensor([[0, 0, 0], [0, 0, 0]])]])), { message: 'loadStateDict: Error(s) in loading state_dict for Linear: Missing key(s) in state_dict: "bias".' });
  assert.deepEqual(lin.loadStateDict(new Map([['bias', tensor([1, 1])]]), false), { missingKeys: ['weight'], unexpectedKeys: [] });
  assert.deepEqual(lin.bias!.tolist(), [1, 1]);
});

test('loadStateDict refuses a module, a path, null and arrays, saying what to pass', () => {
  const lin = new nn.Linear(3, 2);
  assert.throws(() => lin.loadStateDict(loose(new nn.Linear(3, 2))), {
    name: 'TypeError',
    message: 'loadStateDict: got a module (Linear), not a state dict: pass its stateDict(), model.loadStateDict(other.stateDict())',
  });
  assert.throws(() => lin.loadStateDict(loose('model.safetensors')), {
    name: 'TypeError',
    message: 'loadStateDict: got the path "model.safetensors", not a state dict: read the file first, model.loadStateDict(loadFile(path).tensors), or nn.loadWeights(model, path)',
  });
  for (const [v, what] of [[null, 'null'], [undefined, 'undefined'], [[1], 'an array'], [Object.entries(lin.stateDict()), 'an array'], [tensor([1]), 'a Tensor']] as const) {
    assert.throws(() => lin.loadStateDict(loose(v)), {
      name: 'TypeError',
      message: new RegExp(`^loadStateDict: expected a state dict \\(an object of name → Tensor, as stateDict\\(\\) returns\\), got ${what}`),
    });
  }
});
