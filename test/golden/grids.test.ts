// meshgrid, cartesianProd, combinations, blockDiag, cross, searchsorted, bucketize, triuIndices and trilIndices
// against PyTorch 1.13 (fixtures/torch/grids.json, from make_grids.py): outputs bit for bit (they move or pick
// elements; cross fuses one product into the difference, as PyTorch's AVX2 kernel), grad_fn names, every input's
// gradient (within 2e-7 of the largest: the sums of an element's uses run in another order), and PyTorch's refusals with its messages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blockDiag, bucketize, cartesianProd, combinations, cross, meshgrid, searchsorted, tensor, trilIndices, triuIndices, zeros, type Tensor } from '../../src/index.js';
import { assertSame, assertTensorClose, decode, largest, loadFixture, type EncodedTensor } from './golden-helpers.js';

interface GradCase {
  inputs: EncodedTensor[];
  options: Record<string, unknown>;
  outs: EncodedTensor[];
  upstreams: EncodedTensor[];
  gradFns: (string | null)[];
  grads: (EncodedTensor | null)[];
}
interface SearchCase {
  name: string;
  boundaries: EncodedTensor;
  values: EncodedTensor | number;
  options: { right?: boolean; side?: 'left' | 'right'; sorter?: EncodedTensor };
  out: EncodedTensor;
}
const fx = loadFixture<{
  meshgrid: GradCase[];
  cartesianProd: GradCase[];
  combinations: GradCase[];
  blockDiag: GradCase[];
  cross: GradCase[];
  searchsorted: SearchCase[];
  bucketize: { input: EncodedTensor | number; boundaries: EncodedTensor; right: boolean; out: EncodedTensor }[];
  triangleIndices: { row: number; col: number; offset: number; triu: EncodedTensor; tril: EncodedTensor }[];
  refusals: Record<string, { type: string; message: string }>;
}>('grids.json');

function check(c: GradCase, fn: (xs: Tensor[]) => Tensor | Tensor[]): void {
  const xs = c.inputs.map((e) => decode(e, true));
  const got = fn(xs);
  const outs = Array.isArray(got) ? got : [got];
  assert.equal(outs.length, c.outs.length);
  outs.forEach((o, i) => {
    assertSame(o, c.outs[i]!, `output ${i}`);
    assert.equal(o.gradFn?.torchName ?? null, c.gradFns[i]);
  });
  const live = outs.map((o, i) => [o, i] as const).filter(([o]) => o.requiresGrad);
  if (live.length === 0) return;
  live.map(([o, i]) => o.mul(decode(c.upstreams[i]!)).sum()).reduce((a, b) => a.add(b)).backward();
  xs.forEach((x, i) => {
    const want = c.grads[i];
    if (want === null || want === undefined) assert.equal(x.grad, null);
    // Within 2e-7 of the largest: a gradient sums an element's uses, in another order than PyTorch's autograd.
    else assertTensorClose(x.grad, want, `grad ${i}`, { rtol: 0, atol: 2e-7 * Math.max(1, largest(want)) });
  });
}

const shapes = (c: GradCase): string => c.inputs.map((e) => `[${e.shape.join(', ')}]`).join(', ');

for (const c of fx.meshgrid) {
  test(`meshgrid(${shapes(c)}, ${JSON.stringify(c.options)}) matches PyTorch (views, grads, grad_fn)`, () => {
    check(c, (xs) => meshgrid(xs, { indexing: c.options['indexing'] as 'ij' | 'xy' }));
  });
}
for (const c of fx.cartesianProd) test(`cartesianProd(${shapes(c)}) matches PyTorch`, () => check(c, (xs) => cartesianProd(...xs)));
for (const c of fx.combinations) {
  test(`combinations(${shapes(c)}, ${JSON.stringify(c.options)}) matches PyTorch`, () => {
    const o = c.options as { r?: number; with_replacement?: boolean };
    check(c, ([x]) => combinations(x!, { ...(o.r === undefined ? {} : { r: o.r }), ...(o.with_replacement === undefined ? {} : { withReplacement: o.with_replacement }) }));
  });
}
for (const c of fx.blockDiag) test(`blockDiag(${shapes(c)}) matches PyTorch`, () => check(c, (xs) => blockDiag(...xs)));
for (const c of fx.cross) {
  test(`cross(${shapes(c)}, ${JSON.stringify(c.options)}) matches PyTorch bit for bit`, () => {
    check(c, ([a, b]) => cross(a!, b!, c.options['dim'] as number | undefined));
  });
}

