// The wasm kernel for add, sub, mul and div over flat arrays against the reference loop: the same bits at every SIMD
// tail width, with an operand of one value on either side, for signed zeros, NaN, ±∞, subnormals and values of many
// scales, resident or not, in place (NaNs may differ in sign and payload, as nothing observes); and ops on a
// `Linear` weight stored transposed (row-major results; in-place ops in storage order) against row-major ones.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activeWasm } from '../../src/kernels/backend.js';
import * as ref from '../../src/kernels/ref/elementwise.js';
import { fmaf } from '../../src/kernels/ref/fmaf.js';
import * as flat from '../../src/kernels/wasm/binary.js';
import { Linear } from '../../src/nn/linear.js';
import { noGrad } from '../../src/autograd/grad-mode.js';
import { broadcastStrides } from '../../src/tensor/shape.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { assertSameBits, awkward, requireWasm, resident, SIZES, SPECIAL, withBackend } from './helpers.js';

const OPS = ['add', 'sub', 'mul', 'div'] as const;

/** n values mixing random ones of several scales with the special values. */
function inputs(n: number, seed: number): Float32Array {
  return awkward(n, seed, 3, true);
}

/** The reference loop's result for flat operands (one of one element standing for every i). */
function expected(op: (typeof OPS)[number], a: Float32Array, b: Float32Array, n: number): Float32Array {
  const out = new Float32Array(n);
  ref.binary(op, a, [a.length === 1 ? 0 : 1], b, [b.length === 1 ? 0 : 1], out, [n]);
  return out;
}

test('binaryFlat kernel: wasm gives the reference bits for add, sub, mul and div at every tail width, with a single value on either side', () => {
  requireWasm();
  const w = activeWasm()!;
  for (const n of [...SIZES, 4099]) {
    for (const op of OPS) {
      const a = inputs(n, n * 7 + 1);
      const b = inputs(n, n * 7 + 2);
      const cases: [string, Float32Array, Float32Array][] = [['arrays', a, b], ['resident arrays', resident(a), resident(b)]];
      for (const s of SPECIAL.concat([0.1, -7.25, 1e-20])) cases.push([`value ${s} second`, a, Float32Array.of(s)], [`value ${s} first`, Float32Array.of(s), b]);
      for (const [what, x, y] of cases) {
        const out = new Float32Array(n).fill(Number.NaN);
        assert.equal(flat.binaryFlat(w, op, x, y, out), true);
        assertSameBits(out, expected(op, x, y, n), `${op} n=${n} ${what}`);
      }
    }
  }
});

test('binaryFlat kernel: in place (out = a or out = b), and a partly overlapping output is left to the reference loop', () => {
  requireWasm();
  const w = activeWasm()!;
  for (const n of [5, 64, 203]) {
    for (const op of OPS) {
      const a = resident(inputs(n, n + 11));
      const b = resident(inputs(n, n + 12));
      const want = expected(op, a, b, n);
      const intoA = a.slice();
      assert.equal(flat.binaryFlat(w, op, intoA, b, intoA), true);
      assertSameBits(intoA, want, `${op} n=${n} into a`);
      const intoB = b.slice();
      assert.equal(flat.binaryFlat(w, op, a, intoB, intoB), true);
      assertSameBits(intoB, want, `${op} n=${n} into b`);
    }
  }
  const buf = resident(inputs(40, 5));
  assert.equal(flat.binaryFlat(w, 'add', buf.subarray(0, 20), buf.subarray(20, 40), buf.subarray(4, 24)), false);
  assert.equal(flat.binaryFlat(w, 'pow', buf.subarray(0, 20), buf.subarray(20, 40), new Float32Array(20)), false);
});

/** A weight stored transposed, as `nn.Linear` stores it, filled with awkward values (large enough for the flat kernel). */
function transposedWeight(seed: number): Tensor {
  const lin = new Linear(37, 41);
  const v = inputs(37 * 41, seed);
  noGrad(() => lin.weight.copy_(new Tensor(v, [41, 37])));
  return lin.weight;
}

