// The kernels' scratch block: it grows to twice its size, or to just what is asked when twice does not fit, and a
// failure to grow leaves no released block behind to hand out again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Heap } from '../../src/kernels/wasm/heap.js';

const PAGE = 65536;

/** A heap over a shared memory of `pages` pages at most, its blocks starting at byte 64. */
function smallHeap(pages: number): Heap {
  return new Heap(new WebAssembly.Memory({ initial: 1, maximum: pages, shared: true }), 64);
}

test('scratch takes just what is asked when twice the old block does not fit', () => {
  const heap = smallHeap(10);
  const first = heap.scratch(5.5 * PAGE);
  assert.equal(first, 64);
  // Twice 5.5 pages is 11, more than the memory's 10; 6 pages fit.
  const second = heap.scratch(6 * PAGE);
  assert.equal(second, 64, 'the same place, since the old block was given back first');
  assert.equal(heap.memory.buffer.byteLength <= 10 * PAGE, true);
});

test('a scratch request that cannot fit says what to lower, and no released block is handed out afterwards', () => {
  const heap = smallHeap(10);
  heap.scratch(6 * PAGE);
  assert.throws(() => heap.scratch(12 * PAGE), {
    message: "kernels: cannot reserve 786 kB of WebAssembly memory for one kernel call's inputs and outputs (the kernels' memory stops at 1 GiB): use smaller batches or layers (in the lab: a lower --batch-size or --hidden)",
  });
  // The old block went back to the free list: a long-lived view may now take it, and the next scratch must not be
  // inside that view.
  const view = heap.allocFloat32(PAGE / 4)!;
  assert.ok(view !== null);
  const s = heap.scratch(100);
  const from = view.byteOffset;
  const to = from + view.byteLength;
  assert.ok(s + 100 <= from || s >= to, `scratch at ${s} lies inside a live view at ${from}–${to}`);
});

test('over a fixed memory the scratch block lives at the top, so storage made between calls leaves no hole a larger block cannot use', () => {
  const memory = new WebAssembly.Memory({ initial: 16, maximum: 16 });
  const heap = new Heap(memory, 64);
  const top = 16 * PAGE;
  // Scratch, then storage, then a larger scratch, then more storage, as a training step's calls and tensors come.
  assert.equal(heap.scratch(2 * PAGE), top - 2 * PAGE);
  const a = heap.allocFloat32(PAGE / 4)!;
  assert.equal(heap.scratch(4 * PAGE), top - 4 * PAGE, 'twice the old size, at the top again');
  const b = heap.allocFloat32(PAGE / 4)!;
  assert.ok(a !== null && b !== null);
  for (const v of [a, b]) assert.ok(v.byteOffset + v.byteLength <= top - 4 * PAGE, 'storage stays below the block');
  // All but the two pages of storage (and the base) can be one block: 13 pages, where a block among the storage
  // would have found at most the 11 above it.
  const s = heap.scratch(13 * PAGE);
  assert.equal(s, top - 13 * PAGE);
  assert.ok(s >= b.byteOffset + b.byteLength);
  // Storage no longer fits above what is live (the block holds the rest): refused, so the caller uses an ordinary array.
  assert.equal(heap.allocFloat32(PAGE / 4), null);
  assert.throws(() => heap.scratch(15 * PAGE), /cannot reserve 983 kB/);
  // The failed request gave the block up: storage may use that room again, and the next block goes above it.
  const c = heap.allocFloat32(PAGE / 4)!;
  assert.ok(c !== null);
  assert.ok(heap.scratch(PAGE) >= c.byteOffset + c.byteLength);
});

test('over a fixed memory, a block that no longer fits at the top (live storage reaches up to it) takes a free hole below', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const memory = new WebAssembly.Memory({ initial: 16, maximum: 16 });
  const heap = new Heap(memory, 64);
  assert.equal(heap.scratch(PAGE), 15 * PAGE);
  // Fourteen pages of storage, then one block reaching up to the scratch block, which stays live.
  let pages: Float32Array[] = Array.from({ length: 14 }, () => heap.allocFloat32(PAGE / 4)!);
  const high = heap.allocFloat32((PAGE - 64) / 4)!;
  assert.equal(high.byteOffset + high.byteLength, 15 * PAGE);
  assert.equal(pages.length, 14);
  pages = [];
  for (let i = 0; i < 20 && heap.liveBytes > high.byteLength; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.equal(heap.liveBytes, high.byteLength, 'the fourteen pages were released');
  // Two pages do not fit above the live block, but the fourteen free pages below it do.
  const s = heap.scratch(2 * PAGE);
  assert.equal(s, 64);
  // Storage goes around the block: into the rest of the hole, and into the top, which the block has left.
  const a = heap.allocFloat32(PAGE / 4)!;
  assert.ok(a.byteOffset >= s + 2 * PAGE);
  const rest = heap.allocFloat32(11 * PAGE / 4)!;
  assert.ok(rest !== null && rest.byteOffset === a.byteOffset + a.byteLength, 'the hole\'s last eleven pages');
  const last = heap.allocFloat32(PAGE / 4)!;
  assert.ok(last !== null && last.byteOffset >= 15 * PAGE, `the top page is storage's again (${last?.byteOffset})`);
});
