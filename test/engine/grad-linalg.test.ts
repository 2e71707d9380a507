// Finite-difference checks (float64 reference) of the linalg functions with a backward of their own: det (also
// batched, and at a singular matrix, where the gradient is the cofactor matrix), slogdet's logabsdet, inv and solve
// (matrix and vector right sides, left: false). The references are cofactor expansions, independent of the LU code.
import { test } from 'node:test';
import { linalg, tensor } from '../../src/index.js';
import { gradcheck, leaf, Rng } from './gradcheck.js';
import * as R from './ref.js';

const rng = new Rng(60);

function detOf(m: ArrayLike<number>, n: number): number {
  if (n === 1) return m[0]!;
  let d = 0;
  for (let j = 0; j < n; j++) {
    const minor: number[] = [];
    for (let r = 1; r < n; r++) for (let c = 0; c < n; c++) if (c !== j) minor.push(m[r * n + c]!);
    d += (j % 2 === 0 ? 1 : -1) * m[j]! * detOf(minor, n - 1);
  }
  return d;
}

function invOf(m: ArrayLike<number>, n: number): number[] {
  const d = detOf(m, n);
  const out = new Array<number>(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const minor: number[] = [];
      for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (r !== i && c !== j) minor.push(m[r * n + c]!);
      out[j * n + i] = ((i + j) % 2 === 0 ? 1 : -1) * detOf(minor, n - 1) / d;
    }
  }
  return out;
}

const wellConditioned = (n: number, batch: number[] = []): ReturnType<typeof leaf> => {
  const t = leaf(rng, [...batch, n, n]);
  const v = t.toArray();
  for (let b = 0; b < v.length / (n * n); b++) for (let i = 0; i < n; i++) v[b * n * n + i * n + i] += 3;
  return tensor(v, t.shape, { requiresGrad: true });
};

test('gradcheck det: one matrix, a batch, and a singular matrix (cofactors)', () => {
  const a = wellConditioned(3);
  gradcheck('det', { leaves: [a], forward: () => linalg.det(a), reference: ([x]) => R.ref([detOf(x!.data, 3)], []) });
  const b = wellConditioned(2, [3]);
  gradcheck('det batched', {
    leaves: [b], forward: () => linalg.det(b),
    reference: ([x]) => R.ref([0, 1, 2].map((k) => detOf(Array.from(x!.data).slice(k * 4, k * 4 + 4), 2)), [3]),
  });
  // Rank 2: its determinant is 0, its gradient the (non-zero) cofactor matrix, which finite differences see too.
  const s = tensor([[1, 2, 3], [2, 4, 6], [1, 0, 1]], { requiresGrad: true });
  gradcheck('det singular', { leaves: [s], forward: () => linalg.det(s), reference: ([x]) => R.ref([detOf(x!.data, 3)], []) });
});

test('gradcheck slogdet (logabsdet), inv, and solve', () => {
  const a = wellConditioned(3);
  gradcheck('slogdet', { leaves: [a], forward: () => linalg.slogdet(a)[1], reference: ([x]) => R.ref([Math.log(Math.abs(detOf(x!.data, 3)))], []) });
  gradcheck('inv', { leaves: [a], forward: () => linalg.inv(a), reference: ([x]) => R.ref(invOf(x!.data, 3), [3, 3]) });
  const b = leaf(rng, [3, 2]);
  gradcheck('solve', { leaves: [a, b], forward: () => linalg.solve(a, b), reference: ([x, y]) => R.matmul(R.ref(invOf(x!.data, 3), [3, 3]), y!) });
  const v = leaf(rng, [3]);
  gradcheck('solve vector', {
    leaves: [a, v], forward: () => linalg.solve(a, v),
    reference: ([x, y]) => R.reshape(R.matmul(R.ref(invOf(x!.data, 3), [3, 3]), R.reshape(y!, [3, 1])), [3]),
  });
  const c = leaf(rng, [2, 3]);
  gradcheck('solve left false', { leaves: [a, c], forward: () => linalg.solve(a, c, { left: false }), reference: ([x, y]) => R.matmul(y!, R.ref(invOf(x!.data, 3), [3, 3])) });
});
