// OneCycleLR, CyclicLR, LinearLR, ConstantLR, PolynomialLR, MultiplicativeLR, CosineAnnealingWarmRestarts, SequentialLR and
// ChainedScheduler against PyTorch 1.13 (fixtures/torch/sched-extra.json, written by
// fixtures/torch/make_sched_extra.py): every group's rate after the constructor and each step(), OneCycleLR's
// momentum (SGD) or β1 (Adam) too, and its error past totalSteps; CyclicLR's momenta and step(epoch) too; step(epoch) of
// LinearLR, ConstantLR, PolynomialLR and CosineAnnealingWarmRestarts (fractional epochs). Exact (===) except where a cosine is taken
// (JavaScript's Math.cos is not the C library's cosine): there within 1e-12, relative.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { optim, tensor } from '../../src/index.js';
import { loadFixture } from './golden-helpers.js';

const L = optim.lr_scheduler;
interface OneCycleCase { optimizer: 'sgd' | 'adam'; args: optim.lr_scheduler.OneCycleLROptions; lrs: number[][]; momenta: number[][]; error: string; initialLr: number[] }
interface SimpleCase { name: string; args: (number | string)[]; lrs: number[][] }
interface CompositeCase { name: string; desc: string; lrs: number[][]; lastEpoch: number | null }
interface CyclicCase { args: optim.lr_scheduler.CyclicLROptions; lrs: number[][]; momenta: number[][]; epochs: number[]; closed: { lrs: number[]; momenta: number[]; lastEpoch: number }[]; baseLrs: number[] }
interface EpochCase { name: string; args: number[]; ops: (number | null)[]; steps: { lrs: number[]; lastEpoch: number }[] }
const fx = loadFixture<{
  onecycle: OneCycleCase[]; simple: SimpleCase[]; composite: CompositeCase[]; cyclic: CyclicCase[];
  cyclicErrors: { adam: string; mode: string; groups: string }; epochs: EpochCase[];
}>('sched-extra.json');

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

/** `exact`, or within 1e-12 of PyTorch's rate; `absolute`: within that many of it (rates near 0 left by a cosine). */
function compare(got: number[][], want: number[][], exact: boolean, label: string, absolute?: number): void {
  assert.equal(got.length, want.length, `${label}: steps`);
  got.forEach((row, e) => row.forEach((v, g) => {
    const w = want[e]![g]!;
    if (exact) assert.equal(v, w, `${label}: step ${e}, group ${g}: ${v}, PyTorch ${w}`);
    else assert.ok(Math.abs(v - w) <= (absolute ?? 1e-12 * Math.abs(w)), `${label}: step ${e}, group ${g}: ${v}, PyTorch ${w}`);
  }));
}

