// floor/ceil/round/trunc, repeat, split, chunk, maskedFill, any, all, gather and indexSelect against PyTorch 1.13, values and input
// gradients (fixtures/torch/more-ops.json, written by make_more_ops.py).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arange, tensor, type Tensor } from '../../src/index.js';
import { decode, loadFixture, values, type EncodedTensor, assertSame } from './golden-helpers.js';

interface Fx {
  rounding: { fn: 'floor' | 'ceil' | 'round' | 'trunc'; input: EncodedTensor; out: EncodedTensor; grad: EncodedTensor }[];
  repeat: { input: EncodedTensor; cases: { sizes: number[]; out: EncodedTensor; grad: EncodedTensor }[] };
  parts: { input: EncodedTensor; cases: { kind: 'split' | 'chunk'; arg: number | number[]; dim: number; outs: EncodedTensor[]; grad: EncodedTensor }[] };
  maskedFill: { input: EncodedTensor; cases: { label: string; mask: EncodedTensor; value: number | string; out: EncodedTensor; grad: EncodedTensor }[] };
  logic: { input: EncodedTensor; cases: { fn: 'any' | 'all'; dim: number | null; keepdim?: boolean; out: EncodedTensor }[] };
  picks: { input: EncodedTensor; cases: { kind: 'gather' | 'index_select'; dim: number; index: EncodedTensor; out: EncodedTensor; grad: EncodedTensor }[] };
}
const fx = loadFixture<Fx>('more-ops.json');

/** (k + 1) · (1, 2, 3, …) over `t`'s shape: the fixture's output gradient for part k. */
const ramp = (t: Tensor, k = 0): Tensor => arange(1, t.numel() + 1).mul(k + 1).reshape(t.shape);

test('floor, ceil, round (half to even) and trunc are PyTorch\'s, signed zeros, NaN and ∞ included; their gradient is zeros', () => {
  for (const c of fx.rounding) {
    const x = decode(c.input, true);
    const out = x[c.fn]();
    assertSame(out, c.out, c.fn);
    out.sum().backward();
    assertSame(x.grad!, c.grad, `${c.fn}: gradient`);
  }
});

test('repeat tiles as PyTorch\'s, and its gradient sums the tiles', () => {
  for (const c of fx.repeat.cases) {
    const x = decode(fx.repeat.input, true);
    const out = x.repeat(c.sizes);
    assertSame(out, c.out, `repeat(${c.sizes.join(', ')})`);
    assertSame(x.repeat(...c.sizes), c.out, `repeat(${c.sizes.join(', ')}) by position`);
    out.backward(ramp(out));
    assertSame(x.grad!, c.grad, `repeat(${c.sizes.join(', ')}): gradient`);
  }
  assert.throws(() => tensor([[1, 2]]).repeat(2), /repeat: give at least as many sizes as the tensor has dimensions \(2, shape \[1, 2\]\), got 1/);
  assert.throws(() => tensor([1]).repeat(-1), /sizes must be integers ≥ 0, got the number -1/);
});

test('split and chunk give PyTorch\'s parts, as views whose gradients land in their places', () => {
  for (const c of fx.parts.cases) {
    const x = decode(fx.parts.input, true);
    const label = `${c.kind}(${JSON.stringify(c.arg)}, ${c.dim})`;
    const outs = c.kind === 'split' ? x.split(c.arg, c.dim) : x.chunk(c.arg as number, c.dim);
    assert.equal(outs.length, c.outs.length, `${label}: parts`);
    outs.forEach((o, k) => assertSame(o, c.outs[k]!, `${label}, part ${k}`));
    outs.map((o, k) => o.mul(ramp(o, k)).sum()).reduce((a, b) => a.add(b)).backward();
    assertSame(x.grad!, c.grad, `${label}: gradient`);
  }
  assert.throws(() => arange(7).split([3, 3]), /split: the sizes \[3, 3\] add up to 6, but dimension 0 has 7 \(shape \[7\]\)/);
  assert.throws(() => arange(7).chunk(0), /chunk: the number of chunks must be an integer ≥ 1, got the number 0/);
  // PyTorch: "split expects at least a 1-dimensional tensor" (and chunk the same); Kindling gave [] and a NaN message.
  for (const dim of [0, -1]) {
    assert.throws(() => tensor(2.5).split(1, dim), /split: expects a tensor of at least 1 dimension, got a 0-d tensor \(shape \[\]\)/);
    assert.throws(() => tensor(2.5).chunk(1, dim), /chunk: expects a tensor of at least 1 dimension, got a 0-d tensor \(shape \[\]\)/);
  }
});

test('maskedFill is PyTorch\'s masked_fill: the value where the mask is set, the gradient elsewhere', () => {
  for (const c of fx.maskedFill.cases) {
    const x = decode(fx.maskedFill.input, true);
    const value = values({ shape: [], data: [c.value as number] })[0]!;
    const out = x.maskedFill(decode(c.mask), typeof c.value === 'string' ? Number(c.value) : value);
    assertSame(out, c.out, c.label);
    out.backward(ramp(out));
    assertSame(x.grad!, c.grad, `${c.label}: gradient`);
  }
});

test('any and all are PyTorch\'s (NaN counts as set), as 1 and 0, over everything or a dimension', () => {
  const x = decode(fx.logic.input);
  for (const c of fx.logic.cases) {
    const out = c.dim === null ? x[c.fn]() : x[c.fn](c.dim, c.keepdim ?? false);
    assertSame(out, c.out, `${c.fn}(${c.dim ?? ''}${c.keepdim ? ', keepdim' : ''})`);
  }
});

test('float() is the tensor itself, and JSON.stringify writes a tensor\'s values', () => {
  const x = tensor([[1, 2.5], [3, 4]]);
  assert.equal(x.float(), x);
  assert.equal(JSON.stringify({ w: x }), '{"w":[[1,2.5],[3,4]]}');
  assert.equal(JSON.stringify(x.t()), '[[1,3],[2.5,4]]');
});

test('gather and indexSelect pick PyTorch\'s values, and their gradients add into the places picked', () => {
  for (const c of fx.picks.cases) {
    const x = decode(fx.picks.input, true);
    const index = decode(c.index);
    const label = `${c.kind}(${c.dim}, [${c.index.shape.join(', ')}])`;
    const out = c.kind === 'gather' ? x.gather(c.dim, index) : x.indexSelect(c.dim, index);
    assertSame(out, c.out, label);
    out.backward(ramp(out));
    assertSame(x.grad!, c.grad, `${label}: gradient`);
  }
  const x = arange(6).reshape(2, 3);
  assert.throws(() => x.gather(1, tensor([[3]])), /gather: index 3 \(element 0 of the index\) is out of range for dimension 1 of size 3/);
  assert.throws(() => x.gather(1, tensor([0, 1])), /gather: the index must have as many dimensions as the input \(2, shape \[2, 3\]\), got shape \[2\]/);
  assert.throws(() => x.gather(1, tensor([[0], [1], [0]])), /larger than the input's \[2, 3\] in dimension 0/);
  assert.throws(() => x.indexSelect(0, tensor([0.5])), /indices are whole numbers/);
  assert.throws(() => x.indexSelect(0, tensor([[0]])), /indexSelect: the index must be 1-D/);
});
