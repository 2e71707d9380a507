// A scheduler after the optimizer's addParamGroup, as PyTorch 1.13's: schedules whose step needs only a group's own
// rate (StepLR's lr·gamma, …) schedule the added group too; those that zip per-group lists with the groups (base_lrs,
// the lambdas) leave its rate as it is; OneCycleLR, SWALR and a ReduceLROnPlateau reduction fail, as PyTorch's do.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { optim, tensor } from '../../src/index.js';
import { throwsWith } from './throws.js';

const S = optim.lr_scheduler;
type Make = (o: optim.SGD) => { step(): void; getLastLr(): number[] };

const SCHEDULERS: Record<string, Make> = {
  StepLR: (o) => new S.StepLR(o, 2, 0.5),
  ExponentialLR: (o) => new S.ExponentialLR(o, 0.5),
  MultiStepLR: (o) => new S.MultiStepLR(o, [2, 4], 0.5),
  LambdaLR: (o) => new S.LambdaLR(o, (e) => 0.5 ** e),
  MultiplicativeLR: (o) => new S.MultiplicativeLR(o, () => 0.5),
  ConstantLR: (o) => new S.ConstantLR(o, 0.5, 3),
  LinearLR: (o) => new S.LinearLR(o, 0.5, 1.0, 3),
  PolynomialLR: (o) => new S.PolynomialLR(o, 4, 2.0),
  CosineAnnealingLR: (o) => new S.CosineAnnealingLR(o, 3),
  CosineAnnealingWarmRestarts: (o) => new S.CosineAnnealingWarmRestarts(o, 2),
  CyclicLR: (o) => new S.CyclicLR(o, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2 }),
  SequentialLR: (o) => new S.SequentialLR(o, [new S.ConstantLR(o, 0.5, 2), new S.ExponentialLR(o, 0.5)], [2]),
  ChainedScheduler: (o) => new S.ChainedScheduler([new S.ConstantLR(o, 0.5, 2), new S.ExponentialLR(o, 0.5)]),
};

/**
 * PyTorch 1.13's rates of the two groups after each of 8 epochs: SGD([a], lr=0.1, momentum=0.9), the scheduler, one
 * epoch (optimizer.step(), scheduler.step()), add_param_group({'params': [b], 'lr': 1.0}), then 8 more epochs.
 */
const TORCH: Record<string, number[][]> = {
  StepLR: [[0.05, 0.5], [0.05, 0.5], [0.025, 0.25], [0.025, 0.25], [0.0125, 0.125], [0.0125, 0.125], [0.00625, 0.0625], [0.00625, 0.0625]],
  ExponentialLR: [[0.025, 0.5], [0.0125, 0.25], [0.00625, 0.125], [0.003125, 0.0625], [0.0015625, 0.03125], [0.00078125, 0.015625], [0.000390625, 0.0078125], [0.0001953125, 0.00390625]],
  MultiStepLR: [[0.05, 0.5], [0.05, 0.5], [0.025, 0.25], [0.025, 0.25], [0.025, 0.25], [0.025, 0.25], [0.025, 0.25], [0.025, 0.25]],
  LambdaLR: [[0.025, 1], [0.0125, 1], [0.00625, 1], [0.003125, 1], [0.0015625, 1], [0.00078125, 1], [0.000390625, 1], [0.0001953125, 1]],
  MultiplicativeLR: [[0.025, 1], [0.0125, 1], [0.00625, 1], [0.003125, 1], [0.0015625, 1], [0.00078125, 1], [0.000390625, 1], [0.0001953125, 1]],
  ConstantLR: [[0.05, 1], [0.1, 2], [0.1, 2], [0.1, 2], [0.1, 2], [0.1, 2], [0.1, 2], [0.1, 2]],
  LinearLR: [[0.08333333333333333, 1.25], [0.09999999999999999, 1.5], [0.09999999999999999, 1.5], [0.09999999999999999, 1.5], [0.09999999999999999, 1.5], [0.09999999999999999, 1.5], [0.09999999999999999, 1.5], [0.09999999999999999, 1.5]],
  PolynomialLR: [[0.024999999999999998, 0.4444444444444444], [0.0062499999999999995, 0.1111111111111111], [0, 0], [0, 0], [0, 0], [0, 0], [0, 0], [0, 0]],
  CosineAnnealingLR: [[0.025000000000000015, 0.3333333333333335], [0, 0], [0.024999999999999994, 0], [0.07500000000000005, 0], [0.10000000000000006, 0], [0.07500000000000007, 0], [0.025000000000000053, 0], [0, 0]],
  CosineAnnealingWarmRestarts: [[0.1, 1], [0.05, 1], [0.1, 1], [0.05, 1], [0.1, 1], [0.05, 1], [0.1, 1], [0.05, 1]],
  CyclicLR: [[0.1, 1], [0.05500000000000001, 1], [0.01, 1], [0.05500000000000001, 1], [0.1, 1], [0.05500000000000001, 1], [0.01, 1], [0.05500000000000001, 1]],
  SequentialLR: [[0.1, 1], [0.05, 0.5], [0.025, 0.25], [0.0125, 0.125], [0.00625, 0.0625], [0.003125, 0.03125], [0.0015625, 0.015625], [0.00078125, 0.0078125]],
  ChainedScheduler: [[0.025, 1], [0.0125, 0.5], [0.00625, 0.25], [0.003125, 0.125], [0.0015625, 0.0625], [0.00078125, 0.03125], [0.000390625, 0.015625], [0.0001953125, 0.0078125]],
};

