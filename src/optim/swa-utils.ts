// PyTorch 1.13's torch.optim.swa_utils: stochastic weight averaging — AveragedModel (a running average of a model's
// weights), SWALR (anneals each group's learning rate to a constant SWA rate) and updateBn (the batch norms'
// statistics recomputed for the averaged weights).
import { noGrad } from '../autograd/grad-mode.js';
import { KindlingError } from '../errors.js';
import { BatchNormBase } from '../nn/batchnorm.js';
import { isBatchCountName, Module } from '../nn/module.js';
import { buildModule, describeModule } from '../nn/serialize.js';
import { checkArgumentCount, checkOptions, describeValue, isPlainObject } from '../options.js';
import { Generator, withGenerator } from '../random.js';
import { Tensor } from '../tensor/tensor.js';
import { refusePythonNames } from '../python-names.js';
import { LRScheduler, refuseMoreArguments, savedHyper, type LrOptimizer } from './lr-scheduler.js';
import { setSchedulerKeys } from './optimizer.js';

/** How AveragedModel averages: the new average from the current one, the model's value and how many were averaged. */
export type AvgFn = (averaged: Tensor, current: Tensor, numAveraged: number) => Tensor;

export interface AveragedModelOptions {
  /** The average (default: the running mean, a + (p − a) / (n + 1), as PyTorch's). An exponential one: `(a, p) => a.mul(0.9).add(p.mul(0.1))`. */
  readonly avgFn?: AvgFn;
  /** Average the buffers too (BatchNorm's running statistics); by default they stay as copied when the average was made (recompute them with `updateBn`), as in PyTorch 1.13. */
  readonly useBuffers?: boolean;
  /**
   * Makes the copy that holds the average (PyTorch deep-copies the model): by default the model is rebuilt as a model
   * file would be, which works for every layer Kindling saves; for a Module class of your own give a function that
   * makes one of the same structure (`() => new MyNet()`): its values are then set from the model's.
   */
  readonly copy?: () => Module;
}

/**
 * A running average of a model's parameters, as PyTorch's `AveragedModel(model, avg_fn=None, use_buffers=False)`:
 * `module` holds the average (a copy of the model, made now), `updateParameters(model)` averages the model's current
 * values in (the first call copies them), `forward` runs the average. Its state dict is PyTorch's: `n_averaged` and
 * `module.*`.
 *
 * @example
 * const swa = new optim.swa_utils.AveragedModel(model);
 * // each epoch after the SWA start: swa.updateParameters(model)
 */
export class AveragedModel extends Module {
  readonly module: Module;
  readonly avgFn: AvgFn;
  readonly useBuffers: boolean;

  constructor(model: Module, options: AveragedModelOptions = {}, ...more: never[]) {
    super();
    if (!(model instanceof Module)) throw new TypeError(`AveragedModel: takes a model (an nn.Module), got ${describeValue(model)}`);
    // PyTorch's AveragedModel(model, device, avg_fn, use_buffers): an avg_fn passed third would be dropped here.
    checkArgumentCount('AveragedModel', [model, options, ...more], 2, 'new AveragedModel(model, { avgFn, useBuffers })');
    const o = checkOptions('AveragedModel', options, ['avgFn', 'useBuffers', 'copy']);
    if (o.avgFn !== undefined && typeof o.avgFn !== 'function') throw new TypeError(`AveragedModel: avgFn must be a function (averaged, current, numAveraged) => Tensor, got ${describeValue(o.avgFn)}`);
    if (o.useBuffers !== undefined && typeof o.useBuffers !== 'boolean') throw new TypeError(`AveragedModel: useBuffers must be true or false, got ${describeValue(o.useBuffers)}`);
    this.module = copyOf(model, o.copy);
    this.registerBuffer('n_averaged', new Tensor(new Float32Array(1), []));
    this.avgFn = o.avgFn ?? ((a, p, n) => a.add(p.sub(a).div(n + 1)));
    this.useBuffers = o.useBuffers ?? false;
  }

  /** How many times `updateParameters` has averaged a model in (PyTorch's `n_averaged`). */
  get nAveraged(): number {
    return this.getBuffer('n_averaged')!.item();
  }

  forward(input: Tensor, ...rest: unknown[]): Tensor {
    return this.module.forward(input, ...rest);
  }

