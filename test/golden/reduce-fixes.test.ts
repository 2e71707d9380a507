// unique and uniqueConsecutive with a dim of 2 or more, and their refusal of more than one size-0 dimension; prod's
// gradient taken with createGraph (∞, NaN, overflow, zeros, a size-1 and an empty reduced dim) and its second
// derivative, against PyTorch 1.13 (fixtures/torch/reduce-fixes.json, written by make_reduce_fixes.py).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autograd, tensor, zeros, type Tensor } from '../../src/index.js';
import { assertClose, assertSame, fixtureUpstream, loadFixture, values, type EncodedTensor } from './golden-helpers.js';

interface UniqueCase {
  label: string;
  input: EncodedTensor;
  dim: number;
  values: EncodedTensor;
  inverse: EncodedTensor;
  counts: EncodedTensor;
  consecutive: { values: EncodedTensor; inverse: EncodedTensor; counts: EncodedTensor };
}
interface ProdCase { label: string; input: EncodedTensor; dim: number | null; keepdim: boolean; g: EncodedTensor; plain: EncodedTensor; v: EncodedTensor; g2?: EncodedTensor }
const fx = loadFixture<{
  uniqueDim: UniqueCase[];
  uniqueRefused: { op: 'unique' | 'unique_consecutive'; shape: number[]; dim: number; message: string }[];
  prodCreateGraph: ProdCase[];
  prodEmpty: { shape: number[]; dim: number | null; keepdim: boolean; gradShape: number[] }[];
}>('reduce-fixes.json');

const leaf = (e: EncodedTensor): Tensor => tensor(Float32Array.from(values(e).map(Number)), e.shape, { requiresGrad: true });

/** Shape and values, NaN equal to NaN; the sign of zero left out (the engine's products give +0 where PyTorch's give −0). */
function sameUpToZeroSign(t: Tensor, e: EncodedTensor, label: string): void {
  assertSame(t.add(0), { ...e, data: values(e).map((v) => Number(v) + 0) }, label);
}

test('unique({ dim }) ranks the slices as PyTorch 1.13 does (by x.transpose(dim, 0)), values, inverse and counts; uniqueConsecutive too', () => {
  assert.ok(fx.uniqueDim.length >= 5);
  for (const c of fx.uniqueDim) {
    const x = tensor(Float32Array.from(values(c.input)), c.input.shape);
    const [u, inv, cnt] = x.unique({ dim: c.dim, returnInverse: true, returnCounts: true });
    assertSame(u!, c.values, `unique ${c.label}: values`);
    assertSame(inv!, c.inverse, `unique ${c.label}: inverse`);
    assertSame(cnt!, c.counts, `unique ${c.label}: counts`);
    const [cu, cinv, ccnt] = x.uniqueConsecutive({ dim: c.dim, returnInverse: true, returnCounts: true });
    assertSame(cu!, c.consecutive.values, `uniqueConsecutive ${c.label}: values`);
    assertSame(cinv!, c.consecutive.inverse, `uniqueConsecutive ${c.label}: inverse`);
    assertSame(ccnt!, c.consecutive.counts, `uniqueConsecutive ${c.label}: counts`);
  }
});

test('unique and uniqueConsecutive refuse more than one size-0 dimension with PyTorch\'s message', () => {
  for (const r of fx.uniqueRefused) {
    const name = r.op === 'unique' ? 'unique' : 'uniqueConsecutive';
    const x = zeros(r.shape);
    const call = (): unknown => (r.op === 'unique' ? x.unique({ dim: r.dim }) : x.uniqueConsecutive({ dim: r.dim }));
    assert.throws(call, (e: unknown) => e instanceof RangeError && e.message.startsWith(`${name}: ${r.message.trim()} (shape [${r.shape.join(', ')}]`), `${name} ${JSON.stringify(r.shape)}`);
  }
});

test('prod\'s gradient with createGraph is PyTorch\'s and the plain kernel\'s (∞, NaN, overflow, zeros, a size-1 dim), and so is its second derivative', () => {
  for (const c of fx.prodCreateGraph) {
    const run = (createGraph: boolean): { x: Tensor; g: Tensor } => {
      const x = leaf(c.input);
      const out = c.dim === null ? x.prod() : x.prod(c.dim, c.keepdim);
      const [g] = autograd.grad(out, [x], fixtureUpstream(out), { createGraph });
      return { x, g: g! };
    };
    const plain = run(false).g;
    sameUpToZeroSign(plain, c.plain, `${c.label}: plain gradient`);
    const { x, g } = run(true);
    sameUpToZeroSign(g, c.g, `${c.label}: createGraph gradient`);
    assert.deepEqual(Array.from(g.toArray()), Array.from(plain.toArray()), `${c.label}: createGraph gradient equals the plain one`);
    if (c.g2 === undefined) {
      // PyTorch 1.13 gives prod of everything with two zeros zeros without a graph (here an ∞ would make the formula NaN).
      assert.equal(g.requiresGrad, false, `${c.label}: no graph, as PyTorch's`);
      continue;
    }
    const [g2] = autograd.grad(g, [x], tensor(Float32Array.from(values(c.v)), c.v.shape));
    assert.deepEqual([...g2!.shape], c.g2.shape, `${c.label}: second derivative shape`);
    assertClose(g2!.toArray(), values(c.g2).map(Number), `${c.label}: second derivative`);
  }
});

test('prod\'s gradient with createGraph over an empty input has the input\'s shape, as PyTorch\'s', () => {
  for (const c of fx.prodEmpty) {
    const z = zeros(c.shape, { requiresGrad: true });
    const out = c.dim === null ? z.prod() : z.prod(c.dim, c.keepdim);
    const [g] = autograd.grad(out.sum(), [z], undefined, { createGraph: true });
    assert.deepEqual([...g!.shape], c.gradShape, `prod ${JSON.stringify(c)}`);
  }
});
