// Finite-difference checks (float64 reference) of the matrix products (mm, bmm, mv, dot, outer, inner, kron, addmm,
// addmv, baddbmm, addbmm: every operand, transposed views, beta/alpha) and of the differentiable reductions (prod
// with and without zeros, amax/amin over lists of dims, nansum, nanmean, diff with prepend/append, cummax/cummin),
// and the errors the golden fixture does not cover (argument types, options, ranks).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as K from '../../src/index.js';
import { tensor, type Tensor } from '../../src/index.js';
import { distinctLeaf, gradcheck, leaf, Rng } from './gradcheck.js';
import * as R from './ref.js';
import { loose, throwsWith } from './throws.js';

const rng = new Rng(55);

const scale = (x: R.Ref, f: number): R.Ref => R.map(x, (v) => v * f);
/** The transpose of the last two dims. */
const t2 = (x: R.Ref): R.Ref => R.transpose(x, x.shape.length - 2, x.shape.length - 1);

/** Reduces `x` over one dim (or all, `dim` undefined) with `f` from `init`, in float64. */
function reduceRef(x: R.Ref, dim: number | undefined, keepdim: boolean, init: number, f: (a: number, v: number) => number): R.Ref {
  const rank = x.shape.length;
  if (dim === undefined) {
    let a = init;
    for (const v of x.data) a = f(a, v);
    return R.ref([a], keepdim ? x.shape.map(() => 1) : []);
  }
  const d = dim < 0 ? dim + rank : dim;
  const outer = x.shape.slice(0, d).reduce((p, s) => p * s, 1);
  const n = x.shape[d]!;
  const inner = x.shape.slice(d + 1).reduce((p, s) => p * s, 1);
  const out = new Float64Array(outer * inner).fill(init);
  for (let o = 0; o < outer; o++) for (let k = 0; k < n; k++) for (let i = 0; i < inner; i++) out[o * inner + i] = f(out[o * inner + i]!, x.data[(o * n + k) * inner + i]!);
  const shape = x.shape.slice();
  if (keepdim) shape[d] = 1;
  else shape.splice(d, 1);
  return new R.Ref(out, shape);
}

/** The running extreme along `dim` (cummax / cummin) in float64. */
function cumRef(x: R.Ref, dim: number, max: boolean): R.Ref {
  const d = dim < 0 ? dim + x.shape.length : dim;
  const outer = x.shape.slice(0, d).reduce((p, s) => p * s, 1);
  const n = x.shape[d]!;
  const inner = x.shape.slice(d + 1).reduce((p, s) => p * s, 1);
  const out = new Float64Array(x.data.length);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let best = max ? -Infinity : Infinity;
      for (let k = 0; k < n; k++) {
        const p = (o * n + k) * inner + i;
        best = max ? Math.max(best, x.data[p]!) : Math.min(best, x.data[p]!);
        out[p] = best;
      }
    }
  }
  return new R.Ref(out, x.shape);
}

/** x[k + 1] − x[k] along the last dim, n times, in float64. */
function diffRef(x: R.Ref, n: number): R.Ref {
  let cur = x;
  for (let t = 0; t < n; t++) {
    const rows = cur.data.length / cur.shape[cur.shape.length - 1]!;
    const len = cur.shape[cur.shape.length - 1]!;
    const out = new Float64Array(rows * (len - 1));
    for (let r = 0; r < rows; r++) for (let k = 0; k < len - 1; k++) out[r * (len - 1) + k] = cur.data[r * len + k + 1]! - cur.data[r * len + k]!;
    cur = new R.Ref(out, [...cur.shape.slice(0, -1), len - 1]);
  }
  return cur;
}

