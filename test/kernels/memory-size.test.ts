// The kernels' memory: its size follows V8's heap limit (an eighth of it, 16 MiB – 1 GiB); a memory that is not
// shared never grows (that would detach every view of it), so what does not fit falls back or is refused by name.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getHeapStatistics } from 'node:v8';
import { Heap, MAX_PAGES, PAGE } from '../../src/kernels/wasm/heap.js';
import { kernelMemory, memoryPages, MIN_PAGES } from '../../src/kernels/wasm/memory-size.js';

const MiB = 2 ** 20;

test('the memory is an eighth of V8\'s heap limit, at least 16 MiB and at most 1 GiB; 256 MiB where no limit can be read', () => {
  assert.equal(memoryPages(4144 * MiB), Math.floor(518 * MiB / PAGE));
  assert.equal(memoryPages(8204 * MiB), MAX_PAGES);
  assert.equal(memoryPages(64 * MiB), MIN_PAGES);
  assert.equal(memoryPages(null), 4096);
  assert.equal(memoryPages(), memoryPages(getHeapStatistics().heap_size_limit));
});

test('the memory is made not shared, at its full size, with no room to grow', () => {
  const m = kernelMemory(300);
  assert.equal(m.buffer instanceof SharedArrayBuffer, false);
  assert.equal(m.buffer.byteLength, 300 * PAGE);
  assert.throws(() => m.grow(1), RangeError);
});

test('a heap over a fixed memory never grows it: long-lived storage that does not fit is refused (null), scratch by name', () => {
  const memory = new WebAssembly.Memory({ initial: 4, maximum: 4 });
  const heap = new Heap(memory, 64);
  const buffer = memory.buffer;
  assert.equal(heap.capacity, 4 * PAGE);
  const a = heap.allocFloat32(PAGE / 4);
  assert.ok(a !== null);
  a.fill(2);
  // Three more pages do not fit beside the first (and the base): the caller falls back to an ordinary array.
  assert.equal(heap.allocFloat32(3 * PAGE / 4), null);
  assert.equal(memory.buffer, buffer, 'not grown, not detached');
  assert.equal(a.length, PAGE / 4);
  assert.ok(a.every((x) => x === 2));
  assert.throws(() => heap.scratch(4 * PAGE), {
    message: "kernels: cannot reserve 262 kB of WebAssembly memory for one kernel call's inputs and outputs (the kernels' memory stops at 256 KiB): use smaller batches or layers (in the lab: a lower --batch-size or --hidden), or give Node a larger heap (the memory is an eighth of its limit: NODE_OPTIONS=--max-old-space-size=8192 gives the most, 1 GiB)",
  });
  // What fits is still handed out, zeroed.
  const b = heap.allocFloat32(1000);
  assert.ok(b !== null && b.every((x) => x === 0));
});
