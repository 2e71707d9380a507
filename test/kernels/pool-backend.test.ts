// F.maxPool2d and F.avgPool2d run on the wasm kernels (assembly/pool.ts) and must give the reference kernels' bits:
// max pooling's maxima, positions and gradients (overlapping windows, where gradients add up; padding, dilation, ceil
// mode, ties, NaN and ±∞), average pooling's sums, divisors and gradients; in one kernel call or split over several.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { F } from '../../src/index.js';
import * as wasmConv from '../../src/kernels/wasm/conv.js';
import type { AvgPool2dOptions, MaxPool2dOptions } from '../../src/ops/pool.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { assertSameBits, requireWasm, rng, values, withBackend } from './helpers.js';

const CASES: [string, number[], number | [number, number], MaxPool2dOptions][] = [
  ['2×2, the usual halving', [4, 3, 28, 28], 2, {}],
  ['3×3 stride 2 padding 1 (overlapping)', [2, 5, 13, 11], 3, { stride: 2, padding: 1 }],
  ['3×3 stride 1, dilation 2', [3, 2, 12, 12], 3, { stride: 1, dilation: 2 }],
  ['2×2 ceil mode on odd sizes', [2, 3, 9, 7], 2, { ceilMode: true }],
  ['2×2 ceil mode, even height and odd width (the four-window path and its last, partial window)', [2, 3, 8, 7], 2, { ceilMode: true }],
  ['2×2 on rows of 10 (four windows at once, then one)', [3, 2, 6, 10], 2, {}],
  ['3×3 windows, stride [1, 2], one unbatched sample', [4, 10, 9], 3, { stride: [1, 2], padding: [1, 0] }],
  ['[2, 1] windows, dilation [3, 1], padding [1, 0]: windows with no tap inside', [3, 2, 2, 5], [2, 1], { stride: 1, padding: [1, 0], dilation: [3, 1] }],
];

function run(backend: 'wasm' | 'ref', shape: number[], k: number | [number, number], options: MaxPool2dOptions, seed: number): Float32Array[] {
  return withBackend(backend, () => {
    const r = rng(seed);
    const n = shape.reduce((a, b) => a * b, 1);
    // Values on a coarse grid, so that windows hold ties; some NaN and ±∞.
    const v = values(r, n, { lo: -3, hi: 3, zeros: 0.3 }).map((x) => Math.round(x * 2) / 2);
    for (let i = 0; i < n; i += 97) v[i] = [Number.NaN, Infinity, -Infinity][i % 3]!;
    const x = new Tensor(v, shape, { requiresGrad: true });
    const y = F.maxPool2d(x, k, options as F.MaxPool2dOptions & { returnIndices?: false });
    y.backward(new Tensor(values(r, y.numel(), { lo: -1, hi: 1 }), y.shape));
    return [y.values().slice(), x.grad!.values().slice()];
  });
}

/**
 * Runs `check` twice: with the kernels' usual limit of bytes a call, then with `small`, so that the planes go over
 * several calls (`parts` says which run it is); restores the limit.
 */
function wholeAndInParts(small: number, check: (parts: string) => void): void {
  const limit = wasmConv.setCallBytesLimit(1 << 27);
  try {
    check('');
    wasmConv.setCallBytesLimit(small);
    check(', in parts');
  } finally {
    wasmConv.setCallBytesLimit(limit);
  }
}

test('F.maxPool2d on wasm gives the reference maxima and gradients: overlaps, padding, dilation, ceil mode, ties, NaN and ∞', () => {
  requireWasm();
  wholeAndInParts(3000, (parts) => {
    CASES.forEach(([name, shape, k, options], i) => {
      const [y, g] = run('wasm', shape, k, options, 7 + i);
      const [refY, refG] = run('ref', shape, k, options, 7 + i);
      assertSameBits(y!, refY!, `${name}${parts}: output`);
      assertSameBits(g!, refG!, `${name}${parts}: input gradient`);
    });
  });
});

test('a max-pooling window with no tap inside the input gives −∞ and sends its gradient nowhere, on both backends', () => {
  for (const backend of ['wasm', 'ref'] as const) {
    if (backend === 'wasm') requireWasm();
    withBackend(backend, () => {
      // Height 2, windows of two rows 3 apart from row −1: rows −1 and 2, both outside (PyTorch accepts this geometry).
      const step = (): Tensor => {
        const x = new Tensor(new Float32Array(64 * 2 * 16).fill(1), [64, 2, 16], { requiresGrad: true });
        const y = F.maxPool2d(x, [2, 1], { stride: 1, padding: [1, 0], dilation: [3, 1] });
        assert.deepEqual(y.shape, [64, 1, 16]);
        assert.ok(Array.from(y.values()).every((v) => v === -Infinity), `${backend}: every output is −∞`);
        y.backward(new Tensor(new Float32Array(y.numel()).fill(5), y.shape));
        return x;
      };
      const first = step();
      const before = first.grad!.values().slice();
      assert.ok(before.every((v) => v === 0), `${backend}: no input element receives a gradient`);
      step();
      assertSameBits(first.grad!.values(), before, `${backend}: an earlier tensor's gradient after a second call`);
    });
  }
});

const AVG_CASES: [string, number[], number | [number, number], AvgPool2dOptions][] = [
  ['2×2', [4, 3, 14, 14], 2, {}],
  ['3×3 stride 2 padding 1, counting the padding', [2, 5, 13, 11], 3, { stride: 2, padding: 1 }],
  ['3×3 stride 2 padding 1, not counting it, ceil mode', [2, 5, 13, 11], 3, { stride: 2, padding: 1, countIncludePad: false, ceilMode: true }],
  ['[3, 2] windows, stride 1, divisor 5, one unbatched sample', [3, 7, 6], [3, 2], { stride: 1, divisorOverride: 5 }],
];

test('F.avgPool2d on wasm gives the reference bits, forward and backward, whole and in parts', () => {
  requireWasm();
  wholeAndInParts(2000, (parts) => {
    AVG_CASES.forEach(([name, shape, k, options], i) => {
      const out = (['wasm', 'ref'] as const).map((backend) => withBackend(backend, () => {
        const r = rng(30 + i);
        const x = new Tensor(values(r, shape.reduce((a, b) => a * b, 1), { lo: -3, hi: 3, zeros: 0.2 }), shape, { requiresGrad: true });
        const p = F.avgPool2d(x, k, options);
        p.backward(new Tensor(values(r, p.numel()), p.shape));
        return [p.values().slice(), x.grad!.values().slice()];
      }));
      assertSameBits(out[0]![0]!, out[1]![0]!, `${name}${parts}: output`);
      assertSameBits(out[0]![1]!, out[1]![1]!, `${name}${parts}: input gradient`);
    });
  });
});