test('gradcheck mm, bmm, mv, dot, outer, inner and kron: every operand, transposed views', () => {
  const a = leaf(rng, [3, 4]);
  const b = leaf(rng, [4, 5]);
  gradcheck('mm', { leaves: [a, b], forward: () => K.mm(a, b), reference: ([x, y]) => R.matmul(x!, y!) });
  const bt = leaf(rng, [5, 4]);
  gradcheck('mm of a transposed view', { leaves: [a, bt], forward: () => a.mm(bt.t()), reference: ([x, y]) => R.matmul(x!, t2(y!)) });
  const p = leaf(rng, [2, 3, 4]);
  const q = leaf(rng, [2, 4, 2]);
  gradcheck('bmm', { leaves: [p, q], forward: () => K.bmm(p, q), reference: ([x, y]) => R.matmul(x!, y!) });
  gradcheck('bmm of a transposed view', { leaves: [p], forward: () => p.bmm(p.transpose(1, 2)), reference: ([x]) => R.matmul(x!, t2(x!)) });
  const v = leaf(rng, [4]);
  gradcheck('mv', { leaves: [a, v], forward: () => K.mv(a, v), reference: ([x, y]) => R.matmul(x!, y!) });
  const w = leaf(rng, [4]);
  gradcheck('dot', { leaves: [v, w], forward: () => K.dot(v, w), reference: ([x, y]) => R.matmul(x!, y!) });
  const u = leaf(rng, [3]);
  gradcheck('outer', { leaves: [u, v], forward: () => K.outer(u, v), reference: ([x, y]) => R.mul(R.reshape(x!, [3, 1]), R.reshape(y!, [1, 4])) });
  const c = leaf(rng, [2, 4]);
  gradcheck('inner 2-d', { leaves: [a, c], forward: () => K.inner(a, c), reference: ([x, y]) => R.matmul(x!, t2(y!)) });
  gradcheck('inner 3-d and 1-d', { leaves: [p, v], forward: () => K.inner(p, v), reference: ([x, y]) => R.matmul(x!, y!) });
  const k1 = leaf(rng, [2, 3]);
  const k2 = leaf(rng, [2, 2]);
  gradcheck('kron', {
    leaves: [k1, k2], forward: () => K.kron(k1, k2),
    reference: ([x, y]) => R.reshape(R.mul(R.reshape(x!, [2, 1, 3, 1]), R.reshape(y!, [1, 2, 1, 2])), [4, 6]),
  });
});

test('gradcheck addmm, addmv, baddbmm and addbmm: input, both factors, broadcast inputs, beta and alpha', () => {
  const m1 = leaf(rng, [3, 4]);
  const m2 = leaf(rng, [4, 2]);
  for (const [input, shape] of [[leaf(rng, [3, 2]), 'full'], [leaf(rng, [2]), 'row'], [leaf(rng, [3, 1]), 'column']] as const) {
    for (const o of [{}, { beta: 0.5, alpha: -1.5 }, { beta: 0 }]) {
      const beta = (o as { beta?: number }).beta ?? 1;
      const alpha = (o as { alpha?: number }).alpha ?? 1;
      gradcheck(`addmm ${shape} ${JSON.stringify(o)}`, {
        leaves: [input, m1, m2], forward: () => K.addmm(input, m1, m2, o),
        reference: ([i, x, y]) => R.add(scale(R.expand(i!, [3, 2]), beta), scale(R.matmul(x!, y!), alpha)),
      });
    }
  }
  const mt = leaf(rng, [4, 3]);
  const vec = leaf(rng, [4]);
  const iv = leaf(rng, [3]);
  gradcheck('addmv of a transposed matrix', {
    leaves: [iv, mt, vec], forward: () => K.addmv(iv, mt.t(), vec, { beta: 2, alpha: 0.5 }),
    reference: ([i, x, y]) => R.add(scale(i!, 2), scale(R.matmul(t2(x!), y!), 0.5)),
  });
  const b1 = leaf(rng, [2, 3, 4]);
  const b2 = leaf(rng, [2, 4, 2]);
  const ib = leaf(rng, [2]);
  gradcheck('baddbmm', {
    leaves: [ib, b1, b2], forward: () => K.baddbmm(ib, b1, b2, { alpha: 1.5 }),
    reference: ([i, x, y]) => R.add(R.expand(i!, [2, 3, 2]), scale(R.matmul(x!, y!), 1.5)),
  });
  const ia = leaf(rng, [3, 2]);
  gradcheck('addbmm', {
    leaves: [ia, b1, b2], forward: () => K.addbmm(ia, b1, b2, { beta: -1, alpha: 0.25 }),
    reference: ([i, x, y]) => R.add(scale(i!, -1), scale(R.sum(R.matmul(x!, y!), [0]), 0.25)),
  });
});

