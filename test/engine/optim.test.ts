// Optimizers: validation messages, steps against hand-computed updates, state dicts that resume exactly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { manualSeed, nn, optim, tensor, type Tensor } from '../../src/index.js';
import { close, P0, param, quadratic, tiny, trainSteps } from './optim-helpers.js';
import { loose, throwsWith } from './throws.js';


test('hyper-parameters are validated at construction with PyTorch-like messages', () => {
  const ps = [param()];
  assert.throws(() => new optim.SGD(ps, { lr: -1 }), /Invalid learning rate: -1/);
  // As in PyTorch, SGD has no default learning rate (a JavaScript caller can still leave it out).
  assert.throws(() => new (optim.SGD as unknown as new (p: unknown) => unknown)(ps), /SGD: lr is required/);
  assert.throws(() => new optim.SGD(ps, {} as optim.SGDOptions), /SGD: lr is required/);
  assert.throws(() => new optim.Adam(ps, { lr: -1 }), /Invalid learning rate: -1/);
  assert.throws(() => new optim.AdamW(ps, { lr: -0.5 }), /Invalid learning rate: -0.5/);
  assert.throws(() => new optim.Adam(ps, { lr: Number.NaN }), /Invalid learning rate: NaN/);
  assert.throws(() => new optim.Adam(ps, { lr: '0.01' as unknown as number }), /Adam: the learning rate must be a number, got the string "0\.01"/);
  assert.throws(() => new optim.Adam(ps, { eps: '1e-8' as unknown as number }), /Adam: eps must be a number, got the string "1e-8"/);
  assert.throws(() => new optim.Adam(ps, { betas: ['0.9', 0.999] as unknown as [number, number] }), /Adam: betas must be a pair of numbers, got an array/);
  assert.throws(() => new optim.SGD(ps, { lr: 0.1, momentum: '0.9' as unknown as number }), /SGD: momentum must be a number, got the string "0\.9"/);
  assert.throws(() => new optim.SGD(ps, { lr: 0.1, nesterov: 1 as unknown as boolean }), /SGD: nesterov must be true or false, got the number 1/);
  // The learning rate can be changed between steps (PyTorch's param_groups[0]['lr'] = …); a bad one is refused at step().
  const w = tensor([1], undefined, { requiresGrad: true });
  const lrOpt = new optim.SGD([w], 0.25);
  w.sum().backward();
  lrOpt.step();
  lrOpt.options.lr = 0.5;
  lrOpt.step();
  assert.deepEqual([...w.toArray()], [0.25], '1 − 0.25·1 − 0.5·1: the new rate is used from the next step');
  const changed = new optim.Adam([param()], { lr: 0.1 });
  changed.options.lr = Number.NaN;
  assert.throws(() => changed.step(), /Adam: the learning rate must be a finite number, got NaN/);
  // A negative rate set between steps is taken, as PyTorch's step() takes param_groups[i]['lr'] = -0.5
  // (there SGD and Adam both give 1.5 from 1 with gradient 1).
  for (const make of [(p: Tensor) => new optim.SGD([p], 0.1), (p: Tensor) => new optim.Adam([p], { lr: 0.1 })]) {
    const p = tensor([1], undefined, { requiresGrad: true });
    const o = make(p);
    o.options.lr = -0.5;
    p.sum().backward();
    o.step();
    assert.deepEqual([...p.toArray()], [1.5]);
  }
  const sgdChanged = new optim.SGD([param()], 0.1);
  sgdChanged.options.lr = '0.5' as unknown as number;
  assert.throws(() => sgdChanged.step(), /SGD: the learning rate must be a number, got the string "0\.5"/);
  // model.parameters without the call, and other things that are not parameter lists.
  const model = new nn.Linear(2, 1);
  assert.throws(() => new optim.SGD(model.parameters as unknown as Tensor[], 0.01), /SGD: params is a function, not the parameters: call it \(new optim\.SGD\(model\.parameters\(\), …\)\)/);
  assert.throws(() => new optim.Adam(model as unknown as Tensor[]), /Adam: params must be an array \(or other iterable\) of tensors, such as model\.parameters\(\), or of parameter groups \{ params, … \}; got a Linear/);
  assert.throws(() => new optim.Adam(ps, { betas: [1, 0.999] }), /Invalid beta parameter at index 0: 1/);
  assert.throws(() => new optim.Adam(ps, { betas: [0.9, -0.1] }), /Invalid beta parameter at index 1: -0.1/);
  assert.throws(() => new optim.Adam(ps, { eps: -1e-8 }), /Invalid epsilon value: -1e-8/);
  assert.throws(() => new optim.Adam(ps, { weightDecay: -1 }), /Invalid weight_decay value: -1/);
  assert.throws(() => new optim.SGD(ps, { lr: 0.1, weightDecay: -0.1 }), /Invalid weight_decay value: -0.1/);
  assert.throws(() => new optim.SGD(ps, { lr: 0.1, momentum: -1 }), /Invalid momentum value: -1/);
  assert.throws(() => new optim.SGD(ps, { lr: 0.1, nesterov: true }), /Nesterov momentum requires a momentum and zero dampening/);
  assert.throws(() => new optim.SGD(ps, { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true }), /Nesterov momentum requires a momentum and zero dampening/);
  // PyTorch 1.13 checks Nesterov's condition on the constructor's arguments only: groups with a momentum do not
  // save a constructor without one, and a group's own dampening (or momentum 0) beside nesterov is taken.
  assert.throws(() => new optim.SGD([{ params: [ps[0]!], momentum: 0.9 }], { lr: 0.1, nesterov: true }), /SGD: Nesterov momentum requires a momentum and zero dampening/);
  {
    const p = tensor([1, -2, 3], undefined, { requiresGrad: true });
    const q = tensor([0.5, 0.25], undefined, { requiresGrad: true });
    const opt = new optim.SGD([{ params: [p], nesterov: true, dampening: 0.5, momentum: 0.9, weightDecay: 0.1 }, { params: [q], momentum: 0 }], { lr: 0.1, momentum: 0.8, nesterov: true });
    for (let i = 0; i < 3; i++) {
      opt.zeroGrad();
      p.pow(2).sum().add(q.pow(3).sum()).backward();
      opt.step();
    }
    // PyTorch 1.13's values for the same steps.
    close([...p.toArray()], [-0.0317937359, 0.0635874718, -0.0953811631]);
    close([...q.toArray()], [0.329561919, 0.201312825]);
  }
  assert.throws(() => new optim.SGD([], { lr: 0.1 }), /empty parameter list/);
  assert.throws(() => new optim.SGD([ps[0]!.mul(2)], { lr: 0.1 }), /non-leaf/);
  assert.throws(() => new optim.Adam([ps[0]!, ps[0]!]), /more than once/);
  assert.deepEqual(new optim.Adam(ps).options.betas, [0.9, 0.999]);
  assert.equal(new optim.Adam(ps).options.lr, 0.001);
  assert.equal(new optim.Adam(ps).options.eps, 1e-8);
  assert.equal(new optim.AdamW(ps).options.weightDecay, 0.01);
});

