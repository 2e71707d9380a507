// GELU, SiLU, ELU, Softplus, oneHot and erf against PyTorch 1.13 (fixtures/torch/activations.json, from
// make_activations.py): values and input gradients on 221 inputs (zeros of both signs, ±1e-6, ±1e4, the float32
// steps around each softplus threshold/beta, values where the formulas saturate or cancel, random ones), functional
// and module forms; F.one_hot's results and errors; erf against mpmath and torch.erf.
//
// The tolerance, per element: |kindling − pytorch| ≤ 2 ulp(pytorch) + 2·2⁻²⁴·S, where S is the largest term that
// PyTorch's float32 formula adds or subtracts (0 where it adds nothing that cancels: SiLU's value, ELU's gradient,
// Softplus). Kindling follows PyTorch's formula step by step (src/ops/activations-more.ts); what is left are PyTorch's
// SLEEF exp, tanh, erf and log1p, each within one float32 ulp of the correctly rounded value Kindling uses. Where the
// formula cancels — 1 + erf(x/√2) and 1 + tanh(…) for negative x, e^x − 1 near 0, cdf + x·pdf and 1 + x·(1 − σ) near
// the minimum of GELU and SiLU — that ulp of an intermediate near 1 is many ulps of the small result: 2⁻²⁴·S bounds
// it. Measured on this fixture: 0–2 ulp everywhere except GELU's gradient (≤ 12 ulp, 0.59 of the S term) and GELU
// tanh's gradient (≤ 16 ulp, 0.84 of it); the test prints the measured figures.
//
// GELU 'none' by PyTorch's default path is looser: this PyTorch (as the x86 wheels) hands it to oneDNN, whose erf is
// a polynomial approximation good to about 1.5e-7, so there S's factor is 1.5e-7 + 2·2⁻²⁴ instead of 2·2⁻²⁴.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, nn, tensor, type Tensor } from '../../src/index.js';
import { erf } from '../../src/kernels/ref/erf.js';
import { loadFixture } from './golden-helpers.js';

type Special = number | 'NaN' | 'Infinity' | '-Infinity';
interface Encoded { shape: number[]; data: Special[]; dtype?: 'int64' }
interface Args { approximate?: 'none' | 'tanh'; alpha?: number; beta?: number; threshold?: number }
interface Case { name: string; fn: 'gelu' | 'silu' | 'elu' | 'softplus'; args: Args; out: Encoded; grad: Encoded }
interface HotCase { name: string; labels: Encoded; numClasses: number; out: Encoded }
interface HotError { name: string; labels: Encoded; numClasses: number; torchMessage: string }
interface Fixture {
  x: Encoded;
  upstream: Encoded;
  cases: Case[];
  oneHot: HotCase[];
  oneHotErrors: HotError[];
  erf: { float64: { x: number[]; mpmath: number[] }; float32: { x: Encoded; torch: Encoded; mpmath: number[] } };
}

const fx = loadFixture<Fixture>('activations.json');

const number = (v: Special): number => (v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : Math.fround(v));
const decode = (e: Encoded): Float32Array => Float32Array.from(e.data, number);
const x = decode(fx.x);
const upstream = decode(fx.upstream);

/** The float32 bits as an integer that orders like the values (−0 and +0 both 0): its difference counts ulps. */
function ordinal(v: number): number {
  const b = new Int32Array(Float32Array.of(v).buffer)[0]!;
  return b < 0 ? -(b & 0x7fffffff) : b;
}
const ulps = (a: number, b: number): number => Math.abs(ordinal(a) - ordinal(b));

/** One float32 ulp at v (the subnormal step at and near 0). */
function ulp(v: number): number {
  const a = Math.abs(v);
  return a < 2 ** -126 ? 2 ** -149 : 2 ** (Math.floor(Math.log2(a)) - 23);
}

const phi = (v: number): number => Math.exp(-v * v / 2) / Math.sqrt(2 * Math.PI);
const sigma = (v: number): number => 1 / (1 + Math.exp(-v));
const SQRT_2_PI = Math.sqrt(2 / Math.PI);

/** S: the largest term PyTorch's float32 formula adds or subtracts, per element (see the comment at the top). */
function cancelling(c: Case, what: 'out' | 'grad', v: number, g: number): number {
  switch (c.fn) {
    case 'gelu':
      if (what === 'out') return 0.5 * Math.abs(v); // 0.5·x·(1 + erf) or 0.5·x·(1 + tanh): terms of size 1, times 0.5·x
      return Math.abs(g) * (0.5 + Math.abs(v) * (c.args.approximate === 'tanh' ? SQRT_2_PI * (1 + 3 * 0.044715 * v * v) : phi(v)));
    case 'silu':
      return what === 'out' ? 0 : Math.abs(g) * sigma(v) * (1 + Math.abs(v) * (1 - sigma(v))); // 1 + x·(1 − σ)
    case 'elu':
      return what === 'out' && v <= 0 ? Math.abs(c.args.alpha!) : 0; // e^x − 1
    case 'softplus':
      return 0;
  }
}

