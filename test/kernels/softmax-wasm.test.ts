// The wasm softmax kernels against the reference loops. Their e^x is a port of fdlibm's exp, the algorithm of V8's
// Math.exp: first that port against Math.exp itself, bit for bit, in every branch of the algorithm (the reduction's
// two forms, tiny arguments, the thresholds of overflow and underflow, subnormal results, NaN and ±∞); then softmax,
// log-softmax and log-softmax's backward on both backends, rows long and short, with ±∞, NaN and signed zeros in them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activeWasm } from '../../src/kernels/backend.js';
import { allocStorage } from '../../src/kernels/storage.js';
import { logSoftmaxBackwardRows, softmaxRows } from '../../src/kernels/wasm/softmax.js';
import { F, Tensor } from '../../src/index.js';
import { assertSameBits, awkward, requireWasm, rng, withBackend } from './helpers.js';

/** A float64 from its high and low 32-bit words. */
function fromWords(high: number, low: number): number {
  const b = new DataView(new ArrayBuffer(8));
  b.setUint32(0, high >>> 0);
  b.setUint32(4, low >>> 0);
  return b.getFloat64(0);
}

test('the kernels\' fdlibm exp gives Math.exp\'s bits in every branch', () => {
  requireWasm();
  const exp = activeWasm()!.exports.fdlibmExpF64;
  const r = rng(5);
  const xs: number[] = [0, -0, Number.NaN, Infinity, -Infinity, 1, -1, 709.782712893384, 709.7827128933841, -745.1332191019411,
    -745.1332191019412, -708.3964185322641, -708.4, -720, -744.5, 1e-300, -1e-300, 5e-324, Math.LN2 / 2, -Math.LN2 / 2, 1.5 * Math.LN2, -1.5 * Math.LN2];
  // Around each of the algorithm's high-word thresholds, both signs.
  for (const high of [0x40862e42, 0x3fd62e42, 0x3ff0a2b2, 0x3e300000, 0x7ff00000]) {
    for (const dh of [-1, 0, 1]) {
      for (const low of [0, 1, 0x7fffffff, 0xffffffff]) {
        xs.push(fromWords(high + dh, low), fromWords((high + dh) | 0x80000000, low));
      }
    }
  }
  // Between ln2/2 and the end of its high word, and just below 1.5·ln2: where the reduction's k changes.
  for (let i = 0; i < 3000; i++) {
    const low = 0xfefa39ef + Math.floor(r() * (0x100000000 - 0xfefa39ef));
    xs.push(fromWords(0x3fd62e42, low), fromWords(0xbfd62e42, low));
    xs.push(fromWords(0x3ff0a2b1, Math.floor(r() * 0x100000000)), fromWords(0xbff0a2b1, Math.floor(r() * 0x100000000)));
  }
  // Random arguments over every scale, and differences of float32 values as softmax makes them.
  for (let i = 0; i < 20000; i++) {
    xs.push((r() - 0.5) * 1500, (r() - 0.5) * 4, (r() - 0.5) * 1e-7, -r() * 50, Math.fround(r() * 30) - Math.fround(r() * 30));
    xs.push(fromWords(Math.floor(r() * 0x100000000), Math.floor(r() * 0x100000000)));
  }
  // The one-value form, and the two-lane form with each value beside a neighbour from elsewhere in the list (so that
  // ordinary lanes sit next to lanes computed one at a time).
  const w = activeWasm()!;
  const slot = allocStorage(4);
  const pair = new Float64Array(w.heap.memory.buffer, slot.byteOffset, 2);
  const same = (got: number, want: number): boolean => Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want));
  let checked = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const want = Math.exp(x);
    const got = exp(x);
    if (!same(got, want)) assert.fail(`exp(${x}): kernel ${got}, Math.exp ${want}`);
    const other = xs[(i * 7919) % xs.length]!;
    w.exports.fdlibmExpPair(x, other, slot.byteOffset);
    if (!same(pair[0]!, want)) assert.fail(`exp(${x}) in lane 0 beside ${other}: kernel ${pair[0]}, Math.exp ${want}`);
    if (!same(pair[1]!, Math.exp(other))) assert.fail(`exp(${other}) in lane 1 beside ${x}: kernel ${pair[1]}, Math.exp ${Math.exp(other)}`);
    checked++;
  }
  assert.ok(checked > 120000);
});

