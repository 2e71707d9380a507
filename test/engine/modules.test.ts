// Modules: parameter names, state dicts, train/eval, Linear's layout and initialisation, custom modules.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { manualSeed, nn, saveFile, tensor, zeros, type Tensor } from '../../src/index.js';

function combined(): nn.Sequential {
  return new nn.Sequential(new nn.Linear(6, 5), new nn.LeakyReLU(0.02), new nn.LayerNorm(5), new nn.Linear(5, 3), new nn.Sigmoid());
}

const arrays = (m: nn.Module): number[][] => m.parameters().map((p) => [...p.toArray()]);

test('parameters() and namedParameters() use PyTorch state_dict keys, in registration order', () => {
  const model = combined();
  assert.deepEqual(model.namedParameters().map(([n]) => n), ['0.weight', '0.bias', '2.weight', '2.bias', '3.weight', '3.bias']);
  assert.deepEqual(model.parameters().map((p) => p.shape), [[5, 6], [5], [5], [5], [3, 5], [3]]);
  assert.ok(model.parameters().every((p) => p.requiresGrad && p.isLeaf));
  const nested = new nn.Sequential(new nn.Linear(3, 2), new nn.ReLU(), new nn.Sequential(new nn.Linear(2, 2), new nn.LayerNorm(2)));
  assert.deepEqual(Object.keys(nested.stateDict()), ['0.weight', '0.bias', '2.0.weight', '2.0.bias', '2.1.weight', '2.1.bias']);
  assert.deepEqual(nested.namedParameters('model.').map(([n]) => n)[0], 'model.0.weight');
  // A module used twice contributes its parameters once (as PyTorch's named_parameters does), but its state dict
  // lists them under both names (as PyTorch's state_dict does).
  const shared = new nn.Linear(2, 2);
  const tied = new nn.Sequential(shared, new nn.Tanh(), shared);
  assert.deepEqual(tied.namedParameters().map(([n]) => n), ['0.weight', '0.bias']);
  assert.equal(tied.parameters().length, 2);
  assert.deepEqual(Object.keys(tied.stateDict()), ['0.weight', '0.bias', '2.weight', '2.bias']);
  assert.equal(new nn.Linear(4, 2, { bias: false }).parameters().length, 1);
  assert.equal(new nn.LayerNorm(4, { elementwiseAffine: false }).parameters().length, 0);
  assert.equal(new nn.Sigmoid().parameters().length, 0);
});

