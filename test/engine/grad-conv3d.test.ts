// Finite-difference checks of conv3d, convTranspose1d and convTranspose3d against float64 references written here
// from the definitions (a convolution gathers over its taps, a transposed one scatters each input element over the
// output), independently of the engine's patch tables.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F } from '../../src/index.js';
import { gradcheck, leaf, Rng } from './gradcheck.js';
import { Ref } from './ref.js';

type T3 = [number, number, number];
interface Geo { stride: T3; pad: T3; dil: T3; groups: number; outPad?: T3 }

const idx = (s: readonly number[], i: readonly number[]): number => i.reduce((a, v, d) => a * s[d]! + v, 0);

/** out[n, o, z, y, x] = b[o] + Σ w[o, c, a, i, j]·x[n, g·Cg + c, z·sd + a·dd − pd, y·sh + i·dh − ph, x·sw + j·dw − pw]. */
function refConv3d(x: Ref, w: Ref, b: Ref | null, g: Geo): Ref {
  const [N, , ...size] = x.shape as number[];
  const [O, Cg, ...k] = w.shape as number[];
  const out = size.map((n, d) => Math.floor((n + 2 * g.pad[d]! - g.dil[d]! * (k[d]! - 1) - 1) / g.stride[d]!) + 1) as T3;
  const Og = O! / g.groups;
  const res = new Float64Array(N! * O! * out[0] * out[1] * out[2]);
  for (let n = 0; n < N!; n++) for (let o = 0; o < O!; o++) for (let z = 0; z < out[0]; z++) for (let y = 0; y < out[1]; y++) for (let xo = 0; xo < out[2]; xo++) {
    let s = b === null ? 0 : b.data[o]!;
    const grp = Math.floor(o / Og);
    for (let c = 0; c < Cg!; c++) for (let a = 0; a < k[0]!; a++) for (let i = 0; i < k[1]!; i++) for (let j = 0; j < k[2]!; j++) {
      const at = [z, y, xo].map((p, d) => p * g.stride[d]! + [a, i, j][d]! * g.dil[d]! - g.pad[d]!);
      if (at.some((v, d) => v < 0 || v >= size[d]!)) continue;
      s += w.data[idx(w.shape, [o, c, a, i, j])]! * x.data[idx(x.shape, [n, grp * Cg! + c, ...at])]!;
    }
    res[idx([N!, O!, ...out], [n, o, z, y, xo])] = s;
  }
  return new Ref(res, [N!, O!, ...out]);
}

/** Each x[n, c, z, y, x]·w[c, o, a, i, j] added at out[n, g·Og + o, z·sd − pd + a·dd, …], plus b. */
function refConvTranspose3d(x: Ref, w: Ref, b: Ref | null, g: Geo): Ref {
  const [N, C, ...size] = x.shape as number[];
  const [, Og, ...k] = w.shape as number[];
  const O = Og! * g.groups;
  const Cg = C! / g.groups;
  const out = size.map((n, d) => (n - 1) * g.stride[d]! - 2 * g.pad[d]! + g.dil[d]! * (k[d]! - 1) + (g.outPad?.[d] ?? 0) + 1) as T3;
  const shape = [N!, O, ...out];
  const res = new Float64Array(N! * O * out[0] * out[1] * out[2]);
  if (b !== null) for (let n = 0; n < N!; n++) for (let o = 0; o < O; o++) res.fill(b.data[o]!, idx(shape, [n, o, 0, 0, 0]), idx(shape, [n, o + 1, 0, 0, 0]));
  for (let n = 0; n < N!; n++) for (let c = 0; c < C!; c++) for (let z = 0; z < size[0]!; z++) for (let y = 0; y < size[1]!; y++) for (let xi = 0; xi < size[2]!; xi++) {
    const v = x.data[idx(x.shape, [n, c, z, y, xi])]!;
    const grp = Math.floor(c / Cg);
    for (let o = 0; o < Og!; o++) for (let a = 0; a < k[0]!; a++) for (let i = 0; i < k[1]!; i++) for (let j = 0; j < k[2]!; j++) {
      const at = [z, y, xi].map((p, d) => p * g.stride[d]! - g.pad[d]! + [a, i, j][d]! * g.dil[d]!);
      if (at.some((q, d) => q < 0 || q >= out[d]!)) continue;
      res[idx(shape, [n, grp * Og! + o, ...at])]! += v * w.data[idx(w.shape, [c, o, a, i, j])]!;
    }
  }
  return new Ref(res, shape);
}

