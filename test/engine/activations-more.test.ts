// nn.GELU, nn.SiLU, nn.ELU, nn.Softplus and their F forms, and F.oneHot: how they print, how their options are
// taken and refused, what they record for autograd, and oneHot's checks. (Values against PyTorch:
// test/golden/activations.test.ts; finite differences: grad-activations-more.test.ts.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, nn, noGrad, tensor, type Tensor } from '../../src/index.js';
import { loose, throwsWith } from './throws.js';

test('the modules print as PyTorch prints them', () => {
  assert.equal(String(new nn.GELU()), "GELU(approximate='none')");
  assert.equal(String(new nn.GELU('tanh')), "GELU(approximate='tanh')");
  assert.equal(String(new nn.GELU({ approximate: 'tanh' })), "GELU(approximate='tanh')");
  assert.equal(String(new nn.SiLU()), 'SiLU()');
  assert.equal(String(new nn.ELU()), 'ELU(alpha=1.0)');
  assert.equal(String(new nn.ELU(0.5)), 'ELU(alpha=0.5)');
  assert.equal(String(new nn.ELU({ alpha: 2 })), 'ELU(alpha=2.0)');
  assert.equal(String(new nn.ELU(1e-5)), 'ELU(alpha=1e-05)');
  assert.equal(String(new nn.Softplus()), 'Softplus(beta=1, threshold=20)');
  assert.equal(String(new nn.Softplus(2, 10)), 'Softplus(beta=2, threshold=10)');
  assert.equal(String(new nn.Softplus(0.5, { threshold: 15.5 })), 'Softplus(beta=0.5, threshold=15.5)');
  assert.equal(String(new nn.Softplus({ threshold: 5 })), 'Softplus(beta=1, threshold=5)');
  const model = new nn.Sequential(new nn.Linear(3, 4), new nn.GELU(), new nn.Linear(4, 4), new nn.SiLU(), new nn.ELU(), new nn.Softplus(2));
  assert.equal(String(model), [
    'Sequential(',
    '  (0): Linear(in_features=3, out_features=4, bias=True)',
    "  (1): GELU(approximate='none')",
    '  (2): Linear(in_features=4, out_features=4, bias=True)',
    '  (3): SiLU()',
    '  (4): ELU(alpha=1.0)',
    '  (5): Softplus(beta=2, threshold=20)',
    ')',
  ].join('\n'));
});

test('options come by position or by name, with PyTorch\'s defaults, and F takes them as the modules do', () => {
  assert.equal(new nn.GELU().approximate, 'none');
  assert.equal(new nn.GELU({}).approximate, 'none');
  assert.equal(new nn.ELU().alpha, 1);
  assert.equal(new nn.ELU({}).alpha, 1);
  const sp = new nn.Softplus(3, { threshold: 7 });
  assert.deepEqual([sp.beta, sp.threshold], [3, 7]);
  assert.deepEqual([new nn.Softplus().beta, new nn.Softplus().threshold], [1, 20]);
  const x = tensor([-3, -0.5, 0, 0.5, 2, 8]);
  const same = (a: Tensor, b: Tensor): void => assert.deepEqual(Array.from(a.toArray()), Array.from(b.toArray()));
  same(F.gelu(x, 'tanh'), F.gelu(x, { approximate: 'tanh' }));
  same(F.gelu(x), F.gelu(x, { approximate: 'none' }));
  assert.notDeepEqual(Array.from(F.gelu(x, 'tanh').toArray()), Array.from(F.gelu(x).toArray()), 'the two forms differ');
  same(F.elu(x, 0.5), F.elu(x, { alpha: 0.5 }));
  same(F.elu(x), F.elu(x, 1));
  same(F.softplus(x, 2, 3), F.softplus(x, { beta: 2, threshold: 3 }));
  same(F.softplus(x, 2, 3), F.softplus(x, 2, { threshold: 3 }));
  same(F.softplus(x), F.softplus(x, 1, 20));
  // The threshold matters: with 3, softplus(x = 2, β = 2) is x itself (βx = 4 > 3); with 20 it is not.
  assert.equal(F.softplus(tensor([2]), 2, 3).item(), 2);
  assert.notEqual(F.softplus(tensor([2]), 2, 20).item(), 2);
  // A negative alpha is PyTorch's too (out of place).
  assert.equal(F.elu(tensor([-100]), -0.5).item(), 0.5);
});

