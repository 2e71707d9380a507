// OneCycleLR, LinearLR, ConstantLR, PolynomialLR, MultiplicativeLR, CosineAnnealingWarmRestarts, SequentialLR and
// ChainedScheduler against PyTorch 1.13 (fixtures/torch/sched-extra.json, written by
// fixtures/torch/make_sched_extra.py): every group's rate after the constructor and each step(), OneCycleLR's
// momentum (SGD) or β1 (Adam) too, and its error past totalSteps. Exact (===) except where a cosine is taken
// (JavaScript's Math.cos is not the C library's cosine): there within 1e-12, relative.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { optim, tensor } from '../../src/index.js';
import { loadFixture } from './golden-helpers.js';

const L = optim.lr_scheduler;
interface OneCycleCase { optimizer: 'sgd' | 'adam'; args: optim.lr_scheduler.OneCycleLROptions; lrs: number[][]; momenta: number[][]; error: string; initialLr: number[] }
interface SimpleCase { name: string; args: (number | string)[]; lrs: number[][] }
interface CompositeCase { name: string; desc: string; lrs: number[][]; lastEpoch: number | null }
const fx = loadFixture<{ onecycle: OneCycleCase[]; simple: SimpleCase[]; composite: CompositeCase[] }>('sched-extra.json');

function makeOpt(kind: 'sgd' | 'adam'): optim.Optimizer {
  const groups = [0.1, 0.03].map((lr) => ({ params: [tensor([0, 0], undefined, { requiresGrad: true })], lr }));
  return kind === 'adam' ? new optim.Adam(groups, { lr: 0.1 }) : new optim.SGD(groups, { lr: 0.1, momentum: 0.9 });
}

function momenta(opt: optim.Optimizer): number[] {
  return opt.paramGroups.map((g) => {
    const r = g as unknown as { betas?: readonly number[]; momentum?: number };
    return r.betas !== undefined ? r.betas[0]! : r.momentum!;
  });
}

function compare(got: number[][], want: number[][], exact: boolean, label: string): void {
  assert.equal(got.length, want.length, `${label}: steps`);
  got.forEach((row, e) => row.forEach((v, g) => {
    const w = want[e]![g]!;
    if (exact) assert.equal(v, w, `${label}: step ${e}, group ${g}: ${v}, PyTorch ${w}`);
    else assert.ok(Math.abs(v - w) <= 1e-12 * Math.abs(w), `${label}: step ${e}, group ${g}: ${v}, PyTorch ${w}`);
  }));
}

test('sched-extra.json covers the cases', () => {
  assert.equal(fx.onecycle.length, 5);
  assert.ok(fx.onecycle.some((c) => c.args.threePhase) && fx.onecycle.some((c) => c.optimizer === 'adam') && fx.onecycle.some((c) => c.args.cycleMomentum === false));
  for (const n of ['LinearLR', 'ConstantLR', 'PolynomialLR', 'MultiplicativeLR', 'CosineAnnealingWarmRestarts']) assert.ok(fx.simple.some((c) => c.name === n), n);
  assert.ok(fx.composite.some((c) => c.name === 'SequentialLR') && fx.composite.some((c) => c.name === 'ChainedScheduler'));
});

