// Module.getSubmodule, getParameter, getBuffer and addModule, as PyTorch's get_submodule, get_parameter, get_buffer and
// add_module: dotted paths through children, and PyTorch's messages (checked against torch 1.13 by hand: "Sequential
// has no attribute `foo`", "`in_features` is not an nn.Module", "`in_features` is not an nn.Parameter", "`weight` is
// not a buffer").
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nn, ones, zeros, type Tensor } from '../../src/index.js';

const model = (): nn.Sequential => new nn.Sequential(new nn.Linear(2, 3), new nn.Sequential(new nn.ReLU(), new nn.Linear(3, 1)));

test('getSubmodule and getParameter follow dotted paths, as PyTorch\'s', () => {
  const m = model();
  assert.equal(m.getSubmodule(''), m);
  assert.equal(m.getSubmodule('1.1'), (m as unknown as nn.Sequential[])[1]![1]);
  assert.equal(m.getParameter('1.1.weight'), ((m as unknown as nn.Sequential[])[1]![1] as nn.Linear).weight);
  assert.deepEqual([...m.getParameter('0.bias').shape], [3]);
  assert.equal(m.getParameter('0.bias'), ((m as unknown as nn.Linear[])[0]!).bias);
});

test("getSubmodule and getParameter refuse in PyTorch's words", () => {
  const m = model();
  assert.throws(() => m.getSubmodule('foo'), { message: 'Sequential has no attribute `foo`' });
  assert.throws(() => m.getSubmodule('1.foo'), { message: 'Sequential has no attribute `foo`' });
  assert.throws(() => m.getSubmodule('0.inFeatures'), { message: '`inFeatures` is not an nn.Module' });
  // A negative index is no attribute (PyTorch 1.13: "Sequential has no attribute `-1`"); a child's index is one.
  assert.throws(() => m.getSubmodule('-1'), { message: 'Sequential has no attribute `-1`' });
  assert.throws(() => m.getBuffer('-1'), { message: 'Sequential has no attribute `-1`' });
  assert.throws(() => m.getBuffer('0'), { message: '`0` is not a buffer' });
  assert.throws(() => m.getParameter('0.foo'), { message: 'Linear has no attribute `foo`' });
  assert.throws(() => m.getParameter('0.inFeatures'), { message: '`inFeatures` is not an nn.Parameter' });
  assert.throws(() => m.getParameter('3.weight'), { message: 'Sequential has no attribute `3`' });
});

test('addModule registers a child under a name, as PyTorch\'s add_module', () => {
  class Net extends nn.Module {
    forward(x: never): never { return x; }
  }
  const n = new Net();
  const lin = n.addModule('head', new nn.Linear(4, 2));
  assert.equal(n.getSubmodule('head'), lin);
  assert.deepEqual(Object.keys(n.stateDict()), ['head.weight', 'head.bias']);
  assert.match(String(n), /\(head\): Linear\(in_features=4, out_features=2, bias=True\)/);
});

test("getParameter and getBuffer say what PyTorch says of a parameter set to null, a parameter, a method and a missing name", () => {
  // torch 1.13: Linear(1, 1, bias=False).get_parameter('bias') → "`bias` is not an nn.Parameter" (the attribute is None);
  // Linear(1, 1).get_buffer('weight') → "`weight` is not a buffer"; Sequential().get_buffer('x.y') → "Sequential has
  // no attribute `x`"; get_buffer('forward') → "`forward` is not a buffer".
  assert.throws(() => new nn.Linear(1, 1, false).getParameter('bias'), { name: 'RangeError', message: '`bias` is not an nn.Parameter' });
  assert.throws(() => new nn.Linear(1, 1).getBuffer('weight'), { name: 'RangeError', message: '`weight` is not a buffer' });
  assert.throws(() => new nn.Sequential().getBuffer('x.y'), { message: 'Sequential has no attribute `x`' });
  assert.throws(() => model().getBuffer('0.forward'), { message: '`forward` is not a buffer' });
  assert.throws(() => model().getBuffer('1.1.nothing'), { message: 'Linear has no attribute `nothing`' });
  assert.throws(() => model().getBuffer('0.weight.x'), { message: '`weight` is not an nn.Module' });
  assert.equal(new nn.Sequential(new nn.BatchNorm1d(2)).getBuffer('0.running_mean')!.shape[0], 2);
});

