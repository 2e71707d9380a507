// What a review by a PyTorch user found (session 15): writes past a Sequential's end, keepdim given as an object, and
// errors that said less than they should.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arange, nn, ones, tensor, type Tensor } from '../../src/index.js';
import { loose, throwsWith } from './throws.js';

test('model[i] = m past either end of a Sequential or ModuleList throws, as PyTorch\'s IndexError', () => {
  const s = new nn.Sequential(new nn.Linear(2, 2));
  const r = s as unknown as Record<number, nn.Module | undefined>;
  throwsWith(() => { r[1] = new nn.Sigmoid(); }, RangeError, 'Sequential: index 1 is out of range (length 1)', 'append(m)');
  throwsWith(() => { r[-2] = new nn.Sigmoid(); }, RangeError, 'index -2 is out of range (length 1)');
  const get = (i: number): nn.Module | undefined => r[i];
  assert.equal(get(1), undefined);
  assert.equal(s.length, 1);
  assert.deepEqual(Object.keys(s.stateDict()), ['0.weight', '0.bias']);
  // After an append the old trap is a real index, and the new end is guarded.
  s.append(new nn.Sigmoid());
  assert.ok(get(1) instanceof nn.Sigmoid);
  r[1] = new nn.ReLU();
  assert.ok(s.at(1) instanceof nn.ReLU);
  assert.ok(get(-2) instanceof nn.Linear);
  throwsWith(() => { r[2] = new nn.Sigmoid(); }, RangeError, 'index 2 is out of range (length 2)');
  const list = new nn.ModuleList([]);
  throwsWith(() => { (list as unknown as Record<number, nn.Module>)[0] = new nn.Linear(1, 1); }, RangeError, 'ModuleList: index 0 is out of range (length 0)');
});

test('a module written further out is refused when the members are found, not kept as a stray member', () => {
  const s = new nn.Sequential(new nn.Linear(2, 2));
  (s as unknown as Record<number, nn.Module>)[5] = new nn.Linear(1, 1);
  throwsWith(() => s.parameters(), RangeError, 'Sequential: index 5 is out of range (length 1)');
  throwsWith(() => s.stateDict(), RangeError, 'index 5');
  throwsWith(() => String(s), RangeError, 'index 5');
  // Not modules or parameters: plain values under number-like names stay allowed, as any property.
  const t = new nn.Sequential(new nn.Linear(2, 2));
  (t as unknown as Record<number, number>)[7] = 3;
  assert.equal(t.parameters().length, 2);
});

test('keepdim must be a boolean: an options object is refused rather than taken as true', () => {
  const a = tensor([[1, 3], [4, 2]]);
  throwsWith(() => a.sum(1, loose({ keepdim: false })), TypeError, 'sum: keepdim must be true or false, got an object', 'x.sum(1, true)');
  throwsWith(() => a.mean(0, loose(1)), TypeError, 'mean: keepdim must be true or false, got the number 1');
  throwsWith(() => a.max(1, loose({ keepdim: false })), TypeError, 'max: keepdim');
  throwsWith(() => a.argmax(1, loose('no')), TypeError, 'argmax: keepdim must be true or false, got the string "no"');
  assert.deepEqual(a.sum(1, false).shape, [2]);
  assert.deepEqual(a.sum(1, true).shape, [2, 1]);
  assert.deepEqual(a.max(1, true).values.shape, [2, 1]);
  assert.deepEqual(a.argmax(1).tolist(), [1, 0]);
});