  /** Averages `model`'s current parameters (and buffers, with useBuffers) into this one's, as PyTorch's `update_parameters`. */
  updateParameters(model: Module): void {
    if (!(model instanceof Module)) throw new TypeError(`AveragedModel.updateParameters: takes the model being trained, got ${describeValue(model)}`);
    const mine = this.useBuffers ? [...this.module.parameters(), ...this.module.buffers()] : this.module.parameters();
    const theirs = this.useBuffers ? [...model.parameters(), ...model.buffers()] : model.parameters();
    if (mine.length !== theirs.length || mine.some((t, i) => t.shape.join() !== theirs[i]!.shape.join())) {
      throw new KindlingError(`AveragedModel.updateParameters: the model's ${theirs.length} tensors do not match the average's ${mine.length} (shapes ${theirs.map((t) => `[${t.shape.join(', ')}]`).join(' ')} against ${mine.map((t) => `[${t.shape.join(', ')}]`).join(' ')})`);
    }
    const n = this.nAveraged;
    // PyTorch's num_batches_tracked is an int64 tensor: the average, a float, is cut to a whole count as copy_
    // writes it there (toward zero: counts 1, 2, 3 average to 1, not 2). Kindling's counter is a float32 tensor.
    const counters = new Set(this.useBuffers ? this.module.namedBuffers().filter(([name]) => isBatchCountName(name)).map(([, b]) => b) : []);
    noGrad(() => {
      mine.forEach((a, i) => {
        const p = theirs[i]!.detach();
        const avg = n === 0 ? p : this.avgFn(a.detach(), p, n);
        a.copy_(counters.has(a) ? avg.trunc() : avg);
      });
      this.getBuffer('n_averaged')!.add_(1);
    });
  }
}

refusePythonNames(AveragedModel.prototype, 'swaModel', [['update_parameters', 'updateParameters', 'method']]);

/** The model's copy: rebuilt from its description (a model file's), or the user's, with the model's values. */
function copyOf(model: Module, copy: (() => Module) | undefined): Module {
  let out: Module;
  if (copy !== undefined) {
    if (typeof copy !== 'function') throw new TypeError(`AveragedModel: copy must be a function that makes a model like this one, got ${describeValue(copy)}`);
    out = copy();
    if (!(out instanceof Module)) throw new TypeError(`AveragedModel: copy() must return an nn.Module, got ${describeValue(out)}`);
  } else {
    try {
      out = withGenerator(new Generator(0), () => buildModule(describeModule(model, 'the model to average')));
    } catch (err) {
      throw new KindlingError(`AveragedModel: cannot copy this model on its own (${err instanceof Error ? err.message : String(err)}); give { copy: () => new YourModel(…) } making one of the same structure`);
    }
  }
  out.loadStateDict(model.stateDict());
  out.train(model.training);
  return out;
}

/** One batch's input for updateBn: an array's (or Kindling's MNIST batch's) first element, or the batch itself. */
function inputOf(batch: unknown): unknown {
  if (Array.isArray(batch)) return batch[0];
  if (batch !== null && typeof batch === 'object' && !(batch instanceof Tensor) && 'x' in batch) return (batch as { x: unknown }).x;
  return batch;
}

/**
 * Recomputes every batch norm's running statistics over one pass of `loader` (the averaged weights' statistics), as
 * PyTorch's `update_bn(loader, model)`: the statistics reset, a cumulative average (momentum null) over the batches'
 * inputs (a batch's first element, or a MNIST batch's `x`), the momenta and the model's mode put back. Without
 * gradients. A model without batch norms is left alone.
 */
export function updateBn(loader: Iterable<unknown>, model: Module): void {
  if (!(model instanceof Module)) throw new TypeError(`updateBn: takes the model (an nn.Module) second, got ${describeValue(model)}`);
  const norms = model.modules().filter((m): m is BatchNormBase => m instanceof BatchNormBase);
  const momenta = new Map<BatchNormBase, number | null>();
  noGrad(() => {
    for (const bn of norms) {
      bn.runningMean?.zero_();
      bn.runningVar?.fill_(1);
      momenta.set(bn, bn.momentum);
    }
  });
  if (momenta.size === 0) return;
  const wasTraining = model.training;
  model.train();
  // PyTorch sets momentum to None for the pass (a cumulative average) and back after.
  const settable = (bn: BatchNormBase): { momentum: number | null } => bn as unknown as { momentum: number | null };
  try {
    noGrad(() => {
      for (const bn of norms) {
        settable(bn).momentum = null;
        bn.numBatchesTracked?.zero_();
      }
      for (const batch of loader) model.forward(inputOf(batch) as Tensor);
    });
  } finally {
    for (const [bn, m] of momenta) settable(bn).momentum = m;
    model.train(wasTraining);
  }
}

/**
 * Anneals each parameter group's learning rate to `swaLr` over `annealEpochs` epochs (cosine or linear), then keeps
 * it there, as PyTorch's `SWALR(optimizer, swa_lr, anneal_epochs=10, anneal_strategy='cos')`; `swaLr` one rate, or
 * one per group. Each step is PyTorch's formula from the group's current rate.
 */
export class SWALR extends LRScheduler {
  swaLrs: number[];
  annealEpochs: number;
  annealStrategy: 'cos' | 'linear';
  #stepCount = 0;

