// kindling-test: own process (it checks warnings given once per process)
// Fixes from a review against PyTorch 1.13: assigning over parameters and sub-modules, namedParameters' prefix,
// max(dim) as a pair, argmax's errors, checked indexing of Sequential/ModuleList, noGrad around async code,
// a module given to an optimizer as its parameters, and modules held in a Map or Set.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isGradEnabled, manualSeed, nn, noGrad, optim, rand, tensor, zeros, type Tensor } from '../../src/index.js';
import { loose, throwsWith } from './throws.js';

const names = (m: nn.Module): string[] => m.namedParameters().map(([n]) => n);

test('Linear: a plain tensor, a number or a module over weight or bias is a TypeError, and the layer stays whole', () => {
  manualSeed(0);
  const l = new nn.Linear(2, 3);
  const weight = l.weight;
  const x = tensor([[1, 2]]);
  const before = l.forward(x).tolist();
  // PyTorch: TypeError: cannot assign 'torch.FloatTensor' as parameter 'weight' (torch.nn.Parameter or None expected)
  throwsWith(() => { l.weight = zeros(3, 2); }, TypeError, "Linear.weight: cannot assign a Tensor as parameter 'weight' (an nn.Parameter expected)", 'new nn.Parameter(tensor)', '.copy_(tensor)');
  throwsWith(() => { l.weight = loose(5); }, TypeError, "cannot assign the number 5 as parameter 'weight'");
  throwsWith(() => { l.weight = loose(new nn.ReLU()); }, TypeError, "cannot assign a ReLU as parameter 'weight'");
  throwsWith(() => { l.weight = loose(null); }, TypeError, "cannot assign null as parameter 'weight' (an nn.Parameter expected: a Linear cannot do without its weight)");
  throwsWith(() => { l.bias = zeros(3); }, TypeError, "Linear.bias: cannot assign a Tensor as parameter 'bias' (an nn.Parameter or null expected, as in PyTorch)");
  // Nothing changed: parameters, state dict and forward all still agree on the old weight.
  assert.equal(l.weight, weight);
  assert.equal(l.parameters()[0], weight);
  assert.deepEqual(l.stateDict()['weight']!.tolist(), weight.tolist());
  assert.deepEqual(l.forward(x).tolist(), before);
});

test('Linear: a new nn.Parameter over weight is the one parameters(), stateDict() and forward use; bias null and back keeps its place', () => {
  const l = new nn.Linear(2, 3);
  // `nn.Parameter` is a type too, as in PyTorch (a field typed `weight: nn.Parameter`).
  const w: nn.Parameter = new nn.Parameter(tensor([[1, 0], [0, 1], [1, 1]]));
  l.weight = w;
  assert.equal(l.weight, w);
  assert.deepEqual(l.parameters(), [w, l.bias]);
  assert.deepEqual(names(l), ['weight', 'bias']);
  assert.deepEqual(l.stateDict()['weight']!.tolist(), [[1, 0], [0, 1], [1, 1]]);
  const b = new nn.Parameter(tensor([10, 20, 30]));
  l.bias = null;
  assert.deepEqual(names(l), ['weight']);
  assert.deepEqual(l.forward(tensor([[2, 3]])).tolist(), [[2, 3, 5]]);
  assert.equal(String(l), 'Linear(in_features=2, out_features=3, bias=False)');
  l.bias = b;
  assert.deepEqual(names(l), ['weight', 'bias'], 'the bias comes back in its place, as in PyTorch');
  assert.deepEqual(l.forward(tensor([[2, 3]])).tolist(), [[12, 23, 35]]);
  // It trains: the gradient goes to the new parameter, which an optimizer built now holds.
  const opt = new optim.SGD(l.parameters(), 0.5);
  l.forward(tensor([[1, 0]])).sum().backward();
  opt.step();
  assert.deepEqual(w.tolist(), [[0.5, 0], [-0.5, 1], [0.5, 1]]);
  // A frozen parameter keeps requiresGrad false (assigning does not turn it on).
  l.weight = new nn.Parameter(zeros(3, 2), false);
  assert.equal(l.weight.requiresGrad, false);
  assert.equal(l.parameters()[0], l.weight);
});

test('Linear.resetParameters draws the same values into an assigned row-major weight as into its own', () => {
  manualSeed(7);
  const fresh = new nn.Linear(3, 2);
  const l = new nn.Linear(3, 2);
  l.weight = new nn.Parameter(zeros(2, 3));
  manualSeed(7);
  l.resetParameters();
  assert.deepEqual(l.weight.tolist(), fresh.weight.tolist());
  assert.deepEqual(l.bias!.tolist(), fresh.bias!.tolist());
});

