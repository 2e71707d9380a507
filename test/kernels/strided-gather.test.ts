// The reference gather of a strided layout into row-major order, checked element by element against the plain
// definition (element (i0, i1, …) read at Σ iₖ·strides[k]) over many layouts: broadcast dimensions of stride 0, dims of
// size 1, dimensions laid out one after the other (which the gather merges), transposes and permutations, rows long
// and short. Then what it serves: expand(…).contiguous(), and the gradients of sum and mean spread over the input.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ref from '../../src/kernels/ref/strided.js';
import { Tensor, tensor } from '../../src/index.js';
import { assertSameBits, awkward, rng, withBackend } from './helpers.js';

/** The definition: the odometer over `shape`, each element read at its own offset. */
function gatherByDefinition(src: Float32Array, shape: readonly number[], strides: readonly number[]): Float32Array {
  let n = 1;
  for (const d of shape) n *= d;
  const out = new Float32Array(n);
  const idx = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < n; k++) {
    let p = 0;
    for (let d = 0; d < shape.length; d++) p += idx[d]! * strides[d]!;
    out[k] = src[p]!;
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
  return out;
}

/** A random layout: a permutation of a contiguous block, with some dimensions broadcast (stride 0) and some of size 1. */
function randomLayout(r: () => number): { shape: number[]; strides: number[]; storage: number } {
  const rank = 1 + Math.floor(r() * 4);
  const shape: number[] = [];
  for (let d = 0; d < rank; d++) {
    const pick = r();
    shape.push(pick < 0.2 ? 1 : pick < 0.5 ? 2 + Math.floor(r() * 6) : 10 + Math.floor(r() * 90));
  }
  // Contiguous strides of a permuted order, then some dimensions broadcast.
  const order = shape.map((_, d) => d).sort(() => r() - 0.5);
  const strides = new Array<number>(rank).fill(0);
  let s = 1;
  for (let j = order.length - 1; j >= 0; j--) {
    strides[order[j]!] = s;
    s *= shape[order[j]!]!;
  }
  for (let d = 0; d < rank; d++) if (r() < 0.3) strides[d] = 0;
  return { shape, strides, storage: s };
}

test('gatherStrided gives the definition\'s bits over random layouts, broadcasts and permutations included', () => {
  const r = rng(7);
  let broadcast = 0;
  for (let t = 0; t < 600; t++) {
    const { shape, strides, storage } = randomLayout(r);
    if (strides.includes(0)) broadcast++;
    const src = awkward(storage, t, 5);
    const want = gatherByDefinition(src, shape, strides);
    const got = new Float32Array(want.length);
    ref.gatherStrided(src, shape, strides, got);
    assertSameBits(got, want, `shape [${shape.join(', ')}], strides [${strides.join(', ')}]`);
  }
  assert.ok(broadcast > 200, `only ${broadcast} layouts had a broadcast dimension`);
});

test('gatherStrided: the layouts it takes a shortcut for', () => {
  const src = awkward(4096, 3, 5);
  const cases: [number[], number[]][] = [
    [[300, 200], [0, 0]], // one value everywhere (a scalar's gradient spread out)
    [[300, 200], [1, 0]], // a column repeated across (each row one value)
    [[300, 200], [0, 1]], // a row repeated down (rows of 200: copied whole)
    [[3, 20], [0, 1]], // short rows
    [[5, 1, 7, 1], [7, 0, 1, 0]], // dims of size 1 anywhere
    [[4, 5, 6], [30, 6, 1]], // contiguous: one row of 120
    [[4, 5, 6], [0, 6, 1]], // a block repeated
    [[4, 5, 6], [6, 0, 1]],
    [[4, 5, 6], [1, 0, 4]], // transposed, with a broadcast between
    [[64, 70], [70, 1]],
    [[64, 70], [1, 64]], // the transpose (tiles)
    [[2, 3, 64], [0, 64, 1]],
    [[0, 5], [5, 1]], // nothing
    [[1, 1], [0, 0]],
    [[], []],
  ];
  for (const [shape, strides] of cases) {
    const want = gatherByDefinition(src, shape, strides);
    const got = new Float32Array(Math.max(1, want.length)).fill(Number.NaN);
    ref.gatherStrided(src, shape, strides, got);
    assertSameBits(got.subarray(0, want.length), want, `shape [${shape.join(', ')}], strides [${strides.join(', ')}]`);
  }
});

test('expand(…).contiguous() copies the expanded values, on either backend', () => {
  for (const backend of ['ref', 'wasm'] as const) {
    withBackend(backend, () => {
      const col = tensor([[1.5], [-0], [Number.NaN], [3]]);
      assert.deepEqual(col.expand(4, 3).contiguous().tolist(), [[1.5, 1.5, 1.5], [-0, -0, -0], [Number.NaN, Number.NaN, Number.NaN], [3, 3, 3]]);
      const row = tensor([1, 2, 3]);
      const big = row.expand(5000, 3).contiguous();
      assert.deepEqual(big.shape, [5000, 3]);
      assert.deepEqual(Array.from(big.toArray().subarray(14996)), [3, 1, 2, 3]);
      assert.deepEqual(tensor(7).expand(2, 2).contiguous().tolist(), [[7, 7], [7, 7]]);
    });
  }
});

test('sum and mean spread their gradient over the input: the same values as written out, for every dim', () => {
  const r = rng(11);
  for (const backend of ['ref', 'wasm'] as const) {
    withBackend(backend, () => {
      const shape = [6, 7, 5];
      const x = new Tensor(awkward(210, 5, 3), shape, { requiresGrad: true });
      for (const dims of [undefined, 0, 1, 2, [0, 2], [1, 2]] as const) {
        for (const op of ['sum', 'mean'] as const) {
          const y = op === 'sum' ? x.sum(dims as number | number[] | undefined) : x.mean(dims as number | number[] | undefined);
          const gv = new Float32Array(y.numel());
          for (let i = 0; i < gv.length; i++) gv[i] = Math.fround(0.25 + r() * 4);
          const g = new Tensor(gv, y.shape);
          x.grad = null;
          y.backward(g);
          // Written out: each element of x gets the g of the output it went into, times 1/count for mean.
          const list = dims === undefined ? [0, 1, 2] : typeof dims === 'number' ? [dims] : [...dims];
          let count = 1;
          for (const d of list) count *= shape[d]!;
          const want = new Float32Array(210);
          const outStrides: number[] = [];
          let s = 1;
          for (let d = 2; d >= 0; d--) {
            outStrides[d] = list.includes(d) ? 0 : s;
            if (!list.includes(d)) s *= shape[d]!;
          }
          let k = 0;
          for (let i = 0; i < 6; i++) for (let j = 0; j < 7; j++) for (let l = 0; l < 5; l++) {
            const gi = gv[i * outStrides[0]! + j * outStrides[1]! + l * outStrides[2]!]!;
            want[k++] = op === 'sum' ? gi : Math.fround(gi * (1 / count));
          }
          assertSameBits(x.grad!.toArray(), want, `${backend} ${op}(${JSON.stringify(dims)})`);
          assertSameBits(g.toArray(), gv, `${op} left its incoming gradient as it was`);
        }
      }
    });
  }
});
