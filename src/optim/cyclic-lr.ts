// PyTorch 1.13's CyclicLR: see the class.
import { checkOptions, describeValue, isPlainObject } from '../options.js';
import { LRScheduler, refuseMoreArguments, savedHyper, type LrOptimizer } from './lr-scheduler.js';
import { checkLr, Optimizer } from './optimizer.js';
import { powInt } from './pow-int.js';

export interface CyclicLROptions {
  /** The lowest rate of the cycle: one for all groups, or one per group (PyTorch's `base_lr`). Required. */
  baseLr: number | readonly number[];
  /** The highest rate of the cycle: one, or one per group (PyTorch's `max_lr`). Required. */
  maxLr: number | readonly number[];
  /** Steps from baseLr up to maxLr (default 2000; may be fractional, as PyTorch takes float(step_size_up)). */
  stepSizeUp?: number;
  /** Steps back down (default: stepSizeUp). */
  stepSizeDown?: number;
  /** 'triangular' (default), 'triangular2' (the height halves each cycle) or 'exp_range' (gamma^step). */
  mode?: 'triangular' | 'triangular2' | 'exp_range';
  /** exp_range's factor per step (default 1). */
  gamma?: number;
  /** A custom scale, in place of the mode's: called with the cycle (from 1) or the step, per `scaleMode`. */
  scaleFn?: (x: number) => number;
  /** What `scaleFn` is given: 'cycle' (default) or 'iterations'. Only with scaleFn. */
  scaleMode?: 'cycle' | 'iterations';
  /** Cycle the optimizer's `momentum` inversely to the rate (default true; SGD and RMSprop). */
  cycleMomentum?: boolean;
  baseMomentum?: number | readonly number[];
  maxMomentum?: number | readonly number[];
}

const OPTIONS = ['baseLr', 'maxLr', 'stepSizeUp', 'stepSizeDown', 'mode', 'gamma', 'scaleFn', 'scaleMode', 'cycleMomentum', 'baseMomentum', 'maxMomentum'] as const;
const HYPER = ['cycleBaseLrs', 'maxLrs', 'totalSize', 'stepRatio', 'mode', 'gamma', 'scaleMode', 'customScale', 'cycleMomentum', 'baseMomentums', 'maxMomentums'] as const;
const MODES = ['triangular', 'triangular2', 'exp_range'] as const;

/**
 * Cyclical learning rates (PyTorch's `CyclicLR`): each cycle takes the rate from `baseLr` up to `maxLr` over
 * `stepSizeUp` steps and back down over `stepSizeDown`, the height scaled by the mode ('triangular': 1,
 * 'triangular2': 1/2^(cycle − 1), 'exp_range': gamma^step) or by `scaleFn`; with `cycleMomentum` (the default)
 * the optimizer's `momentum` goes the other way, from `maxMomentum` down to `baseMomentum`. Step it once per
 * batch. As in PyTorch the constructor sets each group's rate to baseLr and its momentum to baseMomentum, then
 * takes the first step; an optimizer without `momentum` (Adam, Adagrad) is refused unless `cycleMomentum: false`.
 * Rates and momenta are PyTorch's to the bit (float64, PyTorch's order of operations). `step(epoch)` computes
 * the same formula at `epoch` (PyTorch has no closed form for it). A custom `scaleFn` is not part of the state
 * dict: a loaded scheduler keeps its own.
 *
 * @example
 * const sched = new optim.lr_scheduler.CyclicLR(opt, { baseLr: 0.001, maxLr: 0.1, stepSizeUp: 200 });
 * // after each batch's opt.step(): sched.step();
 */
export class CyclicLR extends LRScheduler {
  /** Per group: PyTorch's `base_lrs` (the cycle's floor) and `max_lrs`. */
  cycleBaseLrs: number[] = [];
  maxLrs: number[] = [];
  /** stepSizeUp + stepSizeDown, and stepSizeUp / totalSize (PyTorch's `total_size`, `step_ratio`). */
  totalSize = 0;
  stepRatio = 0;
  mode: 'triangular' | 'triangular2' | 'exp_range' = 'triangular';
  gamma = 1;
  scaleMode: 'cycle' | 'iterations' = 'cycle';
  cycleMomentum = true;
  baseMomentums: number[] = [];
  maxMomentums: number[] = [];
  #scaleFn: ((x: number) => number) | null = null;
  /** The base rates the first step uses: the groups' `initialLr`, as PyTorch's (set before `base_lrs` is). */
  #firstBase: number[] | null = null;

