// optim.lr_scheduler: StepLR, ExponentialLR, MultiStepLR, LambdaLR. Hand-computed schedules, PyTorch's chainable
// and closed forms to the last bit (fixtures/torch/clip-sched.json, written by fixtures/torch/make_clip_sched.py;
// this test only reads the file), errors, and state dicts that resume exactly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nn, optim, tensor, zeros } from '../../src/index.js';
import { powInt } from '../../src/optim/pow-int.js';
import { loadFixture } from '../golden/golden-helpers.js';
import { loose, throwsWith } from './throws.js';

const { StepLR, ExponentialLR, MultiStepLR, LambdaLR } = optim.lr_scheduler;
const sgd = (lr = 0.1): optim.SGD => new optim.SGD([tensor([1, 2], { requiresGrad: true })], lr);

/** The learning rate after the constructor, then after each of `steps` calls of step(). */
function run(sched: optim.lr_scheduler.LRScheduler, steps: number): number[] {
  const lrs = [sched.optimizer.options.lr];
  for (let i = 0; i < steps; i++) {
    sched.optimizer.step();
    sched.step();
    assert.deepEqual(sched.getLastLr(), [sched.optimizer.options.lr]);
    lrs.push(sched.optimizer.options.lr);
  }
  return lrs;
}

test('StepLR, ExponentialLR, MultiStepLR: the constructor leaves the rate, step() multiplies by gamma on schedule', () => {
  const step = new StepLR(sgd(1), 2, 0.5);
  assert.equal(step.lastEpoch, 0);
  assert.deepEqual(step.baseLrs, [1]);
  assert.deepEqual(run(step, 6), [1, 1, 0.5, 0.5, 0.25, 0.25, 0.125]);
  assert.equal(step.lastEpoch, 6);
  assert.deepEqual(run(new StepLR(sgd(1), 3), 4), [1, 1, 1, 0.1, 0.1], 'gamma defaults to 0.1');
  assert.deepEqual(run(new ExponentialLR(sgd(1), 0.5), 3), [1, 0.5, 0.25, 0.125]);
  // A milestone listed twice multiplies by gamma² there; the order does not matter.
  assert.deepEqual(run(new MultiStepLR(sgd(1), [5, 2, 2], 0.5), 6), [1, 1, 0.25, 0.25, 0.25, 0.125, 0.125]);
  // Milestone 0 is reached by the constructor's own step, as in PyTorch.
  assert.deepEqual(run(new MultiStepLR(sgd(1), [0]), 1), [0.1, 0.1]);
});

test('LambdaLR: the initial rate times lrLambda(epoch), already at construction', () => {
  const seen: number[] = [];
  const sched = new LambdaLR(sgd(2), (e) => { seen.push(e); return 1 / (e + 1); });
  assert.deepEqual(run(sched, 3), [2, 1, 2 / 3, 0.5]);
  assert.deepEqual(seen, [0, 1, 2, 3]);
  assert.deepEqual(run(new LambdaLR(sgd(0.5), (e) => Math.min(1, (e + 1) / 4)), 4), [0.125, 0.25, 0.375, 0.5, 0.5]);
});

test('the chainable forms follow a rate changed from outside; step(epoch) uses the closed forms from the initial rate', () => {
  const opt = sgd(1);
  const sched = new StepLR(opt, 2, 0.5);
  sched.step();
  opt.options.lr = 10; // as param_groups[0]['lr'] = 10 in PyTorch
  sched.step();
  assert.equal(opt.options.lr, 5, 'epoch 2 multiplies the rate set from outside');
  sched.step(5);
  assert.deepEqual([sched.lastEpoch, opt.options.lr], [5, 0.25], 'closed form: 1 · 0.5^⌊5/2⌋');
  sched.step();
  assert.deepEqual([sched.lastEpoch, opt.options.lr], [6, 0.125]);
  // LambdaLR has one form: it never reads the current rate.
  const lam = new LambdaLR(sgd(1), (e) => 2 ** -e);
  lam.optimizer.options.lr = 7;
  lam.step();
  assert.equal(lam.optimizer.options.lr, 0.5);
});

