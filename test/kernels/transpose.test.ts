// The wasm transpose against the reference tiles: the 2-D strided copies of a tensor laid out as the transpose of its
// row-major layout (an nn.Linear weight or gradient) give the same bits, at shapes that are and are not multiples of
// the kernel's 4 × 4 blocks and 32 × 32 tiles, NaN payloads and signed zeros included; and the tensor ops that copy
// through it (values, toArray, an in-place write back) match the reference backend.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activeWasm } from '../../src/kernels/backend.js';
import * as ref from '../../src/kernels/ref/strided.js';
import { gatherStrided, scatterStrided } from '../../src/kernels/strided.js';
import { transpose } from '../../src/kernels/wasm/transpose.js';
import { Generator, nn, noGrad, Tensor, withGenerator } from '../../src/index.js';
import { assertSameBits, awkward, requireWasm, resident, withBackend } from './helpers.js';

const SHAPES: [number, number][] = [[4, 4], [1, 7], [7, 1], [5, 3], [33, 31], [64, 64], [65, 97], [200, 784], [10, 200], [3, 4099]];

/** Values with NaNs of odd payloads and signed zeros mixed in, as bits a copy must keep. */
function payload(n: number, seed: number): Float32Array {
  const a = awkward(n, seed, 3);
  const bits = new Uint32Array(a.buffer);
  for (let i = 0; i < n; i += 11) bits[i] = 0x7fc00000 | (i & 0x3fffff);
  for (let i = 5; i < n; i += 13) bits[i] = 0x80000000;
  return a;
}

test('transpose: the wasm kernel gives the reference tiles\' bits at every shape, from kernel memory and from ordinary arrays', () => {
  requireWasm();
  const w = activeWasm()!;
  for (const [r, c] of SHAPES) {
    const src = payload(r * c, r * 1000 + c);
    const want = new Float32Array(r * c);
    // dst (c × r) = srcᵀ: the reference gathers the [c, r] tensor whose storage is src laid out with strides [1, c].
    ref.gatherStrided(src, [c, r], [1, c], want);
    for (const [label, s, d] of [['ordinary', src, new Float32Array(r * c)], ['resident', resident(src), resident(new Float32Array(r * c))]] as const) {
      assert.ok(transpose(w, s, r, c, d));
      assert.deepEqual(new Uint32Array(d.buffer, d.byteOffset, d.length), new Uint32Array(want.buffer), `${label} ${r}×${c}`);
    }
  }
});

test('transpose refuses overlapping arrays, leaving them to the reference loops', () => {
  requireWasm();
  const w = activeWasm()!;
  const a = resident(new Float32Array(64 * 64));
  assert.equal(transpose(w, a, 64, 64, a), false);
  assert.equal(transpose(w, a.subarray(0, 2048), 32, 64, a.subarray(1024, 3072)), false);
});

test('gatherStrided and scatterStrided: the dispatcher gives the reference results for transposed and other layouts', () => {
  requireWasm();
  const cases: [number[], number[]][] = [[[200, 784], [1, 200]], [[64, 65], [1, 64]], [[3, 5], [1, 3]], [[40, 300], [300, 1]], [[30, 40], [1, 60]], [[2, 3, 700], [1, 2, 6]]];
  for (const [shape, strides] of cases) {
    const n = shape.reduce((a, b) => a * b, 1);
    const span = shape.reduce((s, d, i) => s + (d - 1) * strides[i]!, 1);
    const src = payload(span, n);
    const want = new Float32Array(n);
    ref.gatherStrided(src, shape, strides, want);
    const got = new Float32Array(n);
    gatherStrided(src, shape, strides, got);
    assertSameBits(got, want, `gather ${shape} / ${strides}`);
    const back = payload(span, n + 1);
    const backWant = back.slice();
    ref.scatterStrided(want, backWant, shape, strides);
    scatterStrided(want, back, shape, strides);
    assertSameBits(back, backWant, `scatter ${shape} / ${strides}`);
  }
});

test('a Linear weight and gradient read and written through the transpose: the same values on both backends', () => {
  const run = (): Float32Array[] => withGenerator(new Generator(3), () => {
    const lin = new nn.Linear(784, 200);
    const x = payload(784, 9).map((v) => (Number.isFinite(v) ? v : 0.5));
    lin.forward(new Tensor(x, [784])).sum().backward();
    const g = lin.weight.grad!;
    const scaled = g.mul(0.01);
    noGrad(() => lin.weight.sub_(scaled));
    return [g.toArray(), scaled.toArray(), lin.weight.toArray(), lin.weight.grad!.values()];
  });
  const wasm = withBackend('wasm', run);
  const reference = withBackend('ref', run);
  wasm.forEach((a, i) => assertSameBits(a, reference[i]!, `array ${i}`));
});