test('SGD steps on a 3-element parameter match hand-computed updates', () => {
  const p0 = P0;
  const times = (f: number): number[] => p0.map((v) => v * f);
  // Plain: p ← p − 0.1·p.
  let p = param();
  close(quadratic(new optim.SGD([p], { lr: 0.1 }), p, 1), [0.9, -1.8, 2.7]);
  close(quadratic(new optim.SGD([p], { lr: 0.1 }), p, 1), times(0.81));
  // Momentum 0.9: buf₁ = g₁ = p₀, p₁ = 0.9p₀; buf₂ = 0.9p₀ + 0.9p₀, p₂ = 0.9p₀ − 0.18p₀.
  p = param();
  close(quadratic(new optim.SGD([p], { lr: 0.1, momentum: 0.9 }), p, 2), times(0.72));
  // Dampening 0.5 (not applied on the first step): buf₂ = 0.9p₀ + 0.5·0.9p₀.
  p = param();
  close(quadratic(new optim.SGD([p], { lr: 0.1, momentum: 0.9, dampening: 0.5 }), p, 2), times(0.765));
  // Nesterov: d₁ = g₁ + 0.9·buf₁ = 1.9p₀ → 0.81p₀; buf₂ = 0.9p₀ + 0.81p₀, d₂ = 0.81p₀ + 0.9·1.71p₀ → 0.5751p₀.
  p = param();
  close(quadratic(new optim.SGD([p], { lr: 0.1, momentum: 0.9, nesterov: true }), p, 2), times(0.5751));
  // Weight decay 0.1: d = g + 0.1p = 1.1p.
  p = param();
  close(quadratic(new optim.SGD([p], { lr: 0.1, weightDecay: 0.1 }), p, 1), times(0.89));
  // Maximize: ascend.
  p = param();
  close(quadratic(new optim.SGD([p], { lr: 0.1, maximize: true }), p, 1), times(1.1));
});

