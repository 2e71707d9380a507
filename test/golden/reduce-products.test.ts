// Matrix products (mm, bmm, mv, dot, outer, ger, inner, kron, addmm, addmv, baddbmm, addbmm) and reductions (prod,
// amax, amin, aminmax, nansum, nanmean, countNonzero, diff, isclose, allclose, equal, cummax, cummin, median,
// nanmedian, kthvalue, mode, logcumsumexp, unique, uniqueConsecutive, bincount, histc) against PyTorch
// 1.13: values, input gradients for a non-uniform output gradient, grad_fn names, transposed (strided) inputs, 0-d and
// empty inputs, NaN and ±∞, and PyTorch's refusals with its messages (fixtures/torch/reduce-products.json, written by
// make_reduce_products.py).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as K from '../../src/index.js';
import { tensor, type Tensor } from '../../src/index.js';
import { assertClose, loadFixture, values, type EncodedTensor, type Tolerance, fixtureUpstream } from './golden-helpers.js';

interface Input { t: EncodedTensor; view?: 't' }
interface Case {
  label: string;
  op: string;
  inputs: Input[];
  args: unknown[];
  kwargs: Record<string, number | boolean | number[] | { tensor: EncodedTensor }>;
  out: EncodedTensor | EncodedTensor[] | boolean;
  gradFn?: string | null;
  grads?: (EncodedTensor | null)[];
}
interface Refusal { op: string; shapes: number[][]; kwargs: Record<string, unknown>; message: string }
const fx = loadFixture<{ cases: Case[]; refused: Refusal[] }>('reduce-products.json');

const PRODUCTS = new Set(['mm', 'bmm', 'mv', 'dot', 'inner', 'addmm', 'addmv', 'baddbmm', 'addbmm', 'outer', 'ger', 'kron']);
/**
 * The products' sums run in Kindling's matmul kernel order, PyTorch's in its BLAS's (blocked, fused multiply-adds):
 * within 1e-5 relative (1e-6 absolute), as the matmul golden tests. outer's and kron's values are single products (bit
 * for bit), their gradients sums over the broadcast dimension, which Kindling's sum accumulates in float64 and PyTorch
 * in float32 (an ulp apart).
 */
const PRODUCT_TOL: Tolerance = { rtol: 1e-5, atol: 1e-6 };

const decodeT = (e: EncodedTensor, grad: boolean): Tensor => tensor(Float32Array.from(values(e)), e.shape, { requiresGrad: grad });

