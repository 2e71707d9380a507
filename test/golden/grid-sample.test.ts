// F.affineGrid and F.gridSample against PyTorch (fixtures/torch/grid_sample.json, from make_grid_sample.py): grids of
// 2-D affine maps (both alignCorners, one-pixel sides), sampling bilinear and nearest with zeros, border and
// reflection padding and both alignCorners on grids reaching outside the input and on grids holding NaN and ±∞ —
// values, node, and the gradients of the input, the grid and theta — a spatial-transformer step as PyTorch's tutorial
// builds it, and the refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, zeros } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

interface Fixture {
  affine: { size: number[]; alignCorners: boolean; theta: EncodedTensor; grid: EncodedTensor; upstream: EncodedTensor; grad: EncodedTensor }[];
  sample: {
    mode: 'bilinear' | 'nearest'; paddingMode: 'zeros' | 'border' | 'reflection'; alignCorners: boolean; input: EncodedTensor; grid: EncodedTensor; out: EncodedTensor;
    upstream: EncodedTensor; inputGrad: EncodedTensor; gridGrad: EncodedTensor; node: string;
  }[];
  stn: { input: EncodedTensor; theta: EncodedTensor; out: EncodedTensor; upstream: EncodedTensor; inputGrad: EncodedTensor; thetaGrad: EncodedTensor };
  refusals: Record<string, { message: string }>;
  nonfinite: {
    mode: 'bilinear' | 'nearest'; paddingMode: 'zeros' | 'border' | 'reflection'; alignCorners: boolean; input: EncodedTensor; grid: EncodedTensor;
    out: EncodedTensor; upstream?: EncodedTensor; inputGrad?: EncodedTensor; gridGrad?: EncodedTensor;
  }[];
}
const fx = loadFixture<Fixture>('grid_sample.json');
const TOL = { rtol: 1e-5, atol: 2e-6 };

for (const c of fx.affine) {
  test(`affineGrid for size ${JSON.stringify(c.size)}, alignCorners ${c.alignCorners}: PyTorch's grid and theta's gradient`, () => {
    const theta = decode(c.theta, true);
    const g = F.affineGrid(theta, c.size, c.alignCorners);
    assertTensorClose(g, c.grid, 'grid', TOL);
    g.backward(decode(c.upstream));
    assertTensorClose(theta.grad, c.grad, 'theta gradient', TOL);
  });
}

for (const c of fx.sample) {
  test(`gridSample ${c.mode}, padding ${c.paddingMode}, alignCorners ${c.alignCorners}: PyTorch's values, node and gradients`, () => {
    const x = decode(c.input, true);
    const grid = decode(c.grid, true);
    const y = F.gridSample(x, grid, { mode: c.mode, paddingMode: c.paddingMode, alignCorners: c.alignCorners });
    assertTensorClose(y, c.out, 'output', TOL);
    assert.equal(y.gradFn?.torchName, c.node);
    y.backward(decode(c.upstream));
    assertTensorClose(x.grad, c.inputGrad, 'input gradient', TOL);
    assertTensorClose(grid.grad, c.gridGrad, 'grid gradient', { rtol: 1e-4, atol: 1e-5 });
  });
}

// NaN, ±∞ and huge grid coordinates: border and reflection padding clip NaN to 0 (reflecting ±∞ gives NaN), zeros
// padding gives NaN for a NaN or infinite coordinate. Where PyTorch's backward crashes (a NaN x coordinate under border
// or reflection padding) the fixture holds the forward pass only.
for (const c of fx.nonfinite) {
  const what = c.upstream ? 'values and gradients' : 'values';
  test(`gridSample ${c.mode}, padding ${c.paddingMode}, alignCorners ${c.alignCorners} at NaN and infinite coordinates: PyTorch's ${what}`, () => {
    const x = decode(c.input, true);
    const grid = decode(c.grid, true);
    const y = F.gridSample(x, grid, { mode: c.mode, paddingMode: c.paddingMode, alignCorners: c.alignCorners });
    assertTensorClose(y, c.out, 'output', TOL);
    if (!c.upstream) return;
    y.backward(decode(c.upstream));
    assertTensorClose(x.grad, c.inputGrad!, 'input gradient', TOL);
    assertTensorClose(grid.grad, c.gridGrad!, 'grid gradient', { rtol: 1e-4, atol: 1e-5 });
  });
}

test('a spatial transformer step (affineGrid → gridSample) gives PyTorch\'s output and the gradients of the input and theta', () => {
  const S = fx.stn;
  const x = decode(S.input, true);
  const theta = decode(S.theta, true);
  const y = F.gridSample(x, F.affineGrid(theta, [...x.shape], false), 'bilinear', 'zeros', false);
  assertTensorClose(y, S.out, 'output', TOL);
  y.backward(decode(S.upstream));
  assertTensorClose(x.grad, S.inputGrad, 'input gradient', TOL);
  assertTensorClose(theta.grad, S.thetaGrad, 'theta gradient', { rtol: 1e-4, atol: 1e-5 });
});

test("affineGrid's and gridSample's refusals: PyTorch's words", () => {
  const R = fx.refusals;
  const is = (m: string) => (e: Error): boolean => e.message === m;
  assert.throws(() => F.affineGrid(zeros([2, 3, 3]), [2, 1, 4, 4]), is(R['theta shape']!.message.replace('torch.Size([2, 3, 3])', '[2, 3, 3]')));
  assert.throws(() => F.affineGrid(zeros([2, 2, 3]), [2, 4, 4]), is(R['size rank']!.message));
  assert.throws(() => F.gridSample(zeros([1, 1, 2, 2]), zeros([1, 2, 2, 2]), 'linear' as never), is(R['mode']!.message));
  assert.throws(() => F.gridSample(zeros([1, 1, 2, 2]), zeros([1, 2, 2, 2]), { paddingMode: 'wrap' as never }), is(R['padding']!.message));
  assert.throws(() => F.gridSample(zeros([2, 1, 2, 2]), zeros([1, 2, 2, 2])), is(R['grid batch']!.message));
  assert.throws(() => F.gridSample(zeros([1, 1, 2, 2]), zeros([1, 2, 2, 3])), is(R['grid last']!.message));
  assert.throws(() => F.gridSample(zeros([1, 1, 2, 2, 2]), zeros([1, 2, 2, 2, 3])), /Kindling samples 4-D inputs/);
});
