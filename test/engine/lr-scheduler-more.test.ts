// optim.lr_scheduler.CosineAnnealingLR and ReduceLROnPlateau: their errors, state dicts that round-trip and are
// refused when they are not theirs, and the interface (the values themselves are checked against PyTorch in
// test/golden/sched-more.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nn, optim, tensor } from '../../src/index.js';
import { loose, throwsWith } from './throws.js';

const { CosineAnnealingLR, ReduceLROnPlateau, StepLR } = optim.lr_scheduler;
const sgd = (...lrs: number[]): optim.SGD => new optim.SGD(lrs.map((lr) => ({ params: [tensor([1, 2], { requiresGrad: true })], lr })), lrs[0]);

test('CosineAnnealingLR refuses bad arguments, naming them, and leaves the rate alone then', () => {
  const opt = sgd(0.1);
  throwsWith(() => new CosineAnnealingLR(loose(new nn.Linear(2, 1)), 10), TypeError, 'CosineAnnealingLR: the first argument must be an optimizer', 'got a Linear');
  throwsWith(() => new CosineAnnealingLR(opt, 0), RangeError, 'CosineAnnealingLR: tMax must be a finite number of epochs > 0, got 0');
  throwsWith(() => new CosineAnnealingLR(opt, -2.5), RangeError, 'tMax must be a finite number of epochs > 0, got -2.5');
  throwsWith(() => new CosineAnnealingLR(opt, loose({ tMax: 10 })), TypeError, 'CosineAnnealingLR: tMax must be a number (the arguments come by position', 'got an object');
  throwsWith(() => new CosineAnnealingLR(opt, 10, -1e-4), RangeError, 'CosineAnnealingLR: etaMin must be a finite learning rate ≥ 0, got -0.0001');
  throwsWith(() => new CosineAnnealingLR(opt, 10, Number.NaN), RangeError, 'etaMin must be a finite learning rate ≥ 0, got NaN');
  throwsWith(() => new CosineAnnealingLR(opt, 10, loose('0')), TypeError, 'CosineAnnealingLR: etaMin must be a number, got the string "0"');
  assert.equal(opt.options.lr, 0.1);
  const sched = new CosineAnnealingLR(opt, 4);
  throwsWith(() => sched.step(-1), RangeError, 'CosineAnnealingLR.step: epoch must be ≥ 0');
});

test('CosineAnnealingLR: the defaults, the schedule\'s ends, and a rate changed from outside carries on', () => {
  const sched = new CosineAnnealingLR(sgd(0.1, 0.4), 2);
  assert.deepEqual([sched.tMax, sched.etaMin, sched.lastEpoch, sched.getLastLr()], [2, 0, 0, [0.1, 0.4]], 'etaMin defaults to 0; the constructor keeps the rates');
  sched.step();
  sched.step();
  assert.deepEqual(sched.getLastLr(), [0, 0], 'etaMin at epoch tMax');
  const opt = sgd(1);
  const chained = new CosineAnnealingLR(opt, 10);
  chained.step();
  const before = opt.options.lr;
  opt.options.lr = 2 * before;
  chained.step();
  const unchanged = new CosineAnnealingLR(sgd(1), 10);
  unchanged.step();
  unchanged.step();
  assert.equal(opt.options.lr, 2 * unchanged.optimizer.options.lr, 'the chainable form scales the rate it finds');
});

