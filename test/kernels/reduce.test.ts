// The wasm sum over one dimension against the reference loop: the same bits (each output a float64 sum in order,
// rounded once) for the last dimension (rows side by side, four at a time, and the rows left over) and the others
// (columns four at a time, and the columns left over), with ±∞, NaN, signed zeros and values of very different sizes
// mixed in; and Tensor.sum / mean along dimensions on both backends.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activeWasm } from '../../src/kernels/backend.js';
import * as ref from '../../src/kernels/ref/reduce.js';
import { sumDim } from '../../src/kernels/wasm/reduce.js';
import { Tensor } from '../../src/index.js';
import { assertSameBits, awkward, requireWasm, resident, withBackend } from './helpers.js';

test('sumDim kernel: the reference bits for every layout and tail, from kernel memory and from ordinary arrays', () => {
  requireWasm();
  const w = activeWasm()!;
  for (const outer of [1, 2, 3, 4, 5, 7, 8, 9]) {
    for (const n of [1, 2, 5, 64]) {
      for (const inner of [1, 2, 3, 4, 5, 7, 8, 13, 200]) {
        const size = outer * n * inner;
        const x = awkward(size, size + outer, 1e3, true);
        // Cancellation and order matter in float64 only with values of very different sizes: mix some in.
        for (let i = 0; i < size; i += 7) x[i] = x[i]! * 2 ** ((i % 50) - 25);
        const want = new Float32Array(outer * inner);
        ref.sumDim(x, outer, n, inner, want);
        for (const [label, src] of [['ordinary', x], ['resident', resident(x)]] as const) {
          const got = new Float32Array(outer * inner).fill(Number.NaN);
          assert.ok(sumDim(w, src, outer, n, inner, got));
          assertSameBits(got, want, `${label} [${outer}, ${n}, ${inner}]`);
        }
      }
    }
  }
  const same = resident(new Float32Array(64));
  assert.equal(sumDim(w, same, 8, 8, 1, same.subarray(0, 8)), false, 'an output overlapping the input is refused');
});

test('sum and mean along dimensions of large tensors: the same bits on both backends', () => {
  const x = awkward(64 * 40 * 30, 11, 50);
  const run = (): Float32Array[] => {
    const t = new Tensor(x.slice(), [64, 40, 30]);
    return [t.sum(0), t.sum(1), t.sum(2), t.sum([0, 2]), t.mean(1), t.sum(-1, true), t.transpose(0, 2).sum(1)].map((r) => r.toArray());
  };
  const wasm = withBackend('wasm', run);
  const reference = withBackend('ref', run);
  wasm.forEach((a, i) => assertSameBits(a, reference[i]!, `reduction ${i}`));
});
