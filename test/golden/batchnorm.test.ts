// Batch normalisation against PyTorch 1.13 (fixtures/torch/batchnorm.json, from make_batchnorm.py): F.batchNorm in
// training and evaluation mode (values, running statistics after, gradients of input, weight and bias), the modules
// over several training steps with momentum 0.1, 0.5 and null then in evaluation mode, trackRunningStats false, and
// two networks with BatchNorm (an MLP and a CNN) trained four SGD steps and evaluated.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, manualSeed, noGrad, nn, optim, tensor, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, largest, loadFixture, ulpsOff, values, within, type EncodedMap, type EncodedTensor } from './golden-helpers.js';

interface FunctionalCase {
  name: string;
  args: { training: boolean; momentum: number; eps: number };
  input: EncodedTensor;
  weight: EncodedTensor | null;
  bias: EncodedTensor | null;
  runningMean: EncodedTensor | null;
  runningVar: EncodedTensor | null;
  out: EncodedTensor;
  runningMeanAfter: EncodedTensor | null;
  runningVarAfter: EncodedTensor | null;
  upstream: EncodedTensor;
  grads: EncodedMap;
}

interface ModuleCase {
  kind: '1d' | '2d';
  numFeatures: number;
  momentum: number | null;
  initial: EncodedMap;
  train: { input: EncodedTensor; out: EncodedTensor; state: EncodedMap }[];
  eval: { input: EncodedTensor; out: EncodedTensor; upstream: EncodedTensor; grads: EncodedMap };
}

interface NetworkRun {
  initial: EncodedMap;
  inputs: EncodedTensor[];
  labels: number[][];
  losses: number[];
  final: EncodedMap;
  test: EncodedTensor;
  eval: EncodedTensor;
}

interface Fixture {
  functional: FunctionalCase[];
  modules: ModuleCase[];
  untracked: { keys: string[]; input: EncodedTensor; train: EncodedTensor; eval: EncodedTensor };
  mlp: NetworkRun;
  cnn: NetworkRun;
}

const fx = loadFixture<Fixture>('batchnorm.json');

/** Per channel, in float64: the mean and 1/σ the op normalises with (the batch's, or the running ones). */
function stats(x: EncodedTensor, rm: EncodedTensor | null, rv: EncodedTensor | null, training: boolean, eps: number): { mean: number[]; invstd: number[] } {
  const [N, C] = x.shape as [number, number];
  const S = x.shape.slice(2).reduce((a, b) => a * b, 1);
  const X = values(x);
  const mean: number[] = [];
  const invstd: number[] = [];
  for (let c = 0; c < C; c++) {
    if (!training) {
      mean.push(values(rm!)[c]!);
      invstd.push(1 / Math.sqrt(values(rv!)[c]! + eps));
      continue;
    }
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < N; i++) for (let s = 0; s < S; s++) sum += X[(i * C + c) * S + s]!;
    const m = sum / (N * S);
    for (let i = 0; i < N; i++) for (let s = 0; s < S; s++) sq += (X[(i * C + c) * S + s]! - m) ** 2;
    mean.push(m);
    invstd.push(1 / Math.sqrt(sq / (N * S) + eps));
  }
  return { mean, invstd };
}

/**
 * The magnitudes of the float32 terms PyTorch's kernels add, by what they compute: its output is x·α + β per channel
 * (α = w/σ, β = b − mean·α, each rounded to float32), so its rounding is relative to max(|x·α|, |β|), not to the
 * output (which cancels when the mean is far from 0); the input's gradient adds terms of size |g·w/σ| (and cancels
 * to nothing for a batch of two); the weight's and bias's sum |g·x̂| and |g| over a channel.
 */