/** The case's call in Kindling: its leaves, and the result (a tensor, a pair of tensors, or a boolean). */
function run(c: Case, grad: boolean): { leaves: Tensor[]; out: Tensor | Tensor[] | boolean } {
  const leaves = c.inputs.map((i) => decodeT(i.t, grad));
  const ts = leaves.map((l, i) => (c.inputs[i]!.view === 't' ? l.transpose(-1, -2) : l));
  const [x, ...rest] = ts as [Tensor, ...Tensor[]];
  const kw = c.kwargs;
  const a = c.args as number[];
  const pair = (p: Iterable<Tensor>): Tensor[] => [...p];
  switch (c.op) {
    case 'mm': case 'bmm': case 'mv': case 'dot': case 'outer': case 'ger': case 'inner': case 'kron':
      return { leaves, out: (x[c.op] as (o: Tensor) => Tensor).call(x, rest[0]!) };
    case 'addmm': case 'addmv': case 'baddbmm': case 'addbmm':
      return { leaves, out: x[c.op](rest[0]!, rest[1]!, kw as { beta?: number; alpha?: number }) };
    case 'prod': return { leaves, out: x.prod(...(a as [number?, boolean?])) };
    case 'amax': case 'amin': case 'nansum': case 'nanmean':
      return { leaves, out: x[c.op](...(c.args as [(number | number[])?, boolean?])) };
    case 'count_nonzero': return { leaves, out: x.countNonzero(...(c.args as [(number | number[])?])) };
    case 'aminmax': return { leaves, out: pair(x.aminmax(kw as { dim?: number; keepdim?: boolean })) };
    case 'diff': {
      const opt: K.DiffOptions = {};
      for (const k of ['prepend', 'append'] as const) {
        const e = kw[k] as { tensor: EncodedTensor } | undefined;
        if (e) opt[k] = decodeT(e.tensor, false);
      }
      return { leaves, out: x.diff(a[0] ?? 1, a[1] ?? -1, opt) };
    }
    case 'isclose': case 'allclose': {
      const opt: K.CloseOptions = {};
      if (kw.rtol !== undefined) opt.rtol = kw.rtol as number;
      if (kw.atol !== undefined) opt.atol = kw.atol as number;
      if (kw.equal_nan !== undefined) opt.equalNan = kw.equal_nan as boolean;
      return { leaves, out: c.op === 'isclose' ? x.isclose(rest[0]!, opt) : x.allclose(rest[0]!, opt) };
    }
    case 'equal': return { leaves, out: x.equal(rest[0]!) };
    case 'cummax': case 'cummin': return { leaves, out: pair(x[c.op](a[0]!)) };
    case 'median': case 'nanmedian': {
      if (a.length === 0) return { leaves, out: x[c.op]() };
      return { leaves, out: pair(x[c.op](a[0]!, (a[1] as unknown as boolean | undefined) ?? false)) };
    }
    case 'kthvalue': return { leaves, out: pair(x.kthvalue(a[0]!, a[1] ?? -1, (a[2] as unknown as boolean | undefined) ?? false)) };
    case 'mode': return { leaves, out: pair(x.mode(a[0] ?? -1, (a[1] as unknown as boolean | undefined) ?? false)) };
    case 'logcumsumexp': return { leaves, out: x.logcumsumexp(a[0]!) };
    case 'unique': case 'unique_consecutive': {
      const opt: K.UniqueOptions = {};
      if (kw.return_inverse !== undefined) opt.returnInverse = kw.return_inverse as boolean;
      if (kw.return_counts !== undefined) opt.returnCounts = kw.return_counts as boolean;
      if (kw.dim !== undefined) opt.dim = kw.dim as number;
      return { leaves, out: c.op === 'unique' ? x.unique(opt) : x.uniqueConsecutive(opt) };
    }
    case 'bincount': {
      const opt: K.BincountOptions = {};
      if (kw.weights !== undefined) opt.weights = decodeT((kw.weights as { tensor: EncodedTensor }).tensor, false);
      if (kw.minlength !== undefined) opt.minlength = kw.minlength as number;
      return { leaves, out: x.bincount(opt) };
    }
    case 'histc': return { leaves, out: x.histc(kw as K.HistcOptions) };
    default: throw new Error(`no call for ${c.op}`);
  }
}

/**
 * Shape, then values: bit for bit (the sign of zero too; NaN equal to NaN), or within `tol`. A mismatch is added to
 * `wrong` (each test asserts it empty at the end, so a failure lists every case that differs).
 */
function check(t: Tensor, e: EncodedTensor, label: string, tol: Tolerance | null, wrong: string[], signedZeros = true): void {
  if (t.shape.length !== e.shape.length || t.shape.some((d, i) => d !== e.shape[i])) {
    wrong.push(`${label}: shape [${t.shape.join(', ')}], PyTorch [${e.shape.join(', ')}]`);
    return;
  }
  const got = Array.from(t.toArray());
  const want = values(e);
  if (tol !== null) {
    try {
      assertClose(got, want, label, tol);
    } catch (err) {
      wrong.push((err as Error).message);
    }
    return;
  }
  const i = got.findIndex((v, j) => !(signedZeros ? Object.is(v, want[j]) : v === want[j] || (v !== v && want[j] !== want[j])));
  if (i >= 0) wrong.push(`${label}[${i}]: got ${Object.is(got[i], -0) ? '-0' : got[i]}, PyTorch ${Object.is(want[i], -0) ? '-0' : want[i]}`);
}

/**
 * logcumsumexp's gradient goes through float32 log and exp, Kindling's own functions where PyTorch's are SLEEF's (an
 * ulp or two apart, as logsumexp's in scan-ops.test.ts), and is the difference of two such sums, each up to the sum of
 * |g| (hundreds over the 300-long row): an ulp of those is 1e-5, hence the absolute 1e-4.
 */
const LCSE_GRAD_TOL: Tolerance = { rtol: 1e-5, atol: 1e-4 };
const tolFor = (op: string, gradient = false): Tolerance | null =>
  (PRODUCTS.has(op) ? PRODUCT_TOL : gradient && op === 'logcumsumexp' ? LCSE_GRAD_TOL : null);

