// inferenceMode, as torch.inference_mode, with PyTorch 1.13's rules and messages (each case checked against it): inside,
// no graph and inference tensors; outside, an inference tensor can be read and used by ops that save nothing for their
// gradient, but is refused when an op would save it for backward, when changed in place, and when asked to require
// grad; a clone is a normal tensor, and views of normal tensors made inside stay normal.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addcdiv, addcmul, copysign, enableGrad, hypot, inferenceMode, isGradEnabled, isInferenceModeEnabled, lerp, nn, noGrad, optim, tensor } from '../../src/index.js';

const layer = (): nn.Linear => {
  const l = new nn.Linear(3, 2);
  noGrad(() => {
    l.weight.copy_(tensor([[0.5, -0.25, 1], [0.75, 0.5, -1.5]]));
    l.bias!.copy_(tensor([0.25, -0.5]));
  });
  return l;
};

test('inferenceMode: no graph inside, and what is made there is an inference tensor (views of normal tensors stay normal)', () => {
  const l = layer();
  const x = tensor([[1, 2, 3]]);
  const y = inferenceMode(() => {
    assert.equal(isInferenceModeEnabled(), true);
    assert.equal(isGradEnabled(), false);
    return l.forward(x);
  });
  assert.deepEqual(y.tolist(), [[3.25, -3.25]]);
  assert.equal(y.isInference(), true);
  assert.equal(y.requiresGrad, false);
  assert.equal(y.gradFn, null);
  assert.equal(isInferenceModeEnabled(), false);
  assert.equal(x.isInference(), false);
  assert.equal(l.weight.isInference(), false, 'the parameters are not touched');
  assert.equal(inferenceMode(() => x.view([3])).isInference(), false, 'a view of a normal tensor');
  assert.equal(inferenceMode(() => y.view([2])).isInference(), true, 'a view of an inference tensor');
  assert.equal(y.clone().isInference(), false, 'a clone outside');
  // inferenceMode(false, fn) turns it off, and gradients on, as PyTorch's guard.
  assert.deepEqual(inferenceMode(() => inferenceMode(false, () => [isInferenceModeEnabled(), isGradEnabled(), tensor([1]).isInference()])), [false, true, false]);
  assert.equal(noGrad(() => inferenceMode(false, () => isGradEnabled())), true);
});

test('outside inferenceMode an inference tensor is refused in place, as saved for backward, and as requiring grad', () => {
  const l = layer();
  const y = inferenceMode(() => l.forward(tensor([[1, 2, 3]])));
  assert.throws(() => y.add_(1), /^Error: Inplace update to inference tensor outside InferenceMode is not allowed\. You can make a clone to get a normal tensor before doing inplace update\./);
  assert.throws(() => y.view([2]).zero_(), /Inplace update to inference tensor outside InferenceMode/);
  assert.deepEqual(y.tolist(), [[3.25, -3.25]], 'nothing was changed');
  const w = tensor([2, 3], { requiresGrad: true });
  assert.throws(() => y.mul(w), /^Error: mul: Inference tensors cannot be saved for backward\. To work around you can make a clone to get a normal tensor and use it in autograd\./);
  const l2 = new nn.Linear(2, 1);
  assert.throws(() => l2.forward(y), /linear: Inference tensors cannot be saved for backward/);
  assert.throws(() => y.requiresGrad_(), /^Error: Setting requires_grad=True on inference tensor outside InferenceMode is not allowed\./);
  // Ops that save nothing for their gradient take it, and give normal tensors; so does a clone.
  const s = y.add(w);
  assert.equal(s.requiresGrad, true);
  assert.equal(s.isInference(), false);
  s.sum().backward();
  assert.deepEqual(w.grad!.tolist(), [1, 1]);
  const c = y.clone();
  c.mul(w).sum().backward();
  assert.deepEqual(w.grad!.tolist(), [4.25, -2.25]);
  // Inside inference mode the same tensor may be changed in place.
  inferenceMode(() => y.add_(1));
  assert.deepEqual(y.tolist(), [[4.25, -2.25]]);
});

