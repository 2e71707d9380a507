// F.maxPool2d runs on the wasm kernels (assembly/pool.ts) and must give the reference kernels' maxima, positions and
// gradients: overlapping windows (where gradients add up), padding, dilation, ceil mode, ties, NaN and ±∞.
import { test } from 'node:test';
import { F } from '../../src/index.js';
import type { MaxPool2dOptions } from '../../src/ops/pool.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { assertSameBits, requireWasm, rng, values, withBackend } from './helpers.js';

const CASES: [string, number[], number, MaxPool2dOptions][] = [
  ['2×2, the usual halving', [4, 3, 28, 28], 2, {}],
  ['3×3 stride 2 padding 1 (overlapping)', [2, 5, 13, 11], 3, { stride: 2, padding: 1 }],
  ['3×3 stride 1, dilation 2', [3, 2, 12, 12], 3, { stride: 1, dilation: 2 }],
  ['2×2 ceil mode on odd sizes', [2, 3, 9, 7], 2, { ceilMode: true }],
  ['[3, 2] windows, stride [1, 2], one unbatched sample', [4, 10, 9], 3, { stride: [1, 2], padding: [1, 0] }],
];

function run(backend: 'wasm' | 'ref', shape: number[], k: number, options: MaxPool2dOptions, seed: number): Float32Array[] {
  return withBackend(backend, () => {
    const r = rng(seed);
    const n = shape.reduce((a, b) => a * b, 1);
    // Values on a coarse grid, so that windows hold ties; some NaN and ±∞.
    const v = values(r, n, { lo: -3, hi: 3, zeros: 0.3 }).map((x) => Math.round(x * 2) / 2);
    for (let i = 0; i < n; i += 97) v[i] = [Number.NaN, Infinity, -Infinity][i % 3]!;
    const x = new Tensor(v, shape, { requiresGrad: true });
    const y = F.maxPool2d(x, k, options);
    y.backward(new Tensor(values(r, y.numel(), { lo: -1, hi: 1 }), y.shape));
    return [y.values().slice(), x.grad!.values().slice()];
  });
}

test('F.maxPool2d on wasm gives the reference maxima and gradients: overlaps, padding, dilation, ceil mode, ties, NaN and ∞', () => {
  requireWasm();
  CASES.forEach(([name, shape, k, options], i) => {
    const [y, g] = run('wasm', shape, k, options, 7 + i);
    const [refY, refG] = run('ref', shape, k, options, 7 + i);
    assertSameBits(y!, refY!, `${name}: output`);
    assertSameBits(g!, refG!, `${name}: input gradient`);
  });
});