const num = (v: EncodedTensor | number): Tensor | number => (typeof v === 'number' ? v : decode(v));
for (const c of fx.searchsorted) {
  test(`searchsorted ${c.name} matches PyTorch`, () => {
    const { sorter, ...rest } = c.options;
    const out = searchsorted(decode(c.boundaries), num(c.values), { ...rest, ...(sorter ? { sorter: decode(sorter) } : {}) });
    assertSame(out, c.out, 'indices');
    assert.equal(out.requiresGrad, false);
  });
}
fx.bucketize.forEach((c, i) => {
  test(`bucketize #${i} (right ${c.right}) matches PyTorch`, () => assertSame(bucketize(num(c.input), decode(c.boundaries), { right: c.right }), c.out, 'buckets'));
});
for (const c of fx.triangleIndices) {
  test(`triuIndices/trilIndices(${c.row}, ${c.col}, ${c.offset}) match PyTorch`, () => {
    assertSame(triuIndices(c.row, c.col, c.offset), c.triu, 'triu');
    assertSame(trilIndices(c.row, c.col, c.offset), c.tril, 'tril');
  });
}

test('the refusals carry PyTorch\'s messages', () => {
  const z = (...s: number[]): Tensor => zeros(s);
  const r = fx.refusals;
  const same = (fn: () => unknown, key: string, prefix = false): void => {
    const want = r[key]!.message;
    assert.throws(fn, (e: Error) => (prefix ? e.message.startsWith(want.slice(0, want.indexOf('but got') + 7)) : e.message.endsWith(want)), key);
  };
  same(() => meshgrid(z(2), z(2, 2)), 'meshgrid 2-D', true);
  same(() => meshgrid({ indexing: 'ij' }), 'meshgrid none');
  same(() => meshgrid(z(2), { indexing: 'zz' as 'ij' }), 'meshgrid indexing');
  same(() => cartesianProd(z(2, 2), z(2)), 'cartesianProd 2-D');
  same(() => combinations(z(2, 2)), 'combinations 2-D');
  same(() => combinations(z(3), -1), 'combinations r');
  same(() => blockDiag(z(2), z(2, 2, 2)), 'blockDiag 3-D');
  same(() => cross(z(4, 2), z(4, 2)), 'cross no dim of 3');
  same(() => cross(z(4, 3), z(4, 3), 0), 'cross length');
  same(() => cross(z(2, 4, 3), z(4, 3), -1), 'cross ranks');
  // Kindling's own broadcasting message, as its other ops give (PyTorch's names the sizes at dimension 0 too).
  assert.throws(() => cross(z(2, 3), z(4, 3), 1), /shapes \[2, 3\] and \[4, 3\] cannot be broadcast together \(dimension 0: 2 vs 4\)/);
  const nd = tensor([[1, 3, 5], [2, 4, 6]]);
  const s = tensor([1, 3, 5, 5, 7, 9]);
  same(() => searchsorted(nd, tensor([[3, 3]])), 'searchsorted N-D');
  same(() => searchsorted(s, z(2), { side: 'up' as 'left' }), 'searchsorted side');
  same(() => searchsorted(s, z(2), { side: 'left', right: true }), 'searchsorted opposite');
  same(() => searchsorted(tensor(1), z(2)), 'searchsorted 0-D');
  same(() => searchsorted(tensor([5, 1, 3, 9, 7]), z(2), { sorter: tensor([1, 2]) }), 'searchsorted sorter');
  same(() => bucketize(z(2), z(2, 2)), 'bucketize 2-D');
  same(() => triuIndices(-1, 3), 'triu row');
  same(() => trilIndices(2, -3), 'tril col');
});
