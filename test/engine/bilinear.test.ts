// F.bilinear in the engine: the gradients of both inputs, the weight and the bias against central differences of a
// float64 reference y[n, o] = Σᵢⱼ x1[n, i]·A[o, i, j]·x2[n, j] + b[o], on 1-D, 2-D and 3-D inputs, composed with tanh.
import { test } from 'node:test';
import { F } from '../../src/index.js';
import { gradcheck, leaf, Rng } from './gradcheck.js';
import { ref, type Ref } from './ref.js';

function reference(x1: Ref, x2: Ref, w: Ref, b: Ref | null, lead: readonly number[]): Ref {
  const [out, in1, in2] = w.shape as [number, number, number];
  const rows = x1.data.length / in1;
  const y: number[] = [];
  for (let n = 0; n < rows; n++) {
    for (let o = 0; o < out; o++) {
      let s = b === null ? 0 : b.data[o]!;
      for (let i = 0; i < in1; i++) for (let j = 0; j < in2; j++) s += x1.data[n * in1 + i]! * w.data[(o * in1 + i) * in2 + j]! * x2.data[n * in2 + j]!;
      y.push(Math.tanh(s));
    }
  }
  return ref(y, [...lead, out]);
}

test('gradcheck: F.bilinear\'s gradients for both inputs, the weight and the bias match finite differences', () => {
  const rng = new Rng(11);
  const cases: [number[], number, number, number, boolean][] = [[[], 3, 2, 4, true], [[4], 2, 3, 3, true], [[3], 3, 2, 2, false], [[2, 2], 2, 3, 2, true]];
  for (const [lead, in1, in2, out, bias] of cases) {
    const x1 = leaf(rng, [...lead, in1]);
    const x2 = leaf(rng, [...lead, in2]);
    const w = leaf(rng, [out, in1, in2]);
    const b = bias ? leaf(rng, [out]) : null;
    gradcheck(`bilinear ${JSON.stringify(lead)} ${in1}×${in2}→${out}${bias ? '' : ' no bias'}`, {
      leaves: b === null ? [x1, x2, w] : [x1, x2, w, b],
      forward: () => F.bilinear(x1, x2, w, b).tanh(),
      reference: (r) => reference(r[0]!, r[1]!, r[2]!, b === null ? null : r[3]!, lead),
    });
  }
});
