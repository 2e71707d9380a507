// The wasm products' blocks of four dense rows (gemmRowB) and four dense input columns (weightGradColumns) against
// the reference, bit for bit: dense, sparse and mixed rows of every small shape (rows 1–9, columns and lengths
// around multiples of 4 and 8), and NaN, ±∞, ±0 and subnormals in either operand — including the cases where a
// block would multiply a zero of A by a non-finite value of B, which the reference skips.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addWeightGradRows, gemm } from '../../src/kernels/linalg.js';
import { assertSameBits, requireWasm, resident, rng, values, withBackend } from './helpers.js';

/** How the rows of A (or the input columns of X) are filled. */
type Fill = 'dense' | 'sparse' | 'mixed';

const SPECIAL = [Number.NaN, Infinity, -Infinity, -0, 0, 1e-40, -1e-45, 3e38, -3e38, 1e-20];

/**
 * `rows` rows of `len` values: 'dense' none zero, 'sparse' 80% zeros, 'mixed' row by row one of dense, dense
 * with a few zeros, sparse and all zeros.
 */
function fillRows(r: () => number, rows: number, len: number, fill: Fill): Float32Array {
  const out = new Float32Array(rows * len);
  for (let i = 0; i < rows; i++) {
    const kind = fill === 'mixed' ? Math.floor(r() * 4) : fill === 'dense' ? 0 : 2;
    const zeros = [0, 0.1, 0.8, 1][kind]!;
    out.set(values(r, len, { zeros }), i * len);
    if (kind === 0) for (let j = 0; j < len; j++) if (out[i * len + j] === 0) out[i * len + j] = 0.5;
  }
  return out;
}

/** Puts `count` values of SPECIAL at random places of `a`. */
function sprinkle(r: () => number, a: Float32Array, count: number): void {
  for (let t = 0; t < count && a.length > 0; t++) a[Math.floor(r() * a.length)] = SPECIAL[Math.floor(r() * SPECIAL.length)]!;
}

interface RowCase {
  M: number;
  N: number;
  K: number;
  A: Float32Array;
  aTransposed: boolean;
  B: Float32Array;
  accumulate: boolean;
  bias: Float32Array | null;
  C0: Float32Array;
}

/** gemm's row form (B [K, N] row-major) on both backends: the same bits. A is [M, K], or read transposed from [K, M]. */
function checkRowForm(c: RowCase, label: string): void {
  const { M, N, K } = c;
  const A = c.aTransposed ? transpose(c.A, M, K) : c.A;
  const [aRs, aCs] = c.aTransposed ? [1, M] : [K, 1];
  const run = (name: 'ref' | 'wasm'): Float32Array =>
    withBackend(name, () => {
      const C = name === 'wasm' ? resident(c.C0) : c.C0.slice();
      gemm(M, N, K, A, 0, aRs, aCs, name === 'wasm' ? resident(c.B) : c.B, 0, N, 1, C, 0, c.accumulate, c.bias);
      return C.slice();
    });
  assertSameBits(run('wasm'), run('ref'), label);
}

function transpose(a: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(a.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j]!;
  return t;
}

const ROWS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 13];
const WIDTHS = [1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 17, 31, 33];
const LENGTHS = [1, 3, 4, 5, 8, 17, 31];

test('gemm row form: dense, sparse and mixed rows of every small shape give the reference bits', () => {
  requireWasm();
  let seed = 1;
  for (const M of ROWS) {
    for (const N of WIDTHS) {
      for (const K of LENGTHS) {
        const fill: Fill = (['dense', 'sparse', 'mixed'] as const)[seed % 3]!;
        const r = rng(seed);
        const accumulate = seed % 4 === 1;
        const c: RowCase = {
          M, N, K,
          A: fillRows(r, M, K, fill),
          aTransposed: seed % 5 === 2,
          B: values(r, K * N),
          accumulate,
          bias: !accumulate && seed % 2 === 0 ? values(r, N) : null,
          C0: values(r, M * N),
        };
        checkRowForm(c, `M ${M}, N ${N}, K ${K}, ${fill}, seed ${seed}`);
        seed++;
      }
    }
  }
});

