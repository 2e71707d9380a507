// Finite-difference checks (float64 reference) of the embedding and likelihood losses: softMarginLoss (its own
// backward, each reduction), hingeEmbeddingLoss, cosineEmbeddingLoss, gaussianNllLoss (input and var) and
// tripletMarginLoss (every operand, swap).
import { test } from 'node:test';
import { F, tensor } from '../../src/index.js';
import { gradcheck, leaf, Rng } from './gradcheck.js';
import * as R from './ref.js';

const rng = new Rng(59);
const sum = (x: R.Ref): R.Ref => R.ref([x.data.reduce((a, b) => a + b, 0)], []);
const mean = (x: R.Ref): R.Ref => R.ref([x.data.reduce((a, b) => a + b, 0) / x.data.length], []);
const reduceRef = (x: R.Ref, r: 'mean' | 'sum' | 'none'): R.Ref => (r === 'mean' ? mean(x) : r === 'sum' ? sum(x) : x);

test('gradcheck softMarginLoss, each reduction', () => {
  const y = tensor([1, -1, -1, 1, 1, -1], [2, 3]);
  for (const reduction of ['mean', 'sum', 'none'] as const) {
    const x = leaf(rng, [2, 3]);
    gradcheck(`softMarginLoss ${reduction}`, {
      leaves: [x], forward: () => F.softMarginLoss(x, y, { reduction }),
      reference: ([a]) => reduceRef(R.ref(a!.data.map((v, i) => Math.log1p(Math.exp(-v * y.toArray()[i]!))), a!.shape), reduction),
    });
  }
});

test('gradcheck hingeEmbeddingLoss and cosineEmbeddingLoss', () => {
  const t = tensor([1, -1, 1, -1]);
  const x = leaf(rng, [4]);
  gradcheck('hingeEmbeddingLoss', {
    leaves: [x], forward: () => F.hingeEmbeddingLoss(x, t, { margin: 0.8, reduction: 'sum' }),
    reference: ([a]) => sum(R.ref(a!.data.map((v, i) => (t.toArray()[i] === 1 ? v : Math.max(0, 0.8 - v))), [4])),
  });
  const a1 = leaf(rng, [3, 4]);
  const a2 = leaf(rng, [3, 4]);
  const y = tensor([1, -1, -1]);
  gradcheck('cosineEmbeddingLoss', {
    leaves: [a1, a2], forward: () => F.cosineEmbeddingLoss(a1, a2, y, { margin: -0.5 }),
    reference: ([p, q]) => {
      const out: number[] = [];
      for (let i = 0; i < 3; i++) {
        let d = 0; let n1 = 1e-12; let n2 = 1e-12;
        for (let j = 0; j < 4; j++) { d += p!.data[i * 4 + j]! * q!.data[i * 4 + j]!; n1 += p!.data[i * 4 + j]! ** 2; n2 += q!.data[i * 4 + j]! ** 2; }
        const cos = d / Math.sqrt(n1 * n2);
        out.push(y.toArray()[i] === 1 ? 1 - cos : Math.max(0, cos + 0.5));
      }
      return mean(R.ref(out, [3]));
    },
  });
});

test('gradcheck gaussianNllLoss (input and var) and tripletMarginLoss with swap', () => {
  const x = leaf(rng, [5]);
  const target = tensor([0.1, -0.3, 0.2, 0.9, -1]);
  const v = leaf(rng, [5], { lo: 0.5, hi: 2 });
  gradcheck('gaussianNllLoss', {
    leaves: [x, v], forward: () => F.gaussianNllLoss(x, target, v, { full: true }),
    reference: ([a, s]) => mean(R.ref(a!.data.map((m, i) => 0.5 * (Math.log(s!.data[i]!) + (m - target.toArray()[i]!) ** 2 / s!.data[i]!) + 0.5 * Math.log(2 * Math.PI)), [5])),
  });
  const an = leaf(rng, [3, 2]);
  const po = leaf(rng, [3, 2]);
  const ne = leaf(rng, [3, 2]);
  const dist = (p: R.Ref, q: R.Ref, i: number): number => Math.hypot(p.data[i * 2]! - q.data[i * 2]! + 1e-6, p.data[i * 2 + 1]! - q.data[i * 2 + 1]! + 1e-6);
  gradcheck('tripletMarginLoss swap', {
    leaves: [an, po, ne], forward: () => F.tripletMarginLoss(an, po, ne, { swap: true, margin: 0.7 }),
    reference: ([a, p, n]) => mean(R.ref([0, 1, 2].map((i) => Math.max(0, 0.7 + dist(a!, p!, i) - Math.min(dist(a!, n!, i), dist(p!, n!, i)))), [3])),
  });
});
