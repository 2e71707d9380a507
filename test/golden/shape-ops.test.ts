// Tensor.unfold, quantile and nanquantile, tensorSplit/hsplit/vsplit/dsplit, takeAlongDim, hstack/vstack/rowStack/
// dstack/columnStack, atleast1d/2d/3d, broadcastTensors and broadcastShapes against PyTorch 1.13
// (fixtures/torch/shape-ops.json, from make_shape_ops.py): every output bit for bit (they move or pick values, and
// quantile's lerp is PyTorch's float32 formula), grad_fn names, the inputs' gradients (bit for bit but where a value
// takes several contributions: within 1e-6), and PyTorch's refusals with its messages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as torch from '../../src/index.js';
import { Tensor, tensor } from '../../src/index.js';
import { assertSame, assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

type Arg = { tensor: EncodedTensor } | { tensors: EncodedTensor[] } | number | number[] | boolean;
interface Case {
  fn: string; inputs: EncodedTensor[]; rest: Arg[]; kwargs: Record<string, unknown>; list: boolean; outs: EncodedTensor[];
  gradFns: (string | null)[]; upstreams: EncodedTensor[]; grads: (EncodedTensor | null)[];
}
const fx = loadFixture<{ cases: Case[]; broadcastShapes: { shapes: (number | number[])[]; out: number[] }[]; refusals: Record<string, { message: string }> }>('shape-ops.json');

const argOf = (a: Arg): unknown => (typeof a === 'object' && !Array.isArray(a) ? ('tensor' in a ? decode(a.tensor) : a.tensors.map((t) => decode(t))) : a);

/** Kindling's call for PyTorch's: positional arguments, PyTorch's keywords as an options object or positions. */
const CALLS: Record<string, (xs: Tensor[], rest: unknown[], kw: Record<string, unknown>) => Tensor | Tensor[]> = {
  unfold: ([x], r) => x!.unfold(r[0] as number, r[1] as number, r[2] as number),
  quantile: ([x], r, kw) => torch.quantile(x!, r[0] as number | Tensor, kw as torch.QuantileOptions),
  nanquantile: ([x], r, kw) => x!.nanquantile(r[0] as number | Tensor, kw as torch.QuantileOptions),
  tensor_split: ([x], r, kw) => torch.tensorSplit(x!, r[0] as number | number[], kw.dim as number | undefined),
  hsplit: ([x], r) => torch.hsplit(x!, r[0] as number),
  vsplit: ([x], r) => x!.vsplit(r[0] as number[]),
  dsplit: ([x], r) => torch.dsplit(x!, r[0] as number),
  take_along_dim: ([x], r, kw) => torch.takeAlongDim(x!, r[0] as Tensor, kw.dim as number | undefined),
  hstack: (xs) => torch.hstack(xs),
  vstack: (xs) => torch.vstack(xs),
  row_stack: (xs) => torch.rowStack(xs),
  dstack: (xs) => torch.dstack(xs),
  column_stack: (xs) => torch.columnStack(xs),
  atleast_1d: ([x]) => torch.atleast1d(x!),
  atleast_2d: ([x]) => torch.atleast2d(x!),
  atleast_3d: ([x]) => torch.atleast3d(x!),
  broadcast_tensors: (xs) => torch.broadcastTensors(...xs),
};

for (const c of fx.cases) {
  const label = `${c.fn}(${c.inputs.map((t) => `[${t.shape}]`).join(', ')}${c.rest.map((a) => `, ${typeof a === 'object' && !Array.isArray(a) ? 'tensor' : JSON.stringify(a)}`).join('')}${Object.keys(c.kwargs).length ? `, ${JSON.stringify(c.kwargs)}` : ''})`;
  test(`${label} matches PyTorch: outputs, grad_fn and gradients`, () => {
    const xs = c.inputs.map((t) => decode(t, true));
    const out = CALLS[c.fn]!(xs, c.rest.map(argOf), c.kwargs);
    const outs = Array.isArray(out) ? out : [out];
    assert.equal(Array.isArray(out), c.list, 'a list where PyTorch gives one');
    assert.equal(outs.length, c.outs.length, 'outputs');
    outs.forEach((o, i) => {
      assertSame(o, c.outs[i]!, `out ${i}`);
      assert.equal(o.gradFn?.torchName ?? null, c.gradFns[i], `grad_fn of out ${i}`);
    });
    let total: Tensor | null = null;
    outs.forEach((o, i) => {
      if (!o.requiresGrad) return;
      const term = o.mul(decode(c.upstreams[i]!)).sum();
      total = total === null ? term : total.add(term);
    });
    if (total !== null) (total as Tensor).backward();
    xs.forEach((x, i) => {
      const want = c.grads[i];
      if (want === null || want === undefined) return;
      assertTensorClose(x.grad, want, `grad of input ${i}`, { rtol: 1e-6, atol: 1e-6 });
    });
  });
}

test('broadcastShapes gives PyTorch\'s shapes', () => {
  for (const c of fx.broadcastShapes) assert.deepEqual(torch.broadcastShapes(...c.shapes), c.out);
});

test("PyTorch's refusals, with its messages", () => {
  const r = fx.refusals;
  const same = (fn: () => unknown, key: string): void => assert.throws(fn, (e: Error) => e.message === r[key]!.message, `${key}: ${r[key]!.message}`);
  const x = torch.zeros([3, 4]);
  same(() => x.unfold(1, 5, 1), 'unfold_size');
  same(() => x.unfold(1, 2, 0), 'unfold_step');
  same(() => torch.quantile(x, 1.5), 'quantile_q');
  same(() => torch.quantile(x, tensor([[0.5]])), 'quantile_q_2d');
  same(() => torch.quantile(x, tensor([0.5, -0.1])), 'quantile_q_tensor');
  same(() => torch.quantile(x, 0.5, { interpolation: 'x' as 'linear' }), 'quantile_interp');
  same(() => torch.quantile(tensor([]), 0.5), 'quantile_empty');
  same(() => torch.nanquantile(x, 2), 'nanquantile_q');
  // PyTorch's words after the function's name, which PyTorch's message leaves out.
  assert.throws(() => torch.tensorSplit(x, 0), (e: Error) => e.message === `tensorSplit: ${r.tensor_split_0!.message}`);
  same(() => torch.tensorSplit(tensor(1), 2), 'tensor_split_0d');
  same(() => torch.hsplit(x, 3), 'hsplit_divisible');
  same(() => torch.hsplit(tensor(1), 1), 'hsplit_0d');
  same(() => torch.vsplit(torch.zeros([5]), 1), 'vsplit_1d');
  same(() => torch.dsplit(x, 2), 'dsplit_2d');
  same(() => torch.takeAlongDim(x, tensor([0]), 0), 'take_along_dim_dims');
  same(() => torch.hstack([]), 'hstack_empty');
  same(() => torch.vstack([]), 'vstack_empty');
  same(() => torch.dstack([]), 'dstack_empty');
  same(() => torch.columnStack([]), 'column_stack_empty');
  same(() => torch.broadcastShapes([3], [4]), 'broadcast_shapes');
});

test('unfold is a view: a change through the tensor shows in its slices, and overlapping slices share elements', () => {
  const x = torch.arange(6);
  const u = x.unfold(0, 3, 2);
  assert.deepEqual(u.tolist(), [[0, 1, 2], [2, 3, 4]]);
  torch.noGrad(() => x.mul_(10));
  assert.deepEqual(u.tolist(), [[0, 10, 20], [20, 30, 40]]);
});