test('sum and mean take PyTorch\'s keywords as an options object, as var, std and sort do; dtype is refused', () => {
  const a = tensor([[1, 3, 2], [4, 2, 8]], { requiresGrad: true });
  assert.deepEqual(a.sum({ dim: 1, keepdim: true }).tolist(), [[6], [14]]);
  assert.deepEqual(a.sum({ dim: [0, 1] }).tolist(), 20);
  assert.deepEqual(a.mean({ dim: 0 }).tolist(), [2.5, 2.5, 5]);
  assert.deepEqual(a.mean({ dim: null, keepdim: true }).shape, [1, 1]);
  // keepdim without a dim matches none of PyTorch 1.13's overloads (x.sum(keepdim=True) is a TypeError).
  throwsWith(() => a.sum({ keepdim: true }), TypeError, 'sum: keepdim needs a dim');
  // dim=None reduces everything, as a dim list does in PyTorch 1.13 (SumBackward1, MeanBackward1).
  assert.equal(a.sum({ dim: null }).gradFn?.torchName, 'SumBackward1');
  assert.equal(a.mean({ dim: null }).gradFn?.torchName, 'MeanBackward1');
  assert.equal(a.sum({}).gradFn?.torchName, 'SumBackward0');
  a.mean({ dim: 1, keepdim: true }).sum().backward();
  assert.deepEqual(Array.from(a.grad!.toArray()), [1 / 3, 1 / 3, 1 / 3, 1 / 3, 1 / 3, 1 / 3].map(Math.fround));
  throwsWith(() => a.sum(loose({ dim: 1, dtype: 'float64' })), Error, "sum: only float32 is supported, got 'float64'");
  throwsWith(() => a.mean(loose({ axis: 1 })), TypeError, 'mean: unknown option "axis"; the options are dim, keepdim, dtype');
  throwsWith(() => a.sum({ dim: 1 }, loose(true)), TypeError, 'sum: nothing may follow the options object, got true');
  throwsWith(() => a.mean({ dim: 0, keepdim: loose(1) }), TypeError, 'mean: keepdim must be true or false, got the number 1');
});

test('errors name what the user wrote: view, a dim given as an object, a string size, p.data = t, loadFile\'s result', () => {
  throwsWith(() => arange(6).view(4, -1), RangeError, 'view:');
  assert.throws(() => arange(6).view(4, -1), (e: Error) => !e.message.includes('reshape'));
  throwsWith(() => tensor([[1, 2]]).softmax(loose({ dim: 1 })), TypeError, 'softmax: the dimension must be an integer, got an object');
  throwsWith(() => new nn.Linear(loose('2'), 2), RangeError, 'inFeatures must be a non-negative integer (0 makes an empty layer, as PyTorch\'s), got the string "2"');
  const p = new nn.Linear(2, 1).weight;
  throwsWith(() => { (p as unknown as { data: Tensor }).data = ones([1, 2]); }, TypeError, 'Tensor.data cannot be assigned', 'copy_');
  const m = new nn.Linear(2, 1);
  throwsWith(() => m.loadStateDict(loose({ tensors: m.stateDict(), metadata: {} })), TypeError, 'loadFile(path).tensors');
  // JavaScript lets a subclass leave forward out (TypeScript's abstract does not).
  class NoForward extends (nn.Module as unknown as new () => object) {}
  throwsWith(() => new nn.Sequential(new nn.Linear(1, 1), loose(new NoForward())), TypeError, 'Sequential: item 1 (NoForward) has no forward() method');
  assert.equal(new nn.ModuleList([loose(new NoForward())]).length, 1);
});

test('a module assigned as a property of a ModuleDict is refused, not kept outside the keys', () => {
  const d = new nn.ModuleDict({ a: new nn.Linear(1, 1) });
  (d as unknown as Record<string, nn.Module>)['z'] = new nn.Linear(1, 1);
  throwsWith(() => d.parameters(), TypeError, "ModuleDict: a module assigned as the property 'z' is not one of the keys", "set('z', module)");
  const e = new nn.ModuleDict({ a: new nn.Linear(1, 1) });
  e.set('z', new nn.Linear(1, 1));
  assert.deepEqual([...e.keys()], ['a', 'z']);
  assert.deepEqual(Object.keys(e.stateDict()), ['a.weight', 'a.bias', 'z.weight', 'z.bias']);
});

