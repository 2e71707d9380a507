// Kernel memory: a fixed memory that is not shared; storage views in it come zeroed, are recognised as resident,
// never overlap, and return to the allocator once garbage-collected; what does not fit falls back to ordinary
// arrays; transient arrays are ordinary zeroed arrays.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { activeWasm } from '../../src/kernels/backend.js';
import { allocStorage, isWasmResident, subStorage } from '../../src/kernels/storage.js';
import { nn, noGrad, tensor, type Tensor } from '../../src/index.js';
import { transientFloat32 } from '../../src/kernels/transient.js';
import { memoryPages } from '../../src/kernels/wasm/memory-size.js';
import { requireWasm } from './helpers.js';

test('storage comes zeroed from the WebAssembly memory, which is not shared and keeps its size (its views stay valid)', () => {
  requireWasm();
  const heap = activeWasm()!.heap;
  const buffer = heap.memory.buffer;
  assert.equal(buffer instanceof SharedArrayBuffer, false, 'copies into a shared memory are several times slower');
  // An eighth of V8's heap limit, within 16 MiB – 1 GiB (memory-size.ts).
  assert.equal(heap.capacity, memoryPages() * 65536);
  assert.equal(buffer.byteLength, heap.capacity);
  const first = allocStorage(1000);
  assert.ok(isWasmResident(first));
  assert.ok(first.every((x) => x === 0));
  first.fill(3.5);
  const big = [allocStorage(4_000_000), allocStorage(4_000_000), allocStorage(6_000_000)];
  assert.equal(heap.memory.buffer, buffer, 'the memory did not grow (that would detach every view of it)');
  assert.equal(first.length, 1000, 'an older view is not detached');
  assert.ok(first.every((x) => x === 3.5), 'and still holds its values');
  for (const b of big) {
    assert.ok(isWasmResident(b));
    assert.equal(b[b.length - 1], 0);
  }
  // Blocks never overlap.
  const spans = [first, ...big].map((a) => [a.byteOffset, a.byteOffset + a.byteLength] as const).sort((x, y) => x[0] - y[0]);
  for (let i = 1; i < spans.length; i++) assert.ok(spans[i]![0] >= spans[i - 1]![1], 'storage blocks overlap');
});

test('ordinary arrays and small arrays are not taken for resident ones', () => {
  requireWasm();
  assert.equal(isWasmResident(new Float32Array(100)), false);
  assert.equal(isWasmResident(new Float32Array(3)), false);
  assert.equal(isWasmResident(transientFloat32(200)), false);
  assert.equal(isWasmResident(allocStorage(3)), true);
});

test('storage is returned to the allocator when garbage-collected, and reused zeroed', async () => {
  requireWasm();
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const heap = activeWasm()!.heap;
  const settle = async (): Promise<void> => {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  };
  // Let garbage from earlier tests go first, so the count below moves only because of this test.
  for (let i = 0; i < 3; i++) await settle();
  const live = heap.liveBytes;
  (() => {
    const a = allocStorage(250_000);
    a.fill(7);
  })();
  assert.ok(heap.liveBytes >= live + 1_000_000);
  // FinalizationRegistry callbacks run after a collection, on a later turn of the event loop.
  for (let i = 0; i < 20 && heap.liveBytes > live; i++) await settle();
  assert.equal(heap.liveBytes, live, 'the block was released');
  const again = allocStorage(250_000);
  assert.ok(again.every((x) => x === 0), 'a reused block is zeroed');
});

test('a view or reshape of a tensor keeps its storage: the block is not handed to another tensor while the view lives', async () => {
  requireWasm();
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const settle = async (): Promise<void> => {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  };
  // The views outlive the layer they were made from (found by a reviewer: the bias's block went to the next layer).
  let views: Tensor[] = [];
  let expected: Float32Array[] = [];
  (() => {
    const lin = new nn.Linear(784, 200);
    lin.forward(tensor(new Float32Array(784).fill(1))).sum().backward();
    const bias = lin.bias!;
    views = noGrad(() => [bias.view(-1), bias.reshape(2, 100), bias.detach().unsqueeze(0), bias.grad!.view(-1), lin.weight.detach().reshape(-1)]);
    expected = views.map((v) => v.toArray());
  })();
  for (let i = 0; i < 5; i++) await settle();
  const others = Array.from({ length: 4 }, () => new nn.Linear(784, 200));
  for (const o of others) noGrad(() => o.bias!.data.fill(-9));
  views.forEach((v, k) => assert.deepEqual(v.toArray(), expected[k], `view ${k} changed after its layer was collected`));
  // Writing through a view does not reach another layer.
  noGrad(() => views[0]!.data.fill(5));
  for (const o of others) assert.ok(o.bias!.toArray().every((x) => x === -9));

  // subStorage itself: a sub-view keeps the block of the view it came from (and of that view's own owner).
  const heap = activeWasm()!.heap;
  for (let i = 0; i < 3; i++) await settle();
  const live = heap.liveBytes;
  let sub: Float32Array | null = (() => subStorage(subStorage(allocStorage(250_000), 10, 200_000), 5, 100))();
  for (let i = 0; i < 5; i++) await settle();
  assert.ok(heap.liveBytes >= live + 1_000_000, 'the block stays while a sub-view of a sub-view lives');
  sub.fill(1);
  sub = null;
  for (let i = 0; i < 20 && heap.liveBytes > live; i++) await settle();
  assert.equal(heap.liveBytes, live, 'and is released once the sub-view is gone');
});

test('transient arrays are zeroed, independent and sized as asked', () => {
  const arrays = Array.from({ length: 500 }, (_, i) => transientFloat32(1 + (i % 300)));
  arrays.forEach((a, i) => {
    assert.equal(a.length, 1 + (i % 300));
    assert.ok(a.every((x) => x === 0));
    a.fill(i + 1);
  });
  arrays.forEach((a, i) => assert.ok(a.every((x) => x === i + 1), `array ${i} was overwritten by another`));
  assert.equal(transientFloat32(100_000).length, 100_000);
});