test('option errors name the option and the value; unknown keys are refused with a hint', () => {
  throwsWith(() => new nn.GELU(loose('exact')), TypeError, "GELU: approximate must be 'none' or 'tanh'", 'the string "exact"');
  throwsWith(() => new nn.GELU(loose({ approximate: true })), TypeError, 'approximate', 'true');
  throwsWith(() => new nn.GELU(loose({ approximat: 'tanh' })), TypeError, 'GELU: unknown option "approximat"', 'did you mean approximate?');
  throwsWith(() => F.gelu(tensor([1]), loose('Tanh')), TypeError, "gelu: approximate must be 'none' or 'tanh'");
  throwsWith(() => F.gelu(tensor([1]), loose({ approximate: 'tanh', inplace: false })), TypeError, 'gelu: unknown option "inplace"');
  throwsWith(() => F.gelu(loose([1, 2])), TypeError, 'gelu: input must be a Tensor');
  throwsWith(() => new nn.ELU(loose('1')), TypeError, 'ELU: alpha must be a finite number, got the string "1"');
  throwsWith(() => new nn.ELU(NaN), TypeError, 'ELU: alpha must be a finite number, got the number NaN');
  throwsWith(() => new nn.ELU(Infinity), TypeError, 'alpha', 'Infinity');
  throwsWith(() => new nn.ELU(loose({ Alpha: 2 })), TypeError, 'ELU: unknown option "Alpha"', 'did you mean alpha?');
  throwsWith(() => F.elu(tensor([1]), loose(null)), TypeError, 'elu: options must be an object of named options (alpha), got null');
  throwsWith(() => F.silu(loose(3)), TypeError, 'silu: input must be a Tensor');
  throwsWith(() => new nn.Softplus(0), RangeError, 'Softplus: beta must not be 0');
  throwsWith(() => new nn.Softplus(loose('2')), TypeError, 'Softplus: beta must be a finite number, got the string "2"');
  throwsWith(() => new nn.Softplus(1, Infinity), TypeError, 'Softplus: threshold must be a finite number, got the number Infinity');
  throwsWith(() => new nn.Softplus(1, loose('20')), TypeError, 'threshold must be a finite number, got the string "20"');
  throwsWith(() => new nn.Softplus(loose({ beta: 2, thresh: 5 })), TypeError, 'Softplus: unknown option "thresh"', 'the options are beta, threshold');
  throwsWith(() => new nn.Softplus(loose({ threshold_: 5 })), TypeError, 'did you mean threshold?');
  throwsWith(() => new nn.Softplus(2, loose({ beta: 3 })), TypeError, 'Softplus: beta given twice');
  throwsWith(() => new nn.Softplus(loose({ beta: 2 }), 10), TypeError, 'Softplus: threshold comes by position only after beta by position');
  throwsWith(() => F.softplus(tensor([1]), 1, loose({ beta: 2 })), TypeError, 'softplus: beta given twice');
  throwsWith(() => F.softplus(tensor([1]), -0), RangeError, 'softplus: beta must not be 0');
});

test('each op records its input for the backward pass (changing it in place is refused), and nothing without grad', () => {
  const ops: Array<[string, (t: Tensor) => Tensor]> = [
    ['gelu', (t) => F.gelu(t)], ['gelu tanh', (t) => F.gelu(t, 'tanh')], ['silu', F.silu], ['elu', (t) => F.elu(t, 0.5)], ['softplus', (t) => F.softplus(t, 2)],
  ];
  for (const [name, op] of ops) {
    const leaf = tensor([-1, 0.5, 2], [3], { requiresGrad: true });
    const h = leaf.mul(1);
    const y = op(h);
    assert.ok(y.requiresGrad && y.gradFn !== null, `${name}: recorded`);
    noGrad(() => h.add_(1));
    assert.throws(() => y.sum().backward(), /changed in place after the forward pass/, `${name}: the saved input changed`);
    const plain = op(tensor([-1, 0.5, 2]));
    assert.ok(!plain.requiresGrad && plain.gradFn === null, `${name}: no graph for an input without grad`);
    const off = noGrad(() => op(leaf));
    assert.ok(!off.requiresGrad && off.gradFn === null, `${name}: no graph under noGrad`);
  }
});

test('a non-contiguous input gives the values and gradient of its contiguous copy', () => {
  const base = tensor([-2, -0.5, 0, 0.25, 1, 3], [2, 3], { requiresGrad: true });
  const copy = tensor(base.T.toArray(), [3, 2], { requiresGrad: true });
  for (const op of [(t: Tensor) => F.gelu(t), (t: Tensor) => F.silu(t), (t: Tensor) => F.elu(t), (t: Tensor) => F.softplus(t, 2, 1)]) {
    base.grad = null;
    copy.grad = null;
    const a = op(base.T);
    const b = op(copy);
    assert.deepEqual(Array.from(a.toArray()), Array.from(b.toArray()));
    a.mul(tensor([1, 2, 3, 4, 5, 6], [3, 2])).sum().backward();
    b.mul(tensor([1, 2, 3, 4, 5, 6], [3, 2])).sum().backward();
    assert.deepEqual(Array.from(base.grad!.T.toArray()), Array.from(copy.grad!.toArray()));
  }
});

