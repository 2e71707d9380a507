import { noGrad } from '../autograd/grad-mode.js';
import { MnistDataset } from '../data/dataset.js';
import type { MnistSplit } from '../data/mnist.js';
import { getBackend } from '../kernels/backend.js';
import { allocStorage, isWasmResident, subStorage } from '../kernels/storage.js';
import type { Module } from '../nn/module.js';
import type { Misclassified } from '../report/results.js';
import { Tensor } from '../tensor/tensor.js';

export interface Evaluation {
  readonly accuracy: number;
  readonly correct: number;
  readonly total: number;
  readonly perClassAccuracy: (number | null)[];
  /** rows = true label, columns = prediction */
  readonly confusion: number[][];
  readonly misclassified: Misclassified[];
}

/** Images per forward pass when testing or classifying: a batch's activations stay small beside the kernels' memory. */
export const EVAL_BATCH = 500;

/**
 * Tests a classifier: the prediction for each image is the index of its largest output (first on ties).
 * Runs in batches, without recording the graph.
 */
export function evaluate(model: Module, split: MnistSplit, options: { limit?: number; keepWrong?: number; batchSize?: number } = {}): Evaluation {
  const dataset = new MnistDataset(split, options.limit === undefined ? {} : { limit: options.limit });
  const total = dataset.length;
  const classes = 10;
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  const misclassified: Misclassified[] = [];
  const keepWrong = options.keepWrong ?? 8;
  const batch = options.batchSize ?? EVAL_BATCH;
  const pixels = split.rows * split.cols;
  let correct = 0;
  const wasTraining = model.training;
  model.eval();
  // The kept buffer, unless this evaluate runs inside another one's forward pass (then a buffer of its own).
  const inputs = depth === 0 ? inputBuffer(Math.min(batch, total) * pixels) : allocStorage(Math.min(batch, total) * pixels);
  depth++;
  try {
    noGrad(() => {
      for (let start = 0; start < total; start += batch) {
        const n = Math.min(batch, total - start);
        // subStorage, not subarray: a model may keep its input, which must keep the block of kernel memory alive.
        const x = subStorage(inputs, 0, n * pixels);
        for (let i = 0; i < n; i++) dataset.fillImage(start + i, x, i * pixels);
        const out = model.forward(new Tensor(x, [n, pixels])).values();
        const width = out.length / n;
        for (let i = 0; i < n; i++) {
          let best = 0;
          for (let c = 1; c < width; c++) if (out[i * width + c]! > out[i * width + best]!) best = c;
          const label = split.labels[start + i]!;
          confusion[label]![best]!++;
          if (best === label) correct++;
          else if (misclassified.length < keepWrong) {
            const idx = start + i;
            misclassified.push({ index: idx, label, predicted: best, pixels: Array.from(split.images.subarray(idx * pixels, (idx + 1) * pixels)) });
          }
        }
      }
    });
  } finally {
    depth--;
    model.train(wasTraining);
  }
  const perClassAccuracy = confusion.map((row, c) => {
    const n = row.reduce((a, b) => a + b, 0);
    return n === 0 ? null : row[c]! / n;
  });
  return { accuracy: total === 0 ? 0 : correct / total, correct, total, perClassAccuracy, confusion, misclassified };
}

let kept: Float32Array | null = null;
/** How many evaluate calls are running (more than one only when a model's forward pass evaluates). */
let depth = 0;

/**
 * The input buffer for every batch of every evaluation (the model keeps nothing of its input without a graph, and
 * an evaluate inside a model's forward pass gets its own): a fresh one per batch cost more than the arithmetic, in page
 * faults. It lives where the kernels work (allocStorage), so the first layer reads it in place instead of copying
 * 1.5 MB in per batch; kept from call to call, since memory of the kernels, once grown, stays.
 */
function inputBuffer(n: number): Float32Array {
  if (kept === null || kept.length < n || (getBackend() === 'wasm' && !isWasmResident(kept))) kept = allocStorage(n);
  // A plain subarray would not keep `kept`'s block alive once `kept` is replaced (see subStorage).
  return subStorage(kept, 0, n);
}
