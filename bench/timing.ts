// Kindling's side of `kindling bench`: the chapter's training loop and evaluation, timed the way
// bench/torch_reference.py times PyTorch (same steps, same data order, the loss read every 10th step).
import { loadEmbeddedMnist, type MnistSplit as ByteSplit } from '../src/data/mnist.js';
import { manualSeed, noGrad, Tensor } from '../src/index.js';
import { evaluate } from '../src/lab/evaluate.js';
import type { MnistSplit } from './mnist.js';
import { buildVariant, type Variant } from './variants.js';

export interface Timing {
  steps: number;
  seconds: number;
  usPerStep: number;
}

/**
 * Trains `variant` (seed 0) for `warmup` steps, then times `steps` more from the first image again, one image
 * per step (`batch` 1) or `batch` images per step — exactly torch_reference.py's --timing-steps protocol.
 */
export function timeTraining(variant: Variant, data: MnistSplit, steps: number, batch: number, warmup: number): Timing {
  manualSeed(0);
  const setup = buildVariant(variant);
  run(setup, data, warmup, batch);
  const t0 = performance.now();
  const done = run(setup, data, steps, batch);
  const seconds = (performance.now() - t0) / 1000;
  return { steps: done, seconds, usPerStep: (seconds / done) * 1e6 };
}

function run({ model, lossFn, opt }: ReturnType<typeof buildVariant>, data: MnistSplit, maxSteps: number, batch: number): number {
  const losses: number[] = [];
  let counter = 0;
  for (let i = 0; i < data.count && counter < maxSteps; i += batch) {
    const n = Math.min(batch, data.count - i);
    // One image is a 1-D tensor of 784 (a view, like x[i] in PyTorch); batches are [n, 784].
    const x = new Tensor(data.images.subarray(i * 784, (i + n) * 784), batch === 1 ? [784] : [n, 784]);
    const y = new Tensor(data.targets.subarray(i * 10, (i + n) * 10), batch === 1 ? [10] : [n, 10]);
    const loss = lossFn.forward(model.forward(x), y);
    counter++;
    if (counter % 10 === 0) losses.push(loss.item());
    opt.zeroGrad();
    loss.backward();
    opt.step();
  }
  return counter;
}

export interface WholeRunTiming {
  variant: Variant;
  /** µs per step in each epoch. */
  epochUs: number[];
  seconds: number;
}

/**
 * The chapter's whole protocol for `variant` (seed 0): `epochs` passes over the first `images` images, one per
 * step, timed epoch by epoch. Costs that build up during training (Adam's moments of dark pixels decaying into
 * float32's tiny range) show here, and not in the first few thousand steps.
 */
export function timeWholeRun(variant: Variant, data: MnistSplit, epochs: number, images: number): WholeRunTiming {
  manualSeed(0);
  const setup = buildVariant(variant);
  const epochUs: number[] = [];
  let seconds = 0;
  for (let e = 0; e < epochs; e++) {
    const t0 = performance.now();
    const done = run(setup, data, Math.min(images, data.count), 1);
    const s = (performance.now() - t0) / 1000;
    seconds += s;
    epochUs.push((s / done) * 1e6);
  }
  return { variant, epochUs, seconds };
}

export interface EvalTiming {
  variant: Variant;
  accuracy: number;
  /** All test images, one forward pass per image (as the chapter and torch_reference.py evaluate). */
  msOneByOne: number;
  /** The lab's evaluate, in batches of 500 images. */
  msBatched: number;
}

/** Trains `trainSteps` one-image steps, then times classifying every test image, one at a time and batched. */
export function timeEvaluation(variant: Variant, train: MnistSplit, test: MnistSplit, trainSteps: number): EvalTiming {
  manualSeed(0);
  const setup = buildVariant(variant);
  run(setup, train, trainSteps, 1);
  const { model } = setup;
  const argmax = (out: Float32Array, o: number): number => {
    let best = 0;
    for (let k = 1; k < 10; k++) if (out[o + k]! > out[o + best]!) best = k;
    return best;
  };
  let correct = 0;
  const t0 = performance.now();
  noGrad(() => {
    for (let i = 0; i < test.count; i++) {
      const out = model.forward(new Tensor(test.images.subarray(i * 784, (i + 1) * 784), [784])).data;
      if (argmax(out, 0) === test.labels[i]) correct++;
    }
  });
  const t1 = performance.now();
  // Batched: the lab's own evaluate (what `kindling reproduce` and `kindling eval` run: batches of 500 read from the
  // image bytes), once to warm up, then the median of three.
  const split = embeddedTest();
  evaluate(model, split);
  const times: number[] = [];
  let batched = 0;
  for (let k = 0; k < 3; k++) {
    const a = performance.now();
    batched = evaluate(model, split).correct;
    times.push(performance.now() - a);
  }
  times.sort((a, b) => a - b);
  if (batched !== correct) throw new Error(`bench: ${variant} classifies ${correct} test images right one by one but ${batched} in batches`);
  return { variant, accuracy: correct / test.count, msOneByOne: t1 - t0, msBatched: times[1]! };
}

/** Runs every variant briefly so that V8 has compiled the hot code before anything is timed. */
export function warmUp(variants: readonly Variant[], data: MnistSplit, batch: number): void {
  for (const v of variants) timeTraining(v, data, batch === 1 ? 600 : 20, batch, 0);
}

let testBytes: ByteSplit | undefined;
/** The embedded MNIST test set as the lab reads it (bytes), loaded once. */
function embeddedTest(): ByteSplit {
  testBytes ??= loadEmbeddedMnist('test');
  return testBytes;
}