test('ELU\'s gradient at 0 is alpha·g (PyTorch takes the x ≤ 0 branch there); Softplus\'s at the threshold is the formula\'s', () => {
  const x = tensor([0, -0], [2], { requiresGrad: true });
  F.elu(x, 0.5).sum().backward();
  assert.deepEqual(Array.from(x.grad!.toArray()), [0.5, 0.5]);
  assert.deepEqual(Array.from(F.elu(tensor([0, -0]), 0.5).toArray()), [0, 0]);
  // βx = 20 exactly is not above the threshold: the log1p branch, whose gradient e^20 / (e^20 + 1) rounds to 1 anyway;
  // at βx = 2 = threshold with β = 1 the difference shows.
  const t = tensor([2], [1], { requiresGrad: true });
  const y = F.softplus(t, 1, 2);
  assert.equal(y.item(), Math.fround(Math.log1p(Math.fround(Math.exp(2)))));
  y.sum().backward();
  assert.equal(t.grad!.item(), Math.fround(Math.fround(Math.exp(2)) / Math.fround(Math.fround(Math.exp(2)) + 1)));
});

test('F.oneHot: a new last dimension, numClasses inferred or given, 0-d and non-contiguous labels, no gradient', () => {
  assert.deepEqual(F.oneHot(tensor([0, 2, 1])).tolist(), [[1, 0, 0], [0, 0, 1], [0, 1, 0]]);
  assert.deepEqual(F.oneHot(tensor([1, 0]), 3).tolist(), [[0, 1, 0], [1, 0, 0]]);
  assert.deepEqual(F.oneHot(tensor(2), 4).tolist(), [0, 0, 1, 0]);
  assert.deepEqual([...F.oneHot(tensor([0, 0]), 1).shape], [2, 1]);
  const m = tensor([0, 1, 2, 3, 4, 5], [2, 3]);
  assert.deepEqual(F.oneHot(m.T).tolist(), F.oneHot(tensor(m.T.toArray(), [3, 2])).tolist());
  assert.deepEqual([...F.oneHot(m.T, 7).shape], [3, 2, 7]);
  const labels = tensor([1, 0], [2], { requiresGrad: true });
  const hot = F.oneHot(labels);
  assert.ok(!hot.requiresGrad && hot.gradFn === null);
  assert.ok(hot.toArray() instanceof Float32Array);
  assert.deepEqual([...F.oneHot(tensor([]), 3).shape], [0, 3]);
});

test('F.oneHot errors: non-integer labels, numClasses that is not an integer, and PyTorch\'s range checks', () => {
  throwsWith(() => F.oneHot(tensor([0, 1.5])), RangeError, 'oneHot: labels must be integer class indices, got 1.5 at position 1', 'one_hot is only applicable to index tensor');
  throwsWith(() => F.oneHot(tensor([0, NaN])), RangeError, 'got NaN at position 1');
  throwsWith(() => F.oneHot(tensor([Infinity])), RangeError, 'got Infinity at position 0');
  throwsWith(() => F.oneHot(tensor([0, 1]), 2.5), TypeError, 'oneHot: numClasses must be an integer', 'the number 2.5');
  throwsWith(() => F.oneHot(tensor([0, 1]), loose('3')), TypeError, 'the string "3"');
  throwsWith(() => F.oneHot(loose([0, 1])), TypeError, 'oneHot: labels must be a Tensor');
  throwsWith(() => F.oneHot(tensor([2, -3, 1]), 5), RangeError, 'class values must be non-negative, got -3 at position 1');
  throwsWith(() => F.oneHot(tensor([[0, 1], [4, 2]]), 4), RangeError, 'class values must be smaller than numClasses (4), got 4 at position 2');
  throwsWith(() => F.oneHot(tensor([0]), 0), RangeError, 'Class values must be smaller than num_classes.');
  throwsWith(() => F.oneHot(tensor([])), RangeError, 'cannot infer the number of classes from an empty tensor (shape [0])');
  throwsWith(() => F.oneHot(tensor([3e9])), RangeError, 'oneHot: the result would have shape [1, 3000000001]');
});
