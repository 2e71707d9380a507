// Finite-difference checks of GroupNorm, InstanceNorm, F.normalize and LocalResponseNorm against float64 references
// written here from their definitions, and their argument checks, modes and module behaviour.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autograd, F, noGrad, nn, tensor, type Tensor } from '../../src/index.js';
import { gradcheck, leaf, Rng } from './gradcheck.js';
import { Ref } from './ref.js';
import { loose, throwsWith } from './throws.js';

/**
 * y = (x − μ) / √(σ² + eps) · w_c + b_c over each sample's group of C/G channels (biased σ²); `stats` replaces the
 * per-(sample, group) statistics by per-channel ones (InstanceNorm in evaluation mode).
 */
function refGroupNorm(x: Ref, G: number, w: Ref | null, b: Ref | null, eps = 1e-5, stats?: { mean: number[]; variance: number[] }): Ref {
  const [N, C] = x.shape as [number, number];
  const S = x.shape.slice(2).reduce((a, d) => a * d, 1);
  const n = (C / G) * S;
  const out = new Float64Array(x.data.length);
  for (let i = 0; i < N * G; i++) {
    let m = 0;
    for (let k = 0; k < n; k++) m += x.data[i * n + k]!;
    m /= n;
    let v = 0;
    for (let k = 0; k < n; k++) v += (x.data[i * n + k]! - m) ** 2;
    v /= n;
    for (let k = 0; k < n; k++) {
      const c = (i % G) * (C / G) + Math.floor(k / S);
      const [mm, vv] = stats === undefined ? [m, v] : [stats.mean[c]!, stats.variance[c]!];
      out[i * n + k] = ((x.data[i * n + k]! - mm) / Math.sqrt(vv + eps)) * (w === null ? 1 : w.data[c]!) + (b === null ? 0 : b.data[c]!);
    }
  }
  return new Ref(out, x.shape);
}

for (const [shape, G] of [[[4, 6], 3], [[3, 4, 5], 2], [[2, 6, 3, 2], 3], [[2, 4, 3], 1], [[2, 4, 3], 4], [[3, 2, 2, 2], 2]] as const) {
  test(`gradcheck F.groupNorm, ${G} groups of [${shape.join(', ')}]: input, weight and bias`, () => {
    const rng = new Rng(31 + shape.length * 7 + G);
    const C = shape[1]!;
    const x = leaf(rng, shape, { lo: -2, hi: 2 });
    const w = leaf(rng, [C], { lo: 0.5, hi: 1.5 });
    const b = leaf(rng, [C]);
    gradcheck(`groupNorm ${G} [${shape.join(', ')}]`, {
      leaves: [x, w, b],
      forward: () => F.groupNorm(x, G, w, b),
      reference: ([xr, wr, br]) => refGroupNorm(xr!, G, wr!, br!),
      // PyTorch's (and so Kindling's) y = scale·x + shift in float32 cancels: terms up to |x|/σ·w, rounded at ~6e-8 of
      // that, which groups of two values (σ small) make larger than the output.
      atol: 1e-4,
    });
  });
}

test('gradcheck nn.GroupNorm without affine, eps 1e-2, inside tanh', () => {
  const rng = new Rng(5);
  const x = leaf(rng, [3, 6, 4], { lo: -3, hi: 1 });
  const gn = new nn.GroupNorm(2, 6, { eps: 1e-2, affine: false });
  gradcheck('GroupNorm no affine', {
    leaves: [x],
    forward: () => gn.forward(x).tanh(),
    reference: ([xr]) => {
      const y = refGroupNorm(xr!, 2, null, null, 1e-2);
      return new Ref(y.data.map(Math.tanh), y.shape);
    },
  });
});

test('gradcheck F.instanceNorm in training mode ([N, C, L] and [N, C, H, W]) and with running statistics in evaluation', () => {
  const rng = new Rng(17);
  for (const shape of [[3, 4, 5], [2, 3, 2, 3]]) {
    const C = shape[1]!;
    const x = leaf(rng, shape, { lo: -2, hi: 2 });
    const w = leaf(rng, [C], { lo: 0.5, hi: 1.5 });
    const b = leaf(rng, [C]);
    gradcheck(`instanceNorm train [${shape.join(', ')}]`, {
      leaves: [x, w, b],
      forward: () => F.instanceNorm(x, { weight: w, bias: b }),
      reference: ([xr, wr, br]) => refGroupNorm(xr!, C, wr!, br!),
    });
  }
  const x = leaf(rng, [2, 3, 4]);
  const w = leaf(rng, [3], { lo: 0.5, hi: 1.5 });
  const b = leaf(rng, [3]);
  const mean = [0.1, -0.3, 0.5];
  const variance = [0.5, 1.5, 2];
  gradcheck('instanceNorm eval', {
    leaves: [x, w, b],
    forward: () => F.instanceNorm(x, tensor(mean), tensor(variance), { weight: w, bias: b, useInputStats: false }),
    reference: ([xr, wr, br]) => refGroupNorm(xr!, 3, wr!, br!, 1e-5, { mean, variance }),
  });
});