/** A 1-D Ref [N, C, L] (or a weight [A, B, k]) seen as a volume [N, C, 1, 1, L], and back. */
const asVolume = (r: Ref): Ref => new Ref(r.data, [r.shape[0]!, r.shape[1]!, 1, 1, r.shape[2]!]);
const asLine = (r: Ref): Ref => new Ref(r.data, [r.shape[0]!, r.shape[1]!, r.shape[4]!]);

const plain: Geo = { stride: [1, 1, 1], pad: [0, 0, 0], dil: [1, 1, 1], groups: 1 };

const CONV3D: { name: string; x: number[]; w: number[]; bias: boolean; opts: Record<string, unknown>; geo: Geo }[] = [
  { name: 'plain', x: [2, 2, 3, 4, 4], w: [3, 2, 2, 3, 2], bias: true, opts: {}, geo: plain },
  { name: 'stride (1, 2, 2), padding 1, no bias', x: [1, 2, 4, 5, 5], w: [2, 2, 3, 3, 3], bias: false, opts: { stride: [1, 2, 2], padding: 1 }, geo: { ...plain, stride: [1, 2, 2], pad: [1, 1, 1] } },
  { name: 'dilation (2, 1, 2), groups 2', x: [1, 4, 5, 4, 5], w: [2, 2, 2, 2, 2], bias: true, opts: { dilation: [2, 1, 2], groups: 2 }, geo: { ...plain, dil: [2, 1, 2], groups: 2 } },
];

for (const c of CONV3D) {
  test(`conv3d gradients, ${c.name}`, () => {
    const rng = new Rng(c.x.length * 37 + c.w[0]!);
    const x = leaf(rng, c.x);
    const w = leaf(rng, c.w);
    const b = c.bias ? leaf(rng, [c.w[0]!]) : null;
    gradcheck(`conv3d ${c.name}`, {
      leaves: b === null ? [x, w] : [x, w, b],
      forward: () => F.conv3d(x, w, b, c.opts),
      reference: ([rx, rw, rb]) => refConv3d(rx!, rw!, rb ?? null, c.geo),
    });
  });
}

const TRANSPOSED: { name: string; dims: 1 | 3; x: number[]; w: number[]; bias: boolean; opts: Record<string, unknown>; geo: Geo }[] = [
  { name: 'plain', dims: 3, x: [2, 2, 2, 3, 3], w: [2, 2, 2, 2, 3], bias: true, opts: {}, geo: plain },
  { name: 'stride 2, padding 1, output padding (1, 0, 1)', dims: 3, x: [1, 2, 2, 3, 3], w: [2, 3, 3, 3, 3], bias: false, opts: { stride: 2, padding: 1, outputPadding: [1, 0, 1] }, geo: { ...plain, stride: [2, 2, 2], pad: [1, 1, 1], outPad: [1, 0, 1] } },
  { name: 'dilation 2, groups 2', dims: 3, x: [1, 4, 2, 2, 3], w: [4, 1, 2, 2, 2], bias: true, opts: { dilation: 2, groups: 2 }, geo: { ...plain, dil: [2, 2, 2], groups: 2 } },
  { name: 'plain', dims: 1, x: [2, 3, 5], w: [3, 2, 3], bias: true, opts: {}, geo: plain },
  { name: 'stride 3, padding 1, output padding 2, groups 3', dims: 1, x: [2, 3, 4], w: [3, 2, 4], bias: true, opts: { stride: 3, padding: 1, outputPadding: 2, groups: 3 }, geo: { ...plain, stride: [1, 1, 3], pad: [0, 0, 1], outPad: [0, 0, 2], groups: 3 } },
];

