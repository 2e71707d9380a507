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

test("gradcheck and gradgradcheck take PyTorch 1.13's other keywords: those that change nothing here, and the rest at PyTorch's default", () => {
  const x = (): Tensor => tensor([0.3, -0.8, 1.2], { requiresGrad: true });
  // As in PyTorch's documentation: fast_mode, nondet_tol, check_undefined_grad, check_batched_grad=False …
  assert.equal(gradcheck((t) => Cube.apply(t), [x()], { fastMode: true, nondetTol: 0, checkUndefinedGrad: true, checkGradDtypes: false, checkBatchedGrad: false, checkForwardAd: false, checkBackwardAd: true }), true);
  assert.equal(gradcheck((t) => WrongCube.apply(t), [tensor([0.3, -0.8, 1.2, 0.5], { requiresGrad: true })], { fastMode: true, raiseException: false }), false);
  assert.equal(autograd.gradgradcheck((t) => t.pow(3), [x()], { genNonContigGradOutputs: true, checkFwdOverRev: false, checkRevOverRev: true, fastMode: true }), true);
  assert.equal(autograd.gradgradcheck((t) => t.pow(3), [x()], null, { genNonContigGradOutputs: false, nondetTol: 0 }), true);
  // What Kindling does not have is refused, saying why.
  assert.throws(() => gradcheck((t) => t.exp(), [x()], { checkForwardAd: true }), /gradcheck: checkForwardAd can only be false \(Kindling has no forward-mode autograd\)/);
  assert.throws(() => gradcheck((t) => t.exp(), [x()], { checkBatchedGrad: true }), /gradcheck: checkBatchedGrad can only be false \(Kindling has no vmap\)/);
  assert.throws(() => autograd.gradgradcheck((t) => t.exp(), [x()], { checkFwdOverRev: true }), /gradgradcheck: checkFwdOverRev can only be false/);
  assert.throws(() => gradcheck((t) => t.exp(), [x()], { nondetTol: -1 }), /gradcheck: nondetTol must be a number ≥ 0, got the number -1/);
  assert.throws(() => gradcheck((t) => t.exp(), [x()], { fastMode: 'yes' } as never), /gradcheck: fastMode must be true or false, got the string "yes"/);
  assert.throws(() => gradcheck((t) => t.exp(), [x()], { genNonContigGradOutputs: true } as never), /gradcheck: unknown option "genNonContigGradOutputs"/);
  // gradgradcheck names itself and lists its own options too (it said "gradcheck" and left them out).
  assert.throws(() => autograd.gradgradcheck((t) => t.exp(), [x()], undefined, 5 as never), /^TypeError: gradgradcheck: options must be an object of named options \(eps, .*checkRevOverRev\), got the number 5/);
  assert.throws(() => autograd.gradgradcheck((t) => t.exp(), [x()], { foo: true } as never), (e: Error) => /^gradgradcheck: unknown option "foo"/.test(e.message) && /genNonContigGradOutputs/.test(e.message) && /checkRevOverRev/.test(e.message) && /fastMode/.test(e.message));
});