interface Measured { exact: number; maxUlps: number; maxShare: number }

/**
 * Asserts the tolerance element by element (NaN and infinities must match exactly; `skip` elements are checked by
 * the caller) and returns what was measured: elements with PyTorch's bits, the most ulps, and the largest share of
 * the 2⁻²⁴·S term used beyond 2 ulp.
 */
function check(label: string, got: Float32Array, want: Float32Array, c: Case, what: 'out' | 'grad', factor: number, skip: ReadonlySet<number> = new Set()): Measured {
  assert.equal(got.length, want.length, `${label}: length`);
  const m: Measured = { exact: 0, maxUlps: 0, maxShare: 0 };
  for (let i = 0; i < want.length; i++) {
    if (skip.has(i)) continue;
    const a = got[i]!;
    const e = want[i]!;
    const where = `${label}[${i}] (x = ${x[i]})`;
    if (!Number.isFinite(e) || !Number.isFinite(a)) {
      assert.ok(Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e)), `${where}: got ${a}, PyTorch has ${e}`);
      continue;
    }
    if (a === e) {
      m.exact++;
      continue;
    }
    const s = cancelling(c, what, x[i]!, upstream[i]!);
    const excess = Math.abs(a - e) - 2 * ulp(e);
    assert.ok(excess <= factor * s, `${where}: got ${a}, PyTorch has ${e} (${ulps(a, e)} ulp; ${Math.abs(a - e).toExponential(3)} beyond the bound 2 ulp + ${factor.toExponential(3)}·${s.toExponential(3)})`);
    m.maxUlps = Math.max(m.maxUlps, ulps(a, e));
    if (s > 0 && excess > 0) m.maxShare = Math.max(m.maxShare, excess / (2 ** -24 * s));
  }
  return m;
}

/** Runs a case's activation on a fresh leaf, functional or module form, with PyTorch's upstream gradient. */
function run(c: Case, form: 'F' | 'module'): { out: Float32Array; grad: Float32Array } {
  const leaf = tensor(x, [x.length], { requiresGrad: true });
  const a = c.args;
  let y: Tensor;
  if (form === 'F') {
    y = c.fn === 'gelu' ? F.gelu(leaf, { approximate: a.approximate! })
      : c.fn === 'silu' ? F.silu(leaf)
        : c.fn === 'elu' ? F.elu(leaf, a.alpha!)
          : F.softplus(leaf, a.beta!, a.threshold!);
  } else {
    const m = c.fn === 'gelu' ? new nn.GELU(a.approximate!)
      : c.fn === 'silu' ? new nn.SiLU()
        : c.fn === 'elu' ? new nn.ELU({ alpha: a.alpha! })
          : new nn.Softplus({ beta: a.beta!, threshold: a.threshold! });
    y = m.forward(leaf);
  }
  y.backward(tensor(upstream, [upstream.length]));
  return { out: y.toArray(), grad: leaf.grad!.toArray() };
}

test('activations.json holds the inputs the cases need: signed zeros, ±1e-6, ±1e4, threshold steps, and both of PyTorch\'s loops', () => {
  for (const v of [1e-6, -1e-6, 1e4, -1e4, -10, 20, -89]) assert.ok(x.includes(Math.fround(v)), `x holds ${v}`);
  assert.ok(x.some((v) => Object.is(v, -0)) && x.includes(0), 'both zeros');
  // PyTorch's vectorised loop takes 16 at a time, its scalar loop the rest: 13 here, with zeros, ±1e-6 and -1e4 among them.
  assert.equal(x.length % 16, 13);
  assert.ok(x.subarray(208).some((v) => Object.is(v, -0)) && x.subarray(208).includes(Math.fround(-1e-6)));
  // Each softplus threshold/beta with its float32 neighbours, so the float32 comparison βx > threshold is tested.
  for (const c of fx.cases.filter((k) => k.fn === 'softplus')) {
    const edge = Math.fround(c.args.threshold! / c.args.beta!);
    const next = new Float32Array([edge]);
    const bits = new Uint32Array(next.buffer);
    bits[0] = bits[0]! + 1; // the next float32 away from 0
    assert.ok(x.includes(edge) && x.includes(next[0]!), `${c.name}: ${edge} and the next float32, ${next[0]}`);
  }
  for (const name of ['gelu', 'gelu_aten', 'gelu_tanh', 'silu', 'elu_1.0', 'elu_0.1', 'elu_-0.5', 'softplus_1.0_20.0', 'softplus_-1.0_20.0', 'softplus_1.0_100.0']) {
    assert.ok(fx.cases.some((c) => c.name === name), name);
  }
});

