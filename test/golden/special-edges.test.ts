// The edges of the special functions and of a few gradients against PyTorch 1.13 (fixtures/torch/special-edges.json,
// from make_special_edges.py): igamma/igammac for large and tiny a and at NaN edges, zeta(∞, q), float_power where C's
// pow is not JavaScript's ** (and with a number exponent), createGraph gradients at NaN and ∞ (logit, logsumexp,
// clampMin/Max, fmax, abs, relu), mvlgamma's gradient at −0, ndtri's for a zero upstream gradient, the second
// derivatives of the special functions, and the method forms igamma/igammac.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  abs, autograd, clampMax, clampMin, div, floatPower, fmax, igamma, igammac, logit, mvlgamma, relu, sinc, i0, special, tensor, type Tensor,
} from '../../src/index.js';
import { assertClose, assertTensorClose, decode, loadFixture, values, type EncodedTensor } from './golden-helpers.js';

type E = EncodedTensor;
type Num = number | 'NaN' | 'Infinity' | '-Infinity';
type Second = { x: E; upstream: E; grad: E; weight: E; grad2: E; node: string; s?: E; a?: E };
const fx = loadFixture<{
  igamma: { a: Num[]; x: Num[]; p32: Num[]; q32: Num[]; p64: Num[]; q64: Num[] };
  zeta: { s: Num[]; q: Num[]; value: E; qGrad: E };
  floatPower: {
    tensors: { base: Num[]; exponent: Num[]; value: E; grads: E[]; graphGrads: E[]; upstream0: number[]; graphGrads0: E[] };
    x: Num[]; numbers: { e: number; value: E; grad: E; graphGrad: E }[];
    exponents: Num[]; numberBase: { base: number; value: E; grad: E }[];
  };
  graphGrads: {
    logit: { x: Num[] } & Record<'none' | 'negative' | 'eps', { plain: E; graph: E }>;
    logsumexp: { x: Num[][]; graph: E };
    clamp: { a: Num[]; m: Num[]; g: Num[]; min: E[]; max: E[] };
    fmax: { a: Num[]; b: Num[]; g: Num[]; graph: E[] };
    unary: { x: Num[]; g: number[]; abs: E; relu: E };
    mvlgamma: { x: Num[]; p: number[]; plain: E[]; graph: E[] };
    ndtri: { x: Num[]; zero: E; one: E };
  };
  secondOrder: Record<string, Second> & {
    divRounded: { a: E; b: E } & Record<'floor' | 'trunc', { grads: E[]; requiresGrad: boolean[] }>;
    inplaceNodes: { igamma_: string; igammac_: string };
  };
}>('special-edges.json');

const num = (v: Num): number => (v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v);
const nums = (vs: Num[]): number[] => vs.map(num);
const leaf = (vs: Num[]): Tensor => tensor(nums(vs), { requiresGrad: true });
const EXACT = { rtol: 1e-6, atol: 0 };

/** The gradients of fn(...inputs) for the upstream g, with or without createGraph. */
function grads(fn: (...xs: Tensor[]) => Tensor, inputs: Num[][], g: Num[], createGraph: boolean): Tensor[] {
  const xs = inputs.map(leaf);
  const y = fn(...xs);
  return autograd.grad([y], xs, [tensor(nums(g)).reshape(y.shape)], { createGraph }).map((t) => t!);
}

/** Each zero's sign as PyTorch's (assertClose takes −0 for 0). */
function sameZeros(got: Tensor, want: E, label: string): void {
  const g = got.toArray();
  values(want).forEach((w, i) => {
    if (w === 0) assert.ok(Object.is(g[i], w), `${label}[${i}]: got ${Object.is(g[i], -0) ? '-0' : g[i]}, expected ${Object.is(w, -0) ? '-0' : w}`);
  });
}

test('gammainc/gammaincc: the double kernel\'s values for large a near x, tiny a, and the edges decided before a NaN', () => {
  const { a, x, p32, q32, p64, q64 } = fx.igamma;
  const at = tensor(nums(a));
  const xt = tensor(nums(x));
  for (const [name, got, w32, w64] of [['gammainc', special.gammainc(at, xt), p32, p64], ['gammaincc', special.gammaincc(at, xt), q32, q64]] as const) {
    const g = got.toArray();
    // Kindling runs PyTorch's algorithm in float64 (its double kernel, whose std::lgamma(1 + 1e-10) is 6e-7 off: hence 1e-6)…
    assertClose(g, nums(w64).map(Math.fround), `${name} against PyTorch's float64`, EXACT);
    // …and agrees with the float32 kernel wherever that one has not lost more than float32 rounding (a = 1e-10: 2×).
    nums(w32).forEach((w, i) => {
      const d = num(w64[i]!);
      if (Number.isFinite(w) && Math.abs(w - d) <= 2e-5 * Math.abs(d)) assert.ok(Math.abs(g[i]! - w) <= 2e-5 * Math.abs(w), `${name}[${i}] (a=${a[i]}, x=${x[i]}): ${g[i]} against ${w}`);
    });
  }
});