  constructor(optimizer: LrOptimizer, options: CyclicLROptions, ...more: never[]) {
    refuseMoreArguments('CyclicLR', more, '(optimizer, { baseLr, maxLr, stepSizeUp, … })');
    const name = 'CyclicLR';
    if (!(optimizer instanceof Optimizer)) throw new TypeError(`${name}: ${describeValue(optimizer)} is not an Optimizer (the first argument must be one, such as new optim.SGD(params, { lr: 0.1, momentum: 0.9 }))`);
    if (!isPlainObject(options)) throw new TypeError(`${name}: the second argument must be the options, { baseLr, maxLr, stepSizeUp, … }, got ${describeValue(options)}`);
    checkOptions(name, options, OPTIONS);
    if (options.baseLr === undefined) throw new TypeError(`${name}: baseLr is required (the lowest rate of the cycle)`);
    if (options.maxLr === undefined) throw new TypeError(`${name}: maxLr is required (the highest rate of the cycle)`);
    const o = { stepSizeUp: 2000, mode: 'triangular', gamma: 1, scaleMode: 'cycle', cycleMomentum: true, baseMomentum: 0.8, maxMomentum: 0.9, ...options };
    const groups = optimizer.paramGroups;
    const baseLrs = perGroup(name, 'baseLr', 'base_lr', o.baseLr, groups.length, true);
    const maxLrs = perGroup(name, 'maxLr', 'max_lr', o.maxLr, groups.length, true);
    if (typeof o.stepSizeUp !== 'number' || !(o.stepSizeUp > 0) || !Number.isFinite(o.stepSizeUp)) {
      throw new RangeError(`${name}: stepSizeUp must be a finite number of steps > 0, got ${describeValue(o.stepSizeUp)}`);
    }
    const down = o.stepSizeDown ?? o.stepSizeUp;
    if (typeof down !== 'number' || !(down >= 0) || !Number.isFinite(down)) throw new RangeError(`${name}: stepSizeDown must be a finite number of steps ≥ 0, got ${describeValue(down)}`);
    if (o.scaleFn !== undefined && typeof o.scaleFn !== 'function') throw new TypeError(`${name}: scaleFn must be a function of the cycle or step, got ${describeValue(o.scaleFn)}`);
    if (o.scaleFn === undefined && !(MODES as readonly unknown[]).includes(o.mode)) throw new RangeError(`${name}: mode is invalid and scale_fn is None (mode must be 'triangular', 'triangular2' or 'exp_range', got ${describeValue(o.mode)})`);
    if (o.scaleMode !== 'cycle' && o.scaleMode !== 'iterations') throw new RangeError(`${name}: scaleMode must be 'cycle' or 'iterations', got ${describeValue(o.scaleMode)}`);
    if (typeof o.gamma !== 'number' || !Number.isFinite(o.gamma)) throw new TypeError(`${name}: gamma must be a finite number, got ${describeValue(o.gamma)}`);
    if (typeof o.cycleMomentum !== 'boolean') throw new TypeError(`${name}: cycleMomentum must be true or false, got ${describeValue(o.cycleMomentum)}`);
    let baseMomentums: number[] = [];
    let maxMomentums: number[] = [];
    if (o.cycleMomentum) {
      const first = groups[0] as unknown as Record<string, unknown> | undefined;
      if (first === undefined || !('momentum' in first)) {
        throw new RangeError(`${name}: optimizer must support momentum with \`cycle_momentum\` option enabled (${optimizer.constructor.name} has no momentum: pass cycleMomentum: false)`);
      }
      baseMomentums = perGroup(name, 'baseMomentum', 'base_momentum', o.baseMomentum, groups.length, false);
      maxMomentums = perGroup(name, 'maxMomentum', 'max_momentum', o.maxMomentum, groups.length, false);
    }
    // All checked: now change the optimizer, as PyTorch's constructor does.
    groups.forEach((g, i) => {
      g.lr = baseLrs[i]!;
      if (o.cycleMomentum) (g as unknown as Record<string, unknown>)['momentum'] = baseMomentums[i]!;
    });
    super(optimizer, name);
    const totalSize = o.stepSizeUp + down;
    this.cycleBaseLrs = baseLrs;
    this.maxLrs = maxLrs;
    this.totalSize = totalSize;
    this.stepRatio = o.stepSizeUp / totalSize;
    this.mode = o.mode as CyclicLR['mode'];
    this.gamma = o.gamma;
    this.#scaleFn = o.scaleFn ?? null;
    this.scaleMode = o.scaleFn === undefined ? (o.mode === 'exp_range' ? 'iterations' : 'cycle') : (o.scaleMode as CyclicLR['scaleMode']);
    this.cycleMomentum = o.cycleMomentum;
    this.baseMomentums = baseMomentums;
    this.maxMomentums = maxMomentums;
    this.#firstBase = this.baseLrs;
    this.start();
    this.#firstBase = null;
  }