test('children, namedChildren, Sequential length / at / iteration', () => {
  const model = combined();
  assert.equal(model.children().length, 5);
  assert.deepEqual(model.namedChildren().map(([n]) => n), ['0', '1', '2', '3', '4']);
  assert.equal(model.length, 5);
  assert.ok(model.at(0) instanceof nn.Linear);
  assert.ok(model.at(-1) instanceof nn.Sigmoid);
  assert.throws(() => model.at(5), /index 5 out of range \(length 5\)/);
  assert.deepEqual([...model].map((m) => m.constructor.name), ['Linear', 'LeakyReLU', 'LayerNorm', 'Linear', 'Sigmoid']);
  // model[0] as in PyTorch, and at<T>() to name the type in TypeScript; the index properties are not members.
  assert.equal(model[0], model.at(0));
  assert.ok(model[4] instanceof nn.Sigmoid);
  assert.equal(model[5], undefined);
  assert.deepEqual(model.at<nn.Linear>(3).weight.shape, [3, 5]);
  assert.ok(!Object.keys(model).includes('0'));
  assert.deepEqual(Object.keys(model.stateDict()), ['0.weight', '0.bias', '2.weight', '2.bias', '3.weight', '3.bias']);
  const list = new nn.ModuleList([new nn.Linear(1, 1)]).append(new nn.Tanh());
  assert.ok(list[1] instanceof nn.Tanh);
  // Negative indices and assignment, as PyTorch's model[-1] and model[1] = layer.
  assert.ok(model[-1] instanceof nn.Sigmoid);
  assert.equal(model[-5], model[0]);
  assert.equal(model[-6], undefined);
  const replaced = combined();
  const head = new nn.Linear(5, 4);
  replaced[3] = head;
  assert.equal(replaced.at(3), head);
  assert.equal(replaced[-2], head);
  assert.deepEqual(replaced.stateDict()['3.weight']!.shape, [4, 5], 'the new layer is the one registered under 3');
  assert.deepEqual(replaced.forward(zeros(6)).shape, [4]);
  replaced[-1] = new nn.Tanh();
  assert.ok(replaced.at(4) instanceof nn.Tanh);
  assert.throws(() => {
    replaced[0] = 5 as unknown as nn.Module;
  }, /Sequential: item 0 is not a Module/);
  // Extending a list with itself appends its modules once (as a Python list does), instead of never ending.
  list.extend(list);
  assert.equal(list.length, 4);
  // What is not iterable is refused with PyTorch 1.13's message of each (not JavaScript's "modules is not
  // iterable"): ModuleList's "ModuleList.extend should be called with an iterable, but got int", Sequential's
  // "'int' object is not iterable". A string is iterable: its first character is not a Module, as PyTorch's
  // "str is not a Module subclass" for both.
  assert.throws(() => list.extend(3 as unknown as nn.Module[]), { name: 'TypeError', message: 'ModuleList.extend should be called with an iterable, but got the number 3' });
  assert.throws(() => list.extend(null as unknown as nn.Module[]), { name: 'TypeError', message: 'ModuleList.extend should be called with an iterable, but got null' });
  const seq = new nn.Sequential();
  assert.throws(() => seq.extend(3 as unknown as nn.Module[]), { name: 'TypeError', message: 'Sequential.extend: the number 3 is not iterable' });
  assert.throws(() => seq.extend(null as unknown as nn.Module[]), { name: 'TypeError', message: 'Sequential.extend: null is not iterable' });
  assert.throws(() => list.extend('ab' as unknown as nn.Module[]), { name: 'TypeError', message: 'ModuleList: item 4 is not a Module' });
  assert.throws(() => seq.extend('ab' as unknown as nn.Module[]), { name: 'TypeError', message: 'Sequential: item 0 is not a Module' });
  assert.equal(list.length, 4);
  const grown = new nn.Sequential().append(new nn.Linear(2, 2)).append(new nn.ReLU());
  assert.deepEqual(Object.keys(grown.stateDict()), ['0.weight', '0.bias']);
  const x = tensor([1, -2]);
  assert.equal(new nn.Sequential().forward(x), x, 'an empty Sequential is the identity');
});

test('stateDict / loadStateDict round trip reproduces the model exactly; loaded values are copies', () => {
  manualSeed(1);
  const a = combined();
  manualSeed(2);
  const b = combined();
  const x = tensor([[0.1, 0.2, -0.3, 0.4, 0.5, -0.6], [1, 0, 0, 1, 0, 1]]);
  assert.notDeepEqual(arrays(a), arrays(b));
  const sd = a.stateDict();
  assert.ok(Object.values(sd).every((t) => !t.requiresGrad), 'state dict tensors are detached');
  assert.deepEqual(sd['0.weight']!.shape, [5, 6]);
  const res = b.loadStateDict(sd);
  assert.deepEqual(res, { missingKeys: [], unexpectedKeys: [] });
  assert.deepEqual(arrays(b), arrays(a));
  assert.deepEqual([...b.forward(x).toArray()], [...a.forward(x).toArray()]);
  // b owns its values: changing a afterwards does not change b.
  a.parameters()[0]!.data[0] = 42;
  assert.notEqual(b.parameters()[0]!.toArray()[0], 42);
  // Loading from tensors in any layout (a transposed view here) copies the logical values.
  const w = tensor([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10], [11, 12, 13, 14, 15]]);
  b.loadStateDict({ ...b.stateDict(), '3.weight': w.T.contiguous().T });
  assert.deepEqual(b.stateDict()['3.weight']!.tolist(), w.tolist());
});

