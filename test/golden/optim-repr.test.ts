// print(optimizer) as PyTorch 1.13's Optimizer.__repr__, character for character (fixtures/torch/optim-repr.json,
// written by fixtures/torch/make_optim_repr.py): every optimizer, default and other options, several groups, and the
// initial_lr a scheduler adds. String(opt) and console.log(opt) (util.inspect) both give it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspect } from 'node:util';
import { optim, tensor, type Tensor } from '../../src/index.js';
import { loadFixture } from './golden-helpers.js';

interface ReprCase {
  optimizer: string;
  options: Record<string, unknown>;
  groups: Record<string, unknown>[] | null;
  scheduled: boolean;
  text: string;
}

const fx = loadFixture<{ cases: ReprCase[] }>('optim-repr.json');
type Ctor = new (params: unknown, options?: unknown) => optim.Optimizer;

test('optim-repr.json covers every optimizer, several groups and a scheduler', () => {
  const names = new Set(fx.cases.map((c) => c.optimizer));
  for (const n of ['SGD', 'Adam', 'AdamW', 'Adamax', 'NAdam', 'RAdam', 'Adagrad', 'Adadelta', 'RMSprop', 'Rprop', 'ASGD', 'LBFGS']) assert.ok(names.has(n), n);
  assert.ok(fx.cases.some((c) => c.groups !== null && c.groups.length >= 3 && c.scheduled));
});

for (const c of fx.cases) {
  test(`golden: print(${c.optimizer}(${JSON.stringify(c.options)}${c.groups === null ? '' : `, groups ${JSON.stringify(c.groups)}`}))${c.scheduled ? ' with a scheduler' : ''} is PyTorch's`, () => {
    const p = (): Tensor => tensor([0, 0], undefined, { requiresGrad: true });
    const params = c.groups === null ? [p()] : c.groups.map((g) => ({ params: [p()], ...g }));
    const Opt = (optim as unknown as Record<string, Ctor>)[c.optimizer]!;
    const opt = new Opt(params, c.options);
    if (c.scheduled) new optim.lr_scheduler.StepLR(opt, 3);
    assert.equal(String(opt), c.text);
    assert.equal(inspect(opt), c.text);
  });
}

test('print(optimizer) follows a rate the schedule set, as PyTorch\'s (Python floats: 0.005000000000000001)', () => {
  // PyTorch 1.13: SGD([p], lr=0.05), StepLR(opt, 1, 0.1), opt.step(); sched.step() prints lr: 0.005000000000000001.
  const opt = new optim.SGD([tensor([0, 0], undefined, { requiresGrad: true })], 0.05);
  const sched = new optim.lr_scheduler.StepLR(opt, 1, 0.1);
  opt.step();
  sched.step();
  assert.match(String(opt), /\n {4}initial_lr: 0\.05\n {4}lr: 0\.005000000000000001\n/);
});

test("print(optimizer) shows the keys OneCycleLR and SWALR put in the groups, as PyTorch's", () => {
  const sgd = (): optim.SGD => new optim.SGD([tensor([0], undefined, { requiresGrad: true })], 0.1, { momentum: 0.9 });
  const head = 'SGD (\nParameter Group 0\n';
  // PyTorch 1.13: opt = SGD([p], 0.1, momentum=0.9); OneCycleLR(opt, 0.5, total_steps=10); print(opt)
  let opt = sgd();
  new optim.lr_scheduler.OneCycleLR(opt, { maxLr: 0.5, totalSteps: 10 });
  assert.equal(String(opt), `${head}    base_momentum: 0.85\n    dampening: 0\n    differentiable: False\n    foreach: None\n    initial_lr: 0.02\n` +
    '    lr: 0.020000000000000018\n    max_lr: 0.5\n    max_momentum: 0.95\n    maximize: False\n    min_lr: 2e-06\n    momentum: 0.95\n' +
    '    nesterov: False\n    weight_decay: 0\n)');
  // PyTorch 1.13: opt = SGD([p], 0.1, momentum=0.9); SWALR(opt, 0.05); print(opt)
  opt = sgd();
  new optim.swa_utils.SWALR(opt, 0.05);
  assert.equal(String(opt), `${head}    dampening: 0\n    differentiable: False\n    foreach: None\n    initial_lr: 0.1\n    lr: 0.1\n    maximize: False\n` +
    '    momentum: 0.9\n    nesterov: False\n    swa_lr: 0.05\n    weight_decay: 0\n)');
});
