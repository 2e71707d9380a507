// Indexing corners against PyTorch 1.13 (fixtures/torch/index-more.json, written by make_index_more.py), bit for bit:
// second derivatives through scatter, indexCopy, scatterAdd and put with repeated indices; scatterReduce and gather of
// 0-d inputs and empty indices; maskedScatter with a mask broadcasting beyond the input; indexAdd's two roundings of
// an inexact alpha; narrow of an empty dimension from −1; where(condition); put and put_; and the refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as K from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { assertSame, decode, fixtureUpstream, loadFixture, type EncodedTensor } from './golden-helpers.js';

type E = EncodedTensor;
interface SecondOrder { op: string; x: E; src: E; index: E; out: E; gx: E; gs: E; ws: E; wx: E; ggs: E; ggx: E }
interface ZeroD { op: string; x: E; src?: E; dim: number; index: E; kwargs: { reduce?: K.ScatterReduction; include_self?: boolean }; out: E; grads?: E[]; gradError?: string }
interface Masked { x: E; mask: E; src: E; out: E; gx: E; gs: E }
interface IndexAdd { x: E; dim: number; index: E; source: E; alpha: number; out: E }
interface Put { x: E; index: E; source: E; accumulate: boolean; out: E; gradFn: string; gx: E; gs: E; inPlace: E }
interface Narrow { shape: number[]; dim: number; start: number; length: number; out: E }
interface Refusal { type: string; message: string }
interface Fx {
  secondOrder: SecondOrder[]; zeroD: ZeroD[]; maskedScatter: Masked[]; indexAddAlpha: IndexAdd[]; put: Put[];
  narrow: Narrow[]; where: { cond: E; out: E[] }[]; refused: Record<string, Refusal>;
}
const fx = loadFixture<Fx>('index-more.json');

const forward: Record<string, (x: Tensor, s: Tensor, i: Tensor) => Tensor> = {
  scatter: (x, s, i) => x.scatter(i.ndim === 2 && x.shape[1] === 4 ? 1 : 0, i, s),
  scatterAdd: (x, s, i) => x.scatterAdd(0, i, s),
  indexCopy: (x, s, i) => x.indexCopy(0, i, s),
  put: (x, s, i) => x.put(i, s),
  putAccumulate: (x, s, i) => x.put(i, s, { accumulate: true }),
};

test('second derivatives through scatter, indexCopy, scatterAdd and put sum over repeated indices, as PyTorch\'s', () => {
  assert.equal(fx.secondOrder.length, 7);
  for (const c of fx.secondOrder) {
    const label = `${c.op} index ${JSON.stringify(c.index.data)}`;
    const x = decode(c.x, true);
    const src = decode(c.src, true);
    const y = forward[c.op]!(x, src, decode(c.index));
    assertSame(y, c.out, `${label} out`);
    const g = fixtureUpstream(y).requiresGrad_();
    const [gx, gs] = K.autograd.grad([y], [x, src], [g], { createGraph: true });
    assertSame(gx!, c.gx, `${label} gx`);
    assertSame(gs!, c.gs, `${label} gs`);
    assertSame(K.autograd.grad([gs!.mul(decode(c.ws)).sum()], [g])[0]!, c.ggs, `${label} d(Σ gs·ws)/dg`);
    assertSame(K.autograd.grad([gx!.mul(decode(c.wx)).sum()], [g])[0]!, c.ggx, `${label} d(Σ gx·wx)/dg`);
  }
});