test('gradcheck F.normalize: p 2, 1 and 3 along dims 1, 0 and −1', () => {
  const rng = new Rng(23);
  for (const [shape, p, dim] of [[[4, 5], 2, 1], [[4, 5], 1, 0], [[2, 3, 4], 3, -1]] as const) {
    const x = leaf(rng, shape, { avoid: [0], gap: 0.05 });
    gradcheck(`normalize p ${p} dim ${dim}`, {
      leaves: [x],
      forward: () => F.normalize(x, p, dim),
      reference: ([xr]) => {
        const d = dim < 0 ? dim + shape.length : dim;
        const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, s) => a * s, 1));
        const out = new Float64Array(xr!.data.length);
        for (let k = 0; k < out.length; k++) {
          const pos = Math.floor(k / strides[d]!) % shape[d]!;
          const start = k - pos * strides[d]!;
          let s = 0;
          for (let j = 0; j < shape[d]!; j++) s += Math.abs(xr!.data[start + j * strides[d]!]!) ** p;
          out[k] = xr!.data[k]! / Math.max(s ** (1 / p), 1e-12);
        }
        return new Ref(out, shape);
      },
    });
  }
});

test('gradcheck F.localResponseNorm over [N, C, L] and [N, C, H, W], windows of 1 to more than C channels', () => {
  const rng = new Rng(29);
  for (const [shape, size, alpha, beta, k] of [[[2, 5, 3], 2, 0.3, 0.75, 1], [[1, 4, 2, 2], 3, 0.5, 0.5, 2], [[2, 3, 2], 5, 1, 1.5, 0.7], [[1, 3, 2, 2], 1, 0.2, 0.75, 1]] as const) {
    const x = leaf(rng, shape, { lo: -2, hi: 2 });
    gradcheck(`localResponseNorm size ${size} [${shape.join(', ')}]`, {
      leaves: [x],
      forward: () => F.localResponseNorm(x, size, alpha, beta, k),
      reference: ([xr]) => {
        const dims: readonly number[] = shape;
        const [N, C] = dims as [number, number];
        const S = dims.slice(2).reduce((a, d) => a * d, 1);
        const out = new Float64Array(xr!.data.length);
        for (let n = 0; n < N; n++) {
          for (let c = 0; c < C; c++) {
            for (let s = 0; s < S; s++) {
              let sum = 0;
              for (let j = c - Math.floor(size / 2); j <= c + Math.floor((size - 1) / 2); j++) if (j >= 0 && j < C) sum += xr!.data[(n * C + j) * S + s]! ** 2;
              const at = (n * C + c) * S + s;
              out[at] = xr!.data[at]! / (k + (alpha * sum) / size) ** beta;
            }
          }
        }
        return new Ref(out, shape);
      },
    });
  }
});

test('GroupNorm is the same in training and evaluation mode; InstanceNorm without running statistics too', () => {
  const x = tensor(Array.from({ length: 24 }, (_, i) => Math.sin(i) * 3), [2, 4, 3]);
  for (const m of [new nn.GroupNorm(2, 4), new nn.InstanceNorm1d(4), new nn.InstanceNorm1d(4, { affine: true })]) {
    const a = noGrad(() => m.forward(x)).toArray();
    m.eval();
    assert.deepEqual(noGrad(() => m.forward(x)).toArray(), a, `${String(m)} in evaluation mode`);
  }
});

test('InstanceNorm with trackRunningStats: training moves the running statistics (the mean over samples), evaluation uses them', () => {
  const m = new nn.InstanceNorm1d(2, { trackRunningStats: true, momentum: 0.5 });
  const x = tensor([[[1, 3], [0, 4]], [[5, 7], [2, 2]]]);
  noGrad(() => m.forward(x));
  // per sample, running = 0.5·running + 0.5·statistic: means [2, 2] and [6, 2] give [1, 1] and [3, 1], whose mean is
  // [2, 1]; unbiased variances [2, 8] and [2, 0] give [1.5, 4.5] and [1.5, 0.5]: mean [1.5, 2.5]
  assert.deepEqual(Array.from(m.runningMean!.toArray()), [2, 1]);
  assert.deepEqual(Array.from(m.runningVar!.toArray()), [1.5, 2.5]);
  assert.equal(m.numBatchesTracked!.item(), 0, 'PyTorch\'s InstanceNorm never advances num_batches_tracked');
  m.eval();
  const y = noGrad(() => m.forward(tensor([[[2, 3], [1, 1]]])));
  const close = (a: number, e: number): boolean => Math.abs(a - e) < 1e-6;
  const want = [0, 1 / Math.sqrt(1.5 + 1e-5), 0, 0];
  y.toArray().forEach((v, i) => assert.ok(close(v, want[i]!), `eval value ${i}: ${v}, expected ${want[i]}`));
  m.resetRunningStats();
  assert.deepEqual([...Array.from(m.runningMean!.toArray()), ...Array.from(m.runningVar!.toArray())], [0, 0, 1, 1]);
});

