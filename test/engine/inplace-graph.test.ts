// In-place ops that autograd follows (ops/rebase.ts): finite-difference checks of programs that change tensors of
// the graph, the uses made before and after a change each getting their own gradient, what is refused (changes through
// a view, views made before a change and used after), and layers with inplace: true training as the out-of-place ones.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autograd, F, manualSeed, nn, noGrad, optim, randn, stack, tensor, zeros, type Tensor } from '../../src/index.js';
import { gradcheck, leaf, Rng } from './gradcheck.js';
import * as R from './ref.js';

test('gradcheck: a tensor changed in place several times, used before, between and after the changes', () => {
  const rng = new Rng(53);
  const x = leaf(rng, [3, 4], { avoid: [0.25], gap: 0.05 });
  const w = leaf(rng, [3, 4], { lo: 0.5, hi: 1.5 });
  gradcheck('mul_, add_, relu_ with uses between', {
    leaves: [x, w],
    forward: () => {
      const y = x.mul(2);
      const a = y.add(w); // y before any change (an add saves nothing)
      y.mul_(w); // y·w
      const b = y.add(1); // after one change
      y.sub_(0.5).relu_(); // relu(y·w − 0.5)
      return a.add(b).add(y.mul(y));
    },
    reference: ([xr, wr]) => {
      const y0 = R.mul(xr!, R.ref(new Array(12).fill(2), [3, 4]));
      const a = R.add(y0, wr!);
      const y1 = R.mul(y0, wr!);
      const b = R.map(y1, (v) => v + 1);
      const y2 = R.map(y1, (v) => Math.max(0, v - 0.5));
      return R.add(R.add(a, b), R.mul(y2, y2));
    },
  });
});

test('gradcheck: an accumulator that starts as zeros takes every term\'s gradient', () => {
  const rng = new Rng(7);
  const a = leaf(rng, [2, 3]);
  const b = leaf(rng, [2, 3]);
  gradcheck('zeros().add_(a).add_(b, alpha).mul_(a)', {
    leaves: [a, b],
    forward: () => zeros(2, 3).add_(a).add_(b, -1.5).mul_(a),
    reference: ([ar, br]) => R.mul(R.add(ar!, R.map(br!, (v) => -1.5 * v)), ar!),
  });
});

test('a view made before a change and used after it is made anew over the changed base, as PyTorch replays it', () => {
  const x = tensor([1, -2, 3, -4], { requiresGrad: true });
  const y = x.mul(2);
  const before = y.view(2, 2);
  const early = before.sum(); // made from the view before the change: keeps its old node
  y.add_(1);
  assert.equal(before.gradFn?.torchName, 'ViewBackward0', 'replayed when next used, not before');
  const late = before.mul(tensor([[1, 2], [3, 4]])).sum();
  assert.equal(before.gradFn?.torchName, 'AsStridedBackward0');
  late.add(early).backward();
  assert.deepEqual(x.grad?.tolist(), [2 + 2, 4 + 2, 6 + 2, 8 + 2]);
});

test('gradcheck: changes through views (select, narrow, a view of a view) and a base changed after', () => {
  const rng = new Rng(31);
  const x = leaf(rng, [3, 4], { avoid: [0], gap: 0.05 });
  const w = leaf(rng, [3, 4]);
  gradcheck('y.select(0, 1).mul_(w[1]); y.view(2, 6).narrow(1, 0, 3).sub_(0.5); y.mul_(w)', {
    leaves: [x, w],
    forward: () => {
      const y = x.mul(1.5);
      const row = y.select(0, 1);
      row.mul_(w.select(0, 1));
      y.view(2, 6).narrow(1, 0, 3).sub_(0.5);
      const r1 = row.add(1); // the row used again after the second change (an add saves nothing)
      const s = r1.mul(r1).sum();
      y.mul_(w);
      return y.add(s);
    },
    reference: ([xr, wr]) => {
      const v = Array.from(xr!.data, (a) => 1.5 * a);
      for (let j = 0; j < 4; j++) v[4 + j]! *= wr!.data[4 + j]!;
      for (const i of [0, 1, 2, 6, 7, 8]) v[i] = v[i]! - 0.5;
      let s = 0;
      for (let j = 0; j < 4; j++) s += (v[4 + j]! + 1) ** 2;
      return R.ref(v.map((a, i) => a * wr!.data[i]! + s), [3, 4]);
    },
  });
});

