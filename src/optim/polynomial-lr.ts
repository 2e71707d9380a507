// PyTorch 1.13's PolynomialLR: see the class.
import { LRScheduler, refuseMoreArguments, savedHyper, type LrOptimizer } from './lr-scheduler.js';
import { pyPow as pow } from './pow-int.js';
import { checkFinite, checkIters, refuseZeroIters } from './scheduler-checks.js';

/**
 * Decays the learning rate to 0 at epoch `totalIters` as initial·(1 − e/totalIters)^power, then keeps it there
 * (PyTorch's `PolynomialLR`). `step()` uses PyTorch's chainable form (the rate times
 * ((1 − e/n)/(1 − (e − 1)/n))^power), `step(epoch)` the closed form. A whole `power` is raised as Python's `**`
 * rounds it (C's pow, correctly rounded); another power uses JavaScript's `**`, which may differ in the last bit.
 * With `totalIters` 0, as in PyTorch, `step()` keeps the rate and `step(epoch)` throws (PyTorch divides by zero).
 *
 * @example
 * const sched = new optim.lr_scheduler.PolynomialLR(opt, 100, 2);
 */
export class PolynomialLR extends LRScheduler {
  totalIters: number;
  power: number;

  constructor(optimizer: LrOptimizer, totalIters = 5, power = 1, ...more: never[]) {
    refuseMoreArguments('PolynomialLR', more, '(optimizer, totalIters, power)');
    super(optimizer, 'PolynomialLR');
    [this.totalIters, this.power] = check('PolynomialLR', totalIters, power);
    this.start();
  }

  protected chainedLr(lr: number, epoch: number): number {
    const n = this.totalIters;
    if (epoch === 0 || epoch > n) return lr;
    return lr * pow((1 - epoch / n) / (1 - (epoch - 1) / n), this.power);
  }

  /** Its rate comes from the group's own alone: a group added to the optimizer since is scheduled too, as in PyTorch. */
  protected override chainsAddedGroups(): boolean {
    return true;
  }

  protected closedFormLr(baseLr: number, epoch: number): number {
    refuseZeroIters('PolynomialLR', this.totalIters);
    return baseLr * pow(1 - Math.min(this.totalIters, epoch) / this.totalIters, this.power);
  }

  protected hyper(): Record<string, unknown> {
    return { totalIters: this.totalIters, power: this.power };
  }

  protected applyHyper(hyper: Record<string, unknown>, where: string): void {
    savedHyper(where, hyper, ['totalIters', 'power']);
    [this.totalIters, this.power] = check(where, hyper['totalIters'], hyper['power']);
  }
}

function check(where: string, totalIters: unknown, power: unknown): [number, number] {
  return [checkIters(where, 'totalIters', totalIters, 0), checkFinite(where, 'power', power)];
}
