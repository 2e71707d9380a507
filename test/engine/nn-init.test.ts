// nn.init beyond the golden values (test/golden/init.test.ts): argument forms, the generator option, autograd and
// versions, a Linear weight's transposed storage, and the errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Generator, manualSeed, nn, rand, randn, tensor, zeros, type Tensor } from '../../src/index.js';
import { loose, throwsWith } from './throws.js';

const { init } = nn;
const vals = (t: Tensor): number[] => Array.from(t.toArray());

test('nn.init: uniform_ and normal_ take their bounds by position or by name, and a generator', () => {
  const draw = (fill: (t: Tensor) => Tensor): number[] => {
    manualSeed(5);
    return vals(fill(zeros(3, 7)));
  };
  const u = draw((t) => init.uniform_(t, -2, 3));
  assert.deepEqual(draw((t) => init.uniform_(t, { a: -2, b: 3 })), u);
  assert.deepEqual(draw((t) => init.uniform_(t, -2, { b: 3 })), u);
  assert.ok(u.every((v) => v >= -2 && v < 3));
  assert.deepEqual(vals(init.uniform_(zeros(3, 7), -2, 3, { generator: new Generator(5) })), u);
  manualSeed(5);
  const r = vals(rand(21));
  assert.deepEqual(draw((t) => init.uniform_(t)), r, 'U(0, 1) as rand');

  const n = draw((t) => init.normal_(t, 1, 0.5));
  assert.deepEqual(draw((t) => init.normal_(t, { mean: 1, std: 0.5 })), n);
  assert.deepEqual(vals(init.normal_(zeros(3, 7), { mean: 1, std: 0.5, generator: new Generator(5) })), n);
  manualSeed(5);
  const z = vals(randn(21));
  assert.deepEqual(draw((t) => init.normal_(t)), z, 'N(0, 1) as randn');
});

test('nn.init: xavier and kaiming take gain / a by position or by name, and a generator', () => {
  const w = (): Tensor => zeros(6, 4, 3);
  const same = (a: Tensor, b: Tensor): void => assert.deepEqual(a.toArray(), b.toArray());
  manualSeed(2);
  const x = init.xavierUniform_(w(), 2);
  same(init.xavierUniform_(w(), { gain: 2, generator: new Generator(2) }), x);
  same(init.xavierUniform_(w(), 2, { generator: new Generator(2) }), x);
  // √6 · gain / √(fanIn + fanOut) = √6 · 2 / √(12 + 18)
  const bound = Math.sqrt(3) * 2 * Math.sqrt(2 / 30);
  assert.ok(vals(x).every((v) => Math.abs(v) <= bound));
  manualSeed(2);
  const k = init.kaimingNormal_(w(), 0.1, { mode: 'fan_out', nonlinearity: 'leaky_relu' });
  same(init.kaimingNormal_(w(), { a: 0.1, mode: 'fan_out', generator: new Generator(2) }), k);
  same(init.kaimingNormal_(w(), { a: 0.1, mode: loose('FAN_OUT'), generator: new Generator(2) }), k);
});

test('nn.init: fills a parameter without recording autograd, counts one in-place change, returns the tensor', () => {
  const p = new nn.Parameter(zeros(3, 4));
  for (const fill of [
    (t: Tensor) => init.uniform_(t), (t: Tensor) => init.normal_(t), (t: Tensor) => init.xavierNormal_(t),
    (t: Tensor) => init.kaimingUniform_(t), (t: Tensor) => init.constant_(t, 0.5), (t: Tensor) => init.ones_(t),
    (t: Tensor) => init.zeros_(t), (t: Tensor) => init.eye_(t),
  ]) {
    const v = p.version;
    assert.equal(fill(p), p);
    assert.equal(p.version, v + 1);
    assert.equal(p.gradFn, null);
    assert.equal(p.requiresGrad, true);
  }
  // A non-leaf of a graph too, as under torch.no_grad (its saved-for-backward users then refuse it by version).
  const x = tensor([1, 2, 3], { requiresGrad: true });
  const y = x.mul(2);
  init.ones_(y);
  assert.deepEqual(vals(y), [1, 1, 1]);
});

test('nn.init: a Linear weight (stored transposed) is filled in row-major [out, in] order, as PyTorch fills its own', () => {
  const lin = new nn.Linear(5, 3);
  init.uniform_(lin.weight, { generator: new Generator(9) });
  const row = init.uniform_(zeros(3, 5), { generator: new Generator(9) });
  assert.deepEqual(lin.weight.toArray(), row.toArray());
  assert.deepEqual(lin.weight.strides, [1, 3], 'still stored [in, out]');
  init.normal_(lin.weight, { generator: new Generator(9) });
  assert.deepEqual(lin.weight.toArray(), init.normal_(zeros(3, 5), { generator: new Generator(9) }).toArray());
  init.eye_(lin.weight);
  assert.deepEqual(vals(lin.weight), [1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0]);
  // And the layer computes with it.
  assert.deepEqual(vals(lin.forward(tensor([1, 2, 3, 4, 5])).sub(lin.bias!)), [1, 2, 3]);
});

