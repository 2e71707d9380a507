// sign, logsumexp, cumsum and cumprod against PyTorch 1.13: values, input gradients for a non-uniform output gradient,
// grad_fn names, shapes, negative dims, 0-d and empty inputs, and the calls PyTorch refuses; cumprod's and
// logcumsumexp's gradients with createGraph and their second derivatives, ∞, NaN and zeros in the input
// (fixtures/torch/scan-ops.json, written by make_scan_ops.py).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autograd, tensor, zeros, type Tensor } from '../../src/index.js';
import { assertClose, loadFixture, values, type EncodedTensor, fixtureUpstream, assertSame } from './golden-helpers.js';

type Input = EncodedTensor | { generated: 'ramp' | 'near1'; shape: number[] };
interface Case { label: string; input: Input; out: EncodedTensor; grad: EncodedTensor; gradFn: string }
interface Fx {
  sign: { input: EncodedTensor; out: EncodedTensor; grad: EncodedTensor; gradFn: string };
  logsumexp: {
    cases: (Case & { dim: number | number[]; keepdim: boolean })[];
    empty: { dim: number | number[]; keepdim: boolean; out: EncodedTensor }[];
    refused: { label: string; shape: number[]; dim: number | number[]; keepdim: boolean; error: string }[];
  };
  scan: (Case & { fn: 'cumsum' | 'cumprod'; dim: number })[];
  createGraph: { fn: 'cumprod' | 'logcumsumexp'; label: string; input: EncodedTensor; dim: number; g: EncodedTensor; v: EncodedTensor; g2: EncodedTensor }[];
}
const fx = loadFixture<Fx>('scan-ops.json');

/** The fixture's input, made again where the script made it by formula (make_scan_ops.py's `generated`). */
function input(e: Input): Tensor {
  if (!('generated' in e)) return tensor(Float32Array.from(values(e)), e.shape, { requiresGrad: true });
  const n = e.shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const k = ((7919 * i) % 1000) - 500;
    data[i] = e.generated === 'ramp' ? k / 37 : 1 + Math.fround(k / 20000);
  }
  return tensor(data, e.shape, { requiresGrad: true });
}

/**
 * Shape, then values within 1e-5 relative (1e-6 absolute); NaN and ±∞ exactly where PyTorch has them. For logsumexp:
 * its e^x and log are float32 functions of their own (PyTorch's are SLEEF's), so a value may be an ulp or two apart
 * (40 of the fixture's 43 results and 1077 of its 1186 gradient values are PyTorch's float32 exactly, the rest within
 * 2e-7 relative).
 */
function assertNear(t: Tensor, e: EncodedTensor, label: string): void {
  assert.deepEqual([...t.shape], e.shape, `${label}: shape`);
  assertClose(t.toArray(), values(e), label);
}

test('sign is PyTorch\'s: 0 for NaN and for −0 (a +0), ±1 elsewhere, subnormals included; its gradient is zeros (SignBackward0)', () => {
  const x = input(fx.sign.input);
  const out = x.sign();
  assertSame(out, fx.sign.out, 'sign');
  assert.equal(out.gradFn?.torchName, fx.sign.gradFn);
  out.backward(fixtureUpstream(out));
  assertSame(x.grad!, fx.sign.grad, 'sign: gradient');
  const s = tensor(-2.5, { requiresGrad: true }).sign();
  assert.deepEqual([s.shape, s.item()], [[], -1]);
});

test('logsumexp matches PyTorch over one dimension, a list, keepdim, 0-d inputs, ±∞ and NaN rows, and its gradient', () => {
  for (const c of fx.logsumexp.cases) {
    const x = input(c.input);
    const label = `logsumexp ${c.label} (${JSON.stringify(c.dim)}${c.keepdim ? ', keepdim' : ''})`;
    const out = x.logsumexp(c.dim, c.keepdim);
    assertNear(out, c.out, label);
    assert.equal(out.gradFn?.torchName, c.gradFn, `${label}: grad_fn`);
    out.backward(fixtureUpstream(out));
    assertNear(x.grad!, c.grad, `${label}: gradient`);
  }
});