test('the scheduler drives the optimizer: SGD steps use the scheduled rate', () => {
  const w = tensor([1], { requiresGrad: true });
  const opt = new optim.SGD([w], 1);
  const sched = new StepLR(opt, 1, 0.5);
  for (let epoch = 0; epoch < 3; epoch++) {
    opt.zeroGrad();
    w.sum().backward(); // gradient 1
    opt.step();
    sched.step();
  }
  assert.deepEqual(Array.from(w.toArray()), [1 - 1 - 0.5 - 0.25]);
});

test('a second scheduler on the same optimizer starts from the first one\'s initial rate (PyTorch\'s initial_lr)', () => {
  const opt = sgd(1);
  const first = new ExponentialLR(opt, 0.5);
  first.step();
  first.step();
  assert.equal(opt.options.lr, 0.25);
  const second = new LambdaLR(opt, () => 0.1);
  assert.deepEqual(second.baseLrs, [1]);
  assert.equal(opt.options.lr, 0.1);
});

test('errors name the scheduler and the bad value', () => {
  const opt = sgd();
  throwsWith(() => new StepLR(loose(new nn.Linear(2, 1)), 3), TypeError, 'StepLR: the first argument must be an optimizer', 'got a Linear');
  throwsWith(() => new ExponentialLR(loose({ options: { lr: 0.1 } }), 0.9), TypeError, 'ExponentialLR: the first argument must be an optimizer', 'got an object');
  throwsWith(() => new StepLR(opt, 0), RangeError, 'StepLR: stepSize must be a finite number of epochs > 0, got 0');
  throwsWith(() => new StepLR(opt, -2.5), RangeError, 'stepSize must be a finite number of epochs > 0, got -2.5');
  throwsWith(() => new StepLR(opt, loose({ stepSize: 30 })), TypeError, 'StepLR: stepSize must be a number (the arguments come by position: new StepLR(opt, 30, 0.1)), got an object');
  throwsWith(() => new StepLR(opt, 3, -0.1), RangeError, 'StepLR: gamma must be a finite number ≥ 0, got -0.1');
  throwsWith(() => new ExponentialLR(opt, loose(undefined)), TypeError, 'ExponentialLR: gamma must be a number, got undefined');
  throwsWith(() => new ExponentialLR(opt, Number.POSITIVE_INFINITY), RangeError, 'gamma must be a finite number ≥ 0, got Infinity');
  throwsWith(() => new MultiStepLR(opt, loose(30)), TypeError, 'MultiStepLR: milestones must be an array of epochs, such as [30, 80], got the number 30');
  throwsWith(() => new MultiStepLR(opt, [3, -1]), RangeError, 'MultiStepLR: milestones[1] must be a whole epoch ≥ 0, got the number -1');
  throwsWith(() => new MultiStepLR(opt, loose([3, '5'])), TypeError, 'MultiStepLR: milestones[1] must be a number, got the string "5"');
  throwsWith(() => new LambdaLR(opt, loose(0.95)), TypeError, 'LambdaLR: lrLambda must be a function of the epoch', 'got the number 0.95');
  throwsWith(() => new LambdaLR(opt, loose(() => '1')), TypeError, 'LambdaLR: lrLambda(0) must return a number, got the string "1"');
  assert.equal(opt.options.lr, 0.1, 'no failed constructor changed the rate');
  const lam = new LambdaLR(opt, (e) => (e === 2 ? Number.NaN : 1));
  lam.step();
  throwsWith(() => lam.step(), RangeError, 'LambdaLR: the learning rate for epoch 2 would be NaN');
  assert.deepEqual([lam.lastEpoch, opt.options.lr], [1, 0.1], 'a refused step changes nothing');
  // A negative rate is set, as PyTorch's LambdaLR sets it (lr_lambda -1: lr -0.1, get_last_lr() [-0.1]).
  const neg = new LambdaLR(opt, (e) => (e === 1 ? -1 : 1));
  neg.step();
  assert.deepEqual([opt.options.lr, neg.getLastLr()], [-0.1, [-0.1]]);
  neg.step();
  assert.equal(opt.options.lr, 0.1);
  const sched = new StepLR(opt, 2);
  throwsWith(() => sched.step(-1), RangeError, 'StepLR.step: epoch must be ≥ 0 (or left out, to move to the next one), got the number -1');
  throwsWith(() => sched.step(NaN), TypeError, 'StepLR.step: epoch must be a finite number (or left out, to move to the next one), got the number NaN');
  throwsWith(() => sched.step(loose('2')), TypeError, 'StepLR.step: epoch must be a finite number (or left out, to move to the next one), got the string "2"');
  opt.options.lr = loose('0.1');
  throwsWith(() => sched.step(), TypeError, 'StepLR: the learning rate must be a number, got the string "0.1"');
});

