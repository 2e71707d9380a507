// The torch.* forms of in-place methods (torch.exp_(x) is x.exp_()), the arc* aliases and the other torch functions
// that are Tensor methods (renorm, msort, matrixExp, pinverse, isNonzero, …): each is its method, called on its first
// argument — the same object back for the in-place ones, the same values and node. The methods themselves are
// checked against PyTorch in test/golden.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as torch from '../../src/index.js';
import { tensor, type Tensor } from '../../src/index.js';

type Fn = (...a: unknown[]) => Tensor;
const fn = (name: string): Fn => {
  const f = (torch as unknown as Record<string, Fn>)[name];
  assert.equal(typeof f, 'function', `torch.${name} exists`);
  return f!;
};
const method = (x: Tensor, name: string): Fn => (x as unknown as Record<string, Fn>)[name]!.bind(x);
const values = (t: Tensor): number[] => Array.from(t.toArray());
const computed = (): { leaf: Tensor; x: Tensor } => {
  const leaf = tensor([[0.3, 0.6, 0.9], [0.45, 0.15, 0.75]], { requiresGrad: true });
  return { leaf, x: leaf.mul(1) };
};

// [torch name, method name, arguments]
const IN_PLACE: [string, string, unknown[]][] = [
  ['abs_', 'abs_', []], ['absolute_', 'abs_', []], ['neg_', 'neg_', []], ['negative_', 'neg_', []], ['exp_', 'exp_', []],
  ['exp2_', 'exp2_', []], ['expm1_', 'expm1_', []], ['log_', 'log_', []], ['log2_', 'log2_', []], ['log10_', 'log10_', []],
  ['log1p_', 'log1p_', []], ['sqrt_', 'sqrt_', []], ['rsqrt_', 'rsqrt_', []], ['square_', 'square_', []], ['reciprocal_', 'reciprocal_', []],
  ['sigmoid_', 'sigmoid_', []], ['tanh_', 'tanh_', []], ['relu_', 'relu_', []], ['sin_', 'sin_', []], ['cos_', 'cos_', []], ['tan_', 'tan_', []],
  ['asin_', 'asin_', []], ['acos_', 'acos_', []], ['atan_', 'atan_', []], ['sinh_', 'sinh_', []], ['cosh_', 'cosh_', []], ['asinh_', 'asinh_', []],
  ['atanh_', 'atanh_', []], ['arcsin_', 'asin_', []], ['arccos_', 'acos_', []], ['arctan_', 'atan_', []], ['arcsinh_', 'asinh_', []],
  ['arctanh_', 'atanh_', []], ['ceil_', 'ceil_', []], ['floor_', 'floor_', []], ['round_', 'round_', [{ decimals: 1 }]], ['trunc_', 'trunc_', []],
  ['fix_', 'trunc_', []], ['frac_', 'frac_', []], ['erf_', 'erf_', []], ['erfc_', 'erfc_', []], ['sinc_', 'sinc_', []], ['deg2rad_', 'deg2rad_', []],
  ['rad2deg_', 'rad2deg_', []], ['i0_', 'i0_', []], ['logit_', 'logit_', [0.01]], ['nanToNum_', 'nanToNum_', [0]], ['clamp_', 'clamp_', [0.2, 0.7]],
  ['clip_', 'clamp_', [0.2, 0.7]], ['clampMin_', 'clampMin_', [0.5]], ['clampMax_', 'clampMax_', [0.5]], ['xlogy_', 'xlogy_', [2]],
  ['ldexp_', 'ldexp_', [tensor([1, 2, -1])]], ['fill_', 'fill_', [0.25]], ['zero_', 'zero_', []], ['detach_', 'detach_', []],
];

for (const [name, m, args] of IN_PLACE) {
  test(`torch.${name}(x) is x.${m}(): the same tensor back, the same values and node`, () => {
    const a = computed();
    const b = computed();
    const r = fn(name)(a.x, ...args);
    assert.equal(r, a.x);
    method(b.x, m)(...args);
    assert.deepEqual(values(r), values(b.x));
    assert.equal(r.gradFn?.torchName, b.x.gradFn?.torchName);
  });
}