test('gemm row form: a layer of 784 → 200 and 200 → 10 on 4–67 dense, sparse and mixed rows', () => {
  requireWasm();
  let seed = 500;
  for (const [M, K, N] of [[64, 784, 200], [67, 784, 200], [4, 784, 200], [9, 200, 10], [66, 200, 10], [12, 100, 33]] as const) {
    for (const fill of ['dense', 'sparse', 'mixed'] as const) {
      const r = rng(seed++);
      const A = fillRows(r, M, K, fill);
      checkRowForm({ M, N, K, A, aTransposed: false, B: values(r, K * N), accumulate: false, bias: values(r, N), C0: new Float32Array(M * N) }, `${M}×${K}·${K}×${N} ${fill}`);
    }
  }
});

test('gemm row form: NaN, ±∞, ±0 and subnormals in A and B, dense rows with and without zeros', () => {
  requireWasm();
  let seed = 900;
  for (const M of [4, 5, 8, 9]) {
    for (const [N, K] of [[9, 17], [16, 8], [3, 31], [33, 5]] as const) {
      for (const where of ['A', 'B', 'both'] as const) {
        for (const fill of ['dense', 'mixed'] as const) {
          const r = rng(seed++);
          const A = fillRows(r, M, K, fill);
          const B = values(r, K * N);
          if (where !== 'B') sprinkle(r, A, 3);
          if (where !== 'A') sprinkle(r, B, 3);
          const accumulate = seed % 2 === 0;
          const C0 = values(r, M * N);
          sprinkle(r, C0, 2);
          checkRowForm({ M, N, K, A, aTransposed: seed % 3 === 0, B, accumulate, bias: accumulate ? null : values(r, N), C0 }, `special in ${where}, M ${M}, N ${N}, K ${K}, ${fill}`);
        }
      }
    }
  }
});

test('gemm row form: four dense rows with a few zeros facing ∞ or NaN in B (skipped by the reference) keep its bits', () => {
  requireWasm();
  for (const bad of [Infinity, -Infinity, Number.NaN]) {
    for (const [M, N, K] of [[4, 8, 12], [8, 13, 40], [5, 200, 100]] as const) {
      const r = rng(M * 100 + N);
      // Dense rows (well above the block's threshold) with one zero each, at k = 1 + i; B's rows there hold `bad`.
      const A = fillRows(r, M, K, 'dense');
      const B = values(r, K * N);
      for (let i = 0; i < M; i++) {
        A[i * K + 1 + i] = i % 2 ? -0 : 0;
        B[(1 + i) * N + (i % N)] = bad;
      }
      checkRowForm({ M, N, K, A, aTransposed: false, B, accumulate: false, bias: null, C0: new Float32Array(M * N) }, `zeros against ${bad}, M ${M}, N ${N}, K ${K}`);
      // And no zero at all: every product is the reference's, ∞ and NaN included.
      for (let i = 0; i < M; i++) A[i * K + 1 + i] = 0.25;
      checkRowForm({ M, N, K, A, aTransposed: false, B, accumulate: true, bias: null, C0: values(r, M * N) }, `no zeros, ${bad} in B, M ${M}, N ${N}, K ${K}`);
    }
  }
});

test('gemm row form: a row of zeros in a block with three dense ones gives +0 (every product −0), as the reference', () => {
  requireWasm();
  for (const [N, K] of [[8, 8], [12, 5], [3, 4]] as const) {
    for (let zero = 0; zero < 4; zero++) {
      const r = rng(N * 10 + K);
      const A = fillRows(r, 4, K, 'dense');
      A.fill(0, zero * K, (zero + 1) * K);
      // B all negative: +0·b is −0 for the zero row, and a sum that wrongly started at −0 would stay −0.
      const B = values(r, K * N, { lo: -2, hi: -1 });
      checkRowForm({ M: 4, N, K, A, aTransposed: false, B, accumulate: false, bias: null, C0: new Float32Array(4 * N) }, `zero row ${zero}, N ${N}, K ${K}`);
    }
  }
});

