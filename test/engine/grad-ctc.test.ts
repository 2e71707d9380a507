// A finite-difference check of ctcLoss's own backward (the β recursion) against a brute-force reference: the
// negative log of the summed probability of every path of T labels that collapses (repeats merged, blanks dropped)
// to the target, in float64. The scores go through logSoftmax first: PyTorch's CTC gradient (which Kindling's
// reproduces) adds e^lp, which sums to 1 over the classes and so cancels in logSoftmax's backward — it is the
// derivative for normalised log-probabilities, as the loss expects them.
import { test } from 'node:test';
import { F, tensor } from '../../src/index.js';
import { gradcheck, leaf, Rng } from './gradcheck.js';
import * as R from './ref.js';

const rng = new Rng(5815);

/** −log Σ over paths collapsing to `target` of Π exp(lp[t, path[t]]), for lp [T, C] (blank 0). */
function bruteForce(lp: ArrayLike<number>, T: number, C: number, target: readonly number[]): number {
  let total = 0;
  const path = new Array<number>(T).fill(0);
  for (let code = 0; code < C ** T; code++) {
    let k = code;
    for (let t = 0; t < T; t++) {
      path[t] = k % C;
      k = Math.floor(k / C);
    }
    const collapsed: number[] = [];
    path.forEach((c, t) => {
      if (c !== 0 && (t === 0 || path[t - 1] !== c)) collapsed.push(c);
    });
    if (collapsed.length !== target.length || collapsed.some((c, i) => c !== target[i])) continue;
    total += Math.exp(path.reduce((s, c, t) => s + lp[t * C + c]!, 0));
  }
  return -Math.log(total);
}

test('gradcheck ctcLoss (unbatched, a repeated label) against the sum over every alignment', () => {
  const T = 5;
  const C = 3;
  const x = leaf(rng, [T, C], { lo: -2, hi: 0 });
  for (const target of [[1, 1], [2, 1]]) {
    gradcheck(`ctcLoss ${target}`, {
      leaves: [x], forward: () => F.ctcLoss(x.logSoftmax(1), tensor(target), T, 2, { reduction: 'sum' }),
      reference: ([a]) => R.ref([bruteForce(R.logSoftmax(a!, 1).data, T, C, target)], []),
    });
  }
});
