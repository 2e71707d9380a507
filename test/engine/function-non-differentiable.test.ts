// ctx.markNonDifferentiable on an input that forward returns as it is: the returned tensor (a new tensor over the
// input's storage) has no gradient, as PyTorch 1.13's, which returns a detached alias of the input.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autograd, tensor, type Tensor } from '../../src/index.js';

class PassMarked extends autograd.Function {
  static override forward(ctx: autograd.FunctionCtx, x: Tensor): Tensor {
    ctx.markNonDifferentiable(x);
    return x;
  }

  static override backward(_ctx: autograd.FunctionCtx, g: Tensor): Tensor {
    return g;
  }
}

class PassAndDouble extends autograd.Function {
  static gradients: number[][] = [];

  static override forward(ctx: autograd.FunctionCtx, x: Tensor): Tensor[] {
    const y = x.mul(2);
    ctx.markNonDifferentiable(x);
    return [x, y];
  }

  static override backward(_ctx: autograd.FunctionCtx, g0: Tensor, g1: Tensor): Tensor {
    PassAndDouble.gradients.push(g0.tolist() as number[]);
    return g1.mul(2).add(g0.mul(100));
  }
}

test('an input returned as it is and marked non-differentiable has no gradient', () => {
  const x = tensor([1, 2], { requiresGrad: true });
  const xi = x.mul(1);
  const y = PassMarked.apply(xi);
  assert.equal(y.requiresGrad, false, 'PyTorch: requires_grad False');
  assert.equal(y.gradFn, null, 'PyTorch: grad_fn None');
  assert.notEqual(y, xi);
  assert.deepEqual(y.tolist(), [1, 2]);
  assert.equal(xi.requiresGrad, true, 'the input keeps its history');
});

test('among several outputs, the marked input returned as it is has no gradient and gets zeros in backward', () => {
  const x = tensor([1, 2], { requiresGrad: true });
  PassAndDouble.gradients = [];
  const [a, b] = PassAndDouble.apply(x.mul(1));
  assert.equal(a!.requiresGrad, false);
  assert.equal(a!.gradFn, null);
  assert.notEqual(b!.gradFn, null);
  b!.sum().backward();
  assert.deepEqual(PassAndDouble.gradients, [[0, 0]], 'PyTorch: g0 zeros');
  assert.deepEqual(x.grad!.tolist(), [2, 2]);
});