test('sched-extra.json covers the cases', () => {
  assert.equal(fx.onecycle.length, 5);
  assert.ok(fx.onecycle.some((c) => c.lrs.at(-1)!.some((lr) => lr < 0)), 'a case whose last rate is below 0');
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
    // PyTorch's step at totalSteps anneals past the end: linearly, below 0 when the last rate is small. PyTorch sets
    // that rate (and its optimizers step with it): so does Kindling.
    const negative = c.lrs.findIndex((row) => row.some((lr) => lr < 0));
    if (negative >= 0) assert.equal(negative, c.lrs.length - 1, 'below 0 only at the last allowed step');
    for (let i = 1; i < c.lrs.length; i++) {
      sched.step();
      lrs.push(sched.getLastLr());
      moms.push(momenta(opt));
      assert.deepEqual(opt.paramGroups.map((g) => g.lr), lrs.at(-1));
    }
    const exact = c.args.annealStrategy === 'linear';
    compare(lrs, c.lrs, exact, label);
    compare(moms, c.momenta, exact, `${label} momentum`);
    assert.deepEqual(sched.baseLrs, c.initialLr);
    const before = sched.stateDict();
    if (negative >= 0) {
      // The optimizer steps with the negative rate, as PyTorch's.
      opt.paramGroups.forEach((g) => { for (const p of g.params) p.grad = tensor([1, 1]); });
      opt.step();
      if (c.optimizer === 'sgd') {
        // The first step with momentum: p = 0 − lr·1, moving up (PyTorch's param.add_(buf, alpha=-lr) in float32).
        opt.paramGroups.forEach((g, i) => assert.deepEqual([...g.params[0]!.toArray()], [Math.fround(-c.lrs.at(-1)![i]!), Math.fround(-c.lrs.at(-1)![i]!)]));
      }
      // The states with the negative rate save and load, the optimizer's too (PyTorch's load_state_dict takes it).
      const optAgain = makeOpt(c.optimizer);
      optAgain.loadStateDict(JSON.parse(JSON.stringify(opt.stateDict())) as optim.OptimizerStateDict);
      assert.deepEqual(optAgain.paramGroups.map((g) => g.lr), c.lrs.at(-1));
      const again = new L.OneCycleLR(makeOpt(c.optimizer), c.args);
      again.loadStateDict(JSON.parse(JSON.stringify(before)) as optim.lr_scheduler.LRSchedulerStateDict);
      assert.deepEqual(again.getLastLr(), c.lrs.at(-1));
    }
    assert.throws(() => sched.step(), (e: Error) => e instanceof RangeError && e.message.includes(c.error));
    assert.deepEqual(sched.stateDict(), before);
    if (negative >= 0) return;
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
    case 'CosineAnnealingLR(2.5,0.001) and PolynomialLR(1,2)': return new L.ChainedScheduler([new L.CosineAnnealingLR(o, 2.5, 0.001), new L.PolynomialLR(o, 1, 2)]);
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
    // A cosine's rates may differ from PyTorch's in their last bits (JavaScript's Math.cos), here near 0 too.
    const cosine = c.desc.includes('Cosine');
    const tol = cosine ? 1e-15 : undefined;
    compare(lrs, c.lrs, !cosine, c.desc, tol);
    // PyTorch sets those rates below 0 (the resumed run below starts from one): so does Kindling.
    if (cosine) assert.ok(c.lrs.some((row) => row.some((lr) => lr < 0)), `${c.desc}: a rate below 0`);
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
    compare(rest, c.lrs.slice(10), !cosine, `${c.desc} resumed`, tol);
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
  // step(epoch) is refused, as PyTorch 1.13's (step() takes 1 positional argument but 2 were given), and nothing moves.
  const seq = new L.SequentialLR(opt, [new L.ConstantLR(opt, 0.5, 2), new L.ExponentialLR(opt, 0.9)], [2]);
  const seqLr = seq.getLastLr();
  assert.throws(() => (seq.step as (epoch: number) => void)(3), /^TypeError: SequentialLR\.step: takes no arguments \(step\(\) moves to the next epoch; PyTorch 1\.13's SequentialLR\.step takes no epoch either\), got the number 3 as argument 1$/);
  assert.deepEqual([seq.lastEpoch, seq.getLastLr()], [0, seqLr]);
  const chained = new L.ChainedScheduler([new L.ConstantLR(opt, 0.5, 2), new L.ExponentialLR(opt, 0.9)]);
  const lrs = opt.paramGroups.map((g) => g.lr);
  assert.throws(() => (chained.step as (epoch: number) => void)(3), /^TypeError: ChainedScheduler\.step: takes no arguments .*got the number 3 as argument 1$/);
  assert.deepEqual(opt.paramGroups.map((g) => g.lr), lrs);
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

test('sched-extra.json covers CyclicLR and step(epoch)', () => {
  assert.equal(fx.cyclic.length, 5);
  for (const m of ['triangular2', 'exp_range']) assert.ok(fx.cyclic.some((c) => c.args.mode === m), m);
  assert.ok(fx.cyclic.some((c) => c.args.cycleMomentum === false) && fx.cyclic.some((c) => c.args.stepSizeDown === 0));
  for (const n of ['LinearLR', 'ConstantLR', 'PolynomialLR', 'CosineAnnealingWarmRestarts']) assert.ok(fx.epochs.some((c) => c.name === n), n);
  assert.ok(fx.epochs.some((c) => c.ops.some((e) => e !== null && !Number.isInteger(e))), 'fractional epochs');
});

for (const c of fx.cyclic) {
  const label = `CyclicLR(${JSON.stringify(c.args)})`;
  test(`golden: ${label}: rates and momenta per step and at step(epoch) exactly, a saved state resumes`, () => {
    const opt = makeOpt('sgd');
    const sched = new L.CyclicLR(opt, c.args);
    const lrs = [sched.getLastLr()];
    const moms = [momenta(opt)];
    for (let i = 1; i < c.lrs.length; i++) {
      sched.step();
      lrs.push(sched.getLastLr());
      moms.push(momenta(opt));
      assert.deepEqual(opt.paramGroups.map((g) => g.lr), lrs.at(-1));
    }
    compare(lrs, c.lrs, true, label);
    compare(moms, c.momenta, true, `${label} momentum`);
    assert.deepEqual(sched.cycleBaseLrs, c.baseLrs);
    assert.equal(sched.lastEpoch, c.lrs.length - 1);
    const opt2 = makeOpt('sgd');
    const jumps = new L.CyclicLR(opt2, c.args);
    c.epochs.forEach((e, i) => {
      jumps.step(e);
      const want = c.closed[i]!;
      compare([jumps.getLastLr()], [want.lrs], true, `${label} step(${e})`);
      compare([momenta(opt2)], [want.momenta], true, `${label} step(${e}) momentum`);
      assert.equal(jumps.lastEpoch, want.lastEpoch);
    });
    // Saved at step 9 and loaded into a scheduler made with other arguments: the same rates and momenta follow.
    const o1 = makeOpt('sgd');
    const s1 = new L.CyclicLR(o1, c.args);
    for (let i = 1; i <= 9; i++) s1.step();
    const saved = JSON.parse(JSON.stringify({ opt: o1.stateDict(), sched: s1.stateDict() })) as { opt: optim.OptimizerStateDict; sched: optim.lr_scheduler.LRSchedulerStateDict };
    const o2 = makeOpt('sgd');
    const s2 = new L.CyclicLR(o2, { baseLr: 0.5, maxLr: 0.9, stepSizeUp: 100, cycleMomentum: c.args.cycleMomentum ?? true });
    o2.loadStateDict(saved.opt);
    s2.loadStateDict(saved.sched);
    assert.deepEqual(s2.stateDict(), saved.sched);
    const rest = [s2.getLastLr()];
    const restMoms = [momenta(o2)];
    for (let i = 10; i < c.lrs.length; i++) {
      s2.step();
      rest.push(s2.getLastLr());
      restMoms.push(momenta(o2));
    }
    compare(rest, c.lrs.slice(9), true, `${label} resumed`);
    compare(restMoms, c.momenta.slice(9), true, `${label} resumed momentum`);
  });
}

test("CyclicLR: PyTorch's refusals, and nothing changes on one", () => {
  const adam = makeOpt('adam');
  assert.throws(() => new L.CyclicLR(adam, { baseLr: 0.01, maxLr: 0.1 }), (e: Error) => e instanceof RangeError && e.message.includes(fx.cyclicErrors.adam));
  assert.deepEqual(adam.paramGroups.map((g) => g.lr), [0.1, 0.03]);
  // Without momentum cycling, Adam is taken.
  assert.deepEqual(new L.CyclicLR(adam, { baseLr: 0.01, maxLr: 0.1, cycleMomentum: false }).getLastLr(), [0.01, 0.01]);
  const sgd = makeOpt('sgd');
  assert.throws(() => new L.CyclicLR(sgd, { baseLr: 0.01, maxLr: 0.1, mode: 'square' as 'triangular' }), (e: Error) => e.message.includes(fx.cyclicErrors.mode));
  assert.throws(() => new L.CyclicLR(sgd, { baseLr: [0.01, 0.02, 0.03], maxLr: 0.1 }), (e: Error) => e.message.includes(fx.cyclicErrors.groups));
  assert.throws(() => new L.CyclicLR(sgd, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 0 }), /CyclicLR: stepSizeUp must be a finite number of steps > 0, got the number 0/);
  assert.throws(() => new L.CyclicLR(sgd, { baseLr: 0.01 } as optim.lr_scheduler.CyclicLROptions), /CyclicLR: maxLr is required/);
  assert.deepEqual(sgd.paramGroups.map((g) => [g.lr, (g as unknown as { momentum: number }).momentum]), [[0.1, 0.9], [0.03, 0.9]]);
  // A custom scale: given the cycle (or the step with scaleMode 'iterations'); not saved, so a load must match.
  const seen: number[] = [];
  const custom = new L.CyclicLR(makeOpt('sgd'), { baseLr: 0, maxLr: 1, stepSizeUp: 2, scaleFn: (x) => { seen.push(x); return 0.5; }, cycleMomentum: false });
  for (let i = 0; i < 5; i++) custom.step();
  // Step 5 of cycles of 4: cycle 2, halfway up (0.5), scaled by 0.5. Each group's rate calls scaleFn once.
  assert.deepEqual(custom.getLastLr(), [0.25, 0.25]);
  assert.deepEqual(seen, [1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2]);
  assert.throws(() => new L.CyclicLR(makeOpt('sgd'), { baseLr: 0, maxLr: 1 }).loadStateDict(custom.stateDict()), /used a custom scaleFn, this one has none/);
});

function makeEpochCase(c: EpochCase, opt: optim.Optimizer): optim.lr_scheduler.LRScheduler {
  const a = c.args;
  switch (c.name) {
    case 'LinearLR': return new L.LinearLR(opt, a[0], a[1], a[2]);
    case 'ConstantLR': return new L.ConstantLR(opt, a[0], a[1]);
    case 'PolynomialLR': return new L.PolynomialLR(opt, a[0], a[1]);
    case 'CosineAnnealingWarmRestarts': return new L.CosineAnnealingWarmRestarts(opt, a[0]!, a[1], a[2]);
    default: throw new Error(c.name);
  }
}

for (const c of fx.epochs) {
  const exact = c.name !== 'CosineAnnealingWarmRestarts';
  const label = `${c.name}(${c.args.join(', ')})`;
  test(`golden: ${label}: step(epoch) (${c.ops.map((e) => e ?? 'step()').join(', ')}) gives PyTorch's rates${exact ? ' exactly' : ' (within 1e-12)'} and lastEpoch`, () => {
    const opt = makeOpt('sgd');
    const sched = makeEpochCase(c, opt);
    c.ops.forEach((e, i) => {
      if (e === null) sched.step();
      else sched.step(e);
      compare([sched.getLastLr()], [c.steps[i]!.lrs], exact, `${label} op ${i} (${e ?? 'step()'})`);
      assert.deepEqual(opt.paramGroups.map((g) => g.lr), sched.getLastLr());
      assert.equal(sched.lastEpoch, c.steps[i]!.lastEpoch, `${label} op ${i}: lastEpoch`);
    });
  });
}
