// cat and stack, min and argmin, Module.modules / namedModules / apply: values, shapes and errors as PyTorch's,
// finite-difference gradients, and golden values from PyTorch 1.13 (fixtures/torch/cat-stack-min.json, written by
// fixtures/torch/make_cat_stack_min.py; this test only reads the committed file).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arange, cat, nn, noGrad, stack, tensor, zeros, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedMap, type EncodedTensor } from '../golden/golden-helpers.js';
import { distinctLeaf, gradcheck, leaf, Rng } from './gradcheck.js';
import * as R from './ref.js';
import { loose, throwsWith } from './throws.js';

const rng = new Rng(29);
const same = (t: Tensor, want: number[]): void => assert.deepEqual(Array.from(t.toArray()), want);

/** float64 cat of row-major references along `dim` (independent of src/: one output element at a time). */
function refCat(xs: readonly R.Ref[], dim: number): R.Ref {
  const shape = xs[0]!.shape.slice();
  shape[dim] = xs.reduce((n, x) => n + x.shape[dim]!, 0);
  const outer = shape.slice(0, dim).reduce((a, b) => a * b, 1);
  const out: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (const x of xs) {
      const block = x.data.length / outer;
      for (let k = 0; k < block; k++) out.push(x.data[o * block + k]!);
    }
  }
  return R.ref(out, shape);
}

const refStack = (xs: readonly R.Ref[], dim: number): R.Ref =>
  refCat(xs.map((x) => R.reshape(x, [...x.shape.slice(0, dim), 1, ...x.shape.slice(dim)])), dim);
const refMin = (x: R.Ref, dim?: number, keepdim = false): R.Ref => R.map(R.max(R.map(x, (v) => -v), dim, keepdim), (v) => -v);

