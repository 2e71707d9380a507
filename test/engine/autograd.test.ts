// Autograd semantics: accumulation, zeroing, noGrad scoping, detach, shared inputs, deep graphs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autograd, cat, enableGrad, isGradEnabled, manualSeed, nn, noGrad, optim, tensor, type Tensor } from '../../src/index.js';

const leafOf = (v: number[]): Tensor => tensor(v, undefined, { requiresGrad: true });

test('gradients accumulate across backward calls until zeroed', () => {
  const x = leafOf([1, 2, 3]);
  x.mul(x).sum().backward();
  assert.deepEqual(x.grad?.tolist(), [2, 4, 6]);
  x.mul(x).sum().backward();
  assert.deepEqual(x.grad?.tolist(), [4, 8, 12]);
  x.mul(3).sum().backward();
  assert.deepEqual(x.grad?.tolist(), [7, 11, 15]);
  // The same graph can be walked twice when the first walk retains it; each walk adds its gradient.
  const loss = x.sum();
  loss.backward({ retainGraph: true });
  loss.backward();
  assert.deepEqual(x.grad?.tolist(), [9, 13, 17]);
});

test('zeroGrad on modules and optimizers: in place by default, or to null', () => {
  manualSeed(1);
  const model = new nn.Sequential(new nn.Linear(3, 2), new nn.Sigmoid(), new nn.Linear(2, 1));
  const x = tensor([[0.5, -1, 2]]);
  const gradsOnce = (): number[][] => {
    model.forward(x).sum().backward();
    return model.parameters().map((p) => [...p.grad!.toArray()]);
  };
  const first = gradsOnce();
  const twice = gradsOnce();
  twice.forEach((g, i) => g.forEach((v, j) => assert.ok(Math.abs(v - 2 * first[i]![j]!) <= 1e-6 * Math.max(1, Math.abs(v)))));
  model.zeroGrad();
  for (const p of model.parameters()) {
    assert.ok(p.grad !== null, 'zeroGrad() keeps the buffers');
    assert.ok(p.grad.toArray().every((v) => v === 0));
  }
  assert.deepEqual(gradsOnce(), first, 'after zeroGrad the next backward gives a fresh gradient');
  const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
  opt.zeroGrad();
  assert.deepEqual(gradsOnce(), first);
  opt.zeroGrad(true);
  assert.ok(model.parameters().every((p) => p.grad === null));
  assert.deepEqual(gradsOnce(), first);
  model.zeroGrad(true);
  assert.ok(model.parameters().every((p) => p.grad === null));
});

test('zeroGrad cuts a gradient made with createGraph from its graph, as PyTorch 1.13\'s zero_grad (detach_, then zero_)', () => {
  // torch: w = Parameter([1.5]); w.pow(3).sum().backward(create_graph=True); zero_grad(); w.pow(2).sum().backward(
  // create_graph=True); autograd.grad(w.grad.sum(), w) is d(2w)/dw = 2 (not d(3w² + 2w)/dw = 11), for the module's
  // zero_grad and the optimizer's; the zeroed gradient no longer requires grad and is a leaf.
  for (const zero of ['module', 'optimizer'] as const) {
    const w = new nn.Parameter(tensor([1.5]));
    const m = new (class extends nn.Module {
      w = w;
      forward(x: Tensor): Tensor {
        return x;
      }
    })();
    assert.deepEqual(m.parameters(), [w]);
    w.pow(3).sum().backward({ createGraph: true });
    if (zero === 'module') m.zeroGrad();
    else new optim.SGD([w], { lr: 0.1 }).zeroGrad();
    assert.deepEqual([w.grad!.tolist(), w.grad!.requiresGrad, w.grad!.isLeaf], [[0], false, true], zero);
    w.pow(2).sum().backward({ createGraph: true });
    assert.deepEqual(w.grad!.tolist(), [3], zero);
    assert.deepEqual(autograd.grad(w.grad!.sum(), w)[0]!.tolist(), [2], zero);
  }
  // A .grad set to a leaf that requires grad stops requiring it.
  const p = new nn.Parameter(tensor([1, 2]));
  p.grad = tensor([3, 4], undefined, { requiresGrad: true });
  new optim.SGD([p], { lr: 0.1 }).zeroGrad();
  assert.deepEqual([p.grad.tolist(), p.grad.requiresGrad], [[0, 0], false]);
});

