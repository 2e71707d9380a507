// RMSprop and Adagrad: PyTorch's option checks and messages, lr by position, first steps against hand-computed
// updates, state dicts that resume with the same bits, zeroGrad, parameters without gradients, schedulers, printing,
// and the fused multiply-add their kernels round as PyTorch's do. (PyTorch's own values: test/golden/optim-more.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { manualSeed, optim, tensor, type Tensor } from '../../src/index.js';
import { fmaf } from '../../src/kernels/ref/fmaf.js';
import { close, P0, param, quadratic, tiny, trainSteps } from './optim-helpers.js';
import { loose, throwsWith } from './throws.js';

const bitsOf = (ps: readonly Tensor[]): number[][] => ps.map((p) => [...new Uint32Array(Float32Array.from(p.toArray()).buffer)]);

test('RMSprop and Adagrad take PyTorch\'s defaults and refuse bad options with its messages', () => {
  const ps = [param()];
  const r = new optim.RMSprop(ps);
  assert.deepEqual({ ...r.options, params: undefined }, { lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false, foreach: null, differentiable: false, params: undefined });
  const a = new optim.Adagrad(ps);
  assert.deepEqual({ ...a.options, params: undefined }, { lr: 0.01, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false, foreach: null, params: undefined });

  throwsWith(() => new optim.RMSprop(ps, { lr: -1 }), RangeError, 'RMSprop: Invalid learning rate: -1');
  throwsWith(() => new optim.RMSprop(ps, { eps: -1e-8 }), RangeError, 'RMSprop: Invalid epsilon value: -1e-8');
  throwsWith(() => new optim.RMSprop(ps, { momentum: -0.9 }), RangeError, 'RMSprop: Invalid momentum value: -0.9');
  throwsWith(() => new optim.RMSprop(ps, { weightDecay: -0.1 }), RangeError, 'RMSprop: Invalid weight_decay value: -0.1');
  throwsWith(() => new optim.RMSprop(ps, { alpha: -0.5 }), RangeError, 'RMSprop: Invalid alpha value: -0.5');
  throwsWith(() => new optim.RMSprop(ps, { alpha: Number.NaN }), RangeError, 'RMSprop: Invalid alpha value: NaN');
  // PyTorch's order: the learning rate, then eps, momentum, weight_decay, alpha.
  throwsWith(() => new optim.RMSprop(ps, { alpha: -1, momentum: -1 }), RangeError, 'Invalid momentum value: -1');
  throwsWith(() => new optim.RMSprop(ps, { alpha: '0.9' as unknown as number }), TypeError, 'RMSprop: alpha must be a number, got the string "0.9"');
  throwsWith(() => new optim.RMSprop(ps, { centered: 1 as unknown as boolean }), TypeError, 'RMSprop: centered must be true or false, got the number 1');

  throwsWith(() => new optim.Adagrad(ps, { lr: -1 }), RangeError, 'Adagrad: Invalid learning rate: -1');
  throwsWith(() => new optim.Adagrad(ps, { lrDecay: -0.1 }), RangeError, 'Adagrad: Invalid lr_decay value: -0.1');
  throwsWith(() => new optim.Adagrad(ps, { weightDecay: -1 }), RangeError, 'Adagrad: Invalid weight_decay value: -1');
  throwsWith(() => new optim.Adagrad(ps, { initialAccumulatorValue: -0.5 }), RangeError, 'Adagrad: Invalid initial_accumulator_value value: -0.5');
  throwsWith(() => new optim.Adagrad(ps, { eps: -1 }), RangeError, 'Adagrad: Invalid epsilon value: -1');
  throwsWith(() => new optim.Adagrad(ps, { lrDecay: -1, eps: -1 }), RangeError, 'Invalid lr_decay value: -1');
  throwsWith(() => new optim.Adagrad(ps, { maximize: 'yes' as unknown as boolean }), TypeError, 'Adagrad: maximize must be true or false, got the string "yes"');
  // A group's own options are checked too, naming the group.
  throwsWith(() => new optim.Adagrad([{ params: [param()], lrDecay: -2 }]), RangeError, 'Adagrad (parameter group 0): Invalid lr_decay value: -2');
  // A rate changed between steps is checked at step() (finite; negative is taken, as PyTorch's).
  const changed = new optim.RMSprop([param()]);
  changed.options.lr = Number.POSITIVE_INFINITY;
  throwsWith(() => changed.step(), RangeError, 'RMSprop: the learning rate must be a finite number, got Infinity');
  assert.throws(() => new optim.Adagrad([]), /Adagrad: optimizer got an empty parameter list/);
});