function termScales(c: { input: EncodedTensor; weight: EncodedTensor | null; bias: EncodedTensor | null }, st: { mean: number[]; invstd: number[] }, upstream: EncodedTensor | null): Record<string, number> {
  const [N, C] = c.input.shape as [number, number];
  const S = c.input.shape.slice(2).reduce((a, b) => a * b, 1);
  const X = values(c.input);
  const G = upstream === null ? null : values(upstream);
  const w = c.weight === null ? null : values(c.weight);
  const b = c.bias === null ? null : values(c.bias);
  const out = { out: 0, input: 0, weight: 0, bias: 0 };
  for (let ch = 0; ch < C; ch++) {
    const alpha = st.invstd[ch]! * (w === null ? 1 : w[ch]!);
    const beta = (b === null ? 0 : b[ch]!) - st.mean[ch]! * alpha;
    let dot = 0;
    let signedDot = 0;
    let sumG = 0;
    for (let i = 0; i < N; i++) {
      for (let s = 0; s < S; s++) {
        const k = (i * C + ch) * S + s;
        out.out = Math.max(out.out, Math.abs(X[k]! * alpha), Math.abs(beta));
        if (G === null) continue;
        // the weight's gradient: Σ g·x̂, with x − mean again taken with a float32 mean: terms up to |g·x/σ|
        dot += Math.max(Math.abs(G[k]! * (X[k]! - st.mean[ch]!)), Math.abs(G[k]! * X[k]!)) * st.invstd[ch]!;
        signedDot += G[k]! * (X[k]! - st.mean[ch]!) * st.invstd[ch]!;
        sumG += Math.abs(G[k]!);
      }
    }
    // The input's gradient: g·α, and x̂·mean(g·x̂)·α, whose x − mean PyTorch takes with its float32 mean: terms of
    // size |x·α·mean(g·x̂)|.
    const meanGx = Math.abs(signedDot) / (N * S);
    for (let k = ch * S, i = 0; G !== null && i < N; i++, k = (i * C + ch) * S) {
      for (let s = 0; s < S; s++) out.input = Math.max(out.input, Math.abs(G[k + s]! * alpha), Math.abs(X[k + s]! * alpha * meanGx));
    }
    out.weight = Math.max(out.weight, dot);
    out.bias = Math.max(out.bias, sumG);
  }
  return out;
}

const worst = { forward: 0, grads: 0, running: 0 };

test('batchnorm.json covers training and evaluation mode, 1d and 2d, affine and not, and the momenta', () => {
  assert.ok(fx.functional.some((c) => c.args.training) && fx.functional.some((c) => !c.args.training));
  assert.ok(fx.functional.some((c) => c.input.shape.length === 2) && fx.functional.some((c) => c.input.shape.length === 3) && fx.functional.some((c) => c.input.shape.length === 4));
  assert.ok(fx.functional.some((c) => c.weight === null) && fx.functional.some((c) => c.runningMean === null));
  assert.deepEqual(new Set(fx.modules.map((m) => m.momentum)), new Set([0.1, 0.5, null]));
});

for (const c of fx.functional) {
  test(`F.batchNorm ${c.name}: values, running statistics and gradients as PyTorch's`, () => {
    const x = decode(c.input, true);
    const w = c.weight === null ? null : decode(c.weight, true);
    const b = c.bias === null ? null : decode(c.bias, true);
    const rm = c.runningMean === null ? null : decode(c.runningMean);
    const rv = c.runningVar === null ? null : decode(c.runningVar);
    const out = F.batchNorm(x, rm, rv, { weight: w, bias: b, ...c.args });
    const scales = termScales(c, stats(c.input, c.runningMean, c.runningVar, c.args.training, c.args.eps), c.upstream);
    assertTensorClose(out, c.out, `${c.name} out`, within(scales['out']!, 4));
    worst.forward = Math.max(worst.forward, ulpsOff(out.toArray(), c.out, scales['out']!));
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
      worst.grads = Math.max(worst.grads, ulpsOff(got[k]!.toArray(), e, scales[k]!));
    }
  });
}

