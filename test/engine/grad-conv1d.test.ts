// Finite-difference checks of conv1d against a float64 reference written here from the definition (loops over
// every output and tap), independently of the 2-D kernels it runs on.
import { test } from 'node:test';
import { F } from '../../src/index.js';
import { gradcheck, leaf, Rng } from './gradcheck.js';
import { Ref } from './ref.js';

interface Geo { stride: number; pad: [number, number]; dil: number; groups: number }

/** out[n, o, x] = b[o] + Σ w[o, c, j]·x[n, g·Cg + c, x·s + j·d − p] over [N, C, L] (or [C, L]). */
function refConv1d(x: Ref, w: Ref, b: Ref | null, g: Geo): Ref {
  const unbatched = x.shape.length === 2;
  const [N, C, L] = (unbatched ? [1, ...x.shape] : x.shape) as number[];
  const [O, Cg, k] = w.shape as number[];
  const Lo = Math.floor((L! + g.pad[0] + g.pad[1] - g.dil * (k! - 1) - 1) / g.stride) + 1;
  const Og = O! / g.groups;
  const out = new Float64Array(N! * O! * Lo);
  for (let n = 0; n < N!; n++) for (let o = 0; o < O!; o++) for (let xo = 0; xo < Lo; xo++) {
    let s = b === null ? 0 : b.data[o]!;
    const grp = Math.floor(o / Og);
    for (let c = 0; c < Cg!; c++) for (let j = 0; j < k!; j++) {
      const ix = xo * g.stride + j * g.dil - g.pad[0];
      if (ix < 0 || ix >= L!) continue;
      s += w.data[(o * Cg! + c) * k! + j]! * x.data[(n * C! + grp * Cg! + c) * L! + ix]!;
    }
    out[(n * O! + o) * Lo + xo] = s;
  }
  return new Ref(out, unbatched ? [O!, Lo] : [N!, O!, Lo]);
}

const CASES: { name: string; x: number[]; w: number[]; bias: boolean; opts: Record<string, unknown>; geo: Geo }[] = [
  { name: 'plain', x: [2, 3, 7], w: [4, 3, 3], bias: true, opts: {}, geo: { stride: 1, pad: [0, 0], dil: 1, groups: 1 } },
  { name: 'stride 3 (not dividing), padding 1, no bias', x: [1, 2, 10], w: [3, 2, 3], bias: false, opts: { stride: 3, padding: 1 }, geo: { stride: 3, pad: [1, 1], dil: 1, groups: 1 } },
  { name: 'dilation 2, padding 2', x: [2, 2, 9], w: [2, 2, 3], bias: true, opts: { dilation: 2, padding: 2 }, geo: { stride: 1, pad: [2, 2], dil: 2, groups: 1 } },
  { name: 'groups 2, stride 2', x: [2, 4, 8], w: [6, 2, 3], bias: true, opts: { groups: 2, stride: 2 }, geo: { stride: 2, pad: [0, 0], dil: 1, groups: 2 } },
  { name: 'depthwise', x: [1, 3, 6], w: [3, 1, 2], bias: true, opts: { groups: 3 }, geo: { stride: 1, pad: [0, 0], dil: 1, groups: 3 } },
  { name: "padding 'same' with an even kernel", x: [1, 2, 6], w: [3, 2, 4], bias: true, opts: { padding: 'same' }, geo: { stride: 1, pad: [1, 2], dil: 1, groups: 1 } },
  { name: 'one unbatched sample [C, L]', x: [3, 7], w: [2, 3, 3], bias: true, opts: { padding: [1] }, geo: { stride: 1, pad: [1, 1], dil: 1, groups: 1 } },
];

for (const c of CASES) {
  test(`conv1d gradients, ${c.name}`, () => {
    const rng = new Rng(c.x.length * 37 + c.w[0]! + c.x[c.x.length - 1]!);
    const x = leaf(rng, c.x);
    const w = leaf(rng, c.w);
    const b = c.bias ? leaf(rng, [c.w[0]!]) : null;
    gradcheck(`conv1d ${c.name}`, {
      leaves: b === null ? [x, w] : [x, w, b],
      forward: () => F.conv1d(x, w, b, c.opts),
      reference: ([rx, rw, rb]) => refConv1d(rx!, rw!, rb ?? null, c.geo),
    });
  });
}

test('conv1d on a non-contiguous input (a transposed view)', () => {
  const rng = new Rng(9);
  const base = leaf(rng, [2, 6, 3]);
  const w = leaf(rng, [2, 3, 2]);
  gradcheck('conv1d of a transposed view', {
    leaves: [base, w],
    forward: () => F.conv1d(base.transpose(1, 2), w),
    reference: ([rx, rw]) => {
      const t = new Float64Array(rx!.data.length);
      for (let n = 0; n < 2; n++) for (let i = 0; i < 6; i++) for (let c = 0; c < 3; c++) t[(n * 3 + c) * 6 + i] = rx!.data[(n * 6 + i) * 3 + c]!;
      return refConv1d(new Ref(t, [2, 3, 6]), rw!, null, { stride: 1, pad: [0, 0], dil: 1, groups: 1 });
    },
  });
});