test('a scheduler prints its class, settings under PyTorch\'s argument names and epoch (PyTorch only prints <… object at 0x…>)', () => {
  const opt = new optim.SGD([zeros([2], { requiresGrad: true })], 0.1);
  const step = new StepLR(opt, 30, 0.5);
  step.step();
  assert.equal(String(step), 'StepLR(step_size=30, gamma=0.5, last_epoch=1)');
  assert.equal(`${new MultiStepLR(opt, [5, 3])}`, 'MultiStepLR(milestones=[3, 5], gamma=0.1, last_epoch=0)');
  assert.equal(String(new optim.lr_scheduler.CosineAnnealingLR(opt, 50, 1e-4)), 'CosineAnnealingLR(T_max=50, eta_min=0.0001, last_epoch=0)');
  assert.equal(String(new LambdaLR(opt, () => 1)), 'LambdaLR(last_epoch=0)');
});

test('SequentialLR and ChainedScheduler print their schedulers in the same style', () => {
  // Epochs as PyTorch 1.13's after three steps of SequentialLR and one of ChainedScheduler: each inner last_epoch 1.
  const opt = new optim.SGD([zeros([2], { requiresGrad: true })], 0.1);
  const seq = new optim.lr_scheduler.SequentialLR(opt, [new optim.lr_scheduler.ConstantLR(opt, 0.5, 2), new StepLR(opt, 2, 0.5)], [2]);
  for (let i = 0; i < 3; i++) seq.step();
  assert.equal(String(seq), 'SequentialLR(schedulers=[ConstantLR(factor=0.5, total_iters=2, last_epoch=1), StepLR(step_size=2, gamma=0.5, last_epoch=1)], milestones=[2], last_epoch=3)');
  const opt2 = new optim.SGD([zeros([2], { requiresGrad: true })], 0.1);
  const chained = new optim.lr_scheduler.ChainedScheduler([new optim.lr_scheduler.ConstantLR(opt2, 0.5, 2), new optim.lr_scheduler.ExponentialLR(opt2, 0.9)]);
  chained.step();
  assert.equal(`${chained}`, 'ChainedScheduler(schedulers=[ConstantLR(factor=0.5, total_iters=2, last_epoch=1), ExponentialLR(gamma=0.9, last_epoch=1)])');
});

test('a schedule started from a negative rate saves and loads it, the optimizer its initialLr too, as PyTorch', () => {
  // PyTorch 1.13: a group's lr set to -0.4, then StepLR(opt, 2, 0.5): base_lrs [-0.4], initial_lr -0.4; after three
  // steps the rate is -0.2 and the state's base_lrs still [-0.4].
  const make = (): [optim.SGD, optim.lr_scheduler.StepLR] => {
    const opt = new optim.SGD([zeros([2], { requiresGrad: true })], 0.1);
    opt.options.lr = -0.4;
    return [opt, new StepLR(opt, 2, 0.5)];
  };
  const [opt, sched] = make();
  assert.deepEqual(sched.baseLrs, [-0.4]);
  for (let i = 0; i < 3; i++) {
    opt.step();
    sched.step();
  }
  assert.deepEqual([opt.options.lr, sched.stateDict().baseLrs], [-0.2, [-0.4]]);
  const [opt2, sched2] = make();
  opt2.loadStateDict(JSON.parse(JSON.stringify(opt.stateDict())));
  sched2.loadStateDict(JSON.parse(JSON.stringify(sched.stateDict())));
  opt2.step();
  sched2.step();
  assert.deepEqual([opt2.options.lr, sched2.lastEpoch, sched2.baseLrs], [-0.1, 4, [-0.4]]);
});