test('LayerNorm: weight and bias take an nn.Parameter or null, not a plain tensor', () => {
  const ln = new nn.LayerNorm(2);
  throwsWith(() => { ln.weight = tensor([2, 2]); }, TypeError, "LayerNorm.weight: cannot assign a Tensor as parameter 'weight' (an nn.Parameter or null expected, as in PyTorch)");
  assert.deepEqual(names(ln), ['weight', 'bias']);
  ln.weight = new nn.Parameter(tensor([2, 2]));
  assert.deepEqual(ln.stateDict()['weight']!.tolist(), [2, 2]);
  assert.deepEqual((ln.forward(tensor([1, 3])).tolist() as number[]).map((v) => Math.round(v * 1e3) / 1e3), [-2, 2]);
  ln.bias = null;
  assert.deepEqual(names(ln), ['weight']);
});

class Custom extends nn.Module {
  p: Tensor | null = new nn.Parameter(tensor([1, 2]));
  fc: nn.Module | Tensor | null = new nn.Linear(2, 1);
  cache: Tensor | null = null;
  forward(input: Tensor): Tensor {
    return input;
  }
}

test('a custom module: a plain tensor over a parameter property is a TypeError at the next call, not a parameter gone missing', () => {
  const m = new Custom();
  assert.deepEqual(names(m), ['p', 'fc.weight', 'fc.bias']);
  m.p = rand(2).requiresGrad_();
  const held = "Custom.p holds a Tensor where it held the parameter 'p': cannot assign a Tensor as parameter 'p' (an nn.Parameter or null expected, as in PyTorch)";
  for (const call of [() => m.namedParameters(), () => m.parameters(), () => m.stateDict(), () => m.train()]) throwsWith(call, TypeError, held);
  m.p = null;
  assert.deepEqual(names(m), ['fc.weight', 'fc.bias']);
  // Set to null, the name still takes only a parameter, as in PyTorch.
  m.p = tensor([3, 4]);
  throwsWith(() => m.parameters(), TypeError, "cannot assign a Tensor as parameter 'p'");
  m.p = new nn.Parameter(tensor([5, 6]));
  assert.deepEqual(names(m), ['p', 'fc.weight', 'fc.bias']);
  assert.deepEqual(m.stateDict()['p']!.tolist(), [5, 6]);
  m.p = loose(new nn.Linear(1, 1));
  throwsWith(() => m.parameters(), TypeError, "cannot assign a Linear as parameter 'p'");
  // A property that never held a member takes anything.
  m.p = null;
  m.cache = tensor([1]);
  m.cache = rand(3).requiresGrad_();
  assert.deepEqual(names(m), ['fc.weight', 'fc.bias']);
});

test('a custom module: a non-module over a sub-module is a TypeError; a module, a parameter or null may take its place', () => {
  const m = new Custom();
  assert.equal(m.children().length, 1);
  m.fc = loose(3);
  // PyTorch: TypeError: cannot assign 'int' as child module 'fc' (torch.nn.Module or None expected)
  throwsWith(() => m.children(), TypeError, "Custom.fc holds the number 3 where it held the sub-module 'fc': cannot assign the number 3 as child module 'fc' (an nn.Module or null expected, as in PyTorch)");
  m.fc = zeros(1);
  throwsWith(() => m.parameters(), TypeError, "cannot assign a Tensor as child module 'fc'");
  m.fc = null;
  assert.deepEqual(names(m), ['p']);
  m.fc = new nn.Linear(2, 4);
  assert.deepEqual(m.stateDict()['fc.weight']!.shape, [4, 2]);
  m.fc = new nn.Parameter(tensor([7]));
  assert.deepEqual(names(m), ['p', 'fc'], 'a parameter over a sub-module makes it a parameter, as in PyTorch');
});

test('a custom module: explicitly registered members take only their own kind too', () => {
  class Registered extends nn.Module {
    scale = this.registerParameter('scale', new nn.Parameter(tensor([2])));
    body = this.registerModule('body', new nn.Linear(1, 1));
    forward(input: Tensor): Tensor {
      return this.body.forward(input).mul(this.scale);
    }
  }
  const r = new Registered();
  r.scale = tensor([3]);
  throwsWith(() => r.parameters(), TypeError, "Registered.scale holds a Tensor where it held the parameter 'scale': cannot assign a Tensor as parameter 'scale'");
  r.scale = new nn.Parameter(tensor([3]));
  assert.deepEqual(names(r), ['scale', 'body.weight', 'body.bias']);
  assert.deepEqual(r.stateDict()['scale']!.tolist(), [3]);
  r.body = loose('linear');
  throwsWith(() => r.parameters(), TypeError, 'cannot assign the string "linear" as child module \'body\'');
  // A parameter may take a sub-module's place; the name then holds a parameter, which a module cannot replace (PyTorch).
  r.body = loose(new nn.Parameter(tensor([1])));
  assert.deepEqual(names(r), ['scale', 'body']);
  assert.equal(r.children().length, 0);
  r.body = new nn.Linear(1, 1);
  throwsWith(() => r.parameters(), TypeError, "Registered.body holds a Linear where it held the parameter 'body': cannot assign a Linear as parameter 'body'");
});

