// F.batchNorm's passes run on the wasm kernels (assembly/batch-norm.ts) and must give the reference kernels' bits:
// outputs, running statistics and the gradients of the input, weight and bias, in training and evaluation mode, for
// [N, C] and [N, C, …] inputs whose runs (the positions of one channel of one sample) have any length, whole vectors
// and tails, with NaN and ±∞ in some channels.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F } from '../../src/index.js';
import { batchNormBackward, batchNormForward } from '../../src/kernels/batch-norm.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { assertSameBits, awkward, requireWasm, rng, values, withBackend } from './helpers.js';

interface Case {
  name: string;
  shape: number[];
  training: boolean;
  affine: boolean;
  special?: boolean;
}

const CASES: Case[] = [
  { name: 'BatchNorm2d-like [6, 5, 7, 9]', shape: [6, 5, 7, 9], training: true, affine: true },
  { name: 'BatchNorm2d-like [64, 16, 28, 28]', shape: [64, 16, 28, 28], training: true, affine: true },
  { name: 'BatchNorm1d on [N, C] (runs of one)', shape: [13, 7], training: true, affine: true },
  { name: 'BatchNorm1d on [N, C, L], L = 2', shape: [5, 3, 2], training: true, affine: false },
  { name: 'runs of 3', shape: [4, 6, 3], training: true, affine: true },
  { name: 'runs of 5', shape: [3, 4, 5], training: true, affine: true },
  { name: 'runs of 6', shape: [3, 4, 6], training: true, affine: true },
  { name: 'evaluation mode', shape: [5, 4, 3, 3], training: false, affine: true },
  { name: 'evaluation mode, no weight, runs of 1', shape: [9, 5], training: false, affine: false },
  { name: 'NaN and ±∞ in some channels', shape: [4, 6, 3, 5], training: true, affine: true, special: true },
];

function run(backend: 'wasm' | 'ref', c: Case, seed: number): (Float32Array | null)[] {
  return withBackend(backend, () => {
    const r = rng(seed);
    const n = c.shape.reduce((a, b) => a * b, 1);
    const C = c.shape[1]!;
    const xv = values(r, n, { lo: -3, hi: 5, zeros: 0.2 });
    if (c.special) for (const [i, v] of [[0, Number.NaN], [c.shape.slice(2).reduce((a, b) => a * b, 1) * 2 + 1, Infinity], [n - 1, -Infinity]] as const) xv[i] = v;
    const x = new Tensor(xv, c.shape, { requiresGrad: true });
    const weight = c.affine ? new Tensor(values(r, C, { lo: 0.5, hi: 1.5 }), [C], { requiresGrad: true }) : null;
    const bias = c.affine ? new Tensor(values(r, C), [C], { requiresGrad: true }) : null;
    const rm = new Tensor(values(r, C), [C]);
    const rv = new Tensor(values(r, C, { lo: 0.5, hi: 2 }), [C]);
    const y = F.batchNorm(x, rm, rv, { weight, bias, training: c.training, momentum: 0.1 });
    y.backward(new Tensor(values(r, n, { zeros: 0.3 }), c.shape));
    const grad = (t: Tensor | null): Float32Array | null => (t === null ? null : t.grad!.values().slice());
    return [y.values().slice(), rm.values().slice(), rv.values().slice(), grad(x), grad(weight), grad(bias)];
  });
}

test('F.batchNorm on wasm gives the reference bits: outputs, running statistics and gradients, any run length, NaN and ∞', () => {
  requireWasm();
  CASES.forEach((c, i) => {
    const wasm = run('wasm', c, 50 + i);
    const ref = run('ref', c, 50 + i);
    ['output', 'running mean', 'running variance', 'input gradient', 'weight gradient', 'bias gradient'].forEach((what, j) => {
      assert.equal(wasm[j] === null, ref[j] === null, `${c.name}: ${what} on one backend only`);
      if (wasm[j] !== null) assertSameBits(wasm[j]!, ref[j]!, `${c.name}: ${what}`);
    });
  });
});

test('the lane sums: a channel of one constant normalises to exactly 0, and the statistics are the data set\'s', () => {
  for (const backend of ['wasm', 'ref'] as const) {
    if (backend === 'wasm') requireWasm();
    withBackend(backend, () => {
      // Channel 0 constant 0.1 (not exact in binary), channel 1 the integers 0..N·S−1 (mean and variance known).
      const [N, S] = [3, 7];
      const v = new Float32Array(N * 2 * S);
      for (let i = 0; i < N; i++) for (let s = 0; s < S; s++) {
        v[(i * 2) * S + s] = 0.1;
        v[(i * 2 + 1) * S + s] = i * S + s;
      }
      const rm = new Tensor(new Float32Array(2), [2]);
      const rv = new Tensor(new Float32Array(2), [2]);
      const y = F.batchNorm(new Tensor(v, [N, 2, S]), rm, rv, { training: true, momentum: 1 }).values();
      const m = N * S;
      for (let s = 0; s < m; s++) assert.equal(y[Math.floor(s / S) * 2 * S + (s % S)], 0, `${backend}: constant channel, value ${s}`);
      assert.deepEqual(Array.from(rm.values()), [Math.fround(0.1), (m - 1) / 2], backend);
      // The unbiased variance of 0..m−1 is m(m+1)/12.
      assert.equal(rv.values()[1], Math.fround((m * (m + 1)) / 12), backend);
    });
  }
});

test('the channel sums in float64: the same bits on both backends for every run length, where the order of additions shows', () => {
  requireWasm();
  const same = (a: Float64Array, b: Float64Array, what: string): void => {
    for (let i = 0; i < a.length; i++) {
      if (Object.is(a[i], b[i]) || (Number.isNaN(a[i]) && Number.isNaN(b[i]))) continue;
      assert.fail(`${what}: channel ${i} is ${a[i]}, expected ${b[i]}`);
    }
  };
  for (const S of [1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 49]) {
    const [N, C] = [7, 3];
    // Values over many exponents (1e-30 to 1e30), so that float64 sums round and their order matters.
    const X = awkward(N * C * S, S, 10, true).map((v) => (Number.isFinite(v) ? v : 1.5));
    const G = awkward(N * C * S, S + 100, 10, true).map((v) => (Number.isFinite(v) ? v : -2.5));
    const sums = (backend: 'wasm' | 'ref'): Float64Array[] => withBackend(backend, () => {
      const st = { mean: new Float64Array(C), sq: new Float64Array(C), invstd: new Float64Array(C) };
      batchNormForward(X, N, C, S, true, 1e-5, null, null, st, new Float32Array(X.length));
      const [sumG, dot] = [new Float64Array(C), new Float64Array(C)];
      batchNormBackward(G, X, N, C, S, st.mean, st.invstd, null, true, sumG, dot, null);
      return [st.mean, st.sq, st.invstd, sumG, dot];
    });
    const [w, r] = [sums('wasm'), sums('ref')];
    ['mean', 'squared deviations', 'invstd', 'gradient sum', 'gradient dot'].forEach((what, j) => same(w[j]!, r[j]!, `runs of ${S}: ${what}`));
  }
});