test('gemm row form from 32 rows (B packed in panels of eight columns): widths around 8, accumulate, bias, A transposed, ±∞ and NaN in B', () => {
  requireWasm();
  let seed = 1300;
  for (const M of [32, 37, 64]) {
    for (const N of [8, 9, 15, 16, 17, 33]) {
      for (const K of [1, 3, 5, 17]) {
        const r = rng(seed++);
        const fill: Fill = seed % 2 === 0 ? 'dense' : 'mixed';
        const A = fillRows(r, M, K, fill);
        const B = values(r, K * N);
        if (seed % 3 === 0) sprinkle(r, B, 2);
        const accumulate = seed % 4 === 1;
        checkRowForm(
          { M, N, K, A, aTransposed: seed % 5 === 2, B, accumulate, bias: !accumulate && seed % 2 === 0 ? values(r, N) : null, C0: values(r, M * N) },
          `panels: M ${M}, N ${N}, K ${K}, ${fill}, seed ${seed}`,
        );
      }
    }
  }
  // Two calls of one shape with different weights (each call packs its own panels), and K = 0 (sums of +0).
  for (const K of [40, 40, 0]) {
    const r = rng(seed++);
    checkRowForm({ M: 36, N: 24, K, A: fillRows(r, 36, K, 'dense'), aTransposed: false, B: values(r, K * 24), accumulate: false, bias: values(r, 24), C0: values(r, 36 * 24) }, `panels, K ${K}, seed ${seed}`);
  }
  // Sparse rows first, then dense ones (the panels are made at the first dense block), and a B too large to pack.
  for (const [M, K, N] of [[40, 64, 24], [32, 1025, 1024]] as const) {
    const r = rng(seed++);
    const A = fillRows(r, M, K, 'dense');
    A.set(fillRows(r, 12, K, 'sparse'));
    checkRowForm({ M, N, K, A, aTransposed: false, B: values(r, K * N), accumulate: false, bias: values(r, N), C0: new Float32Array(M * N) }, `sparse then dense, ${M}×${K}·${K}×${N}`);
  }
});

test('gemm column form (B stored [N, K]) through B transposed and not, on shapes whose sides are not multiples of 4', () => {
  requireWasm();
  let seed = 700;
  // K·N below and above gemmColBT's limit of 2^18 floats, and 7 rows (below its row limit).
  for (const [M, K, N] of [[9, 259, 301], [8, 513, 515], [7, 300, 301], [13, 1, 70_001], [10, 70_003, 2]] as const) {
    const r = rng(seed++);
    const A = fillRows(r, M, K, 'mixed');
    const B = values(r, K * N);
    sprinkle(r, B, 2);
    const bias = values(r, N);
    for (const accumulate of [false, true]) {
      const run = (name: 'ref' | 'wasm'): Float32Array =>
        withBackend(name, () => {
          const C = name === 'wasm' ? resident(new Float32Array(M * N).fill(0.5)) : new Float32Array(M * N).fill(0.5);
          gemm(M, N, K, A, 0, K, 1, B, 0, 1, K, C, 0, accumulate, accumulate ? null : bias);
          return C.slice();
        });
      assertSameBits(run('wasm'), run('ref'), `column form ${M}×${K}·${K}×${N}, accumulate ${accumulate}`);
    }
  }
});

/**
 * addWeightGradRows on both backends: the same rows listed and the same bits, adding or overwriting (`start` then
 * +0 wherever it is written, as the callers promise).
 */
function checkWeightGrad(X: Float32Array, rows: number, inF: number, G: Float32Array, outF: number, overwrite: boolean, start: Float32Array, label: string): void {
  const run = (name: 'ref' | 'wasm') =>
    withBackend(name, () => {
      const grad = resident(start);
      const list = addWeightGradRows(grad, X, rows, inF, G, outF, overwrite);
      return { grad: grad.slice(), list: [...list] };
    });
  const ref = run('ref');
  const wasm = run('wasm');
  assert.deepEqual(wasm.list, ref.list, `${label}: rows listed`);
  assertSameBits(wasm.grad, ref.grad, label);
}

