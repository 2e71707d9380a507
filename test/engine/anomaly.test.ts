// Anomaly detection (autograd.detectAnomaly / setDetectAnomaly, as torch.autograd's) and setGradEnabled: the NaN check
// names the node and the input as PyTorch 1.13 does (its messages, checked with it: "Function 'DivBackward0' returned
// nan values in its 1th output."), gives the forward call from the caller's code, and every scope is restored.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autograd, isAnomalyCheckNanEnabled, isAnomalyEnabled, isGradEnabled, noGrad, setGradEnabled, tensor, type Tensor } from '../../src/index.js';

/** √x / x summed: at x = 0 the division's gradient for its divisor is NaN (−∞·0), the square root's is ∞. */
function sqrtOverX(x: Tensor): Tensor {
  return x.sqrt().div(x).sum();
}

test('detectAnomaly: a NaN gradient is an error naming the node, the input and the forward call in your code', () => {
  const x = tensor([0, 1, 2], { requiresGrad: true });
  let err: Error | null = null;
  try {
    autograd.detectAnomaly(() => sqrtOverX(x).backward());
  } catch (e) {
    err = e as Error;
  }
  assert.ok(err !== null, 'the walk was stopped');
  const [first, second, frame] = err.message.split('\n');
  assert.equal(first, "Function 'DivBackward0' returned nan values in its 1th output.");
  assert.equal(second, 'Traceback of the forward call that caused the error:');
  assert.match(frame!, /at sqrtOverX \(.*anomaly\.test\.js:\d+:\d+\)/, 'the first frame is the caller\'s, not Kindling\'s');
  assert.equal(isAnomalyEnabled(), false, 'the scope ended with the error');
  // log(0)·0: the product's gradient for the log is 0, and the log's is 0 / 0, its 0th output (PyTorch's message).
  const y = tensor([0, 2], { requiresGrad: true });
  assert.throws(() => autograd.detectAnomaly(() => y.log().mul(0).sum().backward()), /^Error: Function 'LogBackward0' returned nan values in its 0th output\./);
});

test('without detectAnomaly (or with checkNan false, or switched off inside) the same walk gives NaN gradients quietly', () => {
  const plain = tensor([0, 1, 2], { requiresGrad: true });
  sqrtOverX(plain).backward();
  assert.ok(Number.isNaN(plain.grad!.toArray()[0]!), 'the NaN reaches .grad');
  const unchecked = tensor([0, 1, 2], { requiresGrad: true });
  autograd.detectAnomaly(() => {
    assert.equal(isAnomalyEnabled(), true);
    assert.equal(isAnomalyCheckNanEnabled(), false);
    sqrtOverX(unchecked).backward();
  }, { checkNan: false });
  assert.ok(Number.isNaN(unchecked.grad!.toArray()[0]!));
  const off = tensor([0, 1, 2], { requiresGrad: true });
  autograd.detectAnomaly(() => autograd.setDetectAnomaly(false, () => {
    assert.equal(isAnomalyEnabled(), false);
    sqrtOverX(off).backward();
  }));
  assert.ok(Number.isNaN(off.grad!.toArray()[0]!));
  // Finite gradients pass the check, and the values are the plain walk's.
  const fine = tensor([1, 4], { requiresGrad: true });
  autograd.detectAnomaly(() => sqrtOverX(fine).backward());
  assert.deepEqual(Array.from(fine.grad!.toArray()), [-0.5, -0.0625]);
});

test('detectAnomaly: a forward pass outside the scope gives no forward call; a walk with createGraph is checked too', () => {
  const x = tensor([0, 1], { requiresGrad: true });
  const y = sqrtOverX(x);
  assert.throws(() => autograd.detectAnomaly(() => y.backward()), (e: Error) => e.message.startsWith("Function 'DivBackward0' returned nan values in its 1th output.\nNo forward pass information available"));
  const z = tensor([0, 1], { requiresGrad: true });
  assert.throws(() => autograd.detectAnomaly(() => autograd.grad(sqrtOverX(z), z, { createGraph: true })), /Function 'DivBackward0' returned nan values in its 1th output\.\nTraceback/);
});

test('detectAnomaly, setDetectAnomaly and setGradEnabled check their arguments', () => {
  assert.throws(() => autograd.detectAnomaly(3 as unknown as () => void), /detectAnomaly: expected a function to run, as in detectAnomaly\(\(\) => loss.backward\(\)\); got the number 3/);
  assert.throws(() => autograd.detectAnomaly(() => 1, { checknan: false } as never), /detectAnomaly: unknown option "checknan" \(expected checkNan\)/);
  assert.throws(() => autograd.detectAnomaly(() => 1, { checkNan: 'no' } as never), /detectAnomaly: checkNan must be true or false/);
  assert.throws(() => autograd.setDetectAnomaly('yes' as unknown as boolean, () => 1), /setDetectAnomaly: mode must be true or false, got the string "yes"/);
  assert.throws(() => setGradEnabled(1 as unknown as boolean, () => 1), /setGradEnabled: mode must be true or false, got the number 1/);
  assert.throws(() => setGradEnabled(false, undefined as unknown as () => void), /setGradEnabled: expected a function to run, as in setGradEnabled\(training, \(\) => model.forward\(x\)\) \(Kindling scopes grad modes; there is no global switch\); got undefined/);
});

test('setGradEnabled(mode, fn) records the graph or not, as torch.set_grad_enabled, and restores the mode around it', () => {
  const x = tensor([1, 2], { requiresGrad: true });
  for (const training of [true, false]) {
    const y = setGradEnabled(training, () => {
      assert.equal(isGradEnabled(), training);
      return x.mul(3);
    });
    assert.equal(y.requiresGrad, training);
    assert.equal(y.gradFn?.torchName, training ? 'MulBackward0' : undefined);
  }
  assert.equal(noGrad(() => setGradEnabled(true, () => x.mul(3)).requiresGrad), true, 'on inside noGrad');
  assert.equal(isGradEnabled(), true);
  assert.throws(() => setGradEnabled(false, () => { throw new Error('boom'); }), /boom/);
  assert.equal(isGradEnabled(), true, 'restored after an error');
});