test('what autograd cannot follow through views is refused with a reason; a detach() changed in the graph leaves its source stale', () => {
  const x = tensor([1, -2, 3, -4], { requiresGrad: true });
  assert.throws(() => x.view(2, 2).relu_(), /relu_: this tensor is a view of a leaf that requires grad.*PyTorch refuses it too/);
  const base = zeros(4);
  const v = base.view(2, 2);
  const other = base.narrow(0, 0, 2);
  assert.throws(() => base.add_(x), /add_: this tensor requires no grad but has views/);
  assert.throws(() => v.add_(x.view(2, 2)), /add_: this tensor is a view of a tensor that requires no grad and has other views/);
  assert.equal(other.requiresGrad, false);
  assert.equal(base.requiresGrad, false, 'nothing changed');
  assert.deepEqual(v.tolist(), [[0, 0], [0, 0]]);
  // Outside the graph, changes through views are as before.
  noGrad(() => v.add_(1));
  assert.deepEqual(base.tolist(), [1, 1, 1, 1]);
  // The parts split, chunk and unbind return together: PyTorch refuses them too.
  const y3 = x.mul(4);
  assert.throws(() => y3.chunk(2)[0]!.mul_(2), /mul_: Output 0 of SplitBackward0 is a view and is being modified inplace/);
  assert.throws(() => y3.split([1, 3])[0]!.relu_(), /relu_: Output 0 of SplitWithSizesBackward0 /);
  assert.throws(() => [...y3][1]!.add_(1), /add_: Output 1 of UnbindBackward0 /);
  assert.deepEqual(y3.tolist(), [4, -8, 12, -16], 'nothing changed');
  // A view made inside noGrad of a tensor that requires grad, changed with grad mode on: PyTorch refuses it too.
  const y = x.mul(2);
  const quiet = noGrad(() => y.view(2, 2));
  assert.throws(() => quiet.mul_(2), /mul_: this tensor is a view, made inside noGrad .* of a tensor that requires grad/);
  // A detach() is no view: changed in the graph, the tensor it came from can no longer say how its values were made.
  const y2 = x.mul(3);
  const d = y2.detach();
  d.add_(x);
  assert.equal(d.gradFn?.torchName, 'AddBackward0');
  assert.throws(() => y2.sum(), /sum: a tensor of shape \[4\] shares its memory with a tensor that an in-place op changed.*detach\(\)/);
});

test('a leaf whose detach() was changed in the graph is used as it is now (no node of its own to go stale), as PyTorch', () => {
  // PyTorch 1.13: d = [0.5, -1, 1.5] (MulBackward0), x.grad = [1, 0, 1], w.grad = 2.
  const x = tensor([1, -2, 3], { requiresGrad: true });
  const w = tensor(0.5, { requiresGrad: true });
  const d = x.detach();
  d.mul_(w);
  assert.equal(d.gradFn?.torchName, 'MulBackward0');
  x.relu().sum().backward();
  assert.deepEqual(x.grad?.tolist(), [1, 0, 1]);
  d.sum().backward();
  assert.equal(w.grad?.item(), 2);
  // A leaf that requires no grad, changed in the graph afterwards itself: its node (AddBackward0) takes it as it is,
  // the change through its detach() not followed (PyTorch 1.13: z = [1, 1.5], w.grad 2 more).
  const z = tensor([1, 2]);
  z.detach().mul_(w);
  z.add_(w);
  assert.deepEqual(z.tolist(), [1, 1.5]);
  z.sum().backward();
  assert.equal(w.grad?.item(), 2 + 2);
});

test('a change whose result cannot be written leaves the tensor, its node and its version as they were', () => {
  const x = tensor([1, 2, 3], { requiresGrad: true });
  const y = x.mul(2);
  const node = y.gradFn;
  const version = y.version;
  assert.throws(() => y.add_(tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true })), /add_: the result has shape \[2, 3\], which cannot be written into a tensor of shape \[3\]/);
  assert.equal(y.gradFn, node);
  assert.equal(y.version, version);
  y.sum().backward();
  assert.deepEqual(x.grad?.tolist(), [2, 2, 2]);
});

test('the graph kept with retainGraph is walked again after a later change, each use with its own version', () => {
  const x = tensor([0.5, -1, 2], { requiresGrad: true });
  const y = x.mul(3);
  const first = y.sum();
  first.backward({ retainGraph: true });
  assert.deepEqual(x.grad?.tolist(), [3, 3, 3]);
  y.mul_(x); // y = 3x², its old node kept for `first`
  y.sum().add(first).backward();
  // 3 from before, then d(3x² + 3x)/dx = 6x + 3.
  assert.deepEqual(x.grad?.tolist(), [3 + 6, 3 - 3, 3 + 15]);
});

