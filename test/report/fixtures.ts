/**
 * Synthetic lab results for the report tests: deterministic (a small LCG, never Math.random) and internally
 * consistent (accuracy, per-class accuracy and the misclassified examples all agree with the confusion matrix).
 */
import { summarize, type ResultsFile, type RunConfig, type RunResult } from '../../src/report/results.js';

/** Numerical Recipes' 32-bit LCG: enough for test data, and the same numbers on every machine. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export const BASE_CONFIG: RunConfig = {
  activation: { name: 'sigmoid' },
  outputActivation: { name: 'sigmoid' },
  loss: 'mse',
  optimizer: 'sgd',
  lr: 0.01,
  layerNorm: false,
  hidden: 200,
};

export interface FakeRunOptions {
  readonly variant?: string;
  readonly label?: string;
  readonly seed?: number;
  /** Recorded losses (54,000 for the chapter's full protocol). */
  readonly records?: number;
  readonly testSamples?: number;
  /** Chance each test image is classified right. */
  readonly skill?: number;
  readonly trainSeconds?: number;
  readonly config?: RunConfig;
}

/** A 28 × 28 ring, roughly a zero, with a little noise: something recognisable in a rendered image. */
export function fakeDigit(rand: () => number): number[] {
  const pixels: number[] = [];
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const r = Math.hypot(x - 13.5, y - 13.5);
      const ink = Math.abs(r - 8) < 2.5 ? 255 : 0;
      pixels.push(Math.min(255, ink + Math.floor(rand() * 20)));
    }
  }
  return pixels;
}

/** A run whose loss decays from about 0.35 towards 0.02 with noise, and whose test predictions follow `skill`. */
export function fakeRun(options: FakeRunOptions = {}): RunResult {
  const seed = options.seed ?? 0;
  const rand = lcg(seed * 7919 + (options.variant ?? 'baseline').length);
  const records = options.records ?? 600;
  const losses: number[] = [];
  for (let i = 0; i < records; i++) {
    const noise = rand() * rand() * rand();
    losses.push(0.02 + 0.33 * Math.exp(-i / (records / 18)) + 0.4 * noise);
  }
  const testSamples = options.testSamples ?? 1000;
  const skill = options.skill ?? 0.87;
  const confusion = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  const misclassified: RunResult['misclassified'][number][] = [];
  for (let i = 0; i < testSamples; i++) {
    const label = i % 10;
    const predicted = rand() < skill ? label : (label + 1 + Math.floor(rand() * 9)) % 10;
    confusion[label]![predicted]!++;
    if (predicted !== label && misclassified.length < 4) {
      misclassified.push({ index: i, label, predicted, pixels: fakeDigit(rand) });
    }
  }
  const rowSums = confusion.map((row) => row.reduce((a, b) => a + b, 0));
  const correct = confusion.reduce((a, row, i) => a + row[i]!, 0);
  const trainSeconds = options.trainSeconds ?? 100 + seed;
  return {
    variant: options.variant ?? 'baseline',
    label: options.label ?? '— (MSE, Sigmoid, SGD 0.01)',
    seed,
    epochs: 3,
    batchSize: 1,
    config: options.config ?? BASE_CONFIG,
    accuracy: correct / testSamples,
    perClassAccuracy: confusion.map((row, i) => (rowSums[i] === 0 ? null : row[i]! / rowSums[i]!)),
    confusion,
    trainSeconds,
    stepsPerSecond: (records * 10) / trainSeconds,
    losses,
    lossEvery: 10,
    trainSamples: Math.ceil((records * 10) / 3),
    testSamples,
    misclassified,
  };
}

/** A complete results file: the given runs, their summary against the chapter's figures, and meta. */
export function fakeResults(runs: RunResult[]): ResultsFile {
  return {
    runs,
    summary: summarize(runs),
    meta: { kindlingVersion: '0.1.0', createdAt: '2025-01-02T03:04:05.000Z', node: 'v20.0.0', data: 'synthetic test data' },
  };
}

/** Two variants, two seeds each: enough to exercise ± columns, overlays and the best-variant choice. */
export function twoVariantResults(records = 600): ResultsFile {
  return fakeResults([
    fakeRun({ variant: 'baseline', seed: 0, records, skill: 0.86 }),
    fakeRun({ variant: 'baseline', seed: 1, records, skill: 0.88 }),
    fakeRun({ variant: 'bce', label: 'BCELoss instead of MSELoss', seed: 0, records, skill: 0.92, config: { ...BASE_CONFIG, loss: 'bce' } }),
    fakeRun({ variant: 'bce', label: 'BCELoss instead of MSELoss', seed: 1, records, skill: 0.9, config: { ...BASE_CONFIG, loss: 'bce' } }),
  ]);
}