test('addModule and registerModule take null, as PyTorch\'s None: the name printed `(act): None`, in no list, a module assigned later takes its place', () => {
  class Net extends nn.Module {
    fc = new nn.Linear(1, 1);
    constructor() {
      super();
      this.registerModule('gate', null);
    }
    forward(x: never): never { return x; }
  }
  const lin = new nn.Linear(1, 1);
  assert.equal(lin.addModule('act', null), null);
  // torch 1.13: repr ends "(act): None"; named_modules → [''], children → [], state_dict → weight, bias.
  assert.equal(String(lin), 'Linear(\n  in_features=1, out_features=1, bias=True\n  (act): None\n)');
  assert.deepEqual(lin.namedModules().map(([n]) => n), ['']);
  assert.deepEqual(lin.children(), []);
  assert.deepEqual(Object.keys(lin.stateDict()), ['weight', 'bias']);
  assert.throws(() => lin.getSubmodule('act'), { message: '`act` is not an nn.Module' });
  const net = new Net();
  assert.equal(String(net), 'Net(\n  (fc): Linear(in_features=1, out_features=1, bias=True)\n  (gate): None\n)');
  (net as unknown as { gate: nn.Module }).gate = new nn.ReLU();
  assert.deepEqual(net.namedChildren().map(([n]) => n), ['fc', 'gate']);
  assert.equal(String(net), 'Net(\n  (fc): Linear(in_features=1, out_features=1, bias=True)\n  (gate): ReLU()\n)');
  assert.throws(() => lin.addModule('act', 3 as never), { name: 'TypeError', message: /addModule: the number 3 is not a Module subclass/ });
  assert.throws(() => lin.addModule('weight', null), { name: 'RangeError', message: /attribute 'weight' already exists/ });
});

test('a member registered by addModule, registerModule or registerParameter is read, replaced and deleted under its name, as PyTorch\'s attributes', () => {
  // torch 1.13: after m.add_module('head', lin), m.head is lin; m.register_parameter('w', p) → m.w is p;
  // register_parameter('b', None) → m.b is None; `del m.head` → named_children and state_dict without it;
  // m.head = other → the child replaced in its place.
  class Net extends nn.Module {
    constructor() {
      super();
      this.registerParameter('w', new nn.Parameter(ones([2])));
      this.registerParameter('b', null);
      this.registerModule('body', new nn.ReLU());
    }
    forward(x: Tensor): Tensor { return x; }
  }
  const n = new Net() as Net & { w: Tensor; b: Tensor | null; body: nn.Module; head: nn.Module };
  const lin = n.addModule('head', new nn.Linear(2, 1));
  assert.equal(n.head, lin);
  assert.equal(n.w, n.getParameter('w'));
  assert.equal(n.b, null);
  assert.ok(n.body instanceof nn.ReLU);
  const other = new nn.Linear(2, 3);
  n.head = other;
  assert.deepEqual(n.namedChildren(), [['body', n.body], ['head', other]]);
  delete (n as Partial<typeof n>).body;
  assert.deepEqual(n.namedChildren().map(([name]) => name), ['head']);
  delete (n as Partial<typeof n>).w;
  assert.deepEqual(Object.keys(n.stateDict()), ['head.weight', 'head.bias']);
  n.b = new nn.Parameter(zeros([1]));
  assert.deepEqual(n.namedParameters().map(([name]) => name), ['b', 'head.weight', 'head.bias']);
});

test('an index just past a Sequential\'s end is no attribute, as PyTorch says', () => {
  // torch 1.13: Sequential(Linear, Sequential(ReLU)).get_submodule('2') → "Sequential has no attribute `2`";
  // Sequential(BatchNorm1d(2)).get_buffer('1.running_mean') → "Sequential has no attribute `1`".
  assert.throws(() => model().getSubmodule('2'), { name: 'RangeError', message: 'Sequential has no attribute `2`' });
  assert.throws(() => new nn.Sequential(new nn.BatchNorm1d(2)).getBuffer('1.running_mean'), { message: 'Sequential has no attribute `1`' });
  assert.throws(() => model().getParameter('2.weight'), { message: 'Sequential has no attribute `2`' });
});

