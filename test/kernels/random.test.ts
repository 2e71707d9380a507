// Dropout's keep mask drawn by the wasm kernel from a Generator's mt19937 state against the Generator's own draws:
// the same mask and the same state after it (the next draws agree), from states whose next word is at every kind of
// place (a fresh seed, odd positions, the last word before a twist, a twist due), over lengths that cross twists.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keepMask } from '../../src/kernels/random.js';
import { F, Generator, manualSeed, rand, Tensor } from '../../src/index.js';
import { assertSameBits, awkward, requireWasm, withBackend } from './helpers.js';

/** A generator seeded with `seed` that has given `skip` 32-bit outputs. */
function advanced(seed: number, skip: number): Generator {
  const g = new Generator(seed);
  for (let i = 0; i < skip; i++) g.nextUint32();
  return g;
}

test('keepMask: the Generator\'s mask and state, wherever its next word is and however many values are drawn', () => {
  requireWasm();
  for (const seed of [0, 7, 2 ** 40 + 3]) {
    for (const skip of [0, 1, 2, 311, 622, 623, 624, 625, 1247]) {
      for (const n of [64, 65, 311, 312, 313, 1000, 4099]) {
        for (const p of [0.1, 0.5, 0.93]) {
          const keep = 1 - p;
          const scale = Math.fround(1 / Math.fround(keep));
          const mine = advanced(seed, skip);
          const theirs = advanced(seed, skip);
          const want = new Float32Array(n);
          for (let i = 0; i < n; i++) want[i] = theirs.uniform64() < keep ? scale : 0;
          const got = new Float32Array(n).fill(Number.NaN);
          let index = -1;
          mine.drawWith((mt, at) => (index = keepMask(mt, at, keep, scale, got)));
          const label = `seed ${seed}, skip ${skip}, n ${n}, p ${p}`;
          assert.ok(index >= 0, `${label}: the kernel ran`);
          assertSameBits(got, want, label);
          for (let k = 0; k < 700; k++) assert.equal(mine.nextUint32(), theirs.nextUint32(), `${label}: draw ${k} after the mask`);
        }
      }
    }
  }
});

test('keepMask declines short masks, and dropout then draws them one by one', () => {
  requireWasm();
  const g = new Generator(1);
  g.drawWith((mt, index) => {
    assert.equal(keepMask(mt, index, 0.5, 2, new Float32Array(63)), -1);
    return index;
  });
  assert.deepEqual(g.getState(), new Generator(1).getState());
});

test('F.dropout: the same output, gradient and following draws on both backends, and a mask that keeps about 1 − p', () => {
  const x = awkward(3 * 1000, 3, 2).map((v) => (Number.isFinite(v) ? v : 1));
  const run = (): Float32Array[] => {
    manualSeed(11);
    const t = new Tensor(x.slice(), [3, 1000]).requiresGrad_();
    const y = F.dropout(t, 0.3);
    y.sum().backward();
    const small = F.dropout(new Tensor(x.slice(0, 10), [10]), 0.5); // under the kernel's size: one by one
    // The default generator moved on by exactly the draws: what it gives next agrees too.
    return [y.toArray(), t.grad!.toArray(), small.toArray(), rand([5]).toArray()];
  };
  const wasm = withBackend('wasm', run);
  const reference = withBackend('ref', run);
  wasm.forEach((a, i) => assertSameBits(a, reference[i]!, `array ${i}`));
  const kept = wasm[1]!.filter((v) => v !== 0).length;
  assert.ok(kept > 1950 && kept < 2250, `${kept} of 3000 kept with p = 0.3`);
});