test('CosineAnnealingLR: stateDict is plain JSON, and loadStateDict resumes or refuses', () => {
  const a = new CosineAnnealingLR(sgd(0.1, 0.2), 5, 0.001);
  for (let i = 0; i < 3; i++) a.step();
  const sd = a.stateDict();
  assert.deepEqual(JSON.parse(JSON.stringify(sd)), sd);
  assert.deepEqual(sd.hyper, { tMax: 5, etaMin: 0.001 });
  const b = new CosineAnnealingLR(sgd(0.5, 0.5), 9, 0);
  b.loadStateDict(sd);
  assert.deepEqual([b.tMax, b.etaMin, b.lastEpoch, b.baseLrs], [5, 0.001, 3, [0.1, 0.2]]);
  const good = b.stateDict();
  throwsWith(() => b.loadStateDict({ ...good, hyper: { tMax: 0, etaMin: 0 } }), RangeError, 'CosineAnnealingLR.loadStateDict (saved hyper-parameters): tMax must be a finite number of epochs > 0, got 0');
  throwsWith(() => b.loadStateDict({ ...good, hyper: { t_max: 5, etaMin: 0 } }), TypeError, 'unknown option "t_max" (did you mean tMax?)');
  throwsWith(() => b.loadStateDict(new StepLR(sgd(0.1, 0.2), 3).stateDict()), TypeError, 'CosineAnnealingLR.loadStateDict (saved hyper-parameters): unknown option "stepSize"');
  assert.deepEqual(b.stateDict(), good, 'a refused state changes nothing');
});

test('ReduceLROnPlateau: options checked as PyTorch checks its arguments, with Kindling\'s names', () => {
  const opt = sgd(0.1, 0.2);
  const R = (o: unknown): unknown => new ReduceLROnPlateau(opt, loose(o));
  throwsWith(() => new ReduceLROnPlateau(loose({ paramGroups: [] })), TypeError, 'ReduceLROnPlateau: the first argument must be an optimizer', 'got an object');
  throwsWith(() => R({ factor: 1 }), RangeError, 'ReduceLROnPlateau: factor should be < 1.0 (and ≥ 0), got 1');
  throwsWith(() => R({ factor: -0.5 }), RangeError, 'factor should be < 1.0 (and ≥ 0), got -0.5');
  throwsWith(() => R({ mode: 'maximum' }), RangeError, 'ReduceLROnPlateau: mode the string "maximum" is unknown! (it is \'min\' or \'max\')');
  throwsWith(() => R({ thresholdMode: 'relative' }), RangeError, 'ReduceLROnPlateau: threshold mode the string "relative" is unknown!');
  throwsWith(() => R({ minLr: [0.1] }), RangeError, 'ReduceLROnPlateau: expected 2 minLr values (one per parameter group), got 1');
  throwsWith(() => R({ minLr: [0.1, -1] }), RangeError, 'ReduceLROnPlateau: minLr[1] must be a finite learning rate ≥ 0, got -1');
  throwsWith(() => R({ minLr: '0' }), TypeError, 'ReduceLROnPlateau: minLr must be a number, got the string "0"');
  throwsWith(() => R({ patience: 1.5 }), RangeError, 'ReduceLROnPlateau: patience must be a whole number of epochs ≥ 0, got 1.5');
  throwsWith(() => R({ cooldown: -1 }), RangeError, 'ReduceLROnPlateau: cooldown must be a whole number of epochs ≥ 0, got -1');
  throwsWith(() => R({ threshold: Number.POSITIVE_INFINITY }), RangeError, 'ReduceLROnPlateau: threshold must be a finite number ≥ 0, got Infinity');
  throwsWith(() => R({ eps: loose(null) }), TypeError, 'ReduceLROnPlateau: eps must be a number, got null');
  throwsWith(() => R({ min_lr: 0.01 }), TypeError, 'ReduceLROnPlateau: unknown option "min_lr" (did you mean minLr?)');
  throwsWith(() => R({ threshold_mode: 'abs' }), TypeError, 'unknown option "threshold_mode" (did you mean thresholdMode?)');
  throwsWith(() => R({ verbose: true }), TypeError, 'unknown option "verbose": Kindling\'s schedulers print nothing');
  throwsWith(() => R(5), TypeError, 'ReduceLROnPlateau: options must be an object of named options', 'got the number 5');
  assert.deepEqual(new ReduceLROnPlateau(opt).hyper, { mode: 'min', factor: 0.1, patience: 10, threshold: 1e-4, thresholdMode: 'rel', cooldown: 0, minLrs: [0, 0], eps: 1e-8 }, 'PyTorch\'s defaults');
  assert.equal(String(new ReduceLROnPlateau(opt, { minLr: [0, 0.1] })),
    'ReduceLROnPlateau(mode=min, factor=0.1, patience=10, threshold=0.0001, threshold_mode=rel, cooldown=0, min_lr=[0, 0.1], eps=1e-8)');
});