test('zeta(∞, q): 1 at q = 1, ∞ below (C\'s pow: 1^−∞ = 1), and the q-gradient −∞, as PyTorch\'s', () => {
  const q = leaf(fx.zeta.q);
  const z = special.zeta(tensor(nums(fx.zeta.s)), q);
  assertTensorClose(z, fx.zeta.value, 'zeta', EXACT);
  const [g] = autograd.grad([z], [q], [tensor(new Array(fx.zeta.q.length).fill(1))]);
  assertTensorClose(g!, fx.zeta.qGrad, 'zeta q-gradient', EXACT);
});

test('floatPower: C\'s pow (1^NaN = 1, (−1)^±∞ = 1), the gradients of both operands, with createGraph too (float64 values)', () => {
  const c = fx.floatPower.tensors;
  assertTensorClose(floatPower(tensor(nums(c.base)), tensor(nums(c.exponent))), c.value, 'value', EXACT);
  const ones = c.base.map(() => 1);
  grads(floatPower, [c.base, c.exponent], ones, false).forEach((g, i) => assertTensorClose(g, c.grads[i]!, `grad ${i}`, EXACT));
  grads(floatPower, [c.base, c.exponent], ones, true).forEach((g, i) => assertTensorClose(g, c.graphGrads[i]!, `createGraph grad ${i}`, EXACT));
  grads(floatPower, [c.base, c.exponent], c.upstream0, true).forEach((g, i) => {
    assertTensorClose(g, c.graphGrads0[i]!, `createGraph grad ${i}, zero upstream`, EXACT);
    sameZeros(g, c.graphGrads0[i]!, `createGraph grad ${i}, zero upstream`);
  });
});

test('floatPower with a number exponent: pow\'s special cases (0.5 is sqrt, −0.5 1/sqrt …) in values and gradients; a number base', () => {
  const f = fx.floatPower;
  for (const c of f.numbers) {
    assertTensorClose(floatPower(tensor(nums(f.x)), c.e), c.value, `x^${c.e}`, EXACT);
    sameZeros(floatPower(tensor(nums(f.x)), c.e), c.value, `x^${c.e}`);
    const [g] = grads((t) => floatPower(t, c.e), [f.x], f.x.map(() => 1), false);
    assertTensorClose(g!, c.grad, `gradient of x^${c.e}`, EXACT);
    const [gg] = grads((t) => floatPower(t, c.e), [f.x], f.x.map(() => 1), true);
    assertTensorClose(gg!, c.graphGrad, `createGraph gradient of x^${c.e}`, EXACT);
  }
  for (const c of f.numberBase) {
    assertTensorClose(floatPower(c.base, tensor(nums(f.exponents))), c.value, `${c.base}^e`, EXACT);
    const [g] = grads((t) => floatPower(c.base, t), [f.exponents], f.exponents.map(() => 1), false);
    assertTensorClose(g!, c.grad, `gradient of ${c.base}^e`, EXACT);
  }
});

test('logit\'s createGraph gradient: NaN outside [0, 1] without eps; with an eps (a negative one too) 0 outside [eps, 1 − eps], as PyTorch\'s', () => {
  const l = fx.graphGrads.logit;
  for (const [name, eps] of [['none', null], ['negative', -1], ['eps', 0.1]] as const) {
    const [plain] = grads((t) => logit(t, eps), [l.x], l.x.map(() => 1), false);
    assertTensorClose(plain!, l[name].plain, `logit (${name}) gradient`, EXACT);
    const [graph] = grads((t) => logit(t, eps), [l.x], l.x.map(() => 1), true);
    assertTensorClose(graph!, l[name].graph, `logit (${name}) createGraph gradient`, EXACT);
  }
});

test('logsumexp\'s createGraph gradient: g·exp(x − result), NaN only where x is the result\'s infinity', () => {
  const c = fx.graphGrads.logsumexp;
  const [g] = grads((t) => special.logsumexp(t.reshape([3, 3]), 1), [c.x.flat()], [1, 1, 1], true);
  assertTensorClose(g!.reshape([3, 3]), c.graph, 'logsumexp createGraph gradient', EXACT);
});

test('clampMin/clampMax with a tensor bound, and fmax, createGraph: nothing passes at a NaN, a blocked NaN or ∞ upstream gives 0', () => {
  const c = fx.graphGrads.clamp;
  grads(clampMin, [c.a, c.m], c.g, true).forEach((g, i) => assertTensorClose(g, c.min[i]!, `clampMin grad ${i}`, EXACT));
  grads(clampMax, [c.a, c.m], c.g, true).forEach((g, i) => assertTensorClose(g, c.max[i]!, `clampMax grad ${i}`, EXACT));
  const m = fx.graphGrads.fmax;
  grads(fmax, [m.a, m.b], m.g, true).forEach((g, i) => assertTensorClose(g, m.graph[i]!, `fmax grad ${i}`, EXACT));
});