for (const c of fx.cases) {
  const oneDnn = c.name === 'gelu';
  const factor = oneDnn ? 1.5e-7 + 2 * 2 ** -24 : 2 * 2 ** -24;
  test(`${c.name} ${JSON.stringify(c.args)}: values and input gradients within ${oneDnn ? 'oneDNN\'s erf error' : '2 ulp + 2 ulp of the cancelling terms'} of PyTorch, F and module alike`, (t) => {
    const want = { out: decode(c.out), grad: decode(c.grad) };
    // SLEEF's log1p gives +∞ above 1e38: PyTorch's softplus with threshold 100 says +∞ at x = 88 and 88.7, where
    // Kindling gives log1p(e^x) ≈ x (see src/ops/activations-more.ts). Checked here, left out of the comparison.
    const skip = new Set<number>();
    if (c.name === 'softplus_1.0_100.0') {
      x.forEach((v, i) => {
        if (want.out[i] === Infinity && Math.fround(Math.exp(v)) !== Infinity) skip.add(i);
      });
      assert.deepEqual([...skip].map((i) => x[i]), [88, Math.fround(88.7)]);
    }
    const f = run(c, 'F');
    const m = run(c, 'module');
    assert.deepEqual(m.out, f.out, 'the module computes what F computes');
    assert.deepEqual(m.grad, f.grad);
    for (const i of skip) assert.ok(Math.abs(f.out[i]! - x[i]!) <= ulp(x[i]!), `softplus(${x[i]}) ≈ ${x[i]}, got ${f.out[i]}`);
    const out = check(`${c.name} out`, f.out, want.out, c, 'out', factor, skip);
    const grad = check(`${c.name} grad`, f.grad, want.grad, c, 'grad', factor);
    t.diagnostic(`out: ${out.exact}/${x.length - skip.size} PyTorch's bits, max ${out.maxUlps} ulp, ${out.maxShare.toFixed(2)} of 2⁻²⁴·S; ` +
      `grad: ${grad.exact}/${x.length} PyTorch's bits, max ${grad.maxUlps} ulp, ${grad.maxShare.toFixed(2)} of 2⁻²⁴·S`);
    if (!oneDnn) {
      // Most elements are PyTorch's very bits (90–100% here): the formula is PyTorch's, not merely close to it.
      assert.ok(out.exact >= 0.85 * (x.length - skip.size) && grad.exact >= 0.85 * x.length, `${out.exact} and ${grad.exact} exact of ${x.length}`);
    }
  });
}

test('where PyTorch\'s float32 formulas cancel or saturate, Kindling gives the same numbers, not more accurate ones', () => {
  const at = (v: number): number => x.indexOf(Math.fround(v));
  const out = (name: string): Float32Array => decode(fx.cases.find((c) => c.name === name)!.out);
  const same = (got: Tensor, name: string, v: number): void => {
    assert.ok(Object.is(got.item(), out(name)[at(v)]), `${name}(${v}): got ${got.item()}, PyTorch has ${out(name)[at(v)]}`);
  };
  // e^x − 1 in float32: −1.0132790e-6, where expm1 would give −9.999995e-7.
  same(F.elu(tensor([-1e-6])), 'elu_1.0', -1e-6);
  assert.equal(F.elu(tensor([-1e-6])).item(), Math.fround(-1.013279e-6));
  // 1 + erf(x/√2) rounds to 0 at −6 (the exact GELU(−6) is −5.9e-9), and leaves −1.4901161e-6 at −5 (exact −1.4333e-6).
  same(F.gelu(tensor([-6])), 'gelu_aten', -6);
  assert.ok(Object.is(F.gelu(tensor([-6])).item(), -0));
  same(F.gelu(tensor([-5])), 'gelu_aten', -5);
  same(F.gelu(tensor([-10]), 'tanh'), 'gelu_tanh', -10);
  // e^(−x) overflows float32 below −88.72: SiLU(−89) is −0 (exactly −2.0e-37).
  same(F.silu(tensor([-89])), 'silu', -89);
  assert.ok(Object.is(F.silu(tensor([-89])).item(), -0));
});

