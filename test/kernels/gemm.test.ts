// The wasm matrix kernels against the reference ones: same bits on random inputs of many shapes and layouts,
// and both within float32 rounding of a float64 product (so they cannot agree on a wrong answer).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addColumnSums, addWeightGradRows, gemm, setOuterRows, sparseVector } from '../../src/kernels/linalg.js';
import { isWasmResident } from '../../src/kernels/storage.js';
import { assertSameBits, requireWasm, resident, rng, values, withBackend } from './helpers.js';

interface Case {
  M: number;
  N: number;
  K: number;
  /** 'row': B is [K, N] row-major; 'col': B is stored [N, K] (read transposed); 'strided': neither stride is 1. */
  layout: 'row' | 'col' | 'strided';
  aTransposed: boolean;
  accumulate: boolean;
  bias: boolean;
  zeros: number;
  offset: number;
  residentB: boolean;
}

function layoutOfB(c: Case): { rs: number; cs: number; size: number } {
  if (c.layout === 'row') return { rs: c.N, cs: 1, size: c.K * c.N };
  if (c.layout === 'col') return { rs: 1, cs: c.K, size: c.K * c.N };
  return { rs: 2 * c.N, cs: 2, size: 2 * c.K * c.N };
}

function runCase(c: Case, seed: number): void {
  const r = rng(seed);
  const off = c.offset;
  const A = values(r, off + c.M * c.K, { zeros: c.zeros });
  const [aRs, aCs] = c.aTransposed ? [1, c.M] : [c.K, 1];
  const b = layoutOfB(c);
  const B0 = values(r, off + b.size);
  const C0 = values(r, off + c.M * c.N);
  const bias = c.bias ? values(r, c.N) : null;
  const label = JSON.stringify(c);
  const out = (name: 'ref' | 'wasm'): Float32Array =>
    withBackend(name, () => {
      const B = c.residentB && name === 'wasm' ? resident(B0) : B0.slice();
      if (c.residentB && name === 'wasm') assert.ok(isWasmResident(B));
      const C = C0.slice();
      gemm(c.M, c.N, c.K, A, off, aRs, aCs, B, off, b.rs, b.cs, C, off, c.accumulate, bias);
      return C;
    });
  const ref = out('ref');
  assertSameBits(out('wasm'), ref, label);
  // Both agree with a float64 product to within float32 rounding of the sum.
  for (let i = 0; i < c.M; i++) {
    for (let j = 0; j < c.N; j++) {
      let s = 0;
      let mag = 0;
      for (let k = 0; k < c.K; k++) {
        const p = A[off + i * aRs + k * aCs]! * B0[off + k * b.rs + j * b.cs]!;
        s += p;
        mag += Math.abs(p);
      }
      const base = c.accumulate ? C0[off + i * c.N + j]! : bias ? bias[j]! : 0;
      const want = base + s;
      const got = ref[off + i * c.N + j]!;
      const tol = (c.K + 2) * 1.2e-7 * (mag + Math.abs(base)) + 1e-30;
      assert.ok(Math.abs(got - want) <= tol, `${label}: C[${i},${j}] = ${got}, float64 gives ${want}`);
    }
  }
  // Elements before the offset are never written.
  for (let i = 0; i < off; i++) assert.equal(ref[i], C0[i]);
}

test('gemm: wasm and reference give the same bits for every layout, shape and mode', () => {
  requireWasm();
  let seed = 1;
  for (const [M, N, K] of [[1, 200, 784], [1, 10, 200], [3, 5, 7], [4, 33, 9], [17, 1, 3], [2, 65, 1], [5, 37, 100], [64, 10, 200], [1, 31, 0], [3, 9, 7], [2, 11, 5], [4, 12, 6]] as const) {
    for (const layout of ['row', 'col', 'strided'] as const) {
      for (const aTransposed of [false, true]) {
        for (const accumulate of [false, true]) {
          const c: Case = {
            M, N, K, layout, aTransposed, accumulate,
            bias: !accumulate && seed % 2 === 0,
            zeros: seed % 3 === 0 ? 0.8 : 0,
            offset: seed % 4 === 1 ? 3 : 0,
            residentB: seed % 5 !== 0,
          };
          runCase(c, seed++);
        }
      }
    }
  }
});

test('gemm: sparse inputs (81% zeros, like MNIST) and all-zero rows', () => {
  requireWasm();
  for (let seed = 100; seed < 110; seed++) {
    runCase({ M: 1 + (seed % 3), N: 200, K: 784, layout: 'row', aTransposed: false, accumulate: false, bias: true, zeros: 0.81, offset: 0, residentB: true }, seed);
  }
  runCase({ M: 2, N: 9, K: 13, layout: 'row', aTransposed: false, accumulate: true, bias: false, zeros: 1, offset: 0, residentB: true }, 7);
});

