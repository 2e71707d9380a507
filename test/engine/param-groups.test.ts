// Parameter groups beyond the PyTorch comparisons of test/golden/param-groups.test.ts: the groups a user sees and
// changes, saving and loading them, what is refused and how it is said, and schedulers on groups.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, manualSeed, nn, optim, tensor, type Tensor } from '../../src/index.js';
import { loose, throwsWith } from './throws.js';

function net(): nn.Sequential {
  manualSeed(3);
  return new nn.Sequential(new nn.Linear(4, 3), new nn.Sigmoid(), new nn.Linear(3, 2));
}

/** `steps` steps of a mean squared error on a fixed batch. */
function train(model: nn.Module, opt: optim.Optimizer, steps: number): void {
  const x = tensor([[0.5, -1, 0, 2], [1, 0.25, -0.5, 0]]);
  const y = tensor([[1, 0], [0, 1]]);
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad();
    F.mseLoss(model.forward(x), y).backward();
    opt.step();
  }
}

const values = (m: nn.Module): number[][] => m.parameters().map((p) => [...p.toArray()]);

test('parameter groups: each group steps with its own options, the others with the optimizer\'s', () => {
  const model = net();
  const body = (model[0] as nn.Linear).parameters();
  const head = (model[2] as nn.Linear).parameters();
  const opt = new optim.SGD([{ params: body }, { params: head, lr: 0, momentum: 0.5 }], { lr: 0.1, momentum: 0.9 });
  assert.deepEqual(opt.paramGroups.map((g) => [g.params.length, g.lr, g.momentum, g.dampening]), [[2, 0.1, 0.9, 0], [2, 0, 0.5, 0]]);
  assert.equal(opt.params.length, 4);
  assert.equal(opt.options, opt.paramGroups[0], 'options is the first group');
  const before = values(model);
  train(model, opt, 3);
  const after = values(model);
  assert.notDeepEqual(after.slice(0, 2), before.slice(0, 2), 'the body moved');
  assert.deepEqual(after.slice(2), before.slice(2), 'the head, at lr 0, did not');
  // A group's options can be changed between steps, as param_groups[1]['lr'] in PyTorch.
  opt.paramGroups[1]!.lr = 0.1;
  train(model, opt, 1);
  assert.notDeepEqual(values(model).slice(2), before.slice(2));
  assert.throws(() => loose<{ push(t: Tensor): void }>(opt.paramGroups[0]!.params).push(tensor([1])), TypeError, 'a group\'s parameter list is fixed');
});

test('parameter groups: one group of all parameters trains exactly as the parameters given alone', () => {
  for (const make of [
    (ps: Tensor[] | optim.ParamGroupInput<optim.AdamOptions>[]) => new optim.Adam(ps, { lr: 0.01, amsgrad: true }),
    (ps: Tensor[] | optim.ParamGroupInput<optim.AdamOptions>[]) => new optim.SGD(ps, { lr: 0.1, momentum: 0.9, nesterov: true }),
  ]) {
    const a = net();
    const b = net();
    train(a, make(a.parameters()), 6);
    train(b, make([{ params: b.parameters() }]), 6);
    assert.deepEqual(values(b), values(a));
  }
});

test('parameter groups: stateDict saves each group\'s options and positions; loading resumes bit for bit', () => {
  const groups = (m: nn.Sequential): optim.ParamGroupInput<optim.AdamOptions>[] => [
    { params: m[0]!.parameters(), betas: [0.8, 0.99] },
    { params: m[2]!.parameters(), lr: 0.003, weightDecay: 0.1 },
  ];
  const straight = net();
  train(straight, new optim.Adam(groups(straight), 0.01), 10);

  const first = net();
  const opt1 = new optim.Adam(groups(first), 0.01);
  train(first, opt1, 5);
  const sd = JSON.parse(JSON.stringify(opt1.stateDict())) as optim.OptimizerStateDict;
  assert.equal(sd.hyper, undefined);
  assert.deepEqual(sd.paramGroups!.map((g) => [g.params, g['lr'], g['betas'], g['weightDecay']]), [[[0, 1], 0.01, [0.8, 0.99], 0], [[2, 3], 0.003, [0.9, 0.999], 0.1]]);
  const resumed = net();
  resumed.loadStateDict(first.stateDict());
  // Built with other options: loading puts the saved ones back, group by group.
  const opt2 = new optim.Adam([{ params: resumed[0]!.parameters() }, { params: resumed[2]!.parameters() }], 0.5);
  opt2.loadStateDict(sd);
  assert.deepEqual(opt2.paramGroups.map((g) => [g.lr, [...g.betas], g.weightDecay]), [[0.01, [0.8, 0.99], 0], [0.003, [0.9, 0.999], 0.1]]);
  train(resumed, opt2, 5);
  assert.deepEqual(values(resumed), values(straight));
});

