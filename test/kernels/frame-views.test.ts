// Outputs copied out of the kernels' memory through views kept per place (Frame.view): a place used again with
// another length, a part of an output, and a memory that grew between calls each copy exactly the values there now.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Frame } from '../../src/kernels/wasm/frame.js';
import { Heap } from '../../src/kernels/wasm/heap.js';

/** One call: an output of `out.length` floats, given `values` in the memory, copied out (a part when `count` ≥ 0). */
function call(heap: Heap, frame: Frame, out: Float32Array, values: number[], off = 0, count = -1): void {
  const fr = frame.begin();
  const slot = fr.out(out, false);
  fr.open();
  heap.f32.set(values, fr.ptr(slot) >>> 2);
  fr.finish(slot, off, count);
}

const ramp = (n: number, from: number): number[] => Array.from({ length: n }, (_, i) => from + i);

test('a scratch place copied out with one length, then with a shorter and a longer one, gives each call its own values', () => {
  const heap = new Heap(new WebAssembly.Memory({ initial: 16, maximum: 16 }), 64);
  const frame = new Frame(heap);
  const long = new Float32Array(200);
  call(heap, frame, long, ramp(200, 1));
  assert.deepEqual([...long], ramp(200, 1));
  const short = new Float32Array(10);
  call(heap, frame, short, ramp(10, 500));
  assert.deepEqual([...short], ramp(10, 500));
  const again = new Float32Array(200);
  call(heap, frame, again, ramp(200, 1000));
  assert.deepEqual([...again], ramp(200, 1000));
});

test('a part of an output (offset and count) is copied into that part only', () => {
  const heap = new Heap(new WebAssembly.Memory({ initial: 16, maximum: 16 }), 64);
  const frame = new Frame(heap);
  const out = new Float32Array(8).fill(-1);
  call(heap, frame, out, ramp(8, 1), 2, 3);
  assert.deepEqual([...out], [-1, -1, 3, 4, 5, -1, -1, -1]);
  call(heap, frame, out, ramp(8, 10), 2, 5);
  assert.deepEqual([...out], [-1, -1, 12, 13, 14, 15, 16, -1]);
});

test('after a shared memory grows, outputs are copied from the memory as it is now', () => {
  const heap = new Heap(new WebAssembly.Memory({ initial: 1, maximum: 64, shared: true }), 64);
  const frame = new Frame(heap);
  const out = new Float32Array(100);
  call(heap, frame, out, ramp(100, 1));
  const before = heap.f32;
  // Storage larger than the memory makes it grow (a new buffer object, and new views of it).
  const big = heap.allocFloat32(200_000);
  assert.ok(big !== null && heap.f32 !== before, 'the memory grew');
  call(heap, frame, out, ramp(100, 7));
  assert.deepEqual([...out], ramp(100, 7));
});

test('copies after many places (more than the views kept) still give the values there', () => {
  const heap = new Heap(new WebAssembly.Memory({ initial: 16, maximum: 16 }), 64);
  const frame = new Frame(heap);
  for (let n = 1; n <= 600; n += 1) {
    const out = new Float32Array(2);
    // Each call's output lies after a scratch space of n floats: a new place each time.
    const fr = frame.begin();
    fr.space(n * 4);
    const slot = fr.out(out, false);
    fr.open();
    heap.f32.set([n, -n], fr.ptr(slot) >>> 2);
    fr.finish(slot);
    assert.deepEqual([...out], [n, -n]);
  }
});