for (const c of TRANSPOSED) {
  test(`convTranspose${c.dims}d gradients, ${c.name}`, () => {
    const rng = new Rng(c.x.length * 41 + c.w[1]!);
    const x = leaf(rng, c.x);
    const w = leaf(rng, c.w);
    const b = c.bias ? leaf(rng, [c.w[1]! * c.geo.groups]) : null;
    const run = c.dims === 1 ? F.convTranspose1d : F.convTranspose3d;
    gradcheck(`convTranspose${c.dims}d ${c.name}`, {
      leaves: b === null ? [x, w] : [x, w, b],
      forward: () => run(x, w, b, c.opts as never),
      reference: ([rx, rw, rb]) => (c.dims === 1
        ? asLine(refConvTranspose3d(asVolume(rx!), asVolume(rw!), rb ?? null, c.geo))
        : refConvTranspose3d(rx!, rw!, rb ?? null, c.geo)),
    });
  });
}

test('conv3d and the transposed convolutions refuse wrong shapes and options, naming them', () => {
  const rng = new Rng(5);
  const x = leaf(rng, [1, 2, 3, 3, 3]);
  const w = leaf(rng, [4, 2, 2, 2, 2]);
  assert.throws(() => F.conv3d(leaf(rng, [1, 2, 3, 3]).reshape([1, 2, 9]), w), /conv3d: input must be 5-D \[batch, channels, depth, height, width\] or 4-D \[channels, depth, height, width\], got \[1, 2, 9\]/);
  assert.throws(() => F.conv3d(x, leaf(rng, [4, 2, 2, 2])), /conv3d: weight must be 5-D \[outChannels, inChannels \/ groups, kernelDepth, kernelHeight, kernelWidth\], got \[4, 2, 2, 2\]/);
  assert.throws(() => F.conv3d(x, leaf(rng, [4, 3, 2, 2, 2])), /expected input \[1, 2, 3, 3, 3\] to have 3 channels, but got 2 channels instead/);
  assert.throws(() => F.conv3d(x, w, null, { padding: 'same', stride: 2 }), /padding 'same' is not supported for strided convolutions/);
  assert.throws(() => F.conv3d(x, w, null, { stride: [1, 2] as never }), /conv3d: stride must be an integer or three integers \[depth, height, width\], got/);
  assert.throws(() => F.conv3d(x, leaf(rng, [4, 2, 4, 2, 2])), /conv3d: the output would be 0×2×2 \(empty\) for an input of shape \[1, 2, 3, 3, 3\] with a 4×2×2 kernel/);
  // Options in the bias's place are PyTorch's F.conv3d(x, w, stride=2): no bias.
  assert.deepEqual(F.conv3d(x, w, { stride: 2 }).toArray(), F.conv3d(x, w, null, { stride: 2 }).toArray());
  assert.throws(() => F.convTranspose3d(x, leaf(rng, [2, 3, 2, 2, 2]), null, { stride: 2, outputPadding: 2 }), /convTranspose3d: outputPadding must be smaller than either the stride or the dilation, but got outputPadding \(2, 2, 2\), stride \(2, 2, 2\), dilation \(1, 1, 1\)/);
  assert.throws(() => F.convTranspose1d(leaf(rng, [2, 3, 0]).reshape([2, 3, 0]), leaf(rng, [3, 2, 2])), /convTranspose1d: the input \[2, 3, 0\] has no elements/);
  assert.throws(() => F.convTranspose1d(leaf(rng, [2, 3, 4]), leaf(rng, [3, 2, 2]), null, { padding: 'same' as never }), /'same' and 'valid' are for Conv1d only/);
  assert.throws(() => F.convTranspose3d(leaf(rng, [2, 3, 4]), leaf(rng, [3, 2, 2, 2, 2])), /convTranspose3d: input must be 5-D \[batch, channels, depth, height, width\] or 4-D \[channels, depth, height, width\], got \[2, 3, 4\]/);
});
