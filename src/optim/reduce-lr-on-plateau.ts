// PyTorch 1.13's ReduceLROnPlateau: see the class.
import { checkOptions, describeValue, isPlainObject } from '../options.js';
import { refusePythonNames } from '../python-names.js';
import { Tensor } from '../tensor/tensor.js';
import { checkStepLr, Optimizer } from './optimizer.js';
import type { LrOptimizer } from './lr-scheduler.js';
import { warnEpochDeprecated } from './epoch-deprecation.js';

/** ReduceLROnPlateau's options, PyTorch's keyword arguments in camelCase (`verbose` is not offered). */
export interface ReduceLROnPlateauOptions {
  /** 'min' (the default): the metric should fall, as a loss; 'max': rise, as an accuracy. */
  mode?: 'min' | 'max';
  /** What the rate is multiplied by on a plateau, in [0, 1) (default 0.1). */
  factor?: number;
  /** How many epochs without improvement are borne; the next one reduces the rate (default 10). */
  patience?: number;
  /** How much better than the best a metric must be to count as an improvement (default 1e-4). */
  threshold?: number;
  /** 'rel' (default): better than best·(1 ∓ threshold); 'abs': better than best ∓ threshold. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs after a reduction during which bad epochs are not counted (default 0). */
  cooldown?: number;
  /** The lowest rate, for all groups or one per group (default 0). */
  minLr?: number | readonly number[];
  /** A reduction smaller than eps is skipped (default 1e-8). */
  eps?: number;
}

/** The hyper-parameters as saved: the options, with `minLrs` one per group. */
export interface ReduceLROnPlateauHyper {
  mode: 'min' | 'max';
  factor: number;
  patience: number;
  threshold: number;
  thresholdMode: 'rel' | 'abs';
  cooldown: number;
  minLrs: number[];
  eps: number;
}

/**
 * ReduceLROnPlateau's state, plain JSON: PyTorch's counters, and `best` (±Infinity, which JSON cannot hold, as the
 * strings "Infinity" and "-Infinity": the best is ±Infinity until the first metric).
 */
export interface ReduceLROnPlateauStateDict {
  lastEpoch: number;
  best: number | 'Infinity' | '-Infinity';
  numBadEpochs: number;
  cooldownCounter: number;
  lastLr: number[];
  hyper: ReduceLROnPlateauHyper;
}

const NAME = 'ReduceLROnPlateau';
const OPTION_KEYS = ['mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps'] as const;
const HYPER_KEYS = ['mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLrs', 'eps'] as const;
const STATE_KEYS = ['lastEpoch', 'best', 'numBadEpochs', 'cooldownCounter', 'lastLr', 'hyper'] as const;
const HINTS = { verbose: 'Kindling\'s schedulers print nothing; read getLastLr() after step() instead' };

/**
 * Reduces the learning rate when a metric stops improving (PyTorch's `ReduceLROnPlateau`): call `step(metric)` once
 * per epoch with, say, the validation loss. After more than `patience` epochs in a row without an improvement
 * (better than the best so far by `threshold`), every group's rate is multiplied by `factor`, though not below its
 * `minLr`, and not at all when the change would be no more than `eps`; then `cooldown` epochs pass before bad
 * epochs count again.
 *
 * As in PyTorch it is not an `LRScheduler`: it takes no epochs, has no initial rates, and leaves the rates alone
 * when made. It only compares, as PyTorch does: a NaN metric is never an improvement (a bad epoch), +Infinity
 * neither in 'min' mode, and −Infinity in 'min' mode becomes a best that nothing improves on.
 *
 * @example
 * const sched = new optim.lr_scheduler.ReduceLROnPlateau(opt, { patience: 3, factor: 0.5 });
 * for (let epoch = 0; epoch < 50; epoch++) { trainOneEpoch(); sched.step(validationLoss()); }
 */
export class ReduceLROnPlateau {
  readonly optimizer: LrOptimizer;
  #hyper: ReduceLROnPlateauHyper;
  #best: number;
  #numBadEpochs = 0;
  #cooldownCounter = 0;
  #lastEpoch = 0;
  #lastLrs: number[];