test('an unknown option is refused with a suggestion and the list of options', () => {
  const ps = [param()];
  const rList = 'the options are lr, alpha, eps, weightDecay, momentum, centered, maximize, foreach, differentiable';
  const aList = 'the options are lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize, foreach';
  throwsWith(() => new optim.RMSprop(ps, loose({ momentun: 0.9 })), TypeError, 'RMSprop: unknown option "momentun" (did you mean momentum?)', rList);
  throwsWith(() => new optim.RMSprop(ps, loose({ weight_decay: 0.1 })), TypeError, 'RMSprop: unknown option "weight_decay" (did you mean weightDecay?)', rList);
  // PyTorch 1.13's RMSprop takes foreach and differentiable, not capturable.
  throwsWith(() => new optim.RMSprop(ps, loose({ capturable: false })), TypeError, 'RMSprop: unknown option "capturable"; the options');
  throwsWith(() => new optim.RMSprop(ps, 0.1, loose({ betas: [0.9, 0.99] })), TypeError, 'RMSprop: unknown option "betas"');
  throwsWith(() => new optim.Adagrad(ps, loose({ lr_decay: 0.1 })), TypeError, 'Adagrad: unknown option "lr_decay" (did you mean lrDecay?)', aList);
  throwsWith(() => new optim.Adagrad(ps, loose({ initial_accumulator_value: 0.1 })), TypeError, 'Adagrad: unknown option "initial_accumulator_value" (did you mean initialAccumulatorValue?)', aList);
  throwsWith(() => new optim.Adagrad(ps, loose({ params: ps })), TypeError, 'Adagrad: unknown option "params": parameter groups go in the first argument');
  throwsWith(() => new optim.Adagrad([{ params: ps, momentum: 0.9 }] as never), TypeError, 'Adagrad (parameter group 0): unknown option "momentum"');
  // Saved hyper-parameters are checked the same way.
  throwsWith(() => new optim.RMSprop(ps).loadStateDict({ state: {}, hyper: { lr: 0.1, weight_decay: 0 } }), TypeError,
    'RMSprop.loadStateDict (saved hyper-parameters): unknown option "weight_decay"');
});

test('the learning rate may come by position: new RMSprop(params, 0.05, { momentum: 0.9 }), new Adagrad(params, 0.1)', () => {
  const p = param();
  const q = param();
  const byPosition = new optim.RMSprop([p], 0.05, { momentum: 0.9, centered: true });
  const byName = new optim.RMSprop([q], { lr: 0.05, momentum: 0.9, centered: true });
  assert.equal(byPosition.options.lr, 0.05);
  assert.equal(byPosition.options.momentum, 0.9);
  quadratic(byPosition, p, 3);
  quadratic(byName, q, 3);
  assert.deepEqual(bitsOf([p]), bitsOf([q]));
  const a = new optim.Adagrad([param()], 0.1);
  assert.equal(a.options.lr, 0.1);
  assert.equal(new optim.Adagrad([param()], 0.1, { lrDecay: 0.5 }).options.lrDecay, 0.5);
  const ps = [param()];
  throwsWith(() => new optim.RMSprop(ps, 0.1, loose({ lr: 0.2 })), TypeError, 'RMSprop: lr given twice: 0.1 by position and 0.2 in the options');
  throwsWith(() => new optim.Adagrad(ps, loose<number>({ lr: 0.1 }), { eps: 1e-6 }), TypeError, 'Adagrad: more named options only follow lr given by position', 'new Adagrad(params, 0.01, { lrDecay: 0.01 })');
  throwsWith(() => new optim.Adagrad(ps, Number.NaN), RangeError, 'Adagrad: Invalid learning rate: NaN');
});

