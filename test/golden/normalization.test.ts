// Normalisation layers against PyTorch 1.13 (fixtures/torch/normalization.json, from make_normalization.py):
// F.groupNorm and F.instanceNorm (values, gradients of input, weight and bias, running statistics after),
// nn.GroupNorm / nn.InstanceNorm1d / nn.InstanceNorm2d (init, reprs, state_dict keys and buffers, training steps
// then evaluation with trackRunningStats, unbatched inputs), and PyTorch's refusals with its messages.
//
// Tolerances. F.groupNorm's forward pass reproduces PyTorch's float32 kernel (its Welford moments in eight lanes,
// the fused scale·x + shift): compared bit for bit. Its backward pass and InstanceNorm (Kindling's batch-norm kernel,
// float64 sums) agree to the float32 rounding of the terms the kernels add: |diff| ≤ k·2^-23·(the largest term's
// magnitude), with the terms bounded from the fixture's values in float64 (`termScales`). The terms, not the result,
// set the scale: with an offset of 1000 and a spread of 0.01 the output cancels from terms 10^5 times larger.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, noGrad, nn, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, largest, loadFixture, ulpsOff, values, within, type EncodedMap, type EncodedTensor, type Tolerance } from './golden-helpers.js';

interface NormCase {
  name: string;
  eps: number;
  input: EncodedTensor;
  weight: EncodedTensor | null;
  bias: EncodedTensor | null;
  out: EncodedTensor;
  upstream: EncodedTensor;
  grads: EncodedMap;
  gradFn: string;
}
interface GroupCase extends NormCase {
  numGroups: number;
}
interface InstanceCase extends NormCase {
  useInputStats: boolean;
  momentum: number;
  runningMean: EncodedTensor | null;
  runningVar: EncodedTensor | null;
  runningMeanAfter: EncodedTensor | null;
  runningVarAfter: EncodedTensor | null;
}
interface ModuleInfo {
  expr: string;
  repr: string;
  state: EncodedMap;
  parameters: string[];
  buffers: string[];
}
interface TrackedRun {
  kind: '1d' | '2d';
  numFeatures: number;
  momentum: number;
  affine: boolean;
  initial: EncodedMap;
  train: { input: EncodedTensor; out: EncodedTensor; state: EncodedMap }[];
  eval: { input: EncodedTensor; out: EncodedTensor; upstream: EncodedTensor; grads: EncodedMap; gradFn: string };
}
interface UnbatchedRun {
  kind: '1d' | '2d';
  track: boolean;
  weight: EncodedTensor;
  bias: EncodedTensor;
  input: EncodedTensor;
  out: EncodedTensor;
  upstream: EncodedTensor;
  grads: EncodedMap;
  state: EncodedMap;
  gradFn: string;
}
interface ErrorCase {
  expr: string;
  error: string | null;
  message: string | null;
}
interface NormalizeCase {
  name: string;
  p: number;
  dim: number;
  eps: number;
  input: EncodedTensor;
  out: EncodedTensor;
  upstream: EncodedTensor;
  grads: EncodedMap;
  gradFn: string;
}
interface LrnCase {
  name: string;
  size: number;
  alpha: number;
  beta: number;
  k: number;
  input: EncodedTensor;
  out: EncodedTensor;
  upstream: EncodedTensor;
  grads: EncodedMap;
  gradFn: string;
}
interface Fixture {
  normalize: NormalizeCase[];
  localResponseNorm: LrnCase[];
  groupNorm: GroupCase[];
  instanceNorm: InstanceCase[];
  modules: ModuleInfo[];
  instanceModules: { tracked: TrackedRun[]; unbatched: UnbatchedRun[] };
  errors: ErrorCase[];
}

const fx = loadFixture<Fixture>('normalization.json');

/**
 * Bounds on the magnitudes of the float32 terms the kernels add, per output and gradient, in float64 from the
 * fixture: each (sample, group of D channels) normalised with mean m and r = 1/√(var + eps) (the batch's, or the
 * running `stats`), y = x·r·w + (b − m·r·w); dx = r·w·dy + c2·x + c3 with c2 = (Σdb·w·m − Σds·w)·r³/n,
 * c3 = −c2·m − Σdb·w·r/n (ds = Σ dy·x, db = Σ dy); dw = Σ (ds − db·m)·r, db = Σ dy. Each bound adds the magnitudes.
 */
