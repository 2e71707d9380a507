// F.cosineSimilarity and F.pairwiseDistance against PyTorch 1.13 (fixtures/torch/distance.json, from
// make_distance.py): values, gradients of both operands and grad_fn names over several shapes, dims, p, eps and
// keepdim, with zero vectors for cosine; and the refusals of shapes that do not broadcast.
// Tolerance: rtol 1e-5 (the norms are float32 sums of squares summed in a different order than PyTorch's kernel);
// gradients atol 1e-5: a broadcast operand's gradient sums terms of order 1 that cancel to ~1e-6.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

interface Case {
  x1: EncodedTensor;
  x2: EncodedTensor;
  options: Record<string, number | boolean | string>;
  out: EncodedTensor;
  upstream: EncodedTensor;
  gradX1: EncodedTensor;
  gradX2: EncodedTensor;
  gradFn: string;
}
const fx = loadFixture<{ cosineSimilarity: Case[]; pairwiseDistance: Case[] }>('distance.json');
const tol = { rtol: 1e-5, atol: 1e-6 };
const gradTol = { rtol: 1e-5, atol: 1e-5 };

function options(o: Case['options']): Record<string, number | boolean> {
  const out: Record<string, number | boolean> = {};
  for (const [k, v] of Object.entries(o)) out[k] = v === 'Infinity' ? Infinity : (v as number | boolean);
  return out;
}

for (const [name, fn] of [['cosineSimilarity', F.cosineSimilarity], ['pairwiseDistance', F.pairwiseDistance]] as const) {
  fx[name].forEach((c, i) => {
    test(`F.${name} #${i} ${JSON.stringify(c.options)} ${c.x1.shape}×${c.x2.shape} matches PyTorch (value, grads, grad_fn)`, () => {
      const a = decode(c.x1, true);
      const b = decode(c.x2, true);
      const out = fn(a, b, options(c.options));
      assertTensorClose(out, c.out, 'out', tol);
      assert.equal(out.gradFn?.torchName, c.gradFn);
      out.backward(decode(c.upstream));
      assertTensorClose(a.grad, c.gradX1, 'grad x1', gradTol);
      assertTensorClose(b.grad, c.gradX2, 'grad x2', gradTol);
    });
  });
}

test('F.cosineSimilarity and F.pairwiseDistance refuse shapes that do not broadcast, as PyTorch', () => {
  const a = decode({ shape: [2, 3], data: [1, 2, 3, 4, 5, 6] });
  const b = decode({ shape: [2, 4], data: [1, 2, 3, 4, 5, 6, 7, 8] });
  assert.throws(() => F.cosineSimilarity(a, b), /The size of tensor a \(3\) must match the size of tensor b \(4\) at non-singleton dimension 1/);
  assert.throws(() => F.pairwiseDistance(a, b), /The size of tensor a \(3\) must match the size of tensor b \(4\) at non-singleton dimension 1/);
  assert.throws(() => F.cosineSimilarity(a, a, { dim: 2 }), /Dimension out of range/);
});
