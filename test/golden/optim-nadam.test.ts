// NAdam against PyTorch 1.13 (fixtures/torch/optim-nadam.json, written by make_optim_nadam.py): the same gradients
// fed for 20 steps must give PyTorch's parameters after every step and its state at the end, bit for bit: Kindling
// rounds add_ with alpha and addcmul_ once, as PyTorch's AVX2 kernels fuse them (rounding each product apart, as
// Kindling once did, misses these bits within a few steps).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { optim, tensor, type Tensor } from '../../src/index.js';
import { bits, loadFixture } from './golden-helpers.js';

interface Case {
  name: string;
  options: optim.NAdamOptions;
  groups: { params: number[]; options: optim.NAdamOptions }[] | null;
  initial: number[][];
  shapes: number[][];
  grads: number[][][];
  params: number[][][];
  state: { step: number; mu_product: number; exp_avg: number[]; exp_avg_sq: number[] }[];
}

const fx = loadFixture<{ cases: Case[] }>('optim-nadam.json');

/** PyTorch's float32 values exactly (the sign of a zero too). */
function close(actual: ArrayLike<number>, expected: number[], what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!, e = expected[i]!;
    assert.ok(bits(a) === bits(e), `${what}[${i}]: ${a} vs PyTorch ${e}`);
  }
}

for (const c of fx.cases) {
  test(`NAdam matches PyTorch 1.13: ${c.name}`, () => {
    const params: Tensor[] = c.initial.map((v, i) => tensor(v).reshape(c.shapes[i]!).requiresGrad_());
    const ps = c.groups === null ? params : c.groups.map((g) => ({ params: g.params.map((i) => params[i]!), ...g.options }));
    const opt = new optim.NAdam(ps as Tensor[], c.options);
    c.grads.forEach((gs, step) => {
      params.forEach((p, i) => { p.grad = tensor(gs[i]!).reshape(c.shapes[i]!); });
      opt.step();
      params.forEach((p, i) => close(p.data, c.params[step]![i]!, `${c.name} step ${step + 1} param ${i}`));
    });
    const st = opt.stateDict().state as Record<number, Record<string, unknown>>;
    c.state.forEach((s, i) => {
      assert.equal(st[i]!['step'], s.step);
      close([st[i]!['mu_product'] as number], [s.mu_product], 'mu_product');
      close((st[i]!['exp_avg'] as Tensor).data, s.exp_avg, 'exp_avg');
      close((st[i]!['exp_avg_sq'] as Tensor).data, s.exp_avg_sq, 'exp_avg_sq');
    });
  });
}

test('NAdam refuses as PyTorch does', () => {
  const p = tensor([1, 2]).requiresGrad_();
  assert.throws(() => new optim.NAdam([p], { lr: -1 }), /Invalid learning rate: -1/);
  assert.throws(() => new optim.NAdam([p], { eps: -1 }), /Invalid epsilon value: -1/);
  assert.throws(() => new optim.NAdam([p], { betas: [1, 0.9] }), /Invalid beta parameter at index 0: 1/);
  assert.throws(() => new optim.NAdam([p], { weightDecay: -1 }), /Invalid weight_decay value: -1/);
  assert.throws(() => new optim.NAdam([p], { momentumDecay: -1 }), /Invalid momentum_decay value: -1/);
});

test('NAdam state dict round-trips: a loaded optimizer continues with PyTorch trajectory', () => {
  const c = fx.cases[1]!;
  const mk = (): Tensor[] => c.initial.map((v, i) => tensor(v).reshape(c.shapes[i]!).requiresGrad_());
  const a = mk();
  const optA = new optim.NAdam(a, c.options);
  const feed = (ps: Tensor[], o: optim.NAdam, step: number): void => {
    ps.forEach((p, i) => { p.grad = tensor(c.grads[step]![i]!).reshape(c.shapes[i]!); });
    o.step();
  };
  for (let s = 0; s < 10; s++) feed(a, optA, s);
  const b = a.map((p) => tensor(Array.from(p.data)).reshape(p.shape).requiresGrad_());
  const optB = new optim.NAdam(b, c.options);
  optB.loadStateDict(optA.stateDict());
  for (let s = 10; s < 20; s++) feed(b, optB, s);
  b.forEach((p, i) => close(p.data, c.params[19]![i]!, `resumed param ${i}`));
});