test('InstanceNorm momentum null is taken by the constructor and refused by forward, as in PyTorch', () => {
  const m = new nn.InstanceNorm2d(2, { momentum: null });
  assert.match(String(m), /momentum=None/);
  throwsWith(() => m.forward(tensor(Array.from({ length: 16 }, (_, i) => i), [2, 2, 2, 2])), TypeError, 'momentum', 'NoneType');
});

test('the layers\' argument checks: positive sizes, booleans, eps, options', () => {
  throwsWith(() => new nn.GroupNorm(0, 4), RangeError, 'numGroups must be a positive integer');
  throwsWith(() => new nn.GroupNorm(2, 4.5), RangeError, 'numChannels must be a non-negative integer');
  throwsWith(() => new nn.GroupNorm(2, 4, loose({ affine: 1 })), TypeError, 'affine must be true or false');
  throwsWith(() => new nn.GroupNorm(2, 4, { eps: -1 }), RangeError, 'eps must be a non-negative number');
  throwsWith(() => new nn.GroupNorm(2, 4, loose({ momentum: 0.1 })), TypeError, 'momentum');
  assert.equal(String(new nn.GroupNorm(2, 4, 1e-3, false)), 'GroupNorm(2, 4, eps=0.001, affine=False)');
  throwsWith(() => new nn.InstanceNorm1d(-1), RangeError, 'numFeatures must be a non-negative integer');
  throwsWith(() => new nn.InstanceNorm1d(3, loose({ trackRunningStats: 'yes' })), TypeError, 'trackRunningStats must be true or false');
  throwsWith(() => new nn.InstanceNorm1d(3, loose({ affine: 1 })), TypeError, 'affine must be true or false');
  throwsWith(() => new nn.LocalResponseNorm(0), RangeError, 'size must be a positive integer');
  throwsWith(() => new nn.LocalResponseNorm(2, loose({ alpha: 'x' })), TypeError, 'alpha must be a finite number');
  throwsWith(() => F.groupNorm(tensor([[1, 2]]), loose(1.5)), RangeError, 'numGroups must be a positive integer');
  throwsWith(() => F.groupNorm(tensor([1, 2]), 1), RangeError, 'Dimension out of range');
  throwsWith(() => F.groupNorm(tensor([[1, 2]]), 1, { weight: tensor([1, 1]) }, loose(tensor([0, 0]))), TypeError, 'not both');
  throwsWith(() => F.instanceNorm(tensor([[[1, 2]]]), loose({ weight: tensor([1]), training: true })), TypeError, 'training');
  throwsWith(() => F.instanceNorm(tensor([[[1, 2]]]), { useInputStats: loose(1) }), TypeError, 'useInputStats must be true or false');
  throwsWith(() => F.normalize(tensor([[1, 2]]), loose('2')), TypeError, 'p must be a number');
});

test('F.normalize: a zero vector stays zero (divided by eps), defaults p 2 along dim 1', () => {
  const y = F.normalize(tensor([[3, 4], [0, 0]]));
  assert.deepEqual(Array.from(y.toArray(), (v) => Math.round(v * 1e6) / 1e6), [0.6, 0.8, 0, 0]);
  const z = F.normalize(tensor([3, 4]), { dim: 0, p: 1 });
  assert.deepEqual(Array.from(z.toArray(), (v) => Math.round(v * 1e6) / 1e6), [0.428571, 0.571429]);
});

test('an empty batch passes through GroupNorm, LocalResponseNorm and F.normalize with its shape', () => {
  const x = tensor(new Float32Array(0), [0, 4, 3]);
  assert.deepEqual([...F.groupNorm(x, 2).shape], [0, 4, 3]);
  assert.deepEqual([...F.localResponseNorm(x, 2).shape], [0, 4, 3]);
});

test('F.groupNorm of an empty batch with createGraph: empty gradients, zeros for the weight, as PyTorch', () => {
  // PyTorch 1.13: autograd.grad(group_norm(zeros(0, 4, 3), 2, w).sum(), [x, w], create_graph=True) gives shapes
  // [0, 4, 3] and [4] (zeros).
  const x = tensor(new Float32Array(0), [0, 4, 3], { requiresGrad: true });
  const w = tensor([1, 1, 1, 1], { requiresGrad: true });
  const [gx, gw] = autograd.grad([F.groupNorm(x, 2, w).sum()], [x, w], { createGraph: true });
  assert.deepEqual([...gx!.shape], [0, 4, 3]);
  assert.deepEqual([...gw!.toArray()], [0, 0, 0, 0]);
});

test('gradients reach the weight and bias of the modules (GroupNorm and affine InstanceNorm2d) under a loss', () => {
  for (const m of [new nn.GroupNorm(2, 4), new nn.InstanceNorm2d(4, { affine: true })]) {
    const x = tensor(Array.from({ length: 32 }, (_, i) => Math.cos(i * 1.7)), [2, 4, 2, 2]);
    const y: Tensor = m.forward(x);
    y.mul(tensor(Array.from({ length: 32 }, (_, i) => (i % 5) - 2), [2, 4, 2, 2])).sum().backward();
    assert.ok(m.weight!.grad !== null && m.bias!.grad !== null, String(m));
    assert.ok(m.weight!.grad.toArray().some((v) => v !== 0));
  }
});
