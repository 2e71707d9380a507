// PyTorch's nn.Sequential(OrderedDict([...])), ported as a Map or an object of named modules, is refused with an
// error that says what Kindling's Sequential takes instead.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nn, optim, tensor, type Tensor } from '../../src/index.js';

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

test('pop removes a module and renumbers the rest, as PyTorch 1.13 does; the indices past the new end are out of range', () => {
  const first = new nn.Linear(2, 3);
  const last = new nn.Linear(3, 1);
  const relu = new nn.ReLU();
  const seq = new nn.Sequential(first, relu, last);
  assert.equal(seq.pop(1), relu);
  // PyTorch 1.13: s.pop(1) returns the ReLU; state_dict keys ['0.weight', '0.bias', '1.weight', '1.bias'].
  assert.deepEqual(Object.keys(seq.stateDict()), ['0.weight', '0.bias', '1.weight', '1.bias']);
  assert.equal(seq.length, 2);
  assert.equal(seq[1], last);
  assert.equal(seq[-1], last);
  assert.equal(seq[-2], first);
  assert.equal(seq[2], undefined);
  assert.equal(seq[-3], undefined);
  assert.equal(String(seq), 'Sequential(\n  (0): Linear(in_features=2, out_features=3, bias=True)\n  (1): Linear(in_features=3, out_features=1, bias=True)\n)');
  assert.deepEqual(seq.forward(tensor([1, 2])).shape, [1]);
  assert.throws(() => {
    seq[2] = new nn.Tanh();
  }, { name: 'RangeError', message: /^Sequential: index 2 is out of range \(length 2\)/ });
  assert.throws(() => {
    seq[-3] = new nn.Tanh();
  }, { name: 'RangeError', message: /^Sequential: index -3 is out of range \(length 2\)/ });
  assert.equal(seq.length, 2, 'nothing was added by the refused writes');
  // An index freed by pop is a real index again once a module is appended.
  const sig = new nn.Sigmoid();
  seq.append(sig);
  assert.equal(seq[2], sig);
  assert.equal(seq[-1], sig);
  assert.equal(seq[-3], first);
  seq[2] = relu;
  assert.deepEqual([...seq], [first, last, relu]);
  assert.deepEqual(seq.namedChildren().map(([n, m]) => [n, m]), [['0', first], ['1', last], ['2', relu]]);
  // Without an index, the last one; negative indices count from the end.
  assert.equal(seq.pop(), relu);
  assert.equal(seq.pop(-2), first);
  assert.deepEqual(Object.keys(seq.stateDict()), ['0.weight', '0.bias']);
  assert.equal(seq.pop(0), last);
  assert.equal(String(seq), 'Sequential()');
  assert.throws(() => seq.pop(), { name: 'RangeError', message: 'Sequential.pop: index -1 is out of range for length 0 (it is empty)' });
  const list = new nn.ModuleList([new nn.Linear(2, 3), new nn.Tanh(), new nn.Linear(3, 1)]);
  assert.throws(() => list.pop(3), { name: 'RangeError', message: 'ModuleList.pop: index 3 is out of range for length 3 (0 to 2, or -3 to -1)' });
  assert.throws(() => list.pop(0.5), { name: 'TypeError', message: /^ModuleList\.pop: index must be an integer, got the number 0\.5/ });
  assert.equal(list.pop(1).constructor.name, 'Tanh');
  assert.deepEqual(Object.keys(list.stateDict()), ['0.weight', '0.bias', '1.weight', '1.bias']);
});

test('pop inside a model renumbers the parameters under its name, and the optimizer of the new parameters trains', () => {
  class Net extends nn.Module {
    layers = new nn.ModuleList([new nn.Linear(4, 4), new nn.Linear(4, 4), new nn.Linear(4, 2)]);
    forward(x: Tensor): Tensor {
      for (const layer of this.layers) x = layer.forward(x);
      return x;
    }
  }
  const net = new Net();
  const kept = net.layers[2]!;
  net.layers.pop(1);
  assert.deepEqual(net.namedParameters().map(([n]) => n), ['layers.0.weight', 'layers.0.bias', 'layers.1.weight', 'layers.1.bias']);
  assert.equal(net.layers[1], kept);
  const opt = new optim.SGD(net.parameters(), 0.1);
  const before = kept.stateDict()['weight']!.toArray().slice();
  net.forward(tensor([1, 2, 3, 4])).sum().backward();
  opt.step();
  assert.notDeepEqual([...kept.stateDict()['weight']!.toArray()], [...before]);
});

test('slice gives a container of the same kind holding the same modules (PyTorch model[a:b]), renumbered from 0', () => {
  const a = new nn.Linear(2, 3);
  const b = new nn.ReLU();
  const c = new nn.Linear(3, 1);
  const seq = new nn.Sequential(a, b, c);
  const tail = seq.slice(1);
  assert.ok(tail instanceof nn.Sequential);
  assert.deepEqual([...tail], [b, c]);
  // Renumbered: c is '1' here. PyTorch's Sequential slice keeps the names ('1', '2': its keys would be '2.weight',
  // '2.bias'); Kindling's Sequential names its modules 0, 1, ….
  assert.deepEqual(Object.keys(tail.stateDict()), ['1.weight', '1.bias']);
  assert.equal(tail[1], c);
  assert.deepEqual([...seq.slice(0, -1)], [a, b]);
  assert.deepEqual([...seq.slice(-1)], [c]);
  assert.equal(seq.slice(3).length, 0);
  assert.equal(seq.length, 3, 'the original keeps its modules');
  assert.equal(tail.forward(tensor([1, 2, 3])).shape[0], 1);
  const list = new nn.ModuleList([a, b, c]);
  const part = list.slice(0, 2);
  assert.ok(part instanceof nn.ModuleList);
  assert.deepEqual([...part], [a, b]);
  // A step, as PyTorch's model[0:4:2] (renumbered here too).
  const d = new nn.Tanh();
  const four = new nn.Sequential(a, b, c, d);
  assert.deepEqual([...four.slice(0, 4, 2)], [a, c]);
  assert.deepEqual([...four.slice(1, undefined, 2)], [b, d]);
  assert.deepEqual([...new nn.ModuleList([a, b, c]).slice(undefined, undefined, 2)], [a, c]);
  assert.throws(() => four.slice(0, 4, 0), { name: 'RangeError', message: /^Sequential\.slice: step must be 1 or more, got 0/ });
  const untyped = four as unknown as { slice(...a: unknown[]): unknown; pop(...a: unknown[]): unknown };
  assert.throws(() => untyped.slice(0, 4, 2, 1), { name: 'TypeError', message: /^Sequential\.slice: takes at most 3 arguments/ });
  assert.throws(() => untyped.pop(0, 1), { name: 'TypeError', message: /^Sequential\.pop: takes at most 1 argument/ });
  // A subclass's own forward would be lost in a plain Sequential: refused, saying how to build one.
  class Residual extends nn.Sequential {
    override forward(x: Tensor): Tensor {
      return x.add(super.forward(x));
    }
  }
  assert.throws(() => new Residual(new nn.Tanh()).slice(0), {
    name: 'TypeError',
    message: "Residual.slice: slicing a subclass of Sequential would give a plain Sequential, without Residual's own forward; build one from the modules: new Residual(...[...model].slice(start, end))",
  });
  assert.throws(() => seq.slice(0.5), { name: 'TypeError', message: /^Sequential\.slice: start must be an integer, got the number 0\.5/ });
  assert.throws(() => seq.slice(0, loose<number>('2')), { name: 'TypeError', message: /^Sequential\.slice: end must be an integer/ });
});