test('scatterReduce and gather take 0-d inputs and empty indices as PyTorch does, with its gradients', () => {
  assert.equal(fx.zeroD.length, 16);
  for (const c of fx.zeroD) {
    const label = `${c.op} of [${c.x.shape.join(', ')}] dim ${c.dim} index [${c.index.shape.join(', ')}] ${JSON.stringify(c.kwargs)}`;
    const x = decode(c.x, true);
    const index = decode(c.index);
    const leaves = [x];
    let y: Tensor;
    if (c.op === 'scatterReduce') {
      const src = decode(c.src!, true);
      leaves.push(src);
      y = x.scatterReduce(c.dim, index, src, c.kwargs.reduce!, { includeSelf: c.kwargs.include_self ?? true });
    } else {
      y = x.gather(c.dim, index);
    }
    assertSame(y, c.out, label);
    // Where PyTorch 1.13's backward fails (a 0-d input with a one-element src), Kindling's gradients still have the
    // leaves' shapes.
    const grads = K.autograd.grad([y], leaves, [fixtureUpstream(y)], { allowUnused: true });
    if (c.grads === undefined) grads.forEach((t, k) => assert.deepEqual(t?.shape, leaves[k]!.shape, `${label} grad ${k} shape`));
    else c.grads.forEach((e, k) => assertSame(grads[k] ?? K.zeros(leaves[k]!.shape), e, `${label} grad ${k}`));
  }
});

