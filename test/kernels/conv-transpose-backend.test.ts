// The transposed convolution runs on the convolution's kernels: both backends give the same bits for its value and
// every gradient, over strides, padding, output padding, dilation and groups, also with a batch split into parts
// and with NaN and ∞ operands (which send the wasm path to the reference), and its gradients pass a
// finite-difference check in float64-free terms: the numerical slope of Σ out·u within float32 noise.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F } from '../../src/index.js';
import type { ConvTranspose2dOptions } from '../../src/ops/conv-transpose.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { assertConvBackendsAgree } from './conv-backends.js';
import { requireWasm, rng, values } from './helpers.js';

interface Shape { name: string; input: number[]; weight: number[]; options: ConvTranspose2dOptions }

const CASES: Shape[] = [
  { name: 'plain', input: [2, 3, 5, 4], weight: [3, 2, 3, 3], options: {} },
  { name: 'stride 2, padding 1, output padding 1', input: [3, 4, 6, 5], weight: [4, 3, 3, 3], options: { stride: 2, padding: 1, outputPadding: 1 } },
  { name: 'rectangular', input: [1, 2, 4, 7], weight: [2, 5, 2, 3], options: { stride: [3, 1], padding: [1, 0], outputPadding: [2, 0] } },
  { name: 'dilated, output padding past the stride', input: [2, 2, 5, 5], weight: [2, 2, 3, 3], options: { dilation: 3, outputPadding: 2, padding: 2 } },
  { name: 'groups', input: [2, 6, 4, 4], weight: [6, 2, 4, 4], options: { groups: 3, stride: 2, padding: 1 } },
  { name: 'unbatched', input: [3, 5, 5], weight: [3, 4, 2, 2], options: { stride: 2 } },
];

function run(c: Shape, x: Float32Array, w: Float32Array, b: Float32Array, u: Float32Array | null): Float32Array[] {
  const xt = new Tensor(x.slice(), c.input, { requiresGrad: true });
  const wt = new Tensor(w.slice(), c.weight, { requiresGrad: true });
  const bt = new Tensor(b.slice(), [b.length], { requiresGrad: true });
  const y = F.convTranspose2d(xt, wt, bt, c.options);
  y.backward(new Tensor(u ?? new Float32Array(y.numel()).fill(1), y.shape));
  return [y.values().slice(), xt.grad!.values().slice(), wt.grad!.values().slice(), bt.grad!.values().slice()];
}

test('F.convTranspose2d gives the same bits on both backends, whole and split into parts, with NaN and ∞ too', () => {
  requireWasm();
  const names = ['value', 'input grad', 'weight grad', 'bias grad'];
  for (const c of CASES) {
    const r = rng(11);
    const x = values(r, c.input.reduce((a, d) => a * d, 1), { zeros: 0.3 });
    const w = values(r, c.weight.reduce((a, d) => a * d, 1), { lo: -0.5, hi: 0.5 });
    const b = values(r, c.weight[1]! * (c.options.groups ?? 1));
    const outLen = run(c, x, w, b, null)[0]!.length;
    const u = values(r, outLen, { zeros: 0.4 });
    assertConvBackendsAgree(c.name, names, x, (input) => run(c, input, w, b, u));
  }
});

test('F.convTranspose2d\'s gradients match central differences of Σ out·u', () => {
  for (const c of CASES) {
    const r = rng(5);
    const x = values(r, c.input.reduce((a, d) => a * d, 1));
    const w = values(r, c.weight.reduce((a, d) => a * d, 1), { lo: -0.5, hi: 0.5 });
    const b = values(r, c.weight[1]! * (c.options.groups ?? 1));
    const y0 = run(c, x, w, b, null)[0]!;
    const u = values(r, y0.length);
    const [, gx, gw, gb] = run(c, x, w, b, u);
    const total = (xx: Float32Array, ww: Float32Array, bb: Float32Array): number => {
      const y = F.convTranspose2d(new Tensor(xx, c.input), new Tensor(ww, c.weight), new Tensor(bb, [bb.length]), c.options).values();
      let s = 0;
      for (let i = 0; i < y.length; i++) s += y[i]! * u[i]!;
      return s;
    };
    const h = 1e-2;
    for (const [which, arr, grad] of [['input', x, gx], ['weight', w, gw], ['bias', b, gb]] as const) {
      for (const at of [0, Math.floor(arr.length / 2), arr.length - 1]) {
        const plus = arr.slice();
        const minus = arr.slice();
        plus[at] = arr[at]! + h;
        minus[at] = arr[at]! - h;
        const args = (a: Float32Array): [Float32Array, Float32Array, Float32Array] =>
          which === 'input' ? [a, w, b] : which === 'weight' ? [x, a, b] : [x, w, a];
        // Σ out·u is linear in each operand, so the central difference is exact up to float32 rounding.
        const slope = (total(...args(plus)) - total(...args(minus))) / (Math.fround(arr[at]! + h) - Math.fround(arr[at]! - h));
        assert.ok(Math.abs(slope - grad![at]!) <= 2e-3 * Math.max(1, Math.abs(slope)), `${c.name}: ${which}[${at}] gradient ${grad![at]}, slope ${slope}`);
      }
    }
  }
});

test('F.convTranspose2d refuses wrong shapes and options with PyTorch\'s rules, naming them', () => {
  const x = new Tensor(new Float32Array(2 * 3 * 4 * 4), [2, 3, 4, 4]);
  const w = new Tensor(new Float32Array(3 * 2 * 3 * 3), [3, 2, 3, 3]);
  assert.throws(() => F.convTranspose2d(new Tensor(new Float32Array(2 * 5 * 16), [2, 5, 4, 4]), w), /convTranspose2d: given weight of shape \[3, 2, 3, 3\] \(its first dimension is the input's channels\), expected input \[2, 5, 4, 4\] to have 3 channels, but got 5 channels instead/);
  assert.throws(() => F.convTranspose2d(x, w, null, { stride: 2, outputPadding: 2 }), /outputPadding must be smaller than either the stride or the dilation, but got outputPadding \(2, 2\), stride \(2, 2\), dilation \(1, 1\)/);
  assert.throws(() => F.convTranspose2d(x, w, null, { padding: 'same' as never }), /'same' and 'valid' are for Conv2d only/);
  assert.throws(() => F.convTranspose2d(x, w, new Tensor(new Float32Array(3), [3])), /bias must have shape \[2\] \(one per output channel\), got \[3\]/);
  assert.throws(() => F.convTranspose2d(x, w, null, { padding: 4 }), /the output would be -2×-2 \(empty\) for an input of shape \[2, 3, 4, 4\]/);
  assert.throws(() => F.convTranspose2d(x, w, null, { groups: 2 }), /the weight's 3 input channels do not split into groups=2/);
  assert.throws(() => F.convTranspose2d(new Tensor(new Float32Array(0), [1, 3, 0, 4]), w), /convTranspose2d: the input \[1, 3, 0, 4\] has no rows; only its batch or channels may be empty, as in PyTorch/);
  assert.throws(() => F.convTranspose2d(new Tensor(new Float32Array(0), [3, 4, 0]), w), /the input \[3, 4, 0\] has no columns/);
  assert.throws(() => F.convTranspose2d(x, w, null, { outputpadding: 1 } as never), /unknown option/);
  // Options in the bias's place are PyTorch's F.conv_transpose2d(x, w, stride=2): no bias.
  assert.deepEqual(F.convTranspose2d(x, w, { stride: 2 }).toArray(), F.convTranspose2d(x, w, null, { stride: 2 }).toArray());
});