  /** Moves to the next step (or to `epoch`), then sets the momenta (PyTorch's get_lr does both). */
  override step(epoch?: number): void {
    super.step(epoch);
    if (this.cycleMomentum) {
      const { scale } = this.#scale(this.lastEpoch);
      // Only the groups it was made for: PyTorch zips the groups with its momenta, so an added group keeps its own.
      this.optimizer.paramGroups.slice(0, this.maxMomentums.length).forEach((g, i) => {
        const max = this.maxMomentums[i]!;
        (g as unknown as Record<string, unknown>)['momentum'] = max - (max - this.baseMomentums[i]!) * this.#factor(this.lastEpoch) * scale;
      });
    }
  }

  protected chainedLr(_lr: number, epoch: number, group: number): number {
    const base = (this.#firstBase ?? this.cycleBaseLrs)[group]!;
    return base + (this.maxLrs[group]! - base) * this.#factor(epoch) * this.#scale(epoch).scale;
  }

  protected closedFormLr(baseLr: number, epoch: number, group: number): number {
    return this.chainedLr(baseLr, epoch, group);
  }

  /** PyTorch's scale_factor at step `epoch`: where in the cycle, 0 at its floor, 1 at its peak. */
  #factor(epoch: number): number {
    const cycle = Math.floor(1 + epoch / this.totalSize);
    const x = 1 + epoch / this.totalSize - cycle;
    return x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
  }

