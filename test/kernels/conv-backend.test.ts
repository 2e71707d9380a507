// F.conv2d runs on the wasm kernels (patches, products and additions in the kernels' memory, src/kernels/wasm/conv.ts)
// and must give the reference kernels' bits: the output and the gradients of the input, weight and bias, for every
// geometry (stride, padding, dilation, groups, sizes that are not multiples of four, one unbatched sample), sparse
// inputs and output gradients (the products skip zeros), and NaN or ∞ anywhere (the reference then runs on both).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F } from '../../src/index.js';
import * as ref from '../../src/kernels/ref/conv.js';
import * as wasmConv from '../../src/kernels/wasm/conv.js';
import { loadWasm } from '../../src/kernels/wasm/load.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { conv2dPlan, type Conv2dOptions } from '../../src/ops/conv.js';
import { assertSameBits, requireWasm, rng, values, withBackend } from './helpers.js';

interface Case {
  name: string;
  input: number[];
  weight: number[];
  bias: boolean;
  options: Conv2dOptions;
  /** Which of input, weight, bias require grad. */
  grads?: [boolean, boolean, boolean];
  /** Puts a NaN or ∞ into the input, weight or output gradient. */
  special?: 'input' | 'weight' | 'grad';
}

const CASES: Case[] = [
  { name: 'MNIST-like first layer', input: [5, 1, 28, 28], weight: [6, 1, 5, 5], bias: true, options: { padding: 2 } },
  { name: 'second layer, 16 → 32', input: [3, 16, 14, 14], weight: [32, 16, 5, 5], bias: true, options: { padding: 2 } },
  { name: 'odd sizes, no padding', input: [2, 3, 11, 9], weight: [7, 3, 3, 2], bias: true, options: {} },
  { name: 'stride 2, padding 1', input: [4, 2, 13, 10], weight: [5, 2, 3, 3], bias: true, options: { stride: 2, padding: 1 } },
  { name: 'stride (3, 2), padding (2, 1), dilation (2, 3)', input: [2, 3, 17, 15], weight: [4, 3, 3, 3], bias: false, options: { stride: [3, 2], padding: [2, 1], dilation: [2, 3] } },
  { name: 'groups 2', input: [3, 4, 9, 9], weight: [6, 2, 3, 3], bias: true, options: { groups: 2, padding: 1 } },
  { name: 'depthwise, groups 3', input: [2, 3, 8, 12], weight: [3, 1, 3, 3], bias: true, options: { groups: 3, padding: 'same' } },
  { name: "padding 'same' with an even kernel", input: [2, 2, 7, 6], weight: [3, 2, 4, 2], bias: true, options: { padding: 'same' } },
  { name: 'one unbatched sample', input: [3, 10, 10], weight: [4, 3, 3, 3], bias: true, options: { padding: 1 } },
  { name: 'kernel as large as the input', input: [2, 2, 5, 5], weight: [3, 2, 5, 5], bias: true, options: {} },
  { name: 'only the weight requires grad', input: [3, 2, 9, 9], weight: [4, 2, 3, 3], bias: true, options: {}, grads: [false, true, false] },
  { name: 'only the input requires grad', input: [3, 2, 9, 9], weight: [4, 2, 3, 3], bias: false, options: { stride: 2 }, grads: [true, false, false] },
  { name: 'NaN and ∞ in the input', input: [2, 2, 8, 8], weight: [3, 2, 3, 3], bias: true, options: { padding: 1 }, special: 'input' },
  { name: 'NaN and ∞ in the weight', input: [2, 2, 8, 8], weight: [3, 2, 3, 3], bias: true, options: { padding: 1 }, special: 'weight' },
  { name: 'NaN and ∞ in the output gradient', input: [2, 2, 8, 8], weight: [3, 2, 3, 3], bias: true, options: { padding: 1 }, special: 'grad' },
];

const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

function withSpecials(v: Float32Array): Float32Array {
  v[0] = Number.NaN;
  v[Math.floor(v.length / 3)] = Infinity;
  v[v.length - 1] = -Infinity;
  return v;
}

/** The output and the gradients of a weighted sum of it, on one backend, from the same seeded values. */
function run(backend: 'wasm' | 'ref', c: Case, seed: number): (Float32Array | null)[] {
  return withBackend(backend, () => {
    const [gi, gw, gb] = c.grads ?? [true, true, true];
    const r = rng(seed);
    // Half the input and two thirds of the output gradient are zeros, as after ReLU and max pooling.
    const xv = values(r, size(c.input), { lo: -1, hi: 1, zeros: 0.5 });
    const wv = values(r, size(c.weight), { lo: -0.5, hi: 0.5, zeros: 0.1 });
    if (c.special === 'input') withSpecials(xv);
    if (c.special === 'weight') withSpecials(wv);
    const x = new Tensor(xv, c.input, { requiresGrad: gi });
    const w = new Tensor(wv, c.weight, { requiresGrad: gw });
    const b = c.bias ? new Tensor(values(r, c.weight[0]!), [c.weight[0]!], { requiresGrad: gb }) : null;
    const out = F.conv2d(x, w, b, c.options);
    const g = values(r, out.numel(), { lo: -1, hi: 1, zeros: 0.67 });
    if (c.special === 'grad') withSpecials(g);
    out.backward(new Tensor(g, out.shape));
    const grad = (t: Tensor | null): Float32Array | null => (t !== null && t.requiresGrad ? t.grad!.values().slice() : null);
    return [out.values().slice(), grad(x), grad(w), grad(b)];
  });
}

