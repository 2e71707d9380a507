// Max pooling's indices, max unpooling and power-average pooling against PyTorch (fixtures/torch/unpool.json, from
// make_unpool.py): maxPool2d with returnIndices (ties and NaN), maxUnpool1d/2d/3d after the matching pooling (values
// bit for bit, gradients, default and given output sizes, node names), lpPool1d/2d and their layers (values,
// gradients, printing), MaxUnpool's printing, and PyTorch's refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, nn, tensor, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, values, type EncodedTensor } from './golden-helpers.js';

interface Fixture {
  indices: { name: string; input: EncodedTensor; kwargs: Record<string, unknown>; values: EncodedTensor; indices: EncodedTensor }[];
  unpool: { dims: 1 | 2 | 3; kwargs: { kernel_size: number | number[]; stride?: number | number[]; padding?: number | number[] }; outputSize: number[] | null; input: EncodedTensor; indices: EncodedTensor; out: EncodedTensor; upstream: EncodedTensor; grad: EncodedTensor; node: string }[];
  lp: { dims: 1 | 2; norm: number; kernel: number | number[]; stride: number | number[] | null; ceil: boolean; input: EncodedTensor; out: EncodedTensor; upstream: EncodedTensor; grad: EncodedTensor; repr: string }[];
  reprs: string[];
  errors: Record<string, { type: string; message: string }>;
}

const fx = loadFixture<Fixture>('unpool.json');

for (const c of fx.indices) {
  test(`maxPool2d ${c.name} with returnIndices: PyTorch's values and indices bit for bit (a tie, a NaN)`, () => {
    const { kernel_size: k, ceil_mode: ceilMode, ...rest } = c.kwargs as { kernel_size: number | [number, number]; ceil_mode?: boolean; stride?: number | [number, number]; padding?: number; dilation?: number };
    const [v, i] = F.maxPool2d(decode(c.input), k, { ...rest, ...(ceilMode === undefined ? {} : { ceilMode }), returnIndices: true });
    assert.deepEqual([...v.toArray()], values(c.values));
    assert.deepEqual([...i.toArray()], values(c.indices));
    // The layer gives the same through forwardWithIndices, and its forward with returnIndices.
    const layer = new nn.MaxPool2d(k, { ...rest, ...(ceilMode === undefined ? {} : { ceilMode }), returnIndices: true });
    assert.deepEqual([...layer.forwardWithIndices(decode(c.input))[1].toArray()], values(c.indices));
    assert.ok(Array.isArray(layer.forward(decode(c.input))));
  });
}

const UNPOOL = { 1: F.maxUnpool1d, 2: F.maxUnpool2d, 3: F.maxUnpool3d } as unknown as Record<1 | 2 | 3, (x: Tensor, i: Tensor, k: unknown, o: object) => Tensor>;
const LAYER = { 1: nn.MaxUnpool1d, 2: nn.MaxUnpool2d, 3: nn.MaxUnpool3d } as unknown as Record<1 | 2 | 3, new (k: unknown, s?: unknown, p?: unknown) => nn.Module & { forward(x: Tensor, i: Tensor, size?: number[] | null): Tensor }>;

for (const c of fx.unpool) {
  test(`maxUnpool${c.dims}d ${JSON.stringify(c.kwargs)} outputSize ${JSON.stringify(c.outputSize)}: PyTorch's output bit for bit, its gradient and node`, () => {
    const k = c.kwargs;
    for (const form of ['F', 'nn'] as const) {
      const x = decode(c.input, true);
      const i = decode(c.indices);
      const out = form === 'F'
        ? UNPOOL[c.dims](x, i, k.kernel_size, { stride: k.stride ?? null, padding: k.padding ?? 0, outputSize: c.outputSize })
        : new LAYER[c.dims](k.kernel_size, k.stride ?? null, k.padding ?? 0).forward(x, i, c.outputSize);
      assert.deepEqual([...out.shape], c.out.shape);
      assert.deepEqual([...out.toArray()], values(c.out));
      assert.equal(out.gradFn?.torchName, c.node);
      out.backward(decode(c.upstream));
      assert.deepEqual([...x.grad!.toArray()], values(c.grad));
    }
  });
}

for (const c of fx.lp) {
  test(`${c.repr}: PyTorch's values and gradients, and its printing`, () => {
    const x = decode(c.input, true);
    const layer = c.dims === 1
      ? new nn.LPPool1d(c.norm, c.kernel as number, c.stride as number | null, c.ceil)
      : new nn.LPPool2d(c.norm, c.kernel as number | [number, number], c.stride as number | [number, number] | null, c.ceil);
    assert.equal(layer.toString(), c.repr);
    const out = layer.forward(x);
    // PyTorch's own ops composed: x^p, an average, |a|, a product and a root, each within float32 rounding.
    assertTensorClose(out, c.out, 'value', { rtol: 2e-6, atol: 1e-7 });
    out.backward(decode(c.upstream));
    assertTensorClose(x.grad, c.grad, 'grad', { rtol: 1e-5, atol: 1e-6 });
  });
}

test("MaxUnpool1d/2d/3d print as PyTorch's", () => {
  const made = [new nn.MaxUnpool1d(2), new nn.MaxUnpool1d(3, 2, 1), new nn.MaxUnpool2d(2), new nn.MaxUnpool2d([2, 3], [1, 2], [1, 0]),
    new nn.MaxUnpool3d(2), new nn.MaxUnpool3d(3, 2, 1), new nn.MaxPool2d(2, { returnIndices: true })];
  assert.deepEqual(made.map(String), fx.reprs);
});

test("maxUnpool refuses what PyTorch refuses, with PyTorch's words", () => {
  const x = tensor([[[[1, 1], [1, 1]]]]);
  const i = (v: number): Tensor => tensor([[[[v, v], [v, v]]]]);
  const e = fx.errors;
  const cases: [string, () => unknown][] = [
    ['badIndex', () => F.maxUnpool2d(x, i(20), 2)],
    ['negativeIndex', () => F.maxUnpool2d(x, i(-1), 2)],
    ['badIndex3d', () => F.maxUnpool3d(tensor([[[[[1, 1], [1, 1]]]]]), tensor([[[[[99, 99], [99, 99]]]]]), 2)],
    ['shape', () => F.maxUnpool2d(x, tensor([[[[0, 0, 0], [0, 0, 0]]]]), 2)],
    ['dims', () => F.maxUnpool2d(tensor([[1, 1], [1, 1]]), tensor([[0, 0], [0, 0]]), 2)],
    ['outputSize', () => F.maxUnpool2d(x, i(0), 2, { outputSize: [7, 4] })],
    ['outputSizeLength', () => F.maxUnpool2d(x, i(0), 2, { outputSize: [4, 4, 4] })],
  ];
  for (const [key, run] of cases) {
    assert.throws(run, (err: Error) => {
      assert.ok(err.message.includes(e[key]!.message), `${key}: ${err.message}`);
      return true;
    });
  }
});
