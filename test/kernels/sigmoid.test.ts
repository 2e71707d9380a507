// The wasm sigmoid kernels against the reference loops: the same bits forward and backward over every SIMD tail
// width, on random values of many scales and on the inputs that take the kernel's other paths (|x| > 80, NaN,
// ±∞, and values whose sigmoid sits on a float32 rounding boundary). scripts/check-unary.mjs compares the
// forward kernel with the reference on all 2^32 float32 inputs (about a minute; not part of the tests).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activeWasm } from '../../src/kernels/backend.js';
import { unary, unaryBackward } from '../../src/kernels/elementwise.js';
import * as ref from '../../src/kernels/ref/elementwise.js';
import * as wasm from '../../src/kernels/wasm/sigmoid.js';
import { assertSameBits, requireWasm, rng, SIZES, values, withBackend } from './helpers.js';

/** The sigmoid by the reference loop, or by the wasm kernel's wrapper itself (whatever the size). */
function forward(name: 'ref' | 'wasm', x: Float32Array): Float32Array {
  const out = new Float32Array(x.length).fill(Number.NaN);
  if (name === 'ref') ref.unary('sigmoid', x, out);
  else assert.ok(wasm.sigmoid(activeWasm()!, x, out));
  return out;
}

function backward(name: 'ref' | 'wasm', x: Float32Array, y: Float32Array, g: Float32Array): Float32Array {
  const out = new Float32Array(x.length).fill(Number.NaN);
  if (name === 'ref') ref.unaryBackward('sigmoid', x, y, g, out);
  else assert.ok(wasm.sigmoidBackward(activeWasm()!, y, g, out));
  return out;
}

/** Inputs where the kernel hands lanes back: beyond ±80, non-finite, and y = 1/2 + x/4 − … on a float32 midpoint. */
function awkward(): Float32Array {
  const xs: number[] = [0, -0, 1e-45, -1e-45, 1e-38, 80, -80, 80.00001, -80.00001, 88.72, -88.72, 89, -89, 103.9, -103.9, 104, -104];
  xs.push(1e30, -1e30, 3.4e38, -3.4e38, Infinity, -Infinity, Number.NaN, 16.6, 16.7, 17, -16.6, 36.7, 37, -36.7);
  for (let e = -40; e <= -20; e++) for (const k of [1, 3, 5, 7]) xs.push(k * 2 ** e, -k * 2 ** e);
  return Float32Array.from(xs);
}

test('sigmoid kernel: wasm gives the reference bits on every tail width and on values of many scales', () => {
  requireWasm();
  for (const n of [...SIZES, 18, 19, 22, 23, 26, 27]) {
    for (const scale of [0.001, 1, 8, 30, 100]) {
      const x = values(rng(n * 17 + scale), n, { lo: -scale, hi: scale, zeros: 0.1 });
      assertSameBits(forward('wasm', x), forward('ref', x), `n ${n}, scale ${scale}`);
    }
  }
  const big = values(rng(5), 100_003, { lo: -12, hi: 12 });
  assertSameBits(forward('wasm', big), forward('ref', big), '100003 values');
});

test('sigmoid kernel: every float32 in three stretches of 2^17 consecutive values gives the reference bits', () => {
  // Random draws rarely land near a float32 rounding boundary; every value of a stretch does, about once in
  // 50,000 per 2^-40 of error in the kernel's float64 sigmoid. (A polynomial one degree short gets some of
  // these wrong.)
  requireWasm();
  const bits = new Uint32Array(1 << 17);
  const x = new Float32Array(bits.buffer);
  for (const start of [0.7, -3.1, 9.5]) {
    const first = new Uint32Array(Float32Array.of(start).buffer)[0]!;
    for (let i = 0; i < bits.length; i++) bits[i] = first + i;
    assertSameBits(forward('wasm', x), forward('ref', x), `2^17 values from ${start}`);
  }
});

test('sigmoid kernel: inputs beyond ±80, non-finite ones and float32 midpoints give the reference bits', () => {
  requireWasm();
  const x = awkward();
  const expected = forward('ref', x);
  assertSameBits(forward('wasm', x), expected, 'awkward inputs');
  // Every lane of every vector: rotate the list so each value meets each lane and the scalar tail.
  for (let shift = 1; shift < 4; shift++) {
    const rotated = Float32Array.from({ length: x.length }, (_, i) => x[(i + shift) % x.length]!);
    assertSameBits(forward('wasm', rotated), forward('ref', rotated), `rotated by ${shift}`);
  }
  // Spot values, to be sure the comparison compares something.
  assert.equal(expected[0], 0.5);
  assert.equal(expected[x.indexOf(Infinity)], 1);
  assert.equal(expected[x.indexOf(-Infinity)], 0);
  assert.ok(Number.isNaN(expected[x.findIndex(Number.isNaN)]!));
});

