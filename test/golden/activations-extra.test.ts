// PReLU, SELU, CELU, Hardswish, Hardsigmoid, Mish, LogSigmoid, Softsign, Softmin, Tanhshrink and Threshold against
// PyTorch 1.13 (fixtures/torch/activations_extra.json, from make_activations_extra.py): values and input gradients
// on 96 inputs (±0, each threshold and one float32 step either side, tiny, large, subnormal-making and overflowing
// values, ±∞, NaN, random ones), functional and module forms; PReLU's weight gradient, one weight per channel;
// Softmin along each dim (Kindling's softmax, within 1e-6 relative of PyTorch's: its exp is not SLEEF's); module reprs, grad_fn names and PyTorch's refusals.
//
// Bit for bit where PyTorch's kernel is selects and float32 arithmetic (PReLU, Threshold, Hardswish, Hardsigmoid,
// Softsign). Elsewhere within 2 ulp(PyTorch) + 2·2⁻²⁴·S + 2·|x|·2⁻¹⁴⁹: Kindling follows PyTorch's float32 formula
// step by step, and what is left are PyTorch's SLEEF exp, log1p and tanh (within one float32 ulp of the correctly
// rounded value Kindling uses); S is the largest term the formula adds or subtracts where it cancels (e^x − 1 in
// SELU/CELU, x − tanh x, min(x, 0) − log1p(…), Mish's tanh + x·σ·(1 − tanh²)), and the last term the subnormal step
// of an e^x that underflows, times x (Mish at x = −100). The measured figures are printed. Output zeros must have
// PyTorch's sign; gradient zeros are compared without it (Kindling's leaf gradients turn −0 into +0, as elsewhere).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, nn, tensor, type Tensor } from '../../src/index.js';
import { assertClose, loadFixture } from './golden-helpers.js';

type Special = number | 'NaN' | 'Infinity' | '-Infinity';
type Fn = 'selu' | 'celu' | 'hardswish' | 'hardsigmoid' | 'mish' | 'logsigmoid' | 'softsign' | 'tanhshrink' | 'threshold' | 'prelu';
interface Case { fn: Fn; args: number[]; gradFn: string; out: Special[]; grad: Special[] }
interface PreluCase { shape: number[]; x: Special[]; weight: Special[]; upstream: Special[]; out: Special[]; grad: Special[]; weightGrad: Special[]; gradFn: string }
interface SoftminCase { dim: number; out: Special[]; grad: Special[]; gradFn: string }
interface Fixture {
  x: Special[]; upstream: Special[]; cases: Case[]; prelu: PreluCase[]; softminX: Special[]; softminUpstream: Special[];
  softmin: SoftminCase[]; reprs: [string, string][]; preluModule: { stateDictKeys: string[]; weight: number[]; defaultWeight: number[] };
  errors: Record<'preluChannels' | 'preluWeightDims' | 'prelu1d' | 'preluZeroDim' | 'celuAlphaZero', string>;
}

const fx = loadFixture<Fixture>('activations_extra.json');
const number = (v: Special): number => (v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : Math.fround(v));
const x = fx.x.map(number);
const upstream = fx.upstream.map(number);

/** The float32 bits as an integer that orders like the values (−0 and +0 both 0): its difference counts ulps. */
function ordinal(v: number): number {
  const b = new Int32Array(Float32Array.of(v).buffer)[0]!;
  return b < 0 ? -(b & 0x7fffffff) : b;
}
const ulps = (a: number, b: number): number => Math.abs(ordinal(a) - ordinal(b));
function ulp(v: number): number {
  const a = Math.abs(v);
  return a < 2 ** -126 ? 2 ** -149 : 2 ** (Math.floor(Math.log2(a)) - 23);
}

const EXACT: ReadonlySet<Fn> = new Set(['prelu', 'threshold', 'hardswish', 'hardsigmoid', 'softsign']);
const sigma = (v: number): number => 1 / (1 + Math.exp(-v));

/** S: the largest term PyTorch's float32 formula adds or subtracts where it cancels (see the top). */
function cancelling(c: Case, what: 'out' | 'grad', v: number, g: number): number {
  switch (c.fn) {
    case 'selu': return what === 'out' && v <= 0 ? 1.7581 : 0;
    case 'celu': return what === 'out' && v <= 0 ? c.args[0] ?? 1 : 0;
    case 'mish': return what === 'grad' ? Math.abs(g) * (1 + Math.abs(v) * sigma(v)) : 0;
    case 'logsigmoid': return what === 'out' ? Math.abs(v) : Math.abs(g);
    case 'tanhshrink': return what === 'out' ? Math.abs(v) : Math.abs(g);
    default: return 0;
  }
}

