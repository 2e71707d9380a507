// Schedulers stepped to a fractional epoch, step(2.5), against PyTorch 1.13 (fixtures/torch/sched-fraction.json,
// written by fixtures/torch/make_sched_fraction.py; this test only reads the file): PyTorch's closed forms compute
// with a float last_epoch, and the step() calls after it go on from there. The rates are PyTorch's exactly (ExponentialLR's
// gamma ** 2.5 too: see py-pow.test.ts), but the cosine schedules' (CosineAnnealingLR and OneCycleLR's 'cos':
// JavaScript's Math.cos, within 1e-12: see sched-more.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { optim, zeros } from '../../src/index.js';
import { loadFixture } from './golden-helpers.js';

interface Case {
  type: string;
  args: Record<string, unknown>;
  lr: number;
  ops: (number | null)[];
  lrs: number[];
  lastEpoch: number;
}

const fx = loadFixture<{ cases: Case[] }>('sched-fraction.json');
const S = optim.lr_scheduler;
const LAMBDAS: Record<string, (e: number) => number> = { inv: (e) => 1 / (e + 1), lin: (e) => 1 + 0.1 * e };
const camel = (k: string): string => k.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());

function make(c: Case, opt: optim.SGD): optim.lr_scheduler.LRScheduler {
  const a = c.args as Record<string, never>;
  switch (c.type) {
    case 'StepLR': return new S.StepLR(opt, a['step_size'], a['gamma']);
    case 'MultiStepLR': return new S.MultiStepLR(opt, a['milestones'], a['gamma']);
    case 'ExponentialLR': return new S.ExponentialLR(opt, a['gamma']);
    case 'ConstantLR': return new S.ConstantLR(opt, a['factor'], a['total_iters']);
    case 'LinearLR': return new S.LinearLR(opt, a['start_factor'], a['end_factor'], a['total_iters']);
    case 'PolynomialLR': return new S.PolynomialLR(opt, a['total_iters'], a['power']);
    case 'CosineAnnealingLR': return new S.CosineAnnealingLR(opt, a['T_max'], a['eta_min']);
    case 'LambdaLR': return new S.LambdaLR(opt, LAMBDAS[a['lr_lambda']]!);
    case 'MultiplicativeLR': return new S.MultiplicativeLR(opt, LAMBDAS[a['lr_lambda']]!);
    case 'OneCycleLR': return new S.OneCycleLR(opt, Object.fromEntries(Object.entries(a).map(([k, v]) => [camel(k), v])) as never);
    case 'CyclicLR': return new S.CyclicLR(opt, Object.fromEntries(Object.entries(a).map(([k, v]) => [camel(k), v])) as never);
  }
  throw new Error(`unknown scheduler ${c.type}`);
}

test('step(epoch) with a fractional epoch follows PyTorch, and step() goes on from it', () => {
  assert.equal(fx.cases.length, 330);
  let fractional = 0;
  for (const [n, c] of fx.cases.entries()) {
    const opt = new optim.SGD([zeros([2], { requiresGrad: true })], c.lr);
    const sched = make(c, opt);
    const loose = c.type === 'CosineAnnealingLR' || c.args['anneal_strategy'] === 'cos';
    c.ops.forEach((e, k) => {
      if (e !== null && !Number.isInteger(e)) fractional++;
      opt.step();
      if (e === null) sched.step();
      else sched.step(e);
      const got = opt.paramGroups[0]!.lr;
      const want = c.lrs[k]!;
      const where = `case ${n} (${c.type} ${JSON.stringify(c.args)}), op ${k} (${e ?? 'step()'})`;
      if (loose) assert.ok(Math.abs(got - want) <= 1e-12 * Math.abs(want), `${where}: ${got} vs PyTorch's ${want}`);
      else assert.equal(got, want, where);
    });
    assert.equal(sched.lastEpoch, c.lastEpoch, `case ${n}: lastEpoch`);
    // The state, fractional epoch and all, loads into a new scheduler.
    const again = make(c, new optim.SGD([zeros([2], { requiresGrad: true })], c.lr));
    again.loadStateDict(JSON.parse(JSON.stringify(sched.stateDict())));
    assert.equal(again.lastEpoch, c.lastEpoch);
  }
  assert.ok(fractional > 300, `${fractional} fractional epochs`);
});
