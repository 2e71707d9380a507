// 3-D pooling against PyTorch 1.13 (fixtures/torch/pool3d.json, from make_pool3d.py): F.maxPool3d (indices, padding,
// dilation, ceil mode, a NaN), F.avgPool3d (padding counted or not, a divisor, ceil mode), F.adaptiveAvgPool3d and
// F.adaptiveMaxPool3d on 5-D and 4-D inputs — outputs and indices bit for bit (the kernels' float32 sums in window
// order), grad_fn names, the input's gradient — the modules' printing and the refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, nn, zeros, type Tensor } from '../../src/index.js';
import { assertSame, assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

interface Case { name: string; x: EncodedTensor; kwargs: Record<string, unknown>; out: EncodedTensor; indices: EncodedTensor | null; gradFn: string; upstream: EncodedTensor; grad: EncodedTensor }
const fx = loadFixture<{ cases: Case[]; reprs: string[]; refusals: Record<string, { message: string }> }>('pool3d.json');

function call(c: Case, x: Tensor): Tensor | [Tensor, Tensor] {
  const k = c.kwargs as Record<string, number | number[] | boolean | null>;
  const t = (v: unknown): F.AvgPool3dOptions['stride'] => (v === undefined ? undefined : (v as number | [number, number, number]));
  if (c.name.startsWith('max')) {
    return F.maxPool3d(x, k.kernel_size as number, { stride: t(k.stride), padding: t(k.padding) as number, dilation: t(k.dilation) as number, ceilMode: k.ceil_mode === true, returnIndices: true });
  }
  if (c.name.startsWith('avg')) {
    return F.avgPool3d(x, k.kernel_size as number, { stride: t(k.stride), padding: t(k.padding) as number, ceilMode: k.ceil_mode === true, countIncludePad: k.count_include_pad !== false, divisorOverride: (k.divisor_override as number) ?? null });
  }
  if (c.name.startsWith('adaptive avg')) return F.adaptiveAvgPool3d(x, k.output_size as [number, number | null, number]);
  return F.adaptiveMaxPool3d(x, k.output_size as [number, number, number], true);
}

for (const c of fx.cases) {
  test(`pool3d ${c.name}: output${c.indices ? ', indices' : ''}, grad_fn and gradient as PyTorch's`, () => {
    const x = decode(c.x, true);
    const r = call(c, x);
    const values = Array.isArray(r) ? r[0] : r;
    assertSame(values, c.out, 'out');
    if (c.indices !== null) assertSame((r as [Tensor, Tensor])[1], c.indices, 'indices');
    assert.equal(values.gradFn?.torchName, c.gradFn);
    values.backward(decode(c.upstream));
    assertTensorClose(x.grad, c.grad, 'gradient', { rtol: 1e-6, atol: 1e-7 });
  });
}

test("the 3-D pooling modules print as PyTorch's, and PyTorch's refusals", () => {
  const mods = [new nn.MaxPool3d(2), new nn.MaxPool3d(3, { stride: 2, padding: 1, ceilMode: true }), new nn.AvgPool3d(2), new nn.AvgPool3d(3, { stride: 2, padding: 1 }),
    new nn.AdaptiveAvgPool3d(2), new nn.AdaptiveAvgPool3d([2, null, 3]), new nn.AdaptiveMaxPool3d(2)];
  assert.deepEqual(mods.map(String), fx.reprs);
  const x = zeros([1, 2, 4, 4, 4]);
  assert.deepEqual([...mods[0]!.forward(x).shape], [1, 2, 2, 2, 2]);
  const r = fx.refusals;
  assert.throws(() => F.maxPool3d(zeros([1, 2, 5, 6, 7]), 2, { stride: 2, padding: 2 }), (e: Error) => e.message === r.max_pad!.message);
  assert.throws(() => F.maxPool3d(zeros([4, 4, 4]), 2), (e: Error) => e.message === r.dims!.message);
});