/** Adam written out in float64, for comparison. */
function adamReference(grads: readonly number[][], o: { lr: number; wd?: number; decoupled?: boolean; amsgrad?: boolean }): number[] {
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  const p = [...P0];
  const m = [0, 0, 0];
  const v = [0, 0, 0];
  const vmax = [0, 0, 0];
  grads.forEach((gFixed, k) => {
    const t = k + 1;
    const g = gFixed.length ? gFixed : [...p]; // an empty entry means g = p (the quadratic)
    for (let i = 0; i < 3; i++) {
      let gi = g[i]!;
      if (o.decoupled) p[i] = p[i]! * (1 - o.lr * (o.wd ?? 0));
      else if (o.wd) gi += o.wd * p[i]!;
      m[i] = b1 * m[i]! + (1 - b1) * gi;
      v[i] = b2 * v[i]! + (1 - b2) * gi * gi;
      vmax[i] = Math.max(vmax[i]!, v[i]!);
      const vhat = (o.amsgrad ? vmax[i]! : v[i]!) / (1 - b2 ** t);
      p[i] = p[i]! - (o.lr * (m[i]! / (1 - b1 ** t))) / (Math.sqrt(vhat) + eps);
    }
  });
  return p;
}

test('Adam / AdamW / amsgrad steps match hand-computed updates', () => {
  let p = param();
  // First step of Adam moves each coordinate by lr against the sign of its gradient.
  close(quadratic(new optim.Adam([p], { lr: 0.1 }), p, 1), [0.9, -1.9, 2.9]);
  p = param();
  close(quadratic(new optim.Adam([p], { lr: 0.1 }), p, 3), adamReference([[], [], []], { lr: 0.1 }));
  p = param();
  close(quadratic(new optim.Adam([p], { lr: 0.1, weightDecay: 0.1 }), p, 3), adamReference([[], [], []], { lr: 0.1, wd: 0.1 }));
  // AdamW decays the parameter itself: p₁ = 0.999·p₀ − 0.1·sign(p₀).
  p = param();
  close(quadratic(new optim.AdamW([p], { lr: 0.1 }), p, 1), [0.899, -1.898, 2.897]);
  p = param();
  close(quadratic(new optim.AdamW([p], { lr: 0.1, weightDecay: 0.1 }), p, 3), adamReference([[], [], []], { lr: 0.1, wd: 0.1, decoupled: true }));
  // amsgrad differs from Adam only once v shrinks: a large gradient followed by small ones.
  const grads = [[10, -10, 10], [0.1, 0.1, -0.1], [0.1, 0.1, -0.1]];
  for (const amsgrad of [false, true]) {
    p = param();
    const opt = new optim.Adam([p], { lr: 0.1, amsgrad });
    for (const g of grads) {
      opt.zeroGrad();
      p.mul(tensor(g)).sum().backward();
      opt.step();
    }
    close([...p.toArray()], adamReference(grads, { lr: 0.1, amsgrad }), 1e-5);
  }
  assert.notDeepEqual(adamReference(grads, { lr: 0.1, amsgrad: true }), adamReference(grads, { lr: 0.1 }));
});

test('parameters without a gradient are left alone (and get no optimizer state)', () => {
  const used = param();
  const unused = param();
  const opt = new optim.Adam([used, unused], { lr: 0.1 });
  used.sum().backward();
  opt.step();
  assert.deepEqual([...unused.toArray()], P0);
  assert.notDeepEqual([...used.toArray()], P0);
  assert.deepEqual(Object.keys(opt.stateDict().state), ['0']);
});

const OPTIMIZERS: Record<string, (ps: Tensor[]) => optim.Optimizer> = {
  'SGD momentum nesterov weight decay': (ps) => new optim.SGD(ps, { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01 }),
  'SGD dampening': (ps) => new optim.SGD(ps, { lr: 0.05, momentum: 0.5, dampening: 0.3 }),
  Adam: (ps) => new optim.Adam(ps, { lr: 0.01 }),
  'AdamW amsgrad': (ps) => new optim.AdamW(ps, { lr: 0.01, amsgrad: true }),
};

for (const [name, make] of Object.entries(OPTIMIZERS)) {
  test(`${name}: stateDict / loadStateDict resumes bit-identically (5 + 5 steps == 10 steps)`, () => {
    manualSeed(3);
    const straight = tiny();
    const init = straight.stateDict();
    const snapshot = Object.fromEntries(Object.entries(init).map(([k, v]) => [k, v.clone().detach()]));
    trainSteps(straight, make(straight.parameters()), 10);

    const first = tiny();
    first.loadStateDict(snapshot);
    const opt1 = make(first.parameters());
    trainSteps(first, opt1, 5);
    // Save both, through JSON as a file would, and resume in fresh objects.
    const saved = JSON.parse(JSON.stringify({ model: Object.fromEntries(Object.entries(first.stateDict()).map(([k, v]) => [k, { shape: v.shape, data: [...v.toArray()] }])), opt: opt1.stateDict() })) as {
      model: Record<string, { shape: number[]; data: number[] }>;
      opt: optim.OptimizerStateDict;
    };
    const resumed = tiny();
    resumed.loadStateDict(Object.fromEntries(Object.entries(saved.model).map(([k, v]) => [k, tensor(v.data, v.shape)])));
    const opt2 = make(resumed.parameters());
    opt2.loadStateDict(saved.opt);
    trainSteps(resumed, opt2, 5);

    const a = straight.parameters().map((p) => [...p.toArray()]);
    const b = resumed.parameters().map((p) => [...p.toArray()]);
    assert.deepEqual(b, a);
    assert.notDeepEqual(a, Object.values(snapshot).map((t) => [...t.toArray()]), 'training moved the parameters');
  });
}