test('session 24 review: messages that were JavaScript\'s own, arange with the step pointing away, a 0-d transpose', () => {
  throwsWith(() => new nn.LayerNorm(loose('4')), TypeError, 'LayerNorm: normalizedShape must be a positive integer or an array of them', 'the string "4"');
  throwsWith(() => new nn.LayerNorm(loose(['4'])), RangeError, 'must hold non-negative integers, got ["4"]');
  // @ts-expect-error: a subclass written in plain JavaScript, without forward
  class NoForward extends nn.Module {}
  throwsWith(() => loose<{ forward: (x: Tensor) => Tensor }>(new NoForward()).forward(arange(3)), TypeError, 'Module [NoForward] is missing the required "forward" method');
  throwsWith(() => new nn.Sequential(new NoForward()), TypeError, 'Sequential: item 0 (NoForward) has no forward() method to call');
  // A subclass's own forward still comes first.
  class Twice extends nn.Module {
    forward(x: Tensor): Tensor {
      return x.mul(2);
    }
  }
  assert.deepEqual(new nn.Sequential(new Twice()).forward(arange(3)).tolist(), [0, 2, 4]);
  throwsWith(() => arange(3).clamp(loose(undefined), loose(undefined)), TypeError, 'clamp: at least one of min or max must be given', 'clamp(null, 1)');
  throwsWith(() => arange(3).clamp(loose(undefined), 1), TypeError, 'clamp: min must be a number or null', 'got undefined');
  assert.deepEqual(arange(3).clamp(null, 1).tolist(), [0, 1, 1]);
  throwsWith(() => arange(4).reshape(loose<number>('4')), TypeError, 'reshape: sizes must be numbers, got the string "4"');
  throwsWith(() => arange(0, 5, -1), RangeError, 'arange: a step of -1 never goes from 0 to 5');
  throwsWith(() => arange(5, 0), RangeError, 'arange: a step of 1 never goes from 5 to 0');
  assert.deepEqual(arange(5, 0, -2).tolist(), [5, 3, 1]);
  assert.deepEqual(arange(2, 2).tolist(), []);
  // PyTorch: a 0-d tensor takes dims 0 and -1, and transposing it gives it back (a view).
  const s = tensor(2);
  const t = s.transpose(0, -1);
  assert.deepEqual([t.shape, t.tolist()], [[], 2]);
  throwsWith(() => s.transpose(0, 1), RangeError, 'expected to be in range of [-1, 0], but got 1');
});

test('delete model[i] is refused rather than dropping the accessor and keeping the module', () => {
  const s = new nn.Sequential(new nn.Linear(2, 2), new nn.Tanh());
  const r = s as unknown as Record<number, nn.Module | undefined>;
  assert.throws(() => { delete r[0]; }, TypeError);
  assert.throws(() => { delete r[-1]; }, TypeError);
  assert.ok(r[0] instanceof nn.Linear);
  assert.equal(s.length, 2);
  // The guard one past the end is still redefined by append.
  s.append(new nn.ReLU());
  assert.ok(r[2] instanceof nn.ReLU);
  assert.ok(r[-1] instanceof nn.ReLU);
});

test('maximum and minimum name themselves in their errors and grad_fn (MaximumBackward0), not max and min', () => {
  throwsWith(() => ones(2, 3).maximum(ones(4)), RangeError, 'maximum: shapes [2, 3] and [4] cannot be broadcast together (dimension 1: 3 vs 4)');
  throwsWith(() => ones(2, 3).minimum(ones(4)), RangeError, 'minimum: shapes [2, 3] and [4] cannot be broadcast together (dimension 1: 3 vs 4)');
  const x = ones([2], { requiresGrad: true });
  assert.match(String(x.maximum(tensor([0, 2]))), /grad_fn=<MaximumBackward0>/);
  assert.match(String(x.minimum(tensor([0, 2]))), /grad_fn=<MinimumBackward0>/);
});
