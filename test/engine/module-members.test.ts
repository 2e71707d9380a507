// Modules and parameters held in properties are members, as PyTorch registers them on assignment: names, order,
// aliases, reassignment, arrays and ModuleList, cycles, and everything that walks the tree (train, zeroGrad, print).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadFile, manualSeed, nn, optim, saveFile, tensor, zeros, type Tensor } from '../../src/index.js';

/** The chapter's network written the PyTorch way: layers assigned as properties, nothing registered. */
class Net extends nn.Module {
  fc1: nn.Linear;
  act: nn.Sigmoid;
  fc2: nn.Linear;
  constructor() {
    super();
    this.fc1 = new nn.Linear(6, 4);
    this.act = new nn.Sigmoid();
    this.fc2 = new nn.Linear(4, 3);
  }
  forward(x: Tensor): Tensor {
    return this.fc2.forward(this.act.forward(this.fc1.forward(x)));
  }
}

/** The same network as a Sequential, drawn from the same seed: the same weights under keys 0.* and 2.*. */
const sequentialTwin = (): nn.Sequential => new nn.Sequential(new nn.Linear(6, 4), new nn.Sigmoid(), new nn.Linear(4, 3));

const names = (m: nn.Module): string[] => m.namedParameters().map(([n]) => n);
const x = tensor([[0.5, -1, 2, 0, 0.25, -0.5], [1, 1, 0, -2, 0, 0.75]]);

