// PyTorch's nn.Sequential(OrderedDict([...])), ported as a Map or an object of named modules, is refused with an
// error that says what Kindling's Sequential takes instead.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nn } from '../../src/index.js';

const loose = <T>(v: unknown): T => v as T;

test('Sequential of a Map or an object of named modules says to pass the modules themselves', () => {
  const named = new Map<string, nn.Module>([['hidden', new nn.Linear(1, 13)], ['act', new nn.Tanh()]]);
  assert.throws(() => new nn.Sequential(loose<nn.Module>(named)), {
    name: 'TypeError',
    message: /^Sequential: item 0 is a Map of named modules, as PyTorch's nn\.Sequential\(OrderedDict\(\.\.\.\)\); Kindling's Sequential names its modules 0, 1, …: pass them as arguments \(new Sequential\(\.\.\.map\.values\(\)\)\)/,
  });
  assert.throws(() => new nn.Sequential(new nn.ReLU(), loose<nn.Module>({ out: new nn.Linear(13, 1) })), {
    name: 'TypeError',
    message: /^Sequential: item 1 is an object of named modules/,
  });
  // What the message suggests works, and anything else is still "not a Module".
  const seq = new nn.Sequential(...named.values());
  assert.deepEqual(Object.keys(seq.stateDict()), ['0.weight', '0.bias']);
  assert.throws(() => new nn.Sequential(loose<nn.Module>({ p: 1 })), { message: 'Sequential: item 0 is not a Module' });
});