test('maskedScatter broadcasts x with the mask, the result taking their shape, as PyTorch\'s; maskedScatter_ refuses', () => {
  for (const c of fx.maskedScatter) {
    const label = `maskedScatter of [${c.x.shape.join(', ')}] mask [${c.mask.shape.join(', ')}]`;
    const x = decode(c.x, true);
    const src = decode(c.src, true);
    const y = x.maskedScatter(decode(c.mask), src);
    assertSame(y, c.out, label);
    const [gx, gs] = K.autograd.grad([y], [x, src], [fixtureUpstream(y)]);
    assertSame(gx!, c.gx, `${label} gx`);
    assertSame(gs!, c.gs, `${label} gs`);
  }
  assert.throws(() => K.tensor([1, 2]).maskedScatter_(K.tensor([[1], [0]]), K.tensor([7, 8, 9])),
    /maskedScatter_: the mask \[2, 1\] must broadcast to the input's shape \[2\]/);
});

test('indexAdd rounds an inexact alpha as PyTorch\'s kernels do: fused from two dimensions, alpha·source first below', () => {
  for (const c of fx.indexAddAlpha) {
    const y = decode(c.x).indexAdd(c.dim, decode(c.index), decode(c.source), { alpha: c.alpha });
    assertSame(y, c.out, `indexAdd of [${c.x.shape.join(', ')}] dim ${c.dim} alpha ${c.alpha}`);
  }
});

test('put and put_ write (or add) at the flattened places, with PyTorch\'s values and gradients', () => {
  for (const c of fx.put) {
    const label = `put of [${c.x.shape.join(', ')}] index ${JSON.stringify(c.index.data)} accumulate ${c.accumulate}`;
    const x = decode(c.x, true);
    const source = decode(c.source, true);
    const index = decode(c.index);
    const y = x.put(index, source, { accumulate: c.accumulate });
    assertSame(y, c.out, label);
    assert.equal(y.gradFn?.torchName, c.gradFn, `${label} grad_fn`);
    const [gx, gs] = K.autograd.grad([y], [x, source], [fixtureUpstream(y)]);
    assertSame(gx!, c.gx, `${label} gx`);
    assertSame(gs!, c.gs, `${label} gs`);
    const t = decode(c.x);
    assert.equal(t.put_(index, decode(c.source), { accumulate: c.accumulate }), t);
    assertSame(t, c.inPlace, `${label} put_`);
    assert.deepEqual(K.put(decode(c.x), index, decode(c.source), { accumulate: c.accumulate }).toArray(), y.toArray());
  }
});

test('narrow of an empty dimension from -1 and where(condition) give PyTorch\'s results', () => {
  for (const c of fx.narrow) assertSame(K.zeros(c.shape).narrow(c.dim, c.start, c.length), c.out, `narrow(${c.dim}, ${c.start}, ${c.length}) of [${c.shape.join(', ')}]`);
  for (const c of fx.where) {
    const got = K.where(decode(c.cond));
    assert.equal(got.length, c.out.length);
    got.forEach((t, k) => assertSame(t, c.out[k]!, `where(condition of [${c.cond.shape.join(', ')}])[${k}]`));
  }
  assert.throws(() => (K.where as unknown as (c: Tensor, x?: number) => Tensor)(K.tensor([1, 0]), 1), /where: give both x and y, or the condition alone/);
});

test('the indexing calls PyTorch refuses are refused, with its messages', () => {
  const r = fx.refused;
  const x0 = K.tensor(1.5);
  const x = K.tensor([[1, 2], [3, 4]]);
  const T = K.tensor;
  const same = (name: string, f: () => unknown, op: string): void => {
    assert.throws(f, (e: Error) => e.message.startsWith(`${op}: `) && e.message.includes(r[name]!.message), name);
  };
  same('scatterReduce0dIndex1', () => x0.scatterReduce(0, T(1), T(2.5), 'sum'), 'scatterReduce');
  same('scatterReduce0dIndexMinus1', () => x0.scatterReduce(0, T(-1), T(2.5), 'amax'), 'scatterReduce');
  same('scatterReduce0dIndex2d', () => x0.scatterReduce(0, T([[0]]), T([[2.5]]), 'sum'), 'scatterReduce');
  same('takeAlongDim0d', () => K.takeAlongDim(x0, T(0), 0), 'takeAlongDim');
  same('takeAlongDim0dMinus1', () => K.takeAlongDim(x0, T(0), -1), 'takeAlongDim');
  same('searchsorted2dScalar', () => K.searchsorted(T([[1, 2, 3]]), T(2)), 'torch.searchsorted()');
  same('searchsorted2dScalar', () => K.searchsorted(T([[1, 2, 3]]), 2), 'torch.searchsorted()');
  same('putOutOfRange', () => x.put(T([4]), T([7])), 'put');
  same('putOutOfRangeNegative', () => x.put(T([-5]), T([7])), 'put');
  same('putNumel', () => x.put(T([0, 1]), T([7])), 'put');
  same('putEmpty', () => K.zeros([0]).put(T([0]), T([7])), 'put');
  // Kindling's own words where PyTorch's name its internals.
  assert.throws(() => x0.gather(0, T([1])), /^RangeError: gather: index 1 \(element 0 of the index\) is out of range for dimension 0 of size 1/);
  assert.throws(() => x0.gather(0, T([[0]])), /^RangeError: gather: the index must have as many dimensions as the input/);
  assert.throws(() => K.takeAlongDim(x, T([[9], [1]]), 1), /^RangeError: takeAlongDim: index 9 \(element 0 of the index\) is out of range for dimension 1 of size 2/);
  assert.throws(() => K.takeAlongDim(x, T([[0.5], [1]]), 1), /^RangeError: takeAlongDim: index 0\.5 .*\(indices are whole numbers\)/);
  assert.throws(() => x.scatterReduce(0, T([[0.5, 0]]), K.ones([1, 2]), 'sum'), /^KindlingError: scatterReduce: the index must hold whole numbers, got 0\.5 \(element 0\)/);
  assert.throws(() => K.zeros([0]).narrow(0, -2, 0), /^RangeError: narrow: start -2 and length 0 do not fit dimension 0 of size 0/);
  assert.throws(() => x.put(T([0.5]), T([7])), /^KindlingError: put: the index must hold whole numbers, got 0\.5/);
  assert.throws(() => x.put(T([0]), T([7]), { accumulate: 1 as unknown as boolean }), /^TypeError: put: accumulate must be true or false, got the number 1/);
  assert.throws(() => x.requiresGrad_().put_(T([0]), T([7])), /put_/);
});

test('createGraph gradients hold +0 at the places written, as PyTorch\'s masked_fill formulas do', () => {
  // PyTorch 1.13 gives x's gradient [0, -1] (+0) for the output gradient [-1, -1], with or without create_graph.
  const T = K.tensor;
  const ops: [string, (x: Tensor) => Tensor][] = [
    ['indexFill', (x) => x.indexFill(0, T([0]), 5)],
    ['indexFill with a tensor value', (x) => x.indexFill(0, T([0]), T(5))],
    ['indexCopy', (x) => x.indexCopy(0, T([0]), T([5]))],
    ['maskedScatter', (x) => x.maskedScatter(T([1, 0]), T([5]))],
    ['selectScatter', (x) => K.selectScatter(x, T(5), 0, 0)],
    ['sliceScatter', (x) => K.sliceScatter(x, T([5]), 0, 0, 1)],
  ];
  for (const [name, f] of ops) {
    for (const createGraph of [false, true]) {
      const x = T([1, 2], { requiresGrad: true });
      const [g] = K.autograd.grad([f(x)], [x], [T([-1, -1])], { createGraph });
      const v = g!.toArray();
      assert.ok(Object.is(v[0], 0) && v[1] === -1, `${name} createGraph ${createGraph}: got [${Array.from(v, (a) => (Object.is(a, -0) ? '-0' : a)).join(', ')}]`);
    }
  }
});

test('scatterReduce\'s createGraph src gradient keeps PyTorch\'s signed zeros where the index covers src', () => {
  // PyTorch 1.13: x [1, 5, 2], index [0, 0, 2], src [3, 4, 1], 'amax', output gradient [-1, -2, -3] gives
  // src's gradient [-0, -1, -0] (0 · the share of a negative gradient), with or without create_graph.
  for (const createGraph of [false, true]) {
    const x = K.tensor([1, 5, 2], { requiresGrad: true });
    const src = K.tensor([3, 4, 1], { requiresGrad: true });
    const y = x.scatterReduce(0, K.tensor([0, 0, 2]), src, 'amax');
    const [gx, gs] = K.autograd.grad([y], [x, src], [K.tensor([-1, -2, -3])], { createGraph });
    const signed = (t: Tensor): string[] => Array.from(t.toArray(), (v) => (Object.is(v, -0) ? '-0' : String(v)));
    assert.deepEqual(signed(gx!), ['-0', '-2', '-3'], `x's gradient, createGraph ${createGraph}`);
    assert.deepEqual(signed(gs!), ['-0', '-1', '-0'], `src's gradient, createGraph ${createGraph}`);
  }
});

test('put takes accumulate by position, as PyTorch\'s put_(index, source, True)', () => {
  // PyTorch 1.13: torch.zeros(3).put_(tensor([0, 0]), tensor([1., 1.]), True) is tensor([2., 0., 0.]), and put too.
  const T = K.tensor;
  assert.deepEqual(Array.from(K.zeros(3).put_(T([0, 0]), T([1, 1]), true).toArray()), [2, 0, 0]);
  assert.deepEqual(Array.from(K.zeros(3).put(T([0, 0]), T([1, 1]), true).toArray()), [2, 0, 0]);
  assert.deepEqual(Array.from(K.put(K.zeros(3), T([0, 0]), T([1, 1]), false).toArray()), [1, 0, 0]);
});

test('scatter\'s src must be a Tensor or a number: a missing value, a string or { value } was written as NaN or a number', () => {
  // PyTorch 1.13 takes x.scatter(0, index, value=3) as a keyword; Kindling takes the value by position only.
  const T = K.tensor;
  assert.deepEqual(Array.from(K.ones(2).scatter(0, T([0]), 7).toArray()), [7, 1]);
  // A boolean is a number, as PyTorch 1.13's torch.zeros(3).scatter_(0, tensor([1]), True) gives tensor([0., 1., 0.]).
  assert.deepEqual(Array.from(K.zeros(3).scatter(0, T([1]), true).toArray()), [0, 1, 0]);
  assert.deepEqual(Array.from(K.ones(3).scatter_(0, T([1, 2]), false).toArray()), [1, 0, 0]);
  for (const src of [undefined, { value: 3 }, '5']) {
    assert.throws(() => K.ones(2).scatter(0, T([0]), src as never), /^TypeError: scatter: src must be a Tensor or a number \(PyTorch's value\), given by position as in x\.scatter\(1, index, 1\.0\)/);
    assert.throws(() => K.ones(2).scatter_(0, T([0]), src as never), /scatter: src must be a Tensor or a number/);
  }
});