test('layers assigned as properties are registered, in assignment order, under PyTorch\'s keys', () => {
  manualSeed(0);
  const net = new Net();
  assert.deepEqual(names(net), ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']);
  assert.deepEqual(Object.keys(net.stateDict()), ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']);
  assert.deepEqual(net.namedChildren().map(([n, m]) => `${n}:${m.constructor.name}`), ['fc1:Linear', 'act:Sigmoid', 'fc2:Linear']);
  assert.deepEqual(net.children(), [net.fc1, net.act, net.fc2]);
  assert.deepEqual(net.parameters(), [net.fc1.weight, net.fc1.bias, net.fc2.weight, net.fc2.bias]);
  // The values are the Sequential's (same seed, same draws), key for key.
  manualSeed(0);
  const twin = sequentialTwin().stateDict();
  const mine = net.stateDict();
  for (const [a, b] of [['fc1.weight', '0.weight'], ['fc1.bias', '0.bias'], ['fc2.weight', '2.weight'], ['fc2.bias', '2.bias']] as const) {
    assert.deepEqual(mine[a]!.tolist(), twin[b]!.tolist(), a);
  }
  assert.equal(
    String(net),
    'Net(\n  (fc1): Linear(in_features=6, out_features=4, bias=True)\n  (act): Sigmoid()\n  (fc2): Linear(in_features=4, out_features=3, bias=True)\n)',
  );
});

test('an optimizer built from a property-registered model trains it exactly as the Sequential twin', () => {
  manualSeed(3);
  const net = new Net();
  manualSeed(3);
  const twin = sequentialTwin();
  const target = tensor([[1, 0, 0], [0, 0, 1]]);
  const lossFn = new nn.MSELoss();
  for (const [model, opt] of [[net, new optim.Adam(net.parameters(), { lr: 0.05 })], [twin, new optim.Adam(twin.parameters(), { lr: 0.05 })]] as const) {
    for (let i = 0; i < 3; i++) {
      opt.zeroGrad();
      lossFn.forward(model.forward(x), target).backward();
      opt.step();
    }
  }
  const before = sequentialTwin(); // fresh weights, for contrast
  assert.deepEqual(net.parameters().map((p) => [...p.toArray()]), twin.parameters().map((p) => [...p.toArray()]));
  assert.notDeepEqual(net.parameters().map((p) => [...p.toArray()]), before.parameters().map((p) => [...p.toArray()]));
  assert.deepEqual(net.forward(x).tolist(), twin.forward(x).tolist());
});

test('train/eval, zeroGrad and loadStateDict reach the property-registered layers; a saved state dict loads back', () => {
  manualSeed(1);
  const net = new Net();
  net.eval();
  assert.deepEqual([net, net.fc1, net.act, net.fc2].map((m) => m.training), [false, false, false, false]);
  net.train();
  assert.deepEqual([net, net.fc1, net.act, net.fc2].map((m) => m.training), [true, true, true, true]);

  net.forward(x).sum().backward();
  assert.ok(net.fc1.weight.grad!.toArray().some((v) => v !== 0), 'backward filled the gradient');
  net.zeroGrad();
  assert.ok([net.fc1.weight, net.fc1.bias!, net.fc2.weight, net.fc2.bias!].every((p) => p.grad!.toArray().every((v) => v === 0)));

  const dir = mkdtempSync(join(tmpdir(), 'kindling-members-'));
  try {
    const path = join(dir, 'net.safetensors');
    saveFile(path, net.stateDict());
    manualSeed(2);
    const other = new Net();
    assert.notDeepEqual(other.forward(x).tolist(), net.forward(x).tolist());
    const { tensors } = loadFile(path);
    assert.deepEqual(Object.keys(tensors).sort(), ['fc1.bias', 'fc1.weight', 'fc2.bias', 'fc2.weight']);
    assert.deepEqual(other.loadStateDict(tensors), { missingKeys: [], unexpectedKeys: [] });
    assert.deepEqual(other.forward(x).tolist(), net.forward(x).tolist());
    assert.throws(() => other.loadStateDict({ ...tensors, 'fc3.weight': tensor([1]) }), /Unexpected key\(s\) in state_dict: "fc3\.weight"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an nn.Parameter held in a property is a parameter (own parameters first, as in PyTorch); other tensors are not', () => {
  class Scaled extends nn.Module {
    fc = new nn.Linear(2, 2);
    scale = new nn.Parameter(tensor([2]));
    offset = tensor([1]); // no requiresGrad: a constant, not a parameter
    input: Tensor | null = null; // an input kept for a saliency map: requires grad, but not a parameter
    last: Tensor | null = null; // an activation kept for inspection: not a leaf, not a parameter
    forward(input: Tensor): Tensor {
      this.last = this.fc.forward(input).mul(this.scale).add(this.offset);
      return this.last;
    }
  }
  const m = new Scaled();
  m.input = tensor([1, 2], { requiresGrad: true });
  m.forward(m.input);
  assert.ok(m.last!.requiresGrad && !m.last!.isLeaf);
  assert.ok(m.scale.requiresGrad && m.scale.isLeaf);
  assert.deepEqual(names(m), ['scale', 'fc.weight', 'fc.bias']);
  assert.deepEqual(m.stateDict()['scale']!.tolist(), [2]);
  // Frozen after it was seen, it stays a parameter (as an nn.Parameter with requires_grad=False does).
  m.scale.requiresGrad = false;
  assert.deepEqual(names(m), ['scale', 'fc.weight', 'fc.bias']);
  m.fc.weight.requiresGrad = false;
  assert.deepEqual(names(m), ['scale', 'fc.weight', 'fc.bias']);
});

test('explicit registration keeps its names and its place among the properties; an alias is a member under both names, counted once by children and parameters (PyTorch 1.13)', () => {
  // `declare`d fields are own properties only once assigned, so their place is the order of assignment, as in
  // PyTorch (a plain declared field would have its declaration's place: see the class-fields test below).
  class Mixed extends nn.Module {
    declare a: nn.Linear;
    declare c: nn.Linear;
    declare alias: nn.Linear;
    constructor() {
      super();
      this.a = new nn.Linear(1, 1);
      this.registerModule('b', new nn.Linear(1, 1));
      this.c = this.registerModule('registered', new nn.Linear(1, 1)); // a property aliasing a registered module
      this.alias = this.a; // a property aliasing an earlier property
    }
    forward(input: Tensor): Tensor {
      return input;
    }
  }
  const m = new Mixed();
  assert.deepEqual(m.namedChildren().map(([n]) => n), ['a', 'b', 'registered']);
  assert.deepEqual(names(m), ['a.weight', 'a.bias', 'b.weight', 'b.bias', 'registered.weight', 'registered.bias']);
  assert.equal(m.parameters().length, 6);
  // PyTorch: state_dict lists the aliases too, and print shows all five.
  assert.deepEqual(Object.keys(m.stateDict()), ['a.weight', 'a.bias', 'b.weight', 'b.bias', 'registered.weight', 'registered.bias', 'c.weight', 'c.bias', 'alias.weight', 'alias.bias']);
  assert.equal(String(m).match(/\(\w+\): Linear/g)!.length, 5);
  // One layer held twice (tied encoder and decoder), and a parameter held twice, as PyTorch lists them.
  class Tied extends nn.Module {
    enc = new nn.Linear(2, 2);
    mid = new nn.Tanh();
    dec = this.enc;
    forward(x: Tensor): Tensor {
      return this.dec.forward(this.mid.forward(this.enc.forward(x)));
    }
  }
  const t = new Tied();
  assert.deepEqual(Object.keys(t.stateDict()), ['enc.weight', 'enc.bias', 'dec.weight', 'dec.bias']);
  assert.deepEqual(names(t), ['enc.weight', 'enc.bias']);
  assert.deepEqual(t.namedChildren().map(([n]) => n), ['enc', 'mid']);
  assert.equal(String(t), 'Tied(\n  (enc): Linear(in_features=2, out_features=2, bias=True)\n  (mid): Tanh()\n  (dec): Linear(in_features=2, out_features=2, bias=True)\n)');
  const state = t.stateDict();
  state['dec.weight'] = zeros(2, 2);
  t.loadStateDict(state);
  assert.deepEqual([...t.enc.weight.toArray()], [0, 0, 0, 0], 'loading a PyTorch state dict of it: the last name wins');
  class Twice extends nn.Module {
    a = new nn.Parameter(tensor([1]));
    b = this.a;
    forward(x: Tensor): Tensor {
      return x.mul(this.a);
    }
  }
  const tw = new Twice();
  assert.deepEqual(Object.keys(tw.stateDict()), ['a', 'b']);
  assert.deepEqual(names(tw), ['a']);
  assert.equal(tw.parameters().length, 1);
  // Sequential (registered by index) keeps its keys; a subclass's own layers come after its items.
  class WithHead extends nn.Sequential {
    head = new nn.Linear(2, 1);
  }
  const w = new WithHead(new nn.Linear(3, 2), new nn.ReLU());
  assert.deepEqual(names(w), ['0.weight', '0.bias', 'head.weight', 'head.bias']);
  assert.deepEqual(w.forward(tensor([1, 2, 3])).shape, [2], 'Sequential.forward runs its items only');
});

test('with TypeScript class fields, order follows the field declarations (they are defined before the constructor body)', () => {
  class Declared extends nn.Module {
    second: nn.Linear;
    first: nn.Linear;
    constructor() {
      super();
      this.first = new nn.Linear(1, 1);
      this.second = new nn.Linear(1, 1);
    }
    forward(input: Tensor): Tensor {
      return input;
    }
  }
  assert.deepEqual(new Declared().namedChildren().map(([n]) => n), ['second', 'first']);
});

test('reassigning or adding a property later is seen: the new layer replaces the old one in place', () => {
  const net = new Net();
  assert.deepEqual(net.parameters().map((p) => p.shape), [[4, 6], [4], [3, 4], [3]]);
  net.fc2 = new nn.Linear(4, 5);
  assert.deepEqual(names(net), ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']);
  assert.deepEqual(net.parameters().map((p) => p.shape), [[4, 6], [4], [5, 4], [5]]);
  assert.equal(net.children()[2], net.fc2);
  (net as Net & { extra?: nn.Module }).extra = new nn.LayerNorm(5);
  assert.deepEqual(names(net).slice(4), ['extra.weight', 'extra.bias']);
  // The same for a property that shadows an explicit registration (a layer a library registered by name).
  class Registered extends nn.Module {
    readonly fc = this.registerModule('fc', new nn.Linear(2, 2));
    forward(input: Tensor): Tensor {
      return this.fc.forward(input);
    }
  }
  const r = new Registered();
  const replacement = new nn.Linear(2, 7);
  (r as { fc: nn.Linear }).fc = replacement;
  assert.deepEqual(r.children(), [replacement]);
  assert.deepEqual(r.stateDict()['fc.weight']!.shape, [7, 2]);
});

test('an array or plain object of layers is a clear error pointing to ModuleList; ModuleList registers them', () => {
  class Listed extends nn.Module {
    layers = [new nn.Linear(3, 2), new nn.Linear(2, 1)];
    forward(input: Tensor): Tensor {
      return input;
    }
  }
  const listed = new Listed();
  for (const call of [() => listed.parameters(), () => listed.stateDict(), () => listed.train(), () => String(listed)]) {
    assert.throws(call, (e: unknown) => {
      assert.ok(e instanceof TypeError);
      assert.match(e.message, /^Listed\.layers is an array holding modules \(layers\[0\] is a Linear\) that are not registered/);
      assert.match(e.message, /does not look inside arrays/);
      assert.match(e.message, /new nn\.ModuleList\(\[\.\.\.\]\), keys "layers\.0\.weight"/);
      return true;
    });
  }
  class Keyed extends nn.Module {
    heads = { cls: new nn.Linear(2, 2) };
    forward(input: Tensor): Tensor {
      return input;
    }
  }
  assert.throws(() => new Keyed().parameters(), /Keyed\.heads is a plain object holding modules \(heads\.cls is a Linear\).*new nn\.ModuleDict\(\{ \.\.\. \}\), keys "heads\.cls\.weight".*this\.cls = …/);
  class Params extends nn.Module {
    weights = [new nn.Parameter(tensor([1]))];
    forward(input: Tensor): Tensor {
      return input;
    }
  }
  assert.throws(() => new Params().parameters(), /Params\.weights is an array holding parameters \(weights\[0\] is an nn\.Parameter\).*registerParameter/);

  // Arrays of numbers, arrays of registered layers and #private arrays are fine.
  class Fine extends nn.Module {
    sizes = [3, 2];
    blocks: nn.Linear[];
    readonly #hidden = [new nn.Linear(5, 5)];
    constructor() {
      super();
      this.blocks = [this.registerModule('block0', new nn.Linear(3, 2))];
    }
    forward(input: Tensor): Tensor {
      return this.#hidden[0]!.forward(input);
    }
  }
  assert.deepEqual(names(new Fine()), ['block0.weight', 'block0.bias']);

  class Deep extends nn.Module {
    layers = new nn.ModuleList([new nn.Linear(3, 2), new nn.Linear(2, 1)]);
    forward(input: Tensor): Tensor {
      let h = input;
      for (const layer of this.layers) h = layer.forward(h);
      return h;
    }
  }
  const deep = new Deep();
  assert.deepEqual(names(deep), ['layers.0.weight', 'layers.0.bias', 'layers.1.weight', 'layers.1.bias']);
  assert.equal(deep.layers.length, 2);
  assert.equal(deep.layers.at(-1), deep.layers.at(1));
  const out = deep.forward(tensor([1, 2, 3]));
  const by = deep.layers.at(1).forward(deep.layers.at(0).forward(tensor([1, 2, 3])));
  assert.deepEqual(out.tolist(), by.tolist());
  deep.layers.append(new nn.Tanh()).extend([new nn.Linear(1, 1)]);
  assert.deepEqual(names(deep).slice(4), ['layers.3.weight', 'layers.3.bias']);
  assert.equal(String(deep.layers).split('\n')[0], 'ModuleList(');
  assert.throws(() => deep.layers.forward(tensor([1])), /ModuleList has no forward\(\): call its modules in your module's forward/);
  assert.throws(() => new nn.ModuleList(new nn.Linear(1, 1) as unknown as nn.Module[]), /ModuleList: expects an array \(or other iterable\) of modules/);
  assert.throws(() => new nn.ModuleList([1 as unknown as nn.Module]), /ModuleList: item 0 is not a Module/);
});

test('a module that refers back to a module containing it is a clear error, not an endless walk', () => {
  class Child extends nn.Module {
    owner: nn.Module | null = null;
    forward(input: Tensor): Tensor {
      return input;
    }
  }
  class Parent extends nn.Module {
    fc1 = new Child();
    forward(input: Tensor): Tensor {
      return input;
    }
  }
  const p = new Parent();
  p.fc1.owner = p;
  const cycle = /^Error: module cycle: Parent\.fc1\.owner is the Parent that contains it\. .*#private field.*Object\.defineProperty\(this, 'owner', \{ value: parent, enumerable: false \}\)/;
  const walks = [() => p.parameters(), () => p.namedParameters(), () => p.zeroGrad(), () => p.train(), () => p.eval(), () => String(p)];
  for (const call of [...walks, () => p.modules(), () => p.namedModules(), () => p.apply(() => undefined)]) {
    assert.throws(call, (e: unknown) => cycle.test(String(e)));
  }
  assert.throws(() => p.fc1.parameters(), /module cycle: Child\.owner\.fc1 is the Child that contains it/);
  // A back-reference the scan cannot see is fine.
  p.fc1.owner = null;
  Object.defineProperty(p.fc1, 'parent', { value: p, enumerable: false });
  assert.deepEqual(p.namedChildren().map(([n]) => n), ['fc1']);
  assert.equal(p.eval(), p);
  // The name that held the parent stays, as None, as `_modules['owner'] = None` does in PyTorch.
  assert.equal(String(p), 'Parent(\n  (fc1): Child(\n    (owner): None\n  )\n)');
  class Selfish extends nn.Module {
    me: nn.Module = this;
    forward(input: Tensor): Tensor {
      return input;
    }
  }
  assert.throws(() => new Selfish().train(), /module cycle: Selfish\.me is the Selfish that contains it/);
});

test('declared class fields do not change the order: registered members keep their own field\'s place', () => {
  class P extends nn.Module {
    w: Tensor;
    b: Tensor;
    constructor() {
      super();
      this.w = this.registerParameter('w', new nn.Parameter(zeros(2)));
      this.b = new nn.Parameter(tensor([0, 0]));
    }
    forward(input: Tensor): Tensor {
      return input;
    }
  }
  assert.deepEqual(names(new P()), ['w', 'b']);
  class Q extends nn.Module {
    fc1: nn.Linear;
    fc2: nn.Linear;
    constructor() {
      super();
      this.fc1 = this.registerModule('fc1', new nn.Linear(2, 2));
      this.fc2 = new nn.Linear(2, 1);
    }
    forward(input: Tensor): Tensor {
      return input;
    }
  }
  assert.deepEqual(names(new Q()), ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']);
});

test('an array the module appends to at every step does not slow its calls: it is looked into when it is assigned', () => {
  class Logged extends nn.Module {
    fc = new nn.Linear(2, 2);
    history: Tensor[] = [];
    forward(input: Tensor): Tensor {
      return this.fc.forward(input);
    }
  }
  const m = new Logged();
  assert.equal(m.parameters().length, 2);
  for (let i = 0; i < 20_000; i++) m.history.push(tensor([i]));
  // The same array object: not scanned again (a scan of 20,000 items per call is what this guards against).
  let scanned = 0;
  const spy = new Proxy(m.history, { get: (t, k, r) => { if (k === 'map' || k === 'length') scanned++; return Reflect.get(t, k, r) as unknown; } });
  m.history = spy;
  m.parameters();
  const afterAssign = scanned;
  m.parameters();
  m.zeroGrad();
  assert.equal(scanned, afterAssign, 'no further look into the array');
  assert.deepEqual(names(m), ['fc.weight', 'fc.bias']);
});

test('a registered member set to null is gone, as assigning None removes it in PyTorch', () => {
  const lin = new nn.Linear(3, 2);
  (lin as { bias: Tensor | null }).bias = null;
  assert.deepEqual(names(lin), ['weight']);
  assert.deepEqual(Object.keys(lin.stateDict()), ['weight']);
  assert.deepEqual(lin.forward(tensor([1, 2, 3])).shape, [2]);
});

test('a sub-module set to null keeps its place, printed (b): None as in PyTorch, and is not a child', () => {
  class Three extends nn.Module {
    a = new nn.Linear(2, 2);
    b: nn.Module | null = new nn.ReLU();
    c = new nn.Tanh();
    forward(x: Tensor): Tensor {
      return x;
    }
  }
  const m = new Three();
  assert.deepEqual(m.namedChildren().map(([n]) => n), ['a', 'b', 'c']);
  m.b = null;
  // PyTorch 1.13 prints this for `m.b = None`, keeps 'b' out of named_children() and state_dict().
  assert.equal(String(m), 'Three(\n  (a): Linear(in_features=2, out_features=2, bias=True)\n  (b): None\n  (c): Tanh()\n)');
  assert.deepEqual(m.namedChildren().map(([n]) => n), ['a', 'c']);
  assert.deepEqual(Object.keys(m.stateDict()), ['a.weight', 'a.bias']);
  assert.throws(() => {
    (m as unknown as { b: unknown }).b = 3;
    m.parameters();
  }, TypeError, 'the name still takes only a module (or a parameter, or null)');
  m.b = new nn.Sigmoid();
  assert.equal(String(m).split('\n')[2], '  (b): Sigmoid()', 'a module set back goes in the same place');
  class Held extends nn.Module {
    only: nn.Module | null = new nn.ReLU();
    forward(x: Tensor): Tensor {
      return x;
    }
  }
  const h = new Held();
  String(h);
  h.only = null;
  assert.equal(String(h), 'Held(\n  (only): None\n)');
});

test('registerParameter, registerModule and addModule check names and values as PyTorch does; a parameter may be registered as null', () => {
  // torch 1.13: register_parameter('a.b', p) KeyError "parameter name can't contain "."", '' KeyError "can't be empty
  // string", 5 TypeError "parameter name should be a string", an existing attribute KeyError "attribute 'foo' already
  // exists", a plain tensor TypeError "cannot assign 'torch.FloatTensor' object to parameter 'w' (torch.nn.Parameter or
  // None required)"; None is accepted (in neither named_parameters nor state_dict); add_module/register_module the same.
  class M extends nn.Module {
    foo = 3;
    lin = new nn.Linear(1, 1);
    p = new nn.Parameter(tensor([1]));
    param(name: unknown, t: unknown): Tensor | null {
      return this.registerParameter(name as string, t as Tensor);
    }
    module(name: unknown, m: unknown): nn.Module {
      return this.registerModule(name as string, m as nn.Module);
    }
    forward(input: Tensor): Tensor {
      return input;
    }
  }
  const m = new M();
  const P = (): Tensor => new nn.Parameter(tensor([1]));
  assert.throws(() => m.param('a.b', P()), { name: 'RangeError', message: /parameter name can't contain "\."/ });
  assert.throws(() => m.param('', P()), { name: 'RangeError', message: /parameter name can't be empty string ""/ });
  assert.throws(() => m.param(5, P()), { name: 'TypeError', message: /parameter name should be a string, got the number 5/ });
  for (const taken of ['foo', 'lin', 'forward', 'training']) assert.throws(() => m.param(taken, P()), { name: 'RangeError', message: new RegExp(`attribute '${taken}' already exists`) });
  assert.throws(() => m.param('w', tensor([1])), { name: 'TypeError', message: /cannot assign a Tensor .*to parameter 'w' \(an nn\.Parameter or null expected/ });
  assert.throws(() => m.param('w', tensor([1], { requiresGrad: true }).mul(2)), { name: 'TypeError', message: /non-leaf.*to parameter 'w'/ });
  assert.throws(() => m.param('w', 5), { name: 'TypeError', message: /cannot assign the number 5 to parameter 'w'/ });
  assert.equal(m.param('w', null), null);
  assert.deepEqual([m.namedParameters().map(([n]) => n), Object.keys(m.stateDict())], [['p', 'lin.weight', 'lin.bias'], ['p', 'lin.weight', 'lin.bias']]);
  const w = P();
  m.param('w', w);
  assert.deepEqual(m.namedParameters().map(([n]) => n), ['p', 'w', 'lin.weight', 'lin.bias']);
  // A parameter held in a property is replaced there; a frozen parameter stays frozen.
  const q = new nn.Parameter(tensor([0]), false);
  m.param('p', q);
  assert.equal(m.p, q);
  assert.equal(q.requiresGrad, false);
  assert.deepEqual(m.parameters().filter((t) => t === q).length, 1);
  // Modules: the same checks; a module held in a property is replaced there.
  assert.throws(() => m.module('a.b', new nn.ReLU()), { name: 'RangeError', message: /module name can't contain "\."/ });
  assert.throws(() => m.module('', new nn.ReLU()), { name: 'RangeError', message: /module name can't be empty string ""/ });
  assert.throws(() => m.module(5, new nn.ReLU()), { name: 'TypeError', message: /module name should be a string/ });
  assert.throws(() => m.module('r', 5), { name: 'TypeError', message: /the number 5 is not a Module subclass/ });
  for (const taken of ['foo', 'w', 'p', 'forward']) assert.throws(() => m.module(taken, new nn.ReLU()), { name: 'RangeError', message: new RegExp(`attribute '${taken}' already exists`) });
  assert.throws(() => m.addModule('x.y', new nn.ReLU()), { name: 'RangeError', message: /addModule: module name can't contain "\."/ });
  const lin2 = new nn.Linear(1, 1);
  m.module('lin', lin2);
  assert.equal(m.lin, lin2);
  assert.deepEqual(m.children(), [lin2]);
});