  constructor(optimizer: LrOptimizer, swaLr: number | readonly number[], annealEpochs = 10, annealStrategy: 'cos' | 'linear' = 'cos', ...more: never[]) {
    refuseMoreArguments('SWALR', more, '(optimizer, swaLr, annealEpochs, annealStrategy)');
    super(optimizer, 'SWALR');
    [this.swaLrs, this.annealEpochs, this.annealStrategy] = check('SWALR', optimizer.paramGroups.length, swaLr, annealEpochs, annealStrategy);
    optimizer.paramGroups.forEach((g, i) => setSchedulerKeys(g, { swa_lr: this.swaLrs[i]! })); // PyTorch's group['swa_lr']
    this.start();
  }

  override step(epoch?: number): void {
    this.#stepCount++;
    try {
      super.step(epoch);
    } catch (err) {
      this.#stepCount--;
      throw err;
    }
  }

  /** A group added to the optimizer since has no SWA rate here: refused, as PyTorch 1.13's step fails (KeyError: 'swa_lr'). */
  protected override addedGroupLr(_lr: number, _epoch: number, group: number): never {
    throw new RangeError(`SWALR.step: parameter group ${group} was added to the optimizer after the scheduler was made, so it has no SWA rate here (PyTorch 1.13 fails too, with KeyError: 'swa_lr'): make the scheduler after adding the group`);
  }

  protected chainedLr(lr: number, _epoch: number, group: number): number {
    return this.next(lr, group);
  }

  protected closedFormLr(_baseLr: number, _epoch: number, group: number): number {
    // PyTorch's SWALR has no closed form: step(epoch) takes its get_lr too, from the current rate and step count.
    return this.next(this.optimizer.paramGroups[group]!.lr, group);
  }

  /** PyTorch's get_lr: the rate the previous step's anneal came from, moved on to this step's. */
  private next(lr: number, group: number): number {
    const anneal = this.annealStrategy === 'cos' ? (t: number): number => (1 - Math.cos(Math.PI * t)) / 2 : (t: number): number => t;
    const swa = this.swaLrs[group]!;
    let step = this.#stepCount - 1;
    if (this.annealEpochs === 0) step = Math.max(1, step);
    const prevAlpha = anneal(Math.max(0, Math.min(1, (step - 1) / Math.max(1, this.annealEpochs))));
    const prevLr = prevAlpha === 1 ? swa : (lr - prevAlpha * swa) / (1 - prevAlpha);
    const alpha = anneal(Math.max(0, Math.min(1, step / Math.max(1, this.annealEpochs))));
    return swa * alpha + prevLr * (1 - alpha);
  }

  protected hyper(): Record<string, unknown> {
    return { swaLrs: this.swaLrs.slice(), annealEpochs: this.annealEpochs, annealStrategy: this.annealStrategy, stepCount: this.#stepCount };
  }

  protected applyHyper(hyper: Record<string, unknown>, where: string): void {
    savedHyper(where, hyper, ['swaLrs', 'annealEpochs', 'annealStrategy', 'stepCount']);
    const steps = hyper['stepCount'];
    if (!Number.isInteger(steps) || (steps as number) < 0) throw new RangeError(`${where}: stepCount must be a whole number ≥ 0, got ${describeValue(steps)}`);
    [this.swaLrs, this.annealEpochs, this.annealStrategy] = check(where, this.optimizer.paramGroups.length, hyper['swaLrs'] as number[], hyper['annealEpochs'], hyper['annealStrategy']);
    this.#stepCount = steps as number;
  }
}

function check(where: string, groups: number, swaLr: unknown, annealEpochs: unknown, strategy: unknown): [number[], number, 'cos' | 'linear'] {
  // PyTorch's keywords written as one options object: say how the arguments come, as the other schedulers do.
  for (const [name, v] of [['swaLr', swaLr], ['annealEpochs', annealEpochs]] as const) {
    if (isPlainObject(v)) throw new TypeError(`${where}: ${name} must be a number (the arguments come by position: new SWALR(opt, 0.05, 5, 'cos')), got ${describeValue(v)}`);
  }
  const lrs = Array.isArray(swaLr) ? swaLr : [...new Array<unknown>(groups).fill(swaLr)];
  if (Array.isArray(swaLr) && swaLr.length !== groups) {
    throw new RangeError(`${where}: swa_lr must have the same length as optimizer.param_groups: swa_lr has ${swaLr.length}, optimizer.param_groups has ${groups}`);
  }
  for (const lr of lrs) if (typeof lr !== 'number' || !(lr >= 0) || !Number.isFinite(lr)) throw new RangeError(`${where}: swaLr must be a finite learning rate ≥ 0 (or one per parameter group), got ${describeValue(lr)}`);
  if (strategy !== 'cos' && strategy !== 'linear') throw new RangeError(`${where}: anneal_strategy must by one of 'cos' or 'linear', instead got ${describeValue(strategy)}`);
  if (typeof annealEpochs !== 'number' || !Number.isInteger(annealEpochs) || annealEpochs < 0) throw new RangeError(`${where}: anneal_epochs must be equal or greater than 0, got ${describeValue(annealEpochs)}`);
  return [lrs as number[], annealEpochs, strategy];
}
