// Named options are checked (an unknown key is an error, never ignored), and PyTorch's positional call forms work:
// new nn.Linear(2, 2, false), new nn.LayerNorm(3, 1e-3, false). (Optimizers and the DataLoader: their own tests.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, manualSeed, nn, tensor, zeros } from '../../src/index.js';

/** Calls `fn` through an untyped door, as JavaScript callers (or `as never` casts) can. */
const loose = <T>(v: unknown): T => v as T;

function throwsWith(fn: () => unknown, type: new (...a: never[]) => Error, ...fragments: string[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof type, `expected a ${type.name}, got ${String(e)}`);
    for (const f of fragments) assert.ok(e.message.includes(f), `message "${e.message}" should contain "${f}"`);
    return true;
  });
}

test('new nn.Linear(in, out, false) has no bias, as PyTorch\'s Linear(in, out, False)', () => {
  manualSeed(3);
  const positional = new nn.Linear(2, 2, false);
  manualSeed(3);
  const named = new nn.Linear(2, 2, { bias: false });
  assert.equal(positional.bias, null);
  assert.deepEqual(positional.namedParameters().map(([n]) => n), ['weight']);
  assert.equal(String(positional), 'Linear(in_features=2, out_features=2, bias=False)');
  assert.deepEqual([...positional.weight.toArray()], [...named.weight.toArray()], 'the same draws as { bias: false }');
  // x·Wᵀ with nothing added.
  positional.loadStateDict({ weight: tensor([[1, 2], [3, 4]]) });
  assert.deepEqual(positional.forward(tensor([[1, -1]])).tolist(), [[-1, -1]]);
  assert.notEqual(new nn.Linear(2, 2, true).bias, null);
  throwsWith(() => new nn.Linear(2, 2, loose({ bias: 0 })), TypeError, 'Linear: bias must be true or false, got the number 0');
  throwsWith(() => new nn.Linear(2, 2, loose({ bias: false, device: 'cpu' })), TypeError, 'Linear: unknown option "device"; the options are bias, generator');
  throwsWith(() => new nn.Linear(2, 2, loose({ Bias: false })), TypeError, 'Linear: unknown option "Bias" (did you mean bias?)');
});

test('new nn.LayerNorm(shape, eps, elementwiseAffine) as in PyTorch; unknown options are refused', () => {
  // eps = 1 is used: x = [1, 3] has mean 2 and variance 1, so x̂ = ±1/√2.
  const ln = new nn.LayerNorm(2, 1);
  assert.equal(ln.eps, 1);
  const y = ln.forward(tensor([[1, 3]])).toArray();
  assert.ok(Math.abs(y[0]! + Math.SQRT1_2) < 1e-6 && Math.abs(y[1]! - Math.SQRT1_2) < 1e-6, `got ${y}`);
  const plain = new nn.LayerNorm(3, 1e-3, false);
  assert.equal(plain.eps, 1e-3);
  assert.equal(plain.weight, null);
  assert.equal(plain.parameters().length, 0);
  assert.equal(new nn.LayerNorm(3, undefined, false).parameters().length, 0);
  assert.equal(new nn.LayerNorm(3, undefined, false).eps, 1e-5);
  assert.equal(new nn.LayerNorm(3, { eps: 1e-3 }).eps, 1e-3);
  throwsWith(() => new nn.LayerNorm(3, loose({ elementwise_affine: false })), TypeError, 'LayerNorm: unknown option "elementwise_affine" (did you mean elementwiseAffine?); the options are eps, elementwiseAffine');
  throwsWith(() => new nn.LayerNorm(3, loose({ eps: 1e-3 }), loose(false)), TypeError, 'LayerNorm: more named options only follow eps given by position');
  throwsWith(() => new nn.LayerNorm(3, 1e-3, loose('no')), TypeError, 'LayerNorm: elementwiseAffine must be true or false, got the string "no"');
  throwsWith(() => new nn.LayerNorm(3, loose('small')), RangeError, 'LayerNorm: eps must be a non-negative number, got small');
});

test('losses and their functional forms refuse options other than reduction', () => {
  const x = tensor([1, 2]);
  const t = tensor([0, 0]);
  assert.equal(F.mseLoss(x, t, { reduction: 'sum' }).item(), 5);
  assert.equal(new nn.MSELoss({ reduction: 'sum' }).forward(x, t).item(), 5);
  throwsWith(() => new nn.MSELoss(loose({ reduction: 'sum', size_average: false })), TypeError, 'MSELoss: unknown option "size_average"; the options are reduction');
  throwsWith(() => new nn.CrossEntropyLoss(loose({ label_smoothing: 0.1 })), TypeError, 'CrossEntropyLoss: unknown option "label_smoothing"');
  throwsWith(() => new nn.BCELoss(loose({ Reduction: 'sum' })), TypeError, 'BCELoss: unknown option "Reduction" (did you mean reduction?)');
  throwsWith(() => new nn.NLLLoss(loose('sum')), TypeError, 'NLLLoss: options must be an object of named options (reduction), got the string "sum"');
  throwsWith(() => F.mseLoss(x, t, loose({ reductio: 'sum' })), TypeError, 'mseLoss: unknown option "reductio" (did you mean reduction?)');
  throwsWith(() => F.bceLoss(tensor([0.5]), tensor([1]), loose({ weight: x })), TypeError, 'bceLoss: unknown option "weight"');
  throwsWith(() => F.nllLoss(zeros([1, 2]), tensor([0]), loose({ ignore_index: -100 })), TypeError, 'nllLoss: unknown option "ignore_index"');
  throwsWith(() => F.bceWithLogitsLoss(x, t, loose({ pos_weight: x })), TypeError, 'bceWithLogitsLoss: unknown option "pos_weight"');
  throwsWith(() => F.crossEntropyLoss(zeros([1, 2]), tensor([0]), loose({ label_smoothing: 0.1 })), TypeError, 'crossEntropyLoss: unknown option "label_smoothing"');
});

test('loadWeights refuses an unknown option before reading the file', () => {
  throwsWith(() => nn.loadWeights(new nn.Linear(2, 2), '/nonexistent/w.safetensors', loose({ strick: false })), TypeError, 'loadWeights: unknown option "strick" (did you mean strict?); the options are strict');
});