  /** The mode's (or scaleFn's) scale at step `epoch`. */
  #scale(epoch: number): { scale: number } {
    const arg = this.scaleMode === 'cycle' ? Math.floor(1 + epoch / this.totalSize) : epoch;
    if (this.#scaleFn !== null) {
      const s = this.#scaleFn(arg);
      if (typeof s !== 'number') throw new TypeError(`CyclicLR: scaleFn(${arg}) must return a number, got ${describeValue(s)}`);
      return { scale: s };
    }
    if (this.mode === 'triangular') return { scale: 1 };
    if (this.mode === 'triangular2') return { scale: 1 / 2 ** (arg - 1) };
    return { scale: powInt(this.gamma, arg) };
  }

  protected hyper(): Record<string, unknown> {
    return {
      cycleBaseLrs: this.cycleBaseLrs.slice(), maxLrs: this.maxLrs.slice(), totalSize: this.totalSize, stepRatio: this.stepRatio, mode: this.mode,
      gamma: this.gamma, scaleMode: this.scaleMode, customScale: this.#scaleFn !== null, cycleMomentum: this.cycleMomentum,
      baseMomentums: this.baseMomentums.slice(), maxMomentums: this.maxMomentums.slice(),
    };
  }

  protected applyHyper(hyper: Record<string, unknown>, where: string): void {
    savedHyper(where, hyper, HYPER);
    const h = hyper as Record<(typeof HYPER)[number], unknown>;
    const count = this.optimizer.paramGroups.length;
    const list = (k: 'cycleBaseLrs' | 'maxLrs' | 'baseMomentums' | 'maxMomentums', n: number, lr: boolean): number[] => {
      const v = h[k];
      if (!Array.isArray(v) || v.length !== n || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) throw new TypeError(`${where}: ${k} must be an array of ${n} finite numbers, got ${describeValue(v)}`);
      if (lr) v.forEach((x: number) => checkLr(x, `${where} (${k})`));
      return (v as number[]).slice();
    };
    const cycleBaseLrs = list('cycleBaseLrs', count, true);
    const maxLrs = list('maxLrs', count, true);
    if (typeof h.totalSize !== 'number' || !(h.totalSize > 0) || !Number.isFinite(h.totalSize)) throw new RangeError(`${where}: totalSize must be a finite number > 0, got ${describeValue(h.totalSize)}`);
    if (typeof h.stepRatio !== 'number' || !(h.stepRatio > 0 && h.stepRatio <= 1)) throw new RangeError(`${where}: stepRatio must be in (0, 1], got ${describeValue(h.stepRatio)}`);
    if (!(MODES as readonly unknown[]).includes(h.mode)) throw new RangeError(`${where}: mode must be 'triangular', 'triangular2' or 'exp_range', got ${describeValue(h.mode)}`);
    if (typeof h.gamma !== 'number' || !Number.isFinite(h.gamma)) throw new TypeError(`${where}: gamma must be a finite number, got ${describeValue(h.gamma)}`);
    if (h.scaleMode !== 'cycle' && h.scaleMode !== 'iterations') throw new RangeError(`${where}: scaleMode must be 'cycle' or 'iterations', got ${describeValue(h.scaleMode)}`);
    for (const k of ['customScale', 'cycleMomentum'] as const) if (typeof h[k] !== 'boolean') throw new TypeError(`${where}: ${k} must be true or false, got ${describeValue(h[k])}`);
    if (h.customScale !== (this.#scaleFn !== null)) {
      throw new TypeError(`${where}: the saved scheduler ${h.customScale ? 'used a custom scaleFn, this one has none' : 'used its mode\'s scale, this one has a custom scaleFn'} (a scaleFn is not saved: make the scheduler with the same kind of scale)`);
    }
    if (h.cycleMomentum && !('momentum' in (this.optimizer.paramGroups[0] as unknown as Record<string, unknown>))) throw new RangeError(`${where}: the saved scheduler cycles the momentum, but the optimizer has none`);
    const momenta = h.cycleMomentum ? count : 0;
    const baseMomentums = list('baseMomentums', momenta, false);
    const maxMomentums = list('maxMomentums', momenta, false);
    Object.assign(this, { cycleBaseLrs, maxLrs, totalSize: h.totalSize, stepRatio: h.stepRatio, mode: h.mode, gamma: h.gamma, scaleMode: h.scaleMode, cycleMomentum: h.cycleMomentum, baseMomentums, maxMomentums });
  }
}

/** PyTorch's _format_param: one value for every group, or a list of one per group. */
function perGroup(where: string, what: string, torchName: string, v: unknown, groups: number, lr: boolean): number[] {
  const list: unknown[] = Array.isArray(v) ? v : Array.from({ length: groups }, () => v);
  if (Array.isArray(v) && v.length !== groups) throw new RangeError(`${where}: expected ${groups} values for ${torchName}, got ${v.length} (${what}: one value, or one per parameter group)`);
  return list.map((x, i) => {
    const name = `${what}${Array.isArray(v) ? `[${i}]` : ''}`;
    if (typeof x !== 'number') throw new TypeError(`${where}: ${name} must be a number, got ${describeValue(x)}`);
    if (!Number.isFinite(x) || (lr && x < 0)) throw new RangeError(`${where}: ${name} must be a finite number${lr ? ' ≥ 0' : ''}, got ${x}`);
    return x;
  });
}