test('F.conv2d on wasm gives the reference bits, forward and backward, for every geometry, sparse and non-finite values included', () => {
  requireWasm();
  CASES.forEach((c, i) => {
    const wasm = run('wasm', c, 100 + i);
    const ref = run('ref', c, 100 + i);
    ['output', 'input gradient', 'weight gradient', 'bias gradient'].forEach((what, j) => {
      assert.equal(wasm[j] === null, ref[j] === null, `${c.name}: ${what} present on one backend only`);
      if (wasm[j] !== null) assertSameBits(wasm[j]!, ref[j]!, `${c.name}: ${what}`);
    });
  });
});

test('F.conv2d with a NaN input gives NaN where its patches reach and finite values elsewhere, on both backends', () => {
  for (const backend of ['wasm', 'ref'] as const) {
    if (backend === 'wasm') requireWasm();
    withBackend(backend, () => {
      const x = new Tensor(new Float32Array(1 * 1 * 6 * 6), [1, 1, 6, 6]);
      x.data[0] = Number.NaN; // the top-left corner
      const w = new Tensor(new Float32Array(9), [1, 1, 3, 3]); // zeros: 0·NaN must still give NaN
      const y = F.conv2d(x, w).values();
      // Output (0, 0) is the only window over the corner.
      assert.ok(Number.isNaN(y[0]!), `${backend}: output 0 is ${y[0]}, expected NaN`);
      for (let i = 1; i < y.length; i++) assert.equal(y[i], 0, `${backend}: output ${i}`);
    });
  }
});

test('the wasm convolution kernels run (they decline only non-finite operands) and give the reference kernels\' bits, whole or in parts', () => {
  requireWasm();
  const w = loadWasm()!;
  const limit = wasmConv.setCallBytesLimit(1 << 27);
  try {
    for (const [name, split] of [['in one call', limit], ['split into parts of a few samples', 9000]] as const) {
      wasmConv.setCallBytesLimit(split);
      for (const c of CASES.filter((k) => k.special === undefined)) {
        const r = rng(7);
        const x = new Tensor(values(r, c.input.reduce((a, b) => a * b, 1), { zeros: 0.5 }), c.input);
        const wt = new Tensor(values(r, c.weight.reduce((a, b) => a * b, 1), { lo: -0.5, hi: 0.5 }), c.weight);
        const b = new Tensor(values(r, c.weight[0]!), [c.weight[0]!]);
        const { plan, outShape } = conv2dPlan(x, wt, b, c.options);
        const n = outShape.reduce((a, v) => a * v, 1);
        const [y, yRef] = [new Float32Array(n), new Float32Array(n)];
        assert.equal(wasmConv.convForward(w, plan, x.values(), wt.values(), b.values(), y), true, `${c.name} (${name}): forward ran on wasm`);
        ref.convForward(plan, x.values(), wt.values(), b.values(), yRef);
        assertSameBits(y, yRef, `${c.name} (${name}): output`);
        const G = values(r, n, { zeros: 0.6 });
        const grads = () => ({ input: new Float32Array(x.numel()), weight: new Float32Array(wt.numel()), bias: new Float32Array(b.numel()) });
        const [got, want] = [grads(), grads()];
        assert.equal(wasmConv.convBackward(w, plan, x.values(), wt.values(), G, got), true, `${c.name} (${name}): backward ran on wasm`);
        ref.convInputGrad(plan, wt.values(), G, want.input);
        ref.convWeightGrad(plan, x.values(), G, want.weight);
        ref.convBiasGrad(plan, G, want.bias);
        assertSameBits(got.input, want.input, `${c.name} (${name}): input gradient`);
        assertSameBits(got.weight, want.weight, `${c.name} (${name}): weight gradient`);
        assertSameBits(got.bias, want.bias, `${c.name} (${name}): bias gradient`);
      }
    }
    // A NaN in the input: the wasm kernels decline, so that the reference takes every product in full.
    const x = new Tensor(new Float32Array(2 * 8 * 8).fill(Number.NaN), [1, 2, 8, 8]);
    const wt = new Tensor(new Float32Array(3 * 2 * 9), [3, 2, 3, 3]);
    const { plan, outShape } = conv2dPlan(x, wt, null, {});
    assert.equal(wasmConv.convForward(w, plan, x.values(), wt.values(), null, new Float32Array(outShape.reduce((a, v) => a * v, 1))), false);
  } finally {
    wasmConv.setCallBytesLimit(limit);
  }
});