test('gradcheck prod over everything and each dim, with one zero and with two in a slice', () => {
  const x = leaf(rng, [3, 4], { lo: 0.5, hi: 1.5 });
  const mul = (a: number, v: number): number => a * v;
  gradcheck('prod()', { leaves: [x], forward: () => x.prod(), reference: ([r]) => reduceRef(r!, undefined, false, 1, mul) });
  for (const [dim, keepdim] of [[0, false], [1, true], [-1, false]] as const) {
    gradcheck(`prod(${dim}, ${keepdim})`, { leaves: [x], forward: () => x.prod(dim, keepdim), reference: ([r]) => reduceRef(r!, dim, keepdim, 1, mul) });
  }
  const z = tensor([[1.5, 0, -2, 0.5], [0, 0, 1.25, 2], [0.75, -1.5, 2, 1]], [3, 4], { requiresGrad: true });
  gradcheck('prod(1) with zeros', { leaves: [z], forward: () => z.prod(1), reference: ([r]) => reduceRef(r!, 1, false, 1, mul) });
  gradcheck('prod(0) with zeros', { leaves: [z], forward: () => z.prod(0), reference: ([r]) => reduceRef(r!, 0, false, 1, mul) });
  const one = tensor([1.5, -0.5, 0, 2, 1.25], [5], { requiresGrad: true });
  gradcheck('prod() with one zero', { leaves: [one], forward: () => one.prod(), reference: ([r]) => reduceRef(r!, undefined, false, 1, mul) });
  const t = leaf(rng, [4, 3], { lo: 0.5, hi: 1.5 });
  gradcheck('prod of a transposed view', { leaves: [t], forward: () => t.t().prod(1), reference: ([r]) => reduceRef(t2(r!), 1, false, 1, mul) });
});

test('gradcheck amax and amin over dims and lists, nansum, nanmean, diff and cummax/cummin', () => {
  const x = distinctLeaf(rng, [2, 3, 4]);
  for (const op of ['amax', 'amin'] as const) {
    const f = op === 'amax' ? Math.max : Math.min;
    const init = op === 'amax' ? -Infinity : Infinity;
    gradcheck(`${op}()`, { leaves: [x], forward: () => x[op](), reference: ([r]) => reduceRef(r!, undefined, false, init, f) });
    gradcheck(`${op}(1, true)`, { leaves: [x], forward: () => x[op](1, true), reference: ([r]) => reduceRef(r!, 1, true, init, f) });
    gradcheck(`${op}([0, -1])`, { leaves: [x], forward: () => x[op]([0, -1]), reference: ([r]) => reduceRef(reduceRef(r!, 2, false, init, f), 0, false, init, f) });
    gradcheck(`cum${op.slice(1)}`, { leaves: [x], forward: () => x[op === 'amax' ? 'cummax' : 'cummin'](1).values, reference: ([r]) => cumRef(r!, 1, op === 'amax') });
  }
  const y = leaf(rng, [3, 4]);
  gradcheck('nansum(1)', { leaves: [y], forward: () => y.nansum(1), reference: ([r]) => R.sum(r!, [1]) });
  gradcheck('nanmean([0, 1])', { leaves: [y], forward: () => y.nanmean([0, 1]), reference: ([r]) => R.mean(r!, [0, 1]) });
  gradcheck('diff', { leaves: [y], forward: () => y.diff(), reference: ([r]) => diffRef(r!, 1) });
  gradcheck('diff n 2', { leaves: [y], forward: () => y.diff(2), reference: ([r]) => diffRef(r!, 2) });
  const pre = leaf(rng, [3, 2]);
  gradcheck('diff with prepend', {
    leaves: [pre, y], forward: () => y.diff(1, -1, { prepend: pre }),
    reference: ([p, r]) => diffRef(new R.Ref(Float64Array.from([0, 1, 2].flatMap((i) => [...p!.data.slice(i * 2, i * 2 + 2), ...r!.data.slice(i * 4, i * 4 + 4)])), [3, 6]), 1),
  });
  // A NaN is left out of nansum's gradient (0 there), and g where the values are not NaN.
  const n = tensor([Number.NaN, 2, 3, Number.NaN], [4], { requiresGrad: true });
  n.nansum().backward(tensor(2));
  assert.deepEqual(Array.from(n.grad!.data), [0, 2, 2, 0]);
});

