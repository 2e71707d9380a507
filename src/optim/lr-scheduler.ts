// PyTorch's torch/optim/lr_scheduler.py (1.13): schedulers that set an optimizer's learning rate once per epoch.
// `step()` uses PyTorch's chainable forms (the current rate times a factor, so changes made to `options.lr` from
// outside carry on), `step(epoch)` its closed forms (from the initial rate), so that the values agree with
// PyTorch's to the last bit.
import { describeValue, isPlainObject, checkOptions } from '../options.js';
import { checkStepLr, defaultInitialLr, Optimizer, optimizerSteps } from './optimizer.js';
import { powInt, pyPow } from './pow-int.js';
import { checkPeriod, pyFloorDiv } from './scheduler-checks.js';
import { warnEpochDeprecated } from './epoch-deprecation.js';
import { refusePythonNames } from '../python-names.js';

/** An optimizer whose learning rates a scheduler can set (all of Kindling's: `opt.paramGroups[i].lr`). */
export type LrOptimizer = Optimizer;

/**
 * Refuses arguments past a scheduler's own: PyTorch's next positional ones are `last_epoch` and `verbose`, and a
 * `last_epoch` dropped without a word would restart a schedule that was meant to resume.
 */
export function refuseMoreArguments(name: string, more: readonly unknown[], takes: string): void {
  if (more.length === 0) return;
  throw new TypeError(
    `${name}: takes ${takes}; got ${more.length} more argument${more.length === 1 ? '' : 's'} (${more.map((v) => (typeof v === 'number' ? String(v) : describeValue(v))).join(', ')}). ` +
      'PyTorch\'s last_epoch and verbose are not taken: to resume a schedule, load its state, sched.loadStateDict(saved.stateDict())',
  );
}

/** A scheduler's state, plain JSON: `lastEpoch`, PyTorch's `base_lrs` and `_last_lr`, and its hyper-parameters. */
export interface LRSchedulerStateDict {
  lastEpoch: number;
  /** The initial learning rates, one per parameter group. */
  baseLrs: number[];
  lastLr: number[];
  /** The constructor's arguments by name (`stepSize`, `gamma`, `milestones`); LambdaLR's function is not saved. */
  hyper: Record<string, unknown>;
}

const STATE_KEYS = ['lastEpoch', 'baseLrs', 'lastLr', 'hyper'] as const;


let rewind: (s: LRScheduler) => void;

let warnedStepOrder = false;

/**
 * PyTorch's UserWarning for `scheduler.step()` called before any `optimizer.step()` since the scheduler was made:
 * the schedule's first rate is then never used. Once per process.
 */
function warnStepOrder(name: string): void {
  if (warnedStepOrder || typeof process === 'undefined' || typeof process.emitWarning !== 'function') return;
  warnedStepOrder = true;
  process.emitWarning(
    `${name}.step() was called before optimizer.step(): call optimizer.step() first (each batch), then ${name}.step() ` +
      "(each epoch), or the schedule's first learning rate is skipped (PyTorch warns the same way)",
  );
}

/**
 * Takes a scheduler's epoch one back, without changing any rate (PyTorch's `scheduler.last_epoch -= 1`, which
 * SequentialLR does to the schedulers it is given). @internal
 */
export function undoStep(s: LRScheduler): void {
  rewind(s);
}

let restart: (s: LRScheduler) => void;

/**
 * Takes a scheduler's first step again, as its constructor did (PyTorch's `_initial_step`, which SequentialLR calls on
 * its first scheduler): the order check of step() starts over from it. @internal
 */
export function initialStep(s: LRScheduler): void {
  restart(s);
}

/**
 * Base of the learning-rate schedulers, as PyTorch's `_LRScheduler`: the constructor records the initial learning
 * rate of each of the optimizer's parameter groups and takes the first step (to epoch 0); then call `step()` once
 * per epoch, after the epoch's `optimizer.step()` calls. Each group's rate follows the schedule from its own.
 */
export abstract class LRScheduler {
  static {
    rewind = (s) => {
      s.#lastEpoch -= 1;
    };
    restart = (s) => {
      s.#calls = 0;
      s.start();
    };
  }