test('first steps match hand-computed updates (float64, to float32 precision)', () => {
  // RMSprop, g = p: v = 0.01·p², p ← p − lr·p / (0.1·|p| + eps) = p − 10·lr·sign(p).
  let p = param();
  close(quadratic(new optim.RMSprop([p], { lr: 0.01 }), p, 1), P0.map((v) => v - (0.01 * v) / (Math.sqrt(0.01 * v * v) + 1e-8)));
  // Two steps, centered with momentum and weight decay, written out.
  const o = { lr: 0.01, alpha: 0.9, eps: 1e-6, weightDecay: 0.1, momentum: 0.5 };
  const ref = [...P0];
  const v = [0, 0, 0];
  const m = [0, 0, 0];
  const b = [0, 0, 0];
  for (let t = 0; t < 2; t++) {
    for (let i = 0; i < 3; i++) {
      const g = ref[i]! + o.weightDecay * ref[i]!;
      v[i] = o.alpha * v[i]! + (1 - o.alpha) * g * g;
      m[i] = o.alpha * m[i]! + (1 - o.alpha) * g;
      b[i] = o.momentum * b[i]! + g / (Math.sqrt(v[i]! - m[i]! * m[i]!) + o.eps);
      ref[i] = ref[i]! - o.lr * b[i]!;
    }
  }
  p = param();
  close(quadratic(new optim.RMSprop([p], { ...o, centered: true }), p, 2), ref, 1e-5);
  // Adagrad's first step moves each coordinate by lr against its gradient's sign (sum = g²); from an initial sum
  // s₀, by lr·g₁ / √(s₀ + g₁²), then lr / (1 + lrDecay) · g₂ / √(s₀ + g₁² + g₂²).
  p = param();
  close(quadratic(new optim.Adagrad([p], { lr: 0.1 }), p, 1), [0.9, -1.9, 2.9]);
  p = param();
  const two = P0.map((x) => {
    const x1 = x - (0.1 * x) / Math.sqrt(0.25 + x * x);
    return x1 - ((0.1 / 1.5) * x1) / Math.sqrt(0.25 + x * x + x1 * x1);
  });
  close(quadratic(new optim.Adagrad([p], { lr: 0.1, lrDecay: 0.5, initialAccumulatorValue: 0.25 }), p, 2), two);
  // maximize ascends.
  p = param();
  close(quadratic(new optim.Adagrad([p], { lr: 0.1, maximize: true }), p, 1), [1.1, -2.1, 3.1]);
  p = param();
  close(quadratic(new optim.RMSprop([p], { lr: 0.01, maximize: true }), p, 1), P0.map((x) => x + 0.1 * Math.sign(x)), 1e-6);
});

const OPTIMIZERS: Record<string, (ps: Tensor[]) => optim.Optimizer> = {
  'RMSprop centered, momentum, weight decay': (ps) => new optim.RMSprop(ps, { lr: 0.01, centered: true, momentum: 0.9, weightDecay: 0.01 }),
  'RMSprop maximize': (ps) => new optim.RMSprop(ps, 0.001, { maximize: true }),
  'Adagrad lrDecay, initialAccumulatorValue': (ps) => new optim.Adagrad(ps, { lr: 0.1, lrDecay: 0.1, initialAccumulatorValue: 0.1 }),
  'Adagrad two groups': (ps) => new optim.Adagrad([{ params: ps.slice(0, 2) }, { params: ps.slice(2), lr: 0.2, weightDecay: 0.1 }], 0.05),
};

