// nn.Bilinear and F.bilinear against PyTorch 1.13 (fixtures/torch/bilinear.json, make_bilinear.py): the initial
// weight and bias after manualSeed bit for bit (uniform ±1/√in1, weight first) and where the stream stands after;
// outputs and the gradients of both inputs, the weight and the bias within rtol 1e-5 (PyTorch's _trilinear sums in
// another order), grad_fn names, PyTorch's refusals and the repr.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, manualSeed, nn, ones, rand, zeros, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, values, type EncodedTensor } from './golden-helpers.js';

interface InitCase { seed: number; in1: number; in2: number; out: number; bias: boolean; repr: string; weight: EncodedTensor; biasValue: EncodedTensor | null; next: EncodedTensor }
interface Case {
  name: string; input1: EncodedTensor; input2: EncodedTensor; weight: EncodedTensor; bias: EncodedTensor | null; output: EncodedTensor;
  upstream: EncodedTensor; grad1: EncodedTensor; grad2: EncodedTensor; gradWeight: EncodedTensor; gradBias: EncodedTensor | null; gradFn: string;
}
const fx = loadFixture<{ init: InitCase[]; cases: Case[]; errors: { name: string; expr: string; error: string }[] }>('bilinear.json');
const bits = (t: Tensor | null): number[] => Array.from(t!.toArray());
// PyTorch's _trilinear sums the products in another order than Kindling's matmul-then-sum: float32 rounding apart.
const TOL = { rtol: 1e-5, atol: 1e-5 };

test('new nn.Bilinear after manualSeed has PyTorch\'s weight and bias bit for bit, its repr, and leaves the stream where PyTorch does', () => {
  assert.equal(fx.init.length, 4);
  for (const c of fx.init) {
    manualSeed(c.seed);
    const m = new nn.Bilinear(c.in1, c.in2, c.out, c.bias);
    assert.equal(String(m), c.repr);
    assert.deepEqual(m.weight.shape, c.weight.shape);
    assert.deepEqual(bits(m.weight), values(c.weight), `seed ${c.seed}: weight`);
    if (c.biasValue === null) assert.equal(m.bias, null);
    else assert.deepEqual(bits(m.bias), values(c.biasValue), `seed ${c.seed}: bias`);
    assert.deepEqual(bits(rand(2)), values(c.next), `seed ${c.seed}: next draws`);
    assert.deepEqual(Object.keys(m.stateDict()), c.bias ? ['weight', 'bias'] : ['weight']);
  }
});

test('F.bilinear: outputs and the gradients of both inputs, the weight and the bias as PyTorch\'s, with its grad_fn', () => {
  assert.ok(fx.cases.length >= 6 && fx.cases.some((c) => c.bias === null) && fx.cases.some((c) => c.input1.shape.length === 1));
  for (const c of fx.cases) {
    const x1 = decode(c.input1, true);
    const x2 = decode(c.input2, true);
    const w = decode(c.weight, true);
    const b = c.bias === null ? null : decode(c.bias, true);
    const y = F.bilinear(x1, x2, w, b);
    assertTensorClose(y, c.output, `${c.name}: output`, TOL);
    assert.equal(y.gradFn?.torchName, c.gradFn, `${c.name}: grad_fn`);
    y.mul(decode(c.upstream)).sum().backward();
    assertTensorClose(x1.grad, c.grad1, `${c.name}: input1 grad`, TOL);
    assertTensorClose(x2.grad, c.grad2, `${c.name}: input2 grad`, TOL);
    assertTensorClose(w.grad, c.gradWeight, `${c.name}: weight grad`, TOL);
    if (c.gradBias !== null) assertTensorClose(b!.grad, c.gradBias, `${c.name}: bias grad`, TOL);
    // nn.Bilinear with these parameters computes the same.
    const m = new nn.Bilinear(c.weight.shape[1]!, c.weight.shape[2]!, c.weight.shape[0]!, c.bias !== null);
    m.weight = new nn.Parameter(decode(c.weight));
    if (c.bias !== null) m.bias = new nn.Parameter(decode(c.bias));
    assert.deepEqual(bits(m.forward(decode(c.input1), decode(c.input2))), bits(y), `${c.name}: module`);
  }
});

test('refusals carry PyTorch\'s messages', () => {
  const w = zeros(4, 2, 3);
  const calls: Record<string, () => unknown> = {
    batch: () => F.bilinear(ones(5, 2), ones(4, 3), w), ranks: () => F.bilinear(ones(5, 2), ones(5, 3, 1), w),
    input1: () => F.bilinear(ones(5, 3), ones(5, 3), w), input2: () => F.bilinear(ones(5, 2), ones(5, 4), w),
    bias: () => F.bilinear(ones(5, 2), ones(5, 3), w, ones(3)),
  };
  for (const e of fx.errors) assert.throws(calls[e.name]!, (err: Error) => err.message === e.error, `${e.name}: ${e.error}`);
  assert.throws(() => new nn.Bilinear(2, -1, 3), /Bilinear: in2Features must be a non-negative integer, got the number -1/);
  assert.throws(() => new nn.Bilinear(2, 3, 3, { bias: 1 } as object), /Bilinear: bias must be true or false/);
  assert.throws(() => F.bilinear(ones(2), ones(3), zeros(2, 3)), /weight must be 3-D/);
});