test('loadStateDict errors name missing keys, unexpected keys, and size mismatches (key and both shapes)', () => {
  const m = combined();
  const sd = m.stateDict();
  const { ['2.bias']: _dropped, ...missing } = sd;
  assert.throws(() => m.loadStateDict(missing), /Missing key\(s\) in state_dict: "2\.bias"/);
  assert.throws(() => m.loadStateDict({ ...sd, 'extra.weight': zeros([1]) }), /Unexpected key\(s\) in state_dict: "extra\.weight"/);
  assert.throws(() => m.loadStateDict({}), /Missing key\(s\) in state_dict: "0\.weight", "0\.bias", "2\.weight"/);
  const before = arrays(m);
  const bad = { ...sd, '0.bias': tensor([9, 9, 9, 9, 9]), '3.weight': zeros([3, 4]) };
  assert.throws(() => m.loadStateDict(bad), (e: unknown) => {
    assert.ok(e instanceof RangeError);
    assert.match(e.message, /size mismatch for 3\.weight:/);
    assert.match(e.message, /\[3, 4\]/);
    assert.match(e.message, /\[3, 5\]/);
    return true;
  });
  assert.deepEqual(arrays(m), before, 'a failed load changes nothing');
  // Every problem in one message, in PyTorch's order: missing, unexpected, then each size mismatch.
  const worse: Record<string, Tensor> = { ...missing, '0.weight': zeros([1, 1]), '3.weight': zeros([3, 4]), extra: zeros([1]) };
  assert.throws(() => m.loadStateDict(worse), (e: unknown) => {
    assert.ok(e instanceof RangeError);
    assert.match(e.message, /^loadStateDict: Error\(s\) in loading state_dict for Sequential: Missing key\(s\) in state_dict: "2\.bias"\. Unexpected key\(s\) in state_dict: "extra"\. size mismatch for 0\.weight: .*\[1, 1\].*\. size mismatch for 3\.weight: .*\[3, 4\]/);
    return true;
  });
  // Not strict: the key lists are returned, but a size mismatch still refuses the whole load.
  assert.throws(() => m.loadStateDict(worse, false), /^RangeError: loadStateDict: Error\(s\) in loading state_dict for Sequential: size mismatch for 0\.weight:.*\. size mismatch for 3\.weight:/);
  assert.deepEqual(arrays(m), before, 'a failed load changes nothing');
  assert.throws(() => m.loadStateDict({ ...sd, '0.bias': [1, 2, 3, 4, 5] as unknown as Tensor }), /while copying the parameter named "0\.bias", expected a Tensor from checkpoint but received an array/);
  // Non-strict loading reports the key lists and loads what matches.
  const partial = m.loadStateDict({ '0.bias': tensor([1, 2, 3, 4, 5]), junk: zeros([2]) }, { strict: false });
  assert.deepEqual(partial.unexpectedKeys, ['junk']);
  assert.deepEqual(partial.missingKeys, ['0.weight', '2.weight', '2.bias', '3.weight', '3.bias']);
  assert.deepEqual(m.stateDict()['0.bias']!.tolist(), [1, 2, 3, 4, 5]);
});

test('train() / eval() propagate through nested modules and return the module', () => {
  const inner = new nn.Sequential(new nn.Linear(2, 2), new nn.Tanh());
  const model = new nn.Sequential(new nn.Linear(2, 2), inner);
  const all = [model, model.at(0), inner, inner.at(0), inner.at(1)];
  assert.ok(all.every((m) => m.training));
  assert.equal(model.eval(), model);
  assert.ok(all.every((m) => !m.training));
  assert.equal(model.train(), model);
  assert.ok(all.every((m) => m.training));
  model.train(false);
  assert.ok(all.every((m) => !m.training));
});