test('namedModules({ removeDuplicate: false }) lists a module under every name it is held under, as PyTorch\'s named_modules(remove_duplicate=False)', () => {
  // torch 1.13, l = Linear(2, 2): Sequential(l, ReLU(), Sequential(l)).named_modules(remove_duplicate=False) → '', '0',
  // '1', '2', '2.0' (with prefix='x': 'x', 'x.0', …); Sequential(l, ReLU(), l) → '', '0', '1', '2'; the default
  // lists l once: '', '0', '1', '2'.
  const l = new nn.Linear(2, 2);
  const m = new nn.Sequential(l, new nn.ReLU(), new nn.Sequential(l));
  assert.deepEqual(m.namedModules({ removeDuplicate: false }).map(([n]) => n), ['', '0', '1', '2', '2.0']);
  assert.deepEqual(m.namedModules({ prefix: 'x', removeDuplicate: false }).map(([n]) => n), ['x', 'x.0', 'x.1', 'x.2', 'x.2.0']);
  assert.deepEqual(m.namedModules().map(([n]) => n), ['', '0', '1', '2']);
  const twice = new nn.Sequential(l, new nn.ReLU(), l);
  assert.deepEqual(twice.namedModules({ removeDuplicate: false }).map(([n, x]) => [n, x === l]), [['', false], ['0', true], ['1', false], ['2', true]]);
  assert.throws(() => m.namedModules({ removeDuplicate: 1 as never }), { name: 'TypeError', message: /namedModules: removeDuplicate must be true or false/ });
  // A second argument is refused, not ignored (the flag is named: PyTorch's second positional is prefix, after memo).
  assert.throws(() => (m.namedModules as (...a: unknown[]) => unknown)('', false), { name: 'TypeError', message: /namedModules: takes at most 1 argument \(namedModules\(prefix\) or namedModules\(\{ prefix: 'enc', removeDuplicate: false \}\)\), got false as argument 2/ });
  assert.throws(() => (m.modules as (...a: unknown[]) => unknown)(false), { name: 'TypeError', message: /modules: takes no arguments/ });
  assert.throws(() => (m.children as (...a: unknown[]) => unknown)(1), { name: 'TypeError', message: /children: takes no arguments/ });
  assert.throws(() => (m.namedChildren as (...a: unknown[]) => unknown)('x'), { name: 'TypeError', message: /namedChildren: takes no arguments/ });
});

test('registered members keep PyTorch\'s order, whole-number names included, and delete then assign behaves as del then setattr', () => {
  // torch 1.13: embed = Linear; add_module('0'..'2'); head = Linear; tail = ReLU; register_buffer('mask') → children
  // embed, 0, 1, 2, head, tail; state_dict keys mask, embed.*, 0.*, 1.*, 2.*, head.*
  class Net extends nn.Module {
    declare embed: nn.Module;
    declare head: nn.Module;
    declare tail: nn.Module;
    constructor() {
      super();
      this.embed = new nn.Linear(2, 3);
      for (let i = 0; i < 3; i++) this.addModule(String(i), new nn.Linear(3, 3));
      this.head = new nn.Linear(3, 1);
      this.tail = new nn.ReLU();
      this.registerBuffer('mask', ones([1]));
    }
    drop(name: string): boolean { return this.unregisterModule(name); }
    forward(x: Tensor): Tensor { return x; }
  }
  const n = new Net() as Net & { mask: Tensor };
  assert.deepEqual(n.namedChildren().map(([name]) => name), ['embed', '0', '1', '2', 'head', 'tail']);
  assert.deepEqual(Object.keys(n.stateDict()), ['mask', 'embed.weight', 'embed.bias', '0.weight', '0.bias', '1.weight', '1.bias', '2.weight', '2.bias', 'head.weight', 'head.bias']);
  // del m.head; m.head = Linear(3, 2): the child goes last, after tail
  delete (n as Partial<Net>).head;
  n.head = new nn.Linear(3, 2);
  assert.deepEqual(n.namedChildren().map(([name]) => name).slice(-2), ['tail', 'head']);
  // del m.mask; m.mask = zeros(2): a plain attribute, no buffer
  delete (n as Partial<typeof n>).mask;
  n.mask = zeros([2]);
  assert.deepEqual(n.namedBuffers(), []);
  assert.ok(!('mask' in n.stateDict()));
  // a module registered by addModule under a word is removed by unregisterModule
  n.addModule('extra', new nn.Linear(1, 1));
  assert.equal(n.drop('extra'), true);
  assert.ok(!n.namedChildren().some(([name]) => name === 'extra'));
  assert.equal((n as unknown as { extra?: unknown }).extra, undefined);
});
