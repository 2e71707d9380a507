// The sigmoid's backward kernel against PyTorch 1.13's sigmoid_backward, bit for bit (fixtures/torch/
// sigmoid-backward.json, written by make_sigmoid_backward.py): (g·(1 − y))·y, left to right, through both kernel
// sets (the wasm one with its SIMD lanes and scalar tail, and the reference loops).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unaryBackward } from '../../src/kernels/elementwise.js';
import { assertSameBits, withBackend } from '../kernels/helpers.js';
import { loadFixture } from './golden-helpers.js';

interface T { shape: number[]; data: number[] }
const fx = loadFixture<{ y: T; g: T; grad: T }>('sigmoid-backward.json');
const y = Float32Array.from(fx.y.data);
const g = Float32Array.from(fx.g.data);
const want = Float32Array.from(fx.grad.data);

for (const backend of ['wasm', 'ref'] as const) {
  test(`sigmoid backward (${backend} kernels): PyTorch's bits for ${y.length} outputs and gradients`, () => {
    withBackend(backend, () => {
      const out = new Float32Array(y.length);
      unaryBackward('sigmoid', y, y, g, out);
      assertSameBits(out, want, 'dx');
    });
  });
}

test('sigmoid backward: the fixture tells the orders apart (g·((1 − y)·y) misses PyTorch\'s bits somewhere)', () => {
  const f = Math.fround;
  const other = Float32Array.from(g, (gi, i) => f(gi * f(f(1 - y[i]!) * y[i]!)));
  assert.ok(other.some((v, i) => v !== want[i]));
});
