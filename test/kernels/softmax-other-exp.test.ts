// On an engine whose Math.exp is not fdlibm's (JavaScriptCore calls the system's exp), the softmax kernels' port would
// disagree with the reference, which calls Math.exp: the dispatch checks the port against Math.exp once and then keeps
// softmax on the reference loop. Here Math.exp is replaced, for this process only, by one that differs in the last bit
// now and then, before any softmax runs; both backends must still give the reference's bits.
import { test } from 'node:test';
import { Tensor } from '../../src/index.js';
import { assertSameBits, awkward, requireWasm, withBackend } from './helpers.js';

test('softmax with a Math.exp other than fdlibm\'s: the wasm backend gives the reference\'s bits', () => {
  requireWasm();
  const exp = Math.exp;
  Math.exp = (x: number): number => {
    const e = exp(x);
    return Number.isFinite(e) && (Math.abs(x) * 1e6) % 3 < 1 ? e * (1 + 2 ** -52) : e;
  };
  try {
    const x = awkward(64 * 100, 4, 20);
    const run = (backend: 'ref' | 'wasm'): Float32Array[] => withBackend(backend, () => {
      const t = new Tensor(x.slice(), [64, 100], { requiresGrad: true });
      const y = t.logSoftmax(1);
      y.sum().backward();
      return [new Tensor(x.slice(), [64, 100]).softmax(1).toArray(), y.toArray(), t.grad!.toArray()];
    });
    const [a, b] = [run('ref'), run('wasm')];
    assertSameBits(b[0]!, a[0]!, 'softmax');
    assertSameBits(b[1]!, a[1]!, 'logSoftmax');
    assertSameBits(b[2]!, a[2]!, 'logSoftmax backward');
  } finally {
    Math.exp = exp;
  }
});