test('optimizer stateDict holds step counts and row-major buffers; loading rejects mismatched buffers', () => {
  const p = param();
  const opt = new optim.Adam([p], { lr: 0.1 });
  quadratic(opt, p, 4);
  const sd = opt.stateDict();
  const s0 = sd.state[0]!;
  assert.equal(s0['step'], 4);
  assert.deepEqual((s0['exp_avg'] as { shape: number[] }).shape, [3]);
  const other = new optim.Adam([tensor([1, 2], undefined, { requiresGrad: true })]);
  assert.throws(() => other.loadStateDict(sd), /has 3 values, expected 2/);
  const few = new optim.Adam([tensor([1, 2, 3], undefined, { requiresGrad: true })]);
  assert.throws(() => few.loadStateDict({ ...sd, state: { ...sd.state, 1: s0 } }), /state for parameter 1, but the optimizer has 1 parameters/);
});

test('a corrupt optimizer state is refused with a clear error, not loaded as NaN, reshaped or failing inside', () => {
  const p = tensor([[1, 2, 3], [4, 5, 6]], undefined, { requiresGrad: true });
  const saved = new optim.Adam([p], 0.01);
  p.sum().backward();
  saved.step();
  const good = saved.stateDict();
  const avg = good.state[0]!['exp_avg'] as { shape: number[]; data: number[] };
  const withAvg = (v: unknown): optim.OptimizerStateDict => ({ ...good, state: { 0: { ...good.state[0], exp_avg: loose(v) } } });
  const where = 'Adam.loadStateDict';
  const fresh = (): optim.Adam => new optim.Adam([tensor([[0, 0, 0], [0, 0, 0]], undefined, { requiresGrad: true })], 0.5);
  // Before, strings loaded as NaN and a transposed shape loaded silently; null data threw a bare "Cannot read properties".
  throwsWith(() => fresh().loadStateDict(withAvg({ ...avg, data: avg.data.map(() => 'x') })), TypeError, `${where}: buffer "exp_avg" of parameter 0: data[0] is the string "x", not a number`);
  throwsWith(() => fresh().loadStateDict(withAvg({ ...avg, shape: [3, 2] })), RangeError, `${where}: buffer "exp_avg" of parameter 0 has shape [3, 2], expected [2, 3]`);
  throwsWith(() => fresh().loadStateDict(withAvg({ ...avg, data: null })), TypeError, `${where}: buffer "exp_avg" of parameter 0: data must be an array of numbers, got null`);
  throwsWith(() => fresh().loadStateDict(withAvg({ shape: [2, 3] })), TypeError, 'data must be an array of numbers, got undefined');
  throwsWith(() => fresh().loadStateDict(loose({ ...good, state: null })), TypeError, `${where}: state must be an object`);
  throwsWith(() => fresh().loadStateDict(loose({ ...good, state: { 0: 7 } })), TypeError, `${where}: the state of parameter 0 must be an object`);
  throwsWith(() => fresh().loadStateDict(loose(42)), TypeError, `${where}: expected an object as stateDict() returns`);
  // Nothing changed, and the good state still loads.
  const opt = fresh();
  assert.throws(() => opt.loadStateDict(withAvg({ ...avg, shape: [6] })), /has shape \[6\], expected \[2, 3\]/);
  assert.equal(opt.options.lr, 0.5);
  opt.loadStateDict(JSON.parse(JSON.stringify(good)) as optim.OptimizerStateDict);
  assert.deepEqual((opt.stateDict().state[0]!['exp_avg'] as { data: number[] }).data, avg.data);
});

