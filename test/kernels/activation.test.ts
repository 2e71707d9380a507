// The wasm ReLU and LeakyReLU kernels against the reference loops: the same bits forward and backward over every
// SIMD tail width, for signed zeros, NaN, ±∞, subnormals and values of many scales, with slopes of both signs and
// beyond 1; in place (out = x) too; and a partly overlapping output is left to the reference loop.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activeWasm } from '../../src/kernels/backend.js';
import * as ref from '../../src/kernels/ref/elementwise.js';
import * as act from '../../src/kernels/wasm/activation.js';
import { assertSameBits, awkward, requireWasm, resident, SIZES, withBackend } from './helpers.js';

/** n values mixing random ones of several scales with the special values. */
function inputs(n: number, seed: number): Float32Array {
  return awkward(n, seed, 2);
}

const SLOPES = [0.01, 0.02, 0.2, 0, 1, -0.5, 3, 1e-40];

function fresh(n: number): Float32Array {
  return new Float32Array(n).fill(Number.NaN);
}

test('relu and leakyRelu kernels: wasm gives the reference bits forward and backward at every tail width', () => {
  requireWasm();
  const w = activeWasm()!;
  for (const n of [...SIZES, 200, 12800]) {
    const x = inputs(n, n * 3 + 1);
    const g = inputs(n, n * 3 + 2);
    const y = fresh(n);
    ref.unary('relu', x, y);
    const pairs: [string, Float32Array, Float32Array][] = [];
    {
      const a = fresh(n);
      assert.ok(act.relu(w, x, a));
      pairs.push(['relu', a, y]);
      const b = fresh(n);
      const want = fresh(n);
      ref.unaryBackward('relu', x, y, g, want);
      assert.ok(act.reluBackward(w, y, g, b));
      pairs.push(['relu backward', b, want]);
    }
    for (const slope of SLOPES) {
      const a = fresh(n);
      const want = fresh(n);
      ref.leakyRelu(x, slope, want);
      assert.ok(act.leakyRelu(w, x, slope, a));
      pairs.push([`leakyRelu ${slope}`, a, want]);
      const b = fresh(n);
      const wantB = fresh(n);
      ref.leakyReluBackward(x, slope, g, wantB);
      assert.ok(act.leakyReluBackward(w, x, slope, g, b));
      pairs.push([`leakyRelu backward ${slope}`, b, wantB]);
    }
    for (const [label, got, want] of pairs) assertSameBits(got, want, `${label}, n ${n}`);
  }
});

test('relu and leakyRelu kernels: zeros keep their sign (PyTorch\'s relu is clamp_min: −0 stays −0), and NaN passes', () => {
  requireWasm();
  const w = activeWasm()!;
  // Four lanes of a vector, then three values of the scalar tail.
  const x = Float32Array.from([-0, 0, Number.NaN, -3, -0, 2, Number.NaN]);
  const out = fresh(x.length);
  assert.ok(act.leakyRelu(w, x, 0.5, out));
  assert.ok(Object.is(out[0], -0) && Object.is(out[1], 0) && Number.isNaN(out[2]!) && out[3] === -1.5);
  assert.ok(Object.is(out[4], -0) && out[5] === 2 && Number.isNaN(out[6]!), 'leakyRelu, the scalar tail');
  assert.ok(act.relu(w, x, out));
  assert.ok(Object.is(out[0], -0) && Object.is(out[1], 0) && Number.isNaN(out[2]!) && Object.is(out[3], 0));
  assert.ok(Object.is(out[4], -0) && out[5] === 2 && Number.isNaN(out[6]!), 'relu, the scalar tail');
});

test('relu and leakyRelu kernels: in place on resident and ordinary arrays; a partly overlapping output goes to the reference loop', () => {
  requireWasm();
  const w = activeWasm()!;
  for (const n of [7, 64, 203]) {
    const x0 = inputs(n, n + 99);
    const want = fresh(n);
    ref.leakyRelu(x0, 0.02, want);
    for (const x of [x0.slice(), withBackend('wasm', () => resident(x0))]) {
      assert.ok(act.leakyRelu(w, x, 0.02, x));
      assertSameBits(x, want, `leakyRelu in place, n ${n}`);
    }
    const wantR = fresh(n);
    ref.unary('relu', x0, wantR);
    const xr = x0.slice();
    assert.ok(act.relu(w, xr, xr));
    assertSameBits(xr, wantR, `relu in place, n ${n}`);
  }
  const buf = new Float32Array(40);
  assert.equal(act.leakyRelu(w, buf.subarray(0, 32), 0.1, buf.subarray(4, 36)), false);
  assert.equal(act.relu(w, buf.subarray(4, 36), buf.subarray(0, 32)), false);
});