  readonly optimizer: LrOptimizer;
  #name: string;
  #baseLrs: number[];
  #lastEpoch = -1;
  #lastLrs: number[];
  /** Calls of step(), the constructor's own included (PyTorch's `_step_count`). */
  #calls = 0;
  /** The optimizer's step count when the constructor took its step. */
  #optimizerStepsAtStart = 0;

  protected constructor(optimizer: LrOptimizer, name: string) {
    if (!(optimizer instanceof Optimizer)) {
      throw new TypeError(`${name}: the first argument must be an optimizer (such as new optim.SGD(model.parameters(), 0.1)), got ${describeValue(optimizer)}`);
    }
    const groups = optimizer.paramGroups;
    // Any finite rate: one a scheduler set may be negative (see step), and a scheduler made after loading goes on from it.
    const lrs = groups.map((g, i) => checkStepLr(g.lr, groups.length === 1 ? name : `${name} (parameter group ${i})`));
    this.optimizer = optimizer;
    this.#name = name;
    // PyTorch's `initial_lr`, which the first scheduler made on an optimizer records (or a loaded state brings):
    // later schedulers of the same optimizer start from it too.
    this.#baseLrs = groups.map((g, i) => defaultInitialLr(g, lrs[i]!));
    this.#lastLrs = lrs;
  }

  /** PyTorch's `last_epoch`: how many times `step()` ran since the constructor's own step (which makes it 0). */
  get lastEpoch(): number {
    return this.#lastEpoch;
  }

  /** PyTorch's `base_lrs`: the learning rate each group's schedule starts from. */
  get baseLrs(): number[] {
    return this.#baseLrs.slice();
  }

  /** The learning rate set by the last step, one per parameter group, as PyTorch's `get_last_lr()`. */
  getLastLr(): number[] {
    return this.#lastLrs.slice();
  }