test('abs and relu, createGraph: abs\'(NaN) = 0 (sgn(NaN) = 0), relu\'(NaN) passes the gradient (the result is not ≤ 0)', () => {
  const u = fx.graphGrads.unary;
  const [ga] = grads(abs, [u.x], u.g, true);
  assertTensorClose(ga!, u.abs, 'abs', EXACT);
  sameZeros(ga!, u.abs, 'abs');
  const [gr] = grads(relu, [u.x], u.g, true);
  assertTensorClose(gr!, u.relu, 'relu', EXACT);
});

test('mvlgamma\'s gradient at −0: digamma(+0) = −∞ for the last term (PyTorch adds +0), with and without createGraph', () => {
  const m = fx.graphGrads.mvlgamma;
  m.p.forEach((p, i) => {
    const [plain] = grads((t) => mvlgamma(t, p), [m.x], [1, 1, 1, 1], false);
    assertTensorClose(plain!, m.plain[i]!, `mvlgamma p=${p}`, { rtol: 1e-6, atol: 1e-6 });
    const [graph] = grads((t) => mvlgamma(t, p), [m.x], [1, 1, 1, 1], true);
    assertTensorClose(graph!, m.graph[i]!, `mvlgamma p=${p}, createGraph`, { rtol: 1e-6, atol: 1e-6 });
  });
});

test('ndtri\'s gradient for a zero upstream gradient is 0 where √(2π)·e^(y²/2) overflows (PyTorch\'s order)', () => {
  const n = fx.graphGrads.ndtri;
  const [zero] = grads(special.ndtri, [n.x], [0, 0, 0, 0], false);
  assertTensorClose(zero!, n.zero, 'ndtri, zero upstream', EXACT);
  const [one] = grads(special.ndtri, [n.x], [1, 1, 1, 1], false);
  assertTensorClose(one!, n.one, 'ndtri', EXACT);
});

const SECOND: Record<string, (x: Tensor, other?: Tensor) => Tensor> = {
  sinc, i0, i0e: special.i0e, i1: special.i1, i1e: special.i1e, ndtr: special.ndtr, ndtri: special.ndtri,
  logNdtr: special.logNdtr, erfcx: special.erfcx, entr: special.entr,
  zeta: (q, s) => special.zeta(s!, q), gammainc: (x, a) => special.gammainc(a!, x), gammaincc: (x, a) => special.gammaincc(a!, x),
};

for (const [name, fn] of Object.entries(SECOND)) {
  test(`createGraph: ${name}'s gradient and its second derivative, as PyTorch's`, () => {
    const c = fx.secondOrder[name]!;
    const x = decode(c.x, true);
    const other = c.s ?? c.a;
    const y = fn(x, other === undefined ? undefined : decode(other));
    const [g] = autograd.grad([y], [x], [decode(c.upstream)], { createGraph: true });
    assertTensorClose(g!, c.grad, `${name} gradient`, { rtol: 2e-6, atol: 1e-7 });
    const [g2] = autograd.grad([g!.mul(decode(c.weight)).sum()], [x]);
    assertTensorClose(g2!, c.grad2, `${name} second derivative`, { rtol: 2e-5, atol: 1e-6 });
  });
}

test('div with a rounding mode, createGraph: zero gradients outside the graph (PyTorch\'s new_zeros)', () => {
  const d = fx.secondOrder.divRounded;
  for (const mode of ['floor', 'trunc'] as const) {
    const a = decode(d.a, true);
    const b = decode(d.b, true);
    const gs = autograd.grad([div(a, b, { roundingMode: mode })], [a, b], [tensor(new Array(6).fill(1))], { createGraph: true });
    gs.forEach((g, i) => {
      assertTensorClose(g!, d[mode].grads[i]!, `${mode} grad ${i}`, EXACT);
      assert.equal(g!.requiresGrad, d[mode].requiresGrad[i], `${mode} grad ${i} requiresGrad`);
    });
  }
});

test('the Tensor methods igamma, igammac, igamma_ and igammac_: the functions\' values, PyTorch\'s nodes', () => {
  const a = tensor([0.5, 3, 2]);
  const x = tensor([1, 2, 0.5]);
  assert.deepEqual([...a.igamma(x).toArray()], [...igamma(a, x).toArray()]);
  assert.deepEqual([...a.igammac(x).toArray()], [...igammac(a, x).toArray()]);
  const u = tensor([1, 2, 0.5], { requiresGrad: true });
  const t = a.clone().igamma_(u);
  assert.deepEqual([...t.toArray()], [...igamma(a, u).toArray()]);
  assert.equal(t.gradFn?.torchName, fx.secondOrder.inplaceNodes.igamma_);
  const v = a.clone().igammac_(u);
  assert.deepEqual([...v.toArray()], [...igammac(a, u).toArray()]);
  assert.equal(v.gradFn?.torchName, fx.secondOrder.inplaceNodes.igammac_);
  // The first operand's gradient is refused in place as out of place (PyTorch: "the derivative for 'igamma: input' is not implemented").
  const w = tensor([1, 2, 0.5], { requiresGrad: true }).mul(1);
  w.igamma_(tensor([1, 1, 1]));
  assert.throws(() => w.sum().backward(), /the derivative for 'igamma: input' is not implemented/);
});