test('sigmoid kernel: it hands back the lanes it cannot vouch for, and only those', () => {
  requireWasm();
  const w = activeWasm()!;
  const run = (xs: number[]): { count: number; lanes: number[] } => {
    const x = w.heap.allocFloat32(xs.length)!;
    const y = w.heap.allocFloat32(xs.length)!;
    const redo = w.heap.allocInt32(xs.length)!;
    x.set(xs);
    const count = w.exports.sigmoidForward(x.byteOffset, xs.length, y.byteOffset, redo.byteOffset);
    return { count, lanes: [...redo.subarray(0, count)] };
  };
  // Out of range and NaN lanes.
  assert.deepEqual(run([0.5, 81, -2, Number.NaN, 3, 1, -1e30, 2]), { count: 3, lanes: [1, 3, 6] });
  // y = 1/2 + x/4 − x³/48 + …: a hair below the float32 midpoint 1/2 + 2^-25 for x = 2^-23, a hair above
  // 1/2 − 2^-26 for x = −2^-24 (the float32 grid is twice as fine below 1/2), so the bracket straddles them.
  assert.deepEqual(run([0.25, 2 ** -23, -(2 ** -24), 0.75, -(2 ** -23)]), { count: 2, lanes: [1, 2] });
  // Ordinary values: nothing handed back.
  assert.deepEqual(run([-5, -1, -0.5, 0, 0.5, 1, 5, 79.9]), { count: 0, lanes: [] });
});

test('sigmoid: an output array that is the input array gives the same bits, in the kernels\' memory or not', () => {
  requireWasm();
  const x = values(rng(3), 203, { lo: -90, hi: 90 });
  x.set([Number.NaN, 100, -100, 2 ** -23, -(2 ** -24), 81, -81], 7);
  x[202] = 2 ** -23;
  const expected = forward('ref', x);
  const plain = x.slice();
  withBackend('wasm', () => unary('sigmoid', plain, plain));
  assertSameBits(plain, expected, 'in place, an ordinary array');
  withBackend('wasm', () => {
    const resident = activeWasm()!.heap.allocFloat32(x.length)!;
    resident.set(x);
    unary('sigmoid', resident, resident);
    assertSameBits(resident, expected, 'in place, in the kernels\' memory');
  });
});

test('sigmoid: views of one array that partly overlap give what the reference loop gives', () => {
  requireWasm();
  const data = values(rng(4), 61, { lo: -9, hi: 9 });
  data[30] = 2 ** -23;
  for (const shift of [1, -1, 4, -5]) {
    const views = (buf: Float32Array): [Float32Array, Float32Array] => shift > 0
      ? [buf.subarray(shift, shift + 50), buf.subarray(0, 50)]
      : [buf.subarray(0, 50), buf.subarray(-shift, -shift + 50)];
    const expected = data.slice();
    const [ex, eo] = views(expected);
    ref.unary('sigmoid', ex, eo);
    const gradExpected = data.slice();
    const [ry, rg] = views(gradExpected);
    ref.unaryBackward('sigmoid', ry, ry, rg, rg);
    withBackend('wasm', () => {
      const resident = activeWasm()!.heap.allocFloat32(data.length)!;
      resident.set(data);
      const [x, out] = views(resident);
      unary('sigmoid', x, out);
      assertSameBits(resident, expected, `forward, views ${shift} apart`);
      const plain = data.slice();
      const [y, g] = views(plain);
      unaryBackward('sigmoid', y, y, g, g);
      assertSameBits(plain, gradExpected, `backward, views ${shift} apart`);
    });
  }
});

test('sigmoid backward kernel: wasm gives the reference bits on every tail width, with −0, ∞ and NaN gradients', () => {
  requireWasm();
  for (const n of [...SIZES, 18, 19]) {
    const r = rng(n * 29 + 1);
    const x = values(r, n, { lo: -6, hi: 6 });
    const y = forward('ref', x);
    const g = values(r, n, { lo: -3, hi: 3, zeros: 0.1 });
    if (n > 3) {
      g[0] = -0;
      g[1] = Infinity;
      g[2] = Number.NaN;
      y[3] = 1;
    }
    assertSameBits(backward('wasm', x, y, g), backward('ref', x, y, g), `n ${n}`);
  }
});
