// RAdam, Adadelta, Rprop and ASGD against PyTorch 1.13 (fixtures/torch/optim-extra.json, written by
// make_optim_extra.py): the same gradients fed for 20 steps must give PyTorch's parameters after every step, bit for
// bit, and at the end PyTorch's state (its keys in its order, counters, scalars and buffers, bit for bit) and saved
// parameter groups. Then each optimizer's refusals, with PyTorch's messages, and a state dict round-trip.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { optim, tensor, type Tensor } from '../../src/index.js';
import { bits, loadFixture } from './golden-helpers.js';

/**
 * A saved group without PyTorch's switches (foreach, differentiable, capturable, fused), which the fixture's script
 * leaves out: they must hold PyTorch's defaults (None, False), and the rest is compared with the fixture.
 */
function withoutSwitches(g: Record<string, unknown>): Record<string, unknown> {
  const { foreach = null, differentiable = false, capturable = false, fused = false, ...rest } = g;
  assert.deepEqual({ foreach, differentiable, capturable, fused }, { foreach: null, differentiable: false, capturable: false, fused: false });
  return rest;
}

type Name = 'RAdam' | 'Adadelta' | 'Rprop' | 'ASGD';
type Options = Record<string, unknown>;

interface Case {
  name: string;
  optimizer: Name;
  options: Options;
  groups?: { params: number[]; options: Options }[];
  shapes: number[][];
  initial: number[][];
  /** A null gradient: the parameter has none that step. */
  steps: { grads: (number[] | null)[]; params: number[][] }[];
  /** Per parameter, state_dict()['state'][i] after the last step (null: no state). */
  state: (Record<string, number | { shape: number[]; data: number[] }> | null)[];
  savedGroups: (Record<string, unknown> & { params: number[] })[];
}

const fx = loadFixture<{ cpuCapability: string; cases: Case[] }>('optim-extra.json');

type Ctor = new (params: Iterable<Tensor> | Iterable<{ params: Tensor[] } & Options>, options?: Options) => optim.Optimizer;
const MAKERS: Partial<Record<Name, Ctor>> = {
  RAdam: optim.RAdam as unknown as Ctor,
  Adadelta: optim.Adadelta as unknown as Ctor,
  Rprop: optim.Rprop as unknown as Ctor,
  ASGD: optim.ASGD as unknown as Ctor,
};

/** Asserts that `actual` holds exactly PyTorch's float32 values (the sign of a zero too). */
function assertExact(actual: ArrayLike<number>, want: readonly number[], label: string): void {
  assert.equal(actual.length, want.length, `${label}: ${actual.length} values, expected ${want.length}`);
  const off: string[] = [];
  for (let i = 0; i < want.length; i++) {
    if (bits(actual[i]!) !== bits(want[i]!)) off.push(`[${i}] ${actual[i]} vs PyTorch's ${want[i]}`);
  }
  assert.ok(off.length === 0, `${label}: ${off.length} of ${want.length} values differ: ${off.slice(0, 4).join(', ')}`);
}

function make(c: Case, params: Tensor[]): optim.Optimizer {
  const ctor = MAKERS[c.optimizer]!;
  const ps = c.groups === undefined ? params : c.groups.map((g) => ({ params: g.params.map((i) => params[i]!), ...g.options }));
  return new ctor(ps as Tensor[], c.options);
}

function fresh(c: Case): Tensor[] {
  return c.initial.map((v, i) => tensor(v).reshape(c.shapes[i]!).requiresGrad_());
}

function feed(c: Case, params: Tensor[], k: number): void {
  params.forEach((p, i) => {
    const g = c.steps[k]!.grads[i]!;
    p.grad = g === null ? null : tensor(g).reshape(c.shapes[i]!);
  });
}