for (const c of fx.onecycle) {
  const label = `OneCycleLR(${c.optimizer}, ${JSON.stringify(c.args)})`;
  test(`golden: ${label}: rates, momenta, the error past totalSteps`, () => {
    const opt = makeOpt(c.optimizer);
    const sched = new L.OneCycleLR(opt, c.args);
    const lrs = [sched.getLastLr()];
    const moms = [momenta(opt)];
    // PyTorch's step at totalSteps anneals past the end: linearly, below 0 when the last rate is small. Kindling
    // refuses a negative rate there (and changes nothing); the steps before are compared.
    const negative = c.lrs.findIndex((row) => row.some((lr) => lr < 0));
    const steps = negative < 0 ? c.lrs.length : negative;
    for (let i = 1; i < steps; i++) {
      sched.step();
      lrs.push(sched.getLastLr());
      moms.push(momenta(opt));
      assert.deepEqual(opt.paramGroups.map((g) => g.lr), lrs.at(-1));
    }
    const exact = c.args.annealStrategy === 'linear';
    compare(lrs, c.lrs.slice(0, steps), exact, label);
    compare(moms, c.momenta.slice(0, steps), exact, `${label} momentum`);
    assert.deepEqual(sched.baseLrs, c.initialLr);
    const before = sched.stateDict();
    if (negative >= 0) {
      assert.equal(negative, c.lrs.length - 1);
      assert.throws(() => sched.step(), /would be -/);
      assert.deepEqual(sched.stateDict(), before);
      return;
    }
    assert.throws(() => sched.step(), (e: Error) => e instanceof RangeError && e.message.includes(c.error));
    assert.deepEqual(sched.stateDict(), before);
    // A state saved halfway resumes to the same rates.
    const opt2 = makeOpt(c.optimizer);
    const half = new L.OneCycleLR(opt2, c.args);
    const mid = Math.floor(c.lrs.length / 2);
    for (let i = 1; i <= mid; i++) half.step();
    const saved = JSON.parse(JSON.stringify({ opt: opt2.stateDict(), sched: half.stateDict() })) as { opt: optim.OptimizerStateDict; sched: optim.lr_scheduler.LRSchedulerStateDict };
    const opt3 = makeOpt(c.optimizer);
    const resumed = new L.OneCycleLR(opt3, { maxLr: 5, totalSteps: 1000, cycleMomentum: c.args.cycleMomentum ?? true });
    opt3.loadStateDict(saved.opt);
    resumed.loadStateDict(saved.sched);
    const rest = [resumed.getLastLr()];
    for (let i = mid + 1; i < c.lrs.length; i++) {
      resumed.step();
      rest.push(resumed.getLastLr());
    }
    compare(rest, c.lrs.slice(mid), exact, `${label} resumed`);
  });
}

function makeSimple(c: SimpleCase, opt: optim.Optimizer): optim.lr_scheduler.LRScheduler {
  const a = c.args as number[];
  switch (c.name) {
    case 'LinearLR': return c.args.length === 3 && a[0] === 1 / 3 && a[2] === 5 ? new L.LinearLR(opt) : new L.LinearLR(opt, a[0], a[1], a[2]);
    case 'ConstantLR': return new L.ConstantLR(opt, a[0], a[1]);
    case 'PolynomialLR': return new L.PolynomialLR(opt, a[0], a[1]);
    case 'MultiplicativeLR': return new L.MultiplicativeLR(opt, c.args[0] === '0.95' ? () => 0.95 : (e) => 1 - e / 100);
    case 'CosineAnnealingWarmRestarts': return new L.CosineAnnealingWarmRestarts(opt, a[0]!, a[1], a[2]);
    default: throw new Error(c.name);
  }
}

for (const c of fx.simple) {
  const label = `${c.name}(${c.args.join(', ')})`;
  const exact = c.name !== 'CosineAnnealingWarmRestarts';
  test(`golden: ${label}: step() gives PyTorch's rates${exact ? ' exactly' : ' (within 1e-12)'}`, () => {
    const opt = makeOpt('sgd');
    const sched = makeSimple(c, opt);
    const lrs = [sched.getLastLr()];
    for (let i = 1; i < c.lrs.length; i++) {
      sched.step();
      lrs.push(sched.getLastLr());
    }
    compare(lrs, c.lrs, exact, label);
    assert.equal(sched.lastEpoch, c.lrs.length - 1);
  });
}

