import { DataLoader } from '../data/loader.js';
import { MnistDataset } from '../data/dataset.js';
import type { MnistSplit } from '../data/mnist.js';
import { KindlingError } from '../errors.js';
import type { RunConfig, RunResult } from '../report/results.js';
import { evaluate } from './evaluate.js';
import { buildLoss, buildModel, buildOptimizer } from './model.js';

/** What one run trains: a variant (or a custom config) with one seed. */
export interface RunSpec {
  readonly variant: string;
  readonly label: string;
  readonly config: RunConfig;
  readonly seed: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly trainLimit?: number;
  readonly testLimit?: number;
  /** Keep training when the loss stops being finite (default: stop with an error). */
  readonly allowNonFinite?: boolean;
}

export interface Progress {
  readonly step: number;
  readonly totalSteps: number;
  readonly epoch: number;
  readonly samples: number;
  readonly loss: number;
  readonly elapsedSeconds: number;
}

export interface TrainHooks {
  /** Called about every `progressEvery` steps and at the end. */
  onProgress?: (p: Progress) => void;
  progressEvery?: number;
}

/** The loss is recorded every this many steps, as in the chapter. */
export const LOSS_EVERY = 10;

export class NonFiniteLossError extends KindlingError {}

/**
 * Trains one model with the chapter's loop (forward, loss, zero_grad, backward, step; the loss recorded every
 * 10 steps), then tests it on the test split.
 */
export function trainRun(spec: RunSpec, train: MnistSplit, test: MnistSplit, hooks: TrainHooks = {}): RunResult {
  const model = buildModel(spec.config, spec.seed, train.rows * train.cols);
  const lossFn = buildLoss(spec.config);
  const opt = buildOptimizer(spec.config, model.parameters());
  const dataset = new MnistDataset(train, spec.trainLimit === undefined ? {} : { limit: spec.trainLimit });
  const loader = new DataLoader(dataset, { batchSize: spec.batchSize });
  const totalSteps = loader.length * spec.epochs;
  const losses: (number | null)[] = [];
  const every = hooks.progressEvery ?? 1000;
  let step = 0;
  const t0 = performance.now();
  for (let epoch = 0; epoch < spec.epochs; epoch++) {
    for (const { x, y } of loader) {
      const out = model.forward(x);
      const loss = lossFn.forward(out, y);
      opt.zeroGrad();
      loss.backward();
      opt.step();
      step++;
      const value = loss.item();
      if (!Number.isFinite(value) && !spec.allowNonFinite) {
        throw new NonFiniteLossError(`variant ${spec.variant} (seed ${spec.seed}): the loss became ${value} at step ${step} (epoch ${epoch + 1}); lower the learning rate, or pass --allow-nonfinite to keep going`);
      }
      // Seven significant digits: plenty for plots, and a third of the size of full doubles in results.json.
      if (step % LOSS_EVERY === 0) losses.push(Number.isFinite(value) ? Number(value.toPrecision(7)) : null);
      if (hooks.onProgress && (step % every === 0 || step === totalSteps)) {
        hooks.onProgress({ step, totalSteps, epoch, samples: step * spec.batchSize, loss: value, elapsedSeconds: (performance.now() - t0) / 1000 });
      }
    }
  }
  const trainSeconds = (performance.now() - t0) / 1000;
  const result = evaluate(model, test, spec.testLimit === undefined ? {} : { limit: spec.testLimit });
  return {
    variant: spec.variant,
    label: spec.label,
    seed: spec.seed,
    epochs: spec.epochs,
    batchSize: spec.batchSize,
    config: spec.config,
    accuracy: result.accuracy,
    perClassAccuracy: result.perClassAccuracy,
    confusion: result.confusion,
    trainSeconds,
    stepsPerSecond: trainSeconds > 0 ? step / trainSeconds : 0,
    losses,
    lossEvery: LOSS_EVERY,
    trainSamples: dataset.length,
    testSamples: result.total,
    misclassified: result.misclassified,
  };
}
