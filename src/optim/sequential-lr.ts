// PyTorch 1.13's SequentialLR and ChainedScheduler: schedulers made of other schedulers.
import { checkArgumentCount, checkOptions, describeValue, isPlainObject } from '../options.js';
import { groupInitialLr, Optimizer } from './optimizer.js';
import { initialStep, LRScheduler, undoStep, type LrOptimizer, type LRSchedulerStateDict } from './lr-scheduler.js';

export interface SequentialLRStateDict {
  lastEpoch: number;
  lastLr: number[];
  milestones: number[];
  schedulers: LRSchedulerStateDict[];
}

export interface ChainedSchedulerStateDict {
  lastLr: number[];
  schedulers: LRSchedulerStateDict[];
}

/** The schedulers as printed in a list: `[StepLR(step_size=2, gamma=0.5, last_epoch=0), …]`. */
function listOf(schedulers: readonly LRScheduler[]): string {
  return `[${schedulers.map(String).join(', ')}]`;
}

function checkSchedulers(where: string, schedulers: unknown): LRScheduler[] {
  if (!Array.isArray(schedulers) || schedulers.length === 0) throw new TypeError(`${where}: schedulers must be a non-empty array of schedulers, got ${describeValue(schedulers)}`);
  schedulers.forEach((s: unknown, i) => {
    if (!(s instanceof LRScheduler)) throw new TypeError(`${where}: schedulers[${i}] must be a learning-rate scheduler (such as a LinearLR; not ReduceLROnPlateau), got ${describeValue(s)}`);
  });
  return schedulers.slice() as LRScheduler[];
}

function loadAll(where: string, schedulers: readonly LRScheduler[], saved: unknown): void {
  if (!Array.isArray(saved) || saved.length !== schedulers.length) throw new TypeError(`${where}: schedulers must be an array of ${schedulers.length} scheduler states, got ${describeValue(saved)}`);
  // Each load checks all of its state before changing anything; check all before loading any.
  const before = schedulers.map((s) => s.stateDict());
  try {
    schedulers.forEach((s, i) => s.loadStateDict(saved[i] as LRSchedulerStateDict));
  } catch (e) {
    schedulers.forEach((s, i) => s.loadStateDict(before[i]!));
    throw e;
  }
}

function checkLastLr(where: string, v: unknown, count: number): number[] {
  if (!Array.isArray(v) || v.length !== count || !v.every((x) => typeof x === 'number')) throw new TypeError(`${where}: lastLr must be an array of ${count} learning rates, got ${describeValue(v)}`);
  return (v as number[]).slice();
}

/**
 * Runs `schedulers` one after another, switching at each of the `milestones` epochs (PyTorch's `SequentialLR`):
 * scheduler k+1 starts at milestones[k] with `step(0)` (its closed form at epoch 0, as PyTorch does). All the
 * schedulers must be made on `optimizer`; as in PyTorch, the constructor puts every group's rate back to its
 * initial one, takes each scheduler's epoch one back and restarts the first.
 *
 * @example
 * const warmup = new optim.lr_scheduler.LinearLR(opt, 0.1, 1, 5);
 * const decay = new optim.lr_scheduler.ExponentialLR(opt, 0.9);
 * const sched = new optim.lr_scheduler.SequentialLR(opt, [warmup, decay], [5]);
 */
export class SequentialLR {
  readonly optimizer: LrOptimizer;
  readonly schedulers: readonly LRScheduler[];
  readonly milestones: readonly number[];
  #lastEpoch: number;
  #lastLr: number[];

  constructor(optimizer: LrOptimizer, schedulers: readonly LRScheduler[], milestones: readonly number[]) {
    const name = 'SequentialLR';
    if (!(optimizer instanceof Optimizer)) throw new TypeError(`${name}: the first argument must be an optimizer, got ${describeValue(optimizer)}`);
    const list = checkSchedulers(name, schedulers);
    list.forEach((s, i) => {
      if (s.optimizer !== optimizer) {
        throw new RangeError(`${name}: Sequential Schedulers expects all schedulers to belong to the same optimizer, but got schedulers at index ${i} to be different than the optimizer passed in.`);
      }
    });
    if (!Array.isArray(milestones)) throw new TypeError(`${name}: milestones must be an array of epochs, got ${describeValue(milestones)}`);
    if (milestones.length !== list.length - 1) {
      throw new RangeError(`${name}: Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers ${list.length} and the number of milestones to be equal to ${milestones.length}`);
    }
    milestones.forEach((m: unknown, i) => {
      if (typeof m !== 'number' || !Number.isInteger(m) || m < 1) throw new RangeError(`${name}: milestones[${i}] must be a whole epoch ≥ 1, got ${describeValue(m)}`);
      if (i > 0 && m <= milestones[i - 1]!) throw new RangeError(`${name}: milestones must increase, got ${milestones.join(', ')}`);
    });
    this.optimizer = optimizer;
    this.schedulers = list;
    this.milestones = milestones.slice();
    this.#lastEpoch = 0;
    for (const g of optimizer.paramGroups) g.lr = groupInitialLr(g) ?? g.lr;
    for (const s of list) undoStep(s);
    initialStep(list[0]!);
    this.#lastLr = list[0]!.getLastLr();
  }