/** The optimizer after the first epoch and the added group, with its scheduler (ReduceLROnPlateau's step takes `metric`). */
function setUp(make: (o: optim.SGD) => unknown, metric?: number): { opt: optim.SGD; sched: unknown } {
  const a = tensor([1], undefined, { requiresGrad: true });
  const opt = new optim.SGD([a], { lr: 0.1, momentum: 0.9 });
  const sched = make(opt);
  a.grad = tensor([1]);
  opt.step();
  (sched as { step(metric?: number): void }).step(metric);
  opt.addParamGroup({ params: [tensor([1], undefined, { requiresGrad: true })], lr: 1.0 });
  return { opt, sched };
}

for (const [name, make] of Object.entries(SCHEDULERS)) {
  test(`${name} after addParamGroup: the rates of both groups are PyTorch 1.13's`, () => {
    const { opt, sched } = setUp(make);
    const s = sched as ReturnType<Make>;
    const got: number[][] = [];
    for (let e = 0; e < 8; e++) {
      opt.step();
      s.step();
      got.push(opt.paramGroups.map((g) => g.lr));
    }
    assert.deepEqual(got, TORCH[name]);
    assert.deepEqual(s.getLastLr(), TORCH[name]!.at(-1), 'getLastLr() holds every group, as PyTorch\'s get_last_lr()');
  });
}

test('CyclicLR leaves an added group\'s momentum alone, as PyTorch 1.13 zips the groups with its momenta', () => {
  const { opt, sched } = setUp((o) => new S.CyclicLR(o, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2 }));
  (opt.paramGroups[1] as unknown as { momentum: number }).momentum = 0.5;
  opt.step();
  (sched as optim.lr_scheduler.CyclicLR).step();
  assert.deepEqual(opt.paramGroups.map((g) => g.momentum), [0.8, 0.5], 'at the peak rate, the base momentum 0.8 (PyTorch 1.13: [0.8, 0.5])');
});

test('a step to an epoch (step(epoch)) leaves an added group\'s rate as it is, as PyTorch 1.13\'s closed forms do', () => {
  const { opt, sched } = setUp((o) => new S.StepLR(o, 2, 0.5));
  opt.step();
  (sched as optim.lr_scheduler.StepLR).step(3);
  // PyTorch 1.13: [0.05, 1.0] (base_lrs zipped with the groups).
  assert.deepEqual(opt.paramGroups.map((g) => g.lr), [0.05, 1]);
});

test('OneCycleLR, SWALR and a ReduceLROnPlateau reduction refuse an added group, as PyTorch 1.13 fails there', () => {
  const one = setUp((o) => new S.OneCycleLR(o, { maxLr: 0.1, totalSteps: 10 }));
  throwsWith(() => (one.sched as optim.lr_scheduler.OneCycleLR).step(), RangeError, 'OneCycleLR.step: parameter group 1 was added to the optimizer after the scheduler was made', "KeyError: 'initial_lr'");
  const swa = setUp((o) => new optim.swa_utils.SWALR(o, 0.05, 2));
  throwsWith(() => (swa.sched as optim.swa_utils.SWALR).step(), RangeError, 'SWALR.step: parameter group 1 was added to the optimizer after the scheduler was made', "KeyError: 'swa_lr'");
  assert.deepEqual(swa.opt.paramGroups.map((g) => g.lr), [0.075, 1], 'nothing changes');
  const plateau = setUp((o) => new S.ReduceLROnPlateau(o, { patience: 0 }), 1);
  throwsWith(() => (plateau.sched as optim.lr_scheduler.ReduceLROnPlateau).step(1), RangeError, 'ReduceLROnPlateau.step: parameter group 1 was added', 'IndexError');
});