test('namedParameters(prefix) puts a dot after the prefix, as PyTorch\'s named_parameters', () => {
  const seq = new nn.Sequential(new nn.Linear(1, 1));
  // PyTorch: [('enc.0.weight', …), ('enc.0.bias', …)]
  assert.deepEqual(seq.namedParameters('enc').map(([n]) => n), ['enc.0.weight', 'enc.0.bias']);
  assert.deepEqual(new nn.Sequential(seq).namedParameters('enc').map(([n]) => n), ['enc.0.0.weight', 'enc.0.0.bias']);
  assert.deepEqual(new nn.Linear(1, 1).namedParameters('fc').map(([n]) => n), ['fc.weight', 'fc.bias']);
  assert.deepEqual(seq.namedParameters('').map(([n]) => n), ['0.weight', '0.bias']);
  assert.deepEqual(seq.namedParameters('enc.').map(([n]) => n), ['enc.0.weight', 'enc.0.bias'], 'a prefix ending in a dot gets no second one');
  assert.deepEqual(seq.namedParameters('enc').map(([, p]) => p), seq.parameters());
  throwsWith(() => seq.namedParameters(loose(3)), TypeError, 'namedParameters: prefix must be a string, got the number 3');
});

test('max(dim) is also the pair [values, indices] (PyTorch\'s `_, pred = torch.max(out, 1)`), keeping its named fields', () => {
  const x = tensor([[1, 5, 2], [7, 0, 3]], { requiresGrad: true });
  const [values, indices] = x.max(1);
  assert.deepEqual(values.tolist(), [5, 7]);
  assert.deepEqual(indices.tolist(), [1, 0]);
  const r = x.max(0, true);
  assert.deepEqual(r.indices.tolist(), [[1, 0, 1]]);
  assert.deepEqual(r[1].tolist(), [[1, 0, 1]]);
  assert.equal(r[0], r.values);
  assert.deepEqual([...r].map((t) => t.tolist()), [[[7, 5, 3]], [[1, 0, 1]]]);
  // Still the plain { values, indices } to compare and to list.
  assert.deepEqual(Object.keys(r), ['values', 'indices']);
  assert.deepEqual(r, { values: r.values, indices: r.indices });
  values.sum().backward();
  assert.deepEqual(x.grad!.tolist(), [[0, 1, 0], [1, 0, 0]]);
});

test('argmax names itself in its errors (not max)', () => {
  const x = tensor([[1, 5, 2], [7, 0, 3]]);
  throwsWith(() => x.argmax(loose('1')), TypeError, 'argmax: dim must be a number (or null, for the index in the flattened tensor), got the string "1"');
  throwsWith(() => x.argmax(2), RangeError, 'argmax: dimension out of range (expected to be in range of [-2, 1], but got 2)');
  throwsWith(() => x.max(loose(null)), TypeError, 'max: dim must be a number (or none, for the largest element), got null');
  assert.deepEqual(x.argmax().tolist(), 3);
  assert.deepEqual(x.argmax(-1).tolist(), [1, 0]);
});

test('Sequential and ModuleList: at(i) is the checked index (negative from the end); seq[i] out of range reads undefined', () => {
  const a = new nn.Linear(1, 1);
  const b = new nn.ReLU();
  for (const list of [new nn.Sequential(a, b), new nn.ModuleList([a, b])]) {
    const cls = list.constructor.name;
    assert.equal(list.at(-1), b);
    assert.equal(list.at(-2), a);
    assert.equal(list[-1], b);
    throwsWith(() => list.at(2), RangeError, `${cls}: index 2 out of range (length 2)`);
    throwsWith(() => list.at(-3), RangeError, `${cls}: index -3 out of range (length 2)`);
    throwsWith(() => list.at(0.5), TypeError, `${cls}: index must be an integer, got the number 0.5`);
    assert.equal(list[5], undefined, 'only at() can check: a Proxy would slow every read');
  }
});