test('ReduceLROnPlateau.step takes a number or a one-element tensor, and refuses what the optimizer no longer matches', () => {
  const opt = sgd(1);
  const sched = new ReduceLROnPlateau(opt, { patience: 0, factor: 0.5 });
  assert.deepEqual([sched.getLastLr(), sched.lastEpoch, sched.best], [[1], 0, Infinity], 'made: nothing changes');
  sched.step(tensor([3]));
  sched.step(tensor(3));
  assert.deepEqual([sched.best, sched.lastEpoch, opt.options.lr], [3, 2, 0.5], 'the second 3 is no improvement: patience 0 halves the rate');
  throwsWith(() => sched.step(loose('2')), TypeError, 'ReduceLROnPlateau.step: the metric must be a number or a one-element tensor, got the string "2"');
  throwsWith(() => sched.step(tensor([1, 2])), RangeError, 'item: a tensor with 2 elements');
  opt.options.lr = loose('-1');
  throwsWith(() => sched.step(1), TypeError, 'ReduceLROnPlateau.step: the learning rate must be a number, got the string "-1"');
  assert.equal(sched.lastEpoch, 2, 'refused steps count no epoch');
  // A negative rate is taken, as PyTorch's: max(-1·0.5, min_lr 0) is 0, above -1, so never a reduction
  // (PyTorch 1.13: lr -1.0 and num_bad_epochs 0 after each of three steps(3)).
  opt.options.lr = -1;
  const more = new ReduceLROnPlateau(opt, { patience: 0, factor: 0.5 });
  for (let i = 0; i < 3; i++) {
    more.step(3);
    assert.deepEqual([opt.options.lr, more.numBadEpochs, more.getLastLr()], [-1, 0, [-1]]);
  }
  const moved = new ReduceLROnPlateau(opt, { patience: 0, factor: 0.5 });
  moved.loadStateDict(JSON.parse(JSON.stringify(more.stateDict())));
  assert.deepEqual(moved.getLastLr(), [-1]);
  opt.options.lr = 0.5;
  // PyTorch's step(metrics, epoch) sets last_epoch to epoch (it was dropped here, leaving 3); the next step counts on.
  sched.step(5, 10);
  assert.deepEqual([sched.lastEpoch, sched.best, opt.options.lr], [10, 3, 0.25]);
  sched.step(5);
  assert.deepEqual([sched.lastEpoch, opt.options.lr], [11, 0.125], 'as PyTorch: last_epoch 11, lr 0.125');
  // A fraction or an epoch below 0 is taken, as PyTorch's (sched-epoch.test.ts); not a string, nor Infinity.
  throwsWith(() => sched.step(5, loose('3')), TypeError, 'ReduceLROnPlateau.step: epoch must be a finite number (or left out, to move to the next one), got the string "3"');
  throwsWith(() => sched.step(5, Infinity), TypeError, 'got the number Infinity');
  assert.deepEqual([sched.lastEpoch, opt.options.lr], [11, 0.125], 'a refused epoch changes nothing');
  // A group added since: steps that reduce nothing go on, as in PyTorch 1.13; a reduction is refused, as PyTorch's
  // fails there (IndexError on min_lrs).
  opt.addParamGroup({ params: [tensor([0], { requiresGrad: true })] });
  sched.step(1);
  assert.deepEqual(sched.getLastLr(), [0.125, 1]);
  throwsWith(() => {
    for (let i = 0; i < 10; i++) sched.step(9);
  }, RangeError, 'ReduceLROnPlateau.step: parameter group 1 was added to the optimizer after the scheduler was made, so it has no minimum rate here', 'IndexError');
});