function termScales(input: EncodedTensor, weight: EncodedTensor | null, bias: EncodedTensor | null, upstream: EncodedTensor | null, G: number, eps: number,
  stats?: { mean: number[]; variance: number[] }): Record<string, number> {
  const [N, C] = input.shape as [number, number];
  const S = input.shape.slice(2).reduce((a, b) => a * b, 1);
  const D = C / G;
  const n = D * S;
  const X = values(input);
  const dY = upstream === null ? null : values(upstream);
  const w = weight === null ? null : values(weight);
  const b = bias === null ? null : values(bias);
  const out = { out: 0, input: 0, weight: 0, bias: 0 };
  const gw = new Float64Array(C);
  const gb = new Float64Array(C);
  for (let s = 0; s < N; s++) {
    for (let g = 0; g < G; g++) {
      const at = (s * G + g) * n;
      let m: number;
      let v: number;
      if (stats === undefined) {
        m = 0;
        for (let k = 0; k < n; k++) m += X[at + k]!;
        m /= n;
        v = 0;
        for (let k = 0; k < n; k++) v += (X[at + k]! - m) ** 2;
        v /= n;
      } else {
        m = stats.mean[g]!;
        v = stats.variance[g]!;
      }
      const r = 1 / Math.sqrt(v + eps);
      let dsw = 0;
      let dbw = 0;
      for (let j = 0; j < D; j++) {
        const c = g * D + j;
        const wc = w === null ? 1 : Math.abs(w[c]!);
        const bc = b === null ? 0 : Math.abs(b[c]!);
        let ds = 0;
        let db = 0;
        for (let k = 0; k < S; k++) {
          const x = X[at + j * S + k]!;
          out.out = Math.max(out.out, Math.abs(x) * r * wc, bc + Math.abs(m) * r * wc);
          if (dY === null) continue;
          ds += Math.abs(dY[at + j * S + k]! * x);
          db += Math.abs(dY[at + j * S + k]!);
        }
        dsw += ds * wc;
        dbw += db * wc;
        gw[c] = gw[c]! + (ds + db * Math.abs(m)) * r;
        gb[c] = gb[c]! + db;
      }
      if (dY === null) continue;
      const c2 = ((dbw * Math.abs(m) + dsw) * r ** 3) / n;
      const c3 = c2 * Math.abs(m) + (dbw * r) / n;
      for (let j = 0; j < D; j++) {
        const wc = w === null ? 1 : Math.abs(w[g * D + j]!);
        for (let k = 0; k < S; k++) {
          const i = at + j * S + k;
          out.input = Math.max(out.input, r * wc * Math.abs(dY[i]!) + c2 * Math.abs(X[i]!) + c3);
        }
      }
    }
  }
  out.weight = gw.reduce((a, v) => Math.max(a, v), 0);
  out.bias = gb.reduce((a, v) => Math.max(a, v), 0);
  return out;
}

const worst = { groupGrads: 0, instanceForward: 0, instanceGrads: 0, running: 0 };
const BITS: Tolerance = { rtol: 0, atol: 0 };

test('normalization.json covers groups 1..C, one value per group, constant groups, offsets, every rank; InstanceNorm train and eval', () => {
  const g = fx.groupNorm;
  assert.ok(g.some((c) => c.numGroups === 1) && g.some((c) => c.numGroups === c.input.shape[1]));
  assert.ok(g.some((c) => c.numGroups === c.input.shape[1] && c.input.shape.length === 2), 'one element per group');
  assert.ok(g.some((c) => c.name.startsWith('constant')) && g.some((c) => c.name.startsWith('offset')));
  assert.deepEqual(new Set(g.map((c) => c.input.shape.length)), new Set([2, 3, 4]));
  assert.ok(fx.instanceNorm.some((c) => c.useInputStats && c.runningMean !== null) && fx.instanceNorm.some((c) => !c.useInputStats));
});

for (const c of fx.groupNorm) {
  test(`F.groupNorm ${c.name} (${c.numGroups} groups of [${c.input.shape.join(', ')}]): PyTorch's values bit for bit, its gradients`, () => {
    const x = decode(c.input, true);
    const w = c.weight === null ? null : decode(c.weight, true);
    const b = c.bias === null ? null : decode(c.bias, true);
    const out = F.groupNorm(x, c.numGroups, w, b, c.eps);
    assert.equal(out.gradFn?.torchName, c.gradFn);
    assertTensorClose(out, c.out, `${c.name} out`, BITS);
    out.backward(decode(c.upstream));
    const scales = termScales(c.input, c.weight, c.bias, c.upstream, c.numGroups, c.eps);
    const got: Record<string, Tensor | null> = { input: x.grad, weight: w?.grad ?? null, bias: b?.grad ?? null };
    assert.deepEqual(Object.keys(c.grads).sort(), Object.entries(got).filter(([, t]) => t !== null).map(([k]) => k).sort());
    for (const [k, e] of Object.entries(c.grads)) {
      assertTensorClose(got[k]!, e, `${c.name} grad ${k}`, within(scales[k]!, 8));
      worst.groupGrads = Math.max(worst.groupGrads, ulpsOff(got[k]!.toArray(), e, scales[k]!));
    }
  });
}

