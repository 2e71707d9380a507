// Adamax against PyTorch 1.13 (fixtures/torch/optim-adamax.json, written by make_optim_adamax.py): the same gradients
// fed for 20 steps must give PyTorch's parameters after every step and its state at the end, bit for bit: Kindling
// rounds add_ with alpha and addcmul_ once, as PyTorch's AVX2 kernels fuse them (rounding each product apart, as
// Kindling once did, misses these bits within a few steps).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { optim, tensor, type Tensor } from '../../src/index.js';
import { bits, loadFixture } from './golden-helpers.js';

interface Case {
  name: string;
  options: optim.AdamaxOptions;
  groups: { params: number[]; options: optim.AdamaxOptions }[] | null;
  initial: number[][];
  shapes: number[][];
  grads: number[][][];
  params: number[][][];
  state: { step: number; exp_avg: number[]; exp_inf: number[] }[];
}

const fx = loadFixture<{ cases: Case[] }>('optim-adamax.json');

/** PyTorch's float32 values exactly (the sign of a zero too). */
function close(actual: ArrayLike<number>, expected: number[], what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!, e = expected[i]!;
    assert.ok(bits(a) === bits(e), `${what}[${i}]: ${a} vs PyTorch ${e}`);
  }
}

for (const c of fx.cases) {
  test(`Adamax matches PyTorch 1.13: ${c.name}`, () => {
    const params: Tensor[] = c.initial.map((v, i) => tensor(v).reshape(c.shapes[i]!).requiresGrad_());
    const ps = c.groups === null ? params : c.groups.map((g) => ({ params: g.params.map((i) => params[i]!), ...g.options }));
    const opt = new optim.Adamax(ps as Tensor[], c.options);
    c.grads.forEach((gs, step) => {
      params.forEach((p, i) => { p.grad = tensor(gs[i]!).reshape(c.shapes[i]!); });
      opt.step();
      params.forEach((p, i) => close(p.data, c.params[step]![i]!, `${c.name} step ${step + 1} param ${i}`));
    });
    const st = opt.stateDict().state as Record<number, Record<string, unknown>>;
    c.state.forEach((s, i) => {
      assert.equal(st[i]!['step'], s.step);
      close((st[i]!['exp_avg'] as Tensor).data, s.exp_avg, 'exp_avg');
      close((st[i]!['exp_inf'] as Tensor).data, s.exp_inf, 'exp_inf');
    });
  });
}

test('Adamax refuses as PyTorch does', () => {
  const p = tensor([1, 2]).requiresGrad_();
  assert.throws(() => new optim.Adamax([p], { lr: -1 }), /Invalid learning rate: -1/);
  assert.throws(() => new optim.Adamax([p], { eps: -1 }), /Invalid epsilon value: -1/);
  assert.throws(() => new optim.Adamax([p], { betas: [1, 0.9] }), /Invalid beta parameter at index 0: 1/);
  assert.throws(() => new optim.Adamax([p], { weightDecay: -1 }), /Invalid weight_decay value: -1/);
});

test('Adamax state dict round-trips: a loaded optimizer continues with PyTorch trajectory', () => {
  const c = fx.cases[1]!;
  const mk = (): Tensor[] => c.initial.map((v, i) => tensor(v).reshape(c.shapes[i]!).requiresGrad_());
  const a = mk();
  const optA = new optim.Adamax(a, c.options);
  const feed = (ps: Tensor[], o: optim.Adamax, step: number): void => {
    ps.forEach((p, i) => { p.grad = tensor(c.grads[step]![i]!).reshape(c.shapes[i]!); });
    o.step();
  };
  for (let s = 0; s < 10; s++) feed(a, optA, s);
  const b = a.map((p) => tensor(Array.from(p.data)).reshape(p.shape).requiresGrad_());
  const optB = new optim.Adamax(b, c.options);
  optB.loadStateDict(optA.stateDict());
  for (let s = 10; s < 20; s++) feed(b, optB, s);
  b.forEach((p, i) => close(p.data, c.params[19]![i]!, `resumed param ${i}`));
});
