// Finite-difference checks of conv2d, maxPool2d and avgPool2d against float64 references written here, directly
// from the definitions (loops over every output and tap), independently of the engine's im2col.
import { test } from 'node:test';
import { F } from '../../src/index.js';
import { distinctLeaf, gradcheck, leaf, Rng } from './gradcheck.js';
import { Ref } from './ref.js';

interface Geo { stride: [number, number]; pad: [number, number, number, number]; dil: [number, number]; groups: number }

/** out[n, o, y, x] = b[o] + Σ w[o, c, i, j]·x[n, g·Cg + c, y·sh + i·dh − pt, x·sw + j·dw − pl]. */
function refConv(x: Ref, w: Ref, b: Ref | null, g: Geo): Ref {
  const [N, C, H, W] = x.shape as number[];
  const [O, Cg, kh, kw] = w.shape as number[];
  const Ho = Math.floor((H! + g.pad[0] + g.pad[1] - g.dil[0] * (kh! - 1) - 1) / g.stride[0]) + 1;
  const Wo = Math.floor((W! + g.pad[2] + g.pad[3] - g.dil[1] * (kw! - 1) - 1) / g.stride[1]) + 1;
  const Og = O! / g.groups;
  const out = new Float64Array(N! * O! * Ho * Wo);
  for (let n = 0; n < N!; n++) for (let o = 0; o < O!; o++) for (let y = 0; y < Ho; y++) for (let xo = 0; xo < Wo; xo++) {
    let s = b === null ? 0 : b.data[o]!;
    const grp = Math.floor(o / Og);
    for (let c = 0; c < Cg!; c++) for (let i = 0; i < kh!; i++) for (let j = 0; j < kw!; j++) {
      const iy = y * g.stride[0] + i * g.dil[0] - g.pad[0];
      const ix = xo * g.stride[1] + j * g.dil[1] - g.pad[2];
      if (iy < 0 || iy >= H! || ix < 0 || ix >= W!) continue;
      s += w.data[((o * Cg! + c) * kh! + i) * kw! + j]! * x.data[((n * C! + grp * Cg! + c) * H! + iy) * W! + ix]!;
    }
    out[((n * O! + o) * Ho + y) * Wo + xo] = s;
  }
  return new Ref(out, [N!, O!, Ho, Wo]);
}

/** Max or mean over each window of [N, C, H, W] (mean counting the padding's zeros, PyTorch's default). */
function refPool(x: Ref, k: number, s: number, p: number, kind: 'max' | 'avg'): Ref {
  const [N, C, H, W] = x.shape as number[];
  const Ho = Math.floor((H! + 2 * p - k) / s) + 1;
  const Wo = Math.floor((W! + 2 * p - k) / s) + 1;
  const out = new Float64Array(N! * C! * Ho * Wo);
  for (let plane = 0; plane < N! * C!; plane++) for (let y = 0; y < Ho; y++) for (let xo = 0; xo < Wo; xo++) {
    let best = -Infinity;
    let sum = 0;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
      const iy = y * s + i - p;
      const ix = xo * s + j - p;
      if (iy < 0 || iy >= H! || ix < 0 || ix >= W!) continue;
      const v = x.data[(plane * H! + iy) * W! + ix]!;
      best = Math.max(best, v);
      sum += v;
    }
    out[(plane * Ho + y) * Wo + xo] = kind === 'max' ? best : sum / (k * k);
  }
  return new Ref(out, [N!, C!, Ho, Wo]);
}

