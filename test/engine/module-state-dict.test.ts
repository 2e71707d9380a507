// Module.stateDict's options, buffers of any tensor, and loadStateDict's 0-d rule and order of unexpected keys, as
// PyTorch 1.13's state_dict(prefix, keep_vars), register_buffer and load_state_dict (the expected values are what
// torch 1.13 gives for the same calls, checked by hand).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspect } from 'node:util';
import { nn, ones, tensor, type Tensor } from '../../src/index.js';
import { loose, throwsWith } from './throws.js';

test('stateDict({ prefix, keepVars }): the prefix put before every key as it is, the parameters and buffers themselves, as PyTorch\'s', () => {
  const lin = new nn.Linear(2, 2);
  // torch: state_dict(prefix='enc.') → enc.weight, enc.bias; prefix='enc' → encweight (no dot added).
  assert.deepEqual(Object.keys(lin.stateDict({ prefix: 'enc.' })), ['enc.weight', 'enc.bias']);
  assert.deepEqual(Object.keys(lin.stateDict({ prefix: 'enc' })), ['encweight', 'encbias']);
  assert.deepEqual(Object.keys(new nn.Sequential(new nn.BatchNorm1d(1)).stateDict({ prefix: 'a.' })), ['a.0.weight', 'a.0.bias', 'a.0.running_mean', 'a.0.running_var', 'a.0.num_batches_tracked']);
  const kept = lin.stateDict({ keepVars: true });
  assert.equal(kept.weight, lin.weight);
  assert.equal(kept.bias, lin.bias);
  assert.equal(kept.weight!.requiresGrad, true);
  const bn = new nn.BatchNorm1d(2);
  assert.equal(bn.stateDict({ keepVars: true }).running_mean, bn.getBuffer('running_mean'));
  // The default: detached tensors sharing the storage, as before.
  const plain = lin.stateDict();
  assert.notEqual(plain.weight, lin.weight);
  assert.equal(plain.weight!.requiresGrad, false);
  assert.deepEqual(plain.weight!.tolist(), lin.weight.tolist());
});

test('stateDict refuses unknown options and wrong types, naming them', () => {
  const lin = new nn.Linear(1, 1);
  throwsWith(() => lin.stateDict(loose({ keep_vars: true })), TypeError, 'stateDict: unknown option "keep_vars"', 'keepVars');
  throwsWith(() => lin.stateDict(loose({ destination: {} })), TypeError, 'stateDict: unknown option "destination"', 'Object.assign');
  throwsWith(() => lin.stateDict(loose({ prefix: 3 })), TypeError, 'stateDict: prefix must be a string, got the number 3');
  throwsWith(() => lin.stateDict(loose({ keepVars: 'yes' })), TypeError, 'stateDict: keepVars must be true or false');
  throwsWith(() => lin.stateDict(loose('enc.')), TypeError, 'stateDict: options must be an object of named options (prefix, keepVars)');
});

test('registerBuffer takes a tensor that requires grad and an nn.Parameter, as PyTorch: buffers, in stateDict, never in parameters()', () => {
  // torch: named_parameters → weight, bias; named_buffers → b; state_dict → weight, bias, b (b detached).
  const needs = ones([1], { requiresGrad: true });
  const lin = new nn.Linear(1, 1);
  assert.equal(lin.registerBuffer('b', needs), needs);
  assert.deepEqual(lin.namedParameters().map(([n]) => n), ['weight', 'bias']);
  assert.deepEqual(lin.namedBuffers().map(([n]) => n), ['b']);
  assert.deepEqual(Object.keys(lin.stateDict()), ['weight', 'bias', 'b']);
  assert.equal(lin.stateDict().b!.requiresGrad, false);
  assert.equal(lin.stateDict({ keepVars: true }).b, needs);
  const p = new nn.Parameter(ones([1]));
  const lin2 = new nn.Linear(1, 1);
  lin2.registerBuffer('b', p);
  assert.equal(loose<{ b: Tensor }>(lin2).b, p);
  assert.deepEqual(lin2.namedParameters().map(([n]) => n), ['weight', 'bias']);
  assert.deepEqual(lin2.buffers(), [p]);
  // Assigned to the name: a tensor that requires grad stays a buffer; a parameter replaces it, last among the
  // parameters (torch: named_parameters → weight, bias, b; named_buffers → none).
  loose<{ b: Tensor }>(lin2).b = ones([2], { requiresGrad: true });
  assert.deepEqual(lin2.namedBuffers().map(([n, t]) => [n, [...t.shape]]), [['b', [2]]]);
  const q = new nn.Parameter(ones([3]));
  loose<{ b: Tensor }>(lin2).b = q;
  assert.deepEqual(lin2.namedParameters().map(([n]) => n), ['weight', 'bias', 'b']);
  assert.deepEqual(lin2.namedBuffers(), []);
  assert.equal(loose<{ b: Tensor }>(lin2).b, q);
  // A buffer that requires grad loads as any other, and keeps requiring grad.
  const lin3 = new nn.Linear(1, 1);
  lin3.registerBuffer('b', ones([1], { requiresGrad: true }));
  lin3.loadStateDict({ ...lin3.stateDict(), b: tensor([5]) });
  assert.deepEqual(lin3.getBuffer('b')!.tolist(), [5]);
  assert.equal(lin3.getBuffer('b')!.requiresGrad, true);
});