test('stateDict is plain JSON; loadStateDict into a new scheduler resumes the same schedule', () => {
  const make = (opt: optim.SGD): optim.lr_scheduler.LRScheduler[] => [
    new StepLR(opt, 3, 0.5), new ExponentialLR(opt, 0.9), new MultiStepLR(opt, [4, 2, 2], 0.3), new LambdaLR(opt, (e) => 0.9 ** e),
  ];
  for (let k = 0; k < 4; k++) {
    const optA = sgd();
    const a = make(optA)[k]!;
    const want = run(a, 10);
    const optB = sgd();
    const b0 = make(optB)[k]!;
    run(b0, 4);
    const saved: unknown = JSON.parse(JSON.stringify({ opt: optB.stateDict(), sched: b0.stateDict() }));
    // Resume: a new optimizer and scheduler, then both state dicts (the optimizer's holds the rate, as in PyTorch).
    const optC = sgd(0.5);
    const c = make(optC)[k]!;
    const { opt: so, sched: ss } = saved as { opt: optim.OptimizerStateDict; sched: optim.lr_scheduler.LRSchedulerStateDict };
    optC.loadStateDict(so);
    c.loadStateDict(ss);
    assert.deepEqual(c.stateDict(), b0.stateDict());
    assert.deepEqual([c.lastEpoch, ...c.baseLrs, optC.options.lr], [4, 0.1, want[4]]);
    assert.deepEqual(run(c, 6).slice(1), want.slice(5), `${c.constructor.name}: epochs 5 to 10 after resuming`);
  }
  const m = new MultiStepLR(sgd(), [5, 2, 2], 0.5);
  m.step();
  assert.deepEqual(m.stateDict(), { lastEpoch: 1, baseLrs: [0.1], lastLr: [0.1], hyper: { milestones: [2, 2, 5], gamma: 0.5 } });
  assert.deepEqual(new LambdaLR(sgd(), () => 1).stateDict().hyper, {}, 'the function is not saved');
});

test('loadStateDict refuses a state that is not a scheduler\'s, and changes nothing then', () => {
  const sched = new StepLR(sgd(), 3, 0.5);
  const good = sched.stateDict();
  throwsWith(() => sched.loadStateDict(loose(null)), TypeError, 'StepLR.loadStateDict: expected an object as stateDict() returns, got null');
  throwsWith(() => sched.loadStateDict(loose({ ...good, last_epoch: 3 })), TypeError, 'StepLR.loadStateDict: unknown option "last_epoch" (did you mean lastEpoch?)');
  throwsWith(() => sched.loadStateDict(loose({ baseLrs: [0.1], lastLr: [0.1], hyper: good.hyper })), TypeError, 'StepLR.loadStateDict: the state has no "lastEpoch"');
  throwsWith(() => sched.loadStateDict({ ...good, lastEpoch: -2 }), RangeError, 'lastEpoch must be a finite number ≥ -1, got the number -2');
  throwsWith(() => sched.loadStateDict({ ...good, baseLrs: [0.1, 0.2] }), TypeError, 'baseLrs must be an array of one learning rate (one parameter group), got an array');
  // (A last rate below 0 loads: a scheduler may set one, as PyTorch's do.)
  throwsWith(() => sched.loadStateDict({ ...good, lastLr: [Number.NaN] }), RangeError, 'StepLR.loadStateDict (lastLr): the learning rate must be a finite number, got NaN');
  throwsWith(() => sched.loadStateDict({ ...good, lastEpoch: 7, hyper: { stepSize: 0, gamma: 0.5 } }), RangeError,
    'StepLR.loadStateDict (saved hyper-parameters): stepSize must be a finite number of epochs > 0, got 0');
  // A state saved by another kind of scheduler.
  throwsWith(() => sched.loadStateDict(new ExponentialLR(sgd(), 0.9).stateDict()), TypeError, 'StepLR.loadStateDict (saved hyper-parameters): "stepSize" is missing');
  throwsWith(() => new LambdaLR(sgd(), () => 1).loadStateDict(good), TypeError, 'LambdaLR.loadStateDict (saved hyper-parameters): unknown option "stepSize"');
  assert.deepEqual(sched.stateDict(), good);
});