test('loading an optimizer state takes its saved hyper-parameters too (as PyTorch does), validated, and all or nothing', () => {
  const p = param();
  const saved = new optim.Adam([p], { lr: 0.05, betas: [0.8, 0.99], eps: 1e-6 });
  quadratic(saved, p, 2);
  const sd = saved.stateDict();
  const q = param();
  const loaded = new optim.Adam([q]);
  loaded.loadStateDict(sd);
  assert.equal(loaded.options.lr, 0.05);
  assert.deepEqual([...loaded.options.betas], [0.8, 0.99]);
  assert.equal(loaded.options.eps, 1e-6);
  // Continuing from the loaded state gives exactly what continuing the saved optimizer gives.
  q.data.set(p.data);
  quadratic(saved, p, 3);
  quadratic(loaded, q, 3);
  assert.deepEqual([...q.data], [...p.data]);

  const sgd = new optim.SGD([param()], { lr: 0.5 });
  sgd.loadStateDict({ state: {}, hyper: { lr: 0.01, momentum: 0.9 } });
  assert.equal(sgd.options.lr, 0.01);
  assert.equal(sgd.options.momentum, 0.9);
  // A bad saved value is refused with the constructor's message, and nothing is changed.
  assert.throws(() => sgd.loadStateDict({ state: {}, hyper: { lr: Number.NaN } }), /SGD.loadStateDict \(saved hyper-parameters\): Invalid learning rate: NaN/);
  assert.throws(() => sgd.loadStateDict({ state: {}, hyper: { lr: -1, momentum: -1 } }), /SGD.loadStateDict \(saved hyper-parameters\): Invalid momentum value: -1/);
  assert.equal(sgd.options.lr, 0.01);
  // A saved negative rate (a group's rate at step(), as OneCycleLR's last can be) is taken, as PyTorch's
  // load_state_dict takes it.
  const neg = new optim.SGD([param()], { lr: 0.5 });
  neg.loadStateDict({ state: {}, hyper: { lr: -0.25, momentum: 0.9 } });
  assert.equal(neg.options.lr, -0.25);
  assert.equal(neg.options.momentum, 0.9);
  const bad = { ...sd, hyper: { ...sd.hyper, betas: [1.5, 0.9] } };
  assert.throws(() => loaded.loadStateDict(bad), /Invalid beta parameter at index 0: 1.5/);
  assert.equal(loaded.options.lr, 0.05);
  const wrongSize = new optim.Adam([tensor([1, 2], undefined, { requiresGrad: true })], { lr: 0.2 });
  assert.throws(() => wrongSize.loadStateDict(sd), /has 3 values, expected 2/);
  assert.equal(wrongSize.options.lr, 0.2, 'a state that does not fit changes nothing');
});

/** Asserts that `fn` throws a `type` whose message holds every fragment. */
test('an unknown option is an error naming it, with a suggestion and the list of options', () => {
  const ps = [param()];
  const sgdList = 'the options are lr, momentum, dampening, nesterov, weightDecay, maximize, foreach, differentiable';
  const adamList = 'the options are lr, betas, eps, weightDecay, amsgrad, maximize, foreach, capturable';
  throwsWith(() => new optim.SGD(ps, loose({ lr: 0.1, momentun: 0.9 })), TypeError, 'SGD: unknown option "momentun" (did you mean momentum?)', sgdList);
  throwsWith(() => new optim.SGD(ps, loose({ lr: 0.1, weight_decay: 0.5 })), TypeError, 'SGD: unknown option "weight_decay" (did you mean weightDecay?)', sgdList);
  throwsWith(() => new optim.Adam(ps, loose({ lr: 0.1, weight_decay: 0.5 })), TypeError, 'Adam: unknown option "weight_decay" (did you mean weightDecay?)', adamList);
  throwsWith(() => new optim.AdamW(ps, loose({ beta: [0.9, 0.99] })), TypeError, 'AdamW: unknown option "beta" (did you mean betas?)', adamList);
  // PyTorch 1.13's AdamW takes foreach and capturable, not Adam's differentiable and fused.
  throwsWith(() => new optim.AdamW(ps, loose({ fused: false })), TypeError, 'AdamW: unknown option "fused"; the options are lr, betas, eps, weightDecay, amsgrad, maximize, foreach, capturable');
  // Checked before the missing learning rate, which the typo may be.
  throwsWith(() => new optim.SGD(ps, loose({ learning_rate: 0.1 })), TypeError, 'SGD: unknown option "learning_rate"');
  throwsWith(() => new optim.Adam(ps, loose([0.1])), TypeError, 'Adam: options must be an object', 'an array');
  throwsWith(() => new optim.Adam(ps, loose('fast')), TypeError, 'Adam: the learning rate must be a number, got the string "fast"');
  // Saved hyper-parameters are checked the same way, and a refused state changes nothing.
  const sgd = new optim.SGD(ps, { lr: 0.5 });
  throwsWith(() => sgd.loadStateDict({ state: {}, hyper: { lr: 0.1, weight_decay: 0.1 } }), TypeError, 'SGD.loadStateDict (saved hyper-parameters): unknown option "weight_decay"');
  assert.equal(sgd.options.lr, 0.5);
});

