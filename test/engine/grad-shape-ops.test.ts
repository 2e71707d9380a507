// Finite-difference checks (float64 reference) of Tensor.unfold (overlapping, strided and 3-D slices: its own
// backward adds each slice's gradient back), quantile (linear and midpoint interpolation over a row, and q a tensor;
// distinct values keep the sort away from ties) and takeAlongDim (a broadcast index picking one value twice).
import { test } from 'node:test';
import { quantile, takeAlongDim, tensor } from '../../src/index.js';
import { distinctLeaf, gradcheck, leaf, Rng } from './gradcheck.js';
import * as R from './ref.js';

const rng = new Rng(5858);

/** x.unfold(d, size, step) of a row-major float64 array. */
function unfoldRef(x: R.Ref, d: number, size: number, step: number): R.Ref {
  const shape = x.shape;
  const count = Math.floor((shape[d]! - size) / step) + 1;
  const outShape = [...shape, size];
  outShape[d] = count;
  const inner = shape.slice(d + 1).reduce((a, b) => a * b, 1);
  const outer = shape.slice(0, d).reduce((a, b) => a * b, 1);
  const out: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < count; c++) {
      for (let i = 0; i < inner; i++) {
        for (let s = 0; s < size; s++) out.push(x.data[(o * shape[d]! + c * step + s) * inner + i]!);
      }
    }
  }
  return R.ref(out, outShape);
}

test('gradcheck unfold: overlapping slices, a step past the size, and a middle dimension', () => {
  for (const [shape, d, size, step] of [[[7], 0, 3, 1], [[3, 8], 1, 2, 3], [[2, 5, 3], 1, 3, 2]] as [number[], number, number, number][]) {
    const x = leaf(rng, shape);
    gradcheck(`unfold ${shape} ${d} ${size} ${step}`, { leaves: [x], forward: () => x.unfold(d, size, step), reference: ([a]) => unfoldRef(a!, d, size, step) });
  }
});

/** The q-quantile of each row (linear interpolation, or midpoint), in float64. */
function quantileRef(x: R.Ref, qs: number[], midpoint: boolean): R.Ref {
  const n = x.shape[1]!;
  const out: number[] = [];
  for (const q of qs) {
    for (let r = 0; r < x.shape[0]!; r++) {
      const row = x.data.slice(r * n, r * n + n).sort((a, b) => a - b);
      const rank = Math.fround(q * (n - 1));
      const lo = Math.floor(rank);
      const w = midpoint ? 0.5 : Math.fround(rank - lo);
      out.push(row[lo]! + w * (row[Math.ceil(rank)]! - row[lo]!));
    }
  }
  return R.ref(out, qs.length === 1 ? [x.shape[0]!] : [qs.length, x.shape[0]!]);
}

test('gradcheck quantile: linear and midpoint over the rows, q a number and a tensor', () => {
  const x = distinctLeaf(rng, [3, 6], 0.25);
  gradcheck('quantile 0.3 linear', { leaves: [x], forward: () => quantile(x, 0.3, { dim: 1 }), reference: ([a]) => quantileRef(a!, [0.3], false) });
  gradcheck('quantile midpoint', { leaves: [x], forward: () => x.quantile(0.45, { dim: -1, interpolation: 'midpoint' }), reference: ([a]) => quantileRef(a!, [0.45], true) });
  gradcheck('quantile q tensor', { leaves: [x], forward: () => quantile(x, tensor([0.1, 0.5, 0.85]), { dim: 1 }), reference: ([a]) => quantileRef(a!, [0.1, 0.5, 0.85], false) });
});

test('gradcheck takeAlongDim: an index broadcast over rows, picking one value twice', () => {
  const x = leaf(rng, [3, 4]);
  const idx = [[1, 1, 3]];
  gradcheck('takeAlongDim', {
    leaves: [x], forward: () => takeAlongDim(x, tensor(idx), 1),
    reference: ([a]) => R.ref([0, 1, 2].flatMap((r) => idx[0]!.map((j) => a!.data[r * 4 + j]!)), [3, 3]),
  });
});
