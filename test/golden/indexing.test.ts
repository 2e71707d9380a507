// diag, diagonal, diagEmbed, trace, tile, repeatInterleave, unflatten, rot90, scatter, scatterAdd, indexAdd,
// indexFill, indexCopy, take, maskedSelect, nonzero, argwhere and new* against PyTorch 1.13: values and the gradients
// of the input and of every tensor argument bit for bit (they move, add or zero elements), grad_fn names, which
// results are views (diagonal and unflatten, as PyTorch's), negative dims, 0-d, empty and transposed inputs,
// duplicate indices, and the calls PyTorch refuses with its messages (fixtures/torch/indexing.json, written by
// make_indexing.py).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as K from '../../src/index.js';
import { tensor, type Tensor } from '../../src/index.js';
import { decode, loadFixture, values, type EncodedTensor, fixtureUpstream, assertSame } from './golden-helpers.js';

type Arg = number | number[] | { tensor: EncodedTensor; grad: boolean };
interface Case {
  op: string; x: EncodedTensor; t: boolean; args: Arg[]; kwargs: Record<string, unknown>; out: EncodedTensor; view: boolean;
  gradFn: string | null; grads?: EncodedTensor[];
}
interface NonzeroCase { x: EncodedTensor; kwargs: { as_tuple?: boolean }; out: EncodedTensor | EncodedTensor[]; argwhere: EncodedTensor | null }
interface NewCase { op: string; args: unknown[]; shape: number[]; requiresGrad: boolean; leaf: boolean; out?: EncodedTensor }
interface Refused { op: string; shape: number[]; args: Arg[]; kwargs: Record<string, unknown>; error: string }
interface Fx { cases: Case[]; nonzero: NonzeroCase[]; new: NewCase[]; refused: Refused[] }
const fx = loadFixture<Fx>('indexing.json');

/** The arguments in Kindling's form: tensors decoded (taking a gradient where PyTorch's did), PyTorch's keywords camelCased. */
function kindlingArgs(op: string, args: Arg[], kwargs: Record<string, unknown>): { list: unknown[]; leaves: Tensor[] } {
  const leaves: Tensor[] = [];
  const list: unknown[] = args.map((a) => {
    if (typeof a !== 'object' || Array.isArray(a)) return a;
    const t = decode(a.tensor, a.grad);
    if (a.grad) leaves.push(t);
    return t;
  });
  // repeat_interleave's dim is positional in Kindling; the others become an options object.
  if (op === 'repeatInterleave') {
    if (kwargs.dim !== undefined) list.push(kwargs.dim);
  } else if (Object.keys(kwargs).length > 0) {
    list.push(Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [k.replace(/_(.)/g, (_, c: string) => c.toUpperCase()), v])));
  }
  return { list, leaves };
}

function call(op: string, x: Tensor, args: unknown[], form: 'method' | 'function'): Tensor {
  const f = form === 'method'
    ? ((x as unknown as Record<string, (...a: unknown[]) => Tensor>)[op]!).bind(x)
    : ((K as unknown as Record<string, (t: Tensor, ...a: unknown[]) => Tensor>)[op]!).bind(null, x);
  return f(...args);
}

test('indexing and shape ops give PyTorch\'s values, gradients, grad_fn names and views', () => {
  assert.ok(fx.cases.length > 100);
  const ops = new Set(fx.cases.map((c) => c.op));
  assert.equal(ops.size, 15);
  for (const c of fx.cases) {
    for (const form of ['method', 'function'] as const) {
      const label = `${form} ${c.op}(${JSON.stringify(c.args.map((a) => (typeof a === 'object' && !Array.isArray(a) ? a.tensor.shape : a)))}, ${JSON.stringify(c.kwargs)}) of ${c.t ? 'the transpose of ' : ''}[${c.x.shape.join(', ')}]`;
      const leaf = decode(c.x, true);
      const x = c.t ? leaf.t() : leaf;
      const { list, leaves } = kindlingArgs(c.op, c.args, c.kwargs);
      const out = call(c.op, x, list, form);
      assertSame(out, c.out, label);
      assert.equal(out.gradFn?.torchName ?? null, c.gradFn, `${label}: grad_fn`);
      assert.equal(out.viewBase !== null, c.view, `${label}: a view as PyTorch's is (${c.view})`);
      if (c.grads === undefined) {
        if (c.gradFn === 'NotImplemented') assert.throws(() => out.backward(fixtureUpstream(out)), /not implemented/, `${label}: no gradient, as PyTorch's`);
        continue;
      }
      out.backward(fixtureUpstream(out));
      const got = [leaf.grad!, ...leaves.map((l) => l.grad!)];
      assert.equal(got.length, c.grads.length, `${label}: gradients`);
      got.forEach((g, i) => assertSame(g, c.grads![i]!, `${label}: gradient ${i}`));
    }
  }
});

test('diagonal and unflatten share storage with their input, as PyTorch\'s views', () => {
  const x = tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
  const d = x.diagonal(1);
  x.mul_(2);
  assert.deepEqual(Array.from(d.toArray()), [4, 12]);
  const u = x.unflatten(1, [3, 1]);
  u.add_(1);
  assert.deepEqual(Array.from(x.diag().toArray()), [3, 11, 19]);
});