function makeComposite(c: CompositeCase, o: optim.Optimizer): { step(): void; getLastLr(): number[]; lastEpoch?: number } {
  switch (c.desc) {
    case 'LinearLR(0.1,1,5) then ExponentialLR(0.9) at 5': return new L.SequentialLR(o, [new L.LinearLR(o, 0.1, 1, 5), new L.ExponentialLR(o, 0.9)], [5]);
    case 'ConstantLR(0.1,2) then ExponentialLR(0.9) at 2': return new L.SequentialLR(o, [new L.ConstantLR(o, 0.1, 2), new L.ExponentialLR(o, 0.9)], [2]);
    case 'LinearLR(0.25,1,4), StepLR(3,0.5), MultiStepLR([2,5],0.1) at 4, 15':
      return new L.SequentialLR(o, [new L.LinearLR(o, 0.25, 1, 4), new L.StepLR(o, 3, 0.5), new L.MultiStepLR(o, [2, 5], 0.1)], [4, 15]);
    case 'ConstantLR(0.1,2) and ExponentialLR(0.9)': return new L.ChainedScheduler([new L.ConstantLR(o, 0.1, 2), new L.ExponentialLR(o, 0.9)]);
    case 'LinearLR(0.2,1,6) and MultiStepLR([3,8],0.5)': return new L.ChainedScheduler([new L.LinearLR(o, 0.2, 1, 6), new L.MultiStepLR(o, [3, 8], 0.5)]);
    default: throw new Error(c.desc);
  }
}

for (const c of fx.composite) {
  test(`golden: ${c.name}: ${c.desc}: PyTorch's rates exactly, and a saved state resumes`, () => {
    const opt = makeOpt('sgd');
    const sched = makeComposite(c, opt);
    const lrs = [sched.getLastLr()];
    for (let i = 1; i < c.lrs.length; i++) {
      sched.step();
      lrs.push(sched.getLastLr());
    }
    compare(lrs, c.lrs, true, c.desc);
    if (c.lastEpoch !== null) assert.equal(sched.lastEpoch, c.lastEpoch);
    // Resume from step 10.
    const o1 = makeOpt('sgd');
    const s1 = makeComposite(c, o1) as optim.lr_scheduler.SequentialLR;
    for (let i = 1; i <= 10; i++) s1.step();
    const saved = JSON.parse(JSON.stringify({ opt: o1.stateDict(), sched: s1.stateDict() })) as { opt: optim.OptimizerStateDict; sched: optim.lr_scheduler.SequentialLRStateDict };
    const o2 = makeOpt('sgd');
    const s2 = makeComposite(c, o2) as optim.lr_scheduler.SequentialLR;
    o2.loadStateDict(saved.opt);
    s2.loadStateDict(saved.sched);
    const rest = [s2.getLastLr()];
    for (let i = 11; i < c.lrs.length; i++) {
      s2.step();
      rest.push(s2.getLastLr());
    }
    compare(rest, c.lrs.slice(10), true, `${c.desc} resumed`);
  });
}