  /** PyTorch's `last_epoch`: the number of `step()` calls. */
  get lastEpoch(): number {
    return this.#lastEpoch;
  }

  getLastLr(): number[] {
    return this.#lastLr.slice();
  }

  /** `SequentialLR(schedulers=[ConstantLR(…), StepLR(…)], milestones=[2], last_epoch=0)`, as the other schedulers print. */
  toString(): string {
    return `SequentialLR(schedulers=${listOf(this.schedulers)}, milestones=[${this.milestones.join(', ')}], last_epoch=${this.#lastEpoch})`;
  }

  /**
   * Moves to the next epoch: steps the scheduler whose turn it is (`step(0)` on its first epoch). It takes no epoch,
   * as PyTorch 1.13's refuses one (`step() takes 1 positional argument but 2 were given`).
   */
  step(): void {
    checkArgumentCount('SequentialLR.step', arguments, 0, 'step() moves to the next epoch; PyTorch 1.13\'s SequentialLR.step takes no epoch either');
    const epoch = this.#lastEpoch + 1;
    const idx = this.milestones.filter((m) => m <= epoch).length; // bisect_right
    const s = this.schedulers[idx]!;
    if (idx > 0 && this.milestones[idx - 1] === epoch) s.step(0);
    else s.step();
    this.#lastEpoch = epoch;
    this.#lastLr = s.getLastLr();
  }

  /** Plain JSON: the epoch, the last rates, the milestones and each scheduler's own state. */
  stateDict(): SequentialLRStateDict {
    return { lastEpoch: this.#lastEpoch, lastLr: this.#lastLr.slice(), milestones: this.milestones.slice(), schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  loadStateDict(sd: SequentialLRStateDict): void {
    const where = 'SequentialLR.loadStateDict';
    if (!isPlainObject(sd)) throw new TypeError(`${where}: expected an object as stateDict() returns, got ${describeValue(sd)}`);
    checkOptions(where, sd, ['lastEpoch', 'lastLr', 'milestones', 'schedulers']);
    if (!Number.isInteger(sd.lastEpoch) || sd.lastEpoch < 0) throw new RangeError(`${where}: lastEpoch must be an integer ≥ 0, got ${describeValue(sd.lastEpoch)}`);
    if (!Array.isArray(sd.milestones) || sd.milestones.length !== this.milestones.length || sd.milestones.some((m, i) => m !== this.milestones[i])) {
      throw new RangeError(`${where}: the saved milestones ${describeValue(sd.milestones)} are not this scheduler's (${this.milestones.join(', ')})`);
    }
    const lastLr = checkLastLr(where, sd.lastLr, this.optimizer.paramGroups.length);
    loadAll(where, this.schedulers, sd.schedulers);
    this.#lastEpoch = sd.lastEpoch;
    this.#lastLr = lastLr;
  }
}

/**
 * Steps all of `schedulers` (made on one optimizer) at each `step()`, one after the other, so that their
 * chainable forms compose (PyTorch's `ChainedScheduler`); `getLastLr()` is the optimizer's rates after the last.
 *
 * @example
 * const sched = new optim.lr_scheduler.ChainedScheduler([new ConstantLR(opt, 0.1, 2), new ExponentialLR(opt, 0.9)]);
 */
export class ChainedScheduler {
  readonly optimizer: LrOptimizer;
  readonly schedulers: readonly LRScheduler[];
  #lastLr: number[];

  constructor(schedulers: readonly LRScheduler[]) {
    const name = 'ChainedScheduler';
    const list = checkSchedulers(name, schedulers);
    list.forEach((s, i) => {
      if (s.optimizer !== list[0]!.optimizer) {
        throw new RangeError(`${name}: ChainedScheduler expects all schedulers to belong to the same optimizer, but got schedulers at index 0 and ${i} to be different`);
      }
    });
    this.schedulers = list;
    this.optimizer = list[0]!.optimizer;
    this.#lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  getLastLr(): number[] {
    return this.#lastLr.slice();
  }

  /** `ChainedScheduler(schedulers=[ConstantLR(…), ExponentialLR(…)])`, as the other schedulers print. */
  toString(): string {
    return `ChainedScheduler(schedulers=${listOf(this.schedulers)})`;
  }

  /** Steps every scheduler once. It takes no epoch, as PyTorch 1.13's refuses one. */
  step(): void {
    checkArgumentCount('ChainedScheduler.step', arguments, 0, 'step() moves to the next epoch; PyTorch 1.13\'s ChainedScheduler.step takes no epoch either');
    for (const s of this.schedulers) s.step();
    this.#lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  stateDict(): ChainedSchedulerStateDict {
    return { lastLr: this.#lastLr.slice(), schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  loadStateDict(sd: ChainedSchedulerStateDict): void {
    const where = 'ChainedScheduler.loadStateDict';
    if (!isPlainObject(sd)) throw new TypeError(`${where}: expected an object as stateDict() returns, got ${describeValue(sd)}`);
    checkOptions(where, sd, ['lastLr', 'schedulers']);
    const lastLr = checkLastLr(where, sd.lastLr, this.optimizer.paramGroups.length);
    loadAll(where, this.schedulers, sd.schedulers);
    this.#lastLr = lastLr;
  }
}
