// Fractional max pooling against PyTorch (fixtures/torch/fractional_pool.json, from make_fractional_pool.py): after
// the same seed the samples, windows, values and indices are PyTorch's bit for bit (a NaN among them), with given
// samples too, the gradient and node, the generator left where PyTorch leaves it; the layers' printing and
// refusals. With them: UpsamplingNearest2d / UpsamplingBilinear2d, NLLLoss2d and the lazy instance norms.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, manualSeed, nn, rand, tensor, zeros, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, values, type EncodedTensor } from './golden-helpers.js';

interface Pool {
  dims: 2 | 3; input: EncodedTensor; kernel: number | number[]; options: { outputSize?: number | number[]; outputRatio?: number | number[] }; seed: number;
  samples: EncodedTensor | null; out: EncodedTensor; indices: number[]; after: EncodedTensor; upstream: EncodedTensor; grad: EncodedTensor; node: string;
}
interface Fixture {
  pools: Pool[];
  upsampleInput: EncodedTensor;
  upsample: Record<'nearest' | 'bilinear' | 'nearestSize' | 'bilinearScale', EncodedTensor>;
  nll: { input: EncodedTensor; target: EncodedTensor; loss: number };
  reprs: string[];
  lazy: { name: string; before: string; after: string; class: string; input: EncodedTensor; out: EncodedTensor; keys: string[]; runningMean: EncodedTensor }[];
  refusals: Record<string, { message: string }>;
  /** Output sizes with a 0: the output's shape (through F, or the layer). */
  emptyOutputs: { dims: 2 | 3; layer?: boolean; shape: number[]; kernel: number; outputSize: number | number[]; out: number[] }[];
}
const fx = loadFixture<Fixture>('fractional_pool.json');
const bits = (a: ArrayLike<number>): number[] => [...new Uint32Array(Float32Array.from(a).buffer)];

for (const p of fx.pools) {
  test(`fractionalMaxPool${p.dims}d ${JSON.stringify(p.input.shape)} kernel ${JSON.stringify(p.kernel)} ${JSON.stringify(p.options)}${p.samples ? ' (samples given)' : ''}: PyTorch's windows, values, indices and gradient`, () => {
    const x = decode(p.input, true);
    manualSeed(p.seed);
    const fn = p.dims === 2 ? F.fractionalMaxPool2d : F.fractionalMaxPool3d;
    const [y, idx] = (fn as (x: Tensor, k: unknown, o: object) => [Tensor, Tensor])(x, p.kernel, { ...p.options, returnIndices: true, randomSamples: p.samples === null ? null : decode(p.samples) });
    assert.deepEqual([...rand([3]).toArray()], values(p.after), 'the generator is left where PyTorch leaves it');
    assert.deepEqual([...y.shape], p.out.shape);
    assert.deepEqual(bits(y.toArray()), bits(values(p.out)));
    assert.deepEqual([...idx.toArray()], p.indices);
    assert.equal(y.gradFn?.torchName, p.node);
    y.backward(decode(p.upstream));
    assert.deepEqual([...x.grad!.toArray()], values(p.grad));
  });
}

test('nn.FractionalMaxPool2d draws as F.fractionalMaxPool2d after the same seed, keeps given samples, and prints as PyTorch\'s', () => {
  const p = fx.pools[0]!;
  manualSeed(p.seed);
  const y = new nn.FractionalMaxPool2d(2, { outputSize: p.options.outputSize! }).forward(decode(p.input));
  assert.deepEqual([...y.toArray()], values(p.out));
  const given = fx.pools.find((q) => q.samples !== null)!;
  const layer = new nn.FractionalMaxPool2d(2, { outputSize: given.options.outputSize!, randomSamples: decode(given.samples!), returnIndices: true });
  const [out, idx] = layer.forward(decode(given.input)) as unknown as [Tensor, Tensor];
  assert.deepEqual([...out.toArray()], values(given.out));
  assert.deepEqual([...idx.toArray()], given.indices);
  assert.deepEqual([String(new nn.FractionalMaxPool2d(3, { outputRatio: 0.5 })), String(new nn.FractionalMaxPool3d(2, { outputSize: [3, 3, 3], returnIndices: true }))], fx.reprs.slice(4));
});