test('logsumexp of an empty tensor is −∞ where a value is asked for, as PyTorch\'s; the calls PyTorch refuses are refused', () => {
  for (const c of fx.logsumexp.empty) {
    const out = zeros(0, 3).logsumexp(c.dim, c.keepdim);
    assertSame(out, c.out, `logsumexp of [0, 3] over ${JSON.stringify(c.dim)}${c.keepdim ? ', keepdim' : ''}`);
  }
  for (const c of fx.logsumexp.refused) {
    const x = zeros(c.shape);
    assert.throws(() => x.logsumexp(c.dim, c.keepdim), (e: unknown) => e instanceof Error && e.message.startsWith('logsumexp: '), c.label);
  }
  const x = zeros(3, 4);
  assert.throws(() => x.logsumexp([]), /logsumexp: an empty list of dimensions is refused without keepdim for shape \[3, 4\], as PyTorch 1\.13 refuses it; list the dimensions \(x\.logsumexp\(\[0, 1\]\)\)/);
  assert.throws(() => x.logsumexp([0, -2]), /logsumexp: dimension listed twice in \[0, -2\]/);
  assert.throws(() => x.logsumexp(2), /logsumexp: dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)/);
  assert.throws(() => (x.logsumexp as (d?: number) => Tensor)(), /logsumexp: dim is required/);
  assert.throws(() => x.logsumexp(1, 1 as unknown as boolean), /logsumexp: keepdim must be true or false, got the number 1/);
});

test('cumsum and cumprod give PyTorch\'s values bit for bit (float64 running sums and products), 1000-long rows included', () => {
  for (const c of fx.scan) {
    const out = input(c.input)[c.fn](c.dim);
    assertSame(out, c.out, `${c.fn} ${c.label} (dim ${c.dim})`);
    assert.equal(out.gradFn?.torchName, c.gradFn, `${c.fn} ${c.label}: grad_fn`);
  }
});

test('cumsum\'s and cumprod\'s gradients are PyTorch\'s bit for bit, with zeros (one, several, −0), NaN and ∞ in the input', () => {
  for (const c of fx.scan) {
    const x = input(c.input);
    const out = x[c.fn](c.dim);
    out.backward(fixtureUpstream(out));
    const label = `${c.fn} ${c.label} (dim ${c.dim}): gradient`;
    assertSame(x.grad!, c.grad, label);
  }
});

test('cumsum and cumprod refuse what PyTorch refuses, naming the op', () => {
  for (const fn of ['cumsum', 'cumprod'] as const) {
    const x = zeros(2, 3);
    assert.throws(() => x[fn](2), new RegExp(`${fn}: dimension out of range \\(expected to be in range of \\[-2, 1\\], but got 2\\)`));
    assert.throws(() => x[fn](-3), new RegExp(`${fn}: dimension out of range`));
    assert.throws(() => tensor(1)[fn](1), new RegExp(`${fn}: dimension out of range \\(expected to be in range of \\[-1, 0\\], but got 1\\)`));
    assert.throws(() => x[fn](0.5), new RegExp(`${fn}: dimension out of range`));
    assert.throws(() => (x[fn] as (d?: number) => Tensor)(), new RegExp(`${fn}: dim is required, as in PyTorch`));
    assert.throws(() => x[fn]([0] as unknown as number), new RegExp(`${fn}: the dimension must be an integer, got an array`));
  }
});

test('cumprod\'s and logcumsumexp\'s gradients with createGraph are PyTorch\'s, ∞ and NaN included, and so are their second derivatives', () => {
  for (const c of fx.createGraph) {
    const x = input(c.input);
    const out = x[c.fn](c.dim);
    const [g] = autograd.grad(out, [x], fixtureUpstream(out), { createGraph: true });
    assertNear(g!, c.g, `${c.fn} ${c.label}: gradient`);
    const [g2] = autograd.grad(g!, [x], input(c.v).detach());
    assertNear(g2!, c.g2, `${c.fn} ${c.label}: second derivative`);
  }
});
