// F.marginRankingLoss against PyTorch 1.13 (fixtures/torch/margin-ranking-loss.json, from
// make_margin_ranking_loss.py): values, gradients of both inputs and grad_fn names for each reduction, margins 0,
// 0.5 and −0.2, targets ±1, shapes [6], [3, 4], [2, 3, 2]; and PyTorch's refusal of mismatched ranks.
// Tolerance rtol 1e-5 (a mean over float32 terms summed in another order than PyTorch's).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

interface Case {
  input1: EncodedTensor;
  input2: EncodedTensor;
  target: EncodedTensor;
  margin: number;
  reduction: 'mean' | 'sum' | 'none';
  out: EncodedTensor;
  upstream: EncodedTensor;
  grad1: EncodedTensor;
  grad2: EncodedTensor;
  gradFn: string;
}
const fx = loadFixture<{ cases: Case[]; rankError: string }>('margin-ranking-loss.json');
const tol = { rtol: 1e-5, atol: 1e-6 };

fx.cases.forEach((c, i) => {
  test(`F.marginRankingLoss #${i} ${c.input1.shape} margin ${c.margin} ${c.reduction} matches PyTorch`, () => {
    const a = decode(c.input1, true);
    const b = decode(c.input2, true);
    const out = F.marginRankingLoss(a, b, decode(c.target), { margin: c.margin, reduction: c.reduction });
    assertTensorClose(out, c.out, 'out', tol);
    assert.equal(out.gradFn?.torchName, c.gradFn);
    out.backward(decode(c.upstream));
    assertTensorClose(a.grad, c.grad1, 'grad input1', tol);
    assertTensorClose(b.grad, c.grad2, 'grad input2', tol);
  });
});

test('F.marginRankingLoss refuses inputs of different ranks with PyTorch\'s message', () => {
  const z = decode({ shape: [3], data: [0, 0, 0] });
  const z2 = decode({ shape: [3, 1], data: [0, 0, 0] });
  const y = decode({ shape: [3], data: [1, 1, 1] });
  assert.throws(() => F.marginRankingLoss(z, z2, y), (e: Error) => e.message.includes(fx.rankError));
});
