// Finite-difference checks (float64 reference) of every loss, as a module and as a function, with each reduction.
import { test } from 'node:test';
import { F, nn, tensor, type Tensor } from '../../src/index.js';
import { gradcheck, leaf, randomValues, Rng } from './gradcheck.js';
import * as R from './ref.js';

const rng = new Rng(31);
const REDUCTIONS = ['mean', 'sum', 'none'] as const;

/** Rows of class probabilities (positive, summing to 1), as float32 values. */
function probabilities(n: number, c: number): Tensor {
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    const raw = randomValues(rng, c, { lo: 0.1, hi: 1 });
    const s = raw.reduce((a, b) => a + b, 0);
    rows.push(raw.map((v) => v / s));
  }
  return tensor(rows, undefined, { requiresGrad: true });
}

for (const reduction of REDUCTIONS) {
  test(`gradcheck MSELoss reduction=${reduction} (input and target)`, () => {
    const x = leaf(rng, [3, 4]);
    const y = leaf(rng, [3, 4]);
    const ref = ([a, b]: readonly R.Ref[]): R.Ref => R.mse(a!, b!, reduction);
    gradcheck('MSELoss', { leaves: [x, y], forward: () => new nn.MSELoss({ reduction }).forward(x, y), reference: ref });
    gradcheck('F.mseLoss', { leaves: [x, y], forward: () => F.mseLoss(x, y, { reduction }), reference: ref });
    const v = leaf(rng, [5]);
    const t = leaf(rng, [5]);
    gradcheck('MSELoss 1-D', { leaves: [v, t], forward: () => F.mseLoss(v, t, { reduction }), reference: ref });
  });

  test(`gradcheck BCELoss reduction=${reduction}`, () => {
    const x = leaf(rng, [3, 4], { lo: 0.05, hi: 0.95 });
    const y = leaf(rng, [3, 4], { lo: 0, hi: 1 }).detach();
    const yr = R.ref(y.toArray(), y.shape);
    gradcheck('BCELoss', { leaves: [x], forward: () => new nn.BCELoss({ reduction }).forward(x, y), reference: ([a]) => R.bce(a!, yr, reduction) });
    const hard = tensor([[1, 0, 1, 0], [0, 0, 1, 1], [1, 1, 0, 0]]);
    gradcheck('F.bceLoss 0/1 targets', {
      leaves: [x],
      forward: () => F.bceLoss(x, hard, { reduction }),
      reference: ([a]) => R.bce(a!, R.ref(hard.toArray(), hard.shape), reduction),
    });
  });

  test(`gradcheck BCEWithLogitsLoss reduction=${reduction} (input and target)`, () => {
    const x = leaf(rng, [3, 4], { lo: -4, hi: 4 });
    const y = leaf(rng, [3, 4], { lo: 0, hi: 1 });
    const ref = ([a, b]: readonly R.Ref[]): R.Ref => R.bceWithLogits(a!, b!, reduction);
    gradcheck('BCEWithLogitsLoss', { leaves: [x, y], forward: () => new nn.BCEWithLogitsLoss({ reduction }).forward(x, y), reference: ref });
    gradcheck('F.bceWithLogitsLoss', { leaves: [x, y], forward: () => F.bceWithLogitsLoss(x, y, { reduction }), reference: ref });
  });

  test(`gradcheck CrossEntropyLoss with class indices, reduction=${reduction}`, () => {
    const x = leaf(rng, [4, 5], { lo: -2, hi: 2 });
    const idx = [3, 0, 4, 3];
    const target = tensor(idx);
    gradcheck('CrossEntropyLoss [N, C]', {
      leaves: [x],
      forward: () => new nn.CrossEntropyLoss({ reduction }).forward(x, target),
      reference: ([a]) => R.crossEntropyIndices(a!, idx, reduction),
    });
    const v = leaf(rng, [5], { lo: -2, hi: 2 });
    gradcheck('F.crossEntropyLoss [C] with a 0-d target', {
      leaves: [v],
      forward: () => F.crossEntropyLoss(v, tensor(2), { reduction }),
      reference: ([a]) => R.crossEntropyIndices(a!, [2], reduction),
    });
  });

  test(`gradcheck CrossEntropyLoss with class probabilities, reduction=${reduction} (input and target)`, () => {
    const x = leaf(rng, [4, 5], { lo: -2, hi: 2 });
    const p = probabilities(4, 5);
    const ref = ([a, b]: readonly R.Ref[]): R.Ref => R.crossEntropyProbs(a!, b!, reduction);
    gradcheck('CrossEntropyLoss probs', { leaves: [x, p], forward: () => new nn.CrossEntropyLoss({ reduction }).forward(x, p), reference: ref });
    const v = leaf(rng, [5], { lo: -2, hi: 2 });
    const q = probabilities(1, 5).reshape(5).detach().requiresGrad_();
    gradcheck('F.crossEntropyLoss probs 1-D', { leaves: [v, q], forward: () => F.crossEntropyLoss(v, q, { reduction }), reference: ref });
  });

  test(`gradcheck F.crossEntropyLoss with class probabilities and a weight that requires grad, reduction=${reduction} (input, target and weight)`, () => {
    // PyTorch differentiates the weight here (its cross_entropy with probabilities is built from differentiable ops).
    const x = leaf(rng, [4, 5], { lo: -2, hi: 2 });
    const p = probabilities(4, 5);
    const w = leaf(rng, [5], { lo: 0.25, hi: 2 });
    gradcheck('F.crossEntropyLoss probs weight', {
      leaves: [x, p, w],
      forward: () => F.crossEntropyLoss(x, p, { weight: w, reduction }),
      reference: ([a, b, c]) => {
        const l = R.map(R.sum(R.mul(R.mul(R.logSoftmax(a!, 1), b!), R.expand(c!, [4, 5])), [1]), (v) => -v);
        return reduction === 'mean' ? R.map(R.sum(l), (v) => v / 4) : R.reduceLoss(l, reduction);
      },
    });
  });

  test(`gradcheck NLLLoss reduction=${reduction}`, () => {
    const x = leaf(rng, [4, 5], { lo: -3, hi: 0 });
    const idx = [1, 1, 0, 4];
    gradcheck('NLLLoss', {
      leaves: [x],
      forward: () => new nn.NLLLoss({ reduction }).forward(x, tensor(idx)),
      reference: ([a]) => R.nll(a!, idx, reduction),
    });
    gradcheck('F.nllLoss of logSoftmax', {
      leaves: [x],
      forward: () => F.nllLoss(x.logSoftmax(1), tensor(idx), { reduction }),
      reference: ([a]) => R.nll(R.logSoftmax(a!, 1), idx, reduction),
    });
    const v = leaf(rng, [5], { lo: -3, hi: 0 });
    gradcheck('NLLLoss 1-D', { leaves: [v], forward: () => F.nllLoss(v, tensor(3), { reduction }), reference: ([a]) => R.nll(a!, [3], reduction) });
  });
}

test(
  'gradcheck BCELoss with respect to its target (PyTorch 1.13 differentiates the target too)',
  () => {
    const x = leaf(rng, [2, 3], { lo: 0.05, hi: 0.95 });
    const y = leaf(rng, [2, 3], { lo: 0, hi: 1 });
    gradcheck('BCELoss target', { leaves: [x, y], forward: () => F.bceLoss(x, y), reference: ([a, b]) => R.bce(a!, b!, 'mean') });
  },
);
