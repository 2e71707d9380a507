// Tensor metadata and creation helpers against PyTorch 1.13 (fixtures/torch/tensor-meta.json, from
// make_tensor_meta.py): stride() and storageOffset() of views and chains of views, randintLike's draws after the
// same seed, fullLike, the deprecated range, initialSeed, and getRngState/setRngState replaying draws.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as torch from '../../src/index.js';
import { arange, tensor, type Tensor } from '../../src/index.js';
import { decode, loadFixture, values, type EncodedTensor } from './golden-helpers.js';

const fx = loadFixture<{
  views: Record<string, { stride: number[]; offset: number }>;
  randintLike: { high: EncodedTensor; lowHigh: EncodedTensor; t: EncodedTensor; narrowT: EncodedTensor; permute: EncodedTensor; column: EncodedTensor };
  seed7: number;
  replay: { a: EncodedTensor; b: EncodedTensor };
  fullLike: EncodedTensor;
  range: { args: number[]; out: EncodedTensor }[];
  meta: { element_size: number; is_cuda: boolean; is_cpu: boolean; get_device: number; is_signed: boolean; stride1: number; strideM1: number };
}>('tensor-meta.json');

const x = (): Tensor => arange(24).reshape([2, 3, 4]);
const VIEWS: Record<string, (t: Tensor) => Tensor> = {
  'x': (t) => t,
  'select(0, 1)': (t) => t.select(0, 1),
  'narrow(1, 1, 2)': (t) => t.narrow(1, 1, 2),
  'narrow(2, 1, 2)': (t) => t.narrow(2, 1, 2),
  'transpose(0, 2)': (t) => t.transpose(0, 2),
  'select(1, 2)': (t) => t.select(1, 2),
  'select(0, 0).diagonal(1)': (t) => t.select(0, 0).diagonal(1),
  'select(0, 1).select(0, 2)': (t) => t.select(0, 1).select(0, 2),
  'transpose(1, 2).select(0, 1).narrow(0, 1, 2)': (t) => t.transpose(1, 2).select(0, 1).narrow(0, 1, 2),
  'select(0, 1).detach()': (t) => t.select(0, 1).detach(),
  'select(0, 1).reshape(12)': (t) => t.select(0, 1).reshape([12]),
  'narrow(2, 1, 2).contiguous()': (t) => t.narrow(2, 1, 2).contiguous(),
  'reshape(24).unfold(0, 3, 2)': (t) => t.reshape([24]).unfold(0, 3, 2),
  'select(2, 3).unsqueeze(0)': (t) => t.select(2, 3).unsqueeze(0),
  'permute(2, 0, 1).select(0, 2)': (t) => t.permute([2, 0, 1]).select(0, 2),
  'expand': () => arange(3).reshape([3, 1]).expand([3, 4]),
};

for (const [name, want] of Object.entries(fx.views)) {
  test(`${name}: PyTorch's stride() ${JSON.stringify(want.stride)} and storageOffset() ${want.offset}`, () => {
    const v = VIEWS[name]!(x());
    assert.deepEqual(v.stride(), want.stride);
    assert.equal(v.storageOffset(), want.offset);
    // The offset and strides locate each element: storage[offset + Σ iₖ·strideₖ] is the element.
    const flat = Array.from(v.toArray());
    const first = v.numel() === 0 ? undefined : flat[0];
    if (first !== undefined && name !== 'narrow(2, 1, 2).contiguous()') assert.equal(first, want.offset, 'the first element is the base\'s element at the offset');
  });
}

test('stride(dim), elementSize, isCuda, isCpu, getDevice and isSigned, as PyTorch\'s', () => {
  const t = x();
  assert.equal(t.stride(1), fx.meta.stride1);
  assert.equal(t.stride(-1), fx.meta.strideM1);
  assert.throws(() => t.stride(3), /out of range|range/i);
  assert.equal(t.elementSize(), fx.meta.element_size);
  assert.equal(t.isCuda, fx.meta.is_cuda);
  assert.equal(t.isCpu, fx.meta.is_cpu);
  assert.equal(t.getDevice(), fx.meta.get_device);
  assert.equal(t.isSigned(), fx.meta.is_signed);
  const s = t.stride();
  s[0] = 99;
  assert.deepEqual(t.stride(), [12, 4, 1], 'stride() gives a copy');
});