test('zeroGrad is an in-place change of the gradient: a node that saved it refuses backward afterwards, as PyTorch', () => {
  // torch: w.pow(2).sum().backward(); y = (x * w.grad).sum(); opt.zero_grad(); y.backward() raises "modified by an
  // inplace operation" (zero_ moved the version of w.grad); Kindling gave x.grad 0.
  const w = new nn.Parameter(tensor([1.5]));
  w.pow(2).sum().backward();
  const x = tensor([2], undefined, { requiresGrad: true });
  const y = x.mul(w.grad!).sum();
  new optim.SGD([w], { lr: 1 }).zeroGrad();
  assert.throws(() => y.backward(), /changed in place/);
});

test('zeroGrad of a .grad set to a view zeroes the view only, as PyTorch\'s zero_()', () => {
  // torch: p.grad = big[1]; opt.zero_grad() leaves big[0], big[2] and big[3] as they were.
  const big = tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]]);
  const p = new nn.Parameter(tensor([0, 0, 0]));
  p.grad = big.select(0, 1);
  new optim.SGD([p], { lr: 0.1 }).zeroGrad();
  assert.deepEqual(big.tolist(), [[1, 2, 3], [0, 0, 0], [7, 8, 9], [10, 11, 12]]);
  // A strided view (a column), a block, and a view at offset 0 of a longer storage.
  const q = new nn.Parameter(tensor([0, 0, 0, 0]));
  q.grad = big.select(1, 2);
  const r = new nn.Parameter(tensor([[0], [0]]));
  r.grad = big.narrow(0, 2, 2).narrow(1, 0, 1);
  const s = new nn.Parameter(tensor([0]));
  s.grad = big.select(0, 0).narrow(0, 0, 1);
  new optim.SGD([q, r, s], { lr: 0.1 }).zeroGrad();
  assert.deepEqual(big.tolist(), [[0, 2, 0], [0, 0, 0], [0, 8, 0], [0, 11, 0]]);
});

test('backward refuses to add into a .grad set to an expand (elements sharing memory), as PyTorch does', () => {
  // torch: x.grad = u.expand(2, 2); (x * 2).sum().backward() raises "more than one element of the written-to tensor
  // refers to a single memory location"; adding in place would add each shared element's gradient twice.
  const x = tensor([[1, 2], [3, 4]], undefined, { requiresGrad: true });
  const u = tensor([1, 2]);
  x.grad = u.expand(2, 2);
  assert.throws(() => x.mul(2).sum().backward(), /sharing one memory location/);
  assert.deepEqual(u.tolist(), [1, 2]);
  // A view whose elements are distinct (a transpose) is still added into, in place.
  const y = tensor([[1, 2], [3, 4]], undefined, { requiresGrad: true });
  const w = tensor([[10, 20], [30, 40]]);
  y.grad = w.t();
  y.mul(tensor([[1, 2], [3, 4]])).sum().backward();
  assert.deepEqual(w.tolist(), [[11, 23], [32, 44]]);
});