interface Measured { exact: number; maxUlps: number }

function check(label: string, got: ArrayLike<number>, want: readonly number[], c: Case | null, what: 'out' | 'grad', xs: readonly number[], ups: readonly number[]): Measured {
  assert.equal(got.length, want.length, `${label}: length`);
  const m: Measured = { exact: 0, maxUlps: 0 };
  const exact = c === null || EXACT.has(c.fn);
  for (let i = 0; i < want.length; i++) {
    const a = got[i]!;
    const e = want[i]!;
    const where = `${label}[${i}] (x = ${xs[i]})`;
    if (Number.isNaN(e) || Number.isNaN(a) || !Number.isFinite(e) || !Number.isFinite(a)) {
      assert.ok(Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e)), `${where}: got ${a}, PyTorch has ${e}`);
      m.exact++;
      continue;
    }
    if (what === 'out' ? Object.is(a, e) : a === e) {
      m.exact++;
      continue;
    }
    assert.ok(!exact, `${where}: got ${Object.is(a, -0) ? '-0' : a}, PyTorch has ${Object.is(e, -0) ? '-0' : e} (bit for bit expected)`);
    const bound = 2 * ulp(e) + 2 * 2 ** -24 * cancelling(c!, what, xs[i]!, ups[i]!) + 2 * Math.abs(xs[i]!) * 2 ** -149;
    assert.ok(Math.abs(a - e) <= bound, `${where}: got ${a}, PyTorch has ${e} (${ulps(a, e)} ulp; bound ${bound.toExponential(3)})`);
    m.maxUlps = Math.max(m.maxUlps, ulps(a, e));
  }
  return m;
}

function functional(c: Case): (t: Tensor) => Tensor {
  const [a, b] = c.args;
  switch (c.fn) {
    case 'selu': return (t) => F.selu(t);
    case 'celu': return (t) => (a === undefined ? F.celu(t) : F.celu(t, a));
    case 'hardswish': return (t) => F.hardswish(t);
    case 'hardsigmoid': return (t) => F.hardsigmoid(t);
    case 'mish': return (t) => F.mish(t);
    case 'logsigmoid': return (t) => F.logsigmoid(t);
    case 'softsign': return (t) => F.softsign(t);
    case 'tanhshrink': return (t) => F.tanhshrink(t);
    case 'threshold': return (t) => F.threshold(t, a!, b);
    case 'prelu': return (t) => F.prelu(t, tensor([a!]));
  }
}

function module(c: Case): { forward(t: Tensor): Tensor } {
  const [a, b] = c.args;
  switch (c.fn) {
    case 'selu': return new nn.SELU();
    case 'celu': return a === undefined ? new nn.CELU() : new nn.CELU({ alpha: a });
    case 'hardswish': return new nn.Hardswish();
    case 'hardsigmoid': return new nn.Hardsigmoid();
    case 'mish': return new nn.Mish();
    case 'logsigmoid': return new nn.LogSigmoid();
    case 'softsign': return new nn.Softsign();
    case 'tanhshrink': return new nn.Tanhshrink();
    case 'threshold': return new nn.Threshold(a!, b!);
    case 'prelu': return new nn.PReLU(1, a);
  }
}

test('activations_extra.json: 96 inputs, every one in PyTorch\'s vectorised loop, with signed zeros, ±∞, NaN and each threshold ± one step', () => {
  assert.equal(x.length % 16, 0);
  for (const v of [-3, 3, 0.1, 1, -1.5]) {
    const at = x.indexOf(Math.fround(v));
    assert.ok(at > 0 && x[at - 1]! < x[at]! && x[at + 1]! > x[at]!, `${v} and its float32 neighbours`);
  }
  assert.ok(x.some((v) => Object.is(v, -0)) && x.some(Number.isNaN) && x.includes(-Infinity) && x.includes(-100));
});