test('the learning rate may come second, as in PyTorch: new SGD(params, 0.1), new Adam(params, 0.1, { … })', () => {
  let p = param();
  const sgd = new optim.SGD([p], 0.1);
  assert.equal(sgd.options.lr, 0.1);
  close(quadratic(sgd, p, 1), [0.9, -1.8, 2.7]);
  // With more options after it: momentum 0.9 over two steps gives 0.72·p₀ (see above).
  p = param();
  close(quadratic(new optim.SGD([p], 0.1, { momentum: 0.9 }), p, 2), P0.map((v) => v * 0.72));
  p = param();
  close(quadratic(new optim.Adam([p], 0.1), p, 3), adamReference([[], [], []], { lr: 0.1 }));
  p = param();
  const adamw = new optim.AdamW([p], 0.1, { amsgrad: false });
  assert.equal(adamw.options.weightDecay, 0.01, 'AdamW keeps its own default weight decay');
  close(quadratic(adamw, p, 1), [0.899, -1.898, 2.897]);
  assert.equal(String(adamw), 'AdamW (\nParameter Group 0\n    amsgrad: False\n    betas: (0.9, 0.999)\n    capturable: False\n    eps: 1e-08\n    foreach: None\n    lr: 0.1\n    maximize: False\n    weight_decay: 0.01\n)');
  const ps = [param()];
  throwsWith(() => new optim.SGD(ps, 0.1, loose({ lr: 0.2 })), TypeError, 'SGD: lr given twice: 0.1 by position and 0.2 in the options');
  throwsWith(() => new optim.SGD(ps, 0.1, loose(0.9)), TypeError, 'SGD: the argument after lr must be an object of named options', 'the number 0.9');
  throwsWith(() => new optim.Adam(ps, loose<number>({ lr: 0.1 }), { eps: 1e-6 }), TypeError, 'Adam: more named options only follow lr given by position', 'new Adam(params, 0.01, { weightDecay: 0.01 })');
  throwsWith(() => new optim.SGD(ps, Number.NaN), RangeError, 'SGD: Invalid learning rate: NaN');
  throwsWith(() => new optim.SGD(ps, 0.1, loose({ momentun: 0.9 })), TypeError, 'SGD: unknown option "momentun"');
});

test('LBFGS takes its rate by position as the others do, and refuses options it would otherwise drop', () => {
  const ps = [param()];
  const opt = new optim.LBFGS(ps, 0.5, { maxIter: 3 });
  assert.deepEqual([opt.options.lr, opt.options.maxIter, opt.options.maxEval], [0.5, 3, 3]);
  // PyTorch's LBFGS(params, 1, 5) binds 5 to max_iter: a number after the rate is refused, not dropped (it was,
  // leaving max_iter at 20), and so are options after options, or after a rate left out, and a rate given twice.
  throwsWith(() => new optim.LBFGS(ps, 1, loose(5)), TypeError, 'LBFGS: the argument after lr must be an object of named options', 'the number 5');
  throwsWith(() => new optim.LBFGS(ps, 1, loose({ lr: 2 })), TypeError, 'LBFGS: lr given twice: 1 by position and 2 in the options');
  throwsWith(() => new optim.LBFGS(ps, loose<number>({ lr: 1 }), { maxIter: 3 }), TypeError, 'LBFGS: more named options only follow lr given by position');
  throwsWith(() => new optim.LBFGS(ps, loose<number>(undefined), { maxIter: 3 }), TypeError, 'LBFGS: more named options only follow lr given by position');
  // A key left undefined (a spread config's) is not given, for LBFGS as for SGD and Adam.
  for (const o of [new optim.LBFGS(ps, 0.5, loose({ lr: undefined, maxIter: 5 })), new optim.SGD(ps, 0.5, loose({ lr: undefined, momentum: 0.9 }))]) {
    assert.equal(o.paramGroups[0]!.lr, 0.5);
  }
});

