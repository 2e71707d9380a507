// Finite-difference checks (float64 reference) of the BCE losses with PyTorch's options weight and posWeight, as
// modules and as functions, with each reduction: the gradients of the input and of the target (PyTorch 1.13
// differentiates both); weight and posWeight are constants (no gradient), broadcast to the input's shape.
import { test } from 'node:test';
import { F, nn, tensor, type Tensor } from '../../src/index.js';
import { gradcheck, leaf, randomValues, Rng } from './gradcheck.js';
import * as R from './ref.js';

const rng = new Rng(47);
const REDUCTIONS = ['mean', 'sum', 'none'] as const;

/** A constant of `shape` with values in [lo, hi), and its float64 copy. */
function constant(shape: number[], lo: number, hi: number): [Tensor, R.Ref] {
  const v = randomValues(rng, shape.reduce((a, b) => a * b, 1), { lo, hi });
  return [tensor(v, shape), R.ref(v, shape)];
}

for (const reduction of REDUCTIONS) {
  for (const shape of [[4], [3, 4], [3, 1], [1], []]) {
    test(`gradcheck BCELoss weight ${JSON.stringify(shape)} reduction=${reduction} (input and target)`, () => {
      const x = leaf(rng, [3, 4], { lo: 0.05, hi: 0.95 });
      const y = leaf(rng, [3, 4], { lo: 0, hi: 1 });
      const [w, wr] = constant(shape, -0.5, 2);
      const ref = ([a, b]: readonly R.Ref[]): R.Ref => R.weightedBce(a!, b!, wr, reduction);
      gradcheck('BCELoss weight', { leaves: [x, y], forward: () => new nn.BCELoss({ weight: w, reduction }).forward(x, y), reference: ref });
      gradcheck('F.bceLoss weight', { leaves: [x, y], forward: () => F.bceLoss(x, y, { weight: w, reduction }), reference: ref });
    });
  }

  const pairs: [number[] | null, number[] | null][] = [[null, [4]], [null, [1]], [null, [3, 4]], [[3, 1], [4]], [[4], null], [[3, 4], [3, 1]]];
  for (const [wShape, pwShape] of pairs) {
    test(`gradcheck BCEWithLogitsLoss weight ${JSON.stringify(wShape)} posWeight ${JSON.stringify(pwShape)} reduction=${reduction} (input and target)`, () => {
      const x = leaf(rng, [3, 4], { lo: -6, hi: 6 });
      const y = leaf(rng, [3, 4], { lo: 0, hi: 1 });
      const [w, wr] = wShape === null ? [undefined, null] : constant(wShape, -0.5, 2);
      const [pw, pwr] = pwShape === null ? [undefined, null] : constant(pwShape, 0, 4);
      const options = { reduction, ...(w === undefined ? {} : { weight: w }), ...(pw === undefined ? {} : { posWeight: pw }) };
      const ref = ([a, b]: readonly R.Ref[]): R.Ref => R.weightedBceWithLogits(a!, b!, wr, pwr, reduction);
      gradcheck('BCEWithLogitsLoss options', { leaves: [x, y], forward: () => new nn.BCEWithLogitsLoss(options).forward(x, y), reference: ref });
      gradcheck('F.bceWithLogitsLoss options', { leaves: [x, y], forward: () => F.bceWithLogitsLoss(x, y, options), reference: ref });
    });
  }
}

test('gradcheck BCEWithLogitsLoss posWeight [C] on a 3-D input and a 1-D one', () => {
  const x = leaf(rng, [2, 3, 4], { lo: -5, hi: 5 });
  const y = leaf(rng, [2, 3, 4], { lo: 0, hi: 1 });
  const [pw, pwr] = constant([4], 0, 3);
  gradcheck('3-D', { leaves: [x, y], forward: () => F.bceWithLogitsLoss(x, y, { posWeight: pw }), reference: ([a, b]) => R.weightedBceWithLogits(a!, b!, null, pwr, 'mean') });
  const v = leaf(rng, [4], { lo: -5, hi: 5 });
  const t = leaf(rng, [4], { lo: 0, hi: 1 });
  gradcheck('1-D', { leaves: [v, t], forward: () => F.bceWithLogitsLoss(v, t, { posWeight: pw, reduction: 'none' }), reference: ([a, b]) => R.weightedBceWithLogits(a!, b!, null, pwr, 'none') });
});
