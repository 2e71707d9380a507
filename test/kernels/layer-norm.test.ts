// The wasm layer-norm kernels against the reference ones: the same bits forward and backward over every SIMD tail
// width and 1 to 64 rows, with and without weight, bias and xhat, and on rows that stress the roundings (a constant
// row, huge and tiny values, −0 gradients, NaN). (test/engine checks the reference against hand-worked formulas.)
import { test } from 'node:test';
import { layerNormBackward, layerNormForward } from '../../src/kernels/layer-norm.js';
import { assertSameBits, requireWasm, resident, rng, SIZES, values, withBackend } from './helpers.js';

interface Out {
  Y: Float32Array;
  xhat: Float32Array;
  mean: Float32Array;
  rstd: Float32Array;
  GX: Float32Array;
  GW: Float32Array;
  GB: Float32Array;
  /** GW and GB added into arrays that held GW0 and GB0 (`into`, as into a parameter's gradient). */
  GWi: Float32Array;
  GBi: Float32Array;
}

/** What the `into` runs start from: ordinary values, zeros of both signs, and a NaN. */
function start(n: number): Float32Array {
  const a = values(rng(n + 99), n);
  a[0] = -0;
  if (n > 1) a[1] = 0;
  if (n > 2) a[2] = Number.NaN;
  return a;
}

function run(name: 'ref' | 'wasm', X: Float32Array, G: Float32Array, rows: number, n: number, w0: Float32Array | null, b0: Float32Array | null, eps: number, keepXhat: boolean): Out {
  return withBackend(name, () => {
    // Parameters live in the kernels' memory, as a layer's do; activations and gradients do not.
    const w = w0 === null ? null : resident(w0);
    const b = b0 === null ? null : resident(b0);
    const Y = new Float32Array(rows * n).fill(Number.NaN);
    const xhat = new Float32Array(rows * n);
    const mean = new Float32Array(rows);
    const rstd = new Float32Array(rows);
    layerNormForward(X, rows, n, w, b, eps, Y, keepXhat ? xhat : null, mean, rstd);
    if (!keepXhat) layerNormForward(X, rows, n, w, b, eps, new Float32Array(rows * n), xhat, new Float32Array(rows), new Float32Array(rows));
    const GX = new Float32Array(rows * n).fill(Number.NaN);
    const GW = new Float32Array(n).fill(Number.NaN);
    const GB = new Float32Array(n).fill(Number.NaN);
    layerNormBackward(G, xhat, rstd, rows, n, w, GX, GW, GB);
    const GWi = start(n);
    const GBi = start(n).reverse();
    layerNormBackward(G, xhat, rstd, rows, n, w, null, GWi, GBi, true);
    return { Y, xhat, mean, rstd, GX, GW, GB, GWi, GBi };
  });
}

function compare(X: Float32Array, G: Float32Array, rows: number, n: number, w: Float32Array | null, b: Float32Array | null, eps: number, keepXhat: boolean, label: string): void {
  const ref = run('ref', X, G, rows, n, w, b, eps, keepXhat);
  const got = run('wasm', X, G, rows, n, w, b, eps, keepXhat);
  for (const k of ['Y', 'xhat', 'mean', 'rstd', 'GX', 'GW', 'GB', 'GWi', 'GBi'] as const) assertSameBits(got[k], ref[k], `${label}: ${k}`);
  // Added into: the float32 sum of what the array held and what the kernel stores without `into`.
  assertSameBits(ref.GWi, start(n).map((v, i) => v + ref.GW[i]!), `${label}: GW added into`);
  assertSameBits(ref.GBi, start(n).reverse().map((v, i) => v + ref.GB[i]!), `${label}: GB added into`);
}

