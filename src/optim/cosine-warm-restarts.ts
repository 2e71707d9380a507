// PyTorch 1.13's CosineAnnealingWarmRestarts: see the class.
import { describeValue } from '../options.js';
import { LRScheduler, refuseMoreArguments, savedHyper, type LrOptimizer } from './lr-scheduler.js';
import { checkIters } from './scheduler-checks.js';

/**
 * SGDR (PyTorch's `CosineAnnealingWarmRestarts`): the rate follows etaMin + (initial − etaMin)·(1 + cos(π·tCur/tI))/2,
 * where tCur counts the epochs since the last restart and tI, the length of the current period, starts at `t0`
 * and is multiplied by `tMult` at each restart. `step()` moves one epoch; `step(epoch)` jumps to `epoch`, which
 * may be fractional (`epoch + i / batches`, stepping per batch), as in PyTorch; `lastEpoch` is then its floor.
 * The cosine is JavaScript's `Math.cos`, which may differ from the C library's in the last bit.
 *
 * @example
 * const sched = new optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, 10, 2); // periods of 10, 20, 40, … epochs
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  t0: number;
  tMult: number;
  etaMin: number;
  /** PyTorch's `T_i`: the length of the current period. */
  tI: number;
  /** PyTorch's `T_cur`: epochs since the last restart (fractional after a fractional `step(epoch)`). */
  tCur: number;

  constructor(optimizer: LrOptimizer, t0: number, tMult = 1, etaMin = 0, ...more: never[]) {
    refuseMoreArguments('CosineAnnealingWarmRestarts', more, '(optimizer, t0, tMult, etaMin)');
    super(optimizer, 'CosineAnnealingWarmRestarts');
    [this.t0, this.tMult, this.etaMin] = check('CosineAnnealingWarmRestarts', t0, tMult, etaMin);
    this.tI = this.t0;
    this.tCur = -1;
    this.start();
  }

  override step(epoch?: number): void {
    const where = 'CosineAnnealingWarmRestarts.step';
    let tCur = this.tCur;
    let tI = this.tI;
    if (epoch === undefined && this.lastEpoch < 0) epoch = 0;
    if (epoch === undefined) {
      tCur += 1;
      if (tCur >= tI) {
        tCur -= tI;
        tI *= this.tMult;
      }
    } else {
      if (typeof epoch !== 'number' || !Number.isFinite(epoch)) throw new TypeError(`${where}: epoch must be a finite number, got ${describeValue(epoch)}`);
      if (epoch < 0) throw new RangeError(`${where}: Expected non-negative epoch, but got ${epoch}`);
      if (epoch >= this.t0) {
        if (this.tMult === 1) {
          tCur = epoch % this.t0;
        } else {
          const n = Math.trunc(Math.log(epoch / this.t0 * (this.tMult - 1) + 1) / Math.log(this.tMult));
          tCur = epoch - this.t0 * (this.tMult ** n - 1) / (this.tMult - 1);
          tI = this.t0 * this.tMult ** n;
        }
      } else {
        tI = this.t0;
        tCur = epoch;
      }
    }
    const [oldCur, oldI] = [this.tCur, this.tI];
    [this.tCur, this.tI] = [tCur, tI];
    try {
      if (epoch === undefined) super.step();
      else super.step(Math.floor(epoch));
    } catch (e) {
      [this.tCur, this.tI] = [oldCur, oldI];
      throw e;
    }
  }

  /** PyTorch's own step of this scheduler takes an epoch (a fraction within a period) without the deprecation warning. */
  protected override warnsOnEpoch(): boolean {
    return false;
  }

  protected chainedLr(_lr: number, _epoch: number, group: number): number {
    return this.#lr(this.baseLrs[group]!);
  }

  protected closedFormLr(baseLr: number): number {
    return this.#lr(baseLr);
  }

  #lr(baseLr: number): number {
    return this.etaMin + (baseLr - this.etaMin) * (1 + Math.cos(Math.PI * this.tCur / this.tI)) / 2;
  }

  protected hyper(): Record<string, unknown> {
    return { t0: this.t0, tMult: this.tMult, etaMin: this.etaMin, tI: this.tI, tCur: this.tCur };
  }

  protected applyHyper(hyper: Record<string, unknown>, where: string): void {
    savedHyper(where, hyper, ['t0', 'tMult', 'etaMin', 'tI', 'tCur']);
    const [t0, tMult, etaMin] = check(where, hyper['t0'], hyper['tMult'], hyper['etaMin']);
    const tI = checkIters(where, 'tI', hyper['tI'], 1);
    const tCur = hyper['tCur'];
    if (typeof tCur !== 'number' || !Number.isFinite(tCur) || tCur < -1) throw new RangeError(`${where}: tCur must be a finite number ≥ -1, got ${describeValue(tCur)}`);
    Object.assign(this, { t0, tMult, etaMin, tI, tCur });
  }
}

function check(where: string, t0: unknown, tMult: unknown, etaMin: unknown): [number, number, number] {
  if (typeof t0 !== 'number' || !Number.isInteger(t0) || t0 <= 0) throw new RangeError(`${where}: Expected positive integer T_0, but got ${describeValue(t0)}`);
  if (typeof tMult !== 'number' || !Number.isInteger(tMult) || tMult < 1) throw new RangeError(`${where}: Expected integer T_mult >= 1, but got ${describeValue(tMult)}`);
  if (typeof etaMin !== 'number' || !(etaMin >= 0) || !Number.isFinite(etaMin)) throw new RangeError(`${where}: etaMin must be a finite learning rate ≥ 0, got ${describeValue(etaMin)}`);
  return [t0, tMult, etaMin];
}