test('optim-extra.json: every optimizer, with groups, missing gradients and a zero gradient, from PyTorch\'s AVX2 kernels', () => {
  assert.ok(['AVX2', 'AVX512'].includes(fx.cpuCapability));
  for (const name of Object.keys(MAKERS)) {
    const mine = fx.cases.filter((c) => c.optimizer === name);
    assert.ok(mine.length >= 4, name);
    assert.ok(mine.some((c) => c.groups !== undefined && c.steps.some((s) => s.grads.includes(null))), `${name} with groups and missing gradients`);
  }
  assert.ok(fx.cases.every((c) => c.steps.every((s) => s.grads[2] === null || s.grads[2]![0] === 0)), 'a zero in every gradient of parameter 2');
});

for (const c of fx.cases.filter((k) => MAKERS[k.optimizer] !== undefined)) {
  test(`golden: ${c.name} ${JSON.stringify(c.groups ?? c.options)}: PyTorch's parameters after every step and its final state, bit for bit`, () => {
    const params = fresh(c);
    const opt = make(c, params);
    c.steps.forEach((s, k) => {
      feed(c, params, k);
      opt.step();
      params.forEach((p, i) => assertExact(p.toArray(), s.params[i]!, `${c.name} step ${k + 1} param ${i}`));
    });
    const sd = opt.stateDict();
    c.state.forEach((want, i) => {
      const got = sd.state[i];
      if (want === null) {
        assert.equal(got, undefined, `${c.name}: parameter ${i} has no state in PyTorch`);
        return;
      }
      assert.ok(got !== undefined, `${c.name}: parameter ${i} has no state`);
      assert.deepEqual(Object.keys(got), Object.keys(want), `${c.name} state ${i} keys`);
      for (const [key, w] of Object.entries(want)) {
        const v = got[key]!;
        if (typeof w === 'number') {
          assert.equal(typeof v, 'number', `${c.name} state ${i} ${key}`);
          assertExact([v as number], [w], `${c.name} state ${i} ${key}`);
        } else {
          assert.ok(typeof v === 'object');
          assert.deepEqual(v.shape, w.shape, `${c.name} state ${i} ${key} shape`);
          assertExact(v.data, w.data, `${c.name} state ${i} ${key}`);
        }
      }
    });
    const saved = sd.paramGroups ?? [{ ...sd.hyper, params: c.savedGroups[0]!.params }];
    assert.deepEqual(saved.map(withoutSwitches), c.savedGroups, `${c.name}: the saved parameter groups`);
    // Not vacuous: every parameter with a gradient at the first step moved then.
    c.steps[0]!.grads.forEach((g, i) => {
      if (g !== null) assert.notDeepEqual(c.steps[0]!.params[i], c.initial[i], `${c.name} param ${i} moved`);
    });
  });

  test(`${c.name}: a state dict saved at step 10 and loaded into a fresh optimizer continues on PyTorch's trajectory`, () => {
    const a = fresh(c);
    const optA = make(c, a);
    for (let k = 0; k < 10; k++) {
      feed(c, a, k);
      optA.step();
    }
    const b = a.map((p) => tensor(Array.from(p.toArray())).reshape(p.shape).requiresGrad_());
    const optB = make(c, b);
    optB.loadStateDict(JSON.parse(JSON.stringify(optA.stateDict())));
    for (let k = 10; k < 20; k++) {
      feed(c, b, k);
      optB.step();
    }
    b.forEach((p, i) => assertExact(p.toArray(), c.steps[19]!.params[i]!, `${c.name} resumed param ${i}`));
  });
}

test('RAdam refuses as PyTorch does', () => {
  const p = tensor([1, 2]).requiresGrad_();
  assert.throws(() => new optim.RAdam([p], { lr: -1 }), /RAdam: Invalid learning rate: -1/);
  assert.throws(() => new optim.RAdam([p], { eps: -1 }), /Invalid epsilon value: -1/);
  assert.throws(() => new optim.RAdam([p], { betas: [1, 0.9] }), /Invalid beta parameter at index 0: 1/);
  assert.throws(() => new optim.RAdam([p], { betas: [0.9, -0.5] }), /Invalid beta parameter at index 1: -0.5/);
  assert.throws(() => new optim.RAdam([p], { weightDecay: -1 }), /Invalid weight_decay value: -1/);
  assert.throws(() => new optim.RAdam([p], { maximize: true } as never), /no maximize option/);
  assert.throws(() => new optim.RAdam([{ params: [p], eps: -2 }]), /parameter group 0.*Invalid epsilon value: -2/);
  assert.equal(String(new optim.RAdam([p], 0.01)), 'RAdam (\nParameter Group 0\n    betas: (0.9, 0.999)\n    eps: 1e-08\n    foreach: None\n    lr: 0.01\n    weight_decay: 0\n)');
});