for (const [name, make] of Object.entries(OPTIMIZERS)) {
  test(`${name}: stateDict / loadStateDict through JSON resumes with the same bits (5 + 5 steps == 10 steps)`, () => {
    manualSeed(5);
    const straight = tiny();
    const snapshot = Object.fromEntries(Object.entries(straight.stateDict()).map(([k, v]) => [k, v.clone().detach()]));
    trainSteps(straight, make(straight.parameters()), 10);

    const first = tiny();
    first.loadStateDict(snapshot);
    const opt1 = make(first.parameters());
    trainSteps(first, opt1, 5);
    const saved = JSON.parse(JSON.stringify({
      model: Object.fromEntries(Object.entries(first.stateDict()).map(([k, v]) => [k, { shape: v.shape, data: [...v.toArray()] }])),
      opt: opt1.stateDict(),
    })) as { model: Record<string, { shape: number[]; data: number[] }>; opt: optim.OptimizerStateDict };
    const resumed = tiny();
    resumed.loadStateDict(Object.fromEntries(Object.entries(saved.model).map(([k, v]) => [k, tensor(v.data, v.shape)])));
    // A fresh optimizer with other options: loading brings the saved ones back too.
    const opt2 = make(resumed.parameters());
    opt2.paramGroups.forEach((g) => {
      g.lr = 123;
    });
    opt2.loadStateDict(saved.opt);
    assert.deepEqual(opt2.stateDict(), saved.opt);
    trainSteps(resumed, opt2, 5);

    assert.deepEqual(bitsOf(resumed.parameters()), bitsOf(straight.parameters()));
    assert.notDeepEqual(bitsOf(straight.parameters()), bitsOf(Object.values(snapshot)), 'training moved the parameters');
  });
}

test('stateDict: RMSprop keeps step, square_avg, momentum_buffer and grad_avg as its options ask; loading checks them', () => {
  const p = param();
  const opt = new optim.RMSprop([p], { momentum: 0.9, centered: true });
  assert.deepEqual(opt.stateDict().state, {}, 'no state before the first step');
  quadratic(opt, p, 2);
  const sd = opt.stateDict();
  assert.deepEqual(Object.keys(sd.state[0]!), ['step', 'square_avg', 'momentum_buffer', 'grad_avg']);
  assert.equal(sd.state[0]!['step'], 2);
  assert.deepEqual(sd.hyper, { lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0.9, centered: true, maximize: false, foreach: null, differentiable: false });
  const plain = new optim.RMSprop([param()]);
  plain.loadStateDict({ state: {}, hyper: { ...sd.hyper } });
  assert.equal(plain.options.momentum, 0.9);
  const { grad_avg: _m, ...noMean } = sd.state[0]!;
  assert.throws(() => new optim.RMSprop([param()]).loadStateDict({ ...sd, state: { 0: noMean } }),
    /RMSprop\.loadStateDict: the state of parameter 0 lacks "grad_avg" \(RMSprop keeps "step", "square_avg", "momentum_buffer", "grad_avg" here\)/);
  // Buffers of options the loading optimizer does not have now (switched off mid-run) load and are kept, as in PyTorch.
  const off = new optim.RMSprop([param()]);
  off.loadStateDict({ state: sd.state });
  assert.deepEqual(Object.keys(off.stateDict().state[0]!), ['step', 'square_avg', 'momentum_buffer', 'grad_avg']);
  assert.throws(() => new optim.RMSprop([param()]).loadStateDict({ state: { 0: { ...sd.state[0]!, exp_avg: sd.state[0]!['grad_avg']! } } }),
    /parameter 0 has state "exp_avg" .*but RMSprop keeps "step", "square_avg" here/);
  assert.throws(() => new optim.RMSprop([param()], { momentum: 0.9, centered: true }).loadStateDict({ state: { 0: { ...sd.state[0]!, step: 0 } } }),
    /counter "step" of parameter 0 must be an integer ≥ 1, got the number 0/);
});