test('loadStateDict puts a 1-d tensor\'s first element into a 0-d parameter or buffer, PyTorch 1.13\'s rule', () => {
  // torch: num_batches_tracked ← tensor([5]) gives 5; ← tensor([5, 7]) gives 5 too; c ← [4.] gives 4.
  const bn = new nn.BatchNorm1d(2);
  bn.loadStateDict({ ...bn.stateDict(), num_batches_tracked: tensor([5]) });
  assert.equal(bn.getBuffer('num_batches_tracked')!.item(), 5);
  bn.loadStateDict({ ...bn.stateDict(), num_batches_tracked: tensor([9, 7]) });
  assert.equal(bn.getBuffer('num_batches_tracked')!.item(), 9);
  class Scalars extends nn.Module {
    p = new nn.Parameter(tensor(3));
    constructor() {
      super();
      this.registerBuffer('c', tensor(2));
    }
    forward(x: Tensor): Tensor {
      return x;
    }
  }
  const s = new Scalars();
  s.loadStateDict({ p: tensor([9, 8]), c: tensor([4]) });
  assert.equal(s.p.item(), 9);
  assert.equal(s.getBuffer('c')!.item(), 4);
  // Other shapes stay mismatches (torch: [1, 1] into [] is a size mismatch; an empty [0] cannot give an element).
  throwsWith(() => s.loadStateDict({ p: tensor(1), c: tensor([[1]]) }), RangeError, 'size mismatch for c:', 'shape [1, 1]');
  throwsWith(() => s.loadStateDict({ p: tensor(1), c: tensor([]) }), RangeError, 'size mismatch for c:', 'shape [0]');
  // A 1-d parameter does not take a 0-d tensor (the rule goes one way only).
  throwsWith(() => new nn.Linear(1, 1).loadStateDict({ weight: tensor([[1]]), bias: tensor(1) }), RangeError, 'size mismatch for bias:');
});

test('unexpectedKeys come module by module as PyTorch\'s load walks the tree; the keys it ignores come last', () => {
  class Net extends nn.Module {
    fc = new nn.Linear(1, 1);
    enc = new nn.Sequential(new nn.Linear(1, 1));
    dec = this.enc;
    forward(x: Tensor): Tensor {
      return x;
    }
  }
  const one = ones([1]);
  const state = new Map<string, Tensor>([
    ['dec.0.q', one], ['fc.zzz', one], ['enc.0.zz', one], ['a', one], ['fc', one], ['fc.weight.x', one], ['enc.9.x', one],
  ]);
  // torch 1.13: ['a', 'fc.zzz', 'enc.9.x', 'enc.0.zz', 'dec.0.q'], and 'fc', 'fc.weight.x' in no list.
  assert.deepEqual(new Net().loadStateDict(state, false).unexpectedKeys, ['a', 'fc.zzz', 'enc.9.x', 'enc.0.zz', 'dec.0.q', 'fc', 'fc.weight.x']);
  class Small extends nn.Module {
    fc = new nn.Linear(1, 1);
    forward(x: Tensor): Tensor {
      return x;
    }
  }
  const keys = new Map([['fc.zzz', one], ['yyy', one], ['fc.weight', ones([1, 1])], ['fc.bias', one]]);
  assert.deepEqual(new Small().loadStateDict(keys, false).unexpectedKeys, ['yyy', 'fc.zzz']);
  throwsWith(() => new Small().loadStateDict(keys), RangeError, 'Unexpected key(s) in state_dict: "yyy", "fc.zzz"');
});

test('loadStateDict\'s result prints as PyTorch\'s _IncompatibleKeys', () => {
  // torch 1.13: print(m.load_state_dict(m.state_dict())) → <All keys matched successfully>; with strict=False and
  // OrderedDict([('0.weight', …), ('extra', …), ("it's", …)]) → _IncompatibleKeys(missing_keys=['0.bias'],
  // unexpected_keys=['extra', "it's"]).
  const m = new nn.Sequential(new nn.Linear(2, 2));
  assert.equal(String(m.loadStateDict(m.stateDict())), '<All keys matched successfully>');
  const r = m.loadStateDict(new Map([['0.weight', ones([2, 2])], ['extra', ones([1])], ["it's", ones([1])]]), false);
  assert.equal(String(r), `_IncompatibleKeys(missing_keys=['0.bias'], unexpected_keys=['extra', "it's"])`);
  assert.deepEqual(r, { missingKeys: ['0.bias'], unexpectedKeys: ['extra', "it's"] });
  // console.log shows the same; a tab and a control character as Python's repr writes them (torch 1.13:
  // _IncompatibleKeys(missing_keys=[], unexpected_keys=['t\tab\x01']).
  assert.equal(inspect(r), `_IncompatibleKeys(missing_keys=['0.bias'], unexpected_keys=['extra', "it's"])`);
  const l = new nn.Linear(1, 1);
  const t = l.loadStateDict({ ...l.stateDict(), 't\tab\x01': ones([1]) }, false);
  assert.equal(String(t), "_IncompatibleKeys(missing_keys=[], unexpected_keys=['t\\tab\\x01'])");
});
