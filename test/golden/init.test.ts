// nn.init against torch.nn.init bit for bit (fixtures/torch/init.json, written by make_init.py on a machine where
// PyTorch 1.13 runs its AVX2 kernels): sequences of fills after manual_seed on fresh tensors (1-D to 5-D) and on a
// Linear's parameters (its weight stored transposed), calculate_gain, the fans, and the calls PyTorch refuses.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { manualSeed, nn, rand, zeros, type Tensor } from '../../src/index.js';
import { assertBits, loadFixture } from './golden-helpers.js';

type Args = Record<string, number | string | null | boolean>;
interface Summary {
  shape: number[];
  sha256: string;
  sum: number;
  samples: { index: number[]; values: number[] };
}
interface Step {
  fn: string;
  args: Args;
  shape?: number[];
  target?: 'weight' | 'bias';
  values?: { shape: number[]; data: number[] };
  summary?: Summary;
  versionDelta: number;
}
interface Sequence {
  label: string;
  seed: number;
  linear: [number, number];
  steps: Step[];
}
interface Fixture {
  cpu_capability: string;
  sequences: Sequence[];
  gains: { nonlinearity: string; param: number | null; gain: number }[];
  fans: { shape: number[]; fans: [number, number] }[];
  errors: { fn: string; shape?: number[]; args: Args; error: string }[];
  views: { fn: string; view: ViewSpec; args: Args; seed: number; values: { shape: number[]; data: number[] }; after: number[] }[];
}
/** ["t", base], ["narrow", base, dim, start, length], ["permute", base, dims], ["linear_t", in, out]: see make_init.py. */
type ViewSpec = [string, ...unknown[]];

const fx = loadFixture<Fixture>('init.json');
const init = nn.init as unknown as Record<string, (t: Tensor, args?: Args) => Tensor>;


/** Runs one step as the fixture script ran it; returns the tensor written and its version before. */
function run(step: Step, lin: nn.Linear): { t: Tensor; before: number } {
  const t = step.target === 'weight' ? lin.weight : step.target === 'bias' ? lin.bias! : zeros(step.shape!);
  const before = t.version;
  const r = Object.keys(step.args).length > 0 ? init[step.fn]!(t, step.args) : init[step.fn]!(t);
  assert.equal(r, t, `${step.fn} returns its tensor`);
  return { t, before };
}

for (const seq of fx.sequences) {
  test(`nn.init: ${seq.label}`, () => {
    manualSeed(seq.seed);
    const lin = new nn.Linear(seq.linear[0], seq.linear[1]);
    seq.steps.forEach((step, k) => {
      const label = `step ${k} ${step.fn}(${step.target ?? JSON.stringify(step.shape)}, ${JSON.stringify(step.args)})`;
      const { t, before } = run(step, lin);
      const got = Float32Array.from(t.toArray() as unknown as ArrayLike<number>);
      if (step.values) {
        assert.deepEqual(t.shape, step.values.shape, `${label}: shape`);
        assertBits(got, step.values.data, step.values.data.map((_, i) => i), label);
      } else {
        const s = step.summary!;
        assert.deepEqual(t.shape, s.shape, `${label}: shape`);
        assertBits(got, s.samples.values, s.samples.index, label);
        assert.equal(createHash('sha256').update(new Uint8Array(got.buffer)).digest('hex'), s.sha256, `${label}: SHA-256 of all ${got.length} values`);
      }
      // One in-place change, as PyTorch counts it; its dirac_ counts one per index it sets after zero_(), Kindling one.
      if (step.fn !== 'dirac_') assert.equal(t.version - before, step.versionDelta, `${label}: version change`);
    });
  });
}

/** The view a fixture case fills, made as make_init.py makes it (after the seed: a Linear draws its weight). */
function viewOf(spec: ViewSpec): Tensor {
  const [kind, a, b, c, d] = spec as [string, number[], unknown, unknown, unknown];
  if (kind === 't') return zeros(a).t();
  if (kind === 'narrow') return zeros(a).narrow(b as number, c as number, d as number);
  if (kind === 'permute') return zeros(a).permute(...(b as number[]));
  if (kind === 'linear_t') return new nn.Linear(spec[1] as number, spec[2] as number).weight.t();
  throw new Error(`unknown view ${kind}`);
}

test('nn.init on views (transposes, column slices of 8 and 32 values, a permuted 4-D tensor) as PyTorch draws them', () => {
  assert.ok(fx.views.length >= 14);
  for (const v of fx.views) {
    const label = `${v.fn}(${JSON.stringify(v.view)}, ${JSON.stringify(v.args)})`;
    manualSeed(v.seed);
    const t = viewOf(v.view);
    const r = Object.keys(v.args).length > 0 ? init[v.fn]!(t, v.args) : init[v.fn]!(t);
    assert.equal(r, t, `${label} returns its tensor`);
    assert.deepEqual(t.shape, v.values.shape, `${label}: shape`);
    const got = Float32Array.from(t.toArray() as unknown as ArrayLike<number>);
    if (v.fn === 'orthogonal_' || v.fn === 'truncNormal_') {
      // Within float32 rounding (a float64 QR; erfinv within a few ulps): see init-extra.ts.
      v.values.data.forEach((x, i) => assert.ok(Math.abs(got[i]! - x) <= 1e-5 * Math.max(1, Math.abs(x)), `${label}: [${i}] ${got[i]} vs PyTorch ${x}`));
    } else {
      assertBits(got, v.values.data, v.values.data.map((_, i) => i), label);
    }
    assertBits(rand(2).values(), v.after, [0, 1], `${label}: the generator's position after it`);
  }
});

test('nn.init: calculateGain as calculate_gain', () => {
  for (const { nonlinearity, param, gain } of fx.gains) {
    assert.equal(nn.init.calculateGain(nonlinearity as nn.init.Nonlinearity, param), gain, `calculateGain(${nonlinearity}, ${param})`);
  }
});

test('nn.init: calculateFanInAndFanOut as _calculate_fan_in_and_fan_out (receptive field for > 2-D)', () => {
  for (const { shape, fans } of fx.fans) assert.deepEqual(nn.init.calculateFanInAndFanOut(zeros(shape)), fans, `shape [${shape.join(', ')}]`);
});

test('nn.init: refuses what PyTorch refuses', () => {
  for (const e of fx.errors) {
    const call = e.fn === 'calculateGain'
      ? () => nn.init.calculateGain(e.args.nonlinearity as nn.init.Nonlinearity, e.args.param as number)
      : () => (Object.keys(e.args).length > 0 ? init[e.fn]!(zeros(e.shape!), e.args) : init[e.fn]!(zeros(e.shape!)));
    assert.throws(call, (err: unknown) => {
      assert.ok(err instanceof RangeError || err instanceof TypeError, `${e.fn} ${JSON.stringify(e)}: expected a RangeError or TypeError, got ${String(err)} (PyTorch: ${e.error})`);
      assert.ok(err.message.startsWith(`${e.fn}:`), `message names the function: ${err.message}`);
      if (e.shape !== undefined && /Fan in and fan out|dimensions are supported/.test(e.error) && !/ZeroDivision/.test(e.error)) {
        assert.ok(err.message.includes(`[${e.shape.join(', ')}]`), `message names the shape: ${err.message}`);
      }
      return true;
    }, `${e.fn} ${JSON.stringify(e.args)} on ${JSON.stringify(e.shape)} (PyTorch: ${e.error})`);
  }
});