test('stateDict: Adagrad\'s state is made with the optimizer (step 0, sum at initialAccumulatorValue), as in PyTorch', () => {
  const p = param();
  const q = tensor([[1, 2], [3, 4]], undefined, { requiresGrad: true });
  const opt = new optim.Adagrad([{ params: [p] }, { params: [q], initialAccumulatorValue: 0.25 }], { initialAccumulatorValue: 0.1 });
  const sd = opt.stateDict();
  assert.deepEqual(sd.state, {
    0: { step: 0, sum: { shape: [3], data: [Math.fround(0.1), Math.fround(0.1), Math.fround(0.1)] } },
    // The constructor's 0.1, not the group's own 0.25, as PyTorch 1.13 (and 2.x) fill every group's sum.
    1: { step: 0, sum: { shape: [2, 2], data: [Math.fround(0.1), Math.fround(0.1), Math.fround(0.1), Math.fround(0.1)] } },
  });
  assert.equal(opt.paramGroups[1]!.initialAccumulatorValue, 0.25, 'the group keeps its own value in its options, as PyTorch');
  // A state saved before any step loads (Adagrad's step may be 0), and a negative one is refused.
  const other = new optim.Adagrad([{ params: [param()] }, { params: [tensor([[0, 0], [0, 0]], undefined, { requiresGrad: true })] }]);
  other.loadStateDict(sd);
  assert.deepEqual(other.stateDict(), sd);
  assert.throws(() => other.loadStateDict({ ...sd, state: { ...sd.state, 0: { ...sd.state[0]!, step: -1 } } }),
    /Adagrad\.loadStateDict: counter "step" of parameter 0 must be an integer ≥ 0, got the number -1/);
  assert.throws(() => other.loadStateDict({ ...sd, state: { 0: { step: 1 } } }), /lacks "sum" \(Adagrad keeps "step", "sum" here\)/);
  // A parameter with no entry in a loaded state starts afresh at its first step.
  const lone = param();
  const partial = new optim.Adagrad([lone], { lr: 0.1, initialAccumulatorValue: 0.5 });
  partial.loadStateDict({ state: {} });
  assert.deepEqual(partial.stateDict().state, {});
  lone.grad = tensor([1, 1, 1]);
  partial.step();
  assert.deepEqual(partial.stateDict().state[0], { step: 1, sum: { shape: [3], data: [1.5, 1.5, 1.5] } });
  // A group added later gets its state too, from its own initialAccumulatorValue.
  const late = tensor([5], undefined, { requiresGrad: true });
  opt.addParamGroup({ params: [late], initialAccumulatorValue: 4 });
  assert.deepEqual(opt.stateDict().state[2], { step: 0, sum: { shape: [1], data: [4] } });
  late.grad = tensor([3]);
  opt.step();
  // sum = 4 + 3·3 = 13, p = 5 + (−0.01·3) / (√13 + eps), each op rounded to float32.
  const f = Math.fround;
  assert.equal(late.toArray()[0], f(5 + f(f(f(-0.01) * 3) / f(f(Math.sqrt(13)) + f(1e-10)))));
  close([late.toArray()[0]!], [5 - 0.03 / Math.sqrt(13)]);
  assert.equal(opt.stateDict().paramGroups![2]!['initialAccumulatorValue'], 4);
});

test('zeroGrad clears the gradients; a step with zero gradients leaves the parameters, with setToNone it skips them', () => {
  for (const make of [(ps: Tensor[]) => new optim.RMSprop(ps, { momentum: 0.5 }), (ps: Tensor[]) => new optim.Adagrad(ps)]) {
    const p = param();
    const opt = make([p]);
    quadratic(opt, p, 1);
    const after1 = [...p.toArray()];
    opt.zeroGrad();
    assert.deepEqual([...p.grad!.toArray()], [0, 0, 0]);
    // RMSprop's momentum buffer still moves p (b ← μ·b + 0); Adagrad's update is 0.
    opt.step();
    assert.equal(opt.stateDict().state[0]!['step'], 2);
    if (opt instanceof optim.Adagrad) assert.deepEqual([...p.toArray()], after1);
    else assert.notDeepEqual([...p.toArray()], after1);
    const before = [...p.toArray()];
    opt.zeroGrad(true);
    assert.equal(p.grad, null);
    opt.step();
    assert.deepEqual([...p.toArray()], before);
    assert.equal(opt.stateDict().state[0]!['step'], 2, 'no step counted without a gradient');
  }
});

