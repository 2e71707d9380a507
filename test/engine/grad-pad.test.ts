// Finite-difference checks of F.pad in every mode against float64 references written here from the definitions:
// output index j along a padded dimension reads t = j - left of the input, mirrored at the edges (reflect), clamped
// (replicate), wrapped (circular) or the fill outside (constant) — independently of the kernels' index formulas.
import { test } from 'node:test';
import { F } from '../../src/index.js';
import { gradcheck, leaf, Rng } from './gradcheck.js';
import { Ref } from './ref.js';

type Mode = 'constant' | 'reflect' | 'replicate' | 'circular';

function source(mode: Mode, t: number, size: number): number {
  if (mode === 'constant') return t >= 0 && t < size ? t : -1;
  if (mode === 'replicate') return Math.min(Math.max(t, 0), size - 1);
  if (mode === 'circular') return ((t % size) + size) % size;
  while (t < 0 || t >= size) t = t < 0 ? -t : 2 * (size - 1) - t;
  return t;
}

function refPad(x: Ref, pad: readonly number[], mode: Mode, value: number): Ref {
  const n = x.shape.length;
  const k = pad.length / 2;
  const lr = (d: number): [number, number] => (n - 1 - d < k ? [pad[2 * (n - 1 - d)]!, pad[2 * (n - 1 - d) + 1]!] : [0, 0]);
  const outShape = x.shape.map((s, d) => s + lr(d)[0] + lr(d)[1]);
  const total = outShape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(total);
  for (let o = 0; o < total; o++) {
    let rest = o;
    let at = 0;
    let stride = 1;
    let inside = true;
    for (let d = n - 1; d >= 0; d--) {
      const j = rest % outShape[d]!;
      rest = Math.floor(rest / outShape[d]!);
      const i = source(mode, j - lr(d)[0], x.shape[d]!);
      if (i < 0) inside = false;
      at += i * stride;
      stride *= x.shape[d]!;
    }
    out[o] = inside ? x.data[at]! : value;
  }
  return new Ref(out, outShape);
}

const CASES: [Mode, number[], number[], number][] = [
  ['constant', [2, 3, 4], [1, 2], 0], ['constant', [2, 3, 4], [-1, 1, 2, -1], 0.5], ['constant', [3, 4], [1, 0, 0, 2], -2],
  ['constant', [2, 2, 3, 3], [1, 1, 1, 1, 1, 0], 0],
  ['reflect', [2, 3, 5], [2, 4], 0], ['reflect', [3, 5], [1, 3], 0], ['reflect', [1, 2, 4, 5], [3, 1, 2, 3], 0],
  ['reflect', [2, 4, 5], [-1, 2, 1, -2], 0],
  ['replicate', [2, 3, 3], [4, 2], 0], ['replicate', [3, 4], [0, 3], 0], ['replicate', [1, 2, 3, 4], [2, 1, 3, 2], 0],
  ['replicate', [2, 4, 5], [-2, 3, 2, -1], 0],
  ['circular', [2, 2, 5], [3, 2], 0], ['circular', [1, 2, 3, 4], [2, 4, 3, 1], 0],
];

test('F.pad gradients in every mode: batched, unbatched, crops, pads as wide as the input allows', () => {
  const rng = new Rng(56);
  for (const [mode, shape, pad, value] of CASES) {
    const x = leaf(rng, shape);
    gradcheck(`pad ${mode} ${JSON.stringify(pad)} on ${JSON.stringify(shape)}`, {
      leaves: [x],
      forward: () => F.pad(x, pad, mode === 'constant' ? { mode, value } : { mode }),
      reference: ([r]) => refPad(r!, pad, mode, value),
    });
  }
});
