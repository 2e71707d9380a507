// gradcheck and gradgradcheck pass the inputs that are not tensors requiring grad (numbers, options, tensors without
// requiresGrad) to the function as they are, and check the others, as PyTorch 1.13's: gradcheck(lambda x, a: x * a,
// (x, 3.0)) is True there.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autograd, tensor, Tensor } from '../../src/index.js';

test('gradcheck passes a number among the inputs through to the function', () => {
  const x = tensor([1, 2], { requiresGrad: true });
  const seen: unknown[] = [];
  assert.equal(autograd.gradcheck((t, a) => {
    seen.push(a);
    return t.mul(a);
  }, [x, 3]), true);
  assert.ok(seen.length > 0 && seen.every((a) => a === 3));
  // Other values too, and a tensor that does not require grad (not checked, but passed).
  const w = tensor([0.5, -1]);
  assert.equal(autograd.gradcheck((t, opts, u) => t.pow(opts.p).mul(u), [x, { p: 3 }, w]), true);
  // The check still catches a wrong gradient.
  class Wrong extends autograd.Function {
    static override forward(_ctx: autograd.FunctionCtx, t: Tensor, a: number): Tensor {
      return t.mul(a);
    }

    static override backward(_ctx: autograd.FunctionCtx, g: Tensor): (Tensor | null)[] {
      return [g, null];
    }
  }
  assert.equal(autograd.gradcheck((t, a) => Wrong.apply(t, a), [x, 3], { raiseException: false }), false);
});

test('gradgradcheck passes a number among the inputs through to the function', () => {
  const x = tensor([0.5, 1.5], { requiresGrad: true });
  assert.equal(autograd.gradgradcheck((t, p) => t.pow(p), [x, 3], [tensor([1, -2])]), true);
  assert.equal(autograd.gradgradcheck((t, s, p) => t.mul(s).pow(p).sum(), [x, 2, 3]), true);
});

test('gradcheck still wants an array, and a tensor that requires grad in it', () => {
  assert.throws(() => autograd.gradcheck(((t: Tensor) => t) as never, 3 as never), /gradcheck: inputs must be a Tensor or an array \(of Tensors and other arguments of the function\), got the number 3/);
  assert.throws(() => autograd.gradcheck((t, a) => t.mul(a), [tensor([1, 2]), 3]), /gradcheck: expects at least one input tensor to require gradient/);
  assert.throws(() => autograd.gradgradcheck((a, t) => t.mul(a), [3, tensor([1, 2])]), /gradgradcheck: expects at least one input tensor to require gradient/);
});
