// sum() and mean() over every element: the wasm path sums in lanes, bounds how far the reference's running float64
// sum can be from that, and answers only where every value in the bound rounds to one float32, else takes the running
// sum. So the answer must be the running sum's, rounded, always: checked here on data of many kinds, on data built so
// that the sum lies on or next to a float32 rounding boundary (where the lanes alone would often be wrong), and with
// NaN and ±∞; and the lanes' answer must be taken on ordinary data (else the kernel would be useless, not wrong).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activeWasm } from '../../src/kernels/backend.js';
import { lanesSum, sumAllRounded } from '../../src/kernels/reduce.js';
import * as wasm from '../../src/kernels/wasm/reduce.js';
import { Tensor } from '../../src/index.js';
import { awkward, requireWasm, rng } from './helpers.js';

/** The reference: float64 running sum from the first value, divided, rounded to float32. */
function running(x: Float32Array, divisor: number): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return Math.fround(s / divisor);
}

function same(a: number, b: number): boolean {
  return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
}

/** Values whose running sum (before the last) sits a float32 midpoint away, give or take a little: the hard case. */
function nearMidpoint(n: number, seed: number, offset: number): Float32Array {
  const r = rng(seed);
  const x = new Float32Array(n);
  let s = 0;
  for (let i = 0; i < n - 1; i++) {
    x[i] = Math.fround((r() - 0.5) * 2 ** Math.floor(r() * 20 - 10));
    s += x[i]!;
  }
  // Choose the last value so that the total lands next to the midpoint between two float32 neighbours of s.
  const f = Math.fround(s);
  const up = new Float32Array([f]);
  new Uint32Array(up.buffer)[0]! += f >= 0 ? 1 : -1;
  const mid = (f + up[0]!) / 2;
  x[n - 1] = Math.fround(mid - s + offset * Math.abs(mid) * 2 ** -40);
  return x;
}

test('sum and mean over all elements: the running sum\'s float32, whatever the data', () => {
  requireWasm();
  const r = rng(3);
  const cases: [string, Float32Array][] = [];
  for (const n of [2048, 2049, 2055, 4096, 9999, 100_000, 262_144]) {
    const g = new Float32Array(n);
    for (let i = 0; i < n; i++) g[i] = Math.fround((r() + r() + r() - 1.5) * 3);
    cases.push([`gaussian-like ${n}`, g]);
    cases.push([`positive ${n}`, g.map((v) => Math.abs(v) + 1e-3)]);
    cases.push([`awkward ${n}`, awkward(n, n, 5).map((v) => (Number.isFinite(v) ? v : 0.5))]);
    cases.push([`wide exponents ${n}`, g.map((v, i) => v * 2 ** ((i % 41) - 20))]);
    cases.push([`pixels ${n}`, g.map((v) => Math.fround(Math.floor(Math.abs(v) * 85) / 255))]);
  }
  for (let t = 0; t < 40; t++) {
    for (const offset of [-1, 0, 1, 1e-3]) cases.push([`near a midpoint #${t} (${offset})`, nearMidpoint(3000 + t * 97, t, offset)]);
  }
  const withNaN = new Float32Array(5000).fill(1);
  withNaN[4321] = Number.NaN;
  cases.push(['a NaN', withNaN]);
  const withInf = new Float32Array(5000).fill(-2);
  withInf[7] = Infinity;
  cases.push(['+∞', withInf]);
  const both = withInf.slice();
  both[9] = -Infinity;
  cases.push(['+∞ and −∞', both]);
  cases.push(['cancelling to zero', new Float32Array(4096).map((_, i) => (i % 2 === 0 ? 1.5 : -1.5))]);
  // 2^30, then 8,000 values of 2^-30, then −2^30: the running sum loses every small value and ends at 0, while the
  // lanes keep most of them (they sit in other lanes than 2^30): the lanes' sum alone would be wrong here.
  const lost = new Float32Array(8002).fill(2 ** -30);
  lost[0] = 2 ** 30;
  lost[8001] = -(2 ** 30);
  cases.push(['small values lost beside a large one', lost]);
  cases.push(['huge', new Float32Array(4096).fill(3e38)]);
  for (const [label, x] of cases) {
    for (const divisor of [1, x.length, 3]) {
      const want = running(x, divisor);
      const got = sumAllRounded(x, divisor);
      assert.ok(same(got, want), `${label}, divided by ${divisor}: got ${got}, the running sum gives ${want}`);
    }
  }
});

test('the lanes\' sum is within the bound of the running sum, and is used on ordinary data', () => {
  requireWasm();
  const w = activeWasm()!;
  const r = rng(17);
  const x = new Float32Array(262_144);
  for (let i = 0; i < x.length; i++) x[i] = Math.fround((r() + r() + r() - 1.5) * 3);
  const [s, a, most] = wasm.sumBlocks(w, x, 1024);
  let seq = 0;
  let mag = 0;
  let peak = 0;
  for (let i = 0; i < x.length; i++) {
    seq += x[i]!;
    mag += Math.abs(x[i]!);
    peak = Math.max(peak, Math.abs(seq));
  }
  assert.ok(Math.abs(s - seq) < 1e-9 * mag, `lanes ${s}, running ${seq}`);
  assert.ok(Math.abs(a - mag) < 1e-9 * mag, `magnitudes ${a}, running ${mag}`);
  assert.ok(most >= peak, `the block bound ${most} is below the largest running sum ${peak}`);
  // A running sum that drifts far beyond any block's own magnitudes: the bound must follow it.
  const drift = x.map((v) => Math.fround(v + 0.5));
  let run = 0;
  let drifted = 0;
  for (let i = 0; i < drift.length; i++) drifted = Math.max(drifted, Math.abs((run += drift[i]!)));
  const [, , driftMost] = wasm.sumBlocks(w, drift, 1024);
  assert.ok(driftMost >= drifted && drifted > 100_000, `the block bound ${driftMost} is below the largest running sum ${drifted}`);
  // On ordinary data the lanes decide (else the kernel would only cost time): over 200 arrays of 50,000 values.
  let decided = 0;
  for (let t = 0; t < 200; t++) {
    const y = new Float32Array(50_000);
    for (let i = 0; i < y.length; i++) y[i] = Math.fround((r() - 0.5) * 4);
    const got = lanesSum(w, y, t % 2 === 0 ? 1 : y.length);
    if (got !== null) {
      decided++;
      assert.ok(same(got, running(y, t % 2 === 0 ? 1 : y.length)));
    }
  }
  assert.ok(decided >= 190, `the bound decided only ${decided} of 200 sums`);
});

test('Tensor sum() and mean() of a large tensor give the running sum\'s float32', () => {
  const r = rng(23);
  const v = new Float32Array(300 * 700);
  for (let i = 0; i < v.length; i++) v[i] = Math.fround((r() - 0.3) * 10);
  const t = new Tensor(v, [300, 700]);
  assert.equal(t.sum().item(), running(v, 1));
  assert.equal(t.mean().item(), running(v, v.length));
  assert.equal(t.t().sum().item(), running(t.t().contiguous().toArray(), 1));
});

test('sum and mean of more values than the lanes take (2^24): the running sum, as before', () => {
  const n = 2 ** 24 + 9;
  const v = new Float32Array(n).fill(0.1);
  v[0] = 2 ** 20;
  const t = new Tensor(v, [n]);
  assert.equal(t.sum().item(), running(v, 1));
  assert.equal(t.mean().item(), running(v, n));
});