test('noGrad is scoped: nested, returns its value, restores the mode after a throw', () => {
  const x = leafOf([1, 2]);
  assert.equal(isGradEnabled(), true);
  const y = noGrad(() => x.mul(2));
  assert.equal(y.requiresGrad, false);
  assert.equal(y.gradFn, null);
  assert.deepEqual(y.tolist(), [2, 4]);
  const seen = noGrad(() => [isGradEnabled(), noGrad(() => isGradEnabled()), enableGrad(() => isGradEnabled()), isGradEnabled()]);
  assert.deepEqual(seen, [false, false, true, false]);
  assert.equal(isGradEnabled(), true);
  assert.throws(() => noGrad(() => { throw new Error('boom'); }), /boom/);
  assert.equal(isGradEnabled(), true, 'grad mode restored after a throw');
  assert.throws(() => noGrad(() => enableGrad(() => { throw new Error('inner'); })), /inner/);
  assert.equal(isGradEnabled(), true);
  noGrad(() => {
    assert.throws(() => enableGrad(() => { throw new Error('x'); }));
    assert.equal(isGradEnabled(), false, 'enableGrad restores the enclosing noGrad after a throw');
    const z = enableGrad(() => x.mul(3));
    assert.ok(z.requiresGrad && z.gradFn !== null, 'enableGrad records inside noGrad');
  });
  // A graph built outside noGrad can be backpropagated inside it.
  const l = x.mul(x).sum();
  noGrad(() => l.backward());
  assert.deepEqual(x.grad?.tolist(), [2, 4]);
});

test('requiresGrad cannot be turned off on a tensor of the graph (PyTorch refuses it); a leaf\'s can change', () => {
  // torch: y = x * 2; y.requires_grad = False raises "you can only change requires_grad flags of leaf variables".
  // Allowing it cut y's path silently: (y * x).sum().backward() gave x.grad [2, 4] instead of 4x = [4, 8].
  const x = leafOf([1, 2]);
  const y = x.mul(2);
  assert.throws(() => { y.requiresGrad = false; }, /only leaf tensors can change requiresGrad.*detach\(\)/);
  assert.equal(y.requiresGrad, true);
  y.requiresGrad = true;
  y.mul(x).sum().backward();
  assert.deepEqual(x.grad?.tolist(), [4, 8]);
  x.requiresGrad = false;
  assert.equal(x.mul(2).requiresGrad, false);
  x.requiresGrad = true;
  assert.equal(x.mul(2).requiresGrad, true);
});

