// Group norm's bias gradient taken with createGraph is Σ gO in PyTorch 1.13's composition
// (infinitely_differentiable_native_group_norm_backward): it requires grad only where the incoming gradient does, so
// for a loss linear in the output it has no grad_fn, as PyTorch's; it had a node over the input and the weight.
// Values from PyTorch 1.13 (x = sin(0.37·arange(24)) [2, 4, 3], c = cos(0.61·arange(24)), GroupNorm of 2 groups).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arange, autograd, F, tensor, type Tensor } from '../../src/index.js';

function closeTo(actual: Tensor, expected: number[], rtol: number, what: string): void {
  actual.toArray().forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) <= rtol * Math.abs(expected[i]!) + 1e-5, `${what}[${i}]: PyTorch ${expected[i]}, Kindling ${v}`));
}

function inputs(): { x: Tensor; c: Tensor; w: Tensor; b: Tensor } {
  return {
    x: arange(24).reshape(2, 4, 3).mul(0.37).sin().requiresGrad_(),
    c: arange(24).reshape(2, 4, 3).mul(0.61).cos(),
    w: tensor([1.0, 0.5, -0.7, 2.0], { requiresGrad: true }),
    b: tensor([0.1, -0.2, 0.3, 0.0], { requiresGrad: true }),
  };
}

test('a loss linear in the output: the bias gradient requires no grad and has no grad_fn, as PyTorch\'s', () => {
  const { x, c, w, b } = inputs();
  const [gx, gw, gb] = autograd.grad(F.groupNorm(x, 2, w, b).mul(c).sum(), [x, w, b], { createGraph: true });
  assert.equal(gx!.gradFn?.torchName, 'ReshapeAliasBackward0');
  assert.equal(gw!.gradFn?.torchName, 'ReshapeAliasBackward0');
  assert.equal(gb!.requiresGrad, false);
  assert.equal(gb!.gradFn, null);
  closeTo(gb!, [1.9628516, -4.5083203, 0.3482124, 4.3298187], 1e-6, 'gb');
});

test('a loss quadratic in the output: the bias gradient is of the graph, and differentiates back to the input as PyTorch\'s', () => {
  const { x, w, b } = inputs();
  const [, , gb] = autograd.grad(F.groupNorm(x, 2, w, b).pow(2).sum(), [x, w, b], { createGraph: true });
  assert.equal(gb!.requiresGrad, true);
  assert.equal(gb!.gradFn?.torchName, 'ReshapeAliasBackward0');
  closeTo(gb!, [-8.866674423217773, 2.63333797454834, 2.4750137329101562, -3.214242935180664], 1e-5, 'gb');
  const [h] = autograd.grad(gb!.pow(2).sum(), x);
  closeTo(h!, [
    28.38977813720703, -18.90216064453125, -59.7933349609375, 23.99451446533203, 10.892723083496094, 15.418441772460938,
    -4.524669647216797, 2.710205078125, 11.828041076660156, -11.797035217285156, -2.7032623291015625, 4.486732482910156,
    -14.86125373840332, -10.715669631958008, -23.961397171020508, 59.1209602355957, 18.582069396972656, -28.164690017700195,
    -9.546039581298828, 30.691417694091797, 59.0466194152832, -16.34210968017578, -21.13695526123047, -42.71290588378906,
  ], 1e-4, 'd(Σ gb²)/dx');
});
