// Finite-difference checks (float64 reference) of cdist's own backward (CdistBackward0) for p 1, 2, 3 and ∞, and of
// the matrix-product path (p = 2 over 25 rows), on both inputs.
import { test } from 'node:test';
import { cdist } from '../../src/index.js';
import { gradcheck, leaf, Rng } from './gradcheck.js';
import * as R from './ref.js';

const rng = new Rng(62);

function cdistRef(a: R.Ref, b: R.Ref, p: number): R.Ref {
  const [r1, m] = a.shape as [number, number];
  const r2 = b.shape[0]!;
  const out: number[] = [];
  for (let i = 0; i < r1; i++) {
    for (let j = 0; j < r2; j++) {
      const d = Array.from({ length: m }, (_, k) => Math.abs(a.data[i * m + k]! - b.data[j * m + k]!));
      out.push(p === Infinity ? Math.max(...d) : d.reduce((s, v) => s + v ** p, 0) ** (1 / p));
    }
  }
  return R.ref(out, [r1, r2]);
}

test('gradcheck cdist: the direct kernel for p 1, 2, 3 and ∞', () => {
  for (const p of [1, 2, 3, Infinity]) {
    const a = leaf(rng, [3, 4]);
    const b = leaf(rng, [2, 4]);
    gradcheck(`cdist p ${p}`, { leaves: [a, b], forward: () => cdist(a, b, p), reference: ([x, y]) => cdistRef(x!, y!, p) });
  }
});

test('gradcheck cdist: the matrix-product path', () => {
  const a = leaf(rng, [27, 3]);
  const b = leaf(rng, [2, 3]);
  gradcheck('cdist mm', { leaves: [a, b], forward: () => cdist(a, b), reference: ([x, y]) => cdistRef(x!, y!, 2), rtol: 1e-3, atol: 1e-4 });
});