test('parameter groups: a saved state that does not fit the groups is refused, changing nothing', () => {
  const m = net();
  const two = new optim.SGD([{ params: m[0]!.parameters() }, { params: m[2]!.parameters(), lr: 0.2 }], 0.1);
  const sd = two.stateDict();
  const one = new optim.SGD(net().parameters(), 0.1);
  throwsWith(() => one.loadStateDict(sd), RangeError, 'SGD.loadStateDict: loaded state dict has a different number of parameter groups (2 saved; the optimizer has 1)');
  throwsWith(() => two.loadStateDict(one.stateDict()), RangeError, 'SGD.loadStateDict: loaded state dict has a different number of parameter groups (1 saved, as hyper; the optimizer has 2)');
  const m2 = net();
  const split = new optim.SGD([{ params: [m2[0]!.parameters()[0]!] }, { params: [...m2[0]!.parameters().slice(1), ...m2[2]!.parameters()] }], 0.1);
  throwsWith(() => split.loadStateDict(sd), RangeError, 'SGD.loadStateDict: loaded state dict contains a parameter group that doesn\'t match the size of optimizer\'s group (group 0: 2 parameters saved; the optimizer\'s has 1)');
  throwsWith(() => two.loadStateDict(split.stateDict()), RangeError, '(group 0: 1 parameter saved; the optimizer\'s has 2)');
  const bad = { ...sd, paramGroups: sd.paramGroups!.map((g, i) => (i === 1 ? { ...g, momentum: -1 } : g)) };
  throwsWith(() => two.loadStateDict(bad), RangeError, 'SGD.loadStateDict (parameter group 1) (saved hyper-parameters): Invalid momentum value: -1');
  throwsWith(() => two.loadStateDict({ ...sd, hyper: { lr: 1 } }), TypeError, 'both hyper');
  assert.deepEqual(two.paramGroups.map((g) => [g.lr, g.momentum]), [[0.1, 0], [0.2, 0]]);
});

