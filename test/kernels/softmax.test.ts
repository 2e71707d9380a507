// softmax and logSoftmax against the formula written out value by value (each row's max, the float64 sum of
// Math.exp(x − max), then e^(x − max) / sum or x − max − log(sum), rounded to float32): the same bits along every
// dimension, with ±∞, NaN and rows of equal values mixed in.
import { test } from 'node:test';
import { Tensor } from '../../src/index.js';
import { assertSameBits, awkward } from './helpers.js';

function expected(x: Float32Array, shape: number[], dim: number, log: boolean): Float32Array {
  const d = dim < 0 ? dim + shape.length : dim;
  const n = shape[d]!;
  const inner = shape.slice(d + 1).reduce((a, b) => a * b, 1);
  const outer = shape.slice(0, d).reduce((a, b) => a * b, 1);
  const out = new Float32Array(x.length);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const at = (k: number): number => o * n * inner + k * inner + i;
      let m = -Infinity;
      for (let k = 0; k < n; k++) if (x[at(k)]! > m) m = x[at(k)]!;
      let s = 0;
      for (let k = 0; k < n; k++) s += Math.exp(x[at(k)]! - m);
      for (let k = 0; k < n; k++) out[at(k)] = log ? x[at(k)]! - m - Math.log(s) : Math.exp(x[at(k)]! - m) / s;
    }
  }
  return out;
}

test('softmax and logSoftmax give the written-out formula\'s bits along every dimension', () => {
  const shapes: number[][] = [[7], [3, 10], [64, 10], [5, 4, 9], [2, 130, 3]];
  for (const shape of shapes) {
    const n = shape.reduce((a, b) => a * b, 1);
    for (const range of [1, 30, 200]) {
      const x = awkward(n, n + range, range);
      x[0] = 5; // a row with repeated values, and special ones from awkward() elsewhere
      for (let dim = -shape.length; dim < shape.length; dim++) {
        const t = new Tensor(x.slice(), shape);
        assertSameBits(t.softmax(dim).toArray(), expected(x, shape, dim, false), `softmax(${dim}) of ${shape}, range ${range}`);
        assertSameBits(t.logSoftmax(dim).toArray(), expected(x, shape, dim, true), `logSoftmax(${dim}) of ${shape}, range ${range}`);
      }
    }
  }
});