test('second derivatives through an op applied in place and then used by an op that saves it (WGAN-GP\'s ReLU(true))', () => {
  // PyTorch 1.13's values: the gradient g of (f(w) * W).sum() taken with create_graph, then w.grad of (g * g).sum().
  const W = tensor([1, 2, 3]);
  const cases: [string, (w: Tensor) => Tensor, number[], number[]][] = [
    ['relu_ then relu', (w) => w.clone().relu_().relu(), [1, 0, 3], [0, 0, 0]],
    ['sigmoid_ then relu', (w) => w.clone().sigmoid_().relu(), [0.217895, 0.298293, 0.314981], [-0.034028, 0.113029, -0.15112]],
    ['relu_ then c * c', (w) => { const c = w.clone().relu_(); return c.mul(c); }, [1.5, 0, 12], [6, 0, 144]],
    ['exp_ then sin', (w) => w.clone().exp_().sin(), [-1.09967, 0.435197, 9.938787], [10.841169, 0.359615, -2712.686768]],
    ['tanh_ then c * c', (w) => { const c = w.clone().tanh_(); return c.mul(c); }, [0.757842, -0.654265, 0.408656], [-0.380217, 1.378922, -0.619492]],
    ['relu_ of w * 2 then sin', (w) => w.mul(2).relu_().sin(), [0.141474, 0, -3.921862], [-1.12896, 0, -71.233795]],
  ];
  for (const [name, f, g, ww] of cases) {
    const w = tensor([0.75, -1.5, 2], { requiresGrad: true });
    const [grad] = autograd.grad(f(w).mul(W).sum(), [w], null, { createGraph: true });
    grad!.mul(grad!).sum().backward();
    const close = (got: Tensor, want: number[]): boolean => got.toArray().every((v, i) => Math.abs(v - want[i]!) <= 1e-5 * Math.max(1, Math.abs(want[i]!)));
    assert.ok(close(grad!, g), `${name}: g ${grad!.tolist()}`);
    assert.ok(close(w.grad!, ww), `${name}: w.grad ${w.grad!.tolist()}`);
  }
  // The gradient penalty of a critic Linear → ReLU(inplace) → LayerNorm → Linear; PyTorch 1.13 with manual_seed(0).
  manualSeed(0);
  const first = new nn.Linear(4, 8);
  const critic = new nn.Sequential(first, new nn.ReLU(true), new nn.LayerNorm(8), new nn.Linear(8, 1));
  const x = randn(5, 4).requiresGrad_();
  const [gx] = autograd.grad(critic.forward(x).sum(), [x], null, { createGraph: true });
  const penalty = gx!.norm(2, 1).sub(1).pow(2).mean();
  penalty.backward();
  assert.ok(Math.abs(penalty.item() - 0.18068958818912506) < 1e-6, `penalty ${penalty.item()}`);
  const w0 = first.weight.grad!.sum().item();
  assert.ok(Math.abs(w0 - -0.22326135635375977) < 1e-5, `critic[0].weight.grad.sum() ${w0}`);
});

test('layers with inplace: true train bit for bit as the out-of-place ones, and change their input', () => {
  // (Dropout before ReLU: ReLU's backward reads its result, which a Dropout after it would change; PyTorch refuses that too.)
  const make = (inplace: boolean): nn.Sequential => {
    manualSeed(11);
    return new nn.Sequential(
      new nn.Linear(6, 8), new nn.Dropout(0.25, inplace), new nn.ReLU(inplace), new nn.Linear(8, 5), new nn.LeakyReLU(0.05, inplace),
      new nn.Linear(5, 4), new nn.ELU(1, inplace), new nn.Linear(4, 3), new nn.SiLU(inplace),
    );
  };
  const runs = [false, true].map((inplace) => {
    const model = make(inplace);
    const opt = new optim.Adam(model.parameters(), 0.01);
    manualSeed(5);
    const losses: number[] = [];
    for (let step = 0; step < 30; step++) {
      const x = tensor(Array.from({ length: 12 }, (_, i) => Math.sin(step * 12 + i)), [2, 6]);
      opt.zeroGrad();
      const loss = model.forward(x).pow(2).mean();
      loss.backward();
      opt.step();
      losses.push(loss.item());
    }
    return { losses, weights: model.parameters().map((p) => Array.from(p.toArray())) };
  });
  assert.deepEqual(runs[1]!.losses, runs[0]!.losses);
  assert.deepEqual(runs[1]!.weights, runs[0]!.weights);
  // The layer changes the tensor it is given, and returns it.
  const h: Tensor = new nn.Linear(3, 4).forward(tensor([[1, -2, 3]]));
  const before = h.toArray();
  const out = new nn.ReLU(true).forward(h);
  assert.equal(out, h);
  assert.deepEqual(Array.from(h.toArray()), Array.from(before, (v) => Math.max(0, v)));
  assert.equal(h.gradFn?.torchName, 'ReluBackward0');
});