test('parameter groups: addParamGroup adds parameters with their own options; a parameter in two groups is refused', () => {
  const m = net();
  const opt = new optim.SGD(m[0]!.parameters(), { lr: 0.1, momentum: 0.9 });
  opt.addParamGroup({ params: (m[2] as nn.Linear).weight, lr: 0.01 });
  assert.deepEqual(opt.paramGroups.map((g) => [g.params.length, g.lr, g.momentum]), [[2, 0.1, 0.9], [1, 0.01, 0.9]]);
  assert.equal(opt.params.length, 3);
  throwsWith(() => opt.addParamGroup({ params: [(m[2] as nn.Linear).bias!, m[0]!.parameters()[0]!] }), RangeError, 'SGD.addParamGroup: some parameters appear in more than one parameter group');
  assert.equal(opt.paramGroups.length, 2, 'a refused group is not added');
  throwsWith(() => new optim.Adam([{ params: m[0]!.parameters() }, { params: m[0]!.parameters() }]), RangeError, 'Adam (parameter group 1): some parameters appear in more than one parameter group');
  // PyTorch 1.13's print(opt): each group's options sorted, Python's reprs (all of it golden in optim-repr.test.ts).
  assert.match(String(opt), /^SGD \(\nParameter Group 0\n {4}dampening: 0\n[^]*\n {4}lr: 0\.1\n {4}maximize: False\n {4}momentum: 0\.9\n[^]*\n\nParameter Group 1\n[^]*\n {4}lr: 0\.01\n[^]*\n\)$/);
  assert.match(String(new optim.Adam(m.parameters())), /^Adam \(\nParameter Group 0\n {4}amsgrad: False\n {4}betas: \(0\.9, 0\.999\)\n {4}capturable: False\n[^]*\n {4}eps: 1e-08\n/);
});

test('parameter groups: wrong groups are refused with the group named and what was expected', () => {
  const ps = net().parameters();
  throwsWith(() => new optim.SGD([{ params: ps.slice(0, 2) }, { params: ps.slice(2), lr: 0.1 }]), TypeError, 'SGD (parameter group 0): lr is required', 'give it to the group or to the optimizer');
  throwsWith(() => new optim.SGD(ps, 0.1).loadStateDict({ state: {}, hyper: { momentum: 0.9 } }), TypeError, 'SGD.loadStateDict (saved hyper-parameters): lr is required (PyTorch\'s SGD has no default learning rate)');
  throwsWith(() => new optim.SGD(loose([{ params: ps.slice(0, 2), lrr: 0.1 }]), 0.1), TypeError, 'SGD (parameter group 0): unknown option "lrr" (did you mean lr?)');
  throwsWith(() => new optim.Adam([{ params: ps, betas: [0.9, 2] }]), RangeError, 'Adam (parameter group 0): Invalid beta parameter at index 1: 2');
  throwsWith(() => new optim.SGD(loose([{ params: ps.slice(0, 2) }, ps[2]]), 0.1), TypeError, 'SGD: params mixes parameter groups and tensors (item 1 is a Tensor)');
  throwsWith(() => new optim.SGD(loose([{ params: 3 }]), 0.1), TypeError, 'SGD (parameter group 0): params must be an array (or other iterable) of tensors, or one tensor; got the number 3');
  throwsWith(() => new optim.SGD(loose([{ params: [ps[0], 'w'] }]), 0.1), TypeError, 'SGD (parameter group 0): parameter 1 is not a Tensor');
  throwsWith(() => new optim.SGD(loose([{ params: net().parameters }]), 0.1), TypeError, 'params is a function, not the parameters: call it');
  throwsWith(() => new optim.Adam(ps, loose({ params: ps, lr: 0.1 })), TypeError, 'Adam: unknown option "params": parameter groups go in the first argument, as a list: new optim.Adam([{ params: model.parameters(), lr: 0.1 }], …)');
  throwsWith(() => new optim.SGD(ps, 0.1).addParamGroup(loose(ps)), TypeError, 'SGD.addParamGroup: a parameter group must be an object { params, … }, got an array');
  // All of the groups' checks pass before anything is kept: a group with an empty list is allowed, as in PyTorch.
  assert.equal(new optim.SGD([{ params: [] }, { params: ps }], 0.1).paramGroups.length, 2);
});

test('schedulers on parameter groups: each group from its own rate; groups added later must come first', () => {
  const ps = net().parameters();
  const opt = new optim.SGD([{ params: ps.slice(0, 2) }, { params: ps.slice(2), lr: 0.5 }], 0.1);
  const sched = new optim.lr_scheduler.StepLR(opt, 1, 0.5);
  assert.deepEqual(sched.baseLrs, [0.1, 0.5]);
  sched.step();
  assert.deepEqual(sched.getLastLr(), [0.05, 0.25]);
  assert.deepEqual(opt.paramGroups.map((g) => g.lr), [0.05, 0.25]);
  const saved = sched.stateDict();
  assert.deepEqual([saved.baseLrs, saved.lastLr], [[0.1, 0.5], [0.05, 0.25]]);
  const other = new optim.lr_scheduler.StepLR(new optim.SGD(ps, 0.1), 1, 0.5);
  throwsWith(() => other.loadStateDict(saved), TypeError, 'baseLrs must be an array of one learning rate (one parameter group), got an array of 2');
  // A group added since is scheduled from its own rate, as PyTorch 1.13's StepLR does (see scheduler-added-group.test.ts).
  opt.addParamGroup({ params: [tensor([1], undefined, { requiresGrad: true })] });
  sched.step();
  assert.deepEqual(sched.getLastLr(), [0.025, 0.125, 0.05]);
  throwsWith(() => new optim.lr_scheduler.LambdaLR(new optim.SGD([{ params: ps }], 0.1), [() => 1, () => 2]), RangeError, 'LambdaLR: expected 1 lrLambda functions (one per parameter group), got 2');
  throwsWith(() => new optim.lr_scheduler.LambdaLR(opt, loose([() => 1, 2, () => 1])), TypeError, 'LambdaLR: lrLambda[1] must be a function of the epoch');
});

test('amsgrad turned on after a parameter\'s first step is refused with what to do (PyTorch stops with a KeyError)', () => {
  for (const Opt of [optim.Adam, optim.AdamW]) {
    const p = tensor([1, 2], undefined, { requiresGrad: true });
    const opt = new Opt([p], { lr: 0.1 });
    p.mul(p).sum().backward();
    opt.step();
    opt.paramGroups[0]!.amsgrad = true;
    throwsWith(() => opt.step(), Error, `${Opt.name}: amsgrad was turned on after this parameter's first step, so its state has no max_exp_avg_sq`, 'give amsgrad: true when making the optimizer');
    // Off again, it steps as before.
    opt.paramGroups[0]!.amsgrad = false;
    opt.step();
  }
});