test('parameters without a gradient are skipped: unchanged, no step counted (RMSprop makes no state for them)', () => {
  const used = param();
  const unused = param();
  const r = new optim.RMSprop([used, unused], { centered: true });
  used.sum().backward();
  const version = unused.version;
  r.step();
  assert.deepEqual([...unused.toArray()], P0);
  assert.equal(unused.version, version);
  assert.notDeepEqual([...used.toArray()], P0);
  assert.deepEqual(Object.keys(r.stateDict().state), ['0']);

  const aUsed = param();
  const aUnused = param();
  const a = new optim.Adagrad([aUsed, aUnused], { initialAccumulatorValue: 0.5 });
  aUsed.sum().backward();
  a.step();
  a.step();
  assert.deepEqual([...aUnused.toArray()], P0);
  const st = a.stateDict().state;
  assert.equal(st[0]!['step'], 2);
  assert.deepEqual(st[1], { step: 0, sum: { shape: [3], data: [0.5, 0.5, 0.5] } });
});

test('momentum or centered turned on after the first step is refused before anything changes, as PyTorch\'s KeyError', () => {
  const p = param();
  const q = param();
  const opt = new optim.RMSprop([p, q]);
  quadratic(opt, p, 1);
  opt.options.centered = true;
  const before = bitsOf([p]);
  throwsWith(() => quadratic(opt, p, 1), Error, 'RMSprop: centered was turned on after this parameter\'s first step, so its state has no grad_avg', 'KeyError: \'grad_avg\'');
  assert.deepEqual(bitsOf([p]), before);
  opt.options.centered = false;
  opt.options.momentum = 0.9;
  throwsWith(() => quadratic(opt, p, 1), Error, 'RMSprop: momentum was set after this parameter\'s first step, so its state has no momentum_buffer');
  // A parameter stepped for the first time with momentum gets its buffer.
  const r = new optim.RMSprop([q]);
  r.options.momentum = 0.9;
  quadratic(r, q, 2);
  assert.deepEqual(Object.keys(r.stateDict().state[0]!), ['step', 'square_avg', 'momentum_buffer']);
});

test('a scheduler sets each group\'s lr, and the steps use it (StepLR on RMSprop, ExponentialLR on Adagrad)', () => {
  for (const [make, schedule] of [
    [(ps: Tensor[]) => new optim.RMSprop(ps, 0.1, { momentum: 0.5 }), (o: optim.Optimizer) => new optim.lr_scheduler.StepLR(o, 2, 0.5)],
    [(ps: Tensor[]) => new optim.Adagrad([{ params: ps }], 0.1, { lrDecay: 0.1 }), (o: optim.Optimizer) => new optim.lr_scheduler.ExponentialLR(o, 0.5)],
  ] as const) {
    const p = param();
    const opt = make([p]);
    const sched = schedule(opt);
    const rates: number[] = [];
    for (let epoch = 0; epoch < 4; epoch++) {
      rates.push(opt.paramGroups[0]!.lr);
      quadratic(opt, p, 1);
      sched.step();
    }
    // The same rates set by hand give the same bits; a constant rate does not.
    const q = param();
    const byHand = make([q]);
    for (const lr of rates) {
      byHand.paramGroups[0]!.lr = lr;
      quadratic(byHand, q, 1);
    }
    assert.deepEqual(bitsOf([p]), bitsOf([q]));
    const c = param();
    quadratic(make([c]), c, 4);
    assert.notDeepEqual(bitsOf([p]), bitsOf([c]));
    assert.ok(rates[3]! < rates[0]!, `rates ${rates.join(', ')}`);
  }
  // Two groups: each follows the schedule from its own rate.
  const opt = new optim.Adagrad([{ params: [param()] }, { params: [param()], lr: 0.02 }], 0.1);
  const sched = new optim.lr_scheduler.StepLR(opt, 1, 0.5);
  quadratic(opt, opt.params[0]!, 1);
  sched.step();
  assert.deepEqual(sched.getLastLr(), [0.05, 0.01]);
  assert.deepEqual(opt.paramGroups.map((g) => g.lr), [0.05, 0.01]);
});