test('PyTorch\'s fused multiply-adds: where fusing matters, Kindling\'s gradients have PyTorch\'s bits', () => {
  // PyTorch's AVX2 kernels compute 1 − t² and 1 + 3κ·x² (GELU tanh) and 1 + x·(1 − σ) (SiLU) with one rounding
  // (an FMA). At these inputs of the fixture, rounding the product first is 44 to 314 ulp off PyTorch (the sums cancel).
  const grads = (name: string, op: (t: Tensor) => Tensor, points: number[]): void => {
    const want = decode(fx.cases.find((c) => c.name === name)!.grad);
    const leaf = tensor(x, [x.length], { requiresGrad: true });
    op(leaf).backward(tensor(upstream, [upstream.length]));
    const got = leaf.grad!.toArray();
    for (const v of points) {
      const i = x.indexOf(Math.fround(v));
      assert.ok(i >= 0, `the fixture holds ${v}`);
      assert.ok(Object.is(got[i], want[i]), `${name} gradient at ${v}: got ${got[i]}, PyTorch has ${want[i]} (${ulps(got[i]!, want[i]!)} ulp)`);
    }
  };
  grads('gelu_tanh', (t) => F.gelu(t, 'tanh'), [-3, -3.3632116317749023, -3.158212423324585, -4.293426513671875]);
  grads('silu', (t) => F.silu(t), [-1.2818019390106201]);
});

test('F.oneHot gives PyTorch\'s one_hot (as float32), shapes and all', () => {
  for (const c of fx.oneHot) {
    const labels = tensor(Float32Array.from(c.labels.data, number), c.labels.shape);
    const got = c.numClasses === -1 ? F.oneHot(labels) : F.oneHot(labels, c.numClasses);
    assert.deepEqual([...got.shape], c.out.shape, `${c.name}: shape`);
    assert.deepEqual(Array.from(got.toArray()), c.out.data, `${c.name}: values`);
    assert.equal(got.requiresGrad, false);
  }
  assert.ok(fx.oneHot.some((c) => c.labels.shape.length === 0) && fx.oneHot.some((c) => c.out.shape.includes(0)), 'a 0-d and an empty case');
});

test('F.oneHot refuses what PyTorch\'s one_hot refuses, with PyTorch\'s reason in the message', () => {
  assert.ok(fx.oneHotErrors.length >= 7);
  for (const c of fx.oneHotErrors) {
    const labels = tensor(Float32Array.from(c.labels.data, number), c.labels.shape);
    assert.throws(() => F.oneHot(labels, c.numClasses), (e: unknown) => {
      assert.ok(e instanceof RangeError, `${c.name}: ${String(e)}`);
      assert.ok(e.message.includes(c.torchMessage), `${c.name}: "${e.message}" should carry PyTorch's "${c.torchMessage}"`);
      return true;
    });
  }
});

test('erf: within 3 ulp of mpmath in float64; in float32, the correctly rounded value, and within 1 ulp of torch.erf', (t) => {
  const { float64, float32 } = fx.erf;
  let worst = 0;
  float64.x.forEach((v, i) => {
    const e = float64.mpmath[i]!;
    const got = erf(v);
    const u = e === 0 ? Math.abs(got) / Number.MIN_VALUE : Math.abs(got - e) / 2 ** (Math.floor(Math.log2(Math.abs(e))) - 52);
    assert.ok(u <= 3, `erf(${v}) = ${got}, mpmath ${e} (${u} ulp)`);
    worst = Math.max(worst, u);
  });
  assert.ok(float64.x.some((v) => v < 0) && float64.x.includes(1.25) && float64.x.includes(2) && float64.x.includes(6), 'both signs and the seams 1.25, 2, 6');
  const x32 = decode(float32.x);
  const torchErf = decode(float32.torch);
  let torchWorst = 0;
  x32.forEach((v, i) => {
    const got = Math.fround(erf(v));
    assert.ok(got === Math.fround(float32.mpmath[i]!), `erf(${v}) in float32: ${got}, correctly rounded ${Math.fround(float32.mpmath[i]!)}`);
    assert.ok(ulps(got, torchErf[i]!) <= 1, `erf(${v}): ${got}, torch.erf ${torchErf[i]}`);
    torchWorst = Math.max(torchWorst, ulps(got, torchErf[i]!));
  });
  t.diagnostic(`float64: at most ${worst} ulp from mpmath on ${float64.x.length} points; float32: at most ${torchWorst} ulp from torch.erf on ${x32.length}`);
  assert.ok(Object.is(erf(-0), -0) && erf(Infinity) === 1 && erf(-Infinity) === -1 && Number.isNaN(erf(NaN)));
});