test('nonzero and argwhere give PyTorch\'s coordinates (NaN counts, −0 does not), as whole numbers', () => {
  for (const c of fx.nonzero) {
    const x = tensor(Float32Array.from(values(c.x).map((v) => (typeof v === 'string' ? Number(v) : v))), c.x.shape);
    const label = `nonzero(${JSON.stringify(c.kwargs)}) of ${JSON.stringify(c.x.data)}`;
    if (Array.isArray(c.out)) {
      const got = x.nonzero({ asTuple: true });
      const byFunction = K.nonzero(x, { asTuple: true });
      assert.equal(got.length, c.out.length, `${label}: parts`);
      got.forEach((t, i) => assertSame(t, (c.out as EncodedTensor[])[i]!, `${label}[${i}]`));
      byFunction.forEach((t, i) => assertSame(t, (c.out as EncodedTensor[])[i]!, `${label}[${i}] (function)`));
    } else {
      assertSame(x.nonzero(), c.out, label);
      assertSame(K.nonzero(x), c.out, `${label} (function)`);
    }
    if (c.argwhere !== null) {
      assertSame(x.argwhere(), c.argwhere, `argwhere of ${JSON.stringify(c.x.data)}`);
      assertSame(K.argwhere(x), c.argwhere, `argwhere of ${JSON.stringify(c.x.data)} (function)`);
    }
  }
});

test('newZeros, newOnes, newFull, newEmpty and newTensor make new leaves outside the graph, as PyTorch\'s new_*', () => {
  const base = tensor([[1, 2], [3, 4]], { requiresGrad: true });
  for (const c of fx.new) {
    const out = (base as unknown as Record<string, (...a: unknown[]) => Tensor>)[c.op]!.apply(base, c.args);
    assert.deepEqual([...out.shape], c.shape, `${c.op}: shape`);
    assert.equal(out.requiresGrad, c.requiresGrad, `${c.op}: requiresGrad`);
    assert.equal(out.isLeaf, c.leaf, `${c.op}: a leaf`);
    if (c.out !== undefined) assertSame(out, c.out, c.op);
  }
  assert.equal(base.newZeros(2, 3, { requiresGrad: true }).requiresGrad, true);
  assert.deepEqual([...base.newOnes(2, 1).shape], [2, 1]);
});

test('the indexing ops refuse what PyTorch refuses, with its message', () => {
  assert.ok(fx.refused.length > 40);
  for (const c of fx.refused) {
    const n = c.shape.reduce((a, b) => a * b, 1);
    const x = tensor(new Float32Array(n), c.shape);
    const { list } = kindlingArgs(c.op, c.args, c.kwargs);
    // PyTorch names the index's dtype (Long); Kindling's indices are float32, so that part is left out.
    const want = c.error.replace(/ with type: Long and size: \[[0-9, ]*\]$/, '');
    for (const form of ['method', 'function'] as const) {
      assert.throws(() => call(c.op, x, list, form), (e: unknown) => {
        assert.ok(e instanceof Error);
        assert.ok(e.message.startsWith(`${c.op}: `), e.message);
        assert.ok(e.message.toLowerCase().includes(want.toLowerCase()), `${c.op}(${JSON.stringify(c.args)}) of [${c.shape}]: "${e.message}" lacks PyTorch's "${want}"`);
        return true;
      });
    }
  }
});

test('PyTorch\'s snake_case names of these methods throw a TypeError naming Kindling\'s', () => {
  const x = tensor([[1, 2], [3, 4]]) as unknown as Record<string, () => unknown>;
  const names = [['diag_embed', 'diagEmbed'], ['repeat_interleave', 'repeatInterleave'], ['new_zeros', 'newZeros'], ['new_ones', 'newOnes'],
    ['new_full', 'newFull'], ['new_empty', 'newEmpty'], ['new_tensor', 'newTensor'], ['masked_select', 'maskedSelect'],
    ['scatter_add', 'scatterAdd'], ['index_add', 'indexAdd'], ['index_fill', 'indexFill'], ['index_copy', 'indexCopy']];
  for (const [python, kindling] of names) {
    assert.throws(() => x[python!]!(), { name: 'TypeError', message: `x.${python}() is PyTorch's name; Kindling's is x.${kindling}()` });
    assert.equal(typeof x[kindling!], 'function');
  }
});

interface InplaceCase {
  op: string; x: EncodedTensor; view: boolean; args: Arg[]; kwargs: Record<string, unknown>; out: EncodedTensor; gradFn: string; grads?: EncodedTensor[];
}