test('UpsamplingNearest2d, UpsamplingBilinear2d and NLLLoss2d: PyTorch\'s values and printing', () => {
  const x = decode(fx.upsampleInput);
  assert.deepEqual([...new nn.UpsamplingNearest2d({ scaleFactor: 2 }).forward(x).toArray()], values(fx.upsample.nearest));
  assert.deepEqual([...new nn.UpsamplingNearest2d({ size: [4, 6] }).forward(x).toArray()], values(fx.upsample.nearestSize));
  assertTensorClose(new nn.UpsamplingBilinear2d({ size: [5, 7] }).forward(x), fx.upsample.bilinear, 'bilinear');
  assertTensorClose(new nn.UpsamplingBilinear2d({ scaleFactor: 1.5 }).forward(x), fx.upsample.bilinearScale, 'bilinear scale');
  const reprs = [String(new nn.UpsamplingNearest2d({ scaleFactor: 2 })), String(new nn.UpsamplingBilinear2d({ size: [5, 7] })), String(new nn.UpsamplingNearest2d({ size: 4 })), String(new nn.NLLLoss2d())];
  assert.deepEqual(reprs, fx.reprs.slice(0, 4));
  const loss = new nn.NLLLoss2d().forward(decode(fx.nll.input), decode(fx.nll.target));
  assert.ok(Math.abs(loss.item() - fx.nll.loss) < 1e-6);
});

for (const l of fx.lazy) {
  test(`nn.${l.name}: PyTorch's printing before and after, the class it becomes, output and statistics`, () => {
    const m = new (nn as unknown as Record<string, new (o: object) => nn.Module>)[l.name]!({ affine: true, trackRunningStats: true });
    assert.equal(String(m), l.before);
    const y = m.forward(decode(l.input));
    assert.equal(String(m), l.after);
    assert.equal(m.constructor.name, l.class);
    assert.deepEqual(Object.keys(m.stateDict()), l.keys);
    assertTensorClose(y, l.out, 'output');
    assertTensorClose(m.stateDict()['running_mean']!, l.runningMean, 'running mean');
  });
}

test('an output size with a 0 gives an empty output, as in PyTorch', () => {
  assert.equal(fx.emptyOutputs.length, 4);
  for (const e of fx.emptyOutputs) {
    const x = zeros(e.shape, { requiresGrad: true });
    const samples = zeros([e.shape[0]!, e.shape[1]!, e.dims]).add(0.5);
    const fn = e.dims === 2 ? F.fractionalMaxPool2d : F.fractionalMaxPool3d;
    const y = (e.layer === true ? new nn.FractionalMaxPool2d(e.kernel, { outputSize: e.outputSize }).forward(x)
      : fn(x, e.kernel as 2, { outputSize: e.outputSize, randomSamples: samples })) as Tensor;
    assert.deepEqual([...y.shape], e.out, JSON.stringify(e));
    y.sum().backward();
    assert.ok(x.grad!.toArray().every((v) => v === 0));
  }
  assert.throws(() => F.fractionalMaxPool2d(zeros([1, 1, 4, 4]), 2, { outputSize: [-1, 2] }), /outputSize must be a number or two \(non-negative integers\)/);
});

test("fractional pooling's refusals: PyTorch's words", () => {
  const R = fx.refusals;
  const is = (m: string) => (e: Error): boolean => e.message === m;
  assert.throws(() => new nn.FractionalMaxPool2d(2), is(R['no size']!.message));
  assert.throws(() => new nn.FractionalMaxPool2d(2, { outputSize: 3, outputRatio: 0.5 }), is(R['both']!.message));
  assert.throws(() => new nn.FractionalMaxPool2d(2, { outputRatio: 1.5 }), is(R['ratio']!.message));
  assert.throws(() => F.fractionalMaxPool2d(zeros([1, 1, 4, 4]), 3, { outputSize: 3 }), is(R['too large']!.message));
  assert.throws(() => F.fractionalMaxPool2d(zeros([1, 1, 4, 4]), 2, { outputSize: 2, randomSamples: tensor([[[0.5]]]) }), /random samples must have shape \[1, 1, 2\], got \[1, 1, 1\]/);
});
