// evaluate: batched, from the image bytes, with one input buffer kept between calls; the same answers as a plain
// image-by-image loop, whatever the batch size, limit or backend, and also when a model's forward pass evaluates.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { MnistSplit } from '../../src/data/mnist.js';
import { manualSeed, nn, noGrad, setBackend, Tensor, wasmAvailable } from '../../src/index.js';
import { allocStorage } from '../../src/kernels/storage.js';
import { evaluate } from '../../src/lab/evaluate.js';
import { mulberry32 } from '../shared.js';

const P = 784;
const count = 37;
const r = mulberry32(9);
const split: MnistSplit = {
  images: Uint8Array.from({ length: count * P }, () => (r() < 0.7 ? 0 : Math.floor(r() * 256))),
  labels: Uint8Array.from({ length: count }, () => Math.floor(r() * 10)),
  count, rows: 28, cols: 28, source: 'synthetic',
};
manualSeed(4);
const model = new nn.Sequential(new nn.Linear(P, 16), new nn.LayerNorm(16), new nn.ReLU(), new nn.Linear(16, 10));

/** The predictions of a plain loop, one image at a time. */
function predictions(m: nn.Module, limit = count): number[] {
  return noGrad(() => Array.from({ length: limit }, (_, i) => {
    const x = Float32Array.from(split.images.subarray(i * P, (i + 1) * P), (b) => b / 255);
    const o = m.forward(new Tensor(x, [1, P])).values();
    let best = 0;
    for (let c = 1; c < 10; c++) if (o[c]! > o[best]!) best = c;
    return best;
  }));
}
const correctOf = (p: number[]): number => p.filter((b, i) => b === split.labels[i]).length;
/** Rows: true label; columns: prediction. */
function confusionOf(p: number[]): number[][] {
  const m = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  p.forEach((b, i) => m[split.labels[i]!]![b]!++);
  return m;
}

test('evaluate gives a plain loop\'s answers for any batch size and limit, on both backends, call after call', () => {
  const want = predictions(model);
  const backends = wasmAvailable() ? (['wasm', 'ref', 'wasm'] as const) : (['ref'] as const);
  try {
    for (const backend of backends) {
      setBackend(backend);
      for (const [batchSize, limit] of [[500, count], [7, count], [1, count], [36, count], [5, 11]] as const) {
        const e = evaluate(model, split, { batchSize, limit });
        assert.equal(e.correct, correctOf(want.slice(0, limit)), `${backend}, batch ${batchSize}, limit ${limit}`);
        assert.equal(e.total, limit);
      }
    }
  } finally {
    setBackend(wasmAvailable() ? 'wasm' : 'ref');
  }
});

test('an evaluate inside a model\'s forward pass does not overwrite the outer evaluation\'s batch', () => {
  const inner = new nn.Sequential(new nn.Linear(P, 10));
  class Nested extends nn.Module {
    override forward(x: Tensor): Tensor {
      evaluate(inner, split, { batchSize: 2 });
      return model.forward(x);
    }
  }
  const want = confusionOf(predictions(model));
  for (const batchSize of [10, 100]) assert.deepEqual(evaluate(new Nested(), split, { batchSize }).confusion, want, `batch ${batchSize}`);
  // And the kept buffer still serves a plain call afterwards.
  assert.deepEqual(evaluate(model, split).confusion, want);
});

test('the input a model keeps from an evaluation keeps its block of kernel memory: it is not handed to other storage once the kept buffer is replaced', async (t) => {
  if (!wasmAvailable()) return t.skip('needs the wasm backend');
  setBackend('wasm');
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const settle = async (): Promise<void> => {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  };
  // A model that keeps its last input (to look at it later, say): a view of evaluate's input buffer.
  class Keeper extends nn.Module {
    seen: Tensor | null = null;
    lin = new nn.Linear(P, 10);
    override forward(x: Tensor): Tensor {
      this.seen = x;
      return this.lin.forward(x);
    }
  }
  const keeper = new Keeper();
  evaluate(keeper, split, { limit: 3 });
  const seen = keeper.seen!;
  const before = seen.toArray();
  // A larger evaluation replaces the kept buffer; the old one is collected and its block goes back to the allocator.
  const n = 4 * count;
  const big: MnistSplit = { ...split, images: Uint8Array.from({ length: n * P }, (_, i) => split.images[i % (count * P)]!), labels: Uint8Array.from({ length: n }, (_, i) => split.labels[i % count]!), count: n };
  evaluate(model, big);
  for (let i = 0; i < 6; i++) await settle();
  const others = Array.from({ length: 200 }, () => allocStorage(3 * P).fill(-9));
  assert.deepEqual([...seen.toArray()], [...before], 'the kept input was handed to other storage');
  assert.ok(others.every((a) => a.every((v) => v === -9)));
});

test('ties go to the first largest output; the confusion, per-class accuracy and kept mistakes follow from the predictions', () => {
  // Every output is its bias: digits 1, 2 and 4 tie for the largest, so every prediction is 1.
  const tied = new nn.Linear(P, 10);
  noGrad(() => {
    tied.weight.zero_();
    tied.bias!.copy_(new Tensor(Float32Array.from([0, 1, 1, 0.5, 1, 0, 0, 0, 0, 0]), [10]));
  });
  const labels = Array.from(split.labels);
  const ones = labels.filter((l) => l === 1).length;
  assert.ok(ones > 0 && ones < count, 'the data has some 1s and some other digits');
  const e = evaluate(tied, split);
  assert.equal(e.correct, ones);
  assert.deepEqual(e.confusion.map((row) => row.findIndex((v) => v !== 0)), Array.from({ length: 10 }, (_, d) => (labels.includes(d) ? 1 : -1)));
  assert.deepEqual(e.confusion.map((row) => row[1]), Array.from({ length: 10 }, (_, d) => labels.filter((l) => l === d).length));
  assert.deepEqual(e.perClassAccuracy, Array.from({ length: 10 }, (_, d) => (!labels.includes(d) ? null : d === 1 ? 1 : 0)));
  // The first 8 mistakes by default, in order; keepWrong sets how many.
  const wrong = labels.map((l, i) => [l, i] as const).filter(([l]) => l !== 1).map(([, i]) => i);
  assert.deepEqual(e.misclassified.map((m) => [m.index, m.predicted, m.label]), wrong.slice(0, 8).map((i) => [i, 1, labels[i]]));
  assert.deepEqual(evaluate(tied, split, { keepWrong: 3 }).misclassified.map((m) => m.index), wrong.slice(0, 3));
  assert.deepEqual(e.misclassified[0]!.pixels, Array.from(split.images.subarray(wrong[0]! * P, (wrong[0]! + 1) * P)));
});
