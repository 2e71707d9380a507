// Long fills of arrays in the WebAssembly memory (fill_, zero_, zeroGrad) run on a kernel, since TypedArray.fill on
// the shared memory is about ten times slower: the same values as `fill`, exactly where `fill` puts them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fillFloat32 } from '../../src/kernels/optim.js';
import { isWasmResident } from '../../src/kernels/storage.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { optim } from '../../src/index.js';
import { requireWasm, resident, withBackend } from './helpers.js';

const SENTINEL = 7.25;
const VALUES = [0, -0, 1.1, 1e39, -Infinity, 1e-46, -3e-39, Number.NaN];

function same(a: number, b: number): boolean {
  return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
}

test('fillFloat32 sets exactly [begin, end) to the float32 of the value, on resident and ordinary arrays', () => {
  requireWasm();
  for (const backend of ['wasm', 'ref'] as const) {
    withBackend(backend, () => {
      for (const n of [1, 255, 256, 257, 1000, 1003, 4099]) {
        for (const [begin, endCut] of [[0, 0], [1, 0], [3, 2], [5, 7]] as const) {
          const end = Math.max(begin, n - endCut);
          for (const onHeap of [true, false]) {
            const base = new Float32Array(n).fill(SENTINEL);
            const a = onHeap ? resident(base) : base;
            if (backend === 'wasm') assert.equal(isWasmResident(a), onHeap);
            for (const v of VALUES) {
              a.fill(SENTINEL);
              fillFloat32(a, v, begin, end);
              for (let i = 0; i < n; i++) {
                const want = i >= begin && i < end ? Math.fround(v) : SENTINEL;
                if (!same(a[i]!, want)) assert.fail(`${backend}, n ${n}, [${begin}, ${end}), ${onHeap ? 'resident' : 'ordinary'}, value ${v}: element ${i} is ${a[i]}, expected ${want}`);
              }
            }
          }
        }
      }
    });
  }
});

test('fill_ and zero_ on a view of a resident array write only the view; zeroGrad clears a dense gradient', () => {
  requireWasm();
  for (const backend of ['wasm', 'ref'] as const) {
    withBackend(backend, () => {
      const storage = resident(new Float32Array(3000).fill(SENTINEL));
      const t = new Tensor(storage, [3000]).narrow(0, 5, 2990);
      t.fill_(-2.5);
      assert.equal(storage[4], SENTINEL);
      assert.equal(storage[5], -2.5);
      assert.equal(storage[2994], -2.5);
      assert.equal(storage[2995], SENTINEL);
      t.narrow(0, 1, 1000).zero_();
      assert.deepEqual([storage[5], storage[6], storage[1005], storage[1006]], [-2.5, 0, 0, -2.5]);
      // A weight made by hand (row-major): its gradient has no row list, so zeroGrad clears all of it.
      const w = new Tensor(new Float32Array(784 * 200).fill(0.5), [784, 200], { requiresGrad: true });
      w.mul(3).sum().backward();
      assert.equal(w.grad!.toArray()[123], 3);
      new optim.SGD([w], 0.1).zeroGrad();
      assert.ok(w.grad!.toArray().every((v) => Object.is(v, 0)), `${backend}: zeroGrad left a non-zero`);
    });
  }
});
