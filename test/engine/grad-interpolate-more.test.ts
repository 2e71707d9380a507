// Finite-difference checks of F.interpolate's trilinear and bicubic modes against float64 references written here
// from the definitions: output o reads around (o + ½)·in/out − ½ (or o·(in − 1)/(out − 1) with alignCorners),
// trilinear between the two neighbours in each dimension (clamped at 0, the last repeated), bicubic over the four
// around it with Keys's cubic (A = −¾; edge pixels repeated) — independently of the kernels' float32 taps.
import { test } from 'node:test';
import { F } from '../../src/index.js';
import { gradcheck, leaf, Rng } from './gradcheck.js';
import { Ref } from './ref.js';

/** [index, weight] pairs each output index reads. */
type Taps = [number, number][][];

function source(o: number, inSize: number, outSize: number, alignCorners: boolean): number {
  return alignCorners ? (outSize > 1 ? (o * (inSize - 1)) / (outSize - 1) : 0) : (o + 0.5) * (inSize / outSize) - 0.5;
}

function linearTaps(inSize: number, outSize: number, alignCorners: boolean): Taps {
  return Array.from({ length: outSize }, (_, o) => {
    const src = Math.max(0, source(o, inSize, outSize, alignCorners));
    const i0 = Math.min(Math.floor(src), inSize - 1);
    const l = src - i0;
    return [[i0, 1 - l], [Math.min(i0 + 1, inSize - 1), l]];
  });
}

function keys(x: number): number {
  const a = -0.75;
  const t = Math.abs(x);
  if (t <= 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
  return t < 2 ? ((a * t - 5 * a) * t + 8 * a) * t - 4 * a : 0;
}

function cubicTaps(inSize: number, outSize: number, alignCorners: boolean): Taps {
  return Array.from({ length: outSize }, (_, o) => {
    const src = source(o, inSize, outSize, alignCorners);
    const i = Math.floor(src);
    return [-1, 0, 1, 2].map((j) => [Math.max(0, Math.min(i + j, inSize - 1)), keys(src - (i + j))] as [number, number]);
  });
}

/** x [N, C, ...in] resampled to [N, C, ...out] through each dimension's taps (separable). */
function refResample(x: Ref, out: number[], taps: Taps[]): Ref {
  const inS = x.shape.slice(2);
  const planes = x.shape[0]! * x.shape[1]!;
  const count = out.reduce((a, b) => a * b, 1);
  const inCount = inS.reduce((a, b) => a * b, 1);
  const y = new Float64Array(planes * count);
  for (let p = 0; p < planes; p++) {
    for (let k = 0; k < count; k++) {
      const pos = out.map((_, d) => Math.floor(k / out.slice(d + 1).reduce((a, b) => a * b, 1)) % out[d]!);
      // Every combination of one tap per dimension.
      let terms: [number, number][] = [[0, 1]];
      pos.forEach((o, d) => {
        terms = terms.flatMap(([at, w]) => taps[d]![o]!.map(([i, wi]) => [at * inS[d]! + i, w * wi] as [number, number]));
      });
      y[p * count + k] = terms.reduce((s, [at, w]) => s + w * x.data[p * inCount + at]!, 0);
    }
  }
  return new Ref(y, [...x.shape.slice(0, 2), ...out]);
}

const CASES: { shape: number[]; o: F.InterpolateOptions; out: number[] }[] = [
  { shape: [1, 2, 2, 3, 3], o: { size: [3, 5, 4], mode: 'trilinear' }, out: [3, 5, 4] },
  { shape: [1, 1, 3, 4, 3], o: { size: [2, 3, 5], mode: 'trilinear', alignCorners: true }, out: [2, 3, 5] },
  { shape: [2, 1, 3, 4], o: { size: [6, 7], mode: 'bicubic' }, out: [6, 7] },
  { shape: [1, 2, 5, 6], o: { size: [3, 4], mode: 'bicubic', alignCorners: true }, out: [3, 4] },
  { shape: [1, 1, 2, 3], o: { size: [5, 2], mode: 'bicubic' }, out: [5, 2] },
];

for (const c of CASES) {
  test(`interpolate ${JSON.stringify(c.o)} on ${JSON.stringify(c.shape)}: gradients match finite differences of the reference`, () => {
    const rng = new Rng(c.shape.reduce((a, b) => a * 7 + b, 3));
    const x = leaf(rng, c.shape);
    const ac = c.o.alignCorners === true;
    const inS = c.shape.slice(2);
    const taps = inS.map((n, d) => (c.o.mode === 'bicubic' ? cubicTaps(n, c.out[d]!, ac) : linearTaps(n, c.out[d]!, ac)));
    gradcheck(`interpolate ${c.o.mode}`, {
      leaves: [x],
      forward: () => F.interpolate(x, c.o),
      reference: ([r]) => refResample(r!, c.out, taps),
    });
  });
}
