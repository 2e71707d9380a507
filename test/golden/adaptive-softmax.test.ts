// nn.AdaptiveLogSoftmaxWithLoss against PyTorch (fixtures/torch/adaptive_softmax.json, from make_adaptive_softmax.py):
// made after the same seed it draws PyTorch's head and tail weights (empty projections included) and prints the
// same; forward gives the targets' log-probabilities and the loss with every gradient, logProb every class's,
// predict the same classes; one unbatched input; PyTorch's refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { manualSeed, nn, tensor, zeros } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, values, type EncodedTensor } from './golden-helpers.js';

interface Case {
  inFeatures: number; nClasses: number; cutoffs: number[]; options: { divValue?: number; headBias?: boolean }; seed: number; repr: string; keys: string[];
  state: Record<string, EncodedTensor>; input: EncodedTensor; target: number[]; output: EncodedTensor; loss: number; inputGrad: EncodedTensor;
  grads: Record<string, EncodedTensor>; logProb: EncodedTensor; predict: number[]; singleOutput: number; singleLoss: number;
}
const fx = loadFixture<{ cases: Case[]; refusals: Record<string, { message: string }> }>('adaptive_softmax.json');
const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(b));

for (const c of fx.cases) {
  test(`AdaptiveLogSoftmaxWithLoss(${c.inFeatures}, ${c.nClasses}, [${c.cutoffs.join(', ')}]) ${JSON.stringify(c.options)}: PyTorch's weights, printing, outputs, loss, gradients, log-probabilities and predictions`, () => {
    manualSeed(c.seed);
    const m = new nn.AdaptiveLogSoftmaxWithLoss(c.inFeatures, c.nClasses, c.cutoffs, c.options);
    assert.equal(String(m), c.repr);
    assert.deepEqual(Object.keys(m.stateDict()), c.keys);
    for (const [k, t] of Object.entries(m.stateDict())) assert.deepEqual([...t.toArray()], values(c.state[k]!), `${k} bit for bit`);
    const x = decode(c.input, true);
    const { output, loss } = m.forward(x, tensor(c.target));
    assertTensorClose(output, c.output, 'output');
    assert.ok(close(loss.item(), c.loss), `loss ${loss.item()} against ${c.loss}`);
    loss.backward();
    assertTensorClose(x.grad, c.inputGrad, 'input gradient');
    for (const [n, p] of m.namedParameters()) assertTensorClose(p.grad, c.grads[n]!, `${n}.grad`);
    assertTensorClose(m.logProb(x.detach()), c.logProb, 'logProb');
    assert.deepEqual([...m.predict(x.detach()).toArray()], c.predict);
    const [single, singleLoss] = m.forward(x.detach().select(0, 0), tensor(c.target[0]!));
    assert.deepEqual(single!.shape, []);
    assert.ok(close(single!.item(), c.singleOutput) && close(singleLoss!.item(), c.singleLoss));
  });
}

test("AdaptiveLogSoftmaxWithLoss's predict agrees with the argmax of logProb, rows inside and outside the shortlist", () => {
  manualSeed(5);
  const m = new nn.AdaptiveLogSoftmaxWithLoss(6, 9, [2, 5], { divValue: 2 });
  const x = decode({ shape: [6, 6], data: Array.from({ length: 36 }, (_, i) => Math.sin(i * 1.7) * 3) });
  assert.deepEqual([...m.predict(x).toArray()], [...m.logProb(x).argmax(1).toArray()]);
  const total = m.logProb(x).exp().sum(1).toArray();
  for (const s of total) assert.ok(Math.abs(s - 1) < 1e-5, `probabilities add up to ${s}`);
});

test("AdaptiveLogSoftmaxWithLoss's refusals: PyTorch's words", () => {
  const R = fx.refusals;
  const is = (m: string) => (e: Error): boolean => e.message === m;
  assert.throws(() => new nn.AdaptiveLogSoftmaxWithLoss(4, 10, [6, 3]), is(R['cutoffs unsorted']!.message));
  assert.throws(() => new nn.AdaptiveLogSoftmaxWithLoss(4, 10, [3, 10]), is(R['cutoffs too large']!.message));
  const m = new nn.AdaptiveLogSoftmaxWithLoss(4, 10, [3, 6]);
  assert.throws(() => m.forward(zeros([2, 4]), tensor([1, 10])), is(R['target out of range']!.message));
  assert.throws(() => m.forward(zeros([3, 4]), tensor([1, 2])), is(R['batch sizes']!.message));
  assert.throws(() => m.forward(zeros([3, 4]), zeros([3, 1])), is(R['target rank']!.message));
  assert.throws(() => m.forward(zeros([2, 4]), tensor([1.5, 2])), /class indices \(whole numbers\), got 1.5/);
});
