// PyTorch 1.13's LinearLR: see the class.
import { LRScheduler, refuseMoreArguments, savedHyper, type LrOptimizer } from './lr-scheduler.js';
import { checkIters, checkUnitFactor, refuseZeroIters } from './scheduler-checks.js';

/**
 * Multiplies the initial learning rate by a factor that goes linearly from `startFactor` (epoch 0) to `endFactor`
 * (epoch `totalIters` and after), PyTorch's `LinearLR`, the usual warm-up. Both factors are in [0, 1].
 *
 * `step()` uses PyTorch's chainable form (the current rate times 1 + (end − start)/(totalIters·start + (e − 1)·(end − start))),
 * `step(epoch)` the closed form initial·(start + (end − start)·min(totalIters, e)/totalIters), each in PyTorch's
 * order of float64 operations. With `startFactor` 0 the chainable form divides by zero at epoch 1, as PyTorch's
 * does (there it raises ZeroDivisionError): the step throws. With `totalIters` 0, as in PyTorch, `step()` keeps
 * the initial rate times `startFactor` and `step(epoch)` throws (PyTorch's closed form divides by zero).
 *
 * @example
 * const warmup = new optim.lr_scheduler.LinearLR(opt, 0.1, 1, 10); // from lr/10 up to lr over 10 epochs
 */
export class LinearLR extends LRScheduler {
  startFactor: number;
  endFactor: number;
  totalIters: number;

  constructor(optimizer: LrOptimizer, startFactor = 1 / 3, endFactor = 1, totalIters = 5, ...more: never[]) {
    refuseMoreArguments('LinearLR', more, '(optimizer, startFactor, endFactor, totalIters)');
    super(optimizer, 'LinearLR');
    [this.startFactor, this.endFactor, this.totalIters] = check('LinearLR', startFactor, endFactor, totalIters);
    this.start();
  }

  protected chainedLr(lr: number, epoch: number): number {
    const { startFactor: s, endFactor: e, totalIters: n } = this;
    if (epoch === 0) return lr * s;
    if (epoch > n) return lr;
    return lr * (1 + (e - s) / (n * s + (epoch - 1) * (e - s)));
  }

  /** Its rate comes from the group's own alone: a group added to the optimizer since is scheduled too, as in PyTorch. */
  protected override chainsAddedGroups(): boolean {
    return true;
  }

  protected closedFormLr(baseLr: number, epoch: number): number {
    refuseZeroIters('LinearLR', this.totalIters);
    const { startFactor: s, endFactor: e, totalIters: n } = this;
    return baseLr * (s + (e - s) * Math.min(n, epoch) / n);
  }

  protected hyper(): Record<string, unknown> {
    return { startFactor: this.startFactor, endFactor: this.endFactor, totalIters: this.totalIters };
  }

  protected applyHyper(hyper: Record<string, unknown>, where: string): void {
    savedHyper(where, hyper, ['startFactor', 'endFactor', 'totalIters']);
    [this.startFactor, this.endFactor, this.totalIters] = check(where, hyper['startFactor'], hyper['endFactor'], hyper['totalIters']);
  }
}

function check(where: string, startFactor: unknown, endFactor: unknown, totalIters: unknown): [number, number, number] {
  return [
    checkUnitFactor(where, 'startFactor', startFactor, 'Starting multiplicative factor expected to be between 0 and 1.'),
    checkUnitFactor(where, 'endFactor', endFactor, 'Ending multiplicative factor expected to be between 0 and 1.'),
    checkIters(where, 'totalIters', totalIters, 0),
  ];
}