/** The k-th smallest (k from 1) along `dim` of distinct values, in float64. */
function kthRef(x: R.Ref, k: number, dim: number): R.Ref {
  const d = dim < 0 ? dim + x.shape.length : dim;
  const outer = x.shape.slice(0, d).reduce((p, s) => p * s, 1);
  const n = x.shape[d]!;
  const inner = x.shape.slice(d + 1).reduce((p, s) => p * s, 1);
  const out = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const row = Array.from({ length: n }, (_, j) => x.data[(o * n + j) * inner + i]!).sort((a, b) => a - b);
      out[o * inner + i] = row[k - 1]!;
    }
  }
  const shape = x.shape.slice();
  shape.splice(d, 1);
  return new R.Ref(out, shape);
}

test('gradcheck median, nanmedian and kthvalue along each dim and of everything (distinct values)', () => {
  const x = distinctLeaf(rng, [3, 5, 4]);
  for (const dim of [0, 1, -1]) {
    const n = x.shape[dim < 0 ? dim + 3 : dim]!;
    gradcheck(`median(${dim})`, { leaves: [x], forward: () => x.median(dim).values, reference: ([r]) => kthRef(r!, Math.floor((n - 1) / 2) + 1, dim) });
    gradcheck(`nanmedian(${dim})`, { leaves: [x], forward: () => x.nanmedian(dim).values, reference: ([r]) => kthRef(r!, Math.floor((n - 1) / 2) + 1, dim) });
    gradcheck(`kthvalue(2, ${dim})`, { leaves: [x], forward: () => x.kthvalue(2, dim).values, reference: ([r]) => kthRef(r!, 2, dim) });
  }
  gradcheck('median()', { leaves: [x], forward: () => x.median(), reference: ([r]) => kthRef(R.reshape(r!, [60]), 30, 0) });
});

test('gradcheck logcumsumexp along each dim, of a transposed view and of large values', () => {
  const lcse = (r: R.Ref, dim: number): R.Ref => {
    const d = dim < 0 ? dim + r.shape.length : dim;
    const outer = r.shape.slice(0, d).reduce((p, s) => p * s, 1);
    const n = r.shape[d]!;
    const inner = r.shape.slice(d + 1).reduce((p, s) => p * s, 1);
    const out = new Float64Array(r.data.length);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        let s = 0;
        for (let k = 0; k < n; k++) {
          const p = (o * n + k) * inner + i;
          s += Math.exp(r.data[p]!);
          out[p] = Math.log(s);
        }
      }
    }
    return new R.Ref(out, r.shape);
  };
  const x = leaf(rng, [3, 4, 2], { lo: -2, hi: 2 });
  for (const dim of [0, 1, -1]) gradcheck(`logcumsumexp(${dim})`, { leaves: [x], forward: () => x.logcumsumexp(dim), reference: ([r]) => lcse(r!, dim) });
  const t = leaf(rng, [4, 3]);
  gradcheck('logcumsumexp of a transposed view', { leaves: [t], forward: () => t.t().logcumsumexp(1), reference: ([r]) => lcse(t2(r!), 1) });
});