test('printing: PyTorch 1.13\'s print(opt), its keys sorted, one group after another', () => {
  assert.equal(String(new optim.RMSprop([param()])), 'RMSprop (\nParameter Group 0\n    alpha: 0.99\n    centered: False\n    differentiable: False\n    eps: 1e-08\n    foreach: None\n    lr: 0.01\n    maximize: False\n    momentum: 0\n    weight_decay: 0\n)');
  assert.equal(String(new optim.RMSprop([param()], 0.1, { momentum: 0.9, centered: true, weightDecay: 0.01 })),
    'RMSprop (\nParameter Group 0\n    alpha: 0.99\n    centered: True\n    differentiable: False\n    eps: 1e-08\n    foreach: None\n    lr: 0.1\n    maximize: False\n    momentum: 0.9\n    weight_decay: 0.01\n)');
  assert.equal(String(new optim.Adagrad([param()])), 'Adagrad (\nParameter Group 0\n    eps: 1e-10\n    foreach: None\n    initial_accumulator_value: 0\n    lr: 0.01\n    lr_decay: 0\n    maximize: False\n    weight_decay: 0\n)');
  assert.equal(String(new optim.Adagrad([{ params: [param()] }, { params: [param(), param()], lr: 0.5, lrDecay: 0.1 }])),
    'Adagrad (\nParameter Group 0\n    eps: 1e-10\n    foreach: None\n    initial_accumulator_value: 0\n    lr: 0.01\n    lr_decay: 0\n    maximize: False\n    weight_decay: 0\n\nParameter Group 1\n    eps: 1e-10\n    foreach: None\n    initial_accumulator_value: 0\n    lr: 0.5\n    lr_decay: 0.1\n    maximize: False\n    weight_decay: 0\n)');
});

test('PyTorch\'s snake_case names are refused with Kindling\'s, and a step bumps the parameter\'s version', () => {
  const p = param();
  const opt = new optim.Adagrad([p]);
  assert.throws(() => (opt as unknown as { zero_grad(): void }).zero_grad(), /optimizer\.zero_grad\(\) is PyTorch's name; Kindling's is optimizer\.zeroGrad\(\)/);
  const v = p.version;
  quadratic(opt, p, 1);
  assert.equal(p.version, v + 1);
});

test('fmaf rounds a·b + c once, as C\'s fmaf, also where the double sum lands halfway between two float32 values', () => {
  const f = Math.fround;
  const a = 1 + 2 ** -12; // a·a = 1 + 2⁻¹¹ + 2⁻²⁴: halfway between two float32 values
  assert.equal(fmaf(a, a, 0), 1 + 2 ** -11, 'a tie, to even');
  assert.equal(fmaf(a, a, 2 ** -80), 1 + 2 ** -11 + 2 ** -23, 'just above the tie (lost in the double sum): up');
  assert.equal(f(a * a + 2 ** -80), 1 + 2 ** -11, 'where rounding the double sum goes to even');
  assert.equal(fmaf(a, a, -(2 ** -80)), 1 + 2 ** -11, 'just below the tie: down');
  assert.equal(fmaf(-a, a, -(2 ** -80)), -(1 + 2 ** -11 + 2 ** -23), 'negative, just beyond the tie: away from zero');
  // Against separately rounded products: one rounding fewer.
  const x = f(0.1);
  const y = f(0.7);
  assert.equal(fmaf(x, y, -f(x * y)), x * y - f(x * y), 'the product\'s rounding error, exactly');
  assert.notEqual(fmaf(x, y, -f(x * y)), 0);
  // Subnormal results, zeros, infinities and NaN.
  assert.equal(fmaf(2 ** -75, 2 ** -75, 0), 0, 'exactly half the least subnormal: a tie, to even (zero)');
  assert.equal(fmaf(2 ** -75, 2 ** -75, 2 ** -149), 2 ** -148, '1.5 least subnormals: a tie, to even');
  assert.equal(fmaf(2 ** -75, 2 ** -74, 0), 2 ** -149);
  assert.ok(Object.is(fmaf(-0, 1, -0), -0));
  assert.ok(Object.is(fmaf(-0, 1, 0), 0));
  assert.equal(fmaf(f(3e38), 10, 0), Infinity);
  assert.ok(Number.isNaN(fmaf(Infinity, 0, 1)));
});
