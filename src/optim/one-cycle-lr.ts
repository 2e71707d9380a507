// PyTorch 1.13's OneCycleLR: see the class.
import { checkOptions, describeValue, isPlainObject } from '../options.js';
import { LRScheduler, refuseMoreArguments, savedHyper, type LrOptimizer } from './lr-scheduler.js';
import { Optimizer, setInitialLr, setSchedulerKeys } from './optimizer.js';
import { checkIters } from './scheduler-checks.js';

export interface OneCycleLROptions {
  /** The peak learning rate: one for all groups, or one per group (PyTorch's `max_lr`). Required. */
  maxLr: number | readonly number[];
  /** The number of steps in the cycle; or give `epochs` and `stepsPerEpoch`. */
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  /** The fraction of the cycle spent raising the rate (default 0.3). */
  pctStart?: number;
  annealStrategy?: 'cos' | 'linear';
  /** Cycle SGD's and RMSprop's `momentum`, or Adam's β1, inversely to the rate (default true). */
  cycleMomentum?: boolean;
  baseMomentum?: number | readonly number[];
  maxMomentum?: number | readonly number[];
  /** The initial rate is maxLr / divFactor (default 25). */
  divFactor?: number;
  /** The last rate is the initial one / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** Three phases (up, down to the initial rate, then down to the last) instead of two. */
  threePhase?: boolean;
}

const OPTIONS = ['maxLr', 'totalSteps', 'epochs', 'stepsPerEpoch', 'pctStart', 'annealStrategy', 'cycleMomentum', 'baseMomentum', 'maxMomentum', 'divFactor', 'finalDivFactor', 'threePhase'] as const;
const HYPER = ['totalSteps', 'pctStart', 'annealStrategy', 'cycleMomentum', 'useBeta1', 'maxLrs', 'minLrs', 'baseMomentums', 'maxMomentums', 'threePhase'] as const;

interface Phase {
  endStep: number;
  startLr: 'initial' | 'max' | 'min';
  endLr: 'initial' | 'max' | 'min';
  startMomentum: 'base' | 'max';
  endMomentum: 'base' | 'max';
}

/**
 * The 1cycle policy (PyTorch's `OneCycleLR`): the rate climbs from maxLr/divFactor to `maxLr` over the first
 * `pctStart` of `totalSteps`, then anneals down to maxLr/divFactor/finalDivFactor (with `threePhase`, back down to
 * the initial rate first), along a cosine or a line; with `cycleMomentum` the momentum (SGD's and RMSprop's
 * `momentum`, Adam's and AdamW's β1) goes the other way, between `maxMomentum` and `baseMomentum`. Step it once
 * per batch. As in PyTorch the constructor sets each group's initial rate (`initialLr`) to maxLr/divFactor,
 * whatever it was, and the momentum to `maxMomentum`; `totalSteps` + 1 steps are allowed (the constructor's
 * and `totalSteps` calls of `step()`), the next throws, as PyTorch raises (PyTorch counts the failed step in
 * `last_epoch`; here the scheduler is left as it was). That last allowed step anneals one step past the end: with
 * `annealStrategy: 'linear'` its rate can be below 0, and as in PyTorch it is set (the optimizers step with it). `step(epoch)` computes the same formulas at `epoch`, as
 * PyTorch has no closed form for it. The cosine is JavaScript's `Math.cos`, which may differ from the C library's
 * in the last bit; with `annealStrategy: 'linear'` the rates and momenta are PyTorch's to the bit.
 *
 * @example
 * const sched = new optim.lr_scheduler.OneCycleLR(opt, { maxLr: 0.1, epochs: 10, stepsPerEpoch: batches });
 * // after each batch's opt.step(): sched.step();
 */
export class OneCycleLR extends LRScheduler {
  totalSteps: number;
  pctStart: number;
  annealStrategy: 'cos' | 'linear';
  cycleMomentum: boolean;
  /** Whether the momentum is β1 of `betas` (Adam, AdamW) rather than `momentum`. */
  useBeta1: boolean;
  threePhase: boolean;
  /** Per group: PyTorch's `group['max_lr']`, `group['min_lr']`, `group['base_momentum']`, `group['max_momentum']`. */
  maxLrs: number[];
  minLrs: number[];
  baseMomentums: number[];
  maxMomentums: number[];