test('the products and reductions refuse wrong arguments, naming the op and what was expected', () => {
  const m = K.zeros(2, 3);
  throwsWith(() => K.mm(loose<Tensor>([[1]]), m), TypeError, 'mm: input must be a Tensor');
  throwsWith(() => K.baddbmm(K.zeros(2, 2, 2), K.zeros(2, 2), K.zeros(2, 2, 2)), RangeError, 'baddbmm: batch1 must be a 3D tensor, got 2-D');
  throwsWith(() => K.addbmm(K.zeros(2, 2), K.zeros(2, 2, 2), K.zeros(2, 2)), RangeError, 'addbmm: batch2 must be a 3D tensor, got 2-D');
  throwsWith(() => K.addmm(m, m, K.zeros(3, 3), loose({ gamma: 1 })), TypeError, "addmm: unknown option 'gamma' (expected beta, alpha)");
  throwsWith(() => K.addmm(m, m, K.zeros(3, 3), loose({ beta: '1' })), TypeError, 'addmm: beta must be a number');
  throwsWith(() => K.addmm(m, m, K.zeros(3, 3), { alpha: 1e39 }), RangeError, 'addmm: alpha 1e+39 cannot be converted to float32');
  throwsWith(() => m.prod(loose([0, 1])), TypeError, 'prod: dim must be a number');
  throwsWith(() => m.prod(2), RangeError, 'prod: dimension out of range');
  throwsWith(() => m.prod(0, loose(1)), TypeError, 'prod: keepdim must be true or false');
  throwsWith(() => m.amax([0, -2]), RangeError, 'amax: dimension listed twice');
  throwsWith(() => m.nansum(3), RangeError, 'nansum: dimension out of range');
  throwsWith(() => m.diff(1.5), TypeError, 'diff: n (the number of times to difference) must be an integer');
  throwsWith(() => m.diff(1, 2), RangeError, 'diff: dimension out of range');
  throwsWith(() => m.diff(1, -1, { prepend: K.zeros(3) }), RangeError, 'diff: diff expects prepend or append to be the same dimension as input');
  throwsWith(() => m.isclose(m, loose({ rtl: 1 })), TypeError, "isclose: unknown option 'rtl'");
  throwsWith(() => m.isclose(m, loose({ equalNan: 1 })), TypeError, 'isclose: equalNan must be true or false');
  throwsWith(() => m.cummax(loose(undefined)), TypeError, 'cummax: dim is required');
  throwsWith(() => m.cummin(2), RangeError, 'cummin: dimension out of range');
  throwsWith(() => K.equal(m, loose(3)), TypeError, 'equal: other must be a Tensor');
  assert.throws(() => loose<Record<string, () => void>>(m).count_nonzero!(), /countNonzero/);
  throwsWith(() => m.kthvalue(1.5), RangeError, 'kthvalue: selected number k out of range for dimension 1 (k = the number 1.5');
  throwsWith(() => m.median(loose('1')), TypeError, 'median: dim must be a number');
  throwsWith(() => m.mode(2), RangeError, 'mode: dimension out of range');
  throwsWith(() => m.logcumsumexp(loose(undefined)), TypeError, 'logcumsumexp: dim is required');
  throwsWith(() => m.unique(loose({ return_counts: true })), TypeError, "unique: unknown option 'return_counts'");
  throwsWith(() => m.unique({ dim: 2 }), RangeError, 'unique: dimension out of range');
  throwsWith(() => K.zeros(2, 0).unique({ dim: 0 }), RangeError, "unique: There are 0 sized dimensions, and they aren't selected, so unique cannot be applied");
  throwsWith(() => tensor(1).unique({ dim: 0 }), RangeError, 'unique: Dimension specified as 0 but tensor has no dimensions');
  throwsWith(() => tensor(1).uniqueConsecutive({ dim: 0 }), RangeError, 'uniqueConsecutive: Dimension specified as 0 but tensor has no dimensions');
  const [vals, counts] = K.zeros(0, 2).unique({ dim: 0, returnCounts: true });
  assert.deepEqual([vals!.shape, counts!.shape], [[0, 2], [0]]);
  throwsWith(() => m.uniqueConsecutive(loose({ returnInverse: 1 })), TypeError, 'uniqueConsecutive: returnInverse must be true or false');
  throwsWith(() => tensor([0, 1.5]).bincount(), RangeError, 'bincount: bincount only supports 1-d non-negative integral inputs');
  throwsWith(() => tensor([0, -1]).bincount(), RangeError, 'bincount: bincount only supports 1-d non-negative integral inputs');
  throwsWith(() => tensor([0, 1]).bincount({ weights: tensor([1]) }), RangeError, 'bincount: weights should be 1-d and have the same length as input');
  throwsWith(() => tensor([0, 1]).bincount({ minlength: -1 }), RangeError, 'bincount: minlength should be >= 0');
  throwsWith(() => tensor([1, Number.NaN]).histc({ bins: 4 }), RangeError, 'histc: range of [NaN, NaN] is not finite');
  throwsWith(() => tensor([1, 2]).histc({ bins: 2.5 }), TypeError, 'histc: bins must be an integer');
});