test('nn.GroupNorm given the fixture\'s weight and bias gives PyTorch\'s output bit for bit, in training and evaluation mode', () => {
  for (const c of fx.groupNorm.filter((k) => k.weight !== null && k.bias !== null)) {
    const m = new nn.GroupNorm(c.numGroups, c.input.shape[1]!, { eps: c.eps });
    noGrad(() => {
      m.weight!.copy_(decode(c.weight!));
      m.bias!.copy_(decode(c.bias!));
    });
    assertTensorClose(noGrad(() => m.forward(decode(c.input))), c.out, `${c.name} module`, BITS);
    m.eval();
    assertTensorClose(noGrad(() => m.forward(decode(c.input))), c.out, `${c.name} module eval`, BITS);
  }
});

test('F.groupNorm takes weight, bias and eps as one object of options too', () => {
  const c = fx.groupNorm.find((k) => k.name === 'eps_0.1')!;
  const out = F.groupNorm(decode(c.input), c.numGroups, { weight: decode(c.weight!), bias: decode(c.bias!), eps: c.eps });
  assertTensorClose(out, c.out, 'options form', BITS);
});

/** InstanceNorm's statistics in the form termScales takes: one "group" per channel, or the running ones. */
function instanceScales(c: InstanceCase): Record<string, number> {
  const C = c.input.shape[1]!;
  if (c.useInputStats) return termScales(c.input, c.weight, c.bias, c.upstream, C, c.eps);
  return termScales(c.input, c.weight, c.bias, c.upstream, C, c.eps, { mean: values(c.runningMean!), variance: values(c.runningVar!) });
}

for (const c of fx.instanceNorm) {
  test(`F.instanceNorm ${c.name} ([${c.input.shape.join(', ')}], useInputStats ${c.useInputStats}): values, running statistics, gradients`, () => {
    const x = decode(c.input, true);
    const w = c.weight === null ? null : decode(c.weight, true);
    const b = c.bias === null ? null : decode(c.bias, true);
    const rm = c.runningMean === null ? null : decode(c.runningMean);
    const rv = c.runningVar === null ? null : decode(c.runningVar);
    const out = F.instanceNorm(x, rm, rv, { weight: w, bias: b, useInputStats: c.useInputStats, momentum: c.momentum, eps: c.eps });
    assert.equal(out.gradFn?.torchName, c.gradFn);
    const scales = instanceScales(c);
    assertTensorClose(out, c.out, `${c.name} out`, within(scales['out']!, 4));
    worst.instanceForward = Math.max(worst.instanceForward, ulpsOff(out.toArray(), c.out, scales['out']!));
    if (rm !== null) {
      for (const [t, e, what] of [[rm, c.runningMeanAfter!, 'mean'], [rv!, c.runningVarAfter!, 'var']] as const) {
        assertTensorClose(t, e, `${c.name} running ${what}`, within(largest(e), 2));
        worst.running = Math.max(worst.running, ulpsOff(t.toArray(), e, largest(e)));
      }
    }
    out.backward(decode(c.upstream));
    const got: Record<string, Tensor | null> = { input: x.grad, weight: w?.grad ?? null, bias: b?.grad ?? null };
    for (const [k, e] of Object.entries(c.grads)) {
      assertTensorClose(got[k]!, e, `${c.name} grad ${k}`, within(scales[k]!, 8));
      worst.instanceGrads = Math.max(worst.instanceGrads, ulpsOff(got[k]!.toArray(), e, scales[k]!));
    }
  });
}

