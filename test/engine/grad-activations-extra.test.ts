// Finite-difference checks (float64 reference, test/engine/gradcheck.ts) of prelu (input and weight), selu, celu,
// hardswish, hardsigmoid, mish, logsigmoid, softsign, softmin, tanhshrink and threshold, functional and module forms,
// with inputs kept away from the kinks (0, ±3, the thresholds).
import { test } from 'node:test';
import { F, nn, tensor } from '../../src/index.js';
import { SELU_ALPHA, SELU_SCALE } from '../../src/ops/activations-extra.js';
import { gradcheck, leaf, Rng } from './gradcheck.js';
import * as R from './ref.js';

const rng = new Rng(56);
const softplus = (v: number): number => Math.log1p(Math.exp(v));

test('gradcheck F.prelu and nn.PReLU: input and weight, one weight and one per channel', () => {
  const x = leaf(rng, [2, 3, 4], { lo: -3, hi: 3, avoid: [0] });
  const w = tensor([0.25, -0.5, 2], [3], { requiresGrad: true });
  const pr = (v: number, a: number): number => (v > 0 ? v : a * v);
  gradcheck('prelu per channel', { leaves: [x, w], forward: () => F.prelu(x, w), reference: ([r, rw]) => R.zip(r!, R.reshape(rw!, [3, 1]), pr) });
  const w1 = tensor([0.3], [1], { requiresGrad: true });
  gradcheck('prelu one weight', { leaves: [x, w1], forward: () => F.prelu(x, w1), reference: ([r, rw]) => R.zip(r!, rw!, pr) });
  const m = new nn.PReLU(3, 0.1);
  gradcheck('nn.PReLU(3)', { leaves: [x, m.weight], forward: () => m.forward(x), reference: ([r, rw]) => R.zip(r!, R.reshape(rw!, [3, 1]), pr) });
});

test('gradcheck selu, celu, hardswish, hardsigmoid, mish, logsigmoid, softsign, tanhshrink, threshold away from the kinks', () => {
  const x = leaf(rng, [4, 5], { lo: -6, hi: 6, avoid: [-3, 0, 3, 0.1, 1] });
  const elu = (a: number, s: number, is: number) => (v: number): number => (v > 0 ? s * v : s * a * (Math.exp(v * is) - 1));
  gradcheck('selu', { leaves: [x], forward: () => F.selu(x), reference: ([r]) => R.map(r!, elu(SELU_ALPHA, SELU_SCALE, 1)) });
  gradcheck('nn.SELU', { leaves: [x], forward: () => new nn.SELU().forward(x), reference: ([r]) => R.map(r!, elu(SELU_ALPHA, SELU_SCALE, 1)) });
  for (const a of [1, 0.5, 2]) {
    gradcheck(`celu(${a})`, { leaves: [x], forward: () => F.celu(x, a), reference: ([r]) => R.map(r!, elu(a, 1, 1 / a)) });
  }
  gradcheck('nn.CELU(0.7)', { leaves: [x], forward: () => new nn.CELU(0.7).forward(x), reference: ([r]) => R.map(r!, elu(0.7, 1, 1 / 0.7)) });
  const clamp6 = (v: number): number => Math.min(Math.max(v + 3, 0), 6);
  gradcheck('hardswish', { leaves: [x], forward: () => F.hardswish(x), reference: ([r]) => R.map(r!, (v) => v * clamp6(v) / 6) });
  gradcheck('nn.Hardswish', { leaves: [x], forward: () => new nn.Hardswish().forward(x), reference: ([r]) => R.map(r!, (v) => v * clamp6(v) / 6) });
  gradcheck('hardsigmoid', { leaves: [x], forward: () => new nn.Hardsigmoid().forward(x), reference: ([r]) => R.map(r!, (v) => clamp6(v) / 6) });
  gradcheck('mish', { leaves: [x], forward: () => F.mish(x), reference: ([r]) => R.map(r!, (v) => v * Math.tanh(softplus(v))) });
  gradcheck('nn.Mish', { leaves: [x], forward: () => new nn.Mish().forward(x), reference: ([r]) => R.map(r!, (v) => v * Math.tanh(softplus(v))) });
  gradcheck('logsigmoid', { leaves: [x], forward: () => F.logsigmoid(x), reference: ([r]) => R.map(r!, (v) => -softplus(-v)) });
  gradcheck('nn.LogSigmoid', { leaves: [x], forward: () => new nn.LogSigmoid().forward(x), reference: ([r]) => R.map(r!, (v) => -softplus(-v)) });
  gradcheck('softsign', { leaves: [x], forward: () => new nn.Softsign().forward(x), reference: ([r]) => R.map(r!, (v) => v / (1 + Math.abs(v))) });
  gradcheck('tanhshrink', { leaves: [x], forward: () => F.tanhshrink(x), reference: ([r]) => R.map(r!, (v) => v - Math.tanh(v)) });
  gradcheck('nn.Tanhshrink', { leaves: [x], forward: () => new nn.Tanhshrink().forward(x), reference: ([r]) => R.map(r!, (v) => v - Math.tanh(v)) });
  gradcheck('threshold(0.1, 20)', { leaves: [x], forward: () => F.threshold(x, 0.1, 20), reference: ([r]) => R.map(r!, (v) => (v <= 0.1 ? 20 : v)) });
  gradcheck('nn.Threshold(1, -2)', { leaves: [x], forward: () => new nn.Threshold(1, -2).forward(x), reference: ([r]) => R.map(r!, (v) => (v <= 1 ? -2 : v)) });
});

test('gradcheck softmin along each dim', () => {
  const x = leaf(rng, [3, 4], { lo: -2, hi: 2 });
  for (const dim of [0, 1, -1]) {
    gradcheck(`softmin(${dim})`, { leaves: [x], forward: () => F.softmin(x, dim), reference: ([r]) => R.softmax(R.map(r!, (v) => -v), dim < 0 ? dim + 2 : dim) });
  }
  gradcheck('nn.Softmin(1)', { leaves: [x], forward: () => new nn.Softmin(1).forward(x), reference: ([r]) => R.softmax(R.map(r!, (v) => -v), 1) });
});
