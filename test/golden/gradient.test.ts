// gradient (torch.gradient) against PyTorch 1.13, bit for bit (fixtures/torch/gradient.json, from make_gradient.py): 1-D, 2-D
// and 3-D inputs with the default spacing, one number, one per dimension, coordinates (uneven spacing), chosen dims,
// edge orders 1 and 2; the gradient flowing back through it; and PyTorch's refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autograd, gradient, tensor, type GradientOptions, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

type E = EncodedTensor;
interface Kwargs { spacing?: number | number[] | E[]; dim?: number | number[]; edge_order?: 1 | 2 }
const fx = loadFixture<{
  cases: Record<string, { input: E; kwargs: Kwargs; result: E[] }>;
  backward: { input: E; coords: E[]; upstream: E[]; grad: E };
  refusals: Record<string, { type: string; message: string }>;
}>('gradient.json');

const TOL = { rtol: 0, atol: 0 };

function optionsOf(k: Kwargs): GradientOptions {
  const o: { spacing?: number | number[] | Tensor[]; dim?: number | number[]; edgeOrder?: 1 | 2 } = {};
  if (k.spacing !== undefined) o.spacing = Array.isArray(k.spacing) && typeof k.spacing[0] === 'object' ? (k.spacing as E[]).map((e) => decode(e)) : (k.spacing as number | number[]);
  if (k.dim !== undefined) o.dim = k.dim;
  if (k.edge_order !== undefined) o.edgeOrder = k.edge_order;
  return o;
}

for (const [name, c] of Object.entries(fx.cases)) {
  test(`gradient (${name}): PyTorch's estimates, one tensor per dimension`, () => {
    const got = gradient(decode(c.input), optionsOf(c.kwargs));
    assert.equal(got.length, c.result.length);
    got.forEach((g, i) => assertTensorClose(g, c.result[i]!, `${name}[${i}]`, TOL));
  });
}

test('gradient is differentiable: PyTorch\'s input gradient through both dimensions with coordinates and edge order 2', () => {
  const b = fx.backward;
  const x = decode(b.input, true);
  const parts = gradient(x, { spacing: b.coords.map((e) => decode(e)), edgeOrder: 2 });
  autograd.backward(parts, b.upstream.map((e) => decode(e)));
  assertTensorClose(x.grad, b.grad, 'input gradient', { rtol: 1e-5, atol: 1e-5 });
});

test('gradient of samples of x² at x = 0, 1, 2, 3 is 2x inside, as the chapter of any calculus book', () => {
  const [g] = gradient(tensor([0, 1, 4, 9]), { edgeOrder: 2 }) as [Tensor];
  assert.deepEqual([...g.toArray()], [0, 2, 4, 6]);
});

test('gradient refuses what PyTorch refuses', () => {
  assert.match(fx.refusals.small!.message, /expected each dimension size to be at least edge_order\+1/);
  assert.throws(() => gradient(tensor([1, 2]), { edgeOrder: 2 }), /expected each dimension size to be at least edgeOrder \+ 1 = 3/);
  assert.throws(() => gradient(tensor([1, 2, 3, 4, 5, 6, 7]), { spacing: [tensor([0, 1, 2, 3, 4])] }), /coordinates for dimension 0 must be a 1-D tensor of 7 values/);
  assert.throws(() => gradient(tensor([[1, 2, 3], [4, 5, 6]]), { spacing: [tensor([0, 1]), 2] as never }), /all numbers or all coordinate tensors/);
  assert.throws(() => gradient(tensor([1, 2, 3]), { dim: 1 }), /dim 1 is out of range/);
  assert.throws(() => gradient(tensor([1, 2, 3]), { edgeOrder: 3 as never }), /edgeOrder must be 1 or 2/);
  assert.throws(() => gradient(tensor([1, 2, 3]), { dim: {} as never }), /^TypeError: gradient: dim must be an integer or an array of integers \(or left out for every dimension\), got/);
});