/** Kindling's form of each module the fixture builds. */
const MODULES: Record<string, () => nn.Module> = {
  'GroupNorm(2, 4)': () => new nn.GroupNorm(2, 4),
  'GroupNorm(3, 6, eps=1e-3, affine=False)': () => new nn.GroupNorm(3, 6, { eps: 1e-3, affine: false }),
  'InstanceNorm1d(3)': () => new nn.InstanceNorm1d(3),
  'InstanceNorm2d(4, affine=True)': () => new nn.InstanceNorm2d(4, { affine: true }),
  'InstanceNorm1d(3, eps=0.001, momentum=0.3, affine=True, track_running_stats=True)': () => new nn.InstanceNorm1d(3, 0.001, 0.3, true, true),
  'InstanceNorm2d(2, track_running_stats=True)': () => new nn.InstanceNorm2d(2, { trackRunningStats: true }),
};

for (const m of fx.modules.filter((k) => MODULES[k.expr] !== undefined)) {
  test(`nn.${m.expr}: PyTorch's repr, initial state (weight ones, bias zeros, running statistics), parameter and buffer names`, () => {
    const mod = MODULES[m.expr]!();
    assert.equal(String(mod), m.repr);
    const sd = mod.stateDict();
    assert.deepEqual(Object.keys(sd), Object.keys(m.state));
    for (const [k, e] of Object.entries(m.state)) assertTensorClose(sd[k]!, e, `${m.expr} ${k}`, BITS);
    assert.deepEqual([...mod.namedParameters()].map(([k]) => k), m.parameters);
    assert.deepEqual([...mod.namedBuffers()].map(([k]) => k), m.buffers);
  });
}

for (const run of fx.instanceModules.tracked) {
  test(`nn.InstanceNorm${run.kind}(${run.numFeatures}, { momentum: ${run.momentum}, trackRunningStats: true }): ${run.train.length} training steps, then evaluation, as PyTorch`, () => {
    const opts = { momentum: run.momentum, affine: run.affine, trackRunningStats: true };
    const mod = run.kind === '1d' ? new nn.InstanceNorm1d(run.numFeatures, opts) : new nn.InstanceNorm2d(run.numFeatures, opts);
    assert.deepEqual(Object.keys(mod.stateDict()), Object.keys(run.initial));
    mod.loadStateDict(Object.fromEntries(Object.entries(run.initial).map(([k, e]) => [k, decode(e)])));
    const C = run.numFeatures;
    run.train.forEach((step, i) => {
      const y = noGrad(() => mod.forward(decode(step.input)));
      const scale = termScales(step.input, run.initial['weight'] ?? null, run.initial['bias'] ?? null, null, C, 1e-5)['out']!;
      assertTensorClose(y, step.out, `step ${i} out`, within(scale, 4));
      const sd = mod.stateDict();
      assert.deepEqual(Object.keys(sd), Object.keys(step.state));
      for (const [k, e] of Object.entries(step.state)) {
        if (k === 'num_batches_tracked') {
          // PyTorch's InstanceNorm never advances it.
          assert.equal(sd[k]!.item(), values(e)[0], `step ${i} num_batches_tracked`);
          continue;
        }
        assertTensorClose(sd[k]!, e, `step ${i} ${k}`, within(largest(e), 2));
        worst.running = Math.max(worst.running, ulpsOff(sd[k]!.toArray(), e, largest(e)));
      }
    });
    mod.eval();
    const last = run.train[run.train.length - 1]!.state;
    const x = decode(run.eval.input, true);
    const y = mod.forward(x);
    assert.equal(y.gradFn?.torchName, run.eval.gradFn);
    const stats = { mean: values(last['running_mean']!), variance: values(last['running_var']!) };
    const scales = termScales(run.eval.input, run.initial['weight'] ?? null, run.initial['bias'] ?? null, run.eval.upstream, C, 1e-5, stats);
    assertTensorClose(y, run.eval.out, 'eval out', within(scales['out']!, 4));
    y.backward(decode(run.eval.upstream));
    const got: Record<string, Tensor | null> = { input: x.grad, weight: mod.weight?.grad ?? null, bias: mod.bias?.grad ?? null };
    for (const [k, e] of Object.entries(run.eval.grads)) assertTensorClose(got[k]!, e, `eval grad ${k}`, within(scales[k]!, 8));
  });
}

