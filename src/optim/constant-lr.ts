// PyTorch 1.13's ConstantLR: see the class.
import { LRScheduler, refuseMoreArguments, savedHyper, type LrOptimizer } from './lr-scheduler.js';
import { checkIters, checkUnitFactor } from './scheduler-checks.js';

/**
 * Multiplies the learning rate by `factor` (in [0, 1]) for the first `totalIters` epochs, then gives it back
 * (PyTorch's `ConstantLR`). `step()` uses PyTorch's chainable form (lr·factor at epoch 0, lr·(1/factor) at epoch
 * `totalIters`, so a rate changed from outside meanwhile carries on), `step(epoch)` the closed form
 * initial·(factor + (e ≥ totalIters)·(1 − factor)). With `factor` 0 the chainable form divides by zero at
 * `totalIters`, as PyTorch's does (there it raises ZeroDivisionError): the step throws.
 *
 * @example
 * const sched = new optim.lr_scheduler.ConstantLR(opt, 0.5, 4); // lr/2 for epochs 0–3, lr from epoch 4
 */
export class ConstantLR extends LRScheduler {
  factor: number;
  totalIters: number;

  constructor(optimizer: LrOptimizer, factor = 1 / 3, totalIters = 5, ...more: never[]) {
    refuseMoreArguments('ConstantLR', more, '(optimizer, factor, totalIters)');
    super(optimizer, 'ConstantLR');
    [this.factor, this.totalIters] = check('ConstantLR', factor, totalIters);
    this.start();
  }

  protected chainedLr(lr: number, epoch: number): number {
    if (epoch === 0) return lr * this.factor;
    if (epoch !== this.totalIters) return lr;
    return lr * (1 / this.factor);
  }

  /** Its rate comes from the group's own alone: a group added to the optimizer since is scheduled too, as in PyTorch. */
  protected override chainsAddedGroups(): boolean {
    return true;
  }

  protected closedFormLr(baseLr: number, epoch: number): number {
    return baseLr * (this.factor + (epoch >= this.totalIters ? 1 : 0) * (1 - this.factor));
  }

  protected hyper(): Record<string, unknown> {
    return { factor: this.factor, totalIters: this.totalIters };
  }

  protected applyHyper(hyper: Record<string, unknown>, where: string): void {
    savedHyper(where, hyper, ['factor', 'totalIters']);
    [this.factor, this.totalIters] = check(where, hyper['factor'], hyper['totalIters']);
  }
}

function check(where: string, factor: unknown, totalIters: unknown): [number, number] {
  return [
    checkUnitFactor(where, 'factor', factor, 'Constant multiplicative factor expected to be between 0 and 1.'),
    checkIters(where, 'totalIters', totalIters, 0),
  ];
}
