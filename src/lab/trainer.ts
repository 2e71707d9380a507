import { DataLoader } from '../data/loader.js';
import { MnistDataset } from '../data/dataset.js';
import type { MnistSplit } from '../data/mnist.js';
import { KindlingError } from '../errors.js';
import { kernelsLabel } from '../kernels/backend.js';
import type { Loss } from '../nn/loss.js';
import type { Module } from '../nn/module.js';
import type { ModelInfo } from '../io/model-file.js';
import { saveModel } from '../nn/serialize.js';
import type { Optimizer } from '../optim/optimizer.js';
import type { RunConfig, RunResult } from '../report/results.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkFinite, recordOf, restoreCheckpoint, writeCheckpoint, type Checkpoint, type RunPosition } from './checkpoint.js';
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
  /** Called once with the trained model and what a model file would record about it (after the test). */
  onModel?: (model: Module, info: ModelInfo) => void;
}

/** Files a run writes, and what its checkpoints record about where it runs. */
export interface RunFiles {
  /** The run's checkpoint: rewritten atomically at each epoch end and when the run is stopped. */
  readonly checkpoint?: string;
  /** Where the final model is saved (every path listed). */
  readonly models?: readonly string[];
  /** The `--data` path, recorded in checkpoints (absent: the embedded MNIST). */
  readonly data?: string;
  /** The `splitDigest` of the training images the run uses, recorded in checkpoints. */
  readonly trainDigest?: string;
  /** The `splitDigest` of the test images the run is tested on, recorded in its model files. */
  readonly testDigest?: string;
  /** The command line that started the run, recorded in checkpoints (a resume keeps it in the results). */
  readonly command?: string;
  /** When that command started (ISO 8601), recorded in checkpoints (a resume keeps it in the results). */
  readonly createdAt?: string;
  /** The run's place among its command's runs, recorded in checkpoints. */
  readonly index?: number;
}

/** How a run is driven from outside: its files, where it resumes from, and a stop flag. */
export interface RunControl {
  readonly files?: RunFiles;
  /** Continue from this checkpoint (read with `readCheckpoint`); the spec must train the same way. */
  readonly resume?: Checkpoint;
  /** Polled after every step (element 0): non-zero stops the run, which writes a checkpoint and throws `RunStopped`. */
  readonly stop?: Int32Array;
}

/** The loss is recorded every this many steps, as in the chapter. */
export const LOSS_EVERY = 10;

export class NonFiniteLossError extends KindlingError {
  constructor(message: string) {
    super(message);
    // The name a worker reports with the message (see resumableFailures).
    this.name = 'NonFiniteLossError';
  }
}

/** The run was asked to stop (Ctrl-C): it finished its step and wrote `checkpoint` (when it has one). */
export class RunStopped extends KindlingError {
  constructor(readonly checkpoint: string | undefined, readonly step: number, readonly totalSteps: number) {
    super(`stopped at step ${step} of ${totalSteps}${checkpoint === undefined ? '' : `; checkpoint ${checkpoint}`}`, { exitCode: 130 });
    this.name = 'RunStopped';
  }
}

/** The fields that decide what training computes: a resumed run must agree on all of them. */
function checkSameTraining(spec: RunSpec, ckpt: Checkpoint): void {
  const a = ckpt.spec;
  const fields: Array<[string, unknown, unknown]> = [
    ['variant', a.variant, spec.variant], ['seed', a.seed, spec.seed], ['batch size', a.batchSize, spec.batchSize],
    ['train limit', a.trainLimit ?? 'none', spec.trainLimit ?? 'none'], ['config', JSON.stringify(a.config), JSON.stringify(spec.config)],
  ];
  for (const [name, was, now] of fields) {
    if (was !== now) throw new KindlingError(`cannot resume from ${ckpt.path}: its ${name} is ${String(was)} but this run's is ${String(now)}`);
  }
}

interface LoopState {
  model: Module;
  opt: Optimizer;
  step: number;
  losses: (number | null)[];
  lastGood: string | undefined;
}

/**
 * Trains one model with the chapter's loop (forward, loss, zero_grad, backward, step; the loss recorded every
 * 10 steps), then tests it on the test split and saves it. With `control.resume` it continues a checkpointed run
 * and gives bit for bit the weights and results an uninterrupted run would: the order is the file's, the
 * optimizer state and step counts come back exactly, and nothing else is random.
 *
 * @throws NonFiniteLossError (naming the last good checkpoint), RunStopped when `control.stop` is set.
 */
