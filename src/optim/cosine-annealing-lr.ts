// PyTorch 1.13's CosineAnnealingLR: see the class.
import { describeValue } from '../options.js';
import { checkPeriod } from './scheduler-checks.js';
import { LRScheduler, refuseMoreArguments, savedHyper, type LrOptimizer } from './lr-scheduler.js';

/**
 * Anneals the learning rate from the initial one down to `etaMin` along half a cosine over `tMax` epochs, then back
 * up over the next `tMax`, and so on (PyTorch's `CosineAnnealingLR`, SGDR without the restarts):
 * lr(e) = etaMin + (initial − etaMin)·(1 + cos(π·e/tMax))/2.
 *
 * `step()` uses PyTorch's recursive (chainable) form, which follows a rate changed from outside: the rate is
 * multiplied by (1 + cos(π·e/tMax))/(1 + cos(π·(e−1)/tMax)) about `etaMin`, and at e = (2k+1)·tMax + 1, where that
 * ratio would divide by zero, (initial − etaMin)·(1 − cos(π/tMax))/2 is added instead. `step(epoch)` uses the closed
 * form above, in PyTorch's order of float64 operations (the two forms round differently, as in PyTorch). The cosines
 * are JavaScript's `Math.cos`, which differs from the C library's cosine that Python calls in the last bit for a few
 * per cent of arguments, so a rate may differ from PyTorch's in its last bits (at most 1e-12 of it in the tests).
 * `tMax` may be a fraction (2.5), as PyTorch's float T_max: the branch above is then never taken, as in PyTorch.
 * PyTorch's `last_epoch` argument (resuming without a state dict) is not offered: load a state dict instead.
 *
 * @example
 * const sched = new optim.lr_scheduler.CosineAnnealingLR(opt, 50, 1e-4); // from opt's rate down to 1e-4 at epoch 50
 * for (let epoch = 0; epoch < 50; epoch++) { trainOneEpoch(); sched.step(); }
 */
export class CosineAnnealingLR extends LRScheduler {
  /** Half the period: the number of epochs from the initial rate down to `etaMin`. */
  tMax: number;
  /** The lowest rate, reached at epochs tMax, 3·tMax, … */
  etaMin: number;

  constructor(optimizer: LrOptimizer, tMax: number, etaMin = 0, ...more: never[]) {
    refuseMoreArguments('CosineAnnealingLR', more, '(optimizer, tMax, etaMin)');
    super(optimizer, 'CosineAnnealingLR');
    this.tMax = checkTMax('CosineAnnealingLR', tMax);
    this.etaMin = checkEtaMin('CosineAnnealingLR', etaMin);
    this.start();
  }

  protected chainedLr(lr: number, epoch: number, group: number): number {
    const { tMax, etaMin } = this;
    if (epoch === 0) return lr;
    if ((epoch - 1 - tMax) % (2 * tMax) === 0) {
      return lr + (this.baseLrs[group]! - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
    }
    return (1 + Math.cos(Math.PI * epoch / tMax)) / (1 + Math.cos(Math.PI * (epoch - 1) / tMax)) * (lr - etaMin) + etaMin;
  }

  /**
   * An added group (addParamGroup) is annealed from its own rate, as in PyTorch, except at the step after each
   * minimum, which PyTorch computes from base_lrs, zipped with the groups: there it keeps its rate.
   */
  protected override chainsAddedGroups(epoch: number): boolean {
    return epoch === 0 || (epoch - 1 - this.tMax) % (2 * this.tMax) !== 0;
  }

  protected closedFormLr(baseLr: number, epoch: number): number {
    return this.etaMin + (baseLr - this.etaMin) * (1 + Math.cos(Math.PI * epoch / this.tMax)) / 2;
  }

  protected hyper(): Record<string, unknown> {
    return { tMax: this.tMax, etaMin: this.etaMin };
  }

  protected applyHyper(hyper: Record<string, unknown>, where: string): void {
    savedHyper(where, hyper, ['tMax', 'etaMin']);
    const tMax = checkTMax(where, hyper['tMax']);
    this.etaMin = checkEtaMin(where, hyper['etaMin']);
    this.tMax = tMax;
  }
}

function checkTMax(where: string, tMax: unknown): number {
  return checkPeriod(where, 'tMax', tMax, 'new CosineAnnealingLR(opt, 50, 1e-4)');
}

function checkEtaMin(where: string, etaMin: unknown): number {
  if (typeof etaMin !== 'number') throw new TypeError(`${where}: etaMin must be a number, got ${describeValue(etaMin)}`);
  if (!(etaMin >= 0) || !Number.isFinite(etaMin)) throw new RangeError(`${where}: etaMin must be a finite learning rate ≥ 0, got ${etaMin}`);
  return etaMin;
}
