// Finite-difference checks of maxPool1d, avgPool1d, adaptiveAvgPool1d and adaptiveMaxPool1d against float64
// references written here from the definitions (loops over every window), independently of the 2-D kernels.
import { test } from 'node:test';
import { F } from '../../src/index.js';
import { distinctLeaf, gradcheck, leaf, Rng } from './gradcheck.js';
import { Ref } from './ref.js';

interface Win { k: number; s: number; p: number; d: number; ceil: boolean; includePad: boolean }

/** PyTorch's pooling output length (ceil mode dropping a window that would start in the right padding). */
function outLen(L: number, w: Win): number {
  const span = L + 2 * w.p - w.d * (w.k - 1) - 1;
  let n = (w.ceil ? Math.ceil(span / w.s) : Math.floor(span / w.s)) + 1;
  if (w.ceil && (n - 1) * w.s >= L + w.p) n--;
  return n;
}

/** Max or mean over each window of the last dimension of x (mean: over the window within input and padding, or the input only). */
function refPool1d(x: Ref, w: Win, kind: 'max' | 'avg'): Ref {
  const L = x.shape[x.shape.length - 1]!;
  const planes = x.data.length / L;
  const Lo = outLen(L, w);
  const out = new Float64Array(planes * Lo);
  for (let p = 0; p < planes; p++) for (let o = 0; o < Lo; o++) {
    let best = -Infinity;
    let sum = 0;
    let inside = 0;
    for (let j = 0; j < w.k; j++) {
      const i = o * w.s + j * w.d - w.p;
      if (i < 0 || i >= L) continue;
      best = Math.max(best, x.data[p * L + i]!);
      sum += x.data[p * L + i]!;
      inside++;
    }
    const start = o * w.s - w.p;
    const padded = Math.min(start + w.k, L + w.p) - start;
    out[p * Lo + o] = kind === 'max' ? best : sum / (w.includePad ? padded : inside);
  }
  return new Ref(out, [...x.shape.slice(0, -1), Lo]);
}

/** Adaptive pooling: output i over inputs ⌊i·L/Lo⌋ to ⌈(i+1)·L/Lo⌉. */
function refAdaptive1d(x: Ref, Lo: number, kind: 'max' | 'avg'): Ref {
  const L = x.shape[x.shape.length - 1]!;
  const planes = x.data.length / L;
  const out = new Float64Array(planes * Lo);
  for (let p = 0; p < planes; p++) for (let o = 0; o < Lo; o++) {
    const i0 = Math.floor((o * L) / Lo);
    const i1 = Math.ceil(((o + 1) * L) / Lo);
    let best = -Infinity;
    let sum = 0;
    for (let i = i0; i < i1; i++) {
      best = Math.max(best, x.data[p * L + i]!);
      sum += x.data[p * L + i]!;
    }
    out[p * Lo + o] = kind === 'max' ? best : sum / (i1 - i0);
  }
  return new Ref(out, [...x.shape.slice(0, -1), Lo]);
}

const WINDOWS: Win[] = [
  { k: 2, s: 2, p: 0, d: 1, ceil: false, includePad: true },
  { k: 3, s: 2, p: 1, d: 1, ceil: false, includePad: true },
  { k: 3, s: 4, p: 0, d: 1, ceil: false, includePad: true },
  { k: 3, s: 2, p: 1, d: 1, ceil: true, includePad: false },
  { k: 4, s: 3, p: 2, d: 1, ceil: true, includePad: true },
];

test('maxPool1d gradients (distinct values, so each window has one maximum), with dilation and ceil mode', () => {
  const rng = new Rng(21);
  for (const w of [...WINDOWS, { k: 3, s: 2, p: 1, d: 2, ceil: true, includePad: true }]) {
    for (const shape of [[2, 3, 11], [3, 10]]) {
      const x = distinctLeaf(rng, shape);
      gradcheck(`maxPool1d ${JSON.stringify(w)} on ${JSON.stringify(shape)}`, {
        leaves: [x], forward: () => F.maxPool1d(x, w.k, w.s, { padding: w.p, dilation: w.d, ceilMode: w.ceil }), reference: ([r]) => refPool1d(r!, w, 'max'),
      });
    }
  }
});

test('avgPool1d gradients, with and without the padding counted, and ceil mode', () => {
  const rng = new Rng(22);
  for (const w of WINDOWS) {
    for (const shape of [[2, 3, 11], [3, 10]]) {
      const x = leaf(rng, shape);
      gradcheck(`avgPool1d ${JSON.stringify(w)} on ${JSON.stringify(shape)}`, {
        leaves: [x], forward: () => F.avgPool1d(x, w.k, w.s, { padding: w.p, ceilMode: w.ceil, countIncludePad: w.includePad }), reference: ([r]) => refPool1d(r!, w, 'avg'),
      });
    }
  }
});

test('adaptiveAvgPool1d and adaptiveMaxPool1d gradients, sizes that divide the input, that do not, and larger ones', () => {
  const rng = new Rng(23);
  for (const Lo of [1, 3, 4, 5, 13]) {
    for (const shape of [[2, 2, 12], [3, 7]]) {
      const x = leaf(rng, shape);
      gradcheck(`adaptiveAvgPool1d(${Lo}) on ${JSON.stringify(shape)}`, { leaves: [x], forward: () => F.adaptiveAvgPool1d(x, Lo), reference: ([r]) => refAdaptive1d(r!, Lo, 'avg') });
      const y = distinctLeaf(rng, shape);
      gradcheck(`adaptiveMaxPool1d(${Lo}) on ${JSON.stringify(shape)}`, { leaves: [y], forward: () => F.adaptiveMaxPool1d(y, Lo), reference: ([r]) => refAdaptive1d(r!, Lo, 'max') });
    }
  }
});
