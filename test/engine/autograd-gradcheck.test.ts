// autograd.gradcheck: backward passes against central finite differences, as torch.autograd.gradcheck, with float32
// defaults. A correct custom function and built-in ops pass; a custom function whose backward is off fails, naming
// the output, the input and the first element, or returns false on request.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autograd, F, manualSeed, rand, tensor, type Tensor } from '../../src/index.js';

const { Function, gradcheck, GradcheckError } = autograd;
type Ctx = InstanceType<typeof autograd.FunctionCtx>;

class Cube extends Function {
  static override forward(ctx: Ctx, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    return x.mul(x).mul(x);
  }

  static override backward(ctx: Ctx, g: Tensor): Tensor {
    const [x] = ctx.savedTensors;
    return g.mul(x!.mul(x!).mul(3));
  }
}

/** The same function with a backward that forgets the factor 3 for elements past the first. */
class WrongCube extends Function {
  static override forward(ctx: Ctx, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    return x.mul(x).mul(x);
  }

  static override backward(ctx: Ctx, g: Tensor): Tensor {
    const [x] = ctx.savedTensors;
    const right = g.mul(x!.mul(x!).mul(3));
    return right.sub(g.mul(x!.mul(x!).mul(2)).mul(tensor([0, 1, 1, 1])));
  }
}

test('gradcheck passes a correct custom function and built-in ops with several inputs and outputs', () => {
  manualSeed(1);
  assert.equal(gradcheck((x) => Cube.apply(x), [rand([4]).requiresGrad_()]), true);
  const x = rand([3, 5]).requiresGrad_();
  const w = rand([5]).add(0.5).requiresGrad_();
  const b = rand([5]).requiresGrad_();
  assert.equal(gradcheck((a, c, d) => F.layerNorm(a, [5], c, d), [x, w, b]), true);
  const m = rand([5, 2]).requiresGrad_();
  assert.equal(gradcheck((a, c) => [a.matmul(c).softmax(1), a.exp().sum(0)], [x, m]), true);
  assert.equal(x.grad, null, 'no .grad is touched');
});

test('gradcheck fails a wrong backward: the output, the input and the first element that disagree', () => {
  const x = tensor([0.5, -0.8, 1.2, 0.3], { requiresGrad: true });
  assert.throws(() => gradcheck((t) => WrongCube.apply(t), [x]), (e: unknown) => {
    assert.ok(e instanceof GradcheckError);
    assert.match(e.message, /Jacobian mismatch for output 0 with respect to input 0 \(shape \[4\]\), first at row 1, column 1: analytical 0\.6(4|39)\d* against numerical 1\.9\d*/);
    assert.match(e.message, /numerical:\n {2}\[/);
    return true;
  });
  assert.equal(gradcheck((t) => WrongCube.apply(t), [x], { raiseException: false }), false);
  // A loose enough tolerance lets it through: the check is a tolerance, not a tautology.
  assert.equal(gradcheck((t) => WrongCube.apply(t), [x], { rtol: 1 }), true);
});

test('gradcheck refuses what it cannot check', () => {
  assert.throws(() => gradcheck((t) => t.exp(), [tensor([1, 2])]), /expects at least one input tensor to require gradient/);
  assert.throws(() => gradcheck((t) => t.exp(), [tensor([1], { requiresGrad: true })], { eps: 0 }), /eps must be above 0/);
  assert.throws(() => gradcheck((t) => t.exp(), [tensor([1], { requiresGrad: true })], { tol: 1 } as never), /unknown option "tol"/);
  assert.throws(() => gradcheck((() => 3) as never, [tensor([1], { requiresGrad: true })]), /must return a Tensor or an array of Tensors; output 0 is the number 3/);
});
