// Parameter groups against PyTorch (fixtures/torch/param-groups.json, written by make_param_groups.py): SGD, Adam
// and AdamW with per-group options, an SGD whose groups each give the learning rate, add_param_group partway, the
// saved param_groups, and schedulers on two groups.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { optim, tensor, type Tensor } from '../../src/index.js';
import { powInt } from '../../src/optim/pow-int.js';
import { assertTensorClose, decode, loadFixture, values, type EncodedTensor } from './golden-helpers.js';

/**
 * A saved group without PyTorch's switches (foreach, differentiable, capturable, fused), which the fixture's script
 * leaves out: they must hold PyTorch's defaults (None, False), and the rest is compared with the fixture.
 */
function withoutSwitches(g: Record<string, unknown>): Record<string, unknown> {
  const { foreach = null, differentiable = false, capturable = false, fused = false, ...rest } = g;
  assert.deepEqual({ foreach, differentiable, capturable, fused }, { foreach: null, differentiable: false, capturable: false, fused: false });
  return rest;
}

interface GroupSpec {
  params: number[];
  options: Record<string, unknown>;
}

interface GroupCase {
  name: string;
  optimizer: 'SGD' | 'Adam' | 'AdamW';
  defaults: Record<string, unknown>;
  groups: GroupSpec[];
  initial: EncodedTensor[];
  steps: { grads: EncodedTensor[]; params: EncodedTensor[] }[];
  savedGroups: Record<string, unknown>[];
  addAt?: number;
  added?: GroupSpec;
}

interface ScheduleCase {
  name: 'StepLR' | 'MultiStepLR' | 'LambdaLR';
  args: { stepSize?: number; gamma?: number; milestones?: number[] };
  chained: number[][];
  closed: number[][];
}

const fx = loadFixture<{ optimizers: GroupCase[]; schedulers: ScheduleCase[] }>('param-groups.json');

function groupsOf(specs: GroupSpec[], params: Tensor[]): optim.ParamGroupInput<optim.SGDOptions & optim.AdamOptions>[] {
  return specs.map((g) => ({ params: g.params.map((i) => params[i]!), ...g.options }));
}

function make(c: GroupCase, params: Tensor[]): optim.SGD | optim.Adam {
  const groups = groupsOf(c.groups, params);
  switch (c.optimizer) {
    case 'SGD':
      return new optim.SGD(groups, c.defaults as Partial<optim.SGDOptions>);
    case 'Adam':
      return new optim.Adam(groups, c.defaults as optim.AdamOptions);
    case 'AdamW':
      return new optim.AdamW(groups, c.defaults as optim.AdamOptions);
  }
}

test('param-groups.json covers SGD, Adam, AdamW, add_param_group and three schedulers', () => {
  for (const o of ['SGD', 'Adam', 'AdamW']) assert.ok(fx.optimizers.some((c) => c.optimizer === o), o);
  assert.ok(fx.optimizers.some((c) => c.added !== undefined));
  assert.deepEqual(fx.schedulers.map((s) => s.name), ['StepLR', 'MultiStepLR', 'LambdaLR']);
});

for (const c of fx.optimizers) {
  test(`golden: parameter groups, ${c.name}: every parameter after every step, and the saved groups`, () => {
    const params = c.initial.map((e) => decode(e, true));
    const opt = make(c, params);
    c.steps.forEach((s, k) => {
      if (c.addAt === k) opt.addParamGroup(groupsOf([c.added!], params)[0]!);
      params.forEach((p, i) => {
        p.grad = decode(s.grads[i]!);
      });
      opt.step();
      params.forEach((p, i) => assertTensorClose(p, s.params[i]!, `${c.name} step ${k + 1} param ${i}`));
    });
    // The groups as PyTorch's state_dict() lists them: options, and positions group after group.
    assert.deepEqual(opt.stateDict().paramGroups?.map(withoutSwitches), c.savedGroups.map((g) => ({ ...g })));
    // The groups' options differ where the fixture says so: the comparison above tells them apart.
    const moved = (i: number): number => Math.abs(values(c.steps[0]!.params[i]!)[0]! - values(c.initial[i]!)[0]!);
    assert.ok(c.groups.flatMap((g) => g.params).every((i) => moved(i) > 0));
  });
}

/** The fixture's lambdas (Python's 0.9 ** e is C's pow, which powInt gives bit for bit). */
const LAMBDAS = [(e: number): number => powInt(0.9, e), (e: number): number => 1 / (e + 1)];

function schedule(c: ScheduleCase): optim.lr_scheduler.LRScheduler {
  const a = tensor([0, 0], undefined, { requiresGrad: true });
  const b = tensor([0, 0, 0], undefined, { requiresGrad: true });
  const opt = new optim.SGD([{ params: [a] }, { params: [b], lr: 0.02 }], 0.1);
  const { StepLR, MultiStepLR, LambdaLR } = optim.lr_scheduler;
  switch (c.name) {
    case 'StepLR': return new StepLR(opt, c.args.stepSize!, c.args.gamma);
    case 'MultiStepLR': return new MultiStepLR(opt, c.args.milestones!, c.args.gamma);
    case 'LambdaLR': return new LambdaLR(opt, LAMBDAS);
  }
}

for (const c of fx.schedulers) {
  test(`golden: ${c.name} on two parameter groups gives PyTorch's rates for each, to the last bit`, () => {
    const sched = schedule(c);
    const chained = [sched.getLastLr()];
    for (let e = 1; e < c.chained.length; e++) {
      sched.step();
      chained.push(sched.getLastLr());
    }
    assert.deepEqual(chained, c.chained);
    assert.deepEqual(sched.optimizer.paramGroups.map((g) => g.lr), c.chained.at(-1), 'the rates are the groups\'');
    const fresh = schedule(c);
    assert.deepEqual(c.closed.map((_, e) => {
      fresh.step(e);
      return fresh.getLastLr();
    }), c.closed);
    assert.ok(c.chained.some(([x, y]) => x! / y! !== c.chained[0]![0]! / c.chained[0]![1]!) || c.name !== 'LambdaLR', 'LambdaLR\'s groups follow different functions');
  });
}