for (const run of fx.instanceModules.unbatched) {
  test(`nn.InstanceNorm${run.kind} on an unbatched input [${run.input.shape.join(', ')}]${run.track ? ' (trackRunningStats)' : ''}: a batch of one, squeezed back`, () => {
    const C = run.input.shape[0]!;
    const mod = run.kind === '1d' ? new nn.InstanceNorm1d(C, { affine: true, trackRunningStats: run.track }) : new nn.InstanceNorm2d(C, { affine: true, trackRunningStats: run.track });
    noGrad(() => {
      mod.weight!.copy_(decode(run.weight));
      mod.bias!.copy_(decode(run.bias));
    });
    const x = decode(run.input, true);
    const y = mod.forward(x);
    assert.equal(y.gradFn?.torchName, run.gradFn);
    const batched = { ...run.input, shape: [1, ...run.input.shape] };
    const up = { ...run.upstream, shape: [1, ...run.upstream.shape] };
    const scales = termScales(batched, run.weight, run.bias, up, C, 1e-5);
    assertTensorClose(y, run.out, 'out', within(scales['out']!, 4));
    y.backward(decode(run.upstream));
    const got: Record<string, Tensor | null> = { input: x.grad, weight: mod.weight!.grad, bias: mod.bias!.grad };
    for (const [k, e] of Object.entries(run.grads)) assertTensorClose(got[k]!, e, `grad ${k}`, within(scales[k]!, 8));
    const sd = mod.stateDict();
    for (const [k, e] of Object.entries(run.state)) {
      if (k === 'num_batches_tracked') assert.equal(sd[k]!.item(), values(e)[0]);
      else assertTensorClose(sd[k]!, e, k, within(largest(e), 2));
    }
  });
}

/** Kindling's form of each refusal the fixture records (the fixture's `expr` is the PyTorch one). */
const randn = (...shape: number[]): Tensor => decode({ shape, data: Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i + 1)) });
const ones = (n: number): Tensor => decode({ shape: [n], data: new Array<number>(n).fill(1) });
const zeros = (n: number): Tensor => decode({ shape: [n], data: new Array<number>(n).fill(0) });
const REFUSALS: Record<string, () => unknown> = {
  'nn.GroupNorm(3, 4)': () => new nn.GroupNorm(3, 4),
  'F.group_norm(randn(2, 3), 2)': () => F.groupNorm(randn(2, 3), 2),
  'F.group_norm(randn(2, 4), 2, ones(3))': () => F.groupNorm(randn(2, 4), 2, ones(3)),
  'F.group_norm(randn(2, 4), 2, None, ones(3))': () => F.groupNorm(randn(2, 4), 2, null, ones(3)),
  'F.group_norm(randn(1, 2), 2)': () => F.groupNorm(randn(1, 2), 2),
  'F.group_norm(randn(1, 4, 1), 4)': () => F.groupNorm(randn(1, 4, 1), 4),
  'nn.GroupNorm(2, 4)(randn(2, 6))': () => new nn.GroupNorm(2, 4).forward(randn(2, 6)),
  'nn.InstanceNorm1d(3)(randn(2, 3, 1))': () => new nn.InstanceNorm1d(3).forward(randn(2, 3, 1)),
  'nn.InstanceNorm1d(3)(randn(3, 1))': () => new nn.InstanceNorm1d(3).forward(randn(3, 1)),
  'nn.InstanceNorm1d(3)(randn(2))': () => new nn.InstanceNorm1d(3).forward(randn(2)),
  'nn.InstanceNorm1d(3)(randn(2, 3, 4, 5))': () => new nn.InstanceNorm1d(3).forward(randn(2, 3, 4, 5)),
  'nn.InstanceNorm2d(3)(randn(2, 3))': () => new nn.InstanceNorm2d(3).forward(randn(2, 3)),
  'nn.InstanceNorm2d(3)(randn(2, 3, 1, 1))': () => new nn.InstanceNorm2d(3).forward(randn(2, 3, 1, 1)),
  'nn.InstanceNorm2d(3, affine=True)(randn(2, 4, 2, 2))': () => new nn.InstanceNorm2d(3, { affine: true }).forward(randn(2, 4, 2, 2)),
  'F.instance_norm(randn(2, 3, 4), use_input_stats=False)': () => F.instanceNorm(randn(2, 3, 4), { useInputStats: false }),
  'F.instance_norm(randn(2, 3, 4), zeros(2), ones(3))': () => F.instanceNorm(randn(2, 3, 4), zeros(2), ones(3)),
  'F.local_response_norm(randn(2, 3), 2)': () => F.localResponseNorm(randn(2, 3), 2),
  'F.normalize(randn(2, 3), dim=2)': () => F.normalize(randn(2, 3), { dim: 2 }),
};

test('every refusal of the fixture has a Kindling form here (or is listed with the op that lacks it)', () => {
  const missing = fx.errors.map((e) => e.expr).filter((e) => REFUSALS[e] === undefined);
  assert.deepEqual(missing, []);
});