  constructor(optimizer: LrOptimizer, options?: ReduceLROnPlateauOptions) {
    if (!(optimizer instanceof Optimizer)) {
      throw new TypeError(`${NAME}: the first argument must be an optimizer (such as new optim.SGD(model.parameters(), 0.1)), got ${describeValue(optimizer)}`);
    }
    const o = checkOptions(NAME, options, OPTION_KEYS, HINTS);
    const groups = optimizer.paramGroups.length;
    const minLr: unknown = o.minLr === undefined ? 0 : o.minLr;
    let minLrs: unknown[];
    if (Array.isArray(minLr)) {
      if (minLr.length !== groups) throw new RangeError(`${NAME}: expected ${groups} minLr values (one per parameter group), got ${minLr.length}`);
      minLrs = minLr.slice();
    } else {
      const one = checkMinLr(NAME, 'minLr', minLr);
      minLrs = Array.from({ length: groups }, () => one);
    }
    // Only a missing option takes the default (null is refused, as Python refuses None).
    const or = <V>(v: V | undefined, fallback: V): V => (v === undefined ? fallback : v);
    this.#hyper = checkHyper(NAME, {
      mode: or(o.mode, 'min'), factor: or(o.factor, 0.1), patience: or(o.patience, 10), threshold: or(o.threshold, 1e-4),
      thresholdMode: or(o.thresholdMode, 'rel'), cooldown: or(o.cooldown, 0), minLrs, eps: or(o.eps, 1e-8),
    }, 'minLr');
    this.optimizer = optimizer;
    this.#best = this.#worst();
    this.#lastLrs = optimizer.paramGroups.map((g) => g.lr);
  }

  /** The options in effect (a copy): `minLrs` holds one rate per parameter group. */
  get hyper(): ReduceLROnPlateauHyper {
    return { ...this.#hyper, minLrs: this.#hyper.minLrs.slice() };
  }

  /** PyTorch's `last_epoch`: how many times `step()` ran (or the epoch the last `step(metric, epoch)` gave, plus the steps since). */
  get lastEpoch(): number {
    return this.#lastEpoch;
  }

  /** The best metric so far (+Infinity in 'min' mode, −Infinity in 'max' mode, before the first). */
  get best(): number {
    return this.#best;
  }

  /** PyTorch's `num_bad_epochs`: epochs in a row without an improvement (not counted during a cooldown). */
  get numBadEpochs(): number {
    return this.#numBadEpochs;
  }

  /** PyTorch's `cooldown_counter`: epochs of cooldown left. */
  get cooldownCounter(): number {
    return this.#cooldownCounter;
  }

  /** Each group's learning rate after the last `step()` (before the first, the rates the optimizer had). */
  getLastLr(): number[] {
    return this.#lastLrs.slice();
  }

  /**
   * Takes one epoch's metric (a number, or a one-element tensor such as a loss): records it if it improves on the
   * best, else counts a bad epoch, and reduces the rates after more than `patience` of them. `step(metric, epoch)`
   * sets `lastEpoch` to `epoch` (any finite number: 1.5 or −1 too), as PyTorch's deprecated form does, and warns as
   * it does (once per process); it changes nothing else.
   */
  step(metric: number | Tensor, epoch?: number): void {
    const current = metric instanceof Tensor ? metric.item() : metric;
    if (typeof current !== 'number') throw new TypeError(`${NAME}.step: the metric must be a number or a one-element tensor, got ${describeValue(metric)}`);
    // Any finite epoch, a fraction or below 0 too, as PyTorch's takes (it only sets last_epoch, from which step(metric) goes on).
    if (epoch !== undefined && (typeof epoch !== 'number' || !Number.isFinite(epoch))) {
      throw new TypeError(`${NAME}.step: epoch must be a finite number (or left out, to move to the next one), got ${describeValue(epoch)}`);
    }
    const groups = this.optimizer.paramGroups;
    const h = this.#hyper;
    // Any finite rate, negative too, as PyTorch's reads float(group['lr']) (a negative one is never reduced).
    const lrs = groups.map((g, i) => checkStepLr(g.lr, groups.length === 1 ? `${NAME}.step` : `${NAME}.step (parameter group ${i})`));
    if (epoch !== undefined) warnEpochDeprecated('ReduceLROnPlateau.step');
    this.#lastEpoch = epoch ?? this.#lastEpoch + 1;
    if (this.#isBetter(current)) {
      this.#best = current;
      this.#numBadEpochs = 0;
    } else {
      this.#numBadEpochs += 1;
    }
    if (this.#cooldownCounter > 0) {
      this.#cooldownCounter -= 1;
      this.#numBadEpochs = 0; // bad epochs during a cooldown are not counted
    }
    if (this.#numBadEpochs > h.patience) {
      // A group added to the optimizer since has no minimum rate here: PyTorch 1.13 fails at a reduction too
      // (IndexError on min_lrs), after reducing the groups before it; here before any.
      if (groups.length > h.minLrs.length) {
        throw new RangeError(`${NAME}.step: parameter group ${h.minLrs.length} was added to the optimizer after the scheduler was made, so it has no minimum rate here, and this step reduces the rates (PyTorch 1.13 fails too, with IndexError on min_lrs): make the scheduler after adding the group`);
      }
      lrs.forEach((old, i) => {
        const reduced = old * h.factor;
        const lr = h.minLrs[i]! > reduced ? h.minLrs[i]! : reduced; // Python's max(reduced, min_lr)
        if (old - lr > h.eps) groups[i]!.lr = lr;
      });
      this.#cooldownCounter = h.cooldown;
      this.#numBadEpochs = 0;
    }
    this.#lastLrs = groups.map((g) => g.lr);
  }

  /** PyTorch's `is_better`: plain comparisons (so NaN is never better). */
  #isBetter(a: number): boolean {
    const { mode, thresholdMode, threshold } = this.#hyper;
    const best = this.#best;
    if (mode === 'min') return thresholdMode === 'rel' ? a < best * (1 - threshold) : a < best - threshold;
    return thresholdMode === 'rel' ? a > best * (threshold + 1) : a > best + threshold;
  }

  #worst(): number {
    return this.#hyper.mode === 'min' ? Infinity : -Infinity;
  }

  /** Plain JSON: the counters, the best metric, the last rates and the hyper-parameters. */
  stateDict(): ReduceLROnPlateauStateDict {
    const b = this.#best;
    return {
      lastEpoch: this.#lastEpoch, best: Number.isFinite(b) ? b : b > 0 ? 'Infinity' : '-Infinity', numBadEpochs: this.#numBadEpochs,
      cooldownCounter: this.#cooldownCounter, lastLr: this.#lastLrs.slice(), hyper: this.hyper,
    };
  }

  /**
   * Restores what `stateDict()` saved, hyper-parameters included (as PyTorch's `load_state_dict`). The optimizer's
   * rates are left alone: load the optimizer's state dict too. Nothing changes unless all of it is valid.
   */
  loadStateDict(sd: ReduceLROnPlateauStateDict): void {
    const where = `${NAME}.loadStateDict`;
    if (!isPlainObject(sd)) throw new TypeError(`${where}: expected an object as stateDict() returns, got ${describeValue(sd)}`);
    checkOptions(where, sd, STATE_KEYS);
    for (const key of STATE_KEYS) if (!Object.hasOwn(sd, key)) throw new TypeError(`${where}: the state has no "${key}"`);
    const count = (key: 'numBadEpochs' | 'cooldownCounter'): number => {
      const v: unknown = sd[key];
      if (!Number.isSafeInteger(v) || (v as number) < 0) throw new RangeError(`${where}: ${key} must be an integer ≥ 0, got ${describeValue(v)}`);
      return v as number;
    };
    // Any finite number: step(metric, epoch) may leave a fraction or one below 0, as in PyTorch.
    const lastEpoch: unknown = sd.lastEpoch;
    if (typeof lastEpoch !== 'number' || !Number.isFinite(lastEpoch)) throw new TypeError(`${where}: lastEpoch must be a finite number, got ${describeValue(lastEpoch)}`);
    const numBadEpochs = count('numBadEpochs');
    const cooldownCounter = count('cooldownCounter');
    const rawBest: unknown = sd.best;
    const best = rawBest === 'Infinity' ? Infinity : rawBest === '-Infinity' ? -Infinity : rawBest;
    if (typeof best !== 'number' || Number.isNaN(best)) {
      throw new TypeError(`${where}: best must be a number, "Infinity" or "-Infinity", got ${describeValue(rawBest)}`);
    }
    if (!isPlainObject(sd.hyper)) throw new TypeError(`${where}: hyper must be an object, got ${describeValue(sd.hyper)}`);
    const hw = `${where} (saved hyper-parameters)`;
    checkOptions(hw, sd.hyper, HYPER_KEYS);
    for (const key of HYPER_KEYS) if (!Object.hasOwn(sd.hyper, key)) throw new TypeError(`${hw}: "${key}" is missing`);
    const groups = this.optimizer.paramGroups.length;
    const saved = sd.hyper as Record<string, unknown>;
    if (!Array.isArray(saved['minLrs']) || saved['minLrs'].length !== groups) {
      throw new TypeError(`${hw}: minLrs must be an array of ${groups} learning rates (one per parameter group), got ${describeValue(saved['minLrs'])}`);
    }
    const hyper = checkHyper(hw, saved, 'minLrs');
    const lastLr: unknown = sd.lastLr;
    if (!Array.isArray(lastLr) || lastLr.length !== groups) {
      throw new TypeError(`${where}: lastLr must be an array of ${groups} learning rates (one per parameter group), got ${describeValue(lastLr)}`);
    }
    const lastLrs = lastLr.map((lr: unknown) => checkStepLr(lr, `${where} (lastLr)`));
    this.#hyper = hyper;
    this.#lastEpoch = lastEpoch;
    this.#best = best;
    this.#numBadEpochs = numBadEpochs;
    this.#cooldownCounter = cooldownCounter;
    this.#lastLrs = lastLrs;
  }

  /** `ReduceLROnPlateau(mode=min, factor=0.1, …)`, PyTorch's argument names. */
  toString(): string {
    const h = this.#hyper;
    const minLr = h.minLrs.every((m) => m === h.minLrs[0]) ? String(h.minLrs[0]) : `[${h.minLrs.join(', ')}]`;
    return `${NAME}(mode=${h.mode}, factor=${h.factor}, patience=${h.patience}, threshold=${h.threshold}, threshold_mode=${h.thresholdMode}, cooldown=${h.cooldown}, min_lr=${minLr}, eps=${h.eps})`;
  }
}

