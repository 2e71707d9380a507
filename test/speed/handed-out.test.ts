// Buffers handed out through `data` (a gradient or an Adam moment the caller keeps, or writes into) stay true:
// the engine owes them nothing and skips none of their rows from then on, on both backends alike.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { manualSeed, nn, optim, tensor, type Tensor } from '../../src/index.js';
import { assertSameBits, withBackend } from '../kernels/helpers.js';

/** Feature j of step t: 0–3 often, 4–5 only in the first 20 steps, 6–7 never. */
function sample(t: number): Float32Array {
  return Float32Array.from({ length: 8 }, (_, j) => (j < 4 ? ((t + j) % 3 === 0 ? 0 : (j + 1) / 8) : j < 6 && t < 20 ? 0.5 : 0));
}

test('a gradient array kept across steps reads each step\'s gradient, with SGD and with Adam, on both backends', () => {
  for (const backend of ['wasm', 'ref'] as const) {
    for (const make of [(ps: Tensor[]) => new optim.SGD(ps, { lr: 0.1 }), (ps: Tensor[]) => new optim.Adam(ps, { lr: 0.01 })]) {
      withBackend(backend, () => {
        manualSeed(3);
        const lin = new nn.Linear(8, 16);
        const opt = make(lin.parameters());
        let held: Float32Array | null = null;
        for (let t = 0; t < 30; t++) {
          opt.zeroGrad();
          const x = sample(t);
          lin.forward(tensor(x)).sum().backward();
          held ??= lin.weight.grad!.data;
          opt.step();
          // d sum(W·x + b) / dW[o][j] = x[j]; the storage is [in, out].
          for (let j = 0; j < 8; j++) for (let o = 0; o < 16; o++) assert.ok(Object.is(held[j * 16 + o], x[j] === 0 ? 0 : x[j]), `${backend} ${opt.constructor.name}: step ${t}, W[${o}][${j}]`);
        }
      });
    }
  }
});

test('writes into a handed-out gradient between backward and step are applied alike on both backends, in any row', () => {
  const run = (backend: 'wasm' | 'ref', adam: boolean): Float32Array => withBackend(backend, () => {
    manualSeed(4);
    const lin = new nn.Linear(8, 16);
    const opt = adam ? new optim.Adam(lin.parameters(), { lr: 0.01 }) : new optim.SGD(lin.parameters(), { lr: 0.1 });
    for (let t = 0; t < 40; t++) {
      opt.zeroGrad();
      lin.forward(tensor(sample(t))).sum().backward();
      // Row 7 (an input that is never lit) gets a gradient the engine did not write.
      const g = lin.weight.grad!.data;
      g[7 * 16 + 3] = 0.25;
      opt.step();
    }
    return lin.weight.toArray();
  });
  for (const adam of [false, true]) {
    const a = run('wasm', adam);
    const b = run('ref', adam);
    assertSameBits(a, b, adam ? 'Adam' : 'SGD');
    assert.notEqual(a[3 * 8 + 7], withBackend('ref', () => { manualSeed(4); return new nn.Linear(8, 16).weight.toArray()[3 * 8 + 7]; }), 'the written gradient moved W[3][7]');
  }
});

test('Adam moments kept or written through a handed-out array are honoured on both backends, also in long-dark rows', () => {
  const run = (backend: 'wasm' | 'ref'): { w: Float32Array; v: Float32Array } => withBackend(backend, () => {
    manualSeed(5);
    const lin = new nn.Linear(8, 16);
    const opt = new optim.Adam(lin.parameters(), { lr: 0.01 });
    let m: Float32Array | null = null;
    let v: Float32Array | null = null;
    for (let t = 0; t < 2000; t++) {
      opt.zeroGrad();
      lin.forward(tensor(sample(t))).sum().backward();
      opt.step();
      if (t === 5) {
        const s = (opt as unknown as { state: Map<Tensor, Record<string, Tensor>> }).state.get(lin.weight)!;
        m = s['exp_avg']!.data;
        v = s['exp_avg_sq']!.data;
      }
      // Rows 4–5 went dark after step 20: give one a first moment again, long after.
      if (t === 1500) m![5 * 16 + 2] = 0.5;
    }
    return { w: lin.weight.toArray(), v: v!.slice() };
  });
  const a = run('wasm');
  const b = run('ref');
  assertSameBits(a.w, b.w, 'weights');
  assertSameBits(a.v, b.v, 'the second moment, read through the array kept since step 5');
});