test('noGrad around an async function warns, once, that the code after its first await records the graph', async () => {
  const warnings: string[] = [];
  const listen = (w: Error): void => {
    if (w.message.startsWith('noGrad:')) warnings.push(w.message);
  };
  process.on('warning', listen);
  try {
    assert.equal(noGrad(() => 3), 3);
    await new Promise((r) => setImmediate(r));
    assert.equal(warnings.length, 0, 'no warning for a synchronous function');
    const modes: boolean[] = [];
    const run = (): Promise<number> => noGrad(async () => {
      modes.push(isGradEnabled());
      await null;
      modes.push(isGradEnabled());
      return 1;
    });
    assert.equal(await run(), 1);
    assert.equal(await run(), 1);
    assert.deepEqual(modes, [false, true, false, true], 'what the warning is about');
    await new Promise((r) => setImmediate(r));
    assert.equal(warnings.length, 1, 'once per process');
    assert.match(warnings[0]!, /^noGrad: the function returned a promise .*only its code before the first await ran without gradients; the code after each await runs with gradients enabled.*Use noGrad around synchronous code only/);
  } finally {
    process.off('warning', listen);
  }
});

test('an optimizer given a module or a number instead of parameters says what to pass', () => {
  const model = new nn.Sequential(new nn.Linear(2, 1));
  throwsWith(() => new optim.SGD(loose(model), 0.1), TypeError, 'SGD: parameter 0 is a module (a Linear), not a Tensor: pass the model\'s parameters');
  throwsWith(() => new optim.SGD(loose([1]), 0.1), TypeError, 'SGD: parameter 0 is not a Tensor (got the number 1)');
});

test('modules or parameters in a Map or Set are the same clear error as in an array or plain object', () => {
  class Mapped extends nn.Module {
    heads = new Map<string, nn.Module>([['digit', new nn.Linear(2, 2)]]);
    forward(input: Tensor): Tensor {
      return input;
    }
  }
  throwsWith(
    () => new Mapped().parameters(),
    TypeError,
    'Mapped.heads is a Map holding modules (heads.get("digit") is a Linear) that are not registered',
    'does not look inside Maps',
    'new nn.ModuleDict(map), keys "heads.digit.weight"',
  );
  class Bag extends nn.Module {
    layers = new Set([new nn.Linear(2, 2)]);
    forward(input: Tensor): Tensor {
      return input;
    }
  }
  throwsWith(() => new Bag().stateDict(), TypeError, 'Bag.layers is a Set holding modules ([...layers][0] is a Linear)', 'new nn.ModuleList([...this.layers]), keys "layers.0.weight"');
  class MappedParams extends nn.Module {
    extra = new Map([[0, new nn.Parameter(tensor([1]))]]);
    forward(input: Tensor): Tensor {
      return input;
    }
  }
  throwsWith(() => new MappedParams().parameters(), TypeError, 'MappedParams.extra is a Map holding parameters (extra.get(0) is an nn.Parameter)', 'registerParameter');
  // Maps of other things, and of modules registered otherwise, are fine.
  class Fine extends nn.Module {
    fc = new nn.Linear(1, 1);
    byName = new Map<string, unknown>([['fc', this.fc], ['n', 3]]);
    seen = new Set([1, 2]);
    forward(input: Tensor): Tensor {
      return input;
    }
  }
  assert.deepEqual(names(new Fine()), ['fc.weight', 'fc.bias']);
});

test('ModuleList.insert past either end is refused, not PyTorch 1.13\'s gap key', () => {
  // PyTorch 1.13: ModuleList([ReLU(), Tanh()]).insert(5, Sigmoid()) stores it under key '5' (len 3, l[2] a KeyError),
  // and insert(-5, …) fails with KeyError '-1' half-done; its Sequential.insert refuses: 'Index out of range: 5'.
  const relu = new nn.ReLU();
  const tanh = new nn.Tanh();
  const list = new nn.ModuleList([relu, tanh]);
  throwsWith(() => list.insert(5, new nn.Sigmoid()), RangeError, 'ModuleList.insert: index 5 is out of range for length 2 (0 to 2, or -2 to -1)');
  throwsWith(() => list.insert(-5, new nn.Sigmoid()), RangeError, 'ModuleList.insert: index -5 is out of range for length 2');
  assert.equal(list.length, 2);
  assert.deepEqual(list.namedModules().map(([n]) => n), ['', '0', '1']);
  list.insert(2, new nn.Sigmoid());
  assert.deepEqual([...list].map((m) => m.constructor.name), ['ReLU', 'Tanh', 'Sigmoid']);
});
