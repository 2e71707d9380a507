// The max and min over one dimension (values and indices) against the reference's rule written out: the first value,
// then each later one that is larger (smaller), or a NaN; from a NaN on nothing changes. The wasm kernel, four rows or
// four columns at a time, must give the same values and indices as the reference loop, with ties, signed zeros, ±∞,
// NaN and subnormals in the data, at sizes around the four lanes; and max / min / argmax / argmin and the gradient
// of max agree across backends.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activeWasm } from '../../src/kernels/backend.js';
import * as wasm from '../../src/kernels/wasm/reduce.js';
import { Tensor } from '../../src/index.js';
import { assertSameBits, awkward, requireWasm, rng, withBackend } from './helpers.js';

/** The rule, one output at a time. */
function expected(x: Float32Array, outer: number, n: number, inner: number, min: boolean): [Float32Array, Int32Array] {
  const values = new Float32Array(outer * inner);
  const indices = new Int32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const at = (k: number): number => (o * n + k) * inner + i;
      let best = x[at(0)]!;
      let arg = 0;
      for (let k = 1; k < n && !Number.isNaN(best); k++) {
        const v = x[at(k)]!;
        if ((min ? v < best : v > best) || Number.isNaN(v)) {
          best = v;
          arg = k;
        }
      }
      values[o * inner + i] = best;
      indices[o * inner + i] = arg;
    }
  }
  return [values, indices];
}

/** Data with many ties: values drawn from a few, with the awkward ones (±0, ±∞, NaN, subnormals) mixed in. */
function tied(count: number, seed: number): Float32Array {
  const r = rng(seed);
  const a = awkward(count, seed, 3);
  for (let i = 0; i < count; i++) if (r() < 0.5) a[i] = [1, -1, 0, -0, 2][Math.floor(r() * 5)]!;
  // Fewer NaNs, so that most outputs see some comparisons first.
  for (let i = 0; i < count; i++) if (Number.isNaN(a[i]!) && r() < 0.8) a[i] = r();
  return a;
}

test('extremeDim: the wasm kernel gives the rule\'s values and indices, over rows and columns, max and min', () => {
  requireWasm();
  const w = activeWasm()!;
  const sizes = [1, 2, 3, 4, 5, 7, 8, 9, 13];
  let seed = 1;
  for (const outer of [1, 3, 4, 5, 9]) {
    for (const n of sizes) {
      for (const inner of [1, 2, 4, 5, 7, 8, 11]) {
        const x = tied(outer * n * inner, seed++);
        for (const min of [false, true]) {
          const [ev, ei] = expected(x, outer, n, inner, min);
          const values = new Float32Array(outer * inner).fill(7);
          const indices = new Int32Array(outer * inner).fill(7);
          assert.ok(wasm.extremeDim(w, x, outer, n, inner, min, values, indices));
          const label = `${min ? 'min' : 'max'} over [${outer}, ${n}, ${inner}]`;
          assertSameBits(values, ev, `${label}: values`);
          assert.deepEqual(Array.from(indices), Array.from(ei), `${label}: indices`);
        }
      }
    }
  }
});

test('max, min, argmax and argmin along a dimension, and max\'s gradient, agree across backends', () => {
  const shape = [37, 129];
  const x = tied(37 * 129, 99);
  for (const dim of [0, 1, -1]) {
    const run = (backend: 'ref' | 'wasm'): Float32Array[] => withBackend(backend, () => {
      const t = new Tensor(x.slice(), shape, { requiresGrad: true });
      const mx = t.max(dim);
      const mn = t.min(dim, true);
      mx.values.sum().backward();
      return [mx.values.toArray(), mx.indices.toArray(), mn.values.toArray(), mn.indices.toArray(), t.argmax(dim).toArray(), t.argmin(dim).toArray(), t.grad!.toArray()];
    });
    const a = run('ref');
    const b = run('wasm');
    ['max values', 'max indices', 'min values', 'min indices', 'argmax', 'argmin', 'gradient of max'].forEach((name, i) => {
      assertSameBits(b[i]!, a[i]!, `${name} along ${dim}`);
    });
  }
});

test('max over a dimension longer than 2^24: the gradient goes to the max itself, not to a neighbouring index', () => {
  // Past 2^24 a float32 cannot hold every index; the backward pass keeps them as integers.
  const n = 2 ** 24 + 2;
  const v = new Float32Array(n);
  v[n - 1] = 5;
  for (const backend of ['ref', 'wasm'] as const) {
    withBackend(backend, () => {
      const x = new Tensor(v, [n], { requiresGrad: true });
      x.max(0).values.backward();
      const g = x.grad!.data;
      assert.equal(g[n - 1], 1, `${backend}: the max's gradient`);
      assert.equal(g[n - 2], 0, `${backend}: its neighbour's`);
      x.grad = null;
    });
  }
});