test('gemm: a row of more non-zeros than the kernel keeps row offsets for (65,536) takes its long path, same bits', () => {
  requireWasm();
  for (const [N, accumulate, bias] of [[7, false, true], [4, true, false], [1, false, false]] as const) {
    runCase({ M: 2, N, K: 70_001, layout: 'row', aTransposed: false, accumulate, bias, zeros: 0.05, offset: 0, residentB: true }, 200 + N);
  }
});

test('addWeightGradRows: same rows and bits on both backends, adding or overwriting', () => {
  requireWasm();
  for (const [rows, inF, outF] of [[1, 784, 200], [1, 13, 10], [1, 7, 3], [64, 50, 10], [3, 17, 33], [2, 5, 1], [5, 6, 9], [7, 11, 12], [64, 784, 200]] as const) {
    for (const overwrite of [false, true]) {
      const r = rng(rows * 1000 + inF + (overwrite ? 1 : 0));
      const X = values(r, rows * inF, { zeros: 0.8, lo: 0, hi: 1 });
      // A −0 is skipped like +0, a NaN is not (it makes its column's sums NaN on both backends).
      X[Math.floor(rows * inF / 2)] = -0;
      if (rows > 1) X[rows * inF - 2] = Number.NaN;
      const G = values(r, rows * outF);
      const start = overwrite ? new Float32Array(inF * outF) : values(r, inF * outF);
      const run = (name: 'ref' | 'wasm'): { grad: Float32Array; list: Int32Array } =>
        withBackend(name, () => {
          const grad = resident(start);
          const list = addWeightGradRows(grad, X, rows, inF, G, outF, overwrite);
          return { grad: grad.slice(), list: list.slice() };
        });
      const ref = run('ref');
      const wasm = run('wasm');
      const label = `rows ${rows}, in ${inF}, out ${outF}, overwrite ${overwrite}`;
      assert.deepEqual([...wasm.list], [...ref.list], `${label}: touched rows`);
      assertSameBits(wasm.grad, ref.grad, label);
      // The touched rows are exactly the input columns with a non-zero; the others are unchanged.
      const expected: number[] = [];
      for (let j = 0; j < inF; j++) {
        let any = false;
        for (let q = 0; q < rows; q++) if (X[q * inF + j] !== 0) any = true;
        if (any) expected.push(j);
        else for (let o = 0; o < outF; o++) assert.ok(Object.is(ref.grad[j * outF + o], start[j * outF + o]), `${label}: untouched row ${j} changed`);
      }
      assert.deepEqual([...ref.list], expected, `${label}: rows listed`);
      // And the values are the outer-product sums.
      for (const j of expected) {
        for (let o = 0; o < outF; o++) {
          let s = 0;
          for (let q = 0; q < rows; q++) s += X[q * inF + j]! * G[q * outF + o]!;
          const want = start[j * outF + o]! + s;
          const got = ref.grad[j * outF + o]!;
          assert.ok(Number.isNaN(want) ? Number.isNaN(got) : Math.abs(got - want) <= 1e-6 * (1 + Math.abs(want)), `${label}: grad[${j},${o}]`);
        }
      }
    }
  }
});

test('addColumnSums: same bits on both backends', () => {
  requireWasm();
  for (const [rows, n] of [[1, 200], [1, 10], [64, 10], [3, 7], [5, 33]] as const) {
    const r = rng(rows * 7 + n);
    const G = values(r, rows * n);
    const start = values(r, n);
    const run = (name: 'ref' | 'wasm'): Float32Array =>
      withBackend(name, () => {
        const d = resident(start);
        addColumnSums(d, G, rows, n);
        return d.slice();
      });
    assertSameBits(run('wasm'), run('ref'), `rows ${rows}, n ${n}`);
  }
});

test('sparseVector and setOuterRows: the rows and bits addWeightGradRows gives one sample, on both backends', () => {
  requireWasm();
  for (const [inF, outF] of [[784, 200], [13, 10], [7, 3], [33, 1], [5, 17]] as const) {
    const r = rng(inF * 31 + outF);
    const x = values(r, inF, { zeros: 0.7 });
    x[0] = -0; // a zero of either sign is skipped
    if (inF > 3) x[3] = Number.NaN; // and a NaN is not
    const G = values(r, outF);
    const run = (name: 'ref' | 'wasm') =>
      withBackend(name, () => {
        const { rows, vals } = sparseVector(x);
        const factored = resident(new Float32Array(inF * outF));
        setOuterRows(factored, outF, rows, vals, G);
        const direct = resident(new Float32Array(inF * outF));
        const list = addWeightGradRows(direct, x, 1, inF, G, outF, true);
        return { rows: [...rows], vals: vals.slice(), factored: factored.slice(), direct: direct.slice(), list: [...list] };
      });
    const ref = run('ref');
    const wasm = run('wasm');
    const label = `in ${inF}, out ${outF}`;
    const nonzero = [...x.keys()].filter((j) => x[j] !== 0);
    assert.deepEqual(ref.rows, nonzero, `${label}: ref rows`);
    assert.deepEqual(wasm.rows, nonzero, `${label}: wasm rows`);
    assertSameBits(wasm.vals, ref.vals, `${label}: values`);
    assertSameBits(ref.vals, Float32Array.from(nonzero.map((j) => x[j]!)), `${label}: values are the inputs`);
    for (const got of [ref, wasm]) {
      assert.deepEqual(got.list, nonzero, `${label}: addWeightGradRows rows`);
      assertSameBits(got.factored, got.direct, `${label}: setOuterRows against addWeightGradRows`);
    }
    assertSameBits(wasm.factored, ref.factored, `${label}: both backends`);
  }
});