export function trainRun(spec: RunSpec, train: MnistSplit, test: MnistSplit, hooks: TrainHooks = {}, control: RunControl = {}): RunResult {
  const model = buildModel(spec.config, spec.seed, train.rows * train.cols);
  const lossFn = buildLoss(spec.config);
  // BCE takes the log of the outputs and of one minus them: an output activation other than a Sigmoid may leave [0, 1].
  const bce = spec.config.loss === 'bce';
  const unbounded = bce && spec.config.outputActivation?.name !== 'sigmoid';
  const opt = buildOptimizer(spec.config, model.parameters());
  const dataset = new MnistDataset(train, spec.trainLimit === undefined ? {} : { limit: spec.trainLimit });
  const loader = new DataLoader(dataset, { batchSize: spec.batchSize });
  const perEpoch = loader.length;
  if (perEpoch === 0) throw new KindlingError(`variant ${spec.variant}: ${train.source} has no training images`);
  const totalSteps = perEpoch * spec.epochs;
  const files = control.files ?? {};
  const s: LoopState = { model, opt, step: 0, losses: [], lastGood: undefined };
  let before = 0;
  const resume = control.resume;
  if (resume) {
    checkSameTraining(spec, resume);
    if (!spec.allowNonFinite) checkFinite(resume);
    const samples = resume.position.trainSamples;
    if (samples !== undefined && samples !== dataset.length) {
      throw new KindlingError(`cannot resume from ${resume.path}: it trained on ${samples} images per epoch, but this data gives ${dataset.length} (${train.source})`);
    }
    if (resume.position.step > totalSteps) {
      throw new KindlingError(`cannot resume from ${resume.path}: it is at step ${resume.position.step} (epoch ${Math.ceil(resume.position.step / perEpoch)}), past the ${spec.epochs} epoch(s) asked for`);
    }
    restoreCheckpoint(resume, model, opt);
    s.step = resume.position.step;
    s.losses = [...resume.position.losses];
    s.lastGood = resume.path;
    before = resume.position.elapsedSeconds;
  }
  const every = hooks.progressEvery ?? 1000;
  const t0 = performance.now();
  const elapsed = (): number => before + (performance.now() - t0) / 1000;
  const checkpoint = (reason: RunPosition['reason']): void => {
    if (files.checkpoint === undefined) return;
    const position = {
      step: s.step, epoch: Math.floor(s.step / perEpoch), elapsedSeconds: elapsed(), losses: s.losses, reason, trainSamples: dataset.length,
      ...(files.trainDigest === undefined ? {} : { trainDigest: files.trainDigest }),
    };
    writeCheckpoint(files.checkpoint, model, opt, { spec, position, ...recordOf(files) });
    s.lastGood = files.checkpoint;
  };
  const stopRequested = (): boolean => control.stop !== undefined && Atomics.load(control.stop, 0) !== 0;
  const stop = (): never => {
    checkpoint('stopped');
    throw new RunStopped(files.checkpoint, s.step, totalSteps);
  };
  // A stop once nothing is left to train changes nothing: the run is tested and saved (a Stop pressed in reply to
  // the last step's progress, or during the test, must not throw a trained run away).
  if (s.step < totalSteps && stopRequested()) stop();

  const startEpoch = Math.floor(s.step / perEpoch);
  let skip = s.step - startEpoch * perEpoch;
  for (let epoch = startEpoch; epoch < spec.epochs; epoch++) {
    for (const { x, y } of loader) {
      // Resuming mid-epoch: the loader walks the file from the start; the batches already trained are passed over.
      if (skip > 0) {
        skip--;
        continue;
      }
      const out = model.forward(x);
      const loss = bce && hasNaN(out)
        ? nanLoss(out, spec, s, epoch, perEpoch)
        : unbounded ? boundedLoss(lossFn, out, y, spec, s, epoch, perEpoch) : lossFn.forward(out, y);
      opt.zeroGrad();
      loss.backward();
      opt.step();
      s.step++;
      const value = loss.item();
      if (!Number.isFinite(value) && !spec.allowNonFinite) throw nonFinite(spec, value, s, epoch, perEpoch);
      if (s.step % LOSS_EVERY === 0) s.losses.push(Number.isFinite(value) ? value : null);
      if (hooks.onProgress && (s.step % every === 0 || s.step === totalSteps)) {
        hooks.onProgress({ step: s.step, totalSteps, epoch, samples: samplesSeen(s.step, perEpoch, spec.batchSize, dataset.length), loss: value, elapsedSeconds: elapsed() });
      }
      if (s.step < totalSteps && stopRequested()) stop();
    }
    checkpoint('epoch');
  }
  // A run resumed after its last epoch trains nothing: its folder still gets its checkpoint (when it is another
  // folder than the one resumed from: the same file named another way is only written again), so that it can be
  // resumed from there too.
  if (files.checkpoint !== undefined && s.lastGood !== files.checkpoint) checkpoint('epoch');
  const trainSeconds = elapsed();
  const result = evaluate(model, test, spec.testLimit === undefined ? {} : { limit: spec.testLimit });
  const info: ModelInfo = {
    variant: spec.variant, label: spec.label, config: spec.config, seed: spec.seed, epoch: spec.epochs, step: s.step,
    accuracy: result.accuracy, testData: test.source, testSamples: result.total,
    ...(files.testDigest === undefined ? {} : { testDigest: files.testDigest }),
  };
  for (const path of files.models ?? []) saveModel(model, path, info);
  hooks.onModel?.(model, info);
  // Trained on through a NaN or infinite loss (--allow-nonfinite), the weights may be NaN too: the results say so.
  const badWeights = spec.allowNonFinite ? model.parameters().reduce((n, p) => n + p.toArray().reduce((k, v) => (Number.isFinite(v) ? k : k + 1), 0), 0) : 0;
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
    stepsPerSecond: trainSeconds > 0 ? s.step / trainSeconds : 0,
    losses: s.losses,
    lossEvery: LOSS_EVERY,
    trainSamples: dataset.length,
    testSamples: result.total,
    misclassified: result.misclassified,
    kernels: kernelsLabel(),
    ...(badWeights > 0 ? { nonFiniteWeights: badWeights } : {}),
  };
}

