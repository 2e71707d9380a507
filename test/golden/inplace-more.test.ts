// PyTorch's in-place tensor methods on a computed tensor (fixtures/torch/inplace-more.json, from
// make_inplace_more.py): ceil_ … trunc_, sin_, cos_, square_, sign_, pow_, the gamma functions, the comparisons eq_ …
// ge_ and their aliases, maskedFill_, cumsum_, tril_, the products addmm_ … addbmm_, renorm_ and heaviside_ — each
// returns the tensor itself, with PyTorch's values, node name and gradients (the operands' too); renorm out of
// place; ldexp_ outside the graph; and the refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { noGrad, renorm, tensor, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

interface Operand extends EncodedTensor { requiresGrad: boolean }
interface Case {
  name: string; method: string; args: unknown[]; shift: number | null; input: EncodedTensor; operands: Record<string, Operand>;
  out: EncodedTensor; node: string; upstream: EncodedTensor; grad?: EncodedTensor; operandGrads?: Record<string, EncodedTensor>; backwardError?: string;
}
interface Refusal { type: string; message: string }
const fx = loadFixture<{
  cases: Case[];
  ldexp: { input: EncodedTensor; other: EncodedTensor; out: EncodedTensor; refusal: Refusal };
  renorm: { input: EncodedTensor; out: EncodedTensor; node: string; upstream: EncodedTensor; grad: EncodedTensor };
  refusals: Record<string, Refusal>;
}>('inplace-more.json');

const TOL = { rtol: 3e-6, atol: 1e-6 };
const special = (v: unknown): unknown => (v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v);

for (const c of fx.cases) {
  test(`x.${c.name}: in place, PyTorch's values, node ${c.node} and gradients`, () => {
    const leaf = decode(c.input, true);
    const h = c.shift === null ? leaf.mul(1.5) : leaf.abs().mul(1.5).add(c.shift);
    const operands = Object.fromEntries(Object.entries(c.operands).map(([k, o]) => [k, decode(o, o.requiresGrad)]));
    const args = c.args.map((a) => (typeof a === 'object' && a !== null && 't' in a ? operands[(a as { t: string }).t] : special(a)));
    const method = (h as unknown as Record<string, (...a: unknown[]) => Tensor>)[c.method];
    assert.equal(typeof method, 'function', `Tensor.${c.method} exists`);
    const r = method!.apply(h, args);
    assert.equal(r, h, 'returns the tensor itself');
    assertTensorClose(r, c.out, 'values', TOL);
    assert.equal(r.gradFn?.torchName === 'NotImplemented' ? 'torch::autograd::NotImplemented' : r.gradFn?.torchName, c.node);
    if (c.backwardError !== undefined) {
      assert.throws(() => r.backward(decode(c.upstream)), /not implemented/);
      return;
    }
    r.backward(decode(c.upstream));
    assertTensorClose(leaf.grad, c.grad!, 'gradient', TOL);
    for (const [k, g] of Object.entries(c.operandGrads ?? {})) assertTensorClose(operands[k]!.grad, g, `gradient of ${k}`, TOL);
  });
}

test('the comparison cases compare equal elements too (the fixture is not all zeros or all ones)', () => {
  for (const name of ['eq_ tensor', 'notEqual_']) {
    const out = fx.cases.find((c) => c.name === name)!.out.data as number[];
    assert.ok(out.includes(0) && out.includes(1), `${name}: ${out.join(',')}`);
  }
});

test('renorm out of place: PyTorch\'s values, RenormBackward0 and gradient; the input unchanged', () => {
  const leaf = decode(fx.renorm.input, true);
  const before = leaf.toArray();
  const y = renorm(leaf, 2, 1, 0.7);
  assertTensorClose(y, fx.renorm.out, 'values', TOL);
  assert.equal(y.gradFn?.torchName, fx.renorm.node);
  y.backward(decode(fx.renorm.upstream));
  assertTensorClose(leaf.grad, fx.renorm.grad, 'gradient', TOL);
  assert.deepEqual(leaf.toArray(), before);
  assert.deepEqual(leaf.renorm(2, 1, 0.7).toArray(), y.toArray(), 'the method is the function');
});

test('ldexp_ outside the graph: PyTorch\'s values; on a computed tensor Kindling follows it (PyTorch 1.13 refuses)', () => {
  const x = decode(fx.ldexp.input);
  const e = decode(fx.ldexp.other);
  assert.equal(x.ldexp_(e), x);
  assertTensorClose(x, fx.ldexp.out, 'values', { rtol: 0, atol: 0 });
  assert.match(fx.ldexp.refusal.message, /automatic differentiation/);
  const leaf = tensor([1, -2, 3, 0.5], { requiresGrad: true });
  const h = leaf.mul(1);
  h.ldexp_(tensor([1, 2, 0, -1]));
  assert.deepEqual(Array.from(h.toArray()), [2, -8, 3, 0.25]);
  h.sum().backward();
  assert.deepEqual(Array.from(leaf.grad!.toArray()), [2, 4, 1, 0.5]);
});

test('refused as PyTorch refuses: renorm\'s p, maxnorm and rank; out-of-range dims; shapes that do not fit the tensor', () => {
  const r = fx.refusals;
  assert.throws(() => renorm(tensor([[1, 2]]), 0, 0, 1), /p must be above 0/);
  assert.match(r['renorm p0']!.message, /non-positive-norm/);
  assert.throws(() => renorm(tensor([[1, 2]]), 2, 0, -1), /maxnorm must be 0 or more, got -1/);
  assert.match(r['renorm negative max']!.message, /maxnorm to be >= 0/);
  assert.throws(() => renorm(tensor([1, 2]), 2, 0, 1), /at least 2 dimensions.*\[2\]/);
  assert.match(r['renorm 1-d']!.message, /at least 2 dimensions/);
  assert.throws(() => tensor([[1, 2]]).cumsum_(2), /out of range|range/i);
  assert.equal(r['cumsum_ dim']!.type, 'IndexError');
  assert.throws(() => tensor([1, 2]).tril_(), /2-D|dimensions|at least/);
  const row = tensor([1, 2, 3, 4]);
  const grid = tensor([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]);
  for (const [what, call] of [['pow_', () => row.pow_(grid)], ['eq_', () => row.eq_(grid)], ['maskedFill_', () => row.maskedFill_(grid.gt(0), 1)]] as const) {
    assert.throws(call, /output with shape \[4\] doesn't match the broadcast shape \[3, 4\]/, what);
  }
  assert.match(r['pow_ broadcast']!.message, /output with shape \[4\] doesn't match the broadcast shape \[3, 4\]/);
  assert.deepEqual(Array.from(row.toArray()), [1, 2, 3, 4], 'a refused change leaves the tensor as it was');
  assert.throws(() => grid.addmm_(tensor([[1, 2], [3, 4], [5, 6]]), grid), /cannot be multiplied|shape/);
  assert.throws(() => row.addr_(tensor([1, 2, 3]), row), /cannot be written into a tensor of shape \[4\]/);
});

test('a leaf that requires grad is refused, as PyTorch refuses it; inside noGrad it changes', () => {
  const w = tensor([0.4, 1.6], { requiresGrad: true });
  assert.throws(() => w.round_(), /leaf tensor that requires grad/);
  assert.throws(() => w.eq_(0.4), /leaf tensor that requires grad/);
  assert.deepEqual(Array.from(w.toArray()), [Math.fround(0.4), Math.fround(1.6)]);
  noGrad(() => w.round_());
  assert.deepEqual(Array.from(w.toArray()), [0, 2]);
  assert.equal(w.gradFn, null, 'still a leaf');
});
