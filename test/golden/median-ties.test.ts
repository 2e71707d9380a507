// Which index PyTorch 1.13's CPU median, nanmedian, kthvalue and mode return among tied values (and NaN), on 500 rows
// of few distinct values (fixtures/torch/median-ties.json, written by make_median_ties.py): median and nanmedian by
// their (value, index) order, kthvalue by PyTorch's quickselect, mode by libstdc++'s std::sort, all ported.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tensor, type Tensor } from '../../src/index.js';
import { loadFixture } from './golden-helpers.js';

type Pair = [number | 'NaN', number];
interface Row { row: (number | 'NaN')[]; median: Pair; nanmedian: Pair; kthvalue: Pair[]; mode: Pair; medianAll: number | 'NaN'; nanmedianAll: number | 'NaN' }
const fx = loadFixture<{ rows: Row[] }>('median-ties.json');

const num = (v: number | 'NaN'): number => (v === 'NaN' ? Number.NaN : v);
const show = (p: { values: Tensor; indices: Tensor }): string => `[${p.values.item()}, ${p.indices.item()}]`;
const want = (p: Pair): string => `[${num(p[0])}, ${p[1]}]`;

test('median, nanmedian, kthvalue (every k) and mode pick PyTorch\'s value and index among ties and NaN on 500 rows', () => {
  const wrong: string[] = [];
  let picks = 0;
  for (const r of fx.rows) {
    const x = tensor(r.row.map(num));
    const label = `[${r.row.join(', ')}]`;
    const check = (what: string, got: { values: Tensor; indices: Tensor }, p: Pair): void => {
      picks++;
      if (show(got) !== want(p)) wrong.push(`${what} of ${label}: ${show(got)}, PyTorch ${want(p)}`);
    };
    check('median(0)', x.median(0), r.median);
    check('nanmedian(0)', x.nanmedian(0), r.nanmedian);
    r.kthvalue.forEach((p, k) => check(`kthvalue(${k + 1})`, x.kthvalue(k + 1, 0), p));
    check('mode(0)', x.mode(0), r.mode);
    for (const [what, got, p] of [['median()', x.median(), r.medianAll], ['nanmedian()', x.nanmedian(), r.nanmedianAll]] as const) {
      if (!Object.is(got.item(), num(p))) wrong.push(`${what} of ${label}: ${got.item()}, PyTorch ${num(p)}`);
    }
  }
  assert.deepEqual(wrong.slice(0, 20), [], `${wrong.length} of ${picks} picks differ`);
  assert.ok(picks > 4000, `${picks} picks`);
});
