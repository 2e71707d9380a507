// Masks as PyTorch's bool tensors, against PyTorch 1.13 (fixtures/torch/masks.json, from make_masks.py): what a mask
// says it is (dtype, type(), printing, isFloatingPoint, elementSize), which results stay bool (add and mul of two
// masks, fullLike, maskedFill, fill_, takeAlongDim, …), what PyTorch refuses (subtraction and negation of bools, mean,
// var, std, requiresGrad), several '...' in one index; hand-written cases, then 200 random expressions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as K from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { assertClose, loadFixture } from './golden-helpers.js';

type Expr = string | number | boolean | number[] | [string, ...Expr[]];
type Num = number | 'NaN' | 'Infinity' | '-Infinity';
interface Input { shape: number[]; dtype: string; data: number[] }
interface Case { expr: Expr; refused?: string; value?: unknown; dtype?: string; shape?: number[]; str?: string; data?: Num[] }
const fx = loadFixture<{ inputs: Record<string, Input>; cases: Case[] }>('masks.json');

const num = (v: Num): number => (typeof v === 'number' ? v : Number(v));
/** A fixture input as Kindling makes it: a bool one as a mask (booleans), a float one as float32. */
const input = (e: Input): Tensor => {
  if (e.dtype !== 'bool') return K.tensor(e.data, e.shape);
  return e.data.length === 0 ? K.zeros(e.shape).bool() : K.tensor(e.data.map((v) => v !== 0), e.shape);
};
const entry = (v: string): number | '...' | typeof K.newaxis => (v === '...' ? '...' : v === 'None' ? K.newaxis : Number(v));

/* eslint-disable @typescript-eslint/no-explicit-any */
const OPS: Record<string, (...a: any[]) => unknown> = {
  add: K.add, sub: K.sub, mul: K.mul, div: K.div, maximum: K.maximum, minimum: K.minimum, logicalAnd: K.logicalAnd,
  logicalOr: K.logicalOr, logicalXor: K.logicalXor, eq: K.eq, ne: K.ne, gt: K.gt, where: K.where, neg: K.neg,
  logicalNot: K.logicalNot, sign: K.sign, pow: K.pow, square: K.square, exp: K.exp, sigmoid: K.sigmoid,
  sum: (a) => K.sum(a), mean: (a) => K.mean(a), var: (a) => K.var(a), std: (a) => K.std(a), any: (a) => K.any(a), all: (a) => K.all(a),
  max: (a) => K.max(a), min: (a) => K.min(a), amax: (a) => K.amax(a), cumsum0: (a) => K.cumsum(a, 0),
  float: (a) => a.float(), bool: (a) => a.bool(), clone: (a) => a.clone(), flip0: (a) => K.flip(a, [0]), flat: (a) => a.reshape(-1),
  t: (a) => a.t(), cat: (a, b) => K.cat([a, b]), stack: (a, b) => K.stack([a, b]), takeAlongDim: (a, i) => K.takeAlongDim(a, K.tensor(i)),
  fullLike: (a, v) => K.fullLike(a, v), zerosLike: (a) => K.zerosLike(a), onesLike: (a) => K.onesLike(a),
  maskedFill: (a, c, v) => a.maskedFill(c, v), fill_: (a, v) => a.clone().fill_(v), maskedFill_: (a, c, v) => a.clone().maskedFill_(c, v),
  tensorOf: (a) => K.tensor(a), zerosLikeGrad: (a) => K.zerosLike(a, { requiresGrad: true }), requiresGrad_: (a) => a.clone().requiresGrad_(),
  newZeros: (a) => a.newZeros(2), newOnes: (a) => a.newOnes([2]), newFull: (a, v) => a.newFull([2], v), newTensor: (a, v) => a.newTensor(v),
  newZerosFloat: (a) => a.newZeros(2, { dtype: 'float32' }), newZerosGrad: (a) => a.newZeros(2, { requiresGrad: true }), typeAs: (a, b) => a.typeAs(b),
  index: (a, spec: string) => a.index(spec.split(',').map(entry)), rsub: K.rsub,
  indexT: (a, spec: string, i) => a.index([...spec.split(',').map(entry), K.tensor(i)]),
  zerosD: (d) => K.zeros(2, 3, { dtype: d }), onesD: (d) => K.ones([3], { dtype: d }), fullD: (v, d) => K.full([2], v, { dtype: d }),
  emptyD: (d) => K.empty(0, 2, { dtype: d }), tensorD: (v, d) => K.tensor(v, { dtype: d }), zerosLikeD: (a, d) => K.zerosLike(a, { dtype: d }),
  onesLikeD: (a, d) => K.onesLike(a, { dtype: d }), fullLikeD: (a, v, d) => K.fullLike(a, v, { dtype: d }), emptyLike: (a) => K.emptyLike(a),
  emptyLikeD: (a, d) => K.emptyLike(a, { dtype: d }), asTensorD: (a, d) => K.asTensor(a, { dtype: d }), eyeD: (d) => K.eye(2, 3, { dtype: d }),
  zerosDGrad: (d) => K.zeros(2, { dtype: d, requiresGrad: true }), fullDGrad: (v, d) => K.full([2], v, { dtype: d, requiresGrad: true }),
  tensorDGrad: (v, d) => K.tensor(v, { dtype: d, requiresGrad: true }),
  add_: (a, b) => a.clone().add_(b), addAlpha_: (a, b) => a.clone().add_(b, 2), sub_: (a, b) => a.clone().sub_(b),
  mul_: (a, b) => a.clone().mul_(b), div_: (a, b) => a.clone().div_(b),
  addAlpha: (a, b, al) => K.add(a, b, al), addAlphaIn_: (a, b, al) => a.clone().add_(b, al), diff: (a) => K.diff(a),
  diffD: (a, k, d) => K.diff(a, k, d), diffPrepend: (a, p) => K.diff(a, 1, -1, p),
  neg_: (a) => a.clone().neg_(), abs_: (a) => a.clone().abs_(), abs: K.abs, varMean: (a) => K.varMean(a), stdMean: (a) => K.stdMean(a),
  nanmean: (a) => K.nanmean(a), norm: (a) => K.norm(a), normOf: (a) => a.norm(),
  bceSig: (a, b) => K.F.binaryCrossEntropy(K.sigmoid(a), b), bceSigT: (a, b) => K.F.binaryCrossEntropy(a, K.sigmoid(b)),
  bce: (a, b) => K.F.binaryCrossEntropy(a, b), bceWl: (a, b) => K.F.binaryCrossEntropyWithLogits(a, b),
  copy_: (a, b) => a.clone().copy_(b), loadBuffer: (a, b) => loadBuffer(a, b),
  bceWlPos: (a, b, p) => K.F.binaryCrossEntropyWithLogits(a, b, { posWeight: p }),
  bceWlPosNone: (a, b, p) => K.F.binaryCrossEntropyWithLogits(a, b, { posWeight: p, reduction: 'none' }),
  bceWlPosModule: (a, b, p) => new K.nn.BCEWithLogitsLoss({ posWeight: p }).forward(a, b), subAlpha: (a, b, al) => K.sub(a, b, al),
  nonzero: (a) => K.nonzero(a), countNonzero: (a) => K.countNonzero(a), prod: (a) => K.prod(a), cumprod0: (a) => K.cumprod(a, 0),
  sum0: (a) => K.sum(a, 0), argsort: (a) => K.argsort(a), sortIdx: (a) => K.sort(a).indices, maxIdx0: (a) => K.max(a, 0).indices,
  remainder: K.remainder, argwhere: (a) => K.argwhere(a),
  dtype: (a) => a.dtype, type: (a) => a.type(), isFloatingPoint: (a) => a.isFloatingPoint(), isSigned: (a) => a.isSigned(), elementSize: (a) => a.elementSize(),
};
/* eslint-enable @typescript-eslint/no-explicit-any */