test('layerNorm kernels: wasm gives the reference bits, forward and backward, every width, 1 to 64 rows (groups of eight, four and one), with and without affine', () => {
  requireWasm();
  for (const n of SIZES) {
    for (const rows of [1, 2, 3, 4, 5, 8, 9, 13, 17, 64]) {
      for (const affine of ['none', 'weight', 'bias', 'both'] as const) {
        const r = rng(n * 131 + rows * 7 + affine.length);
        const X = values(r, rows * n, { lo: -3, hi: 5, zeros: 0.2 });
        const G = values(r, rows * n, { zeros: 0.1 });
        G[0] = -0;
        const w = affine === 'weight' || affine === 'both' ? values(r, n, { lo: -2, hi: 2 }) : null;
        const b = affine === 'bias' || affine === 'both' ? values(r, n) : null;
        compare(X, G, rows, n, w, b, 1e-5, rows % 2 === 1, `n ${n}, rows ${rows}, ${affine}`);
      }
    }
  }
});

test('layerNorm kernels: rows that stress the roundings give the same bits on both backends', () => {
  requireWasm();
  const n = 13;
  const rowsOf = [
    new Array<number>(n).fill(0.7), // constant: var 0, rstd = 1/sqrt(eps)
    Array.from({ length: n }, (_, i) => (i % 2 ? 1e30 : -1e30)),
    Array.from({ length: n }, (_, i) => (i + 1) * 1e-30),
    Array.from({ length: n }, (_, i) => (i % 3 ? 3e38 : -3e38)), // the sums overflow float32 but not float64
    Array.from({ length: n }, (_, i) => (i === 5 ? Number.NaN : i)),
    Array.from({ length: n }, (_, i) => 1 + i * 2 ** -23),
    Array.from({ length: n }, (_, i) => (i % 2 ? 1e-38 : 4e4)), // a difference that is not exact in float64
  ];
  const X = Float32Array.from(rowsOf.flat());
  const rows = rowsOf.length;
  const r = rng(5);
  const G = values(r, rows * n);
  for (let i = 0; i < G.length; i += 4) G[i] = -0;
  // A constant gradient over the first two rows: with no weight, dxhat − mean(dxhat) is exactly 0 there, and the
  // order of the last subtraction decides the result (cancellation).
  G.fill(0.3, 0, 2 * n);
  const w = values(r, n, { lo: -2, hi: 2 });
  w[3] = -0;
  const b = values(r, n);
  for (const eps of [1e-5, 0, 0.5]) {
    compare(X, G, rows, n, w, b, eps, true, `eps ${eps}`);
    compare(X, G, 1, n, w, null, eps, true, `eps ${eps}, one row`);
    compare(X, G, 2, n, null, b, eps, false, `eps ${eps}, two rows, no weight`);
  }
});

test('layerNorm kernels: rows over many binades give the same bits on both backends', () => {
  requireWasm();
  // Values of like magnitude sum exactly in float64; these span 2^-40 … 2^40 (gradients 2^-20 … 2^20), so the rows'
  // sums round, x − mean cancels, and the outputs' float32 roundings meet values far apart in magnitude, in every
  // row group (eight rows, four, one).
  for (const n of [13, 64, 200]) {
    const rows = 13;
    const r = rng(n * 17 + 3);
    const X = new Float32Array(rows * n).map(() => (r() < 0.5 ? -1 : 1) * (1 + r()) * 2 ** Math.round(80 * r() - 40));
    const G = new Float32Array(rows * n).map(() => (r() < 0.5 ? -1 : 1) * (1 + r()) * 2 ** Math.round(40 * r() - 20));
    const w = values(r, n, { lo: -2, hi: 2 });
    compare(X, G, rows, n, w, values(r, n), 1e-5, true, `n ${n}, many binades`);
    compare(X, G, rows, n, null, null, 1e-5, true, `n ${n}, many binades, no affine`);
    // A weight and a bias over 2^-60 … 2^60 too: x̂·w + b then adds values far apart, whose float64 sum rounds before
    // the float32 rounding (the float32 lanes must still give the reference's bits).
    const wide = (): Float32Array => new Float32Array(n).map(() => (r() < 0.5 ? -1 : 1) * (1 + r()) * 2 ** Math.round(120 * r() - 60));
    compare(X, G, rows, n, wide(), wide(), 1e-5, true, `n ${n}, many binades, wide affine`);
    compare(X, G, rows, n, null, wide(), 1e-5, true, `n ${n}, many binades, wide bias`);
  }
});
