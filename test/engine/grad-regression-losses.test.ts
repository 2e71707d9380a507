// Finite-difference checks (float64 reference) of F.l1Loss, F.smoothL1Loss, F.huberLoss and F.klDiv, as functions
// and as modules, with each reduction ('batchmean' too for klDiv): the gradients of the input and of the target (PyTorch
// 1.13 differentiates both). Differences are kept away from the kinks (0 and ±beta / ±delta), where the loss has no
// derivative for the differences to find; the golden test (test/golden/regression-losses.test.ts) checks those points
// against PyTorch.
import { test } from 'node:test';
import { F, nn, tensor, type Tensor } from '../../src/index.js';
import { gradcheck, leaf, randomValues, Rng } from './gradcheck.js';
import * as R from './ref.js';

const rng = new Rng(54);
const REDUCTIONS = ['mean', 'sum', 'none'] as const;

const smoothL1 = (beta: number) => (d: number): number => {
  const z = Math.abs(d);
  return z < beta ? (0.5 * z * z) / beta : z - 0.5 * beta;
};
const huber = (delta: number) => (d: number): number => {
  const z = Math.abs(d);
  return z < delta ? 0.5 * z * z : delta * (z - 0.5 * delta);
};

/** The loss of each difference x − y (broadcast), reduced. */
const elementwise = (f: (d: number) => number, r: R.Reduction) => ([x, y]: readonly R.Ref[]): R.Ref =>
  R.reduceLoss(R.zip(x!, y!, (a, b) => f(a - b)), r);

/**
 * A target of `shape` and an input of `inShape` (the target's by default) whose differences keep `gap` away from
 * each of `kinks` (±k and 0): the input is the target plus such differences (broadcast inputs draw both).
 */
function pair(shape: number[], kinks: number[], inShape = shape, spread = 3): [Tensor, Tensor] {
  const avoid = [0, ...kinks.flatMap((k) => [k, -k])];
  const n = shape.reduce((a, b) => a * b, 1);
  if (inShape !== shape) {
    // Broadcast: draw both and redraw until every difference is clear of the kinks.
    for (;;) {
      const x = leaf(rng, inShape, { lo: -spread, hi: spread });
      const y = leaf(rng, shape, { lo: -spread, hi: spread });
      const d = R.zip(R.ref(x.toArray(), x.shape), R.ref(y.toArray(), y.shape), (a, b) => a - b).data;
      if (d.every((v) => avoid.every((p) => Math.abs(v - p) >= 0.05))) return [x, y];
    }
  }
  const y = randomValues(rng, n, { lo: -spread, hi: spread });
  const d = randomValues(rng, n, { lo: -spread, hi: spread, avoid, gap: 0.06 });
  return [tensor(y.map((v, i) => v + d[i]!), shape, { requiresGrad: true }), tensor(y, shape, { requiresGrad: true })];
}