  /**
   * Moves to the next epoch and sets the optimizer's learning rates. `step(epoch)` jumps to `epoch` and uses the
   * closed form instead (PyTorch deprecates it and warns, once per process, as Kindling does; kept for code ported
   * from it).
   */
  step(epoch?: number): void {
    if (this.#calls === 1 && optimizerSteps(this.optimizer) === this.#optimizerStepsAtStart) warnStepOrder(this.#name);
    this.#calls++;
    const groups = this.optimizer.paramGroups;
    // Groups added to the optimizer since (addParamGroup) come after the scheduler's own: see addedGroupLr.
    const own = this.#baseLrs.length;
    let next: number;
    let lrs: (number | null)[];
    if (epoch === undefined) {
      next = this.#lastEpoch + 1;
      lrs = groups.map((g, i) => (i < own ? this.chainedLr(checkStepLr(g.lr, this.#name), next, i) : this.addedGroupLr(checkStepLr(g.lr, this.#name), next, i, false)));
    } else {
      // A fraction too (2.5), as PyTorch's closed forms compute with a float last_epoch.
      if (typeof epoch !== 'number' || !Number.isFinite(epoch)) throw new TypeError(`${this.#name}.step: epoch must be a finite number (or left out, to move to the next one), got ${describeValue(epoch)}`);
      if (epoch < 0) throw new RangeError(`${this.#name}.step: epoch must be ≥ 0 (or left out, to move to the next one), got ${describeValue(epoch)}`);
      if (this.warnsOnEpoch()) warnEpochDeprecated('LRScheduler.step');
      next = epoch;
      lrs = groups.map((g, i) => (i < own ? this.closedFormLr(this.#baseLrs[i]!, epoch, i) : this.addedGroupLr(g.lr, epoch, i, true)));
    }
    // Any finite rate, negative too, as PyTorch's schedulers set whatever their rule gives (a CosineAnnealingLR
    // chained after a schedule that reached 0 goes below it; OneCycleLR's linear anneal ends below 0).
    lrs.forEach((lr, i) => {
      if (lr !== null && !Number.isFinite(lr)) {
        throw new RangeError(`${this.#name}: the learning rate for epoch ${next}${lrs.length > 1 ? ` of parameter group ${i}` : ''} would be ${lr}`);
      }
    });
    this.#lastEpoch = next;
    lrs.forEach((lr, i) => {
      if (lr !== null) groups[i]!.lr = lr;
    });
    // As PyTorch's _last_lr: every group's rate, an added group's too.
    this.#lastLrs = groups.map((g) => g.lr);
  }

  /**
   * The new rate of group `group`, added to the optimizer after this scheduler was made (so it has no initial rate
   * here), on reaching `epoch` (`closedForm`: by `step(epoch)`), as PyTorch 1.13's schedulers treat it; null leaves
   * its rate as it is. PyTorch's get_lr zips its per-group lists (base_lrs, the lambdas) with the groups, which
   * leaves an added group out, unless the schedule needs only the group's own rate (StepLR's lr·gamma, …): those
   * schedules say so with `chainsAddedGroups`. Its closed form (step(epoch)) zips base_lrs, so leaves it out too.
   * OneCycleLR and SWALR throw, as PyTorch's raise (KeyError), a group lacking their keys.
   */
  protected addedGroupLr(lr: number, epoch: number, group: number, closedForm: boolean): number | null {
    return !closedForm && this.chainsAddedGroups(epoch) ? this.chainedLr(lr, epoch, group) : null;
  }

  /** Whether `step(epoch)` gives PyTorch's deprecation warning (all but CosineAnnealingWarmRestarts, whose own step takes an epoch). */
  protected warnsOnEpoch(): boolean {
    return true;
  }

  /** Whether the step to `epoch` computes a group's rate from its own rate alone, so schedules an added group too. */
  protected chainsAddedGroups(_epoch: number): boolean {
    return false;
  }

  /**
   * `StepLR(step_size=30, gamma=0.1, last_epoch=2)`: the class, its settings under PyTorch's argument names and the
   * epoch, as ReduceLROnPlateau prints (PyTorch's own print only `<torch.optim.lr_scheduler.StepLR object at 0x…>`).
   */
  toString(): string {
    const settings = Object.entries(this.hyper()).map(([k, v]) => `${torchArgName(k)}=${reprValue(v)}`);
    return `${this.#name}(${[...settings, `last_epoch=${this.#lastEpoch}`].join(', ')})`;
  }

  /** Plain JSON: the epoch, the initial and last learning rates, and the hyper-parameters (not LambdaLR's function). */
  stateDict(): LRSchedulerStateDict {
    return { lastEpoch: this.#lastEpoch, baseLrs: this.#baseLrs.slice(), lastLr: this.#lastLrs.slice(), hyper: this.hyper() };
  }

  /**
   * Restores what `stateDict()` saved. As in PyTorch, the optimizer's learning rate is left alone: load the
   * optimizer's own state dict too (it holds the rate). Nothing changes unless all of it is valid.
   */
  loadStateDict(sd: LRSchedulerStateDict): void {
    const where = `${this.#name}.loadStateDict`;
    if (!isPlainObject(sd)) throw new TypeError(`${where}: expected an object as stateDict() returns, got ${describeValue(sd)}`);
    checkOptions(where, sd, STATE_KEYS);
    for (const key of STATE_KEYS) if (!Object.hasOwn(sd, key)) throw new TypeError(`${where}: the state has no "${key}"`);
    // −1: a scheduler handed to SequentialLR that has not started yet.
    // A fraction too: step(2.5) leaves one, as in PyTorch.
    if (typeof sd.lastEpoch !== 'number' || !Number.isFinite(sd.lastEpoch) || sd.lastEpoch < -1) throw new RangeError(`${where}: lastEpoch must be a finite number ≥ -1, got ${describeValue(sd.lastEpoch)}`);
    const count = this.#baseLrs.length;
    const rates = (key: 'baseLrs' | 'lastLr'): number[] => {
      const v: unknown = sd[key];
      // lastLr holds the rates of groups added since too, as PyTorch's _last_lr.
      const groups = this.optimizer.paramGroups.length;
      if (!Array.isArray(v) || (v.length !== count && !(key === 'lastLr' && v.length > count && v.length <= groups))) {
        throw new TypeError(`${where}: ${key} must be an array of ${count === 1 ? 'one learning rate (one parameter group)' : `${count} learning rates (one per parameter group)`}, got ${describeValue(v)}${Array.isArray(v) ? ` of ${v.length}` : ''}`);
      }
      // Any finite rate, as the constructor takes: a schedule started from a negative rate saves a negative base.
      return v.map((lr: unknown) => checkStepLr(lr, `${where} (${key})`));
    };
    const baseLrs = rates('baseLrs');
    const lastLrs = rates('lastLr');
    if (!isPlainObject(sd.hyper)) throw new TypeError(`${where}: hyper must be an object, got ${describeValue(sd.hyper)}`);
    this.applyHyper(sd.hyper, `${where} (saved hyper-parameters)`);
    this.#lastEpoch = sd.lastEpoch;
    this.#baseLrs = baseLrs;
    this.#lastLrs = lastLrs;
  }

  /** The constructor's last act, once the subclass's fields are set (PyTorch's `_initial_step`). */
  protected start(): void {
    this.#optimizerStepsAtStart = optimizerSteps(this.optimizer);
    this.step();
  }

  /** PyTorch's `get_lr`: group `group`'s new rate from its current one (`lr`) on reaching `epoch`. */
  protected abstract chainedLr(lr: number, epoch: number, group: number): number;

  /** PyTorch's `_get_closed_form_lr`: group `group`'s rate at `epoch` from its initial one. */
  protected abstract closedFormLr(baseLr: number, epoch: number, group: number): number;

  protected abstract hyper(): Record<string, unknown>;

  /** Validates saved hyper-parameters as the constructor does, then takes them (or throws, changing nothing). */
  protected abstract applyHyper(hyper: Record<string, unknown>, where: string): void;
}

/** PyTorch's name of a scheduler argument: `stepSize` → `step_size`, `tMax` → `T_max`, `t0` → `T_0`. */
function torchArgName(key: string): string {
  const snake = key.replace(/[A-Z0-9]/g, (c) => `_${c.toLowerCase()}`);
  return snake.startsWith('t_') ? `T${snake.slice(1)}` : snake;
}

/** A setting as printed: a number or string as it is, a list in brackets, anything else described. */
function reprValue(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(reprValue).join(', ')}]`;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || v === null) return String(v);
  return describeValue(v);
}

/** A multiplicative factor: a finite number ≥ 0. */
function checkGamma(where: string, gamma: unknown): number {
  if (typeof gamma !== 'number') throw new TypeError(`${where}: gamma must be a number, got ${describeValue(gamma)}`);
  if (!(gamma >= 0) || !Number.isFinite(gamma)) throw new RangeError(`${where}: gamma must be a finite number ≥ 0, got ${gamma}`);
  return gamma;
}

/** Saved hyper-parameters with exactly the keys `keys`. */
export function savedHyper(where: string, hyper: Record<string, unknown>, keys: readonly string[]): void {
  checkOptions(where, hyper, keys);
  for (const k of keys) if (!Object.hasOwn(hyper, k)) throw new TypeError(`${where}: "${k}" is missing`);
}

/**
 * Multiplies the learning rate by `gamma` every `stepSize` epochs (PyTorch's `StepLR`). A fractional `stepSize`
 * is taken as PyTorch takes a float step_size: `step()` multiplies at the epochs it divides exactly (2.5: 5, 10,
 * …), `step(epoch)` uses gamma ** (epoch // stepSize), Python's floor division.
 *
 * @example
 * const sched = new optim.lr_scheduler.StepLR(opt, 30, 0.1); // lr·0.1 at epochs 30, 60, 90, …
 * for (let epoch = 0; epoch < 100; epoch++) { trainOneEpoch(); sched.step(); }
 */
export class StepLR extends LRScheduler {
  stepSize: number;
  gamma: number;

  constructor(optimizer: LrOptimizer, stepSize: number, gamma = 0.1, ...more: never[]) {
    refuseMoreArguments('StepLR', more, '(optimizer, stepSize, gamma)');
    super(optimizer, 'StepLR');
    this.stepSize = checkStepSize('StepLR', stepSize);
    this.gamma = checkGamma('StepLR', gamma);
    this.start();
  }

  protected chainedLr(lr: number, epoch: number): number {
    return epoch === 0 || epoch % this.stepSize !== 0 ? lr : lr * this.gamma;
  }

  /** Its rate comes from the group's own alone: a group added to the optimizer since is scheduled too, as in PyTorch. */
  protected override chainsAddedGroups(): boolean {
    return true;
  }

  protected closedFormLr(baseLr: number, epoch: number): number {
    return baseLr * powInt(this.gamma, pyFloorDiv(epoch, this.stepSize));
  }

  protected hyper(): Record<string, unknown> {
    return { stepSize: this.stepSize, gamma: this.gamma };
  }

  protected applyHyper(hyper: Record<string, unknown>, where: string): void {
    savedHyper(where, hyper, ['stepSize', 'gamma']);
    const stepSize = checkStepSize(where, hyper['stepSize']);
    this.gamma = checkGamma(where, hyper['gamma']);
    this.stepSize = stepSize;
  }
}

function checkStepSize(where: string, stepSize: unknown): number {
  return checkPeriod(where, 'stepSize', stepSize, 'new StepLR(opt, 30, 0.1)');
}

/**
 * Multiplies the learning rate by `gamma` every epoch (PyTorch's `ExponentialLR`).
 *
 * @example
 * const sched = new optim.lr_scheduler.ExponentialLR(opt, 0.9);
 */
export class ExponentialLR extends LRScheduler {
  gamma: number;

  constructor(optimizer: LrOptimizer, gamma: number, ...more: never[]) {
    refuseMoreArguments('ExponentialLR', more, '(optimizer, gamma)');
    super(optimizer, 'ExponentialLR');
    this.gamma = checkGamma('ExponentialLR', gamma);
    this.start();
  }

  protected chainedLr(lr: number, epoch: number): number {
    return epoch === 0 ? lr : lr * this.gamma;
  }

  /** Its rate comes from the group's own alone: a group added to the optimizer since is scheduled too, as in PyTorch. */
  protected override chainsAddedGroups(): boolean {
    return true;
  }

  protected closedFormLr(baseLr: number, epoch: number): number {
    return baseLr * pyPow(this.gamma, epoch);
  }

  protected hyper(): Record<string, unknown> {
    return { gamma: this.gamma };
  }

  protected applyHyper(hyper: Record<string, unknown>, where: string): void {
    savedHyper(where, hyper, ['gamma']);
    this.gamma = checkGamma(where, hyper['gamma']);
  }
}

/**
 * Multiplies the learning rate by `gamma` on reaching each milestone epoch (PyTorch's `MultiStepLR`); a milestone
 * listed twice multiplies by gamma² there, as PyTorch counts them.
 *
 * @example
 * const sched = new optim.lr_scheduler.MultiStepLR(opt, [30, 80], 0.1);
 */
export class MultiStepLR extends LRScheduler {
  /** The milestones, sorted (repeats kept). */
  milestones: number[];
  gamma: number;

  constructor(optimizer: LrOptimizer, milestones: readonly number[], gamma = 0.1, ...more: never[]) {
    refuseMoreArguments('MultiStepLR', more, '(optimizer, milestones, gamma)');
    super(optimizer, 'MultiStepLR');
    this.milestones = checkMilestones('MultiStepLR', milestones);
    this.gamma = checkGamma('MultiStepLR', gamma);
    this.start();
  }

  protected chainedLr(lr: number, epoch: number): number {
    const count = this.milestones.filter((m) => m === epoch).length;
    return count === 0 ? lr : lr * powInt(this.gamma, count);
  }

  /** Its rate comes from the group's own alone: a group added to the optimizer since is scheduled too, as in PyTorch. */
  protected override chainsAddedGroups(): boolean {
    return true;
  }

  protected closedFormLr(baseLr: number, epoch: number): number {
    // bisect_right: the number of milestones ≤ epoch.
    return baseLr * powInt(this.gamma, this.milestones.filter((m) => m <= epoch).length);
  }

  protected hyper(): Record<string, unknown> {
    return { milestones: this.milestones.slice(), gamma: this.gamma };
  }

  protected applyHyper(hyper: Record<string, unknown>, where: string): void {
    savedHyper(where, hyper, ['milestones', 'gamma']);
    const milestones = checkMilestones(where, hyper['milestones']);
    this.gamma = checkGamma(where, hyper['gamma']);
    this.milestones = milestones;
  }
}

function checkMilestones(where: string, milestones: unknown): number[] {
  if (!Array.isArray(milestones)) throw new TypeError(`${where}: milestones must be an array of epochs, such as [30, 80], got ${describeValue(milestones)}`);
  milestones.forEach((m: unknown, i) => {
    if (typeof m !== 'number') throw new TypeError(`${where}: milestones[${i}] must be a number, got ${describeValue(m)}`);
    if (!Number.isInteger(m) || m < 0) throw new RangeError(`${where}: milestones[${i}] must be a whole epoch ≥ 0, got ${describeValue(m)}`);
  });
  return (milestones as number[]).slice().sort((a, b) => a - b);
}

/**
 * Sets the learning rate to the initial one times `lrLambda(epoch)` (PyTorch's `LambdaLR`); the constructor already
 * sets it to initial · lrLambda(0). With several parameter groups, `lrLambda` may also be a list of functions, one
 * per group. The functions are not part of the state dict: a loaded scheduler keeps its own.
 *
 * @example
 * const sched = new optim.lr_scheduler.LambdaLR(opt, (epoch) => 0.95 ** epoch);
 */
export class LambdaLR extends LRScheduler {
  /** The function of each parameter group (the same one for all when a single function was given). */
  readonly lrLambdas: readonly ((epoch: number) => number)[];

  constructor(optimizer: LrOptimizer, lrLambda: ((epoch: number) => number) | readonly ((epoch: number) => number)[], ...more: never[]) {
    refuseMoreArguments('LambdaLR', more, '(optimizer, lrLambda)');
    super(optimizer, 'LambdaLR');
    const groups = optimizer.paramGroups.length;
    const example = 'such as (epoch) => 0.95 ** epoch';
    if (Array.isArray(lrLambda)) {
      if (lrLambda.length !== groups) throw new RangeError(`LambdaLR: expected ${groups} lrLambda functions (one per parameter group), got ${lrLambda.length}`);
      lrLambda.forEach((f: unknown, i) => {
        if (typeof f !== 'function') throw new TypeError(`LambdaLR: lrLambda[${i}] must be a function of the epoch, ${example}, got ${describeValue(f)}`);
      });
      this.lrLambdas = lrLambda.slice();
    } else {
      if (typeof lrLambda !== 'function') throw new TypeError(`LambdaLR: lrLambda must be a function of the epoch, ${example}, got ${describeValue(lrLambda)}`);
      this.lrLambdas = Array.from({ length: groups }, () => lrLambda as (epoch: number) => number);
    }
    this.start();
  }

  /** The function of the first group (with one group, the function). */
  get lrLambda(): (epoch: number) => number {
    return this.lrLambdas[0]!;
  }

  protected chainedLr(_lr: number, epoch: number, group: number): number {
    return this.closedFormLr(this.baseLrs[group]!, epoch, group);
  }

  protected closedFormLr(baseLr: number, epoch: number, group: number): number {
    const factor: unknown = this.lrLambdas[group]!(epoch);
    if (typeof factor !== 'number') {
      throw new TypeError(`LambdaLR: lrLambda${this.lrLambdas.length > 1 ? `[${group}]` : ''}(${epoch}) must return a number, got ${describeValue(factor)}`);
    }
    return baseLr * factor;
  }

  protected hyper(): Record<string, unknown> {
    return {};
  }

  protected applyHyper(hyper: Record<string, unknown>, where: string): void {
    savedHyper(where, hyper, []);
  }
}

refusePythonNames(LRScheduler.prototype, 'scheduler', [
  ['get_last_lr', 'getLastLr', 'method'], ['state_dict', 'stateDict', 'method'], ['load_state_dict', 'loadStateDict', 'method'],
  ['last_epoch', 'lastEpoch', 'property'], ['base_lrs', 'baseLrs', 'property'],
]);
