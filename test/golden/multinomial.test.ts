// torch.multinomial and Categorical.sample against PyTorch (fixtures/torch/multinomial.json, from
// make_multinomial.py): after the same seed the same indices, with and without replacement, one and several samples,
// 1-D and 2-D weights, zeros, a transposed input and a generator of its own; the global stream left where PyTorch
// leaves it (the next rand agrees); PyTorch's refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { distributions, Generator, manualSeed, multinomial, rand, type Tensor } from '../../src/index.js';
import { decode, loadFixture, values, type EncodedTensor } from './golden-helpers.js';

interface Draw { name: string; weights: EncodedTensor; transposed: boolean; numSamples: number; replacement: boolean; seed: number; out: EncodedTensor; after: EncodedTensor }
interface Fixture {
  cases: Draw[];
  generator: { seed: number; weights: EncodedTensor; numSamples: number; out: EncodedTensor };
  categorical: { name: string; kind: 'probs' | 'logits'; param: EncodedTensor; sampleShape: number[]; seed: number; out: EncodedTensor }[];
  errors: Record<string, { type: string; message: string }>;
}

const fx = loadFixture<Fixture>('multinomial.json');

/** The weights as the case passed them: a transposed case's as the transpose of a contiguous tensor. */
const weightsOf = (c: Draw): Tensor => (c.transposed ? decode(c.weights).t().contiguous().t() : decode(c.weights));

test('multinomial.json covers both paths, 1-D and 2-D weights, zeros and a transposed input', () => {
  assert.ok(fx.cases.some((c) => c.replacement && c.numSamples > 1));
  assert.ok(fx.cases.some((c) => !c.replacement && c.numSamples > 1));
  assert.ok(fx.cases.some((c) => c.numSamples === 1));
  assert.ok(fx.cases.some((c) => c.weights.shape.length === 2));
  assert.ok(fx.cases.some((c) => c.transposed));
});

for (const c of fx.cases) {
  test(`multinomial ${c.name} (${c.numSamples} samples, replacement ${c.replacement}) after manualSeed(${c.seed}): PyTorch's draws, and the stream left where it leaves it`, () => {
    const w = weightsOf(c);
    if (c.transposed) assert.equal(w.isContiguous(), false);
    manualSeed(c.seed);
    const out = multinomial(w, c.numSamples, c.replacement);
    assert.deepEqual([...out.shape], c.out.shape);
    assert.deepEqual([...out.toArray()], values(c.out));
    assert.deepEqual([...rand([3]).toArray()], values(c.after));
    // The method form draws the same.
    manualSeed(c.seed);
    assert.deepEqual([...w.multinomial(c.numSamples, c.replacement).toArray()], values(c.out));
  });
}

test('multinomial with a generator of its own draws from it, as torch.multinomial(…, generator=g)', () => {
  const g = new Generator().manualSeed(fx.generator.seed);
  const out = multinomial(decode(fx.generator.weights), fx.generator.numSamples, false, { generator: g });
  assert.deepEqual([...out.toArray()], values(fx.generator.out));
});

test('without replacement no index repeats in a row, and zero weights are never drawn', () => {
  const w = decode(fx.cases.find((c) => c.name === 'zeros_without')!.weights);
  for (let seed = 0; seed < 50; seed++) {
    manualSeed(seed);
    const row = [...multinomial(w, 4).toArray()] as number[];
    assert.equal(new Set(row).size, 4);
    assert.ok(!row.includes(1), `seed ${seed}: drew the zero weight: ${row}`);
  }
});

for (const c of fx.categorical) {
  test(`Categorical({ ${c.kind} }).sample(${JSON.stringify(c.sampleShape)}) after manualSeed(${c.seed}) gives PyTorch's classes`, () => {
    const d = new distributions.Categorical({ [c.kind]: decode(c.param) } as never);
    manualSeed(c.seed);
    const s = d.sample(c.sampleShape);
    assert.deepEqual([...s.shape], c.out.shape);
    assert.deepEqual([...s.toArray()], values(c.out));
  });
}

test("multinomial refuses what PyTorch refuses, with PyTorch's words", () => {
  const t = (v: number[], shape = [v.length]): Tensor => decode({ shape, data: v });
  const e = fx.errors;
  const cases: [string, () => unknown][] = [
    ['dim3', () => multinomial(t(new Array(8).fill(1), [2, 2, 2]), 1)],
    ['zeroSamples', () => multinomial(t([0.1, 0.6, 0.3]), 0)],
    ['tooMany', () => multinomial(t([0.1, 0.6, 0.3]), 4)],
    ['negative', () => multinomial(t([0.5, -0.1]), 1)],
    ['nan', () => multinomial(t([0.5, Number.NaN]), 1)],
    ['zeroSum', () => multinomial(t([0, 0, 0]), 1)],
    ['negativeWith', () => multinomial(t([0.5, -0.1]), 2, true)],
    ['infWith', () => multinomial(t([0.5, Infinity]), 2, true)],
    ['zeroSumWith', () => multinomial(t([0, 0, 0]), 2, true)],
  ];
  for (const [key, run] of cases) {
    assert.throws(run, (err: unknown) => {
      assert.ok(err instanceof RangeError, key);
      assert.ok(err.message.startsWith(`multinomial: ${e[key]!.message}`), `${key}: ${err.message}`);
      return true;
    });
  }
});
