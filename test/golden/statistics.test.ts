// cov, corrcoef, trapezoid (trapz), cumulativeTrapezoid, varMean and stdMean against PyTorch 1.13 (fixtures/torch/statistics.json,
// from make_statistics.py): outputs, grad_fn names and the input's gradient, and PyTorch's refusals with its
// messages. Tolerance rtol 1e-5 (atol 1e-6): the ops are PyTorch's in its order, but its sums and matrix products
// add in another order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corrcoef, cov, cumulativeTrapezoid, stdMean, tensor, trapezoid, trapz, varMean, zeros, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

interface Case {
  y: EncodedTensor;
  out: EncodedTensor;
  upstream: EncodedTensor;
  gradFn: string | null;
  grad: EncodedTensor | null;
}
const fx = loadFixture<{
  cov: (Case & { options: { correction?: number; fweights?: EncodedTensor; aweights?: EncodedTensor } })[];
  corrcoef: Case[];
  trapezoid: (Case & { fn: 'trapezoid' | 'cumulativeTrapezoid'; x: EncodedTensor | null; options: { dx?: number; dim?: number } })[];
  trapz: Case;
  varMean: { fn: 'varMean' | 'stdMean'; y: EncodedTensor; args: unknown[]; options: Record<string, unknown>; outs: EncodedTensor[]; upstreams: EncodedTensor[]; gradFn: string; grad: EncodedTensor }[];
  refusals: Record<string, { type: string; message: string }>;
}>('statistics.json');
const tol = { rtol: 1e-5, atol: 1e-6 };

function check(c: Case, fn: (y: Tensor) => Tensor): void {
  const y = decode(c.y, true);
  const out = fn(y);
  assertTensorClose(out, c.out, 'out', tol);
  assert.equal(out.gradFn?.torchName ?? null, c.gradFn);
  if (c.grad === null) return;
  out.backward(decode(c.upstream));
  assertTensorClose(y.grad, c.grad, 'grad', tol);
}

for (const c of fx.cov) {
  const o = c.options;
  test(`cov([${c.y.shape}], ${Object.keys(o).join(', ') || 'defaults'}) matches PyTorch (value, grad, grad_fn)`, () => {
    check(c, (y) => cov(y, { ...(o.correction === undefined ? {} : { correction: o.correction }), fweights: o.fweights ? decode(o.fweights) : null, aweights: o.aweights ? decode(o.aweights) : null }));
  });
}
for (const c of fx.corrcoef) test(`corrcoef([${c.y.shape}]) matches PyTorch`, () => check(c, corrcoef));
for (const c of fx.trapezoid) {
  test(`${c.fn}([${c.y.shape}]${c.x ? `, x [${c.x.shape}]` : ''}, ${JSON.stringify(c.options)}) matches PyTorch`, () => {
    const fn = c.fn === 'trapezoid' ? trapezoid : cumulativeTrapezoid;
    check(c, (y) => (c.x ? fn(y, decode(c.x), c.options) : fn(y, c.options)));
  });
}
test('trapz is trapezoid, and dx may be given by position', () => {
  check(fx.trapz, (y) => trapz(y, 0.25));
  check(fx.trapz, (y) => trapezoid(y, { dx: 0.25 }));
});

for (const c of fx.varMean) {
  test(`${c.fn}([${c.y.shape}], ${JSON.stringify(c.args)}, ${JSON.stringify(c.options)}) matches PyTorch (both outputs, grad_fn, gradient)`, () => {
    const x = decode(c.y, true);
    const fn = c.fn === 'varMean' ? varMean : stdMean;
    const a = c.args as [number | number[] | undefined, boolean | undefined, boolean | undefined];
    const outs = Object.keys(c.options).length > 0 ? fn(x, a[0] ?? null, c.options) : fn(x, ...a);
    outs.forEach((o, i) => {
      assertTensorClose(o, c.outs[i]!, `output ${i}`, tol);
      assert.equal(o.gradFn?.torchName, c.gradFn);
    });
    outs[0].mul(decode(c.upstreams[0]!)).sum().add(outs[1].mul(decode(c.upstreams[1]!)).sum()).backward();
    assertTensorClose(x.grad, c.grad, 'grad', tol);
  });
}

test('the refusals carry PyTorch\'s messages', () => {
  const r = fx.refusals;
  const same = (fn: () => unknown, key: string): void => assert.throws(fn, (e: Error) => e.message === r[key]!.message, key);
  const z = (...s: number[]): Tensor => zeros(s);
  same(() => cov(z(2, 2, 2)), 'cov 3-D');
  same(() => cov(z(2, 3), { fweights: z(3, 1) }), 'cov fweights 2-D');
  same(() => cov(z(2, 3), { fweights: tensor([1, 1]) }), 'cov fweights numel');
  same(() => cov(z(2, 3), { fweights: tensor([1, -1, 1]) }), 'cov fweights negative');
  same(() => cov(z(2, 3), { aweights: tensor([1, 1, 1, 1]) }), 'cov aweights numel');
  same(() => cov(z(2, 3), { aweights: tensor([1, -1, 1]) }), 'cov aweights negative');
  same(() => cov(z(2, 3), { aweights: z(3) }), 'cov weights zero');
  same(() => corrcoef(z(2, 2, 2)), 'corrcoef 3-D');
  same(() => trapezoid(z(3, 5), z(4)), 'trapezoid x');
  same(() => cumulativeTrapezoid(z(3, 5), z(4)), 'cumulative x');
  // PyTorch's fweights are integers; Kindling's tensors are float32, so a fraction is refused instead.
  assert.throws(() => cov(z(2, 3), { fweights: tensor([1, 0.5, 1]) }), /fweights to have integral dtype/);
});

test('cov with weights and no degrees of freedom left divides by +0, as PyTorch\'s zeroed norm factor', () => {
  // PyTorch 1.13: torch.cov([[1, 2], [3, 5]], correction=3, fweights=[1, 1]) → every entry inf (with its warning);
  // the sign of a negative norm factor kept (−0) gave −inf.
  const c = cov(tensor([[1, 2], [3, 5]]), { correction: 3, fweights: tensor([1, 1]) });
  assert.deepEqual(c.tolist(), [[Infinity, Infinity], [Infinity, Infinity]]);
});
