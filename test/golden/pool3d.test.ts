// 3-D pooling against PyTorch 1.13 (fixtures/torch/pool3d.json, from make_pool3d.py): F.maxPool3d (indices, padding,
// dilation, ceil mode, a NaN), F.avgPool3d (padding counted or not, a divisor, ceil mode), F.adaptiveAvgPool3d and
// F.adaptiveMaxPool3d on 5-D and 4-D inputs — outputs and indices bit for bit (the kernels' float32 sums in window
// order), grad_fn names, the input's gradient — the modules' printing, empty batches and the refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, nn, zeros, type Tensor } from '../../src/index.js';
import { assertSame, assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

interface Case { name: string; x: EncodedTensor; kwargs: Record<string, unknown>; out: EncodedTensor; indices: EncodedTensor | null; gradFn: string; upstream: EncodedTensor; grad: EncodedTensor }
interface EmptyCase { op: string; shape: number[]; args: (number | [number, number, number])[]; out: number[] }
const fx = loadFixture<{ cases: Case[]; reprs: string[]; refusals: Record<string, { message: string }>; empty: EmptyCase[] }>('pool3d.json');

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

test("3-D pooling takes an empty batch (an adaptive one any empty first dimension, and an output size of 0) as PyTorch's, through F and the modules", () => {
  type Pool3d = (x: Tensor, size: number | [number, number, number]) => Tensor | [Tensor, Tensor];
  const call: Record<string, Pool3d> = {
    maxPool3d: F.maxPool3d, avgPool3d: F.avgPool3d, adaptiveAvgPool3d: F.adaptiveAvgPool3d, adaptiveMaxPool3d: F.adaptiveMaxPool3d,
    MaxPool3d: (x, k) => new nn.MaxPool3d(k).forward(x), AvgPool3d: (x, k) => new nn.AvgPool3d(k).forward(x),
    AdaptiveAvgPool3d: (x, k) => new nn.AdaptiveAvgPool3d(k).forward(x), AdaptiveMaxPool3d: (x, k) => new nn.AdaptiveMaxPool3d(k).forward(x),
  };
  assert.equal(fx.empty.length, 12);
  for (const c of fx.empty) {
    const x = zeros(c.shape, { requiresGrad: true });
    const y = call[c.op]!(x, c.args[0]!) as Tensor;
    assert.deepEqual([...y.shape], c.out, `${c.op} ${JSON.stringify(c.shape)}`);
    y.sum().backward();
    assert.deepEqual([...x.grad!.shape], c.shape);
  }
  const [values, indices] = F.maxPool3d(zeros([0, 2, 4, 4, 4]), 2, { returnIndices: true }) as [Tensor, Tensor];
  assert.deepEqual([[...values.shape], [...indices.shape]], [[0, 2, 2, 2, 2], [0, 2, 2, 2, 2]]);
});

test("3-D pooling checks its sizes as PyTorch does, with its messages (after the function's name), where it gave raw JS errors or wrong shapes", () => {
  const r = fx.refusals;
  const x = zeros([1, 2, 4, 5, 6]);
  const says = (fn: () => unknown, key: string, where: string): void => {
    assert.throws(fn, (e: Error) => e.message === `${where}: ${r[key]!.message}`, key);
  };
  says(() => F.maxPool3d(x, [0, 2, 2], { stride: 1 }), 'max_kernel', 'max_pool3d');
  says(() => F.avgPool3d(x, [-1, 2, 2], { stride: 1 }), 'avg_kernel', 'avg_pool3d');
  says(() => F.maxPool3d(x, 2, { stride: -1 }), 'max_stride', 'max_pool3d');
  says(() => F.avgPool3d(x, 2, { stride: [1, -2, 1] }), 'avg_stride', 'avg_pool3d');
  says(() => F.maxPool3d(x, 2, { dilation: 0 }), 'max_dilation', 'max_pool3d');
  says(() => F.maxPool3d(x, 2, { padding: -1 }), 'max_padding', 'max_pool3d');
  says(() => F.avgPool3d(x, 2, { padding: [0, -1, 0] }), 'avg_padding', 'avg_pool3d');
  // PyTorch's 3-D average wants the input at least the kernel's size, whatever the padding (its 3-D maximum does not).
  says(() => F.avgPool3d(zeros([1, 1, 4, 4, 3]), 4, { padding: [0, 0, 1] }), 'avg_small', 'avg_pool3d');
  assert.deepEqual([...(F.maxPool3d(zeros([1, 1, 4, 4, 3]), 4, { padding: [0, 0, 1] }) as Tensor).shape], [1, 1, 1, 1, 1]);
  // A kernel of 0 with the default stride: PyTorch says "stride should not be zero"; Kindling names the kernel.
  assert.throws(() => F.maxPool3d(x, [0, 2, 2]), /max_pool3d: kernel size should be greater than zero, but got kT: 0 kH: 2 kW: 2$/);
  assert.throws(() => F.avgPool3d(x, 2, { stride: 0 }), /avg_pool3d: stride should be greater than zero/);
  assert.throws(() => F.maxPool3d(x, 2, { dilation: -1 }), /max_pool3d: dilation should be greater than zero/);
  // Empty dimensions other than the batch: PyTorch's messages name them oddly ("non-batch dimension 0" for dimension 1).
  assert.ok(r.max_channels!.message.includes('non-batch dimensions to have positive length'));
  assert.throws(() => F.maxPool3d(zeros([1, 0, 3, 3, 3]), 2), /max_pool3d: the input \[1, 0, 3, 3, 3\] has no elements along dimension 1; only the batch may be empty/);
  assert.throws(() => F.avgPool3d(zeros([0, 3, 3, 3]), 2), /avg_pool3d: the input \[0, 3, 3, 3\] has no elements along dimension 0/);
  assert.ok(r.adaptive_avg_depth!.message.includes('dimension 2 being empty'));
  assert.throws(() => F.adaptiveAvgPool3d(zeros([1, 2, 0, 3, 3]), 2), /adaptive_avg_pool3d: the input \[1, 2, 0, 3, 3\] has no elements along dimension 2/);
  // The output size: three non-negative integers (or null), one for all.
  assert.ok(r.adaptive_avg_negative!.message.includes('must be greater than or equal to 0'));
  assert.ok(r.adaptive_avg_two!.message.includes('output_size must be 3'));
  for (const size of [-1, [-1, 2, 2], 2.5, [1, 2], [1, 2, 3, 4], '2']) {
    assert.throws(() => F.adaptiveAvgPool3d(x, size as number), TypeError);
    assert.throws(() => F.adaptiveAvgPool3d(x, size as number), /adaptive_avg_pool3d: output_size must be a non-negative integer or three of them \[depth, height, width\]/);
    assert.throws(() => F.adaptiveMaxPool3d(x, size as number), /adaptive_max_pool3d: output_size must be a non-negative integer or three of them/);
  }
});