test('sparseVector: every pattern of zeros in four lanes, at every offset, on both backends', () => {
  requireWasm();
  // Each group of four lanes takes one of the 16 patterns of zero and non-zero (non-zeros include NaN, zeros −0),
  // twice over in shuffled order, with 0 to 3 lanes after the last full group.
  for (const tail of [0, 1, 2, 3]) {
    const order = [...Array(16).keys(), ...[...Array(16).keys()].reverse()];
    const x = new Float32Array(order.length * 4 + tail);
    order.forEach((mask, g) => {
      for (let l = 0; l < 4; l++) x[g * 4 + l] = (mask >> l) & 1 ? (l === 2 && g % 3 === 0 ? Number.NaN : g * 4 + l + 0.5) : g % 2 ? -0 : 0;
    });
    for (let i = order.length * 4; i < x.length; i++) x[i] = i % 2 ? i : 0;
    const want = [...x.keys()].filter((i) => x[i] !== 0);
    for (const name of ['ref', 'wasm'] as const) {
      const { rows, vals } = withBackend(name, () => sparseVector(x));
      assert.deepEqual([...rows], want, `${name}, tail ${tail}`);
      assert.deepEqual([...vals], want.map((i) => x[i]), `${name}, tail ${tail}`);
    }
  }
});

test('gemm, addWeightGradRows and setOuterRows write nothing past their output (rows ending in 1–3 columns)', () => {
  requireWasm();
  const guard = 8;
  for (const N of [1, 2, 3, 5, 6, 7, 9, 10, 11, 12, 31, 33]) {
    const r = rng(N * 13 + 5);
    const [M, K] = [3, 9];
    const A = values(r, M * K, { zeros: 0.3, lo: 0, hi: 1 });
    const B = values(r, K * N);
    const bias = values(r, N);
    // Each output lives at the start of a resident buffer with `guard` sentinels after it.
    const withGuard = (n: number, body: (out: Float32Array) => void): Float32Array =>
      withBackend('wasm', () => {
        const whole = resident(new Float32Array(n + guard).fill(7.5));
        const out = whole.subarray(0, n);
        out.fill(0.25);
        body(out);
        return whole.slice();
      });
    const check = (whole: Float32Array, n: number, label: string): void => {
      for (let i = n; i < n + guard; i++) assert.equal(whole[i], 7.5, `${label}, N ${N}: element ${i - n} after the output was written`);
    };
    for (const accumulate of [false, true]) {
      const whole = withGuard(M * N, (C) => gemm(M, N, K, A, 0, K, 1, B, 0, N, 1, C, 0, accumulate, accumulate ? null : bias));
      check(whole, M * N, `gemm accumulate ${accumulate}`);
    }
    for (const [rows, overwrite] of [[1, true], [1, false], [4, true], [4, false]] as const) {
      const X = values(r, rows * K, { zeros: 0.3, lo: 0, hi: 1 });
      X[rows * K - 1] = 0.5; // the last input column is non-zero, so the last row is written
      const G = values(r, rows * N);
      const whole = withGuard(K * N, (grad) => addWeightGradRows(grad, X, rows, K, G, N, overwrite));
      check(whole, K * N, `addWeightGradRows rows ${rows} overwrite ${overwrite}`);
    }
    const x = values(r, K, { zeros: 0.3 });
    x[K - 1] = -2;
    const G = values(r, N);
    const whole = withGuard(K * N, (grad) => {
      const { rows, vals } = sparseVector(x);
      setOuterRows(grad, N, rows, vals, G);
    });
    check(whole, K * N, 'setOuterRows');
  }
});

test('addWeightGradRows of an empty batch touches nothing, and the kernels work as before afterwards', () => {
  requireWasm();
  const r = rng(77);
  const start = values(r, 784 * 10);
  const x = values(r, 64, { zeros: 0.5 });
  const after = (name: 'ref' | 'wasm') =>
    withBackend(name, () => {
      const grad = resident(start);
      const list = addWeightGradRows(grad, new Float32Array(0), 0, 784, new Float32Array(0), 10, false);
      const { rows, vals } = sparseVector(x);
      return { list: [...list], grad: grad.slice(), rows: [...rows], vals: vals.slice() };
    });
  const ref = after('ref');
  const wasm = after('wasm');
  assert.deepEqual(wasm.list, []);
  assertSameBits(wasm.grad, start, 'gradient after an empty batch');
  assert.deepEqual(wasm.rows, ref.rows, 'sparseVector after an empty batch');
  assertSameBits(wasm.vals, ref.vals, 'sparseVector values after an empty batch');
});