test('the schedulers refuse bad options with PyTorch\'s messages', () => {
  const opt = makeOpt('sgd');
  const re = (m: string): RegExp => new RegExp(m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  assert.throws(() => new L.LinearLR(opt, 1.5), re('Starting multiplicative factor expected to be between 0 and 1.'));
  assert.throws(() => new L.LinearLR(opt, 0.5, -1), re('Ending multiplicative factor expected to be between 0 and 1.'));
  assert.throws(() => new L.ConstantLR(opt, 2), re('Constant multiplicative factor expected to be between 0 and 1.'));
  assert.throws(() => new L.OneCycleLR(opt, { maxLr: 1 }), re('You must define either total_steps OR (epochs AND steps_per_epoch)'));
  assert.throws(() => new L.OneCycleLR(opt, { maxLr: 1, totalSteps: 0 }), re('Expected positive integer total_steps, but got 0'));
  assert.throws(() => new L.OneCycleLR(opt, { maxLr: 1, epochs: 2, stepsPerEpoch: -1 }), re('Expected positive integer steps_per_epoch, but got -1'));
  assert.throws(() => new L.OneCycleLR(opt, { maxLr: 1, totalSteps: 10, pctStart: 1.5 }), re('Expected float between 0 and 1 pct_start, but got the number 1.5'));
  assert.throws(() => new L.OneCycleLR(opt, { maxLr: 1, totalSteps: 10, annealStrategy: 'exp' as 'cos' }), re("anneal_strategy must by one of 'cos' or 'linear'"));
  assert.throws(() => new L.OneCycleLR(opt, { maxLr: [1, 2, 3], totalSteps: 10 }), re('expected 2 values for max_lr, got 3'));
  const ada = new optim.Adagrad([tensor([1], undefined, { requiresGrad: true })], { lr: 0.1 });
  assert.throws(() => new L.OneCycleLR(ada, { maxLr: 1, totalSteps: 10 }), re('optimizer must support momentum with `cycle_momentum` option enabled'));
  assert.doesNotThrow(() => new L.OneCycleLR(ada, { maxLr: 1, totalSteps: 10, cycleMomentum: false }));
  assert.throws(() => new L.OneCycleLR(opt, { maxLr: 1, total_steps: 10 } as never), /unknown option "total_steps"/);
  assert.throws(() => new L.CosineAnnealingWarmRestarts(opt, 0), re('Expected positive integer T_0, but got the number 0'));
  assert.throws(() => new L.CosineAnnealingWarmRestarts(opt, 5, 0), re('Expected integer T_mult >= 1, but got the number 0'));
  assert.throws(() => new L.MultiplicativeLR(opt, [() => 1]), re('Expected 2 lr_lambdas, but got 1'));
  const other = makeOpt('sgd');
  assert.throws(() => new L.SequentialLR(opt, [new L.ExponentialLR(other, 0.9)], []), re('Sequential Schedulers expects all schedulers to belong to the same optimizer, but got schedulers at index 0 to be different than the optimizer passed in.'));
  assert.throws(() => new L.SequentialLR(opt, [new L.ExponentialLR(opt, 0.9)], [3]), re('expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers 1 and the number of milestones to be equal to 1'));
  assert.throws(() => new L.ChainedScheduler([new L.ExponentialLR(opt, 0.9), new L.ExponentialLR(other, 0.9)]), re('ChainedScheduler expects all schedulers to belong to the same optimizer, but got schedulers at index 0 and 1 to be different'));
  // A schedule that divides by zero (PyTorch's ZeroDivisionError) throws and leaves the rate alone.
  const z = makeOpt('sgd');
  const zero = new L.ConstantLR(z, 0, 2);
  zero.step();
  assert.throws(() => zero.step(), RangeError);
  assert.deepEqual(z.paramGroups.map((g) => g.lr), [0, 0]);
});

test('OneCycleLR sets initialLr and momentum as PyTorch does, and step(epoch) jumps', () => {
  const opt = makeOpt('sgd');
  const sched = new L.OneCycleLR(opt, { maxLr: 1, totalSteps: 40 });
  assert.deepEqual(sched.baseLrs, [0.04, 0.04]);
  const want = fx.onecycle.find((c) => c.args.maxLr === 1 && c.args.totalSteps === 40)!;
  sched.step(17);
  assert.ok(Math.abs(sched.getLastLr()[0]! - want.lrs[17]![0]!) <= 1e-12 * want.lrs[17]![0]!);
  sched.step(40);
  assert.equal(sched.lastEpoch, 40);
  assert.throws(() => sched.step(41), /Tried to step 42 times. The specified number of total steps is 40/);
  assert.equal(sched.lastEpoch, 40);
  const o2 = makeOpt('sgd');
  new L.OneCycleLR(o2, { maxLr: 1, totalSteps: 40, cycleMomentum: false });
  assert.deepEqual(momenta(o2), [0.9, 0.9]);
});