test('detach_ cuts a tensor from the graph in place; graphs recorded through it before still carry its gradient (PyTorch\'s values)', () => {
  const a = leafOf([1, 1, 1]);
  const b = a.mul(2);
  const c = b.mul(3);
  assert.equal(b.detach_(), b);
  assert.equal(b.requiresGrad, false);
  assert.equal(b.gradFn, null);
  assert.equal(b.isLeaf, true);
  assert.equal(b.mul(4).requiresGrad, false, 'new ops on it record nothing');
  c.sum().backward();
  assert.deepEqual(a.grad?.tolist(), [6, 6, 6], 'the graph made before detach_ still reaches a, as in PyTorch');
  assert.equal(b.requiresGrad, false, 'and b stays detached after the walk');
  // Truncated backpropagation through time: the state is cut after each stretch.
  const w = leafOf([0.5]);
  let h = tensor([1]);
  const grads: number[] = [];
  for (let step = 0; step < 3; step++) {
    h = h.mul(w).add(1);
    h.sum().backward();
    grads.push(w.grad!.item());
    w.grad = null;
    h.detach_();
  }
  // h0 = 1, h1 = 1.5, h2 = 1.75: each step's gradient is the state it started from, nothing further back.
  assert.deepEqual(grads, [1, 1.5, 1.75]);
  // A leaf detached in place gets no gradient from a graph made before (PyTorch's .grad stays None).
  const leaf = leafOf([1, 2]);
  const y = leaf.mul(2);
  leaf.detach_();
  y.sum().backward();
  assert.equal(leaf.grad, null);
  assert.throws(() => tensor([1, 2, 3, 4]).view(2, 2).detach_(), /detach_: can't detach a view in place .*use detach\(\) instead/);
});

test('detach shares values but cuts the graph; requiresGrad propagates only from inputs that need it', () => {
  const x = leafOf([1, 2, 3]);
  const d = x.detach();
  assert.equal(d.requiresGrad, false);
  assert.equal(d.gradFn, null);
  assert.equal(d.data, x.data, 'detach shares storage, like PyTorch');
  x.detach().mul(x).sum().backward();
  assert.deepEqual(x.grad?.tolist(), [1, 2, 3], 'only the non-detached factor is differentiated');
  const c = tensor([1, 1, 1]);
  const y = c.mul(2);
  assert.equal(y.requiresGrad, false);
  assert.equal(y.gradFn, null);
  const z = c.mul(x);
  assert.ok(z.requiresGrad && z.gradFn !== null && !z.isLeaf);
  assert.equal(x.isLeaf, true);
  assert.throws(() => z.requiresGrad_(false), /only leaf tensors/);
  const w = tensor([1, 2]).requiresGrad_();
  w.sum().backward();
  assert.deepEqual(w.grad?.tolist(), [1, 1]);
});

test('which inputs get a gradient is decided when the op runs, as PyTorch\'s edges: requiresGrad_ set later changes nothing', () => {
  // PyTorch 1.13: b.grad stays None (y = a * b recorded no edge to b).
  const a = leafOf([1, 2]);
  const b = tensor([3, 4]);
  const y = a.mul(b);
  b.requiresGrad_();
  y.sum().backward();
  assert.deepEqual(a.grad?.tolist(), [3, 4]);
  assert.equal(b.grad, null);
  // A frozen layer unfrozen between forward and backward gets no gradient (PyTorch: weight.grad None).
  manualSeed(0);
  const lin = new nn.Linear(2, 1);
  for (const p of lin.parameters()) p.requiresGrad_(false);
  const x = leafOf([1, 2]);
  const out = lin.forward(x).sum();
  for (const p of lin.parameters()) p.requiresGrad_(true);
  out.backward();
  assert.equal(lin.weight.grad, null);
  assert.equal(lin.bias!.grad, null);
  assert.deepEqual(x.grad?.tolist(), lin.weight.detach().reshape(2).tolist());
  // And the other way: a leaf that stops requiring grad gets none (PyTorch's AccumulateGrad checks it when it runs).
  const c = leafOf([5, 6]);
  const z = a.mul(c);
  c.requiresGrad_(false);
  z.sum().backward();
  assert.equal(c.grad, null);
  // More inputs than a bit mask holds: a cat of 40 tensors whose last one required grad only afterwards.
  const parts = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? leafOf([i]) : tensor([i])));
  const joined = cat(parts);
  parts[39]!.requiresGrad_();
  joined.sum().backward();
  assert.equal(parts[39]!.grad, null);
  assert.deepEqual(parts[38]!.grad?.tolist(), [1]);
});

test('a walk toward chosen tensors checks the saved tensors only of the nodes it runs, as PyTorch', () => {
  // PyTorch 1.13: [2, 2] from both; the change of what exp saved is in a part of the graph that does not lead to b.
  const a = leafOf([1, 2]);
  const b = leafOf([3, 4]);
  const e = a.exp();
  e.add_(1);
  const loss = e.sum().add(b.mul(2).sum());
  assert.deepEqual(autograd.grad(loss, [b], null, { retainGraph: true })[0]!.tolist(), [2, 2]);
  loss.backward({ inputs: [b], retainGraph: true });
  assert.deepEqual(b.grad?.tolist(), [2, 2]);
  assert.equal(a.grad, null);
  // Toward a, through exp, it is refused, before any gradient is added; so is the walk to every leaf.
  assert.throws(() => autograd.grad(loss, [a], null, { retainGraph: true }), /exp saved for its gradient was changed in place/);
  assert.throws(() => loss.backward(), /exp saved for its gradient was changed in place/);
  assert.deepEqual(b.grad?.tolist(), [2, 2]);
});

test('a tensor used several times (diamond graphs) receives the sum of its gradients; non-leaves keep no grad', () => {
  const x = leafOf([2, 3]);
  const a = x.mul(x); // 2x
  const b = x.mul(4); // 4
  const s = a.add(b).add(a); // x² + 4x + x²  → 4x + 4
  s.sum().backward();
  assert.deepEqual(x.grad?.tolist(), [12, 16]);
  assert.equal(a.grad, null, 'intermediate tensors do not keep .grad (as in PyTorch)');
  const y = leafOf([1, 2]);
  const t = y.exp();
  t.mul(t).mul(t).sum().backward(); // e^{3y} → 3e^{3y}
  const g = y.grad!.toArray();
  [1, 2].forEach((v, i) => assert.ok(Math.abs(g[i]! - 3 * Math.exp(3 * v)) <= 1e-5 * 3 * Math.exp(3 * v)));
});

