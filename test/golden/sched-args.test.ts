// Scheduler arguments PyTorch 1.13 takes beyond the usual whole numbers (fixtures/torch/sched-args.json, written by
// fixtures/torch/make_sched_args.py): a fractional tMax (CosineAnnealingLR) or stepSize (StepLR), and totalIters 0
// (PolynomialLR, LinearLR). Every group's rate after 130 step() calls, after step(epoch) for epochs 0..129, and after
// a mix of both, as PyTorch's; a state dict saved at the end resumes the same schedule. StepLR's, PolynomialLR's and
// LinearLR's rates are PyTorch's exactly; CosineAnnealingLR's within 1e-12 (Math.cos is not the C library's cosine).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { optim, tensor } from '../../src/index.js';
import { loadFixture } from './golden-helpers.js';

type Rates = number[] | 'ZeroDivisionError';

interface ArgsCase {
  name: 'CosineAnnealingLR' | 'StepLR' | 'PolynomialLR' | 'LinearLR';
  args: number[];
  lrs: number[];
  chained: number[][];
  closed: Rates[];
  ops: (number | null)[];
  mixed: ({ lastEpoch: number; lrs: number[] } | 'ZeroDivisionError')[];
}

const fx = loadFixture<{ cases: ArgsCase[] }>('sched-args.json');
const L = optim.lr_scheduler;

function sgd(lrs: number[]): optim.SGD {
  return new optim.SGD(lrs.map((lr) => ({ params: [tensor([0, 0], undefined, { requiresGrad: true })], lr })), lrs[0]);
}

function make(c: ArgsCase): optim.lr_scheduler.LRScheduler {
  const opt = sgd(c.lrs);
  const [a, b, d] = c.args as [number, number?, number?];
  switch (c.name) {
    case 'CosineAnnealingLR': return new L.CosineAnnealingLR(opt, a, b);
    case 'StepLR': return new L.StepLR(opt, a, b);
    case 'PolynomialLR': return new L.PolynomialLR(opt, a, b);
    case 'LinearLR': return new L.LinearLR(opt, a, b, d);
  }
}

/** Rates as PyTorch's: exactly, or within 1e-12 (relative) for the cosine. */
function assertRates(got: number[], want: number[], exact: boolean, label: string): void {
  assert.equal(got.length, want.length, `${label}: groups`);
  got.forEach((lr, g) => {
    const w = want[g]!;
    if (exact) assert.equal(lr, w, `${label}, group ${g}`);
    else assert.ok(Math.abs(lr - w) <= 1e-12 * Math.abs(w), `${label}, group ${g}: ${lr}, PyTorch ${w}`);
  });
}

test('sched-args.json covers fractional periods and totalIters 0, 130 steps each', () => {
  for (const n of ['CosineAnnealingLR', 'StepLR', 'PolynomialLR', 'LinearLR']) assert.ok(fx.cases.some((c) => c.name === n), n);
  assert.ok(fx.cases.every((c) => c.chained.length === 131 && c.closed.length === 130));
  assert.ok(fx.cases.some((c) => c.closed.includes('ZeroDivisionError')));
});

for (const c of fx.cases) {
  const label = `${c.name}(opt, ${c.args.join(', ')}) on ${c.lrs.length} group(s)`;
  const exact = c.name !== 'CosineAnnealingLR';

  test(`golden: ${label}: step(), step(epoch) and a mix give PyTorch 1.13's rates`, () => {
    const sched = make(c);
    assertRates(sched.getLastLr(), c.chained[0]!, exact, 'constructor');
    for (let e = 1; e < c.chained.length; e++) {
      sched.optimizer.step();
      sched.step();
      assertRates(sched.getLastLr(), c.chained[e]!, exact, `step() ${e}`);
    }
    // A state dict saved now resumes the same schedule in a new scheduler.
    const again = make(c);
    again.loadStateDict(JSON.parse(JSON.stringify(sched.stateDict())) as never);
    assert.deepEqual(again.stateDict(), sched.stateDict());
    const fresh = make(c);
    c.closed.forEach((want, e) => {
      if (want === 'ZeroDivisionError') {
        assert.throws(() => fresh.step(e), (err: Error) => err instanceof RangeError && /step\(epoch\): with totalIters 0 the closed form divides by zero/.test(err.message));
      } else {
        fresh.step(e);
        assertRates(fresh.getLastLr(), want, exact, `step(${e})`);
      }
    });
    const mixed = make(c);
    c.mixed.forEach((want, i) => {
      const op = c.ops[i]!;
      const run = (): void => (op === null ? mixed.step() : mixed.step(op));
      if (want === 'ZeroDivisionError') {
        assert.throws(run, RangeError);
        return;
      }
      run();
      assert.equal(mixed.stateDict().lastEpoch, want.lastEpoch);
      assertRates(mixed.getLastLr(), want.lrs, exact, `op ${i}`);
    });
  });
}

test('scheduler periods: nonsense is still refused, naming the argument', () => {
  const opt = sgd([0.1]);
  assert.throws(() => new L.CosineAnnealingLR(opt, 0), /CosineAnnealingLR: tMax must be a finite number of epochs > 0, got 0/);
  assert.throws(() => new L.CosineAnnealingLR(opt, NaN), /tMax must be a finite number of epochs > 0, got NaN/);
  assert.throws(() => new L.StepLR(opt, -2.5), /StepLR: stepSize must be a finite number of epochs > 0, got -2.5/);
  assert.throws(() => new L.StepLR(opt, Infinity), /stepSize must be a finite number of epochs > 0, got Infinity/);
  assert.throws(() => new L.PolynomialLR(opt, -1), /PolynomialLR: totalIters must be a whole number ≥ 0, got -1/);
  assert.throws(() => new L.LinearLR(opt, 0.5, 1, 1.5), /LinearLR: totalIters must be a whole number ≥ 0, got 1.5/);
});
