// fmod's and remainder's gradients for their divisor, −grad · trunc(a / b) and −grad · floor(a / b), keep a graph
// with createGraph, as PyTorch 1.13's do (its quotient is div with a rounding mode, DivBackward2, whose gradients are
// zeros): differentiating them again gives zeros, where it was refused as having no grad_fn.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autograd, fmod, remainder, tensor } from '../../src/index.js';

for (const [name, op, gb] of [['fmod', fmod, [-2, 4]], ['remainder', remainder, [-2, 6]]] as const) {
  test(`${name}: the divisor's gradient under createGraph differentiates again to zeros (PyTorch 1.13's values)`, () => {
    const a = tensor([5.5, -3.2], { requiresGrad: true });
    const b = tensor([2, 1.5], { requiresGrad: true });
    const [, gradB] = autograd.grad(op(a, b).mul(tensor([1, 2])).sum(), [a, b], { createGraph: true });
    // PyTorch 1.13: tensor([-2., 4.]) for fmod, tensor([-2., 6.]) for remainder, grad_fn=<MulBackward0>
    assert.deepEqual(Array.from(gradB!.toArray()), gb);
    assert.equal(gradB!.gradFn?.torchName, 'MulBackward0');
    const [ga2, gb2] = autograd.grad(gradB!.sum(), [a, b]);
    assert.deepEqual(Array.from(ga2!.toArray()), [0, 0]);
    assert.deepEqual(Array.from(gb2!.toArray()), [0, 0]);
  });
}
