// Finite-difference checks (float64 reference) of sign, logsumexp, cumsum and cumprod: every dim, negative dims, lists of
// dims with keepdim, a transposed (strided) input, and cumprod with one and with several zeros in a slice (cumprod is
// linear in each input, so central differences are exact there too).
import { test } from 'node:test';
import { tensor, type Tensor } from '../../src/index.js';
import { gradcheck, leaf, randomValues, Rng } from './gradcheck.js';
import * as R from './ref.js';

const rng = new Rng(54);

/** log Σ exp over `dims` in float64, the max subtracted (an independent reference, not Kindling's order). */
function refLogsumexp(x: R.Ref, dims: readonly number[], keepdim: boolean): R.Ref {
  const m = R.max(x, undefined);
  const shift = m.data[0]!;
  return R.map(R.sum(R.map(x, (v) => Math.exp(v - shift)), dims, keepdim), (s) => Math.log(s) + shift);
}

/** The running sum or product along `dim` of a row-major Ref, in float64. */
function refScan(x: R.Ref, dim: number, op: 'sum' | 'prod'): R.Ref {
  const d = dim < 0 ? dim + Math.max(x.shape.length, 1) : dim;
  const n = x.shape[d] ?? 1;
  const inner = x.shape.slice(d + 1).reduce((a, b) => a * b, 1);
  const outer = x.shape.slice(0, d).reduce((a, b) => a * b, 1);
  const out = new Float64Array(x.data.length);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let acc = op === 'sum' ? 0 : 1;
      for (let k = 0; k < n; k++) {
        const p = (o * n + k) * inner + i;
        acc = op === 'sum' ? acc + x.data[p]! : acc * x.data[p]!;
        out[p] = acc;
      }
    }
  }
  return new R.Ref(out, x.shape);
}

const withGrad = (values: number[], shape: number[]): Tensor => tensor(values, shape, { requiresGrad: true });

test('gradcheck sign: zeros everywhere, away from 0', () => {
  const x = leaf(rng, [3, 4], { avoid: [0], gap: 0.05 });
  gradcheck('sign', { leaves: [x], forward: () => x.sign(), reference: ([r]) => R.map(r!, Math.sign) });
});

test('gradcheck logsumexp over each dim, negative dims, lists with keepdim, a 0-d input and large values', () => {
  const x = leaf(rng, [2, 3, 4], { lo: -3, hi: 3 });
  const cases: [number | number[], boolean, number[]][] = [
    [0, false, [0]], [1, false, [1]], [2, true, [2]], [-1, false, [2]], [-3, true, [0]],
    [[0, 2], false, [0, 2]], [[2, 0], true, [0, 2]], [[-1, 1], false, [1, 2]], [[0, 1, 2], false, [0, 1, 2]],
  ];
  for (const [dim, keepdim, dims] of cases) {
    gradcheck(`logsumexp(${JSON.stringify(dim)}, ${keepdim})`, { leaves: [x], forward: () => x.logsumexp(dim, keepdim), reference: ([r]) => refLogsumexp(r!, dims, keepdim) });
  }
  const t = leaf(rng, [4, 3]);
  gradcheck('logsumexp of a transposed view', { leaves: [t], forward: () => t.T.logsumexp(1), reference: ([r]) => refLogsumexp(R.transpose(r!, 0, 1), [1], false) });
  const s = tensor(0.75, { requiresGrad: true });
  gradcheck('logsumexp 0-d', { leaves: [s], forward: () => s.logsumexp(0), reference: ([r]) => refLogsumexp(r!, [], false) });
  const big = withGrad(randomValues(rng, 6, { lo: 990, hi: 1000 }), [2, 3]);
  gradcheck('logsumexp of values near 1000 (no overflow)', { leaves: [big], forward: () => big.logsumexp(1), reference: ([r]) => refLogsumexp(r!, [1], false) });
});

test('gradcheck cumsum and cumprod along every dim, negative dims and a transposed view', () => {
  for (const op of ['cumsum', 'cumprod'] as const) {
    const x = leaf(rng, [3, 4, 2], { lo: 0.5, hi: 1.5 });
    for (const dim of [0, 1, 2, -1, -2, -3]) {
      gradcheck(`${op}(${dim})`, { leaves: [x], forward: () => x[op](dim), reference: ([r]) => refScan(r!, dim, op === 'cumsum' ? 'sum' : 'prod') });
    }
    const t = leaf(rng, [5, 3], { lo: -1.5, hi: 1.5, avoid: [0], gap: 0.2 });
    gradcheck(`${op} of a transposed view`, { leaves: [t], forward: () => t.T[op](1), reference: ([r]) => refScan(R.transpose(r!, 0, 1), 1, op === 'cumsum' ? 'sum' : 'prod') });
    const s = tensor(-1.25, { requiresGrad: true });
    gradcheck(`${op} 0-d`, { leaves: [s], forward: () => s[op](0), reference: ([r]) => refScan(r!, 0, op === 'cumsum' ? 'sum' : 'prod') });
  }
});

test('gradcheck cumprod with zeros: one in a slice, several in a slice, at the start and at the end, along rows and columns', () => {
  const rows = [
    [1.5, -0.75, 0, 1.25, 0.5, -2],
    [0.5, 2, 0, 1.5, 0, -1.25],
    [0, 0.75, 1.5, 0, 0, 2],
    [1.25, -0.5, 2, 0.75, 1.5, 0],
    [0.75, 1.25, -1.5, 0.5, 2, 1.75],
  ];
  const x = withGrad(rows.flat(), [5, 6]);
  gradcheck('cumprod(1) with zeros', { leaves: [x], forward: () => x.cumprod(1), reference: ([r]) => refScan(r!, 1, 'prod') });
  gradcheck('cumprod(0) with zeros', { leaves: [x], forward: () => x.cumprod(0), reference: ([r]) => refScan(r!, 0, 'prod') });
  gradcheck('cumprod(-1) of the transpose, with zeros', { leaves: [x], forward: () => x.T.cumprod(-1), reference: ([r]) => refScan(R.transpose(r!, 0, 1), 1, 'prod') });
  const v = withGrad([0, 0, 0.5], [3]);
  gradcheck('cumprod of a slice starting with two zeros', { leaves: [v], forward: () => v.cumprod(0), reference: ([r]) => refScan(r!, 0, 'prod') });
});