test('the unary in-place ops give the out-of-place values, outside the graph too', () => {
  const values = [-1.5, -0.25, 0.75, 2];
  for (const op of ['relu', 'sigmoid', 'tanh', 'exp', 'abs', 'neg'] as const) {
    const t = tensor(values);
    const method = `${op}_` as const;
    assert.equal(t[method](), t);
    assert.deepEqual(t.tolist(), tensor(values)[op]().tolist(), op);
  }
  const p = tensor([0.25, 4]);
  assert.deepEqual(p.sqrt_().tolist(), [0.5, 2]);
  assert.deepEqual(p.log_().tolist(), tensor([0.5, 2]).log().tolist());
});

test('F.relu, F.leakyRelu, F.elu, F.silu and F.dropout take PyTorch\'s inplace, by position or by name, and refuse more', () => {
  const make = (): Tensor => tensor([[-1.5, 0.5], [2, -0.25]], { requiresGrad: true }).mul(1);
  const cases: Array<[string, (x: Tensor) => Tensor, (x: Tensor) => Tensor, string]> = [
    ['relu', (x) => F.relu(x, true), (x) => F.relu(x), 'ReluBackward0'],
    ['relu named', (x) => F.relu(x, { inplace: true }), (x) => x.relu(), 'ReluBackward0'],
    ['leakyRelu', (x) => F.leakyRelu(x, 0.2, true), (x) => F.leakyRelu(x, 0.2), 'LeakyReluBackward1'],
    ['leakyRelu named', (x) => F.leakyRelu(x, { negativeSlope: 0.2, inplace: true }), (x) => x.leakyRelu(0.2), 'LeakyReluBackward1'],
    ['elu', (x) => F.elu(x, 0.5, true), (x) => F.elu(x, 0.5), 'EluBackward1'],
    ['elu named', (x) => F.elu(x, { alpha: 0.5, inplace: true }), (x) => F.elu(x, { alpha: 0.5 }), 'EluBackward1'],
    ['silu', (x) => F.silu(x, true), (x) => F.silu(x), 'SiluBackward0'],
    ['dropout', (x) => { manualSeed(2); return F.dropout(x, 0.5, true, true); }, (x) => { manualSeed(2); return F.dropout(x, 0.5, true); }, 'MulBackward0'],
    ['dropout named', (x) => { manualSeed(2); return F.dropout(x, { p: 0.5, inplace: true }); }, (x) => { manualSeed(2); return F.dropout(x, { p: 0.5 }); }, 'MulBackward0'],
  ];
  for (const [name, inPlace, outOfPlace, node] of cases) {
    const x = make();
    const y = inPlace(x);
    assert.equal(y, x, `${name}: returns its input`);
    assert.equal(y.gradFn?.torchName, node, name);
    const z = outOfPlace(make());
    assert.notEqual(z, x);
    assert.deepEqual(y.tolist(), z.tolist(), name);
  }
  assert.throws(() => F.relu(make(), 'yes' as never), /relu: inplace must be true or false, got the string "yes"/);
  assert.throws(() => (F.relu as (...a: unknown[]) => Tensor)(make(), true, 3), /relu: takes at most 1 argument/);
  assert.throws(() => F.leakyRelu(make(), { slope: 0.2 } as never), /leakyRelu: unknown option "slope"/);
  assert.throws(() => F.dropout(make(), { p: 0.5, inplace: 1 } as never), /dropout: inplace must be true or false/);
});

test('a buffer that requires no grad filled row by row through views (PyTorch\'s out[i] = …) takes the rows\' gradients', () => {
  const h = tensor([[0.5, -1], [2, 0.25], [-3, 1.5]], { requiresGrad: true });
  const out = zeros(3, 2);
  for (let i = 0; i < 3; i++) out.select(0, i).copy_(h.select(0, i).mul(i + 1));
  assert.equal(out.gradFn?.torchName, 'CopySlices');
  assert.deepEqual(out.tolist(), [[0.5, -1], [4, 0.5], [-9, 4.5]]);
  out.mul(out).sum().backward();
  // d/dh of Σ ((i+1)·h)² = 2 (i+1)² h
  assert.deepEqual(h.grad?.tolist(), [[1, -2], [16, 2], [-54, 27]]);
});

test('the views an op makes for itself (stack, a vector in matmul) do not count as views of its operands', () => {
  const w = tensor([1, 2, 3], { requiresGrad: true });
  for (const use of [(t: Tensor) => stack([t, t]), (t: Tensor) => t.matmul(tensor([[1], [2], [3]])), (t: Tensor) => tensor([[1, 2, 3]]).matmul(t)]) {
    const acc = zeros(3);
    use(acc);
    acc.add_(w);
    assert.equal(acc.gradFn?.torchName, 'AddBackward0');
  }
});