for (const e of fx.errors.filter((k) => REFUSALS[k.expr] !== undefined)) {
  test(`refused as PyTorch refuses ${e.expr}: "${e.message}"`, () => {
    assert.ok(e.error !== null, 'PyTorch refuses it');
    // PyTorch's shape-less "expected 2D or 3D input (got 1D input)": Kindling adds the shape inside the parentheses.
    // PyTorch's message for a bias of the wrong size shows the weight's shape (undefined: [0]); Kindling's the bias's.
    // PyTorch's local_response_norm message holds a run of spaces (a line continuation inside its string literal).
    const want = e.message!.replace(/ input\)$/, ' input').replace('bias of shape [0]', 'bias of shape [3]').replace(/ {2,}/, ' ').replace(/ dimensions\)$/, ' dimensions');
    assert.throws(REFUSALS[e.expr]!, (err: Error) => {
      assert.ok(err.message.includes(want), `message ${JSON.stringify(err.message)} lacks PyTorch's ${JSON.stringify(want)}`);
      return true;
    });
  });
}

// F.normalize is PyTorch's composition (norm, clamp, expand, div) of Kindling's ops, each golden-tested: 2 ulps of
// the output (the division's and the norm's roundings), 8 of the largest gradient.
for (const c of fx.normalize) {
  test(`F.normalize ${c.name} (p ${c.p}, dim ${c.dim}, eps ${c.eps}): values and gradient as PyTorch's`, () => {
    const x = decode(c.input, true);
    const y = F.normalize(x, c.p, c.dim, c.eps);
    assert.equal(y.gradFn?.torchName, c.gradFn);
    assertTensorClose(y, c.out, `${c.name} out`, within(largest(c.out), 2));
    y.backward(decode(c.upstream));
    assertTensorClose(x.grad, c.grads['input']!, `${c.name} grad`, within(largest(c.grads['input']!), 8));
  });
}

test('F.normalize takes its options as an object too, and leaves a zero vector zero', () => {
  const c = fx.normalize.find((k) => k.name === 'zero_row_eps')!;
  const y = F.normalize(decode(c.input), { p: c.p, dim: c.dim, eps: c.eps });
  assertTensorClose(y, c.out, 'options form', within(largest(c.out), 2));
  assert.ok(y.toArray().slice(4, 8).every((v) => v === 0));
});

// F.localResponseNorm takes PyTorch's float32 steps for the divisor (squares, the window's sum in channel order, /size,
// ·alpha, +k, ^beta: Math.pow rounded, where PyTorch calls powf, hence 2 ulps) and its gradient in float64.
for (const c of fx.localResponseNorm) {
  test(`F.localResponseNorm ${c.name} (size ${c.size}, alpha ${c.alpha}, beta ${c.beta}, k ${c.k}, [${c.input.shape.join(', ')}]): as PyTorch's`, () => {
    const x = decode(c.input, true);
    const y = F.localResponseNorm(x, c.size, c.alpha, c.beta, c.k);
    assert.equal(y.gradFn?.torchName, c.gradFn);
    assertTensorClose(y, c.out, `${c.name} out`, within(largest(c.out), 2));
    y.backward(decode(c.upstream));
    assertTensorClose(x.grad, c.grads['input']!, `${c.name} grad`, within(largest(c.grads['input']!), 8));
    const m = new nn.LocalResponseNorm(c.size, { alpha: c.alpha, beta: c.beta, k: c.k });
    assert.deepEqual(noGrad(() => m.forward(decode(c.input))).toArray(), y.toArray(), 'the module gives F.localResponseNorm\'s values');
  });
}

for (const m of fx.modules.filter((k) => k.expr.startsWith('LocalResponseNorm'))) {
  test(`nn.${m.expr}: PyTorch's repr, no parameters or buffers`, () => {
    const mod = m.expr === 'LocalResponseNorm(2)' ? new nn.LocalResponseNorm(2) : new nn.LocalResponseNorm(3, 0.01, 0.5, 2);
    assert.equal(String(mod), m.repr);
    assert.deepEqual(Object.keys(mod.stateDict()), Object.keys(m.state));
    assert.deepEqual([...mod.namedBuffers()].map(([k]) => k), m.buffers);
  });
}

test.after(() => {
  console.log(`# normalization: worst ulps (of the largest term): groupNorm grads ${worst.groupGrads.toFixed(2)}, instanceNorm forward ${worst.instanceForward.toFixed(2)}, grads ${worst.instanceGrads.toFixed(2)}, running ${worst.running.toFixed(2)}`);
});