test('nn.init: Linear.resetParameters draws as kaimingUniform_(a = √5) then uniform_(±1/√in)', () => {
  manualSeed(11);
  const lin = new nn.Linear(6, 4);
  assert.equal(lin.weight.version, 0);
  manualSeed(11);
  const w = init.kaimingUniform_(zeros(4, 6), Math.sqrt(5));
  const b = init.uniform_(zeros(4), -1 / Math.sqrt(6), 1 / Math.sqrt(6));
  assert.deepEqual(lin.weight.toArray(), w.toArray());
  assert.deepEqual(lin.bias!.toArray(), b.toArray());
});

test('nn.init: calculateGain and the fans', () => {
  assert.equal(init.calculateGain('relu'), Math.SQRT2);
  assert.equal(init.calculateGain('leaky_relu'), Math.sqrt(2 / (1 + 0.0001)));
  assert.equal(init.calculateGain('leaky_relu', Math.sqrt(5)), Math.sqrt(2 / 6.000000000000001));
  assert.equal(init.calculateGain('tanh'), 5 / 3);
  assert.deepEqual(init.calculateFanInAndFanOut(zeros(16, 3, 5, 5)), [75, 400]);
  throwsWith(() => init.calculateGain(loose('gelu')), RangeError, 'calculateGain', '"gelu"', 'leaky_relu');
  throwsWith(() => init.calculateGain('leaky_relu', loose(true)), TypeError, 'calculateGain', 'negative slope');
  throwsWith(() => init.calculateFanInAndFanOut(zeros(5)), RangeError, 'fewer than 2 dimensions', '[5]');
});

test('nn.init: errors name the function, the shape and the option', () => {
  throwsWith(() => init.xavierUniform_(zeros(5)), RangeError, 'xavierUniform_', 'fewer than 2 dimensions', '[5]');
  throwsWith(() => init.kaimingNormal_(zeros(7), { mode: 'fan_out' }), RangeError, 'kaimingNormal_', '[7]');
  throwsWith(() => init.kaimingUniform_(zeros(3, 4), { mode: loose('fan_avg') }), RangeError, 'kaimingUniform_', '"fan_avg"', "'fan_in' or 'fan_out'");
  throwsWith(() => init.kaimingUniform_(zeros(3, 4), { nonlinearity: loose('gelu') }), RangeError, 'kaimingUniform_: unsupported nonlinearity "gelu"');
  throwsWith(() => init.kaimingUniform_(zeros(3, 4), loose({ weight_decay: 1 })), TypeError, 'kaimingUniform_', 'unknown option "weight_decay"');
  throwsWith(() => init.kaimingUniform_(zeros(3, 4), loose('0.1')), TypeError, 'kaimingUniform_', 'a must be a number');
  throwsWith(() => init.xavierNormal_(zeros(3, 4), { generator: loose(42) }), TypeError, 'xavierNormal_', 'generator must be a Generator');
  throwsWith(() => init.uniform_(zeros(3), 1, 0), RangeError, 'uniform_', 'a = 1 > b = 0');
  throwsWith(() => init.uniform_(zeros(3), -Infinity, 0), RangeError, 'uniform_', 'float32 range');
  throwsWith(() => init.uniform_(zeros(3), 1, 2, loose(3)), TypeError, 'uniform_', 'named options');
  throwsWith(() => init.uniform_(zeros(3), 1, { a: 2 }), TypeError, 'uniform_', 'a given twice');
  throwsWith(() => init.normal_(zeros(3), 0, -1), RangeError, 'normal_', 'std must be ≥ 0');
  throwsWith(() => init.eye_(zeros(2, 3, 4)), RangeError, 'eye_', '2 dimensions', '[2, 3, 4]');
  throwsWith(() => init.dirac_(zeros(3, 3)), RangeError, 'dirac_', '3, 4 or 5 dimensions', '[3, 3]');
  throwsWith(() => init.dirac_(zeros(4, 2, 3), 3), RangeError, 'dirac_', 'divisible by groups');
  throwsWith(() => init.constant_(zeros(3), loose(undefined)), TypeError, 'constant_', 'required');
  throwsWith(() => init.constant_(zeros(3), loose('1')), TypeError, 'constant_', 'must be a number');
  throwsWith(() => init.uniform_(loose([1, 2])), TypeError, 'uniform_');
  throwsWith(() => init.uniform_(zeros(1, 3).expand([2, 3])), Error, 'uniform_', 'share one memory location');
  // Nothing was drawn for a call refused.
  manualSeed(1);
  const first = rand(3).toArray();
  manualSeed(1);
  assert.throws(() => init.uniform_(zeros(3), 1, 0));
  assert.deepEqual(rand(3).toArray(), first);
});

test('nn.init: a tensor with no elements is left alone, drawing nothing', () => {
  manualSeed(4);
  const first = rand(3).toArray();
  manualSeed(4);
  for (const t of [zeros(0, 3), zeros(3, 0, 2)]) {
    init.kaimingUniform_(t, { mode: loose('anything') });
    init.xavierNormal_(t);
    init.uniform_(t);
    init.normal_(t);
    init.zeros_(t);
  }
  assert.deepEqual(rand(3).toArray(), first);
});
