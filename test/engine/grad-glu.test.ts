// Finite-difference checks (float64 reference) of F.glu (its own backward) along the last, a middle and the first
// dimension, and of F.channelShuffle's gradient (PyTorch 1.13 has none; Kindling's composition gives one).
import { test } from 'node:test';
import { F } from '../../src/index.js';
import { gradcheck, leaf, Rng } from './gradcheck.js';
import * as R from './ref.js';

const rng = new Rng(61);

/** a·σ(b) of the halves along `dim`, in float64. */
function gluRef(x: R.Ref, dim: number): R.Ref {
  const size = x.shape[dim]!;
  const half = size / 2;
  const inner = x.shape.slice(dim + 1).reduce((p, s) => p * s, 1);
  const outer = x.shape.slice(0, dim).reduce((p, s) => p * s, 1);
  const out: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < half; k++) {
      for (let i = 0; i < inner; i++) {
        const a = x.data[(o * size + k) * inner + i]!;
        const b = x.data[(o * size + k + half) * inner + i]!;
        out.push(a / (1 + Math.exp(-b)));
      }
    }
  }
  return R.ref(out, x.shape.map((s, d) => (d === dim ? half : s)));
}

test('gradcheck glu along each dimension', () => {
  for (const [shape, dim] of [[[3, 4], 1], [[2, 4, 3], 1], [[6, 2], 0]] as const) {
    const x = leaf(rng, shape);
    gradcheck(`glu dim ${dim}`, { leaves: [x], forward: () => F.glu(x, dim), reference: ([v]) => gluRef(v!, dim) });
  }
});

test('gradcheck channelShuffle', () => {
  const x = leaf(rng, [2, 6, 2]);
  gradcheck('channelShuffle', {
    leaves: [x], forward: () => F.channelShuffle(x, 3),
    reference: ([v]) => R.reshape(R.transpose(R.reshape(v!, [2, 3, 2, 2]), 1, 2), [2, 6, 2]),
  });
});
