// cdist against PyTorch 1.13 (fixtures/torch/cdist.json, from make_cdist.py): p 2, 1, 0, 3, 0.5 and ∞, batches that
// broadcast, and the matrix-product path for p = 2 (over 25 rows, or asked for): outputs, grad_fn names, both
// inputs' gradients, refusals. The direct kernel sums each distance in float32 as PyTorch's (its bits for p 0, 1, 2, ∞; rtol 1e-6 for
// other p, whose powers are the platform's); the
// matrix-product path and the gradients sum in another order (rtol 1e-5, atol 1e-5: the product path cancels).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cdist, zeros, type CdistComputeMode } from '../../src/index.js';
import { assertSame, assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

interface Case {
  x1: EncodedTensor;
  x2: EncodedTensor;
  p: number | 'Infinity';
  mode: CdistComputeMode;
  out: EncodedTensor;
  upstream: EncodedTensor;
  gradFn: string;
  grad1: EncodedTensor;
  grad2: EncodedTensor;
}
const fx = loadFixture<{ cases: Case[]; refusals: Record<string, { message: string }> }>('cdist.json');

for (const c of fx.cases) {
  test(`cdist([${c.x1.shape}], [${c.x2.shape}], p ${c.p}, ${c.mode}) matches PyTorch`, () => {
    const a = decode(c.x1, true);
    const b = decode(c.x2, true);
    const out = cdist(a, b, c.p === 'Infinity' ? Infinity : c.p, c.mode);
    const direct = c.gradFn === 'CdistBackward0';
    assertTensorClose(out, c.out, 'out', direct ? { rtol: 1e-6, atol: 1e-7 } : { rtol: 1e-5, atol: 1e-5 });
    // PyTorch's direct kernel for p 0, 1, 2 and ∞ adds each rounded term in order: the same bits here.
    if (direct && [0, 1, 2, 'Infinity'].includes(c.p)) assertSame(out, c.out, 'out bits');
    assert.equal(out.gradFn?.torchName, c.gradFn);
    out.backward(decode(c.upstream));
    assertTensorClose(a.grad, c.grad1, 'grad x1', { rtol: 1e-5, atol: 1e-5 });
    assertTensorClose(b.grad, c.grad2, 'grad x2', { rtol: 1e-5, atol: 1e-5 });
  });
}

test('cdist refuses with PyTorch\'s messages', () => {
  const r = fx.refusals;
  const same = (fn: () => unknown, key: string): void => assert.throws(fn, (e: Error) => e.message === r[key]!.message, key);
  same(() => cdist(zeros([4]), zeros([5, 4])), '1-D');
  same(() => cdist(zeros([3, 4]), zeros([5, 3])), 'columns');
  same(() => cdist(zeros([3, 4]), zeros([5, 4]), -1), 'p');
  assert.throws(() => cdist(zeros([3, 4]), zeros([5, 4]), 2, 'x' as CdistComputeMode), /is not a valid value for compute_mode/);
});
