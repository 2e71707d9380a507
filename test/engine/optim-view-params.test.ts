// A parameter that is a view of part of another tensor's storage, as PyTorch takes it
// (torch.randn(10)[2:7].requires_grad_()): every optimizer steps it in place, so the view and its base both see the
// step, and the values are those of the same parameter held in a storage of its own, to the bit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arange, optim, tensor, type Tensor } from '../../src/index.js';

type Make = (params: Tensor[]) => optim.Optimizer;

const OPTIMIZERS: [string, Make][] = [
  ['SGD', (ps) => new optim.SGD(ps, 0.1)],
  ['SGD with momentum and weight decay', (ps) => new optim.SGD(ps, 0.1, { momentum: 0.9, weightDecay: 0.01, nesterov: true })],
  ['Adam', (ps) => new optim.Adam(ps, 0.01)],
  ['Adam amsgrad', (ps) => new optim.Adam(ps, 0.01, { amsgrad: true, weightDecay: 0.1 })],
  ['AdamW', (ps) => new optim.AdamW(ps, 0.01)],
  ['Adamax', (ps) => new optim.Adamax(ps)],
  ['NAdam', (ps) => new optim.NAdam(ps)],
  ['RAdam', (ps) => new optim.RAdam(ps)],
  ['Adagrad', (ps) => new optim.Adagrad(ps, { initialAccumulatorValue: 0.1 })],
  ['Adadelta', (ps) => new optim.Adadelta(ps, { weightDecay: 0.1 })],
  ['RMSprop', (ps) => new optim.RMSprop(ps, { momentum: 0.9, centered: true })],
  ['Rprop', (ps) => new optim.Rprop(ps)],
  ['ASGD', (ps) => new optim.ASGD(ps, { t0: 1 })],
];

/** Views of part of a storage: contiguous there (a slice of a vector, rows of a matrix) and strided (columns). */
const VIEWS: [string, () => Tensor][] = [
  ['randn(10)[2:7]', () => arange(10).mul(0.37).sin().narrow(0, 2, 5)],
  ['rows 1..2 of a 4×6 matrix', () => arange(24).mul(0.21).cos().reshape([4, 6]).narrow(0, 1, 2)],
  ['columns 1..3 of a 4×6 matrix', () => arange(24).mul(0.13).sin().reshape([4, 6]).narrow(1, 1, 3)],
];

function gradFor(p: Tensor, step: number): Tensor {
  return arange(p.numel()).mul(0.7).add(step).sin().reshape(p.shape);
}

for (const [name, make] of OPTIMIZERS) {
  for (const [what, view] of VIEWS) {
    test(`${name} steps a parameter that is ${what} in place, as PyTorch, with the values of a parameter of its own`, () => {
      const w = view();
      const base = w.viewBase ?? w; // the tensor whose storage w shares
      const before = Array.from(base.toArray());
      const own = tensor(w.toArray(), w.shape); // the same values in a storage of its own
      w.requiresGrad_();
      own.requiresGrad_();
      const a = make([w]);
      const b = make([own]);
      for (let s = 0; s < 4; s++) {
        w.grad = gradFor(w, s);
        own.grad = gradFor(own, s);
        a.step();
        b.step();
      }
      assert.deepEqual(Array.from(w.toArray()), Array.from(own.toArray()), 'the view holds the stepped values');
      assert.notDeepEqual(Array.from(w.toArray()), before.slice(0, w.numel()), 'it moved');
      // The base sees the step where w lies, and nothing else of it changes.
      const after = Array.from(base.toArray());
      const seen = new Set<number>();
      const off = w.storageOffset() - base.storageOffset();
      const walk = (d: number, at: number): void => {
        if (d === w.ndim) return void seen.add(at);
        for (let i = 0; i < w.shape[d]!; i++) walk(d + 1, at + i * w.strides[d]!);
      };
      walk(0, off);
      after.forEach((v, i) => {
        if (!seen.has(i)) assert.equal(v, before[i], `base element ${i}, outside the view, unchanged`);
      });
      assert.ok([...seen].some((i) => after[i] !== before[i]), 'the base sees the step');
      assert.deepEqual(a.stateDict().state, b.stateDict().state, 'the same state');
    });
  }
}

test('LBFGS steps a view of part of a storage as it steps the same values held on their own', () => {
  const run = (p: Tensor): number[] => {
    const opt = new optim.LBFGS([p], { lineSearchFn: 'strong_wolfe', maxIter: 5 });
    const target = tensor([1, -2, 3]);
    opt.step(() => {
      opt.zeroGrad();
      const loss = p.sub(target).pow(2).sum();
      loss.backward();
      return loss;
    });
    return Array.from(p.toArray());
  };
  const base = tensor([9, 0.5, 0.25, -0.75, 9]);
  const w = base.narrow(0, 1, 3).requiresGrad_();
  const got = run(w);
  assert.deepEqual(got, run(tensor([0.5, 0.25, -0.75]).requiresGrad_()));
  assert.deepEqual(Array.from(base.toArray()), [9, ...got, 9]);
});

test('PyTorch 1.13: SGD([torch.tensor([0., 1, 2, 3, 4, 5])[1:4].requires_grad_()], 0.5) with grad ones steps the base', () => {
  // PyTorch 1.13 prints base tensor([0.0000, 0.5000, 1.5000, 2.5000, 4.0000, 5.0000]) after the step.
  const base = tensor([0, 1, 2, 3, 4, 5]);
  const w = base.narrow(0, 1, 3).requiresGrad_();
  const opt = new optim.SGD([w], 0.5);
  w.grad = tensor([1, 1, 1]);
  opt.step();
  assert.deepEqual(Array.from(base.toArray()), [0, 0.5, 1.5, 2.5, 4, 5]);
  assert.deepEqual(Array.from(w.toArray()), [0.5, 1.5, 2.5]);
});
