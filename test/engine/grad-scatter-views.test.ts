// Finite-difference checks (float64 reference) of scatterReduce ('sum', 'mean', 'amax', 'prod', with and without
// the input's own values; distinct values keep amax away from ties), selectScatter, sliceScatter (a step),
// diagonalScatter, maskedScatter, addr and dist: every tensor operand's gradient.
import { test } from 'node:test';
import { addr, diagonalScatter, dist, maskedScatter, selectScatter, sliceScatter, tensor, type Tensor } from '../../src/index.js';
import { distinctLeaf, gradcheck, leaf, Rng } from './gradcheck.js';
import * as R from './ref.js';

const rng = new Rng(2358);
const INDEX = [[0, 1, 0, 3, 2], [2, 2, 1, 0, 0]];

/** x.scatterReduce(1, INDEX, src, reduce, includeSelf) in float64, x [2, 4] and src [2, 5]. */
function scatterReduceRef(x: R.Ref, src: R.Ref, reduce: string, includeSelf: boolean): R.Ref {
  const out = x.data.slice();
  for (let r = 0; r < 2; r++) {
    for (let c = 0; c < 4; c++) {
      const vals = INDEX[r]!.flatMap((j, k) => (j === c ? [src.data[r * 5 + k]!] : []));
      if (vals.length === 0) continue;
      const all = includeSelf ? [x.data[r * 4 + c]!, ...vals] : vals;
      out[r * 4 + c] = reduce === 'sum' ? all.reduce((a, b) => a + b, 0)
        : reduce === 'mean' ? all.reduce((a, b) => a + b, 0) / all.length
        : reduce === 'prod' ? all.reduce((a, b) => a * b, 1)
        : Math.max(...all);
    }
  }
  return R.ref(out, x.shape);
}

test('gradcheck scatterReduce: sum, mean, amax and prod, with and without the input\'s values', () => {
  for (const reduce of ['sum', 'mean', 'amax', 'prod'] as const) {
    for (const includeSelf of [true, false]) {
      const x = distinctLeaf(rng, [2, 4], 0.25, 0.1);
      const src = distinctLeaf(rng, [2, 5], 0.3, 0.05);
      gradcheck(`scatterReduce ${reduce} ${includeSelf}`, {
        leaves: [x, src], forward: () => x.scatterReduce(1, tensor(INDEX), src, reduce, { includeSelf }),
        reference: ([a, b]) => scatterReduceRef(a!, b!, reduce, includeSelf),
      });
    }
  }
});

/** x with src's values at the row-major places given. */
function placedRef(x: R.Ref, src: R.Ref, places: number[]): R.Ref {
  const out = x.data.slice();
  places.forEach((p, k) => (out[p] = src.data[k]!));
  return R.ref(out, x.shape);
}

test('gradcheck selectScatter, sliceScatter, diagonalScatter and maskedScatter: both operands', () => {
  const x = leaf(rng, [4, 3]);
  const row = leaf(rng, [3]);
  gradcheck('selectScatter', { leaves: [x, row], forward: () => selectScatter(x, row, 0, 2), reference: ([a, b]) => placedRef(a!, b!, [6, 7, 8]) });
  const cols = leaf(rng, [4, 2]);
  gradcheck('sliceScatter step 2', { leaves: [x, cols], forward: () => sliceScatter(x, cols, 1, 0, null, 2), reference: ([a, b]) => placedRef(a!, b!, [0, 2, 3, 5, 6, 8, 9, 11]) });
  const diag = leaf(rng, [2]);
  gradcheck('diagonalScatter offset 1', { leaves: [x, diag], forward: () => diagonalScatter(x, diag, 1), reference: ([a, b]) => placedRef(a!, b!, [1, 5]) });
  const src = leaf(rng, [6]);
  const mask: number[][] = [[1, 0, 1], [0, 0, 0], [0, 1, 1], [1, 0, 0]];
  gradcheck('maskedScatter', { leaves: [x, src], forward: () => maskedScatter(x, tensor(mask), src), reference: ([a, b]) => placedRef(a!, b!, [0, 2, 7, 8, 9]) });
});

test('gradcheck addr (beta, alpha, a broadcast input) and dist (p 2, 1, 3)', () => {
  const input = leaf(rng, [3]);
  const v1 = leaf(rng, [4]);
  const v2 = leaf(rng, [3]);
  gradcheck('addr', {
    leaves: [input, v1, v2], forward: () => addr(input, v1, v2, { beta: 0.5, alpha: -2 }),
    reference: ([i, a, b]) => R.ref(Array.from({ length: 12 }, (_, k) => 0.5 * i!.data[k % 3]! - 2 * a!.data[Math.floor(k / 3)]! * b!.data[k % 3]!), [4, 3]),
  });
  const a = leaf(rng, [2, 3]);
  const b = leaf(rng, [3]);
  for (const p of [2, 1, 3]) {
    gradcheck(`dist p ${p}`, {
      leaves: [a, b], forward: (): Tensor => dist(a, b, p),
      reference: ([x, y]) => R.ref([Math.pow(x!.data.reduce((s, v, k) => s + Math.pow(Math.abs(v - y!.data[k % 3]!), p), 0), 1 / p)], []),
    });
  }
});