/** Softmax and log-softmax of x along the last dimension on one backend, with log-softmax's input gradient for g. */
function run(backend: 'ref' | 'wasm', x: Float32Array, shape: number[], g: Float32Array): Float32Array[] {
  return withBackend(backend, () => {
    const soft = new Tensor(x.slice(), shape).softmax(-1).toArray();
    const xl = new Tensor(x.slice(), shape, { requiresGrad: true });
    const y = xl.logSoftmax(-1);
    y.backward(new Tensor(g.slice(), shape));
    return [soft, y.toArray(), xl.grad!.toArray()];
  });
}

test('softmax, log-softmax and its backward: the wasm kernels give the reference loops\' bits', () => {
  requireWasm();
  const shapes: number[][] = [[1, 256], [64, 10], [300, 512], [26, 10, 3], [1000, 10], [3, 1000], [257, 1], [40, 7]];
  let seed = 1;
  for (const shape of shapes) {
    const n = shape.reduce((a, b) => a * b, 1);
    for (const range of [0.5, 30, 400, 2000]) {
      const x = awkward(n, seed++, range, range > 100);
      const g = awkward(n, seed++, 2);
      // Rows of equal values, a row all −∞, a row with +∞.
      x.fill(3, 0, Math.min(n, shape.at(-1)!));
      if (n >= 4 * shape.at(-1)!) {
        const w = shape.at(-1)!;
        x.fill(-Infinity, w, 2 * w);
        x[2 * w + 1] = Infinity;
      }
      const ref = run('ref', x, shape, g);
      const wasm = run('wasm', x, shape, g);
      const label = `[${shape.join(', ')}], range ${range}`;
      assertSameBits(wasm[0]!, ref[0]!, `softmax ${label}`);
      assertSameBits(wasm[1]!, ref[1]!, `logSoftmax ${label}`);
      assertSameBits(wasm[2]!, ref[2]!, `logSoftmax backward ${label}`);
    }
  }
});

test('cross-entropy over a batch: the same loss and gradients on both backends', () => {
  requireWasm();
  const r = rng(9);
  const logits = new Float32Array(128 * 10).map(() => (r() - 0.5) * 8);
  const labels = Array.from({ length: 128 }, () => Math.floor(r() * 10));
  const out = (backend: 'ref' | 'wasm'): Float32Array[] => withBackend(backend, () => {
    const z = new Tensor(logits.slice(), [128, 10], { requiresGrad: true });
    const loss = F.crossEntropyLoss(z, new Tensor(Float32Array.from(labels), [128]));
    loss.backward();
    return [loss.toArray(), z.grad!.toArray()];
  });
  const [a, b] = [out('ref'), out('wasm')];
  assertSameBits(b[0]!, a[0]!, 'loss');
  assertSameBits(b[1]!, a[1]!, 'gradient');
});

test('the softmax kernels may write over their input: the same bits as into another array', () => {
  requireWasm();
  const w = activeWasm()!;
  const x = awkward(40 * 33, 77, 30);
  for (const log of [false, true]) {
    const apart = new Float32Array(x.length);
    assert.ok(softmaxRows(w, x, 40, 33, apart, log));
    const same = allocStorage(x.length);
    same.set(x);
    assert.ok(softmaxRows(w, same, 40, 33, same, log));
    assertSameBits(same, apart, `${log ? 'log-softmax' : 'softmax'} in place`);
  }
  const y = awkward(40 * 33, 78, 3);
  const g = awkward(40 * 33, 79, 3);
  const apart = new Float32Array(y.length);
  assert.ok(logSoftmaxBackwardRows(w, y, g, 40, 33, apart));
  for (const which of ['y', 'g'] as const) {
    const ry = allocStorage(y.length);
    ry.set(y);
    const rg = allocStorage(g.length);
    rg.set(g);
    const into = which === 'y' ? ry : rg;
    assert.ok(logSoftmaxBackwardRows(w, ry, rg, 40, 33, into));
    assertSameBits(into, apart, `log-softmax backward over ${which}`);
  }
});