for (const m of fx.modules) {
  test(`nn.BatchNorm${m.kind}(${m.numFeatures}, { momentum: ${m.momentum} }): ${m.train.length} training steps, then evaluation, as PyTorch`, () => {
    const bn = m.kind === '1d' ? new nn.BatchNorm1d(m.numFeatures, { momentum: m.momentum }) : new nn.BatchNorm2d(m.numFeatures, { momentum: m.momentum });
    assert.deepEqual(Object.keys(bn.stateDict()), Object.keys(m.initial));
    bn.loadStateDict(Object.fromEntries(Object.entries(m.initial).map(([k, e]) => [k, decode(e)])));
    const affine = { weight: m.initial['weight']!, bias: m.initial['bias']! };
    m.train.forEach((step, i) => {
      const y = noGrad(() => bn.forward(decode(step.input)));
      const scale = termScales({ input: step.input, ...affine }, stats(step.input, null, null, true, 1e-5), null)['out']!;
      assertTensorClose(y, step.out, `step ${i} out`, within(scale, 4));
      worst.forward = Math.max(worst.forward, ulpsOff(y.toArray(), step.out, scale));
      const sd = bn.stateDict();
      assert.deepEqual(Object.keys(sd), Object.keys(step.state));
      for (const [k, e] of Object.entries(step.state)) {
        if (k === 'num_batches_tracked') {
          assert.equal(e.dtype, 'int64');
          assert.deepEqual([...sd[k]!.shape], []);
          assert.equal(sd[k]!.item(), values(e)[0], `step ${i} num_batches_tracked`);
          continue;
        }
        assertTensorClose(sd[k]!, e, `step ${i} ${k}`, within(largest(e), 2));
        worst.running = Math.max(worst.running, ulpsOff(sd[k]!.toArray(), e, largest(e)));
      }
    });
    bn.eval();
    const last = m.train[m.train.length - 1]!.state;
    const x = decode(m.eval.input, true);
    const y = bn.forward(x);
    const scales = termScales({ input: m.eval.input, ...affine }, stats(m.eval.input, last['running_mean']!, last['running_var']!, false, 1e-5), m.eval.upstream);
    assertTensorClose(y, m.eval.out, 'eval out', within(scales['out']!, 4));
    worst.forward = Math.max(worst.forward, ulpsOff(y.toArray(), m.eval.out, scales['out']!));
    y.backward(decode(m.eval.upstream));
    const got: Record<string, Tensor | null> = { input: x.grad, weight: bn.weight!.grad, bias: bn.bias!.grad };
    for (const [k, e] of Object.entries(m.eval.grads)) {
      assertTensorClose(got[k]!, e, `eval grad ${k}`, within(scales[k]!, 8));
      worst.grads = Math.max(worst.grads, ulpsOff(got[k]!.toArray(), e, scales[k]!));
    }
  });
}

test('trackRunningStats false: no buffers in the state dict, the batch statistics in both modes', () => {
  const u = fx.untracked;
  const bn = new nn.BatchNorm2d(3, { trackRunningStats: false });
  assert.deepEqual(Object.keys(bn.stateDict()), u.keys);
  assert.equal(bn.runningMean, null);
  const x = decode(u.input);
  const scale = termScales({ input: u.input, weight: null, bias: null }, stats(u.input, null, null, true, 1e-5), null)['out']!;
  assertTensorClose(noGrad(() => bn.forward(x)), u.train, 'train', within(scale, 4));
  bn.eval();
  assertTensorClose(noGrad(() => bn.forward(x)), u.eval, 'eval', within(scale, 4));
});