test('the products, reductions and comparisons give PyTorch\'s values and grad_fn names (products within 1e-5, the rest bit for bit)', () => {
  const wrong: string[] = [];
  for (const c of fx.cases) {
    const { out } = run(c, c.grads !== undefined);
    if (typeof c.out === 'boolean') {
      if (out !== c.out) wrong.push(`${c.label}: got ${String(out)}, PyTorch ${String(c.out)}`);
      continue;
    }
    const outs = Array.isArray(c.out) ? c.out : [c.out];
    const got = Array.isArray(out) ? out : [out as Tensor];
    outs.forEach((e, i) => check(got[i]!, e, outs.length > 1 ? `${c.label} [${i}]` : c.label, tolFor(c.op), wrong));
    if (c.grads !== undefined && (got[0]!.gradFn?.torchName ?? null) !== c.gradFn) wrong.push(`${c.label}: grad_fn ${got[0]!.gradFn?.torchName}, PyTorch ${c.gradFn}`);
  }
  assert.deepEqual(wrong, []);
  assert.ok(fx.cases.length >= 241, `${fx.cases.length} cases`);
});

test('their gradients are PyTorch\'s: every operand of the products, prod with zeros, amax/amin shared among ties, cummax/cummin at the indices', () => {
  let checked = 0;
  const wrong: string[] = [];
  for (const c of fx.cases) {
    if (c.grads === undefined) continue;
    const { leaves, out } = run(c, true);
    const values = Array.isArray(out) ? out[0]! : out as Tensor;
    values.backward(fixtureUpstream(values));
    c.grads.forEach((e, i) => {
      if (e === null) return;
      const g = leaves[i]!.grad;
      if (g === null) wrong.push(`${c.label}: no gradient for operand ${i}`);
      // PyTorch's −0 gradients (g·0 for g < 0) are +0 in a Kindling leaf's .grad, which adds the gradient to a buffer of
      // +0 (the engine's rule for every op, mul's too): zeros compare without their sign here.
      else check(g, e, `${c.label}: gradient of operand ${i}`, tolFor(c.op, true), wrong, false);
      checked++;
    });
  }
  assert.deepEqual(wrong, []);
  assert.ok(checked > 150, `${checked} gradients checked`);
});

test('the calls PyTorch refuses are refused, with PyTorch\'s message', () => {
  for (const r of fx.refused) {
    const ts = r.shapes.map((s) => K.zeros(s));
    const [x, ...rest] = ts as [Tensor, ...Tensor[]];
    const call = (): unknown => {
      switch (r.op) {
        case 'amax': case 'amin': return x[r.op](r.kwargs.dim as number | undefined);
        case 'aminmax': return x.aminmax(r.kwargs as { dim?: number });
        case 'diff': return x.diff();
        case 'median': case 'nanmedian': case 'mode': return x[r.op](r.kwargs.dim as number);
        case 'kthvalue': return x.kthvalue(r.kwargs.k as number, (r.kwargs.dim as number | undefined) ?? -1);
        case 'histc': return x.histc(r.kwargs as K.HistcOptions);
        case 'isclose': case 'allclose': return x[r.op](rest[0]!, r.kwargs);
        case 'addmm': case 'addmv': case 'baddbmm': case 'addbmm': return x[r.op](rest[0]!, rest[1]!);
        case 'unique': return x.unique({ dim: r.kwargs.dim as number });
        case 'unique_consecutive': return x.uniqueConsecutive({ dim: r.kwargs.dim as number });
        default: return (K as unknown as Record<string, (...t: Tensor[]) => unknown>)[r.op]!(...ts);
      }
    };
    const label = `${r.op}(${r.shapes.map((s) => `[${s.join(', ')}]`).join(', ')}${Object.keys(r.kwargs).length ? `, ${JSON.stringify(r.kwargs)}` : ''})`;
    assert.throws(call, (e: unknown) => {
      assert.ok(e instanceof Error, label);
      const want = r.message.replace(/^(torch\.)?\w+(\(\))?: /, '').replace(/\.$/, '');
      const name = ({ count_nonzero: 'countNonzero', unique_consecutive: 'uniqueConsecutive' } as Record<string, string>)[r.op] ?? r.op;
      assert.ok(e.message.startsWith(`${name}: `), `${label}: "${e.message}" names the op`);
      assert.ok(e.message.includes(want), `${label}: "${e.message}" should say PyTorch's "${want}"`);
      return true;
    }, label);
  }
});
