// nn.init against torch.nn.init bit for bit (fixtures/torch/init.json, written by make_init.py on a machine where
// PyTorch 1.13 runs its AVX2 kernels): sequences of fills after manual_seed on fresh tensors (1-D to 5-D) and on a
// Linear's parameters (its weight stored transposed), calculate_gain, the fans, and the calls PyTorch refuses.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { manualSeed, nn, zeros, type Tensor } from '../../src/index.js';
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
}

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