test('top-level forms and methods agree; aminmax and cummax are pairs; allclose and equal are booleans', () => {
  const a = tensor([[1, 2], [3, 4]]);
  assert.deepEqual(K.mm(a, a).tolist(), a.mm(a).tolist());
  assert.deepEqual(K.prod(a, 1).tolist(), [2, 12]);
  assert.deepEqual(K.amax(a, 0).tolist(), [3, 4]);
  const [lo, hi] = K.aminmax(a);
  assert.deepEqual([lo.item(), hi.item()], [1, 4]);
  const { min, max } = a.aminmax({ dim: 1, keepdim: true });
  assert.deepEqual([min.tolist(), max.tolist()], [[[1], [3]], [[2], [4]]]);
  const [values, indices] = K.cummax(tensor([1, 3, 2, 3]), 0);
  assert.deepEqual([values.tolist(), indices.tolist()], [[1, 3, 3, 3], [0, 1, 1, 3]]);
  assert.equal(K.allclose(a, a.add(1e-6)), true);
  assert.equal(K.allclose(a, a.add(1e-3)), false);
  assert.equal(K.equal(a, a.clone()), true);
  assert.deepEqual(K.countNonzero(tensor([0, 1, Number.NaN, -0])).item(), 2);
  assert.deepEqual(K.nanmean(tensor([Number.NaN, 1, 3])).item(), 2);
  assert.deepEqual(K.diff(tensor([1, 4, 9, 16]), 2).tolist(), [2, 2]);
  assert.deepEqual(K.isclose(tensor([1, Number.NaN]), tensor([1, Number.NaN]), { equalNan: true }).tolist(), [1, 1]);
  // unique's type follows its flags: a tensor without them, the array [values, inverse?, counts?] with them.
  const u: Tensor = tensor([3, 1, 3]).unique();
  const [uv, inv, cnt] = K.unique(tensor([3, 1, 3]), { returnInverse: true, returnCounts: true });
  assert.deepEqual([u.tolist(), uv!.tolist(), inv!.tolist(), cnt!.tolist()], [[1, 3], [1, 3], [1, 0, 1], [1, 2]]);
  const [rv, rc] = tensor([1, 1, 2, 1]).uniqueConsecutive({ returnCounts: true });
  assert.deepEqual([rv!.tolist(), rc!.tolist()], [[1, 2, 1], [2, 1, 1]]);
});