test('Linear: weight has shape [out, in], toArray() and the state dict are row-major, forward is x·Wᵀ + b', () => {
  const lin = new nn.Linear(3, 2);
  assert.deepEqual(lin.weight.shape, [2, 3]);
  assert.deepEqual(lin.bias?.shape, [2]);
  lin.loadStateDict({ weight: tensor([[1, 2, 3], [4, 5, 6]]), bias: tensor([0.5, -0.5]) });
  assert.deepEqual([...lin.weight.toArray()], [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(lin.weight.tolist(), [[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(lin.stateDict()['weight']!.tolist(), [[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(lin.forward(tensor([1, 0, -1])).tolist(), [-1.5, -2.5]);
  assert.deepEqual(lin.forward(tensor([[1, 0, -1], [0, 1, 0]])).tolist(), [[-1.5, -2.5], [2.5, 4.5]]);
  assert.deepEqual(lin.forward(zeros([4, 2, 3])).shape, [4, 2, 2]);
  assert.equal(lin.inFeatures, 3);
  assert.equal(lin.outFeatures, 2);
});

test('Linear initialisation: U(−1/√in, 1/√in) for weight and bias, repeatable, and redrawn by resetParameters', () => {
  manualSeed(7);
  const lin = new nn.Linear(100, 50);
  const bound = 1 / Math.sqrt(100);
  const w = lin.weight.toArray();
  const b = lin.bias!.toArray();
  assert.ok(w.every((v) => Math.abs(v) <= bound) && b.every((v) => Math.abs(v) <= bound));
  // The draws fill the range: extremes close to ±bound and a mean near 0.
  assert.ok(Math.max(...w) > 0.95 * bound && Math.min(...w) < -0.95 * bound);
  assert.ok(Math.abs(w.reduce((s, v) => s + v, 0) / w.length) < 0.01);
  const first = [...w];
  lin.resetParameters();
  assert.notDeepEqual([...lin.weight.toArray()], first);
  const ln = new nn.LayerNorm(3);
  assert.deepEqual(ln.weight?.tolist(), [1, 1, 1]);
  assert.deepEqual(ln.bias?.tolist(), [0, 0, 0]);
  ln.weight!.data.fill(5);
  ln.resetParameters();
  assert.deepEqual(ln.weight?.tolist(), [1, 1, 1]);
});

/** A user-defined module, written as the README would show it. */
class TwoLayer extends nn.Module {
  readonly fc1 = this.registerModule('fc1', new nn.Linear(4, 3));
  readonly act = this.registerModule('act', new nn.ReLU());
  readonly fc2 = this.registerModule('fc2', new nn.Linear(3, 1));
  readonly scale = this.registerParameter('scale', new nn.Parameter(tensor([2])));
  forward(x: Tensor): Tensor {
    return this.fc2.forward(this.act.forward(this.fc1.forward(x))).mul(this.scale);
  }
}

test('custom modules register parameters and children by name and print like PyTorch', () => {
  const m = new TwoLayer();
  assert.deepEqual(m.namedParameters().map(([n]) => n), ['scale', 'fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']);
  assert.ok(m.scale.requiresGrad);
  assert.equal(String(m), 'TwoLayer(\n  (fc1): Linear(in_features=4, out_features=3, bias=True)\n  (act): ReLU()\n  (fc2): Linear(in_features=3, out_features=1, bias=True)\n)');
  m.forward(tensor([[1, 2, 3, 4]])).sum().backward();
  assert.ok(m.parameters().every((p) => p.grad !== null));
});

test('tied weights: stateDict lists a shared parameter under every name, loading gives it its last name\'s value, and a tied model saves and loads (PyTorch 1.13\'s behaviour)', () => {
  class Tied extends nn.Module {
    a = new nn.Linear(2, 2);
    b = new nn.Linear(2, 2);
    constructor() {
      super();
      (this.b as { weight: Tensor }).weight = this.a.weight; // weight is readonly in TypeScript; JavaScript can tie it
    }
    forward(x: Tensor): Tensor {
      return this.b.forward(this.a.forward(x).tanh());
    }
  }
  const t = new Tied();
  // PyTorch: state_dict ['a.weight', 'a.bias', 'b.weight', 'b.bias'], named_parameters ['a.weight', 'a.bias', 'b.bias'].
  assert.deepEqual(Object.keys(t.stateDict()), ['a.weight', 'a.bias', 'b.weight', 'b.bias']);
  assert.deepEqual(t.namedParameters().map(([n]) => n), ['a.weight', 'a.bias', 'b.bias']);
  const state = t.stateDict();
  state['a.weight'] = tensor([[2, 2], [2, 2]]);
  state['b.weight'] = tensor([[1, 1], [1, 1]]);
  t.loadStateDict(state);
  assert.deepEqual([...t.a.weight.toArray()], [1, 1, 1, 1], 'the last name wins, as in PyTorch');
  delete state['b.weight'];
  assert.throws(() => t.loadStateDict(state), /Missing key\(s\) in state_dict: "b\.weight"/);
  assert.deepEqual(t.loadStateDict(state, { strict: false }).missingKeys, ['b.weight']);

  const dir = mkdtempSync(join(tmpdir(), 'kindling-tied-'));
  try {
    manualSeed(4);
    const shared = new nn.Linear(2, 2);
    const seq = new nn.Sequential(shared, new nn.Sigmoid(), shared);
    const file = join(dir, 'tied.safetensors');
    seq.save(file);
    const back = nn.Module.load(file);
    const x = tensor([[0.5, -1]]);
    assert.deepEqual([...back.forward(x).toArray()], [...seq.forward(x).toArray()]);
    const into = new nn.Sequential(new nn.Linear(2, 2), new nn.Sigmoid(), new nn.Linear(2, 2));
    nn.loadWeights(into, file);
    assert.deepEqual([...into.forward(x).toArray()], [...seq.forward(x).toArray()]);
    // A weights file listing the shared parameter once (as namedParameters, or safetensors' save_model, has it)
    // loads into a tied model, but not into one whose two layers are separate.
    const once = join(dir, 'once.safetensors');
    saveFile(once, Object.fromEntries(seq.namedParameters()));
    const tiedShared = new nn.Linear(2, 2);
    const tiedInto = new nn.Sequential(tiedShared, new nn.Sigmoid(), tiedShared);
    nn.loadWeights(tiedInto, once);
    assert.deepEqual([...tiedInto.forward(x).toArray()], [...seq.forward(x).toArray()]);
    assert.throws(() => nn.loadWeights(new nn.Sequential(new nn.Linear(2, 2), new nn.Sigmoid(), new nn.Linear(2, 2)), once), /missing tensor "2\.weight"/);
    // Another view of the same storage is not the same parameter: a file holding only `a` must not be copied into
    // `b = Parameter(a.T)` (that wrote a's values through b's transposed strides, leaving `a` transposed).
    class Transposed extends nn.Module {
      a = new nn.Parameter(tensor([[0, 0], [0, 0]]));
      b = new nn.Parameter(this.a.T);
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    const onlyA = join(dir, 'only-a.safetensors');
    saveFile(onlyA, { a: tensor([[1, 2], [3, 4]]) });
    const tr = new Transposed();
    assert.throws(() => nn.loadWeights(tr, onlyA), /missing tensor "b"/);
    nn.loadWeights(tr, onlyA, { strict: false });
    assert.deepEqual(tr.a.tolist(), [[1, 2], [3, 4]]);
    assert.deepEqual(tr.b.tolist(), [[1, 3], [2, 4]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('losses are modules, as in PyTorch: a model holding one prints it, and it adds no parameters or state', () => {
  class Classifier extends nn.Module {
    model = new nn.Sequential(new nn.Linear(4, 3), new nn.Sigmoid());
    lossFunction = new nn.MSELoss();
    forward(x: Tensor): Tensor {
      return this.model.forward(x);
    }
  }
  const c = new Classifier();
  assert.equal(String(c), [
    'Classifier(',
    '  (model): Sequential(',
    '    (0): Linear(in_features=4, out_features=3, bias=True)',
    '    (1): Sigmoid()',
    '  )',
    '  (lossFunction): MSELoss()',
    ')',
  ].join('\n'));
  assert.deepEqual(Object.keys(c.stateDict()), ['model.0.weight', 'model.0.bias']);
  assert.equal(c.parameters().length, 2);
  for (const loss of [new nn.MSELoss(), new nn.BCELoss({ reduction: 'sum' }), new nn.BCEWithLogitsLoss(), new nn.CrossEntropyLoss(), new nn.NLLLoss()]) {
    assert.ok(loss instanceof nn.Module);
    assert.deepEqual(loss.parameters(), []);
  }
  assert.equal(new nn.MSELoss().forward(tensor([1, 2]), tensor([1, 4])).item(), 2);
});

// Type-checked by the build: a forward that takes more than the input (a flag, options), as PyTorch's forward(self,
// *input) allows, is a valid module, and a call through nn.Module still needs the input.
class WithFlag extends nn.Module {
  fc = new nn.Linear(2, 2);
  forward(x: Tensor, returnLogits = false): Tensor {
    const y = this.fc.forward(x);
    return returnLogits ? y : y.sigmoid();
  }
}

test('a module whose forward takes a flag after its input is a Module like any other', () => {
  const m: nn.Module = new WithFlag();
  const x = tensor([[1, -1]]);
  const logits = (m as WithFlag).forward(x, true);
  assert.deepEqual(Array.from(m.forward(x).toArray()), Array.from(logits.sigmoid().toArray()));
  // @ts-expect-error: the input is required.
  assert.throws(() => m.forward());
});
