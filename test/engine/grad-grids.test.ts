// Finite-difference checks (float64 reference) of cross (every operand, broadcasting, a middle dim) and blockDiag
// (0-D, 1-D and 2-D blocks), the two of the grid functions with a backward of their own.
import { test } from 'node:test';
import { blockDiag, cross } from '../../src/index.js';
import { gradcheck, leaf, Rng } from './gradcheck.js';
import * as R from './ref.js';

const rng = new Rng(58);

/** a × b along `d` of equal shapes (b broadcast first by the caller), in float64. */
function crossRef(a: R.Ref, b: R.Ref, d: number): R.Ref {
  const step = a.shape.slice(d + 1).reduce((x, y) => x * y, 1);
  const out = new Array<number>(a.data.length);
  for (let k = 0; k < a.data.length; k++) {
    const pos = Math.floor(k / step) % 3;
    const base = k - pos * step;
    const i1 = base + ((pos + 1) % 3) * step;
    const i2 = base + ((pos + 2) % 3) * step;
    out[k] = a.data[i1]! * b.data[i2]! - a.data[i2]! * b.data[i1]!;
  }
  return R.ref(out, a.shape);
}

test('gradcheck cross: both operands, a middle dim, and a broadcast operand', () => {
  const a = leaf(rng, [2, 3, 4]);
  const b = leaf(rng, [2, 3, 4]);
  gradcheck('cross dim 1', { leaves: [a, b], forward: () => cross(a, b, 1), reference: ([x, y]) => crossRef(x!, y!, 1) });
  const c = leaf(rng, [4, 3]);
  const e = leaf(rng, [1, 3]);
  gradcheck('cross broadcast', {
    leaves: [c, e], forward: () => cross(c, e, -1),
    reference: ([x, y]) => crossRef(x!, R.ref([...y!.data, ...y!.data, ...y!.data, ...y!.data], [4, 3]), 1),
  });
});

test('gradcheck blockDiag: 0-D, 1-D and 2-D blocks', () => {
  const a = leaf(rng, [2, 2]);
  const b = leaf(rng, [3]);
  const c = leaf(rng, []);
  gradcheck('blockDiag', {
    leaves: [a, b, c], forward: () => blockDiag(a, b, c),
    reference: ([x, y, z]) => {
      const out = new Array<number>(4 * 6).fill(0);
      for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) out[i * 6 + j] = x!.data[i * 2 + j]!;
      for (let j = 0; j < 3; j++) out[2 * 6 + 2 + j] = y!.data[j]!;
      out[3 * 6 + 5] = z!.data[0]!;
      return R.ref(out, [4, 6]);
    },
  });
});