/** A module's buffer `a` loaded from a state dict holding `b`, as PyTorch's load_state_dict copies into it. */
function loadBuffer(a: Tensor, b: Tensor): Tensor {
  const m = new K.nn.Identity();
  m.registerBuffer('b', a.clone());
  m.loadStateDict({ b });
  return m.getBuffer('b')!;
}

function evaluate(e: Expr): unknown {
  if (typeof e === 'string') return fx.inputs[e] !== undefined ? input(fx.inputs[e]) : ['NaN', 'Infinity', '-Infinity'].includes(e) ? Number(e) : e;
  if (typeof e !== 'object' || typeof e[0] === 'number') return e;
  const [op, ...args] = e as [string, ...Expr[]];
  return OPS[op]!(...args.map(evaluate));
}

/** PyTorch's refusals that Kindling gives in PyTorch's words (the first sentence); other refusals are only refusals. */
const SAID = ['Subtraction, the `-` operator', 'Negation, the `-` operator', 'mean(): could not infer output dtype', 'std and var only support', 'Only Tensors of floating point', 'result type', 'only Tensors of floating point', 'Dimension out of range', 'For integral input tensors',
  '"abs_cpu" not implemented', 'var_mean only support', 'std_mean only support', 'nanmean(): expected', 'norm(): input dtype',
  'Found dtype', '"binary_cross_entropy" not implemented', 'too many indices for tensor', 'index 0 is out of bounds',
  'index 1 is out of bounds', 'index -1 is out of bounds', 'where expected condition', 'Boolean alpha only supported'];

for (const c of fx.cases) {
  const name = JSON.stringify(c.expr);
  test(`masks: ${name}: ${c.refused !== undefined ? 'refused' : c.dtype ?? 'a value'} as PyTorch's`, () => {
    if (c.refused !== undefined) {
      const words = c.refused.split('. ')[0]!.replace(/\.$/, '');
      assert.throws(() => evaluate(c.expr), (err: Error) => !SAID.some((s) => c.refused!.startsWith(s)) || err.message.includes(words), `${name} refused: ${words}`);
      return;
    }
    const out = evaluate(c.expr);
    if (c.dtype === undefined) {
      assert.equal(out, c.value);
      return;
    }
    const t = out as Tensor;
    assert.deepEqual(t.shape, c.shape, `${name} shape`);
    assertClose(t.values(), c.data!.map(num), name, { rtol: 1e-6, atol: 1e-6 });
    // Kindling has no int64: PyTorch's integer results (a sum of bools, m + 1) are float32 here, and print so.
    assert.equal(t.dtype, c.dtype === 'int64' ? 'float32' : c.dtype, `${name} dtype`);
    if (c.dtype !== 'int64') assert.equal(String(t), c.str, `${name} printing`);
  });
}

test('masks: a mask fills, copies and views as PyTorch\'s bool tensors (requiresGrad refused on the setter too)', () => {
  const m = K.tensor([false, true]);
  assert.throws(() => { m.requiresGrad = true; }, /only Tensors of floating point dtype can require gradients/);
  assert.throws(() => K.full([2], true, { requiresGrad: true }), /Only Tensors of floating point and complex dtype/);
  assert.equal(K.zerosLike(m, { dtype: 'float32' }).dtype, 'float32');
  assert.equal(String(m.float()), 'tensor([0., 1.])');
  // An in-place comparison writes 1/0 into a float tensor, which stays float (PyTorch's x.eq_(y) keeps x's dtype).
  assert.equal(K.tensor([1, 2]).eq_(1).dtype, 'float32');
});