test('loadStateDict refuses a state entry that is not whole, or holds what the optimizer does not keep, and changes nothing', () => {
  const w = tensor([1, 2, 3], { requiresGrad: true });
  const opt = new optim.Adam([w], { lr: 0.1 });
  w.grad = tensor([0.5, -1, 2]);
  opt.step();
  const sd = opt.stateDict();
  const entry = sd.state[0]!;
  const withEntry = (e: Record<string, unknown>): typeof sd => ({ ...sd, state: { 0: e as typeof entry } });
  const fresh = (): optim.Adam => new optim.Adam([tensor([0, 0, 0], { requiresGrad: true })], { lr: 0.1 });
  const { exp_avg_sq: _v, ...noV } = entry;
  for (const [state, pattern] of [
    [noV, /Adam\.loadStateDict: the state of parameter 0 lacks "exp_avg_sq" \(Adam keeps "step", "exp_avg", "exp_avg_sq" here\)/],
    [{ ...entry, step: 0 }, /counter "step" of parameter 0 must be an integer ≥ 1, got the number 0/],
    [{ ...entry, step: 1.5 }, /counter "step" of parameter 0 must be an integer ≥ 1, got the number 1\.5/],
    [{ ...entry, momentum_buffer: entry['exp_avg'] }, /parameter 0 has state "momentum_buffer" .*but Adam keeps "step", "exp_avg", "exp_avg_sq" here/],
    [{ ...entry, exp_avg: 3 }, /parameter 0 has state "exp_avg" \(the number 3\)/],
  ] as const) {
    const o = fresh();
    assert.throws(() => o.loadStateDict(withEntry(state)), pattern);
    assert.deepEqual(o.stateDict().state, {}, 'nothing loaded');
  }
  // amsgrad, loaded with the options, asks for its buffer too; the whole state loads and steps as the original.
  const ams = fresh();
  assert.throws(() => ams.loadStateDict({ ...sd, hyper: { ...sd.hyper, amsgrad: true } }), /lacks "max_exp_avg_sq"/);
  const o = fresh();
  o.loadStateDict(sd);
  assert.deepEqual(o.stateDict(), sd);
  // SGD makes a momentum buffer only with momentum, and keeps one it is given without (momentum switched off since).
  const s = new optim.SGD([tensor([1, 2], { requiresGrad: true })], 0.1);
  s.loadStateDict({ state: { 0: { momentum_buffer: { shape: [2], data: [3, 4] } } } });
  assert.deepEqual(s.stateDict().state[0], { momentum_buffer: { shape: [2], data: [3, 4] } });
  assert.throws(() => s.loadStateDict({ state: { 0: { exp_avg: { shape: [2], data: [0, 0] } } } }), /SGD\.loadStateDict: parameter 0 has state "exp_avg" .*but SGD keeps nothing here/);
  s.loadStateDict({ state: { 0: { momentum_buffer: { shape: [2], data: [0, 0] } } }, hyper: { lr: 0.1, momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0, maximize: false } });
  assert.equal(s.paramGroups[0]!.momentum, 0.9);
});

test("loadStateDict refuses a key stateDict() does not write, PyTorch's param_groups among them, and changes nothing", () => {
  const p = tensor([1, 2], { requiresGrad: true });
  const opt = new optim.SGD([p], { lr: 0.1, momentum: 0.9 });
  const buffer = { 0: { momentum_buffer: { shape: [2], data: [3, 4] } } };
  // PyTorch's state_dict() of SGD(lr=0.5, momentum=0.9), its group's options under PyTorch's names: before, the state
  // loaded and the lr of 0.5 was silently dropped.
  const pytorchGroup = { lr: 0.5, momentum: 0.9, dampening: 0, weight_decay: 0, nesterov: false, maximize: false, foreach: null, differentiable: false, params: [0] };
  throwsWith(() => opt.loadStateDict(loose({ state: buffer, param_groups: [pytorchGroup] })), TypeError,
    'SGD.loadStateDict: unknown option "param_groups": PyTorch\'s param_groups is not read', 'paramGroups', 'hyper', 'the options are state, hyper, params, paramGroups');
  throwsWith(() => opt.loadStateDict(loose({ state: {}, foo: 1 })), TypeError, 'SGD.loadStateDict: unknown option "foo"; the options are state, hyper, params, paramGroups');
  assert.equal(opt.options.lr, 0.1);
  assert.deepEqual(opt.stateDict().state, {}, 'nothing loaded');
  // Under Kindling's keys the same options load, as PyTorch's param_groups would.
  opt.loadStateDict({ state: buffer, hyper: { lr: 0.5, momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0, maximize: false }, params: [0] });
  assert.equal(opt.options.lr, 0.5);
  assert.deepEqual(opt.stateDict().state, buffer);
});

test("SGD without momentum saves momentum_buffer null for each parameter it stepped, as PyTorch's None", () => {
  // PyTorch 1.13: SGD([a, b], lr=0.1), a step with only a.grad: state_dict()['state'] == {0: {'momentum_buffer': None}};
  // then a step with only b.grad: {0: {'momentum_buffer': None}, 1: {'momentum_buffer': None}}.
  const a = tensor([1, 2], { requiresGrad: true });
  const b = tensor([3, 4], { requiresGrad: true });
  const opt = new optim.SGD([a, b], 0.1);
  assert.deepEqual(opt.stateDict().state, {});
  a.grad = tensor([1, 1]);
  opt.step();
  assert.deepEqual(opt.stateDict().state, { 0: { momentum_buffer: null } });
  assert.deepEqual(Array.from(a.toArray()), [0.9, 1.9].map(Math.fround), 'the plain step itself unchanged');
  opt.zeroGrad(true);
  b.grad = tensor([1, 1]);
  opt.step();
  const saved = opt.stateDict();
  assert.deepEqual(saved.state, { 0: { momentum_buffer: null }, 1: { momentum_buffer: null } });
  // Weight decay without momentum: still no buffer, as PyTorch's.
  const c = tensor([1, 2], { requiresGrad: true });
  const decayed = new optim.SGD([c], 0.1, { weightDecay: 0.1 });
  c.grad = tensor([1, 1]);
  decayed.step();
  assert.deepEqual(decayed.stateDict().state, { 0: { momentum_buffer: null } });
  // The round trip: loaded into a fresh SGD, the same state comes back; one with momentum starts its buffers.
  const again = new optim.SGD([tensor([1, 2], { requiresGrad: true }), tensor([3, 4], { requiresGrad: true })], 0.1);
  again.loadStateDict(saved);
  assert.deepEqual(again.stateDict(), saved);
  const p = tensor([1, 2], { requiresGrad: true });
  const heavy = new optim.SGD([p, tensor([3, 4], { requiresGrad: true })], 0.1, { momentum: 0.9 });
  heavy.loadStateDict({ state: saved.state });
  assert.deepEqual(heavy.stateDict().state, { 0: { momentum_buffer: null }, 1: { momentum_buffer: null } });
  p.grad = tensor([2, 2]);
  heavy.step();
  assert.deepEqual(heavy.stateDict().state, { 0: { momentum_buffer: { shape: [2], data: [2, 2] } }, 1: { momentum_buffer: null } });
});

