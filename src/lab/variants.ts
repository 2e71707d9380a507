import type { RunConfig, RunResult } from '../report/results.js';

/** One of the chapter's experiments: a name, what it changes, the classifier config, and the book's figure. */
export interface Variant {
  readonly name: string;
  readonly label: string;
  readonly config: RunConfig;
  /** The chapter's reported test accuracy (0–1), or null for the lab's extra configurations. */
  readonly chapter: number | null;
}

const sigmoid = { name: 'sigmoid' } as const;
const leaky = { name: 'leakyrelu', slope: 0.02 } as const;

/** The baseline: Linear(784,200) → Sigmoid → Linear(200,10) → Sigmoid, MSE, SGD lr 0.01. */
export const BASELINE: RunConfig = {
  activation: sigmoid,
  outputActivation: sigmoid,
  loss: 'mse',
  optimizer: 'sgd',
  lr: 0.01,
  layerNorm: false,
  hidden: 200,
};

/** The chapter's six variants (protocol.md), in its order, plus the lab's extra reading of the LeakyReLU change. */
export const VARIANTS: readonly Variant[] = [
  { name: 'baseline', label: 'MSE, Sigmoid, SGD 0.01', config: BASELINE, chapter: 0.87 },
  { name: 'bce', label: 'BCELoss instead of MSE', config: { ...BASELINE, loss: 'bce' }, chapter: 0.91 },
  { name: 'leakyrelu', label: 'LeakyReLU(0.02) for both Sigmoids', config: { ...BASELINE, activation: leaky, outputActivation: leaky }, chapter: 0.97 },
  { name: 'adam', label: 'Adam (lr 0.001) instead of SGD', config: { ...BASELINE, optimizer: 'adam', lr: 0.001 }, chapter: 0.97 },
  { name: 'layernorm', label: 'LayerNorm(200) before the last Linear', config: { ...BASELINE, layerNorm: true }, chapter: 0.91 },
  {
    name: 'combined',
    label: 'LeakyReLU + LayerNorm + BCE + Adam',
    config: { ...BASELINE, activation: leaky, layerNorm: true, loss: 'bce', optimizer: 'adam', lr: 0.001 },
    chapter: 0.97,
  },
  { name: 'leakyrelu-hidden', label: 'LeakyReLU(0.02) hidden only, Sigmoid kept', config: { ...BASELINE, activation: leaky }, chapter: null },
];

/** The six variants `kindling reproduce` runs by default. */
export const CHAPTER_VARIANTS: readonly string[] = VARIANTS.filter((v) => v.chapter !== null).map((v) => v.name);

export function findVariant(name: string): Variant | undefined {
  return VARIANTS.find((v) => v.name === name);
}

const OPTIMIZER_LABEL: Readonly<Record<RunConfig['optimizer'], string>> = {
  sgd: 'SGD', adam: 'Adam', rmsprop: 'RMSprop', adagrad: 'Adagrad', nadam: 'NAdam', adamax: 'Adamax', radam: 'RAdam', adadelta: 'Adadelta', rprop: 'Rprop', asgd: 'ASGD',
};

/** A short description of a config, for custom runs: "LeakyReLU(0.02) → LayerNorm → Sigmoid, BCE, Adam 0.001". */
export function describeConfig(c: RunConfig): string {
  const act = (a: RunConfig['activation']): string => {
    if (a.name === 'leakyrelu') return `LeakyReLU(${a.slope ?? 0.01})`;
    if (a.name === 'elu') return `ELU(${a.alpha ?? 1})`;
    return { sigmoid: 'Sigmoid', relu: 'ReLU', tanh: 'Tanh', gelu: 'GELU', silu: 'SiLU' }[a.name];
  };
  const hidden = [act(c.activation), ...(c.layerNorm ? ['LayerNorm'] : [])];
  const layers = c.outputActivation === null ? `${hidden.join(' → ')}, no output activation` : [...hidden, act(c.outputActivation)].join(' → ');
  return `${c.hidden} hidden, ${layers}, ${c.loss.toUpperCase()}, ${OPTIMIZER_LABEL[c.optimizer]} ${c.lr}`;
}

/** The chapter's protocol: the full MNIST sets, 3 epochs, one image per step. */
const CHAPTER_PROTOCOL = { epochs: 3, batchSize: 1, trainSamples: 60_000, testSamples: 10_000 } as const;

/**
 * Whether every run of a variant followed the chapter's protocol with that variant's own settings, on the embedded
 * MNIST (`data` undefined): only then do the book's and PyTorch's figures describe the same experiment. A run on
 * other data, a slice of it, other epochs, batches or learning rate is not compared with them.
 */
export function followsChapter(runs: readonly RunResult[], data: string | undefined): boolean {
  if (data !== undefined || runs.length === 0) return false;
  return runs.every((run) => {
    const v = findVariant(run.variant);
    return v !== undefined && run.epochs === CHAPTER_PROTOCOL.epochs && run.batchSize === CHAPTER_PROTOCOL.batchSize
      && run.trainSamples === CHAPTER_PROTOCOL.trainSamples && run.testSamples === CHAPTER_PROTOCOL.testSamples
      && sameConfig(run.config, v.config);
  });
}

function sameConfig(a: RunConfig, b: RunConfig): boolean {
  const act = (s: RunConfig['activation'] | null): string => (s === null ? 'none' : `${s.name}:${s.slope ?? ''}`);
  return act(a.activation) === act(b.activation) && act(a.outputActivation) === act(b.outputActivation) && a.loss === b.loss
    && a.optimizer === b.optimizer && a.lr === b.lr && a.layerNorm === b.layerNorm && a.hidden === b.hidden;
}

/**
 * A variant's label with the learning rate given on the command line (`--lr`) or the Train form: where the label
 * names its own ("SGD 0.01", "Adam (lr 0.001)"), that one is replaced, else the new one is added, so the table,
 * report and plots never show a rate the run did not use.
 */
export function labelWithLr(label: string, own: number, lr: number): string {
  if (lr === own) return label;
  const at = label.search(new RegExp(`(?<![\\d.])${String(own).replace('.', '\\.')}(?![\\d])`));
  return at >= 0 ? `${label.slice(0, at)}${lr}${label.slice(at + String(own).length)}` : `${label}, lr ${lr}`;
}
