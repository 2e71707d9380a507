// A name registered or set to null (PyTorch's None) keeps its kind, as PyTorch's _parameters / _modules entry does:
// registering null over it again is allowed, and `delete` removes the name. Registering null twice was refused as an
// existing attribute, and a deleted null registration stayed (printed `(a): None`, or refusing a plain tensor).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nn, ones, zeros, type Tensor } from '../../src/index.js';

class M extends nn.Module {
  [key: string]: unknown;
  forward(x: Tensor): Tensor {
    return x;
  }
  register(name: string, p: Tensor | null): Tensor | null {
    return this.registerParameter(name, p);
  }
}
const names = (m: nn.Module): string[] => m.namedParameters().map(([n]) => n);

test('registerParameter(name, null) and addModule(name, null) again over a member set to null, as PyTorch allows', () => {
  // torch 1.13: m.d = Parameter(ones(1)); m.register_parameter('d', None) twice → [] None M(); then m.d = Parameter(ones(2)) → ['d'].
  const m = new M();
  m.d = new nn.Parameter(ones(1));
  m.register('d', null);
  m.register('d', null);
  assert.deepEqual([names(m), m.d, String(m)], [[], null, 'M()']);
  m.d = new nn.Parameter(ones(2));
  assert.deepEqual(names(m), ['d']);
  // m.d = Linear(1, 1); m.add_module('d', None) twice → M(\n  (d): None\n); then add_module('d', Tanh()) → (d): Tanh().
  const k = new M();
  k.d = new nn.Linear(1, 1);
  k.addModule('d', null);
  k.addModule('d', null);
  assert.equal(String(k), 'M(\n  (d): None\n)');
  k.addModule('d', new nn.Tanh());
  assert.equal(String(k), 'M(\n  (d): Tanh()\n)');
});

test('delete removes a name registered as null, as PyTorch\'s del', () => {
  // torch 1.13: m.register_parameter('c', None); del m.c; m.c = zeros(2) → a plain attribute: [] [] tensor([0., 0.]).
  const m = new M();
  m.register('c', null);
  delete m.c;
  // JavaScript tells no one of a delete: it is seen when the members are next read (as a buffer's is).
  assert.deepEqual(names(m), []);
  m.c = zeros(2);
  assert.deepEqual([names(m), Object.keys(m.stateDict())], [[], []]);
  assert.deepEqual((m.c as Tensor).tolist(), [0, 0]);
  // m.add_module('a', None) prints (a): None; after del m.a, M() and hasattr(m, 'a') is False.
  const k = new M();
  k.addModule('a', null);
  assert.equal(String(k), 'M(\n  (a): None\n)');
  delete k.a;
  assert.equal(String(k), 'M()');
  assert.equal('a' in k, false);
  k.addModule('a', new nn.Tanh());
  assert.equal(String(k), 'M(\n  (a): Tanh()\n)');
});

test('a parameter put where a sub-module was registered as null takes the name out of the sub-modules, as PyTorch\'s __setattr__', () => {
  // torch 1.13: m.add_module('b', None); m.b = Parameter(ones(1)) → ['b'] M(); m.register_parameter('b', None) → M() [];
  // and add_module('b', None) after m.b = Parameter(…) → KeyError: "attribute 'b' already exists".
  const m = new M();
  m.addModule('b', null);
  m.b = new nn.Parameter(ones(1));
  assert.deepEqual([names(m), String(m)], [['b'], 'M()']);
  m.register('b', null);
  assert.deepEqual([names(m), String(m)], [[], 'M()']);
  const k = new M();
  k.addModule('b', null);
  k.b = new nn.Parameter(ones(1));
  assert.throws(() => k.addModule('b', null), { name: 'RangeError', message: "addModule: attribute 'b' already exists, as PyTorch says: choose another name" });
});