function hasNaN(out: Tensor): boolean {
  const values = out.values();
  for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i])) return true;
  return false;
}

/**
 * The loss of a BCE model whose outputs are NaN (its weights went NaN): BCE refuses such outputs, as PyTorch's
 * does, so without --allow-nonfinite the run stops with the trainer's non-finite loss error, and with it the step goes
 * on with a NaN loss whose gradient is NaN everywhere, as an MSE model's would.
 */
function nanLoss(out: Tensor, spec: RunSpec, s: LoopState, epoch: number, perEpoch: number): Tensor {
  if (!spec.allowNonFinite) throw nonFinite(spec, NaN, { ...s, step: s.step + 1 }, epoch, perEpoch);
  return out.sum().mul(NaN);
}

/** The BCE loss of outputs that may leave [0, 1]: when one does, an error naming the run, the step and the fix. */
function boundedLoss(lossFn: Loss, out: Tensor, y: Tensor, spec: RunSpec, s: LoopState, epoch: number, perEpoch: number): Tensor {
  const values = out.values();
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v >= 0 && v <= 1) continue;
    const step = s.step + 1;
    const where = s.lastGood === undefined ? '' : ` The last good checkpoint is ${s.lastGood}.`;
    throw new KindlingError(
      `variant ${spec.variant} (seed ${spec.seed}): at step ${step} (epoch ${epoch + 1}, step ${step - epoch * perEpoch} of ${perEpoch}) an output is ${v}, ` +
        `outside the [0, 1] that BCE takes the log of (the ${spec.config.outputActivation?.name ?? 'missing'} output activation does not keep it there): ` +
        `train with a Sigmoid output activation, or with the MSE loss.${where}`,
    );
  }
  return lossFn.forward(out, y);
}

function nonFinite(spec: RunSpec, value: number, s: LoopState, epoch: number, perEpoch: number): NonFiniteLossError {
  const where = s.lastGood === undefined
    // The folder may hold the run's start checkpoint (step 0, placed so that every run can be resumed): not a
    // checkpoint of its training, and a resume from it trains from scratch.
    ? 'It had written no checkpoint of its training yet (the first is written at the end of epoch 1); any checkpoint in its folder is the one it starts from (step 0).'
    : `The last good checkpoint is ${s.lastGood} (kept as it was).`;
  return new NonFiniteLossError(
    `variant ${spec.variant} (seed ${spec.seed}): the loss became ${value} at step ${s.step} (epoch ${epoch + 1}, step ${s.step - epoch * perEpoch} of ${perEpoch}); ` +
      `lower the learning rate, or pass --allow-nonfinite to keep going. ${where}`,
  );
}

/** Images trained on after `step` steps: every epoch's last batch holds what is left of the data, not a full batch. */
export function samplesSeen(step: number, perEpoch: number, batchSize: number, images: number): number {
  const epochs = Math.floor(step / perEpoch);
  return epochs * images + Math.min((step - epochs * perEpoch) * batchSize, images);
}