test('ops on a weight stored transposed give row-major results, as PyTorch\'s contiguous weights do, with the row-major bits', () => {
  for (const backend of ['wasm', 'ref'] as const) {
    withBackend(backend, () => {
      const w = transposedWeight(3);
      assert.deepEqual(w.strides, [1, 41], 'a Linear weight is stored transposed');
      const rowMajor = w.contiguous();
      const other = new Tensor(inputs(41 * 37, 4), [37, 41]).T;
      for (const op of OPS) {
        for (const [what, got, want] of [
          ['a number', w[op](0.37), rowMajor[op](0.37)],
          ['a number first', new Tensor(Float32Array.of(-2.5), [])[op](w), new Tensor(Float32Array.of(-2.5), [])[op](rowMajor)],
          ['a tensor laid out alike', w[op](other), rowMajor[op](other.contiguous())],
        ] as const) {
          assert.deepEqual(got.strides, [37, 1], `${backend} ${op} with ${what}: row-major`);
          assertSameBits(got.data.slice(), want.values(), `${backend} ${op} with ${what}`);
          assert.deepEqual(got.view(-1).shape, [41 * 37]);
        }
      }
    });
  }
});

test('in-place ops on a weight stored transposed (p.sub_(g, lr), p.sub_(g.mul(lr)), mul_, div_, add_) give the bits of the row-major computation', () => {
  for (const backend of ['wasm', 'ref'] as const) {
    withBackend(backend, () => {
      const f = Math.fround;
      const lr = f(0.01);
      const cases: [string, (p: Tensor, g: Tensor) => void, (p: number, g: number) => number][] = [
        ['p.sub_(g.mul(lr))', (p, g) => p.sub_(g.mul(0.01)), (p, g) => f(p - f(g * lr))],
        // With alpha, one rounding, as PyTorch's fused kernel (vec::fmadd).
        ['p.sub_(g, lr)', (p, g) => p.sub_(g, 0.01), (p, g) => fmaf(g, -lr, p)],
        ['p.add_(g, { alpha: -lr })', (p, g) => p.add_(g, { alpha: -0.01 }), (p, g) => fmaf(g, -lr, p)],
        ['p.mul_(g)', (p, g) => p.mul_(g), (p, g) => f(p * g)],
        ['p.div_(3)', (p) => p.div_(3), (p) => f(p / 3)],
        ['p.add_(g.contiguous()), layouts differing', (p, g) => p.add_(g.contiguous()), (p, g) => f(p + g)],
      ];
      for (const [what, update, rule] of cases) {
        const p = transposedWeight(8);
        const g = transposedWeight(9);
        const pv = p.contiguous().values();
        const gv = g.contiguous().values();
        const want = new Float32Array(pv.length);
        for (let i = 0; i < want.length; i++) want[i] = rule(pv[i]!, gv[i]!);
        noGrad(() => update(p, g));
        assertSameBits(p.contiguous().values(), want, `${backend} ${what}`);
        assert.deepEqual(p.strides, [1, 41], 'the weight keeps its storage');
      }
    });
  }
});

test('a row broadcast over a batch (x.add(bias)): the kernel gives the reference bits, on either side, at every width', () => {
  requireWasm();
  for (const [rows, width] of [[64, 200], [64, 10], [3, 1031], [700, 3], [1024, 1], [5, 257]] as const) {
    for (const op of OPS) {
      const whole = inputs(rows * width, rows + 7 * width);
      const row = inputs(width, 3 * width + 1);
      for (const [what, x, y] of [['bias second', whole, row], ['bias first', row, whole]] as const) {
        const want = new Float32Array(rows * width);
        ref.binary(op, x, x === row ? [0, 1] : [width, 1], y, y === row ? [0, 1] : [width, 1], want, [rows, width]);
        for (const backend of ['wasm', 'ref'] as const) {
          const xs = x === row ? new Tensor(x, [width]) : new Tensor(x, [rows, width]);
          const ys = y === row ? new Tensor(y, [1, width]) : new Tensor(y, [rows, width]);
          const got = withBackend(backend, () => xs[op](ys).toArray());
          assertSameBits(got, want, `${backend}: [${rows}, ${width}] ${op} ${what}`);
        }
      }
    }
  }
  // Repeated over two leading dimensions; a [1, 50, 1] operand is not a repeated row (the general loop).
  const x = new Tensor(inputs(4 * 50 * 60, 9), [4, 50, 60]);
  for (const shape of [[50, 60], [1, 1, 50, 60], [1, 50, 1]]) {
    const other = new Tensor(inputs(shape.reduce((p, d) => p * d, 1), 10), shape);
    for (const op of OPS) {
      const want = new Float32Array(x.numel());
      ref.binary(op, x.toArray(), broadcastStrides(x.shape, x.shape), other.toArray(), broadcastStrides(other.shape, x.shape), want, x.shape);
      for (const backend of ['wasm', 'ref'] as const) {
        assertSameBits(withBackend(backend, () => x[op](other).toArray()), want, `${backend}: [4, 50, 60] ${op} [${shape.join(', ')}]`);
      }
    }
  }
});