for (const c of fx.cases) {
  const name = `${c.fn}(${c.args.join(', ')})`;
  for (const [form, fn] of [['F', functional(c)], ['module', (t: Tensor) => module(c).forward(t)]] as const) {
    const how = EXACT.has(c.fn) ? 'bit for bit' : 'within 2 ulp plus the cancelling terms';
    test(`${form} ${name}: values, input gradients and grad_fn ${c.gradFn} as PyTorch's, ${how}`, (t) => {
      const xt = tensor(x, [x.length], { requiresGrad: true });
      const out = fn(xt);
      const o = check(`${name} value`, out.toArray(), c.out.map(number), c, 'out', x, upstream);
      assert.equal(out.gradFn?.torchName, c.gradFn);
      out.mul(tensor(upstream, [x.length])).sum().backward();
      const g = check(`${name} grad`, xt.grad!.toArray(), c.grad.map(number), c, 'grad', x, upstream);
      t.diagnostic(`out: ${o.exact}/${x.length} PyTorch's bits, max ${o.maxUlps} ulp; grad: ${g.exact}/${x.length}, max ${g.maxUlps} ulp`);
    });
  }
}

for (const p of fx.prelu) {
  test(`PReLU with ${p.weight.length} weight(s) on [${p.shape.join(', ')}]: values, input and weight gradients as PyTorch's, bit for bit`, () => {
    const xs = p.x.map(number);
    const ups = p.upstream.map(number);
    for (const form of ['F', 'module'] as const) {
      const xt = tensor(xs, p.shape, { requiresGrad: true });
      let w: Tensor;
      let out: Tensor;
      if (form === 'F') {
        w = tensor(p.weight.map(number), [p.weight.length], { requiresGrad: true });
        out = F.prelu(xt, w);
      } else {
        const m = new nn.PReLU(p.weight.length);
        m.weight = new nn.Parameter(tensor(p.weight.map(number), [p.weight.length]));
        w = m.weight;
        out = m.forward(xt);
      }
      assert.equal(out.gradFn?.torchName, p.gradFn);
      check(`${form} prelu value`, out.toArray(), p.out.map(number), null, 'out', xs, ups);
      out.mul(tensor(ups, p.shape)).sum().backward();
      check(`${form} prelu grad`, xt.grad!.toArray(), p.grad.map(number), null, 'grad', xs, ups);
      check(`${form} prelu weight grad`, w.grad!.toArray(), p.weightGrad.map(number), null, 'grad', xs, ups);
    }
  });
}

test('softmin along dims 0, 1 and −1: values and gradients as PyTorch\'s softmax of −x (SoftmaxBackward0), F and module', () => {
  const xs = fx.softminX.map(number);
  const ups = fx.softminUpstream.map(number);
  for (const c of fx.softmin) {
    for (const form of ['F', 'module'] as const) {
      const xt = tensor(xs, [5, 6], { requiresGrad: true });
      const out = form === 'F' ? F.softmin(xt, c.dim) : new nn.Softmin(c.dim).forward(xt);
      assert.equal(out.gradFn?.torchName, c.gradFn);
      assertClose(out.toArray(), c.out.map(number), `${form} softmin(dim ${c.dim})`, { rtol: 1e-6, atol: 1e-12 });
      out.mul(tensor(ups, [5, 6])).sum().backward();
      // y·(g − Σ y·g) cancels where g is near the weighted mean: an absolute bound at the scale of y·|g|.
      assertClose(xt.grad!.toArray(), c.grad.map(number), `${form} softmin(dim ${c.dim}) grad`, { rtol: 1e-6, atol: 1e-7 });
    }
  }
});

test('module reprs as PyTorch prints them', () => {
  const made: Record<string, nn.Module> = {
    'PReLU()': new nn.PReLU(), 'PReLU(3)': new nn.PReLU(3), 'PReLU(3, 0.1)': new nn.PReLU(3, 0.1),
    'SELU()': new nn.SELU(), 'SELU(true)': new nn.SELU(true), 'CELU()': new nn.CELU(), 'CELU(0.5)': new nn.CELU(0.5),
    'CELU(2, true)': new nn.CELU(2, true), 'Hardswish()': new nn.Hardswish(), 'Hardswish(true)': new nn.Hardswish(true),
    'Hardsigmoid()': new nn.Hardsigmoid(), 'Hardsigmoid(true)': new nn.Hardsigmoid(true), 'Mish()': new nn.Mish(),
    'Mish(true)': new nn.Mish(true), 'LogSigmoid()': new nn.LogSigmoid(), 'Softsign()': new nn.Softsign(),
    'Softmin()': new nn.Softmin(), 'Softmin(1)': new nn.Softmin(1), 'Softmin(-1)': new nn.Softmin({ dim: -1 }),
    'Tanhshrink()': new nn.Tanhshrink(), 'Threshold(0.1, 20)': new nn.Threshold(0.1, 20),
    'Threshold(0.1, 20, true)': new nn.Threshold(0.1, 20, true), 'Threshold(1, 2.5)': new nn.Threshold({ threshold: 1, value: 2.5 }),
    'Threshold(-1.5, 0)': new nn.Threshold(-1.5, 0),
  };
  assert.equal(Object.keys(made).length, fx.reprs.length);
  for (const [k, want] of fx.reprs) assert.equal(String(made[k]), want, k);
});

