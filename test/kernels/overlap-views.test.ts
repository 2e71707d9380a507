// Two views of the kernels' memory that partly overlap (one made by allocStorage, one over the memory's buffer at
// an offset two elements in): an elementwise kernel must see that they overlap and leave the op to the reference
// loop, whose order decides the result. (The memory is not shared and never grows, so every view of it holds the same
// buffer object; a growing shared memory gave views from before and after a growth different ones.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activeWasm } from '../../src/kernels/backend.js';
import { allocStorage } from '../../src/kernels/storage.js';
import { binaryFlat } from '../../src/kernels/wasm/binary.js';
import { partlyOverlapping } from '../../src/kernels/wasm/overlap.js';
import { requireWasm } from './helpers.js';

test('two views of the kernels\' memory that partly overlap: overlap is seen, and the kernel declines', () => {
  requireWasm();
  const w = activeWasm()!;
  const before = allocStorage(1024);
  for (let i = 0; i < before.length; i++) before[i] = i;
  const after = new Float32Array(w.heap.memory.buffer, before.byteOffset + 8, 1000);
  assert.equal(partlyOverlapping(before.subarray(0, 1000), after), true);
  assert.equal(partlyOverlapping(after, before.subarray(0, 1000)), true);
  // out = a + b with out two elements into a: the kernel must decline (the reference loop then runs in order).
  assert.equal(binaryFlat(w, 'add', before.subarray(0, 1000), before.subarray(0, 1000), after), false);
  // Far apart, they do not overlap.
  assert.equal(partlyOverlapping(before.subarray(0, 10), new Float32Array(w.heap.memory.buffer, before.byteOffset + 400, 10)), false);
});