test('Adadelta refuses as PyTorch does', () => {
  const p = tensor([1, 2]).requiresGrad_();
  assert.throws(() => new optim.Adadelta([p], { lr: -1 }), /Adadelta: Invalid learning rate: -1/);
  assert.throws(() => new optim.Adadelta([p], { rho: 1.5 }), /Invalid rho value: 1.5/);
  assert.throws(() => new optim.Adadelta([p], { rho: -0.1 }), /Invalid rho value: -0.1/);
  assert.throws(() => new optim.Adadelta([p], { eps: -1 }), /Invalid epsilon value: -1/);
  assert.throws(() => new optim.Adadelta([p], { weightDecay: -1 }), /Invalid weight_decay value: -1/);
  assert.throws(() => new optim.Adadelta([p], { maximize: 1 } as never), /maximize must be true or false/);
  assert.throws(() => new optim.Adadelta([p], { rho: '0.9' } as never), /rho must be a number/);
  assert.doesNotThrow(() => new optim.Adadelta([p], { rho: 1 }));
  assert.equal(String(new optim.Adadelta([p])), 'Adadelta (\nParameter Group 0\n    eps: 1e-06\n    foreach: None\n    lr: 1.0\n    maximize: False\n    rho: 0.9\n    weight_decay: 0\n)');
});

test('Rprop refuses as PyTorch does', () => {
  const p = tensor([1, 2]).requiresGrad_();
  assert.throws(() => new optim.Rprop([p], { lr: -1 }), /Rprop: Invalid learning rate: -1/);
  assert.throws(() => new optim.Rprop([p], { etas: [1, 1.2] }), /Invalid eta values: 1, 1.2/);
  assert.throws(() => new optim.Rprop([p], { etas: [0, 1.2] }), /Invalid eta values: 0, 1.2/);
  assert.throws(() => new optim.Rprop([p], { etas: [0.5, 1] }), /Invalid eta values: 0.5, 1/);
  assert.throws(() => new optim.Rprop([p], { etas: [0.5] } as never), /etas must be a pair of numbers/);
  assert.throws(() => new optim.Rprop([p], { stepSizes: 1 } as never), /stepSizes must be a pair of numbers/);
  assert.throws(() => new optim.Rprop([p], { step_sizes: [1, 2] } as never), /Kindling's name is stepSizes/);
  assert.equal(String(new optim.Rprop([p])), 'Rprop (\nParameter Group 0\n    etas: (0.5, 1.2)\n    foreach: None\n    lr: 0.01\n    maximize: False\n    step_sizes: (1e-06, 50)\n)');
});

test('ASGD refuses as PyTorch does', () => {
  const p = tensor([1, 2]).requiresGrad_();
  assert.throws(() => new optim.ASGD([p], { lr: -1 }), /ASGD: Invalid learning rate: -1/);
  assert.throws(() => new optim.ASGD([p], { weightDecay: -1 }), /Invalid weight_decay value: -1/);
  assert.throws(() => new optim.ASGD([p], { t0: '5' } as never), /t0 must be a number/);
  assert.throws(() => new optim.ASGD([p], { lambda: 0.1 } as never), /PyTorch's name is lambd/);
  assert.equal(String(new optim.ASGD([p])), 'ASGD (\nParameter Group 0\n    alpha: 0.75\n    foreach: None\n    lambd: 0.0001\n    lr: 0.01\n    maximize: False\n    t0: 1000000.0\n    weight_decay: 0\n)');
});