  constructor(optimizer: LrOptimizer, options: OneCycleLROptions, ...more: never[]) {
    refuseMoreArguments('OneCycleLR', more, '(optimizer, { maxLr, totalSteps, … })');
    const name = 'OneCycleLR';
    if (!(optimizer instanceof Optimizer)) throw new TypeError(`${name}: the first argument must be an optimizer, got ${describeValue(optimizer)}`);
    if (!isPlainObject(options)) throw new TypeError(`${name}: the second argument must be the options, { maxLr, totalSteps } or { maxLr, epochs, stepsPerEpoch }, got ${describeValue(options)}`);
    checkOptions(name, options, OPTIONS);
    const o = { pctStart: 0.3, annealStrategy: 'cos', cycleMomentum: true, baseMomentum: 0.85, maxMomentum: 0.95, divFactor: 25, finalDivFactor: 1e4, threePhase: false, ...options };
    const groups = optimizer.paramGroups;
    let totalSteps: number;
    if (o.totalSteps === undefined && o.epochs === undefined && o.stepsPerEpoch === undefined) {
      throw new TypeError(`${name}: You must define either total_steps OR (epochs AND steps_per_epoch) (totalSteps, or epochs and stepsPerEpoch)`);
    } else if (o.totalSteps !== undefined) {
      totalSteps = positive(name, 'totalSteps', 'total_steps', o.totalSteps);
    } else {
      totalSteps = positive(name, 'epochs', 'epochs', o.epochs) * positive(name, 'stepsPerEpoch', 'steps_per_epoch', o.stepsPerEpoch);
    }
    if (typeof o.pctStart !== 'number' || !(o.pctStart >= 0 && o.pctStart <= 1)) throw new RangeError(`${name}: Expected float between 0 and 1 pct_start, but got ${describeValue(o.pctStart)}`);
    if (o.annealStrategy !== 'cos' && o.annealStrategy !== 'linear') throw new RangeError(`${name}: anneal_strategy must by one of 'cos' or 'linear', instead got ${describeValue(o.annealStrategy)}`);
    for (const k of ['cycleMomentum', 'threePhase'] as const) if (typeof o[k] !== 'boolean') throw new TypeError(`${name}: ${k} must be true or false, got ${describeValue(o[k])}`);
    for (const k of ['divFactor', 'finalDivFactor'] as const) {
      if (typeof o[k] !== 'number' || !(o[k] > 0) || !Number.isFinite(o[k])) throw new RangeError(`${name}: ${k} must be a finite number > 0, got ${describeValue(o[k])}`);
    }
    const maxLrs = perGroup(name, 'maxLr', 'max_lr', o.maxLr, groups.length);
    const initial = maxLrs.map((m) => m / o.divFactor);
    const minLrs = initial.map((lr) => lr / o.finalDivFactor);
    let useBeta1 = false;
    let baseMomentums: number[] = [];
    let maxMomentums: number[] = [];
    if (o.cycleMomentum) {
      const first = groups[0] as unknown as Record<string, unknown> | undefined;
      if (first === undefined || (!('momentum' in first) && !('betas' in first))) {
        throw new TypeError(`${name}: optimizer must support momentum with \`cycle_momentum\` option enabled (${optimizer.constructor.name} has no momentum or betas: pass cycleMomentum: false)`);
      }
      useBeta1 = 'betas' in first;
      maxMomentums = perGroup(name, 'maxMomentum', 'max_momentum', o.maxMomentum, groups.length);
      baseMomentums = perGroup(name, 'baseMomentum', 'base_momentum', o.baseMomentum, groups.length);
    }
    // All checked: now change the optimizer, as PyTorch's constructor does.
    groups.forEach((g, i) => {
      setInitialLr(g, initial[i]!);
      setSchedulerKeys(g, { max_lr: maxLrs[i]!, min_lr: minLrs[i]!, ...(o.cycleMomentum ? { max_momentum: maxMomentums[i]!, base_momentum: baseMomentums[i]! } : {}) });
    });
    super(optimizer, name);
    this.totalSteps = totalSteps;
    this.pctStart = o.pctStart;
    this.annealStrategy = o.annealStrategy;
    this.cycleMomentum = o.cycleMomentum;
    this.useBeta1 = useBeta1;
    this.threePhase = o.threePhase;
    this.maxLrs = maxLrs;
    this.minLrs = minLrs;
    this.baseMomentums = baseMomentums;
    this.maxMomentums = maxMomentums;
    if (o.cycleMomentum) groups.forEach((_, i) => this.#setMomentum(i, maxMomentums[i]!));
    this.start();
  }

  /** Moves to the next step (or to `epoch`); throws past `totalSteps`, changing nothing. */
  override step(epoch?: number): void {
    const next = epoch ?? this.lastEpoch + 1;
    if (next > this.totalSteps) {
      throw new RangeError(`OneCycleLR.step: Tried to step ${next + 1} times. The specified number of total steps is ${this.totalSteps}`);
    }
    super.step(epoch);
    if (this.cycleMomentum) {
      this.optimizer.paramGroups.forEach((_, i) => this.#setMomentum(i, this.#at(this.lastEpoch, i, 'momentum')));
    }
  }

  /** A group added to the optimizer since has no rates here: refused, as PyTorch 1.13's step fails (KeyError: 'initial_lr'). */
  protected override addedGroupLr(_lr: number, _epoch: number, group: number): never {
    throw new RangeError(`OneCycleLR.step: parameter group ${group} was added to the optimizer after the scheduler was made, so it has no initial, maximum or minimum rate here (PyTorch 1.13 fails too, with KeyError: 'initial_lr'): make the scheduler after adding the group`);
  }

  protected chainedLr(_lr: number, epoch: number, group: number): number {
    return this.#at(epoch, group, 'lr');
  }

  protected closedFormLr(_baseLr: number, epoch: number, group: number): number {
    return this.#at(epoch, group, 'lr');
  }

  #phases(): Phase[] {
    const n = this.totalSteps;
    const p = this.pctStart;
    return this.threePhase
      ? [
          { endStep: p * n - 1, startLr: 'initial', endLr: 'max', startMomentum: 'max', endMomentum: 'base' },
          { endStep: 2 * p * n - 2, startLr: 'max', endLr: 'initial', startMomentum: 'base', endMomentum: 'max' },
          { endStep: n - 1, startLr: 'initial', endLr: 'min', startMomentum: 'max', endMomentum: 'max' },
        ]
      : [
          { endStep: p * n - 1, startLr: 'initial', endLr: 'max', startMomentum: 'max', endMomentum: 'base' },
          { endStep: n - 1, startLr: 'max', endLr: 'min', startMomentum: 'base', endMomentum: 'max' },
        ];
  }

  /** PyTorch's get_lr for group `group` at step `step`: the rate or the momentum. */
  #at(step: number, group: number, what: 'lr' | 'momentum'): number {
    const lrOf = { initial: this.baseLrs[group]!, max: this.maxLrs[group]!, min: this.minLrs[group]! };
    const momentumOf = { base: this.baseMomentums[group]!, max: this.maxMomentums[group]! };
    const phases = this.#phases();
    let startStep = 0;
    for (let i = 0; i < phases.length; i++) {
      const phase = phases[i]!;
      const endStep = phase.endStep;
      if (step <= endStep || i === phases.length - 1) {
        const pct = (step - startStep) / (endStep - startStep);
        return what === 'lr'
          ? this.#anneal(lrOf[phase.startLr], lrOf[phase.endLr], pct)
          : this.#anneal(momentumOf[phase.startMomentum], momentumOf[phase.endMomentum], pct);
      }
      startStep = phase.endStep;
    }
    throw new Error('unreachable');
  }

