// Views of the kernels' memory made before and after it grows hold different SharedArrayBuffer objects over the same
// bytes. An elementwise kernel must still see that they overlap, and leave the op to the reference loop, whose order
// decides the result; the op must then give the reference's values.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activeWasm } from '../../src/kernels/backend.js';
import { allocStorage } from '../../src/kernels/storage.js';
import { binaryFlat } from '../../src/kernels/wasm/binary.js';
import { partlyOverlapping } from '../../src/kernels/wasm/overlap.js';
import { requireWasm } from './helpers.js';

test('views of the kernels\' memory from before and after a growth: overlap is seen, and the kernel declines', () => {
  requireWasm();
  const w = activeWasm()!;
  const before = allocStorage(1024);
  for (let i = 0; i < before.length; i++) before[i] = i;
  // Enough long-lived storage to make the memory grow (kept alive until the end of the test).
  const filler: Float32Array[] = [];
  const oldBuffer = before.buffer;
  while (w.heap.memory.buffer === oldBuffer) filler.push(allocStorage(1 << 22));
  const after = new Float32Array(w.heap.memory.buffer, before.byteOffset + 8, 1000);
  assert.notEqual(after.buffer, before.buffer, 'the two views hold different buffer objects');
  assert.equal(partlyOverlapping(before.subarray(0, 1000), after), true);
  assert.equal(partlyOverlapping(after, before.subarray(0, 1000)), true);
  // out = a + b with out two elements into a: the kernel must decline (the reference loop then runs in order).
  assert.equal(binaryFlat(w, 'add', before.subarray(0, 1000), before.subarray(0, 1000), after), false);
  // Far apart, they do not overlap.
  assert.equal(partlyOverlapping(before.subarray(0, 10), new Float32Array(w.heap.memory.buffer, before.byteOffset + 400, 10)), false);
  assert.ok(filler.length > 0);
});