test('randintLike draws what torch.randint_like draws after the same seed', () => {
  torch.manualSeed(3);
  const like = torch.zeros(3, 4);
  assert.deepEqual(Array.from(torch.randintLike(like, 10).toArray()), values(fx.randintLike.high));
  const b = torch.randintLike(like, 5, 10);
  assert.deepEqual(Array.from(b.toArray()), values(fx.randintLike.lowHigh));
  assert.deepEqual(b.shape, [3, 4]);
  const g = new torch.Generator(3);
  assert.deepEqual(Array.from(torch.randintLike(like, 10, { generator: g }).toArray()), values(fx.randintLike.high));
  assert.throws(() => torch.randintLike([1, 2] as unknown as Tensor, 3), /expected a Tensor/);
});

test('randintLike on a view draws in its memory order, as torch.randint_like (whose result takes the layout)', () => {
  const views = {
    t: () => torch.zeros(4, 3).t(),
    narrowT: () => torch.zeros(3, 5).narrow(1, 0, 2).t(),
    permute: () => torch.zeros(2, 3, 4).permute(2, 0, 1),
    column: () => torch.zeros(5, 3).select(1, 1),
  };
  for (const [name, make] of Object.entries(views)) {
    torch.manualSeed(5);
    const r = torch.randintLike(make(), 2, 9);
    const want = fx.randintLike[name as keyof typeof views];
    assert.deepEqual(r.shape, want.shape, name);
    assert.deepEqual(Array.from(r.toArray()), values(want), name);
  }
});

test('initialSeed, and getRngState/setRngState replaying the same draws, as PyTorch\'s', () => {
  torch.manualSeed(7);
  assert.equal(torch.initialSeed(), fx.seed7);
  const state = torch.getRngState();
  const a = torch.rand(5);
  torch.randint(0, 10, [7]);
  torch.setRngState(state);
  const b = torch.rand(5);
  assert.deepEqual(Array.from(a.toArray()), values(fx.replay.a));
  assert.deepEqual(Array.from(b.toArray()), values(fx.replay.b));
  const s1 = torch.seed();
  assert.equal(torch.initialSeed(), s1);
  const s2 = torch.seed();
  assert.notEqual(s1, s2, 'two non-deterministic seeds (equal once in 2^64)');
  torch.manualSeed(0);
});

test('fullLike, emptyLike, empty, asTensor and range, as PyTorch\'s (empty\'s values are zeros in Kindling)', () => {
  const f = torch.fullLike(x(), 2.5);
  assert.deepEqual(f.shape, fx.fullLike.shape);
  assert.deepEqual(Array.from(f.toArray()), values(fx.fullLike));
  assert.deepEqual(torch.fullLike(x(), 1, { requiresGrad: true }).requiresGrad, true);
  assert.deepEqual(torch.emptyLike(x()).shape, [2, 3, 4]);
  assert.deepEqual(torch.empty(2, 3).shape, [2, 3]);
  assert.deepEqual(torch.empty([2, 3]).shape, [2, 3]);
  assert.ok(Array.from(torch.empty(4).toArray()).every((v) => v === 0));
  const t = tensor([1, 2]);
  assert.equal(torch.asTensor(t), t, 'a tensor is given back as it is');
  assert.deepEqual(Array.from(torch.asTensor([[1, 2]]).toArray()), [1, 2]);
  for (const r of fx.range) {
    const [start, end, step] = r.args as [number, number, number?];
    const got = step === undefined ? torch.range(start, end) : torch.range(start, end, step);
    assert.deepEqual(got.shape, r.out.shape, `range(${r.args.join(', ')})`);
    assert.deepEqual(Array.from(got.toArray()), Array.from(decode(r.out).toArray()), `range(${r.args.join(', ')})`);
  }
  assert.throws(() => torch.range(0, 1, 0), /step must be nonzero/);
  assert.throws(() => torch.range(0, 1, -1), /inconsistent with step sign/);
  assert.throws(() => torch.fullLike(x(), 'a' as unknown as number), /fill value must be a number/);
});
