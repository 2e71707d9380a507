// The write gate a process quitting at once closes (io/atomic.ts): a write under way in a worker thread ends, renamed,
// before closeWriteGate returns, and no write starts after it, so the quitting process's removal of its temporary
// files leaves none behind (a second Ctrl-C once left a worker's half-written checkpoint beside the real one).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { closeWriteGate } from '../../src/io/atomic.js';

const work = mkdtempSync(join(tmpdir(), 'kindling-gate-'));
after(() => rmSync(work, { recursive: true, force: true }));

// A worker that writes a 32 MiB file over and over through the gate, counting the writes it finished.
const WRITER = `
const { workerData } = require('node:worker_threads');
import(workerData.url).then((m) => {
  m.passWritesThrough(new Int32Array(workerData.gate));
  const done = new Int32Array(workerData.done);
  const bytes = new Uint8Array(32 << 20).fill(7);
  for (;;) {
    m.writeFileAtomic(workerData.path, bytes);
    Atomics.add(done, 0, 1);
  }
});
`;

test('closing the gate waits for the write under way and keeps the next one from starting: no temporary file is left', async () => {
  const gate = new Int32Array(new SharedArrayBuffer(8));
  const done = new Int32Array(new SharedArrayBuffer(4));
  const path = join(work, 'checkpoint.safetensors');
  const url = new URL('../../src/io/atomic.js', import.meta.url).href;
  const worker = new Worker(WRITER, { eval: true, workerData: { url, gate: gate.buffer, done: done.buffer, path } });
  try {
    // Once a write has finished, wait for the next one to be under way, then close the gate in the middle of it.
    while (Atomics.load(done, 0) < 1) await sleep(5);
    while (Atomics.load(gate, 0) === 0) await sleep(0);
    assert.equal(closeWriteGate(gate, 20_000), true);
    const finished = Atomics.load(done, 0);
    assert.deepEqual(readdirSync(work), ['checkpoint.safetensors']);
    // The worker is now held before its next write: nothing starts, nothing more finishes.
    await sleep(300);
    assert.deepEqual(readdirSync(work), ['checkpoint.safetensors']);
    assert.ok(Atomics.load(done, 0) <= finished + 1, 'a write finished after the gate closed');
    assert.equal(Atomics.load(gate, 0), 0);
  } finally {
    await worker.terminate();
  }
});

test('closeWriteGate gives up after its timeout while a write stays under way', () => {
  const gate = new Int32Array(new SharedArrayBuffer(8));
  Atomics.store(gate, 0, 1);
  const t0 = performance.now();
  assert.equal(closeWriteGate(gate, 50), false);
  assert.ok(performance.now() - t0 >= 45);
  Atomics.store(gate, 0, 0);
  assert.equal(closeWriteGate(gate, 50), true);
});
