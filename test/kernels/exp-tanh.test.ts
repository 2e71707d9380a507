// The wasm e^x and tanh kernels against the reference loops (Math.exp and Math.tanh, rounded to float32): the same
// bits over every SIMD tail width, on values of many scales, at the ends of each function's range (overflow to ∞,
// subnormal results, underflow to 0; tanh reaching ±1, tiny and subnormal x), NaN, ±∞ and signed zeros, and on every
// float32 of stretches of consecutive values, where results near a rounding boundary are handed back.
// `node scripts/check-unary.mjs exp` (or `tanh`) compares a kernel on all 2^32 float32 inputs (about a minute; not
// part of the tests): none differs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activeWasm } from '../../src/kernels/backend.js';
import * as ref from '../../src/kernels/ref/elementwise.js';
import { exp, tanh } from '../../src/kernels/wasm/exp.js';
import { Tensor } from '../../src/index.js';
import { assertSameBits, requireWasm, rng, SIZES, values, withBackend } from './helpers.js';

const KERNELS = { exp, tanh };
type Op = keyof typeof KERNELS;

function forward(op: Op, name: 'ref' | 'wasm', x: Float32Array): Float32Array {
  const out = new Float32Array(x.length).fill(Number.NaN);
  if (name === 'ref') ref.unary(op, x, out);
  else assert.ok(KERNELS[op](activeWasm()!, x, out));
  return out;
}

/** Powers of two and small multiples of them, both signs, from 2^lo to 2^hi. */
function ladder(lo: number, hi: number): number[] {
  const xs: number[] = [];
  for (let e = lo; e <= hi; e++) for (const k of [1, 3, 5, 7]) xs.push(k * 2 ** e, -k * 2 ** e);
  return xs;
}

const EDGES: Record<Op, number[]> = {
  exp: [
    88.7, 88.72283, 88.72284, 88.7229, 89, 89.5, 104, 1e30, 3.4e38, -87.3, -87.33654, -87.34, -100, -103.27893,
    -103.972, -103.97208, -103.98, -104, -104.5, -1e30, ...ladder(-30, 6),
  ],
  tanh: [9, 9.01, 9.0109, 9.1, 19.9, 20, 20.1, 22, 1e30, 3.4e38, 1e-38, 1e-39, 1e-44, 0.346, 0.3466, 0.5, 0.55, ...ladder(-40, 5)],
};

for (const op of ['exp', 'tanh'] as const) {
  test(`${op} kernel: wasm gives the reference bits on every tail width and on values of many scales`, () => {
    requireWasm();
    for (const n of [...SIZES, 18, 19, 22, 23, 26, 27]) {
      for (const scale of [1e-6, 0.01, 0.3, 1, 10, 88, 110]) {
        const x = values(rng(n * 31 + scale), n, { lo: -scale, hi: scale, zeros: 0.1 });
        assertSameBits(forward(op, 'wasm', x), forward(op, 'ref', x), `${op}: n ${n}, scale ${scale}`);
      }
    }
  });

  test(`${op} kernel: the ends of its range, non-finite values and signed zeros give the reference bits`, () => {
    requireWasm();
    const xs = [0, -0, 1e-45, -1e-45, Infinity, -Infinity, Number.NaN, ...EDGES[op]];
    for (const x of [...EDGES[op]]) xs.push(-x);
    const x = Float32Array.from(xs);
    assertSameBits(forward(op, 'wasm', x), forward(op, 'ref', x), `${op}: edges`);
  });

  test(`${op} kernel: every float32 in four stretches of 2^17 consecutive values gives the reference bits`, () => {
    // Random draws rarely land near a float32 rounding boundary; every value of a stretch does, about once in 50,000
    // per 2^-40 of error in the kernel's float64 result. (A polynomial one degree short gets some of these wrong.)
    requireWasm();
    const bits = new Uint32Array(1 << 17);
    const x = new Float32Array(bits.buffer);
    for (const start of op === 'exp' ? [0.3, -2.9, 17.5, -95] : [0.004, 0.3, -0.9, 6]) {
      const first = new Uint32Array(Float32Array.of(start).buffer)[0]!;
      for (let i = 0; i < bits.length; i++) bits[i] = first + i;
      assertSameBits(forward(op, 'wasm', x), forward(op, 'ref', x), `${op}: 2^17 values from ${start}`);
    }
  });

  test(`Tensor.${op} runs on the kernel with the reference backend's bits, in place of its input too`, () => {
    const x = values(rng(77), 5003, { lo: -20, hi: 20 });
    const run = (): Float32Array => new Tensor(x.slice(), [5003])[op]().toArray();
    assertSameBits(withBackend('wasm', run), withBackend('ref', run), `Tensor.${op}`);
    requireWasm();
    const same = x.slice();
    assert.ok(KERNELS[op](activeWasm()!, same, same));
    assertSameBits(same, forward(op, 'ref', x), 'out = x');
  });
}

test('the references themselves: e^x overflows to ∞, gives subnormals and then +0; tanh reaches ±1 and keeps −0', () => {
  const e = forward('exp', 'ref', Float32Array.from([89, -100, -104.5]));
  assert.equal(e[0], Infinity);
  assert.ok(e[1]! > 0 && e[1]! < 1.1754943508222875e-38);
  assert.ok(Object.is(e[2], 0));
  const t = forward('tanh', 'ref', Float32Array.from([9.1, -20, -0, 1e-40]));
  assert.deepEqual([t[0], t[1]], [1, -1]);
  assert.ok(Object.is(t[2], -0));
  assert.equal(t[3], Math.fround(1e-40));
});