test('a model evaluated in inferenceMode trains as before afterwards; bad arguments are refused', () => {
  const l = layer();
  const opt = new optim.SGD(l.parameters(), { lr: 0.5 });
  inferenceMode(() => l.forward(tensor([[1, 1, 1]])));
  l.forward(tensor([[1, 0, 0]])).sum().backward();
  opt.step();
  assert.deepEqual(l.weight.tolist(), [[0, -0.25, 1], [0.25, 0.5, -1.5]]);
  assert.throws(() => inferenceMode('yes' as unknown as boolean, () => 1), /inferenceMode: mode must be true or false, got the string "yes"/);
  assert.throws(() => inferenceMode(true, undefined as unknown as () => void), /inferenceMode: expected a function to run, as in inferenceMode\(\(\) => model.forward\(x\)\); got undefined/);
  assert.throws(() => inferenceMode(() => { throw new Error('boom'); }), /boom/);
  assert.equal(isInferenceModeEnabled(), false, 'restored after an error');
});

test('ops that do not save the inference tensor for the gradient wanted take it, as PyTorch saves only what that gradient reads', () => {
  const y = inferenceMode(() => tensor([0.5, -2]));
  const w = tensor([1.5, 3], { requiresGrad: true });
  const c = tensor([2, 4]);
  // Each of these saves y in PyTorch only when y's own gradient (or the other operand's) would read it.
  const total = lerp(w, y, 0.25).sum().add(lerp(y, w, 0.25).sum()).add(addcmul(y, w, w).sum()).add(addcdiv(y, w, c).sum())
    .add(hypot(w, y).sum()).add(copysign(w, y).sum());
  total.backward();
  // 0.75 + 0.25 + 2w + 1/c + w/hypot(w, y) + sign(y)
  const expected = [0.75 + 0.25 + 3 + 0.5 + 1.5 / Math.hypot(1.5, 0.5) + 1, 0.75 + 0.25 + 6 + 0.25 + 3 / Math.hypot(3, 2) - 1];
  w.grad!.toArray().forEach((g, i) => assert.ok(Math.abs(g - expected[i]!) < 1e-6, `${g} against ${expected[i]}`));
  // Where the gradient wanted reads y, it is refused: w's gradient in hypot(y, w) reads w and the result only, but
  // lerp's weight's gradient reads both ends, and addcmul's tensor1's reads tensor2.
  assert.throws(() => lerp(y, tensor([1, 1]), w), /lerp: Inference tensors cannot be saved for backward/);
  assert.throws(() => addcmul(c, w, y), /addcmul: Inference tensors cannot be saved for backward/);
});

test('writes that cannot be refused by checkTarget are checked first too: loadStateDict, Embedding maxNorm', () => {
  const l = inferenceMode(() => new nn.Linear(2, 1));
  const before = [l.weight.tolist(), l.bias!.tolist()];
  assert.throws(() => l.loadStateDict({ weight: tensor([[7, 7]]), bias: tensor([7]) }), /Inplace update to inference tensor outside InferenceMode/);
  assert.deepEqual([l.weight.tolist(), l.bias!.tolist()], before, 'nothing loaded, not even the weight');
  const e = inferenceMode(() => new nn.Embedding(3, 2, { maxNorm: 0.1 }));
  const rows = e.weight.tolist();
  assert.throws(() => e.forward(tensor([0, 1])), /Inplace update to inference tensor outside InferenceMode/);
  assert.deepEqual(e.weight.tolist(), rows, 'no row renormed');
});

test('enableGrad inside inferenceMode turns grad mode on but records nothing, as PyTorch\'s inference mode', () => {
  // torch: with inference_mode(): with enable_grad(): y = x * 2 gives y.requires_grad False, y.is_inference() True,
  // torch.is_grad_enabled() True (Kindling refused: "Inference tensors cannot be saved for backward").
  const x = tensor([1, 2], { requiresGrad: true });
  const [requires, inference, enabled, exp] = inferenceMode(() => enableGrad(() => {
    const y = x.mul(2);
    return [y.requiresGrad, y.isInference(), isGradEnabled(), x.exp().requiresGrad] as const;
  }));
  assert.deepEqual([requires, inference, enabled, exp], [false, true, true, false]);
  // Outside it, recording is back.
  assert.equal(x.mul(2).requiresGrad, true);
});
