// F.ctcLoss and nn.CTCLoss against PyTorch 1.13 (fixtures/torch/ctc.json, from make_ctc.py): padded and
// concatenated targets, repeated labels, an empty target, an input too short for its target (∞, and zeroInfinity),
// another blank, an unbatched input, every reduction — the loss, its grad_fn and the log-probabilities' gradient
// (the α and β recursions step by step in float32, as PyTorch's kernel: within 2e-6 relative), and the refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, nn, type Tensor } from '../../src/index.js';
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
