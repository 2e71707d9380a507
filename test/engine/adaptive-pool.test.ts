// Adaptive pooling: gradients against finite differences of a float64 reference (overlapping windows, sizes larger
// than the input, null entries, unbatched), composed with other ops.
import { test } from 'node:test';
import { F } from '../../src/index.js';
import { distinctLeaf, gradcheck, leaf, Rng } from './gradcheck.js';
import { Ref } from './ref.js';

/** Float64 adaptive pooling over the last two dimensions, PyTorch's windows ⌊i·n/out⌋ to ⌈(i+1)·n/out⌉. */
function reference(x: Ref, Ho: number, Wo: number, kind: 'avg' | 'max'): Ref {
  const H = x.shape[x.shape.length - 2]!;
  const W = x.shape[x.shape.length - 1]!;
  const planes = x.data.length / (H * W);
  const out = new Float64Array(planes * Ho * Wo);
  for (let p = 0; p < planes; p++) {
    for (let i = 0; i < Ho; i++) {
      for (let j = 0; j < Wo; j++) {
        const [h0, h1] = [Math.floor((i * H) / Ho), Math.ceil(((i + 1) * H) / Ho)];
        const [w0, w1] = [Math.floor((j * W) / Wo), Math.ceil(((j + 1) * W) / Wo)];
        let acc = kind === 'avg' ? 0 : -Infinity;
        for (let h = h0; h < h1; h++) {
          for (let w = w0; w < w1; w++) {
            const v = x.data[p * H * W + h * W + w]!;
            acc = kind === 'avg' ? acc + v : Math.max(acc, v);
          }
        }
        out[p * Ho * Wo + i * Wo + j] = kind === 'avg' ? acc / ((h1 - h0) * (w1 - w0)) : acc;
      }
    }
  }
  return new Ref(out, [...x.shape.slice(0, -2), Ho, Wo]);
}

const SHAPES: [number[], number | [number | null, number | null], number, number][] = [
  [[2, 2, 7, 5], [3, 3], 3, 3],
  [[1, 2, 6, 8], [3, 4], 3, 4],
  [[1, 1, 3, 2], [5, 4], 5, 4],
  [[3, 5, 4], [2, null], 2, 4],
  [[2, 1, 5, 6], 1, 1, 1],
];

test('gradcheck: adaptiveAvgPool2d matches finite differences', () => {
  const rng = new Rng(11);
  for (const [shape, size, Ho, Wo] of SHAPES) {
    const x = leaf(rng, shape);
    gradcheck(`adaptiveAvgPool2d ${JSON.stringify(shape)} → ${JSON.stringify(size)}`, {
      leaves: [x], forward: () => F.adaptiveAvgPool2d(x, size), reference: ([r]) => reference(r!, Ho, Wo, 'avg'),
    });
  }
});

test('gradcheck: adaptiveMaxPool2d matches finite differences (distinct values, so no ties)', () => {
  const rng = new Rng(12);
  for (const [shape, size, Ho, Wo] of SHAPES) {
    const x = distinctLeaf(rng, shape);
    gradcheck(`adaptiveMaxPool2d ${JSON.stringify(shape)} → ${JSON.stringify(size)}`, {
      leaves: [x], forward: () => F.adaptiveMaxPool2d(x, size), reference: ([r]) => reference(r!, Ho, Wo, 'max'),
    });
  }
});

test('gradcheck: tanh of adaptive pooling of a computed input', () => {
  const rng = new Rng(13);
  const x = leaf(rng, [1, 2, 7, 5]);
  gradcheck('tanh(adaptiveAvgPool2d(x * x))', {
    leaves: [x],
    forward: () => F.adaptiveAvgPool2d(x.mul(x), [3, 2]).tanh(),
    reference: ([r]) => {
      const sq = new Ref(r!.data.map((v) => v * v), r!.shape);
      const y = reference(sq, 3, 2, 'avg');
      return new Ref(y.data.map(Math.tanh), y.shape);
    },
  });
});
