// PyTorch 1.13's MultiplicativeLR: see the class.
import { describeValue } from '../options.js';
import { LRScheduler, refuseMoreArguments, savedHyper, type LrOptimizer } from './lr-scheduler.js';

/**
 * Multiplies each group's current learning rate by `lrLambda(epoch)` on every step after the first (PyTorch's
 * `MultiplicativeLR`); with several groups, `lrLambda` may be a list of functions, one per group. As in PyTorch,
 * `step(epoch)` has no closed form: it multiplies the current rate by `lrLambda(epoch)` too (nothing at epoch 0).
 * The functions are not saved by `stateDict()`: a loaded scheduler keeps its own.
 *
 * @example
 * const sched = new optim.lr_scheduler.MultiplicativeLR(opt, () => 0.95);
 */
export class MultiplicativeLR extends LRScheduler {
  readonly lrLambdas: readonly ((epoch: number) => number)[];

  constructor(optimizer: LrOptimizer, lrLambda: ((epoch: number) => number) | readonly ((epoch: number) => number)[], ...more: never[]) {
    refuseMoreArguments('MultiplicativeLR', more, '(optimizer, lrLambda)');
    super(optimizer, 'MultiplicativeLR');
    const groups = optimizer.paramGroups.length;
    const example = 'such as (epoch) => 0.95';
    if (Array.isArray(lrLambda)) {
      if (lrLambda.length !== groups) throw new RangeError(`MultiplicativeLR: Expected ${groups} lr_lambdas, but got ${lrLambda.length} (one function per parameter group)`);
      lrLambda.forEach((f: unknown, i) => {
        if (typeof f !== 'function') throw new TypeError(`MultiplicativeLR: lrLambda[${i}] must be a function of the epoch, ${example}, got ${describeValue(f)}`);
      });
      this.lrLambdas = lrLambda.slice();
    } else {
      if (typeof lrLambda !== 'function') throw new TypeError(`MultiplicativeLR: lrLambda must be a function of the epoch, ${example}, got ${describeValue(lrLambda)}`);
      this.lrLambdas = Array.from({ length: groups }, () => lrLambda as (epoch: number) => number);
    }
    this.start();
  }

  protected chainedLr(lr: number, epoch: number, group: number): number {
    if (epoch === 0) return lr;
    const factor: unknown = this.lrLambdas[group]!(epoch);
    if (typeof factor !== 'number') {
      throw new TypeError(`MultiplicativeLR: lrLambda${this.lrLambdas.length > 1 ? `[${group}]` : ''}(${epoch}) must return a number, got ${describeValue(factor)}`);
    }
    return lr * factor;
  }

  protected closedFormLr(_baseLr: number, epoch: number, group: number): number {
    return this.chainedLr(this.optimizer.paramGroups[group]!.lr, epoch, group);
  }

  protected hyper(): Record<string, unknown> {
    return {};
  }

  protected applyHyper(hyper: Record<string, unknown>, where: string): void {
    savedHyper(where, hyper, []);
  }
}
