// nn.BatchNorm3d and nn.InstanceNorm3d against PyTorch 1.13 (fixtures/torch/norm3d.json, from make_norm3d.py): two
// training steps and an evaluation — outputs, grad_fn names, gradients of the input, weight and bias, running
// statistics after each step —, reprs, refusals of a wrong rank; and both layers in a model file. Tolerance rtol
// 1e-5 (atol 1e-6), as the 1-D and 2-D norms' golden tests: the means and variances sum in another order.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { manualSeed, nn, noGrad, randn, zeros } from '../../src/index.js';
import { tempFolder } from '../models/helpers.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

interface Step {
  training: boolean;
  input: EncodedTensor;
  out: EncodedTensor;
  upstream: EncodedTensor;
  gradFn: string;
  grad: EncodedTensor;
  weightGrad: EncodedTensor | null;
  biasGrad: EncodedTensor | null;
  runningMean: EncodedTensor | null;
  runningVar: EncodedTensor | null;
}
interface Case {
  module: 'BatchNorm3d' | 'InstanceNorm3d';
  options: Record<string, number | boolean | null>;
  weight: EncodedTensor | null;
  bias: EncodedTensor | null;
  repr: string;
  steps: Step[];
}
const fx = loadFixture<{ cases: Case[]; refusals: Record<string, { message: string }> }>('norm3d.json');
const tol = { rtol: 1e-5, atol: 1e-6 };
const tmp = tempFolder();
after(tmp.remove);

for (const c of fx.cases) {
  test(`${c.repr} matches PyTorch over ${c.steps.length} steps`, () => {
    const m = c.module === 'BatchNorm3d' ? new nn.BatchNorm3d(3, c.options) : new nn.InstanceNorm3d(3, c.options);
    assert.equal(String(m), c.repr);
    noGrad(() => {
      if (c.weight !== null) m.weight!.copy_(decode(c.weight));
      if (c.bias !== null) m.bias!.copy_(decode(c.bias));
    });
    c.steps.forEach((s, i) => {
      m.train(s.training);
      if (m.weight) m.weight.grad = null;
      if (m.bias) m.bias.grad = null;
      const x = decode(s.input, true);
      const y = m.forward(x);
      assertTensorClose(y, s.out, `step ${i} out`, tol);
      assert.equal(y.gradFn?.torchName, s.gradFn, `step ${i} grad_fn`);
      y.backward(decode(s.upstream));
      assertTensorClose(x.grad, s.grad, `step ${i} grad`, tol);
      if (s.weightGrad !== null) assertTensorClose(m.weight!.grad, s.weightGrad, `step ${i} weight grad`, tol);
      if (s.biasGrad !== null) assertTensorClose(m.bias!.grad, s.biasGrad, `step ${i} bias grad`, tol);
      if (s.runningMean !== null) assertTensorClose(m.runningMean, s.runningMean, `step ${i} running mean`, tol);
      if (s.runningVar !== null) assertTensorClose(m.runningVar, s.runningVar, `step ${i} running var`, tol);
    });
  });
}

test('a wrong rank is refused with PyTorch\'s words', () => {
  const core = (key: string): string => fx.refusals[key]!.message.replace(/\)$/, '');
  assert.throws(() => new nn.BatchNorm3d(3).forward(zeros([2, 3, 2, 2])), (e: Error) => e.message.includes(core('BatchNorm3d 4-D')));
  assert.throws(() => new nn.InstanceNorm3d(3).forward(zeros([3, 2, 2])), (e: Error) => e.message.includes(core('InstanceNorm3d 3-D')));
});

test('BatchNorm3d and InstanceNorm3d save and load with their statistics', () => {
  manualSeed(3);
  const m = new nn.Sequential(new nn.BatchNorm3d(2), new nn.InstanceNorm3d(2, { affine: true, trackRunningStats: true }), new nn.Flatten(), new nn.Linear(16, 2));
  m.forward(randn([3, 2, 2, 2, 2]));
  m.eval();
  const path = join(tmp.dir, 'norm3d.safetensors');
  m.save(path);
  const loaded = nn.Module.load(path);
  assert.equal(String(loaded), String(m));
  loaded.eval();
  const x = randn([2, 2, 2, 2, 2]);
  assert.deepEqual(Array.from(loaded.forward(x).toArray()), Array.from(m.forward(x).toArray()));
});
