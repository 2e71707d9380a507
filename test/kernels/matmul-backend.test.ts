// matmul runs on the active backend's product kernels: on wasm it must give the reference's bits for every layout
// it reads (row-major, transposed views, batches, a vector on either side), the NaN of a skipped zero meeting an ∞
// or a NaN included, and the same gradients.
import { test } from 'node:test';
import { Tensor } from '../../src/tensor/tensor.js';
import { assertSameBits, requireWasm, rng, values, withBackend } from './helpers.js';

/** A [rows, cols] tensor of values with zeros (as the kernels skip) and, when asked, a few NaN and ∞. */
function matrix(rows: number, cols: number, seed: number, nonFinite: boolean): Tensor {
  const r = rng(seed);
  const v = values(r, rows * cols, { lo: -2, hi: 2, zeros: 0.4 });
  if (nonFinite) for (const [i, x] of [[0, Number.NaN], [Math.floor(v.length / 2), Infinity], [v.length - 1, -Infinity]] as const) v[i] = x;
  return new Tensor(v, [rows, cols], { requiresGrad: true });
}

/** Product, and gradients of its weighted sum, on one backend (fresh leaves each time). */
function run(backend: 'wasm' | 'ref', make: () => [Tensor, Tensor, (a: Tensor, b: Tensor) => Tensor]): Float32Array[] {
  return withBackend(backend, () => {
    const [a, b, f] = make();
    const out = f(a, b);
    const weights = new Tensor(values(rng(99), out.numel()), out.shape);
    out.mul(weights).sum().backward();
    return [out.values().slice(), a.grad!.values().slice(), b.grad!.values().slice()];
  });
}

test('matmul on wasm gives the reference bits and gradients, for transposed views, batches and vectors, NaN and ∞ included', () => {
  requireWasm();
  const cases: [string, () => [Tensor, Tensor, (a: Tensor, b: Tensor) => Tensor]][] = [];
  for (const [m, k, n] of [[1, 784, 200], [64, 33, 10], [5, 7, 3], [9, 200, 37], [2, 1, 5]] as const) {
    for (const nonFinite of [false, true]) {
      const tag = `${m}x${k}x${n}${nonFinite ? ' with NaN/∞' : ''}`;
      cases.push([`${tag} row-major`, () => [matrix(m, k, m + k, nonFinite), matrix(k, n, k + n, nonFinite), (a, b) => a.matmul(b)]]);
      cases.push([`${tag} B transposed`, () => [matrix(m, k, m + 2 * k, nonFinite), matrix(n, k, n + 3, nonFinite), (a, b) => a.matmul(b.T)]]);
      cases.push([`${tag} A transposed`, () => [matrix(k, m, 5 * m + k, nonFinite), matrix(k, n, 7 + n, nonFinite), (a, b) => a.T.matmul(b)]]);
    }
  }
  cases.push(['vector · matrix', () => [matrix(1, 40, 1, true), matrix(40, 9, 2, true), (a, b) => a.reshape([40]).matmul(b)]]);
  cases.push(['matrix · vector', () => [matrix(6, 40, 3, false), matrix(40, 1, 4, true), (a, b) => a.matmul(b.reshape([40]))]]);
  cases.push(['batched 3-D', () => [matrix(12, 17, 5, true), matrix(17, 8, 6, false), (a, b) => a.reshape([3, 4, 17]).matmul(b)]]);
  for (const [what, make] of cases) {
    const [out, ga, gb] = run('wasm', make);
    const [refOut, refGa, refGb] = run('ref', make);
    assertSameBits(out!, refOut!, `${what}: product`);
    assertSameBits(ga!, refGa!, `${what}: gradient of A`);
    assertSameBits(gb!, refGb!, `${what}: gradient of B`);
  }
});