test('addWeightGradRows: dense, sparse and mixed input columns of every small shape give the reference bits', () => {
  requireWasm();
  let seed = 2000;
  for (const rows of [2, 3, 4, 5, 7, 8, 9, 13]) {
    for (const inF of [1, 3, 4, 5, 7, 8, 9, 12, 17]) {
      for (const outF of WIDTHS) {
        const fill: Fill = (['dense', 'sparse', 'mixed'] as const)[seed % 3]!;
        const r = rng(seed++);
        // Input columns filled like rows of A: made as [inF, rows] and transposed to the batch's [rows, inF].
        const X = transpose(fillRows(r, inF, rows, fill), inF, rows);
        const G = values(r, rows * outF);
        const overwrite = seed % 2 === 0;
        const start = overwrite ? new Float32Array(inF * outF) : values(r, inF * outF);
        checkWeightGrad(X, rows, inF, G, outF, overwrite, start, `rows ${rows}, in ${inF}, out ${outF}, ${fill}`);
      }
    }
  }
});

test('addWeightGradRows: 64 and 67 rows of 784 and 200 inputs, dense, sparse and mixed', () => {
  requireWasm();
  let seed = 3000;
  for (const [rows, inF, outF] of [[64, 784, 200], [67, 201, 10], [64, 200, 10]] as const) {
    for (const fill of ['dense', 'sparse', 'mixed'] as const) {
      const r = rng(seed++);
      const X = transpose(fillRows(r, inF, rows, fill), inF, rows);
      checkWeightGrad(X, rows, inF, values(r, rows * outF), outF, true, new Float32Array(inF * outF), `rows ${rows}, in ${inF}, out ${outF}, ${fill}`);
    }
  }
});

test('addWeightGradRows: NaN, ±∞, ±0 and subnormals in X and G, and dense columns with zeros facing ∞ in G', () => {
  requireWasm();
  let seed = 4000;
  for (const [rows, inF, outF] of [[4, 8, 9], [9, 13, 17], [5, 4, 33], [8, 12, 3]] as const) {
    for (const where of ['X', 'G', 'both'] as const) {
      const r = rng(seed++);
      const X = transpose(fillRows(r, inF, rows, 'dense'), inF, rows);
      const G = values(r, rows * outF);
      if (where !== 'G') sprinkle(r, X, 3);
      if (where !== 'X') sprinkle(r, G, 3);
      const overwrite = seed % 2 === 0;
      const start = overwrite ? new Float32Array(inF * outF) : values(r, inF * outF);
      checkWeightGrad(X, rows, inF, G, outF, overwrite, start, `special in ${where}, rows ${rows}, in ${inF}, out ${outF}`);
    }
    // Dense columns, each with one zero, in the row of G holding ∞ or NaN: the reference skips those products.
    for (const bad of [Infinity, Number.NaN]) {
      const r = rng(seed++);
      const X = transpose(fillRows(r, inF, rows, 'dense'), inF, rows);
      const G = values(r, rows * outF);
      for (let j = 0; j < inF; j++) X[((j % rows) * inF) + j] = 0;
      for (let q = 0; q < rows; q++) G[q * outF + (q % outF)] = bad;
      checkWeightGrad(X, rows, inF, G, outF, false, values(r, inF * outF), `zeros against ${bad}, rows ${rows}, in ${inF}, out ${outF}`);
    }
  }
});

test('addWeightGradRows: an all-zero column among dense ones is neither listed nor touched', () => {
  requireWasm();
  const [rows, inF, outF] = [8, 12, 10];
  const r = rng(5000);
  const X = transpose(fillRows(r, inF, rows, 'dense'), inF, rows);
  for (let q = 0; q < rows; q++) X[q * inF + 5] = 0;
  const start = values(r, inF * outF);
  checkWeightGrad(X, rows, inF, values(r, rows * outF), outF, false, start, 'zero column 5');
  const list = withBackend('wasm', () => addWeightGradRows(resident(start), X, rows, inF, values(r, rows * outF), outF, false));
  assert.deepEqual([...list], [0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11]);
});
