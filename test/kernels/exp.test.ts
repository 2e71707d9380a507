// The wasm e^x kernel against the reference loop (Math.exp rounded to float32): the same bits over every SIMD tail
// width, on values of many scales, across the ends of float32's range (overflow to ∞, subnormal results, underflow
// to 0), NaN and ±∞, and on every float32 of stretches of consecutive values, where results near a rounding boundary
// are handed back. scripts/check-unary.mjs exp compares it on all 2^32 float32 inputs (about a minute; not part of
// the tests): none differs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activeWasm } from '../../src/kernels/backend.js';
import * as ref from '../../src/kernels/ref/elementwise.js';
import { exp } from '../../src/kernels/wasm/exp.js';
import { Tensor } from '../../src/index.js';
import { assertSameBits, requireWasm, rng, SIZES, values, withBackend } from './helpers.js';

function forward(name: 'ref' | 'wasm', x: Float32Array): Float32Array {
  const out = new Float32Array(x.length).fill(Number.NaN);
  if (name === 'ref') ref.unary('exp', x, out);
  else assert.ok(exp(activeWasm()!, x, out));
  return out;
}

test('exp kernel: wasm gives the reference bits on every tail width and on values of many scales', () => {
  requireWasm();
  for (const n of [...SIZES, 18, 19, 22, 23, 26, 27]) {
    for (const scale of [1e-6, 0.01, 1, 10, 88, 110]) {
      const x = values(rng(n * 31 + scale), n, { lo: -scale, hi: scale, zeros: 0.1 });
      assertSameBits(forward('wasm', x), forward('ref', x), `n ${n}, scale ${scale}`);
    }
  }
});

test('exp kernel: the ends of float32\'s range, non-finite values and signed zeros give the reference bits', () => {
  requireWasm();
  const xs = [0, -0, 1e-45, -1e-45, 88.7, 88.72283, 88.72284, 88.7229, 89, 89.5, 104, 1e30, 3.4e38, Infinity, Number.NaN, -Number.NaN];
  xs.push(-87.3, -87.33654, -87.34, -100, -103.27893, -103.972, -103.97208, -103.98, -104, -104.5, -1e30, -Infinity);
  for (let e = -30; e <= 6; e++) for (const k of [1, 3, 5, 7]) xs.push(k * 2 ** e, -k * 2 ** e);
  const x = Float32Array.from(xs);
  const got = forward('wasm', x);
  assertSameBits(got, forward('ref', x), 'edges');
  // The reference itself: ∞ above ln(FLT_MAX), subnormals below ln(FLT_MIN), +0 below half the smallest subnormal.
  assert.equal(got[xs.indexOf(89)], Infinity);
  assert.ok(got[xs.indexOf(-100)]! > 0 && got[xs.indexOf(-100)]! < 1.1754943508222875e-38);
  assert.ok(Object.is(got[xs.indexOf(-104.5)], 0));
});

test('exp kernel: every float32 in four stretches of 2^17 consecutive values gives the reference bits', () => {
  requireWasm();
  const bits = new Uint32Array(1 << 17);
  const x = new Float32Array(bits.buffer);
  for (const start of [0.3, -2.9, 17.5, -95]) {
    const first = new Uint32Array(Float32Array.of(start).buffer)[0]!;
    for (let i = 0; i < bits.length; i++) bits[i] = first + i;
    assertSameBits(forward('wasm', x), forward('ref', x), `2^17 values from ${start}`);
  }
});

test('Tensor.exp runs on the kernel with the reference backend\'s bits, in place of its input too', () => {
  const x = values(rng(77), 5003, { lo: -20, hi: 20 });
  const run = (): Float32Array => new Tensor(x.slice(), [5003]).exp().toArray();
  assertSameBits(withBackend('wasm', run), withBackend('ref', run), 'Tensor.exp');
  requireWasm();
  const same = x.slice();
  assert.ok(exp(activeWasm()!, same, same));
  assertSameBits(same, forward('ref', x), 'out = x');
});
