// Finite-difference checks of F.interpolate against float64 references written here from the definitions: output o
// reads input position (o + ½)·in/out − ½ (clamped at 0; with a kept scale factor, (o + ½)/scale − ½), or
// o·(in − 1)/(out − 1) with alignCorners, interpolated linearly between its two neighbours (the last one repeated at
// the edge); nearest reads ⌊o·in/out⌋ (⌊o/scale⌋) — independently of the kernels' float32 arithmetic.
import { test } from 'node:test';
import { F } from '../../src/index.js';
import { gradcheck, leaf, Rng } from './gradcheck.js';
import { Ref } from './ref.js';

type Taps = [number, number, number, number][]; // i0, i1, w0, w1 per output index

function taps(inSize: number, outSize: number, mode: 'nearest' | 'linear', alignCorners: boolean, scale: number | undefined): Taps {
  const res: Taps = [];
  for (let o = 0; o < outSize; o++) {
    if (mode === 'nearest') {
      const i = Math.min(Math.floor(o * (scale !== undefined ? 1 / scale : inSize / outSize)), inSize - 1);
      res.push([i, i, 1, 0]);
      continue;
    }
    const src = alignCorners ? (outSize > 1 ? (o * (inSize - 1)) / (outSize - 1) : 0)
      : Math.max(0, (o + 0.5) * (scale !== undefined ? 1 / scale : inSize / outSize) - 0.5);
    const i0 = Math.min(Math.floor(src), inSize - 1);
    const i1 = Math.min(i0 + 1, inSize - 1);
    const l = src - i0;
    res.push([i0, i1, 1 - l, l]);
  }
  return res;
}

function refInterp(x: Ref, out: number[], mode: 'nearest' | 'linear', alignCorners: boolean, scales: (number | undefined)[]): Ref {
  const two = x.shape.length === 4;
  const [N, C] = [x.shape[0]!, x.shape[1]!];
  const inH = two ? x.shape[2]! : 1;
  const inW = x.shape[x.shape.length - 1]!;
  const outH = two ? out[0]! : 1;
  const outW = out[out.length - 1]!;
  const th = two ? taps(inH, outH, mode, alignCorners, scales[0]) : [[0, 0, 1, 0]] as Taps;
  const tw = taps(inW, outW, mode, alignCorners, scales[scales.length - 1]);
  const y = new Float64Array(N * C * outH * outW);
  for (let p = 0; p < N * C; p++) for (let oh = 0; oh < outH; oh++) for (let ow = 0; ow < outW; ow++) {
    const [h0, h1, a0, a1] = th[oh]!;
    const [w0, w1, b0, b1] = tw[ow]!;
    const at = (h: number, w: number): number => x.data[(p * inH + h) * inW + w]!;
    y[(p * outH + oh) * outW + ow] = a0 * (b0 * at(h0, w0) + b1 * at(h0, w1)) + a1 * (b0 * at(h1, w0) + b1 * at(h1, w1));
  }
  return new Ref(y, [N, C, ...out]);
}

const CASES: { shape: number[]; o: F.InterpolateOptions; out: number[] }[] = [
  { shape: [2, 2, 5], o: { size: 8, mode: 'linear' }, out: [8] },
  { shape: [1, 3, 7], o: { size: 3, mode: 'linear', alignCorners: true }, out: [3] },
  { shape: [1, 2, 6], o: { scaleFactor: 1.5, mode: 'linear' }, out: [9] },
  { shape: [1, 2, 3, 4], o: { size: [5, 7], mode: 'bilinear' }, out: [5, 7] },
  { shape: [2, 1, 6, 5], o: { size: [4, 3], mode: 'bilinear', alignCorners: true }, out: [4, 3] },
  { shape: [1, 2, 4, 4], o: { scaleFactor: [1.5, 0.75], mode: 'bilinear' }, out: [6, 3] },
  { shape: [1, 2, 5], o: { size: 7 }, out: [7] },
  { shape: [1, 2, 3, 4], o: { scaleFactor: 2 }, out: [6, 8] },
  { shape: [1, 1, 7, 6], o: { size: [3, 4] }, out: [3, 4] },
];

test('F.interpolate gradients: linear and bilinear with alignCorners both ways, scale factors, nearest', () => {
  const rng = new Rng(57);
  for (const { shape, o, out } of CASES) {
    const x = leaf(rng, shape);
    const sf = o.scaleFactor;
    const scales = (sf === undefined || sf === null) ? out.map(() => undefined) : Array.isArray(sf) ? [...sf] : out.map(() => sf as number);
    gradcheck(`interpolate ${JSON.stringify(o)} on ${JSON.stringify(shape)}`, {
      leaves: [x],
      forward: () => F.interpolate(x, o),
      reference: ([r]) => refInterp(r!, out, o.mode === undefined ? 'nearest' : 'linear', o.alignCorners === true, scales),
    });
  }
});