for (const reduction of REDUCTIONS) {
  test(`gradcheck L1Loss reduction=${reduction} (input and target; 1-D, 3-D, broadcast)`, () => {
    const ref = elementwise(Math.abs, reduction);
    const [x, y] = pair([3, 4], []);
    gradcheck('L1Loss', { leaves: [x, y], forward: () => new nn.L1Loss({ reduction }).forward(x, y), reference: ref });
    gradcheck('F.l1Loss', { leaves: [x, y], forward: () => F.l1Loss(x, y, { reduction }), reference: ref });
    const [v, t] = pair([5], []);
    gradcheck('F.l1Loss 1-D', { leaves: [v, t], forward: () => F.l1Loss(v, t, { reduction }), reference: ref });
    const [b, c] = pair([2, 3, 2], []);
    gradcheck('F.l1Loss 3-D', { leaves: [b, c], forward: () => F.l1Loss(b, c, { reduction }), reference: ref });
    const [bx, by] = pair([4], [], [3, 1]);
    gradcheck('F.l1Loss broadcast [3, 1] and [4]', { leaves: [bx, by], forward: () => F.l1Loss(bx, by, { reduction }), reference: ref });
  });

  for (const beta of [1, 0.5, 2.5]) {
    test(`gradcheck SmoothL1Loss beta=${beta} reduction=${reduction} (input and target, both sides of beta)`, () => {
      const ref = elementwise(smoothL1(beta), reduction);
      const [x, y] = pair([3, 4], [beta]);
      gradcheck('SmoothL1Loss', { leaves: [x, y], forward: () => new nn.SmoothL1Loss({ reduction, beta }).forward(x, y), reference: ref });
      gradcheck('F.smoothL1Loss', { leaves: [x, y], forward: () => F.smoothL1Loss(x, y, { reduction, beta }), reference: ref });
      const [bx, by] = pair([1, 4], [beta], [3, 4]);
      gradcheck('F.smoothL1Loss broadcast', { leaves: [bx, by], forward: () => F.smoothL1Loss(bx, by, { reduction, beta }), reference: ref });
    });
  }

  test(`gradcheck SmoothL1Loss beta=0 (the L1 loss) and default beta, reduction=${reduction}`, () => {
    const [x, y] = pair([3, 4], [1]);
    gradcheck('F.smoothL1Loss beta 0', { leaves: [x, y], forward: () => F.smoothL1Loss(x, y, { reduction, beta: 0 }), reference: elementwise(Math.abs, reduction) });
    gradcheck('F.smoothL1Loss default', { leaves: [x, y], forward: () => F.smoothL1Loss(x, y, { reduction }), reference: elementwise(smoothL1(1), reduction) });
  });

  for (const delta of [1, 0.5, 2.5]) {
    test(`gradcheck HuberLoss delta=${delta} reduction=${reduction} (input and target, both sides of delta)`, () => {
      const ref = elementwise(huber(delta), reduction);
      const [x, y] = pair([3, 4], [delta]);
      gradcheck('HuberLoss', { leaves: [x, y], forward: () => new nn.HuberLoss({ reduction, delta }).forward(x, y), reference: ref });
      gradcheck('F.huberLoss', { leaves: [x, y], forward: () => F.huberLoss(x, y, { reduction, delta }), reference: ref });
      const [v, t] = pair([], [delta]);
      gradcheck('F.huberLoss 0-d', { leaves: [v, t], forward: () => F.huberLoss(v, t, { reduction, delta }), reference: ref });
    });
  }
}

/** log-probabilities: each row of `shape` (last dimension) normalised. */
function logProbs(shape: number[]): Tensor {
  return leaf(rng, shape, { lo: -2, hi: 2 }).detach().logSoftmax(-1).detach().requiresGrad_();
}

const klTerm = (logTarget: boolean) => (x: number, t: number): number => (logTarget ? Math.exp(t) * (t - x) : t * Math.log(t) - t * x);

/** kl_div's reference: 'batchmean' divides the sum by the input's first dimension (none for a 0-d input). */
function klRef(reduction: 'mean' | 'batchmean' | 'sum' | 'none', logTarget: boolean, inShape: readonly number[]) {
  return ([x, y]: readonly R.Ref[]): R.Ref => {
    const l = R.zip(x!, y!, klTerm(logTarget));
    if (reduction !== 'batchmean') return R.reduceLoss(l, reduction);
    const s = R.sum(l);
    return inShape.length === 0 ? s : R.map(s, (v) => v / inShape[0]!);
  };
}

for (const reduction of ['mean', 'batchmean', 'sum', 'none'] as const) {
  for (const logTarget of [false, true]) {
    test(`gradcheck KLDivLoss reduction=${reduction} logTarget=${logTarget} (input and target; 1-D, 0-d, broadcast)`, () => {
      const target = (shape: number[]): Tensor => (logTarget ? logProbs(shape) : logProbs(shape).detach().exp().requiresGrad_());
      const x = logProbs([3, 4]);
      const y = target([3, 4]);
      const o = { reduction, logTarget };
      gradcheck('KLDivLoss', { leaves: [x, y], forward: () => new nn.KLDivLoss(o).forward(x, y), reference: klRef(reduction, logTarget, [3, 4]) });
      gradcheck('F.klDiv', { leaves: [x, y], forward: () => F.klDiv(x, y, o), reference: klRef(reduction, logTarget, [3, 4]) });
      const v = logProbs([5]);
      const t = target([5]);
      gradcheck('F.klDiv 1-D', { leaves: [v, t], forward: () => F.klDiv(v, t, o), reference: klRef(reduction, logTarget, [5]) });
      const s = tensor(-0.7, { requiresGrad: true });
      const p = tensor(logTarget ? -0.2 : 0.4, { requiresGrad: true });
      gradcheck('F.klDiv 0-d', { leaves: [s, p], forward: () => F.klDiv(s, p, o), reference: klRef(reduction, logTarget, []) });
      const bx = logProbs([4]);
      const by = target([2, 4]);
      gradcheck('F.klDiv input [4], target [2, 4]', { leaves: [bx, by], forward: () => F.klDiv(bx, by, o), reference: klRef(reduction, logTarget, [4]) });
    });
  }
}