/** Validates every hyper-parameter (`minLrs` already one per group; `minName` names it in messages). */
function checkHyper(where: string, h: Record<string, unknown>, minName: string): ReduceLROnPlateauHyper {
  const { mode, thresholdMode } = h;
  if (mode !== 'min' && mode !== 'max') throw new RangeError(`${where}: mode ${describeValue(mode)} is unknown! (it is 'min' or 'max')`);
  if (thresholdMode !== 'rel' && thresholdMode !== 'abs') throw new RangeError(`${where}: threshold mode ${describeValue(thresholdMode)} is unknown! (it is 'rel' or 'abs')`);
  const factor = number(where, 'factor', h['factor']);
  if (!(factor >= 0 && factor < 1)) throw new RangeError(`${where}: factor should be < 1.0 (and ≥ 0), got ${factor}`);
  const whole = (key: string): number => {
    const v = number(where, key, h[key]);
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${where}: ${key} must be a whole number of epochs ≥ 0, got ${v}`);
    return v;
  };
  const nonNegative = (key: string): number => {
    const v = number(where, key, h[key]);
    if (!(v >= 0) || !Number.isFinite(v)) throw new RangeError(`${where}: ${key} must be a finite number ≥ 0, got ${v}`);
    return v;
  };
  const minLrs = (h['minLrs'] as unknown[]).map((m, i) => checkMinLr(where, `${minName}[${i}]`, m));
  return {
    mode, factor, patience: whole('patience'), threshold: nonNegative('threshold'), thresholdMode,
    cooldown: whole('cooldown'), minLrs, eps: nonNegative('eps'),
  };
}

function checkMinLr(where: string, label: string, m: unknown): number {
  const v = number(where, label, m);
  if (!(v >= 0) || !Number.isFinite(v)) throw new RangeError(`${where}: ${label} must be a finite learning rate ≥ 0, got ${v}`);
  return v;
}

function number(where: string, key: string, v: unknown): number {
  if (typeof v !== 'number') throw new TypeError(`${where}: ${key} must be a number, got ${describeValue(v)}`);
  return v;
}

refusePythonNames(ReduceLROnPlateau.prototype, 'scheduler', [
  ['get_last_lr', 'getLastLr', 'method'], ['state_dict', 'stateDict', 'method'], ['load_state_dict', 'loadStateDict', 'method'],
  ['last_epoch', 'lastEpoch', 'property'], ['num_bad_epochs', 'numBadEpochs', 'property'],
  ['cooldown_counter', 'cooldownCounter', 'property'],
]);
