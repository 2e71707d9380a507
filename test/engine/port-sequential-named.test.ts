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
    message: /^Sequential: item 1 is an object of named modules.*\(new Sequential\(\.\.\.Object\.values\(layers\)\)\)/,
  });
  // What the message suggests works, and anything else is still "not a Module".
  const seq = new nn.Sequential(...named.values());
  assert.deepEqual(Object.keys(seq.stateDict()), ['0.weight', '0.bias']);
  assert.throws(() => new nn.Sequential(loose<nn.Module>({ p: 1 })), { message: 'Sequential: item 0 is not a Module' });
});

test('pop on a Sequential or a ModuleList is refused, saying how to build the shorter one, which works', () => {
  const seq = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU(), new nn.Linear(3, 1));
  assert.throws(() => seq.pop(), {
    name: 'TypeError',
    message: "Sequential.pop: Kindling's Sequential cannot remove a module (its indices stay fixed); build a new one from the modules you keep: new nn.Sequential(...[...model].slice(0, -1))",
  });
  const list = new nn.ModuleList([new nn.Linear(2, 3), new nn.Tanh()]);
  assert.throws(() => list.pop(0), { name: 'TypeError', message: /^ModuleList\.pop: .*new nn\.ModuleList\(\[\.\.\.model\]\.slice\(0, -1\)\)$/ });
  // Nothing was removed, and the suggested forms give the shorter containers.
  assert.equal(seq.length, 3);
  assert.equal(list.length, 2);
  const shorter = new nn.Sequential(...[...seq].slice(0, -1));
  assert.deepEqual(Object.keys(shorter.stateDict()), ['0.weight', '0.bias']);
  assert.equal(new nn.ModuleList([...list].slice(0, -1)).length, 1);
});

test('pop on a subclass of Sequential names the subclass and suggests the container it is', () => {
  class Stack extends nn.Sequential {}
  assert.throws(() => new Stack(new nn.Tanh()).pop(), {
    name: 'TypeError',
    message: "Stack.pop: Kindling's Stack cannot remove a module (its indices stay fixed); build a new one from the modules you keep: new nn.Sequential(...[...model].slice(0, -1))",
  });
});