test('scatter_, scatterAdd_, indexAdd_, indexFill_ and indexCopy_ change the tensor as PyTorch\'s, and autograd follows them', () => {
  const cases = (fx as unknown as { inplace: InplaceCase[] }).inplace;
  assert.ok(cases.length >= 12);
  for (const c of cases) {
    const label = `${c.op}(${JSON.stringify(c.kwargs)}) on a clone of [${c.x.shape.join(', ')}]${c.view ? ', through its transpose' : ''}`;
    const leaf = decode(c.x, true);
    const base = leaf.clone();
    const target = c.view ? base.t() : base;
    const { list, leaves } = kindlingArgs(c.op, c.args, c.kwargs);
    const version = base.versionCounter.value;
    const returned = (target as unknown as Record<string, (...a: unknown[]) => Tensor>)[c.op]!.apply(target, list);
    assert.equal(returned, target, `${label}: returns the tensor changed`);
    assert.ok(base.versionCounter.value > version, `${label}: the version is bumped`);
    assertSame(base, c.out, label);
    assert.equal(base.gradFn?.torchName, c.gradFn, `${label}: grad_fn`);
    if (c.grads === undefined) continue;
    base.backward(fixtureUpstream(base));
    const got = [leaf.grad!, ...leaves.map((l) => l.grad!)];
    got.forEach((g, i) => assertSame(g, c.grads![i]!, `${label}: gradient ${i}`));
  }
});

test('the in-place forms refuse a leaf that requires grad, and a backward pass that saved the old values', () => {
  const leaf = tensor([[1, 2], [3, 4]], { requiresGrad: true });
  assert.throws(() => leaf.indexFill_(0, tensor([1]), 0), /indexFill_: a leaf tensor that requires grad cannot be changed in place/);
  assert.throws(() => leaf.scatterAdd_(0, tensor([[1, 0]]), tensor([[1, 1]])), /scatterAdd_: a leaf tensor/);
  const y = leaf.mul(2);
  const z = y.mul(y);
  y.indexCopy_(1, tensor([0]), tensor([[5], [6]]));
  assert.throws(() => z.sum().backward(), /changed in place/);
  // Outside the graph they write into the tensor's storage; a source that requires grad brings the tensor into the graph.
  const plain = tensor([[1, 2], [3, 4]]);
  const source = tensor([[5, 6]], { requiresGrad: true });
  plain.indexAdd_(0, tensor([0]), source, { alpha: 2 });
  assert.deepEqual(Array.from(plain.toArray()), [11, 14, 3, 4]);
  assert.equal(plain.gradFn?.torchName, 'IndexAddBackward0');
  plain.sum().backward();
  assert.deepEqual(Array.from(source.grad!.toArray()), [2, 2]);
});

test('an in-place change through diagonal() reaches its base and autograd follows it (CopySlices, AsStridedBackward0), as PyTorch\'s', () => {
  const w = [[1, 2, 3], [4, 5, 6], [7, 8, 9]];
  const leaf = tensor(w, { requiresGrad: true });
  const y = leaf.clone();
  const d = y.diagonal(1);
  d.mul_(3);
  const onDiagonal = (r: number, c: number): boolean => c - r === 1;
  assert.deepEqual(Array.from(y.toArray()), w.flatMap((row, r) => row.map((v, c) => (onDiagonal(r, c) ? 3 * v : v))));
  assert.equal(y.gradFn?.torchName, 'CopySlices');
  assert.equal(d.gradFn?.torchName, 'AsStridedBackward0');
  y.mul(tensor(w)).sum().backward();
  assert.deepEqual(Array.from(leaf.grad!.toArray()), w.flatMap((row, r) => row.map((v, c) => (onDiagonal(r, c) ? 3 * v : v))));
});

test('repeatInterleave, diagEmbed, bincount, histc, histogram and tensordot refuse a result too large to hold, naming its size, before allocating', () => {
  // PyTorch refuses these too (its allocator names the bytes; tensordot's dims past a's dimensions as out of range).
  const x = tensor([[1, 2], [3, 4]]);
  const big = 2 ** 40;
  assert.throws(() => x.repeatInterleave(big), /^RangeError: repeatInterleave: the result would have shape \[4398046511104\], 4398046511104 elements \(18 TB of float32\), more than a tensor can hold \(4294967296 elements\)$/);
  assert.throws(() => x.repeatInterleave(big, 1), /repeatInterleave: the result would have shape \[2, 2199023255552\]/);
  assert.throws(() => K.diagEmbed(tensor([1, 2]), big), /diagEmbed: the result would have shape \[1099511627778, 1099511627778\], .* more than a tensor can hold/);
  assert.throws(() => tensor([1, 2]).bincount({ minlength: big }), /bincount: the result would have shape \[1099511627776\], .* more than a tensor can hold/);
  assert.throws(() => tensor([1, 2]).histc({ bins: big }), /histc: the result would have shape \[1099511627777\], .* more than a tensor can hold/);
  assert.throws(() => K.histogram(tensor([1, 2]), big), /histogram: the result would have shape \[1099511627777\], .* more than a tensor can hold/);
  assert.throws(() => K.tensordot(tensor([1, 2]), tensor([1, 2]), big), /tensordot: .*out of range.*-1099511627776/i);
  // Within the limit they still work; a count of 0 repeats too.
  assert.deepEqual(Array.from(tensor([2, 0, 3]).repeatInterleave(tensor([1, 0, 2])).values()), [2, 3, 3]);
  assert.deepEqual(x.repeatInterleave(0, 0).shape, [0, 2]);
});