test('backward with an explicit gradient, including a non-contiguous one; on a leaf itself', () => {
  const x = leafOf([1, 2, 3, 4]);
  x.mul(2).backward(tensor([1, 2, 3, 4]));
  assert.deepEqual(x.grad?.tolist(), [2, 4, 6, 8]);
  const m = tensor([[1, 2], [3, 4]], undefined, { requiresGrad: true });
  m.mul(1).backward(tensor([[1, 2], [3, 4]]).T);
  assert.deepEqual(m.grad?.tolist(), [[1, 3], [2, 4]]);
  const s = tensor(5, undefined, { requiresGrad: true });
  s.backward();
  assert.equal(s.grad?.item(), 1);
});

test('a first gradient keeps its -0s in .grad, as PyTorch 1.13 (its AccumulateGrad takes the gradient, not 0 + it)', () => {
  const signs = (t: Tensor | null): boolean[] => Array.from(t!.toArray(), (v) => Object.is(v, -0));
  // PyTorch 1.13: x.grad is tensor([-0., -0.]) for both, and tensor([-0., 0.]) for the transposed gradient.
  const x = leafOf([1, 2]);
  x.mul(-0).sum().backward();
  assert.deepEqual(signs(x.grad), [true, true]);
  const y = leafOf([1, 2]);
  y.mul(1).mul(-0).sum().backward();
  assert.deepEqual(signs(y.grad), [true, true]);
  const m = tensor([[1, 2], [3, 4]], undefined, { requiresGrad: true });
  m.mul(1).backward(tensor([[-0, 0], [1, 2]]).T);
  assert.deepEqual(signs(m.grad), [true, false, false, false]);
  assert.deepEqual(m.grad?.tolist(), [[-0, 1], [0, 2]]);
  // Later passes add: -0 + -0 stays -0, as in PyTorch.
  x.mul(-0).sum().backward();
  assert.deepEqual(signs(x.grad), [true, true]);
});

test('a chain of 100,000 ops backpropagates without overflowing the stack', () => {
  const x = leafOf([1, 2]);
  let y = x;
  for (let i = 0; i < 100_000; i++) y = i % 2 === 0 ? y.add(1) : y.mul(1);
  y.sum().backward();
  assert.deepEqual(x.grad?.tolist(), [1, 1]);
  assert.deepEqual(y.tolist(), [50_001, 50_002]);
  // A wide graph: one leaf feeding 10,000 branches.
  const w = leafOf([1]);
  let acc = w.mul(0);
  for (let i = 1; i <= 10_000; i++) acc = acc.add(w.mul(i % 3));
  acc.backward();
  let want = 0;
  for (let i = 1; i <= 10_000; i++) want += i % 3;
  assert.equal(w.grad?.item(), want);
});

test('the Linear weight (stored transposed) accumulates gradients from linear and from ordinary ops alike', () => {
  manualSeed(2);
  const lin = new nn.Linear(3, 2);
  const x = tensor([[1, -1, 0.5], [2, 0, 1]]);
  const w = lin.weight;
  // d/dW of sum(linear(x)) is the column sums of x for every output row; d/dW of sum(W²) is 2W.
  lin.forward(x).sum().backward();
  w.mul(w).sum().backward();
  const wv = w.toArray();
  const want = [3, -1, 1.5, 3, -1, 1.5].map((v, i) => v + 2 * wv[i]!);
  const got = w.grad!.toArray();
  want.forEach((v, i) => assert.ok(Math.abs(got[i]! - v) <= 1e-6 * Math.max(1, Math.abs(v)), `element ${i}: ${got[i]} vs ${v}`));
  assert.deepEqual(w.grad!.shape, [2, 3]);
});