function trainNetwork(run: NetworkRun, net: nn.Module, label: string): void {
  // The same seed gives PyTorch's initial weights (Linear and Conv2d draw as PyTorch does; BatchNorm draws nothing).
  const sd = net.stateDict();
  assert.deepEqual(Object.keys(sd), Object.keys(run.initial));
  for (const [k, e] of Object.entries(run.initial)) assert.deepEqual([...sd[k]!.toArray()], values(e), `${label} initial ${k}`);
  const opt = new optim.SGD(net.parameters(), 0.1);
  run.inputs.forEach((x, i) => {
    const loss = F.crossEntropyLoss(net.forward(decode(x)), tensor(run.labels[i]!));
    opt.zeroGrad();
    loss.backward();
    opt.step();
    assert.ok(Math.abs(loss.item() - run.losses[i]!) <= 2e-6 * Math.abs(run.losses[i]!), `${label} step ${i}: loss ${loss.item()}, PyTorch ${run.losses[i]}`);
  });
  const after = net.stateDict();
  assert.deepEqual(Object.keys(after), Object.keys(run.final));
  for (const [k, e] of Object.entries(run.final)) {
    if (e.dtype === 'int64') assert.equal(after[k]!.item(), values(e)[0], `${label} final ${k}`);
    else assertTensorClose(after[k]!, e, `${label} final ${k}`, { rtol: 1e-5, atol: 1e-6 });
  }
  net.eval();
  assertTensorClose(noGrad(() => net.forward(decode(run.test))), run.eval, `${label} eval`, { rtol: 1e-5, atol: 1e-6 });
}

test('Linear → BatchNorm1d → ReLU → Linear trains 4 SGD steps and evaluates as in PyTorch (running statistics included)', () => {
  manualSeed(11);
  trainNetwork(fx.mlp, new nn.Sequential(new nn.Linear(6, 8), new nn.BatchNorm1d(8), new nn.ReLU(), new nn.Linear(8, 3)), 'mlp');
});

test('Conv2d → BatchNorm2d → ReLU → MaxPool2d → Flatten → Linear trains 4 SGD steps and evaluates as in PyTorch', () => {
  manualSeed(12);
  const cnn = new nn.Sequential(
    new nn.Conv2d(1, 3, 3, { padding: 1 }), new nn.BatchNorm2d(3), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(3 * 4 * 4, 3),
  );
  trainNetwork(fx.cnn, cnn, 'cnn');
});

test('where the mean is far from 0, Kindling\'s output is the float64 value rounded once; PyTorch\'s x·α + β is off by its terms\' rounding', () => {
  const c = fx.functional.find((k) => k.name === 'train_offset_mean')!;
  const st = stats(c.input, null, null, true, c.args.eps);
  const [N, C] = c.input.shape as [number, number];
  const X = values(c.input);
  const w = values(c.weight!);
  const b = values(c.bias!);
  const exact = X.map((v, k) => (v - st.mean[k % C]!) * st.invstd[k % C]! * w[k % C]! + b[k % C]!);
  const out = noGrad(() => F.batchNorm(decode(c.input), null, null, { weight: decode(c.weight!), bias: decode(c.bias!), training: true }));
  const ours = out.toArray();
  const theirs = values(c.out);
  let oursOff = 0;
  let theirsOff = 0;
  for (let k = 0; k < N * C; k++) {
    oursOff = Math.max(oursOff, Math.abs(ours[k]! - exact[k]!) / Math.abs(exact[k]!));
    theirsOff = Math.max(theirsOff, Math.abs(theirs[k]! - exact[k]!) / Math.abs(exact[k]!));
  }
  assert.ok(oursOff <= 2 ** -24, `ours ${oursOff}`);
  assert.ok(theirsOff > 100 * 2 ** -24, `PyTorch's ${theirsOff}`);
});

test('measured agreement with PyTorch (units of float32 epsilon relative to the terms PyTorch\'s float32 kernels add)', () => {
  // Printed for the README; bounded so that a regression shows.
  console.log(`batchnorm agreement: forward ${worst.forward.toFixed(2)} ulp of max(|x·α|, |β|), running statistics ${worst.running.toFixed(2)} ulp of their largest value, gradients ${worst.grads.toFixed(2)} ulp of their terms`);
  assert.ok(worst.forward <= 4 && worst.running <= 2 && worst.grads <= 8, JSON.stringify(worst));
});