test("SGD loads PyTorch's momentum_buffer None (saved as null): no buffer, started afresh by the next step as in PyTorch", () => {
  // PyTorch 1.13: SGD([p], lr=0.1) after a step has state_dict()['state'] == {0: {'momentum_buffer': None}}.
  const plain = new optim.SGD([tensor([1, 2], { requiresGrad: true })], 0.1);
  plain.loadStateDict(loose({ state: { 0: { momentum_buffer: null } } }));
  assert.deepEqual(plain.stateDict().state, { 0: { momentum_buffer: null } }, 'kept, as PyTorch keeps it');
  // Loaded into SGD(lr=0.1, momentum=0.9), PyTorch's next step starts the buffer as the gradient: with p = [1, 2]
  // and gradient [1, 1], buffer [1, 1] and p = [0.9, 1.9].
  const p = tensor([1, 2], { requiresGrad: true });
  const heavy = new optim.SGD([p], 0.1, { momentum: 0.9 });
  heavy.loadStateDict(loose({ state: { 0: { momentum_buffer: null } } }));
  p.grad = tensor([1, 1]);
  heavy.step();
  assert.deepEqual(heavy.stateDict().state, { 0: { momentum_buffer: { shape: [2], data: [1, 1] } } });
  assert.deepEqual(Array.from(p.toArray()), [0.9, 1.9].map(Math.fround));
  // Only where PyTorch holds None: Adam's buffers are never None.
  const adam = new optim.Adam([tensor([1, 2], { requiresGrad: true })]);
  throwsWith(() => adam.loadStateDict(loose({ state: { 0: { step: 1, exp_avg: null, exp_avg_sq: { shape: [2], data: [0, 0] } } } })), RangeError, 'parameter 0 has state "exp_avg" (null)');
});

test('a one-group state saved for another number of parameters is refused, as PyTorch refuses it', () => {
  const a = tensor([1, 2], { requiresGrad: true });
  const b = tensor([3], { requiresGrad: true });
  const one = new optim.Adam([a], { lr: 0.1 });
  a.grad = tensor([0.5, -0.5]);
  one.step();
  const sd = one.stateDict();
  assert.deepEqual(sd.params, [0]);
  // Into more parameters (PyTorch: "loaded state dict contains a parameter group that doesn't match the size of
  // optimizer's group"), and into fewer, where the extra parameter had no state yet.
  const two = new optim.Adam([tensor([1, 2], { requiresGrad: true }), tensor([3], { requiresGrad: true })], { lr: 0.1 });
  throwsWith(() => two.loadStateDict(sd), RangeError, 'Adam.loadStateDict: loaded state dict contains a parameter group that doesn\'t match the size of optimizer\'s group (1 parameter saved; the optimizer\'s has 2)');
  assert.deepEqual(two.stateDict().state, {}, 'nothing loaded');
  const saved = new optim.Adam([a, b], { lr: 0.1 }).stateDict();
  assert.deepEqual(saved.params, [0, 1]);
  throwsWith(() => new optim.Adam([tensor([1, 2], { requiresGrad: true })]).loadStateDict(saved), RangeError, '(2 parameters saved; the optimizer\'s has 1)');
  // A list that is not one, and params without hyper.
  throwsWith(() => two.loadStateDict({ ...sd, params: 2 as unknown as number[] }), RangeError, '(params is the number 2, not a list of parameter positions; the optimizer\'s has 2)');
  throwsWith(() => two.loadStateDict({ state: {}, params: [0, 1] }), TypeError, 'params (one group\'s parameter positions) without hyper');
  // The same number loads; a state written before params was saved still loads.
  const again = new optim.Adam([tensor([1, 2], { requiresGrad: true })]);
  again.loadStateDict(sd);
  assert.deepEqual(again.stateDict(), sd);
  const { params: _p, ...older } = sd;
  new optim.Adam([tensor([1, 2], { requiresGrad: true })]).loadStateDict(older);
});