test('ReduceLROnPlateau: stateDict is plain JSON (±Infinity as strings) and loadStateDict restores every counter', () => {
  const a = new ReduceLROnPlateau(sgd(0.1, 0.2), { mode: 'max', patience: 1, cooldown: 2, minLr: [0.01, 0.02] });
  assert.equal(a.stateDict().best, '-Infinity', 'no metric yet: the worst, as a string JSON can hold');
  for (const m of [0.5, 0.4, 0.4]) a.step(m);
  const sd = a.stateDict();
  assert.deepEqual(JSON.parse(JSON.stringify(sd)), sd);
  assert.deepEqual({ ...sd, hyper: undefined }, { lastEpoch: 3, best: 0.5, numBadEpochs: 0, cooldownCounter: 2, lastLr: [0.010000000000000002, 0.020000000000000004], hyper: undefined });
  const b = new ReduceLROnPlateau(sgd(0.1, 0.2));
  b.loadStateDict(JSON.parse(JSON.stringify(sd)) as optim.lr_scheduler.ReduceLROnPlateauStateDict);
  assert.deepEqual(b.stateDict(), sd);
  assert.deepEqual([b.hyper.mode, b.best, b.cooldownCounter, b.getLastLr()], ['max', 0.5, 2, sd.lastLr]);
  const c = new ReduceLROnPlateau(sgd(0.1));
  c.step(Number.NEGATIVE_INFINITY);
  assert.equal(c.stateDict().best, '-Infinity');
  const d = new ReduceLROnPlateau(sgd(0.1));
  d.loadStateDict(c.stateDict());
  assert.equal(d.best, Number.NEGATIVE_INFINITY);
});

test('ReduceLROnPlateau.loadStateDict refuses a state that is not its own, and changes nothing then', () => {
  const sched = new ReduceLROnPlateau(sgd(0.1, 0.2), { patience: 3 });
  sched.step(1);
  const good = sched.stateDict();
  const where = 'ReduceLROnPlateau.loadStateDict';
  throwsWith(() => sched.loadStateDict(loose(null)), TypeError, `${where}: expected an object as stateDict() returns, got null`);
  throwsWith(() => sched.loadStateDict(loose({ ...good, num_bad_epochs: 1 })), TypeError, `${where}: unknown option "num_bad_epochs" (did you mean numBadEpochs?)`);
  const { best: _best, ...noBest } = good;
  throwsWith(() => sched.loadStateDict(loose(noBest)), TypeError, `${where}: the state has no "best"`);
  throwsWith(() => sched.loadStateDict({ ...good, numBadEpochs: -1 }), RangeError, `${where}: numBadEpochs must be an integer ≥ 0, got the number -1`);
  throwsWith(() => sched.loadStateDict(loose({ ...good, best: 'NaN' })), TypeError, `${where}: best must be a number, "Infinity" or "-Infinity", got the string "NaN"`);
  throwsWith(() => sched.loadStateDict({ ...good, lastLr: [0.1] }), TypeError, `${where}: lastLr must be an array of 2 learning rates`);
  throwsWith(() => sched.loadStateDict({ ...good, hyper: { ...good.hyper, minLrs: [0] } }), TypeError, `${where} (saved hyper-parameters): minLrs must be an array of 2 learning rates`);
  throwsWith(() => sched.loadStateDict({ ...good, hyper: { ...good.hyper, factor: 2 } }), RangeError, `${where} (saved hyper-parameters): factor should be < 1.0`);
  throwsWith(() => sched.loadStateDict(loose(new StepLR(sgd(0.1, 0.2), 3).stateDict())), TypeError, `${where}: unknown option "baseLrs"`);
  assert.deepEqual(sched.stateDict(), good);
});
