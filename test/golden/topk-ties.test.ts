// topk when values tie, against PyTorch's (fixtures/torch/topk-ties.json, written by make_topk_ties.py): PyTorch's CPU
// kernel runs libstdc++'s nth_element, sort and partial_sort, which are not stable; Kindling runs the same steps
// (src/ops/topk-order.ts), so it picks the same indices, in the same order, ties and NaN included.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tensor } from '../../src/index.js';
import { loadFixture } from './golden-helpers.js';

interface Row {
  x: (number | 'NaN')[];
  picks: { k: number; largest: boolean; sorted: boolean; indices: number[] }[];
}
const fx = loadFixture<{ rows: Row[] }>('topk-ties.json');

test('topk picks torch.topk\'s indices among ties: nth_element, sort and partial_sort as libstdc++ runs them', () => {
  let picks = 0;
  let byPartialSort = 0;
  let unlikeStable = 0;
  for (const row of fx.rows) {
    const values = row.x.map((v) => (v === 'NaN' ? Number.NaN : v));
    const x = tensor(values);
    for (const { k, largest, sorted, indices } of row.picks) {
      const what = `n ${values.length}, k ${k}, largest ${largest}, sorted ${sorted}`;
      const got = x.topk(k, -1, largest, sorted);
      assert.deepEqual(got.indices.tolist(), indices, what);
      // The values are those at the indices, as PyTorch's are.
      assert.deepEqual(got.values.tolist(), indices.map((i) => values[i]), what);
      picks++;
      if (k * 64 <= values.length) byPartialSort++;
      // A stable order would differ from PyTorch's here: the fixture exercises the ties.
      const stable = values.map((_, i) => i).sort((a, b) => {
        const [va, vb] = [values[a]!, values[b]!];
        const [na, nb] = [Number.isNaN(va), Number.isNaN(vb)];
        if (na !== nb) return na === largest ? -1 : 1;
        return na || va === vb ? a - b : (largest ? vb - va : va - vb);
      }).slice(0, k);
      if (stable.some((v, j) => v !== indices[j])) unlikeStable++;
    }
  }
  assert.equal(picks, 766);
  assert.ok(byPartialSort >= 50, `partial_sort's path taken ${byPartialSort} times`);
  assert.ok(unlikeStable >= picks / 2, `only ${unlikeStable} of ${picks} differ from a stable order`);
});

test('topk along a dimension of a larger tensor picks each slice\'s indices as one row would', () => {
  const row = fx.rows.find((r) => r.x.length >= 30 && !r.x.includes('NaN') && new Set(r.x).size > 1)!;
  const values = row.x as number[];
  const pick = row.picks[row.picks.length - 1]!;
  // The row as column 1 of an [n, 3] tensor: topk along dim 0.
  const m = tensor(values.map((v, i) => [i, v, -i]));
  const got = m.topk(pick.k, 0, pick.largest, pick.sorted).indices.tolist() as number[][];
  assert.deepEqual(got.map((r) => r[1]), pick.indices);
});