test('torch.acosh_ and torch.arccosh_ on values above 1 (their node has no derivative, as in PyTorch 1.13)', () => {
  for (const name of ['acosh_', 'arccosh_']) {
    const x = tensor([1.5, 2, 3]);
    assert.equal(fn(name)(x), x);
    assert.deepEqual(values(x), values(tensor([1.5, 2, 3]).acosh()));
  }
});

test('torch.addmv_ is x.addmv_', () => {
  const x = tensor([1, 2]);
  assert.equal(fn('addmv_')(x, tensor([[1, 2], [3, 4]]), tensor([1, 1]), { beta: 2 }), x);
  assert.deepEqual(values(x), [5, 11]);
});

test('the arc* aliases are asin … atanh and atan2', () => {
  const x = tensor([0.1, 0.5, 0.9]);
  for (const [alias, m] of [['arcsin', 'asin'], ['arccos', 'acos'], ['arctan', 'atan'], ['arcsinh', 'asinh'], ['arctanh', 'atanh']]) {
    assert.deepEqual(values(fn(alias!)(x)), values(method(x, m!)()), alias);
  }
  assert.deepEqual(values(fn('arccosh')(tensor([1.5, 2]))), values(tensor([1.5, 2]).acosh()));
  assert.deepEqual(values(fn('arctan2')(x, tensor([1, -1, 2]))), values(x.atan2(tensor([1, -1, 2]))));
});

test('renorm, msort, positive, matrixExp, matrixPower and pinverse are their methods', () => {
  const a = tensor([[3, 4], [0.3, 0.4]]);
  assert.deepEqual(values(fn('renorm')(a, 2, 0, 1)), values(a.renorm(2, 0, 1)));
  assert.deepEqual(values(fn('renorm')(a, 2, 0, 1)).map((v) => Math.round(v * 1e5) / 1e5), [0.6, 0.8, 0.3, 0.4]);
  assert.deepEqual(values(fn('msort')(tensor([[3, 1], [1, 2], [2, 0]]))), [1, 0, 2, 1, 3, 2]);
  assert.equal(fn('positive')(a), a);
  const m = tensor([[0, 1], [-1, 0]]);
  assert.deepEqual(values(fn('matrixExp')(m)), values(m.matrixExp()));
  assert.deepEqual(values(fn('matrixPower')(m, 2)), [-1, 0, 0, -1]);
  const p = values(fn('pinverse')(tensor([[2, 0], [0, 4], [0, 0]])));
  assert.deepEqual(p.map((v) => Math.round(v * 1e6) / 1e6), [0.5, 0, 0, 0, 0.25, 0]);
});

test('isTensor, isFloatingPoint, isComplex, isNonzero and isSameSize, as PyTorch\'s; not a tensor is a TypeError', () => {
  assert.equal(torch.isTensor(tensor([1])), true);
  assert.equal(torch.isTensor([1]), false);
  assert.equal(torch.isFloatingPoint(tensor([1])), true);
  assert.equal(torch.isComplex(tensor([1])), false);
  assert.equal(torch.isNonzero(tensor([0.5])), true);
  assert.equal(torch.isNonzero(tensor([[0]])), false);
  assert.equal(torch.isNonzero(tensor([NaN])), true);
  assert.throws(() => torch.isNonzero(tensor([1, 2])), /Boolean value of Tensor with more than one value is ambiguous \(shape \[2\]/);
  assert.throws(() => torch.isNonzero(tensor([])), /Boolean value of Tensor with no values is ambiguous/);
  assert.equal(torch.isSameSize(tensor([[1, 2]]), tensor([[3, 4]])), true);
  assert.equal(torch.isSameSize(tensor([[1, 2]]), tensor([3, 4])), false);
  assert.throws(() => torch.isSameSize(tensor([1]), [1] as unknown as Tensor), /argument 'other' \(position 2\) must be Tensor/);
  assert.throws(() => torch.exp_([1, 2] as unknown as Tensor), /exp_\(\): argument 'input' \(position 1\) must be Tensor/);
});