// ---- golden values from PyTorch 1.13 -------------------------------------------------------------------------------

interface ScheduleCase {
  kind: 'StepLR' | 'ExponentialLR' | 'MultiStepLR' | 'LambdaLR';
  args: { stepSize?: number; gamma?: number; milestones?: number[]; lambda?: string };
  lr: number;
  chained: number[];
  closed: number[];
  torchState: { last_epoch: number; base_lrs: number[]; _last_lr: number[] };
}

/**
 * The fixture's lambdas, by the names the generator gives them. Python's 0.95 ** e is C's pow, correctly rounded,
 * where V8's ** can be an ulp off: the lambda uses the schedulers' powInt so as to return Python's factors.
 */
const LAMBDAS: Record<string, (e: number) => number> = {
  'pow0.95': (e) => powInt(0.95, e),
  inverse: (e) => 1 / (e + 1),
  warmup5: (e) => Math.min(1, (e + 1) / 5),
};

function build(c: ScheduleCase, opt: optim.SGD): optim.lr_scheduler.LRScheduler {
  const a = c.args;
  switch (c.kind) {
    case 'StepLR': return new StepLR(opt, a.stepSize!, a.gamma);
    case 'ExponentialLR': return new ExponentialLR(opt, a.gamma!);
    case 'MultiStepLR': return new MultiStepLR(opt, a.milestones!, a.gamma);
    case 'LambdaLR': return new LambdaLR(opt, LAMBDAS[a.lambda!]!);
  }
}

const fx = loadFixture<{ schedulers: ScheduleCase[]; pow: { base: number; values: number[] }[] }>('clip-sched.json');
const cases = fx.schedulers;

test('golden: every schedule equals PyTorch\'s to the last bit, chainable (step()) and closed (step(epoch)) forms', () => {
  assert.ok(cases.length >= 10 && cases.some((c) => new Set(c.args.milestones ?? []).size < (c.args.milestones ?? []).length));
  let formsDiffer = 0;
  for (const c of cases) {
    const label = `${c.kind}(${JSON.stringify(c.args)})`;
    const sched = build(c, sgd(c.lr));
    assert.deepEqual(run(sched, c.chained.length - 1), c.chained, `${label}: step()`);
    const s = sched.stateDict();
    assert.deepEqual([s.lastEpoch, s.baseLrs, s.lastLr], [c.torchState.last_epoch, c.torchState.base_lrs, c.torchState._last_lr], `${label}: state`);
    const fresh = build(c, sgd(c.lr));
    const closed = c.closed.map((_, e) => {
      fresh.step(e);
      return fresh.getLastLr()[0]!;
    });
    assert.deepEqual(closed, c.closed, `${label}: step(epoch)`);
    if (c.closed.some((v, e) => v !== c.chained[e])) formsDiffer++;
  }
  assert.ok(formsDiffer >= 2, 'the fixture has schedules where the two forms round differently');
});


test('golden: powInt(gamma, n) is Python\'s gamma ** n, bit for bit', () => {
  let v8Differs = 0;
  for (const { base, values } of fx.pow) {
    assert.deepEqual(values.map((_, n) => powInt(base, n)), values, `${base} ** n`);
    v8Differs += values.filter((v, n) => base ** n !== v).length;
  }
  assert.ok(v8Differs > 0, 'the fixture has powers where V8\'s ** is an ulp off');
});
