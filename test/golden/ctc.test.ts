// F.ctcLoss and nn.CTCLoss against PyTorch 1.13 (fixtures/torch/ctc.json, from make_ctc.py): padded and
// concatenated targets, repeated labels, an empty target, an input too short for its target (∞, and zeroInfinity),
// another blank, an unbatched input, every reduction — the loss, its grad_fn and the log-probabilities' gradient
// (the α and β recursions step by step in float32, as PyTorch's kernel: within 2e-6 relative), and the refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, nn, tensor, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

interface Case {
  name: string; logProbs: EncodedTensor; targets: EncodedTensor; inputLengths: number[] | number; targetLengths: number[] | number;
  options: { blank: number; reduction: 'mean' | 'sum' | 'none'; zeroInfinity: boolean };
  loss: EncodedTensor; gradFn: string; upstream: EncodedTensor; grad: EncodedTensor;
}
const fx = loadFixture<{ cases: Case[]; refusals: Record<string, { message: string }> }>('ctc.json');
const tol = { rtol: 2e-6, atol: 1e-6 };

for (const c of fx.cases) {
  test(`ctcLoss, ${c.name}: loss, grad_fn and gradient as PyTorch's`, () => {
    const lp = decode(c.logProbs, true);
    const loss = F.ctcLoss(lp, decode(c.targets), c.inputLengths, c.targetLengths, c.options);
    assertTensorClose(loss, c.loss, 'loss', tol);
    assert.equal(loss.gradFn?.torchName, c.gradFn);
    loss.backward(decode(c.upstream));
    assertTensorClose(lp.grad, c.grad, 'gradient', tol);
    const m = new nn.CTCLoss(c.options);
    assertTensorClose(m.forward(decode(c.logProbs), decode(c.targets), c.inputLengths, c.targetLengths), c.loss, 'module', tol);
  });
}

test("CTCLoss prints as PyTorch's, and PyTorch's refusals with its messages", () => {
  assert.equal(String(new nn.CTCLoss()), 'CTCLoss()');
  const c = fx.cases[0]!;
  const lp = decode(c.logProbs);
  const tg: Tensor = decode(c.targets);
  const r = fx.refusals;
  const same = (fn: () => unknown, key: string): void => assert.throws(fn, (e: Error) => e.message === r[key]!.message, key);
  same(() => F.ctcLoss(lp, tg, [13, 10, 7], c.targetLengths), 'input_length');
  same(() => F.ctcLoss(lp, tg.narrow(1, 0, 2), c.inputLengths, c.targetLengths), 'target_size');
  same(() => F.ctcLoss(lp, tg, c.inputLengths, c.targetLengths, { blank: 5 }), 'blank');
});

test("targets PyTorch refuses are refused with its words after Kindling's: too few rows, three dimensions, a concatenation of the wrong length", () => {
  const c = fx.cases[0]!;
  const lp = decode(c.logProbs);
  const tg: Tensor = decode(c.targets);
  const r = fx.refusals;
  const ends = (fn: () => unknown, key: string): void =>
    assert.throws(fn, (e: Error) => e.message.startsWith('ctc_loss: ') && e.message.endsWith(r[key]!.message), key);
  // Before, a missing row read past the targets (a NaN loss), and a [N, S, 1] tensor was read as a concatenation.
  ends(() => F.ctcLoss(lp, tg.narrow(0, 0, 2), c.inputLengths, c.targetLengths), 'target_rows');
  ends(() => F.ctcLoss(lp, tg.unsqueeze(2), c.inputLengths, c.targetLengths), 'target_dims');
  ends(() => F.ctcLoss(lp, tensor([1, 2, 2, 3, 4, 4, 1, 2, 1]), c.inputLengths, c.targetLengths), 'concatenated_size');
  ends(() => F.ctcLoss(lp.select(1, 0), tensor([1, 2, 2, 0]), 12, 3), 'unbatched_concatenated_size');
});

test('a label outside [0, C) is refused, naming where it is (PyTorch reads it from another class or sample)', () => {
  const c = fx.cases[0]!;
  const lp = decode(c.logProbs);
  assert.throws(() => F.ctcLoss(lp, tensor([[1, 2, 2, 3], [4, 5, 1, 0], [2, 0, 0, 0]]), c.inputLengths, c.targetLengths), /ctc_loss: targets\[1\]\[1\] is the number 5, not a class index in \[0, 5\)/);
  assert.throws(() => F.ctcLoss(lp, tensor([1, 2, 2, 3, 4, 4, -1, 2]), c.inputLengths, c.targetLengths), /ctc_loss: targets\[6\] \(sample 1's label 2\) is the number -1, not a class index in \[0, 5\)/);
  // Padding past a sample's length is not read, so it may hold anything.
  const padded = F.ctcLoss(lp, tensor([[1, 2, 2, 3], [4, 4, 1, 99], [2, -7, 0, 0]]), c.inputLengths, c.targetLengths, { reduction: 'none' });
  assert.deepEqual([...padded.toArray()], [...F.ctcLoss(lp, decode(c.targets), c.inputLengths, c.targetLengths, { reduction: 'none' }).toArray()]);
});