test('cat joins along an existing dim (negative counts from the end) and splits the gradient back', () => {
  const a = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
  const b = tensor([[7, 8, 9]], { requiresGrad: true });
  const c = cat([a, b]);
  assert.deepEqual(c.shape, [3, 3]);
  same(c, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  c.mul(arange(9).reshape(3, 3)).sum().backward();
  same(a.grad!, [0, 1, 2, 3, 4, 5]);
  same(b.grad!, [6, 7, 8]);
  assert.deepEqual(cat([a, tensor([[0], [1]])], -1).tolist(), [[1, 2, 3, 0], [4, 5, 6, 1]]);
  assert.deepEqual(cat([arange(4).reshape(2, 1, 2), arange(4).reshape(2, 1, 2)], 1).shape, [2, 2, 2]);
  // Views are read through their strides; one tensor gives a copy, not the same storage.
  assert.deepEqual(cat([arange(6).reshape(2, 3).T, zeros(1, 2)]).tolist(), [[0, 3], [1, 4], [2, 5], [0, 0]]);
  const one = arange(3);
  const copy = cat([one]);
  copy.data[0] = 9;
  same(one, [0, 1, 2]);
  // PyTorch 1.13 still skips 1-D tensors of size 0, whatever the others' shape ("legacy" cat).
  assert.deepEqual(cat([zeros(0), arange(4).reshape(2, 2)]).tolist(), [[0, 1], [2, 3]]);
  assert.deepEqual(cat([zeros(0), zeros(0)]).shape, [0]);
});

test('cat: only the inputs that require grad get one; under noGrad there is no graph', () => {
  const a = tensor([1, 2], { requiresGrad: true });
  const k = tensor([3]);
  cat([k, a]).mul(tensor([10, 20, 30])).sum().backward();
  same(a.grad!, [20, 30]);
  assert.equal(k.grad, null);
  const out = noGrad(() => cat([a, a]));
  assert.equal(out.requiresGrad, false);
  assert.equal(out.gradFn, null);
});

test('stack joins tensors of one shape along a new dim in [-(rank + 1), rank]', () => {
  const a = tensor([1, 2, 3], { requiresGrad: true });
  const b = tensor([4, 5, 6], { requiresGrad: true });
  assert.deepEqual(stack([a, b]).tolist(), [[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(stack([a, b], 1).tolist(), [[1, 4], [2, 5], [3, 6]]);
  assert.deepEqual(stack([a, b], -1).tolist(), [[1, 4], [2, 5], [3, 6]]);
  assert.deepEqual(stack([a, b], -2).shape, [2, 3]);
  assert.deepEqual(stack([zeros(2, 3), zeros(2, 3)], 2).shape, [2, 3, 2]);
  assert.deepEqual(stack([tensor(1), tensor(2)]).tolist(), [1, 2]);
  stack([a, b], 1).mul(arange(6).reshape(3, 2)).sum().backward();
  same(a.grad!, [0, 2, 4]);
  same(b.grad!, [1, 3, 5]);
});

test('cat and stack errors name the op and the shapes, as PyTorch\'s rules', () => {
  throwsWith(() => cat([]), RangeError, 'cat: expected a non-empty list of tensors');
  throwsWith(() => stack([]), RangeError, 'stack: expected a non-empty list of tensors');
  throwsWith(() => cat([zeros(2, 3), zeros(3, 3)], 1), RangeError, 'cat: tensors must have the same shape except in dim 1, got [2, 3] and [3, 3]');
  throwsWith(() => cat([zeros(2, 3), zeros(2, 4)], -2), RangeError, 'except in dim 0, got [2, 3] and [2, 4] (tensor 1 in the list)');
  throwsWith(() => cat([zeros(2, 3), zeros(2)]), RangeError, 'cat: tensors must have the same number of dimensions, got [2, 3] and [2]');
  throwsWith(() => cat([zeros(2, 3)], 2), RangeError, 'cat: dimension out of range (expected to be in range of [-2, 1], but got 2)');
  throwsWith(() => cat([zeros(2, 3)], -3), RangeError, 'cat', '[-2, 1]', '-3');
  throwsWith(() => cat([tensor(1), tensor(2)]), RangeError, 'cat: zero-dimensional tensor (at position 0) cannot be concatenated');
  throwsWith(() => stack([zeros(2, 3), zeros(3, 3)]), RangeError, 'stack: tensors must have the same shape, got [2, 3] at entry 0 and [3, 3] at entry 1');
  throwsWith(() => stack([zeros(2, 3)], 3), RangeError, 'stack: dimension out of range (expected to be in range of [-3, 2], but got 3)');
  throwsWith(() => stack([zeros(2, 3)], -4), RangeError, 'stack', '[-3, 2]', '-4');
  throwsWith(() => cat(loose(zeros(2)), loose(zeros(2))), TypeError, 'cat: expected an array of tensors, got Tensor', 'cat([a, b])');
  throwsWith(() => stack([zeros(2), loose([1, 2])]), TypeError, 'stack: tensors[1] must be a Tensor');
  throwsWith(() => cat([zeros(2)], loose({ dim: 0 })), TypeError, 'cat: the dimension must be an integer');
});

test('gradcheck cat and stack along every dim, with a strided (transposed) input', () => {
  const a = leaf(rng, [2, 3, 4]);
  const b = leaf(rng, [2, 3, 4]);
  for (const dim of [0, 1, 2, -1]) {
    const d = dim < 0 ? dim + 3 : dim;
    const c = leaf(rng, [2, 3, 4].map((s, i) => (i === d ? 2 : s)));
    gradcheck(`cat dim ${dim}`, { leaves: [a, b, c], forward: () => cat([a, c, b], dim), reference: ([x, y, z]) => refCat([x!, z!, y!], d) });
  }
  const t = leaf(rng, [3, 2]);
  const u = leaf(rng, [1, 3]);
  gradcheck('cat of a transpose', { leaves: [t, u], forward: () => cat([t.T, u]), reference: ([x, y]) => refCat([R.transpose(x!, 0, 1), y!], 0) });
  for (const dim of [0, 1, 3, -1, -4]) {
    const d = dim < 0 ? dim + 4 : dim;
    gradcheck(`stack dim ${dim}`, { leaves: [a, b], forward: () => stack([a, b], dim), reference: ([x, y]) => refStack([x!, y!], d) });
  }
});

test('min and argmin, overall and along a dim (with keepdim), as max and argmax', () => {
  const x = tensor([[3, -1, 2], [0, 5, -4]]);
  assert.equal(x.min().item(), -4);
  assert.deepEqual(x.min().shape, []);
  const { values, indices } = x.min(1);
  same(values, [-1, -4]);
  same(indices, [1, 2]);
  const [v0, i0] = x.min(0, true);
  assert.deepEqual(v0!.tolist(), [[0, -1, -4]]);
  assert.deepEqual(i0!.tolist(), [[1, 0, 1]]);
  same(x.min(-1).values, [-1, -4]);
  assert.equal(x.argmin().item(), 5);
  same(x.argmin(1), [1, 2]);
  assert.deepEqual(x.argmin(0, true).shape, [1, 3]);
  assert.deepEqual(x.argmin(undefined, true).tolist(), [[5]]);
  // A 0-d tensor: its dim 0 is itself.
  assert.equal(tensor(5).min(0).values.item(), 5);
  assert.equal(tensor(5).argmin().item(), 0);
});

test('min and argmin: ties give the first index, a NaN wins (the first one); gradients go to the chosen element', () => {
  const x = tensor([[2, 1, 1], [Number.NaN, 0, Number.NaN], [0, Number.NaN, -1]], { requiresGrad: true });
  const r = x.min(1);
  same(r.values, [1, Number.NaN, Number.NaN]);
  same(r.indices, [1, 0, 1]);
  assert.equal(x.argmin().item(), 3);
  same(x.argmin(0), [1, 2, 1]);
  r.values.sum().backward();
  same(x.grad!, [0, 1, 0, 1, 0, 0, 0, 1, 0]);
  // Overall, the gradient is shared evenly among tied minima (among the NaNs when it is NaN), as max() does.
  const t = tensor([1, 0, 3, 0], { requiresGrad: true });
  t.min().backward();
  same(t.grad!, [0, 0.5, 0, 0.5]);
  const n = tensor([1, Number.NaN, -3, Number.NaN], { requiresGrad: true });
  n.min().backward();
  same(n.grad!, [0, 0.5, 0, 0.5]);
});

test('min mirrors max: x.min(d) is −(−x).max(d), values and indices, on inputs full of ties and NaNs', () => {
  const pick = [0, 1, -1, 2, Number.NaN, 1];
  for (let trial = 0; trial < 20; trial++) {
    const vals = Array.from({ length: 24 }, () => pick[Math.floor(rng.next() * (trial < 10 ? 4 : pick.length))]!);
    const x = tensor(vals, [2, 3, 4]);
    const negx = x.neg();
    for (const dim of [0, 1, 2]) {
      same(x.min(dim).values, Array.from(negx.max(dim).values.neg().toArray()));
      same(x.min(dim).indices, Array.from(negx.max(dim).indices.toArray()));
      same(x.argmin(dim), Array.from(negx.argmax(dim).toArray()));
    }
    same(x.min(), [-negx.max().item()]);
    assert.equal(x.argmin().item(), negx.argmax().item());
  }
});

test('x.max(other) and x.min(other) are the elementwise maximum and minimum, broadcast, as PyTorch\'s methods', () => {
  const a = tensor([1, 5, Number.NaN], { requiresGrad: true });
  const b = tensor([[3, 3, 0], [0, 9, 1]]);
  const hi = a.max(b);
  assert.deepEqual(hi.tolist(), [[3, 5, Number.NaN], [1, 9, Number.NaN]]);
  assert.deepEqual(a.min(b).tolist(), [[1, 3, Number.NaN], [0, 5, Number.NaN]]);
  assert.deepEqual(hi.tolist(), a.maximum(b).tolist());
  hi.sum().backward();
  const c = tensor([1, 5, Number.NaN], { requiresGrad: true });
  c.maximum(b).sum().backward();
  assert.deepEqual(Array.from(a.grad!.toArray()), Array.from(c.grad!.toArray()));
});

test('min and argmin errors are max\'s, naming min', () => {
  // PyTorch 1.13's messages, after the function's name.
  throwsWith(() => zeros(0).min(), RangeError, "min: Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument (shape [0])");
  throwsWith(() => zeros(0, 3).max(), RangeError, "max: Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument (shape [0, 3])");
  throwsWith(() => zeros(0).argmin(), RangeError, 'argmin: Expected reduction dim to be specified for input.numel() == 0 (shape [0])');
  throwsWith(() => zeros(2, 0).min(1), RangeError, 'min: Expected reduction dim 1 to have non-zero size (shape [2, 0])');
  throwsWith(() => zeros(0, 3).max(0), RangeError, 'max: Expected reduction dim 0 to have non-zero size (shape [0, 3])');
  throwsWith(() => zeros(2, 0).argmax(-1), RangeError, 'argmax: Expected reduction dim 1 to have non-zero size (shape [2, 0])');
  throwsWith(() => zeros(2, 0).argmin(1), RangeError, 'argmin: Expected reduction dim 1 to have non-zero size (shape [2, 0])');
  throwsWith(() => zeros(2, 3).min(2), RangeError, 'min: dimension out of range (expected to be in range of [-2, 1], but got 2)');
  throwsWith(() => zeros(2, 3).argmin(-3), RangeError, 'argmin', '[-2, 1]');
  throwsWith(() => zeros(2, 3).min(1, loose({ keepdim: true })), TypeError, 'min: keepdim must be true or false');
  throwsWith(() => zeros(2, 3).min(loose('1')), TypeError, 'min: dim must be a number (or none, for the smallest element)');
  throwsWith(() => zeros(2, 3).argmin(loose('1')), TypeError, 'argmin: dim must be a number (or null, for the index in the flattened tensor)');
  throwsWith(() => loose<{ min(): Tensor }>(zeros(2)).min.call(loose([1, 2])), TypeError, 'min: input must be a Tensor');
});

test('gradcheck min over all elements and along each dim (distinct values), and of a transpose', () => {
  const x = distinctLeaf(rng, [2, 3, 4]);
  gradcheck('min()', { leaves: [x], forward: () => x.min(), reference: ([r]) => refMin(r!) });
  for (const dim of [0, 1, 2, -1]) {
    for (const keep of [false, true]) {
      gradcheck(`min(${dim}, ${keep})`, { leaves: [x], forward: () => x.min(dim, keep).values, reference: ([r]) => refMin(r!, dim < 0 ? dim + 3 : dim, keep) });
    }
  }
  gradcheck('min(0) of x.T', { leaves: [x], forward: () => x.permute(2, 1, 0).min(0).values, reference: ([r]) => refMin(R.permute(r!, [2, 1, 0]), 0) });
});

interface GoldenCase {
  name: string;
  op: 'cat' | 'stack' | 'min' | 'argmin';
  args: { dim?: number; keepdim?: boolean };
  inputs: EncodedMap;
  outputs: EncodedMap;
  upstream?: EncodedMap;
  grads?: EncodedMap;
}

/** The fixture writes NaN as the string "NaN" (JSON has no NaN). */
const withNaN = (e: EncodedTensor): EncodedTensor => ({ ...e, data: e.data.map((v) => (loose<unknown>(v) === 'NaN' ? Number.NaN : v)) });

function run(c: GoldenCase, inputs: Tensor[]): Record<string, Tensor> {
  const { dim, keepdim = false } = c.args;
  if (c.op === 'cat') return { out: cat(inputs, dim) };
  if (c.op === 'stack') return { out: stack(inputs, dim) };
  const x = inputs[0]!;
  if (c.op === 'argmin') return { out: dim === undefined ? x.argmin() : x.argmin(dim, keepdim) };
  if (dim === undefined) return { out: x.min() };
  const { values, indices } = x.min(dim, keepdim);
  return { values, indices };
}

const golden = loadFixture<{ cases: GoldenCase[] }>('cat-stack-min.json').cases;

test('cat-stack-min.json has cases for every op', () => {
  for (const op of ['cat', 'stack', 'min', 'argmin']) assert.ok(golden.some((c) => c.op === op), `no ${op} case`);
});

for (const c of golden) {
  test(`golden ${c.name}`, () => {
    const names = Object.keys(c.inputs);
    const inputs = names.map((k) => decode(withNaN(c.inputs[k]!), c.grads?.[k] !== undefined));
    const outs = run(c, inputs);
    for (const [k, e] of Object.entries(c.outputs)) {
      assertTensorClose(outs[k] ?? null, withNaN(e), `${c.name} output ${k}`, { rtol: 0, atol: 0 });
    }
    if (!c.upstream || !c.grads) return;
    const [[outName, g]] = Object.entries(c.upstream) as [[string, EncodedTensor]];
    outs[outName]!.backward(decode(g));
    names.forEach((k, i) => {
      if (c.grads![k] !== undefined) assertTensorClose(inputs[i]!.grad, c.grads![k], `${c.name} grad ${k}`, { rtol: 0, atol: 0 });
    });
  });
}

class Block extends nn.Module {
  a = new nn.Linear(2, 2);
  s = new nn.Sequential(new nn.ReLU(), this.a);
  forward(input: Tensor): Tensor {
    return this.s.forward(input);
  }
}

const kinds = (ms: readonly nn.Module[]): string[] => ms.map((m) => m.constructor.name);

test('modules() and namedModules(): self first, then every descendant depth first, each once (as PyTorch)', () => {
  const block = new Block();
  const model = new nn.Sequential(new nn.Linear(2, 2), block);
  // PyTorch 1.13 on the same tree: ['', '0', '1', '1.a', '1.s', '1.s.0'] (1.s.1 is 1.a again: listed once).
  assert.deepEqual(model.namedModules().map(([n]) => n), ['', '0', '1', '1.a', '1.s', '1.s.0']);
  assert.equal(model.namedModules()[0]![1], model);
  assert.equal(model.namedModules()[3]![1], block.a);
  assert.deepEqual(kinds(model.modules()), ['Sequential', 'Linear', 'Block', 'Linear', 'Sequential', 'ReLU']);
  assert.deepEqual(model.namedModules('enc').map(([n]) => n), ['enc', 'enc.0', 'enc.1', 'enc.1.a', 'enc.1.s', 'enc.1.s.0']);
  const lin = new nn.Linear(1, 1);
  assert.deepEqual(new nn.Sequential(lin, lin).namedModules().map(([n]) => n), ['', '0']);
  assert.deepEqual(lin.modules(), [lin]);
  const heads = new nn.ModuleDict({ digit: new nn.Linear(2, 10), odd: new nn.ModuleList([new nn.Tanh()]) });
  assert.deepEqual(heads.namedModules().map(([n]) => n), ['', 'digit', 'odd', 'odd.0']);
  throwsWith(() => model.namedModules(loose(1)), TypeError, 'namedModules: prefix must be a string');
});

test('apply(fn) calls fn on each child\'s subtree, then on the module itself, and returns the module', () => {
  const block = new Block();
  const model = new nn.Sequential(new nn.Linear(2, 2), block);
  const seen: nn.Module[] = [];
  assert.equal(model.apply((m) => seen.push(m)), model);
  // PyTorch: a module is visited once per parent holding it (block.a by block and by block.s).
  assert.deepEqual(kinds(seen), ['Linear', 'Linear', 'ReLU', 'Linear', 'Sequential', 'Block', 'Sequential']);
  assert.deepEqual(seen.slice(1), [block.a, block.s.at(0), block.a, block.s, block, model]);
  model.apply((m) => {
    if (m instanceof nn.Linear) noGrad(() => m.weight.fill_(0.5));
  });
  same(block.a.weight, [0.5, 0.5, 0.5, 0.5]);
  throwsWith(() => model.apply(loose(null)), TypeError, 'apply: expected a function');
});
