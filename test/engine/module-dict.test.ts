// nn.ModuleDict registers its modules under their keys, in PyTorch's order (checked against PyTorch 1.13: a key
// set again keeps its place, a key deleted and set again goes last), and everything that walks the tree sees them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { manualSeed, nn, optim, tensor, type Tensor } from '../../src/index.js';

class TwoHeads extends nn.Module {
  body = new nn.Linear(3, 2);
  heads = new nn.ModuleDict({ digit: new nn.Linear(2, 2), odd: new nn.Linear(2, 1) });
  forward(x: Tensor): Tensor {
    return this.heads.get('digit').forward(this.body.forward(x).sigmoid());
  }
}

const keys = (m: nn.Module): string[] => m.namedParameters().map(([k]) => k);

test('a ModuleDict property registers its modules as heads.<key>.*, in insertion order, as PyTorch does', () => {
  const net = new TwoHeads();
  assert.deepEqual(keys(net), ['body.weight', 'body.bias', 'heads.digit.weight', 'heads.digit.bias', 'heads.odd.weight', 'heads.odd.bias']);
  assert.equal(net.parameters().length, 6);
  assert.deepEqual([...net.heads], ['digit', 'odd'], 'iterating gives the keys');
  assert.deepEqual([...net.heads.keys()], ['digit', 'odd']);
  assert.equal(net.heads.length, 2);
  assert.ok(net.heads.has('odd') && !net.heads.has('even'));
  assert.deepEqual([...net.heads.items()].map(([k, m]) => `${k}:${(m as nn.Linear).weight.shape.join('x')}`), ['digit:2x2', 'odd:1x2']);
  assert.deepEqual([...net.heads.values()], [net.heads.get('digit'), net.heads.get('odd')]);
  assert.equal(
    String(net),
    [
      'TwoHeads(',
      '  (body): Linear(in_features=3, out_features=2, bias=True)',
      '  (heads): ModuleDict(',
      '    (digit): Linear(in_features=2, out_features=2, bias=True)',
      '    (odd): Linear(in_features=2, out_features=1, bias=True)',
      '  )',
      ')',
    ].join('\n'),
  );
});

test('set keeps an existing key in its place; delete and pop remove it; set again puts it last', () => {
  const net = new TwoHeads();
  const replacement = new nn.Linear(2, 4);
  net.heads.set('digit', replacement);
  assert.deepEqual(keys(net).slice(2), ['heads.digit.weight', 'heads.digit.bias', 'heads.odd.weight', 'heads.odd.bias']);
  assert.equal(net.stateDict()['heads.digit.weight']!.shape[0], 4, 'the new module is the one registered');
  assert.ok(net.heads.delete('digit'));
  assert.equal(net.heads.delete('digit'), false);
  assert.deepEqual(keys(net), ['body.weight', 'body.bias', 'heads.odd.weight', 'heads.odd.bias']);
  net.heads.set('digit', new nn.Linear(2, 2));
  assert.deepEqual(keys(net).slice(2), ['heads.odd.weight', 'heads.odd.bias', 'heads.digit.weight', 'heads.digit.bias']);
  const odd = net.heads.get('odd');
  assert.equal(net.heads.pop('odd'), odd);
  assert.deepEqual([...net.heads], ['digit']);
  assert.deepEqual(keys(net), ['body.weight', 'body.bias', 'heads.digit.weight', 'heads.digit.bias']);
  net.heads.clear();
  assert.equal(net.heads.length, 0);
  assert.deepEqual(keys(net), ['body.weight', 'body.bias']);
});

test('ModuleDict takes a Map, [key, module] pairs or another ModuleDict; update adds in order', () => {
  const a = new nn.Linear(1, 1);
  const b = new nn.Linear(1, 2);
  for (const from of [new Map([['a', a], ['b', b]]), [['a', a], ['b', b]] as Array<[string, nn.Module]>, new nn.ModuleDict({ a, b })]) {
    const d = new nn.ModuleDict(from);
    assert.deepEqual([...d.items()], [['a', a], ['b', b]]);
  }
  const d = new nn.ModuleDict().update({ b }).update([['a', a]]);
  assert.deepEqual([...d], ['b', 'a']);
  assert.deepEqual(keys(d), ['b.weight', 'b.bias', 'a.weight', 'a.bias']);
});

test('training, zeroGrad, stateDict round trips and the optimizer reach the modules in a ModuleDict', () => {
  manualSeed(3);
  const net = new TwoHeads();
  const opt = new optim.SGD(net.parameters(), { lr: 0.5 });
  const before = net.heads.get('digit').stateDict()['weight']!.values();
  net.zeroGrad();
  net.forward(tensor([[1, 2, 3]])).sum().backward();
  opt.step();
  const after = net.heads.get('digit').stateDict()['weight']!.values();
  assert.ok(after.some((v, i) => v !== before[i]), 'the head inside the dict was trained');
  net.eval();
  assert.equal(net.heads.get('odd').training, false);

  const copy = new TwoHeads();
  copy.loadStateDict(net.stateDict());
  assert.deepEqual(copy.forward(tensor([[0.5, -1, 2]])).values(), net.forward(tensor([[0.5, -1, 2]])).values());
});

test('ModuleDict refuses bad keys, values and arguments, and a missing key names the keys there are', () => {
  const d = new nn.ModuleDict({ digit: new nn.Linear(1, 1) });
  assert.throws(() => d.get('nope'), /ModuleDict: no module under 'nope' \(keys: 'digit'\)/);
  assert.throws(() => d.pop('nope'), /no module under 'nope'/);
  assert.throws(() => d.set('a.b', new nn.Linear(1, 1)), /ModuleDict: a key must be a non-empty string without '\.', got the string "a\.b"/);
  assert.throws(() => d.set('', new nn.Linear(1, 1)), /a key must be a non-empty string/);
  assert.throws(() => d.set('x', tensor([1]) as unknown as nn.Module), /ModuleDict: the value under 'x' is not a Module \(a Tensor\)/);
  assert.throws(() => new nn.ModuleDict(new nn.Linear(1, 1) as unknown as Record<string, nn.Module>), /ModuleDict: expects a plain object, a Map or \[name, module\] pairs.*got a Linear/);
  assert.throws(() => new nn.ModuleDict([new nn.Linear(1, 1)] as unknown as Array<[string, nn.Module]>), /ModuleDict: entry 0 is not a \[name, module\] pair/);
  assert.throws(() => d.forward(tensor([1])), /ModuleDict has no forward\(\)/);
  assert.deepEqual([...d], ['digit'], 'a refused set leaves the dict as it was');
});