  #anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'linear') return (end - start) * pct + start;
    const cosOut = Math.cos(Math.PI * pct) + 1;
    return end + (start - end) / 2 * cosOut;
  }

  #setMomentum(group: number, m: number): void {
    const g = this.optimizer.paramGroups[group] as unknown as Record<string, unknown>;
    if (this.useBeta1) g['betas'] = [m, (g['betas'] as readonly number[])[1]!];
    else g['momentum'] = m;
  }

  protected hyper(): Record<string, unknown> {
    return {
      totalSteps: this.totalSteps, pctStart: this.pctStart, annealStrategy: this.annealStrategy, cycleMomentum: this.cycleMomentum,
      useBeta1: this.useBeta1, maxLrs: this.maxLrs.slice(), minLrs: this.minLrs.slice(), baseMomentums: this.baseMomentums.slice(),
      maxMomentums: this.maxMomentums.slice(), threePhase: this.threePhase,
    };
  }

  protected applyHyper(hyper: Record<string, unknown>, where: string): void {
    savedHyper(where, hyper, HYPER);
    const h = hyper as Record<(typeof HYPER)[number], unknown>;
    const count = this.optimizer.paramGroups.length;
    const totalSteps = positive(where, 'totalSteps', 'total_steps', h.totalSteps);
    if (typeof h.pctStart !== 'number' || !(h.pctStart >= 0 && h.pctStart <= 1)) throw new RangeError(`${where}: pctStart must be between 0 and 1, got ${describeValue(h.pctStart)}`);
    if (h.annealStrategy !== 'cos' && h.annealStrategy !== 'linear') throw new RangeError(`${where}: annealStrategy must be 'cos' or 'linear', got ${describeValue(h.annealStrategy)}`);
    for (const k of ['cycleMomentum', 'useBeta1', 'threePhase'] as const) if (typeof h[k] !== 'boolean') throw new TypeError(`${where}: ${k} must be true or false, got ${describeValue(h[k])}`);
    const list = (k: 'maxLrs' | 'minLrs' | 'baseMomentums' | 'maxMomentums', n: number): number[] => {
      const v = h[k];
      if (!Array.isArray(v) || v.length !== n || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) throw new TypeError(`${where}: ${k} must be an array of ${n} finite numbers, got ${describeValue(v)}`);
      return (v as number[]).slice();
    };
    const maxLrs = list('maxLrs', count);
    const minLrs = list('minLrs', count);
    const momenta = h.cycleMomentum ? count : 0;
    const baseMomentums = list('baseMomentums', momenta);
    const maxMomentums = list('maxMomentums', momenta);
    Object.assign(this, { totalSteps, pctStart: h.pctStart, annealStrategy: h.annealStrategy, cycleMomentum: h.cycleMomentum, useBeta1: h.useBeta1, threePhase: h.threePhase, maxLrs, minLrs, baseMomentums, maxMomentums });
  }
}

function positive(where: string, what: string, torchName: string, v: unknown): number {
  if (typeof v !== 'number') throw new TypeError(`${where}: ${what} must be a number, got ${describeValue(v)}`);
  if (!Number.isInteger(v) || v <= 0) throw new RangeError(`${where}: Expected positive integer ${torchName}, but got ${v}`);
  return checkIters(where, what, v, 1);
}

function perGroup(where: string, what: string, torchName: string, v: unknown, groups: number): number[] {
  const list: unknown[] = Array.isArray(v) ? v : Array.from({ length: groups }, () => v);
  if (Array.isArray(v) && v.length !== groups) throw new RangeError(`${where}: expected ${groups} values for ${torchName}, got ${v.length} (${what}: one value, or one per parameter group)`);
  return list.map((x, i) => {
    if (typeof x !== 'number') throw new TypeError(`${where}: ${what}${Array.isArray(v) ? `[${i}]` : ''} must be a number, got ${describeValue(x)}`);
    if (!Number.isFinite(x) || x < 0) throw new RangeError(`${where}: ${what}${Array.isArray(v) ? `[${i}]` : ''} must be a finite number ≥ 0, got ${x}`);
    return x;
  });
}