const CASES: { name: string; x: number[]; w: number[]; bias: boolean; opts: Record<string, unknown>; geo: Geo }[] = [
  { name: 'plain', x: [2, 3, 5, 6], w: [4, 3, 3, 3], bias: true, opts: {}, geo: { stride: [1, 1], pad: [0, 0, 0, 0], dil: [1, 1], groups: 1 } },
  { name: 'stride 2, padding 1, no bias', x: [1, 2, 7, 6], w: [3, 2, 3, 3], bias: false, opts: { stride: 2, padding: 1 }, geo: { stride: [2, 2], pad: [1, 1, 1, 1], dil: [1, 1], groups: 1 } },
  { name: 'rectangular kernel, stride (2, 1), padding (1, 0)', x: [2, 2, 6, 5], w: [2, 2, 3, 2], bias: true, opts: { stride: [2, 1], padding: [1, 0] }, geo: { stride: [2, 1], pad: [1, 1, 0, 0], dil: [1, 1], groups: 1 } },
  { name: 'dilation 2', x: [1, 2, 7, 7], w: [2, 2, 3, 3], bias: true, opts: { dilation: 2, padding: 1 }, geo: { stride: [1, 1], pad: [1, 1, 1, 1], dil: [2, 2], groups: 1 } },
  { name: 'groups 2', x: [2, 4, 5, 5], w: [6, 2, 3, 3], bias: true, opts: { groups: 2 }, geo: { stride: [1, 1], pad: [0, 0, 0, 0], dil: [1, 1], groups: 2 } },
  { name: "padding 'same' with an even kernel", x: [1, 2, 5, 6], w: [3, 2, 4, 2], bias: true, opts: { padding: 'same' }, geo: { stride: [1, 1], pad: [1, 2, 0, 1], dil: [1, 1], groups: 1 } },
];

for (const c of CASES) {
  test(`conv2d gradients, ${c.name}`, () => {
    const rng = new Rng(c.x.length * 31 + c.w[0]!);
    const x = leaf(rng, c.x);
    const w = leaf(rng, c.w);
    const b = c.bias ? leaf(rng, [c.w[0]!]) : null;
    gradcheck(`conv2d ${c.name}`, {
      leaves: b === null ? [x, w] : [x, w, b],
      forward: () => F.conv2d(x, w, b, c.opts),
      reference: ([rx, rw, rb]) => refConv(rx!, rw!, rb ?? null, c.geo),
    });
  });
}

test('conv2d on a non-contiguous input (a transposed view) and one unbatched sample', () => {
  const rng = new Rng(7);
  const base = leaf(rng, [1, 2, 6, 5]);
  const w = leaf(rng, [3, 2, 2, 2]);
  gradcheck('conv2d of a transposed view', {
    leaves: [base, w],
    forward: () => F.conv2d(base.transpose(2, 3), w),
    reference: ([rx, rw]) => {
      const t = new Float64Array(rx!.data.length);
      for (let c = 0; c < 2; c++) for (let i = 0; i < 6; i++) for (let j = 0; j < 5; j++) t[(c * 5 + j) * 6 + i] = rx!.data[(c * 6 + i) * 5 + j]!;
      return refConv(new Ref(t, [1, 2, 5, 6]), rw!, null, { stride: [1, 1], pad: [0, 0, 0, 0], dil: [1, 1], groups: 1 });
    },
  });
  const x3 = leaf(rng, [2, 5, 5]);
  gradcheck('conv2d of [C, H, W]', {
    leaves: [x3, w],
    forward: () => F.conv2d(x3, w, null, { padding: 1 }),
    reference: ([rx, rw]) => {
      const r = refConv(new Ref(rx!.data, [1, 2, 5, 5]), rw!, null, { stride: [1, 1], pad: [1, 1, 1, 1], dil: [1, 1], groups: 1 });
      return new Ref(r.data, r.shape.slice(1));
    },
  });
});

test('maxPool2d gradients (distinct values, so each window has one maximum)', () => {
  const rng = new Rng(11);
  for (const [k, s, p] of [[2, 2, 0], [3, 2, 1], [3, 1, 1]] as const) {
    const x = distinctLeaf(rng, [2, 2, 6, 7]);
    gradcheck(`maxPool2d(${k}, ${s}, ${p})`, { leaves: [x], forward: () => F.maxPool2d(x, k, { stride: s, padding: p }), reference: ([r]) => refPool(r!, k, s, p, 'max') });
  }
});

test('avgPool2d gradients', () => {
  const rng = new Rng(12);
  for (const [k, s, p] of [[2, 2, 0], [3, 2, 1], [3, 1, 1]] as const) {
    const x = leaf(rng, [2, 2, 6, 7]);
    gradcheck(`avgPool2d(${k}, ${s}, ${p})`, { leaves: [x], forward: () => F.avgPool2d(x, k, { stride: s, padding: p }), reference: ([r]) => refPool(r!, k, s, p, 'avg') });
  }
});