test("PReLU's weight: state_dict key, init, a learnable parameter", () => {
  const m = new nn.PReLU(3, 0.1);
  assert.deepEqual(Object.keys(m.stateDict()), fx.preluModule.stateDictKeys);
  assert.deepEqual(Array.from(m.weight.toArray()), fx.preluModule.weight);
  assert.deepEqual(Array.from(new nn.PReLU().weight.toArray()), fx.preluModule.defaultWeight);
  assert.equal(m.weight.requiresGrad, true);
  assert.equal(m.parameters().length, 1);
});

test("PyTorch's refusals: PReLU's weight size and dims, a zero-dim input with many weights, CELU's alpha 0", () => {
  const e = fx.errors;
  const ends = (msg: string) => (err: Error): boolean => err.message.endsWith(msg);
  assert.throws(() => F.prelu(tensor([[1, 2, 3, 4]]), tensor([1, 2, 3])), ends(e.preluChannels));
  assert.throws(() => new nn.PReLU(3).forward(tensor([[1, 2, 3, 4]])), ends(e.preluChannels));
  assert.throws(() => F.prelu(tensor([[1, 2, 3, 4]]), tensor([[1, 2], [3, 4]])), ends(e.preluWeightDims));
  assert.throws(() => F.prelu(tensor([1, 2, 3, 4]), tensor([1, 2, 3, 4])), ends(e.prelu1d));
  assert.throws(() => F.prelu(tensor(1), tensor([1, 2, 3, 4])), ends(e.preluZeroDim));
  assert.deepEqual(F.prelu(tensor(-2), tensor([0.5])).tolist(), -1);
  assert.throws(() => F.celu(tensor([1, -1]), 0), ends(e.celuAlphaZero));
  assert.throws(() => new nn.CELU(0).forward(tensor([1, -1])), ends(e.celuAlphaZero));
  assert.throws(() => new nn.Threshold(0.1 as number, undefined as unknown as number), /missing the required argument value/);
});

test('in place: SELU, CELU, Hardswish, Hardsigmoid, Mish and Threshold write into their input, named as PyTorch\'s in-place nodes', () => {
  // SELU's and CELU's in-place nodes compute the gradient from the result (PyTorch's elu_backward with is_result), so
  // it rounds otherwise than the out-of-place one: PyTorch 1.13's in-place gradients, printed by it.
  const fromResult: Record<string, number[]> = {
    selu: [0.03220069408416748, 0.6467685699462891, 1.0507010221481323, 1.0507010221481323, 1.0507010221481323, 1.0507010221481323],
    celu: [0.00033545494079589844, 0.1353352665901184, 1, 1, 1, 1],
  };
  const cases: [string, (t: Tensor) => Tensor, (t: Tensor) => Tensor, string][] = [
    ['selu', (t) => F.selu(t, true), (t) => F.selu(t), 'EluBackward1'],
    ['celu', (t) => new nn.CELU(0.5, true).forward(t), (t) => F.celu(t, 0.5), 'CeluBackward1'],
    ['hardswish', (t) => new nn.Hardswish(true).forward(t), (t) => F.hardswish(t), 'HardswishBackward0'],
    ['hardsigmoid', (t) => F.hardsigmoid(t, { inplace: true }), (t) => F.hardsigmoid(t), 'HardsigmoidBackward0'],
    ['mish', (t) => new nn.Mish(true).forward(t), (t) => F.mish(t), 'MishBackward0'],
    ['threshold', (t) => F.threshold(t, 0.1, 20, true), (t) => F.threshold(t, 0.1, 20), 'ThresholdBackward1'],
  ];
  for (const [name, inplace, plain, node] of cases) {
    const a = tensor([-4, -1, 0.05, 0.5, 2, 5], [6], { requiresGrad: true });
    const h = a.mul(1);
    const r = inplace(h);
    assert.equal(r, h, name);
    assert.equal(r.gradFn?.torchName, node, name);
    r.sum().backward();
    const b = tensor([-4, -1, 0.05, 0.5, 2, 5], [6], { requiresGrad: true });
    const y = plain(b);
    y.sum().backward();
    assert.deepEqual(r.tolist(), y.tolist(), name);
    assert.deepEqual(a.grad!.tolist(), fromResult[name] ?? b.grad!.tolist(), name);
  }
});
