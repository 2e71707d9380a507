// Finite-difference checks (float64 reference) of flip, fliplr, flipud, roll, tril and triu: several dims, negative
// dims, a transposed (strided) input, 0-d, and diagonals above and below the main one.
import { test } from 'node:test';
import { flip, roll, tensor, tril, triu } from '../../src/index.js';
import { gradcheck, leaf, Rng } from './gradcheck.js';
import * as R from './ref.js';

const rng = new Rng(55);

/** A row-major Ref whose element at coordinates `at` is `r`'s element at `source(at)` (or 0 where it gives -1). */
function remap(r: R.Ref, source: (at: number[]) => number[] | null): R.Ref {
  const shape = r.shape;
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  const out = new Float64Array(r.data.length);
  const at = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < out.length; i++) {
    const from = source([...at]);
    out[i] = from === null ? 0 : r.data[from.reduce((o, c, d) => o + c * strides[d]!, 0)]!;
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++at[d]! < shape[d]!) break;
      at[d] = 0;
    }
  }
  return new R.Ref(out, shape);
}

const norm = (d: number, n: number): number => (d < 0 ? d + n : d);
const refFlip = (r: R.Ref, dims: number[]): R.Ref => {
  const ds = dims.map((d) => norm(d, r.shape.length));
  return remap(r, (at) => at.map((c, d) => (ds.includes(d) ? r.shape[d]! - 1 - c : c)));
};
const refRoll = (r: R.Ref, shifts: number[], dims: number[]): R.Ref => remap(r, (at) => at.map((c, d) => {
  const n = r.shape[d]!;
  const s = dims.reduce((acc, dd, i) => (norm(dd, r.shape.length) === d ? acc + shifts[i]! : acc), 0);
  return (((c - s) % n) + n) % n;
}));
const refTri = (r: R.Ref, k: number, lower: boolean): R.Ref => remap(r, (at) => {
  const c = at[at.length - 1]! - at[at.length - 2]!;
  return (lower ? c <= k : c >= k) ? at : null;
});

test('gradcheck flip, fliplr and flipud over dims, negative dims, a transposed view and 0-d', () => {
  const x = leaf(rng, [2, 3, 4]);
  for (const dims of [[0], [1], [-1], [0, 2], [-3, -2, -1], []]) {
    gradcheck(`flip(${JSON.stringify(dims)})`, { leaves: [x], forward: () => x.flip(dims), reference: ([r]) => refFlip(r!, dims) });
  }
  gradcheck('fliplr', { leaves: [x], forward: () => x.fliplr(), reference: ([r]) => refFlip(r!, [1]) });
  gradcheck('flipud', { leaves: [x], forward: () => x.flipud(), reference: ([r]) => refFlip(r!, [0]) });
  const t = leaf(rng, [4, 3]);
  gradcheck('flip of a transposed view', { leaves: [t], forward: () => flip(t.T, [0]), reference: ([r]) => refFlip(R.transpose(r!, 0, 1), [0]) });
  const s = tensor(0.75, { requiresGrad: true });
  gradcheck('flip 0-d', { leaves: [s], forward: () => s.flip(0), reference: ([r]) => r! });
});

test('gradcheck roll: flattened, one dim, several, a dim twice, negative shifts and a transposed view', () => {
  const x = leaf(rng, [3, 4]);
  gradcheck('roll(5) flattened', { leaves: [x], forward: () => x.roll(5), reference: ([r]) => {
    const flat = new R.Ref(r!.data, [12]);
    return new R.Ref(refRoll(flat, [5], [0]).data, [3, 4]);
  } });
  for (const [shifts, dims] of [[[1], [0]], [[-3], [-1]], [[2, -1], [0, 1]], [[1, 2], [1, 1]], [[7], [1]]] as const) {
    gradcheck(`roll(${JSON.stringify(shifts)}, ${JSON.stringify(dims)})`, { leaves: [x], forward: () => x.roll([...shifts], [...dims]), reference: ([r]) => refRoll(r!, [...shifts], [...dims]) });
  }
  const t = leaf(rng, [4, 3]);
  gradcheck('roll of a transposed view', { leaves: [t], forward: () => roll(t.T, 1, 1), reference: ([r]) => refRoll(R.transpose(r!, 0, 1), [1], [1]) });
});

test('gradcheck tril and triu for diagonals 0, ±1 and beyond, batched and of a transposed view', () => {
  const x = leaf(rng, [2, 3, 4]);
  for (const k of [0, 1, -1, 3, -4]) {
    gradcheck(`tril(${k})`, { leaves: [x], forward: () => x.tril(k), reference: ([r]) => refTri(r!, k, true) });
    gradcheck(`triu(${k})`, { leaves: [x], forward: () => x.triu(k), reference: ([r]) => refTri(r!, k, false) });
  }
  const t = leaf(rng, [4, 3]);
  gradcheck('tril of a transposed view', { leaves: [t], forward: () => tril(t.T), reference: ([r]) => refTri(R.transpose(r!, 0, 1), 0, true) });
  gradcheck('triu of a transposed view', { leaves: [t], forward: () => triu(t.T, 1), reference: ([r]) => refTri(R.transpose(r!, 0, 1), 1, false) });
});
