// Closed-form values: results that can be worked out by hand, checked to float32 precision.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspect } from 'node:util';
import { arange, F, full, manualSeed, matmul, nn, noGrad, ones, tensor, where, zeros, type Tensor } from '../../src/index.js';

function close(t: Tensor | number[], want: readonly number[], tol = 1e-6): void {
  const got = Array.isArray(t) ? t : [...t.toArray()];
  assert.equal(got.length, want.length, `length ${got.length} vs ${want.length}`);
  got.forEach((g, i) => assert.ok(Math.abs(g - want[i]!) <= tol * Math.max(1, Math.abs(want[i]!)), `element ${i}: ${g} vs ${want[i]}`));
}

test('creation: tensor from nested arrays, flat arrays with a shape, typed arrays, numbers; zeros/ones/full/arange', () => {
  const t = tensor([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(t.shape, [2, 3]);
  assert.deepEqual(t.tolist(), [[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(tensor([1, 2, 3, 4, 5, 6], [3, 2]).tolist(), [[1, 2], [3, 4], [5, 6]]);
  assert.deepEqual(tensor(new Float64Array([0.5, 1.5]), [2, 1]).tolist(), [[0.5], [1.5]]);
  assert.deepEqual(tensor(2.5).shape, []);
  assert.equal(tensor(2.5).tolist(), 2.5);
  assert.deepEqual(tensor([]).shape, [0]);
  assert.equal(tensor([0.1]).item(), Math.fround(0.1), 'values are stored as float32');
  assert.deepEqual(zeros([2, 2]).tolist(), [[0, 0], [0, 0]]);
  assert.deepEqual(ones([3]).tolist(), [1, 1, 1]);
  assert.deepEqual(full([2], -7).tolist(), [-7, -7]);
  assert.deepEqual(arange(4).tolist(), [0, 1, 2, 3]);
  assert.deepEqual(arange(1, 2, 0.25).tolist(), [1, 1.25, 1.5, 1.75]);
  assert.deepEqual(arange(5, 0, -2).tolist(), [5, 3, 1]);
  assert.equal(zeros([2], { requiresGrad: true }).requiresGrad, true);
  const copy = tensor(t, [3, 2]);
  assert.deepEqual(copy.tolist(), [[1, 2], [3, 4], [5, 6]], 'tensor(t) copies a tensor\'s values');
  assert.notEqual(copy.data, t.data);
  assert.deepEqual(tensor(t.T).tolist(), [[1, 4], [2, 5], [3, 6]]);
  // The source array is copied.
  const src = [1, 2];
  const c = tensor(src);
  src[0] = 9;
  assert.deepEqual(c.tolist(), [1, 2]);
});

test('tolist nests like PyTorch for every rank, toArray is row-major even for views', () => {
  const x = arange(24).reshape(2, 3, 4);
  assert.deepEqual(x.tolist(), [
    [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]],
    [[12, 13, 14, 15], [16, 17, 18, 19], [20, 21, 22, 23]],
  ]);
  assert.deepEqual(tensor([[[7]]]).tolist(), [[[7]]]);
  assert.equal(tensor(3).tolist(), 3);
  const m = tensor([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual([...m.T.toArray()], [1, 4, 2, 5, 3, 6]);
  assert.deepEqual(m.T.tolist(), [[1, 4], [2, 5], [3, 6]]);
  assert.deepEqual((x.permute(2, 0, 1).tolist() as number[][][])[1], [[1, 5, 9], [13, 17, 21]]);
  assert.deepEqual(tensor([1, 2]).expand(2, 2).tolist(), [[1, 2], [1, 2]]);
  assert.deepEqual(x.size(), [2, 3, 4]);
  assert.equal(x.size(-1), 4);
  assert.equal(x.numel(), 24);
  assert.equal(x.ndim, 3);
});

test('elementwise values and broadcasting shapes', () => {
  assert.equal(tensor(0).sigmoid().item(), 0.5);
  close(tensor([-1, 0, 2]).sigmoid(), [1 / (1 + Math.E), 0.5, 1 / (1 + Math.exp(-2))]);
  close(tensor([-1, 0, 2]).tanh(), [Math.tanh(-1), 0, Math.tanh(2)]);
  assert.deepEqual(tensor([-2, 0, 3]).relu().tolist(), [0, 0, 3]);
  close(tensor([-2, 0, 3]).leakyRelu(0.02), [-0.04, 0, 3]);
  close(tensor([-2, 3]).leakyRelu(), [-0.02, 3]);
  close(tensor([1, 4, 9]).sqrt(), [1, 2, 3]);
  close(tensor([1, Math.E]).log(), [0, 1]);
  close(tensor([0, 1]).exp(), [1, Math.E]);
  assert.deepEqual(tensor([-1.5, 2]).abs().tolist(), [1.5, 2]);
  assert.deepEqual(tensor([-1.5, 0.2, 2]).clamp(-1, 1).tolist(), [-1, Math.fround(0.2), 1]);
  assert.deepEqual(tensor([2, 3]).pow(tensor([3, 2])).tolist(), [8, 9]);
  assert.deepEqual(tensor([1, 5]).maximum(tensor([3, 2])).tolist(), [3, 5]);
  assert.deepEqual(tensor([1, 5]).minimum(2).tolist(), [1, 2]);
  assert.deepEqual(where(tensor([true, false, true]), tensor([1, 2, 3]), -1).tolist(), [1, -1, 3]);
  const a = tensor([[1], [2]]);
  const b = tensor([10, 20, 30]);
  const s = a.add(b);
  assert.deepEqual(s.shape, [2, 3]);
  assert.deepEqual(s.tolist(), [[11, 21, 31], [12, 22, 32]]);
  assert.deepEqual(a.mul(b).sub(1).tolist(), [[9, 19, 29], [19, 39, 59]]);
  assert.deepEqual(tensor([6, 9]).div(tensor([[3], [1]])).tolist(), [[2, 3], [6, 9]]);
  assert.deepEqual(zeros([4, 1, 3]).add(zeros([2, 1])).shape, [4, 2, 3]);
  assert.deepEqual(zeros([]).add(zeros([5])).shape, [5]);
  assert.deepEqual(tensor(3).mul(2).shape, []);
});

test('matmul of small known matrices in every rank combination', () => {
  const A = tensor([[1, 2], [3, 4]]);
  const B = tensor([[5, 6], [7, 8]]);
  assert.deepEqual(matmul(A, B).tolist(), [[19, 22], [43, 50]]);
  assert.deepEqual(A.T.matmul(B).tolist(), [[26, 30], [38, 44]]);
  assert.deepEqual(A.matmul(B.T).tolist(), [[17, 23], [39, 53]]);
  assert.deepEqual(matmul(tensor([1, 2]), tensor([3, 4])).tolist(), 11);
  assert.deepEqual(matmul(tensor([1, 2]), B).tolist(), [19, 22]);
  assert.deepEqual(matmul(A, tensor([1, 1])).tolist(), [3, 7]);
  const batch = tensor([[[1, 0], [0, 1]], [[2, 0], [0, 2]]]);
  assert.deepEqual(matmul(batch, B).tolist(), [[[5, 6], [7, 8]], [[10, 12], [14, 16]]]);
  assert.deepEqual(matmul(A, batch).tolist(), [[[1, 2], [3, 4]], [[2, 4], [6, 8]]]);
  assert.deepEqual(matmul(batch, tensor([1, 2])).tolist(), [[1, 2], [2, 4]]);
  assert.deepEqual(matmul(tensor([1, 2]), batch).shape, [2, 2]);
});

test('sum and mean of a 0-d tensor with keepdim are copies: they never share or change its storage', () => {
  const p = tensor(5, { requiresGrad: true });
  const s = p.sum(undefined, true);
  const m = p.mean(undefined, true);
  assert.equal(m.item(), 5);
  noGrad(() => s.data.fill(7));
  assert.equal(p.item(), 5, 'writing into the sum changed the tensor');
  const q = tensor(4);
  assert.equal(q.mean(undefined, true).item(), 4);
  assert.equal(q.item(), 4);
});

test('sum, mean, max, argmax results and shapes', () => {
  const x = tensor([[1, 5, 3], [4, 2, 6]]);
  assert.equal(x.sum().item(), 21);
  assert.deepEqual(x.sum().shape, []);
  assert.deepEqual(x.sum(0).tolist(), [5, 7, 9]);
  assert.deepEqual(x.sum(1, true).tolist(), [[9], [12]]);
  assert.deepEqual(x.sum(-1).tolist(), [9, 12]);
  assert.deepEqual(x.sum([0, 1], true).tolist(), [[21]]);
  assert.deepEqual(x.sum([]).tolist(), 21, 'an empty dim list reduces everything, as in PyTorch 1.13');
  assert.equal(x.mean().item(), 3.5);
  assert.deepEqual(x.mean(0).tolist(), [2.5, 3.5, 4.5]);
  assert.deepEqual(x.mean(-1, true).tolist(), [[3], [4]]);
  assert.equal(x.max().item(), 6);
  const { values, indices } = x.max(1);
  assert.deepEqual(values.tolist(), [5, 6]);
  assert.deepEqual(indices.tolist(), [1, 2]);
  assert.deepEqual(x.max(0, true).indices.tolist(), [[1, 0, 1]]);
  assert.equal(x.argmax().item(), 5);
  assert.deepEqual(x.argmax(1).tolist(), [1, 2]);
  assert.deepEqual(x.argmax(0, true).tolist(), [[1, 0, 1]]);
  assert.deepEqual(x.argmax(undefined, true).shape, [1, 1]);
  // Ties: the first index wins, as in PyTorch's CPU kernels.
  assert.deepEqual(tensor([[2, 7, 7]]).argmax(1).tolist(), [1]);
  assert.equal(tensor([7, 2, 7]).argmax().item(), 0);
});

test('softmax and logSoftmax known values; rows sum to 1 and large inputs stay finite', () => {
  const e = [1, 2, 3].map(Math.exp);
  const z = e[0]! + e[1]! + e[2]!;
  close(tensor([1, 2, 3]).softmax(0), e.map((v) => v / z));
  close(tensor([1, 2, 3]).logSoftmax(0), [1, 2, 3].map((v) => v - Math.log(z)));
  close(tensor([[1000, 1001], [-1000, -1000]]).softmax(1), [1 / (1 + Math.E), Math.E / (1 + Math.E), 0.5, 0.5]);
  close(tensor([[1, 1], [2, 4]]).softmax(0), [1 / (1 + Math.E), 1 / (1 + Math.exp(3)), Math.E / (1 + Math.E), Math.exp(3) / (1 + Math.exp(3))]);
  close(tensor([1000, 0]).logSoftmax(0), [0, -1000]);
});

test('layerNorm of a batch gives each row the bits it gets alone, with or without a graph', () => {
  manualSeed(3);
  const ln = new nn.LayerNorm(37);
  ln.weight!.data.set(F.sigmoid(ones([37]).mul(arange(37))).toArray());
  const rows = 7; // pairs of rows and a last one alone
  const values = Array.from({ length: rows * 37 }, (_, i) => Math.sin(i * 1.7) * (1 + (i % 5)) + (i % 3 ? 1e-3 : 40));
  const x = tensor(values, [rows, 37]);
  const batch = noGrad(() => ln.forward(x)).toArray();
  const graphed = ln.forward(x.detach().requiresGrad_()).toArray();
  for (let r = 0; r < rows; r++) {
    const alone = noGrad(() => ln.forward(tensor(values.slice(r * 37, (r + 1) * 37), [1, 37]))).toArray();
    for (let i = 0; i < 37; i++) {
      assert.ok(Object.is(batch[r * 37 + i], alone[i]), `row ${r}, element ${i}: ${batch[r * 37 + i]} vs ${alone[i]}`);
      assert.ok(Object.is(graphed[r * 37 + i], alone[i]), `row ${r}, element ${i} with a graph`);
    }
  }
});

test('layerNorm backward over a batch: the bits of its float64 formulas worked row by row, in order', () => {
  const n = 29;
  const rows = 5; // two pairs and a last row alone
  const X = Array.from({ length: rows * n }, (_, i) => Math.cos(i * 0.7) * (1 + (i % 4)) + (i % 7 ? 0 : 30));
  const Gv = Array.from({ length: rows * n }, (_, i) => Math.sin(i * 1.3) * (i % 5 ? 1 : 1e-3));
  const W = Array.from({ length: n }, (_, i) => 0.5 + (i % 3) * 0.25);
  const ln = new nn.LayerNorm(n);
  ln.weight!.data.set(W);
  const x = tensor(X, [rows, n], { requiresGrad: true });
  ln.forward(x).mul(tensor(Gv, [rows, n])).sum().backward();
  // The same arithmetic by hand: rows one after another, float64 sums in order, float32 where the op stores.
  const f = Math.fround;
  const w32 = W.map(f);
  const gx = new Float32Array(rows * n);
  const gw = new Float64Array(n);
  const gb = new Float64Array(n);
  for (let r = 0; r < rows; r++) {
    const xs = X.slice(r * n, (r + 1) * n).map(f);
    const gs = Gv.slice(r * n, (r + 1) * n).map(f);
    let mean = 0;
    for (const v of xs) mean += v;
    mean /= n;
    let v = 0;
    for (const a of xs) v += (a - mean) * (a - mean);
    const rs = f(1 / Math.sqrt(v / n + 1e-5));
    const h = xs.map((a) => f((a - f(mean)) * rs));
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const dh = gs[i]! * w32[i]!;
      s1 += dh;
      s2 += dh * h[i]!;
      gw[i] += gs[i]! * h[i]!;
      gb[i] += gs[i]!;
    }
    for (let i = 0; i < n; i++) gx[r * n + i] = rs * (gs[i]! * w32[i]! - s1 / n - h[i]! * (s2 / n));
  }
  const same = (got: Float32Array | undefined, want: ArrayLike<number>, what: string): void => {
    assert.ok(got);
    for (let i = 0; i < want.length; i++) assert.ok(Object.is(got[i], f(want[i]!)), `${what}[${i}]: ${got[i]} vs ${f(want[i]!)}`);
  };
  same(x.grad?.toArray(), gx, 'x.grad');
  same(ln.weight!.grad?.toArray(), gw, 'weight.grad');
  same(ln.bias!.grad?.toArray(), gb, 'bias.grad');
});

test('layerNorm known values: zero mean, unit (biased) variance, then affine', () => {
  // x = [1, 2, 3, 4]: mean 2.5, biased variance 1.25.
  const sd = Math.sqrt(1.25 + 1e-5);
  close(F.layerNorm(tensor([[1, 2, 3, 4]]), [4]), [-1.5 / sd, -0.5 / sd, 0.5 / sd, 1.5 / sd], 1e-6);
  const ln = new nn.LayerNorm(4);
  ln.weight!.data.set([1, 2, 3, 4]);
  ln.bias!.data.set([0, 1, 0, 1]);
  close(ln.forward(tensor([1, 2, 3, 4])), [-1.5 / sd, 1 - 1 / sd, 1.5 / sd, 1 + 6 / sd], 1e-6);
  // A constant row normalises to 0 (not NaN) thanks to eps.
  close(F.layerNorm(tensor([[5, 5, 5]]), [3]), [0, 0, 0]);
});

test('losses: MSE of known vectors, BCE and its −100 log clamp, BCE with logits, cross-entropy, NLL', () => {
  const x = tensor([1, 2, 3]);
  const y = tensor([1, 0, 5]);
  assert.equal(F.mseLoss(x, y).item(), Math.fround(8 / 3));
  assert.equal(new nn.MSELoss({ reduction: 'sum' }).forward(x, y).item(), 8);
  assert.deepEqual(new nn.MSELoss({ reduction: 'none' }).forward(x, y).tolist(), [0, 4, 4]);
  // Input exactly 0 or 1 against the opposite target: log(0) is clamped at −100, so the loss is 100 per element.
  assert.deepEqual(F.bceLoss(tensor([0, 1]), tensor([1, 0]), { reduction: 'none' }).tolist(), [100, 100]);
  assert.equal(new nn.BCELoss().forward(tensor([0, 1, 1, 0]), tensor([1, 0, 1, 0])).item(), 50);
  close(F.bceLoss(tensor([0.5, 0.8]), tensor([1, 0])), [(Math.LN2 - Math.log(0.2)) / 2]);
  close(F.bceLoss(tensor([0.25]), tensor([0.5]), { reduction: 'sum' }), [-(0.5 * Math.log(0.25) + 0.5 * Math.log(0.75))]);
  close(F.bceWithLogitsLoss(tensor([0, 100, -100]), tensor([1, 0, 1]), { reduction: 'none' }), [Math.LN2, 100, 100]);
  // Cross-entropy of [1, 2, 3] with class 2 is log(Σe) − 3.
  const lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
  close(F.crossEntropyLoss(tensor([[1, 2, 3]]), tensor([2])), [lse - 3]);
  close(new nn.CrossEntropyLoss({ reduction: 'none' }).forward(tensor([[1, 2, 3], [0, 0, 0]]), tensor([0, 1])), [lse - 1, Math.log(3)]);
  close(F.crossEntropyLoss(tensor([[1, 2, 3], [0, 0, 0]]), tensor([[0, 0, 1], [0.5, 0.5, 0]])), [(lse - 3 + Math.log(3)) / 2]);
  close(F.crossEntropyLoss(tensor([1, 2, 3]), tensor(0)), [lse - 1]);
  close(F.nllLoss(tensor([[-1, -2], [-3, -4]]), tensor([1, 0])), [2.5]);
  close(new nn.NLLLoss({ reduction: 'sum' }).forward(tensor([[-1, -2], [-3, -4]]), tensor([1, 0])), [5]);
});

test('printing: the chapter\'s combined model prints exactly as PyTorch prints it', () => {
  manualSeed(0);
  const model = new nn.Sequential(
    new nn.Linear(784, 200), new nn.LeakyReLU(0.02), new nn.LayerNorm(200),
    new nn.Linear(200, 10), new nn.Sigmoid(),
  );
  assert.equal(String(model), 'Sequential(\n  (0): Linear(in_features=784, out_features=200, bias=True)\n  (1): LeakyReLU(negative_slope=0.02)\n  (2): LayerNorm((200,), eps=1e-05, elementwise_affine=True)\n  (3): Linear(in_features=200, out_features=10, bias=True)\n  (4): Sigmoid()\n)');
  // console.log shows the same (Node's inspect), not the object's fields; a tensor likewise, also inside an array.
  assert.equal(inspect(model), String(model));
  const t = tensor([[1, 2], [3, 4]]);
  assert.equal(inspect(t), String(t));
  assert.equal(inspect([t]), '[\n  tensor([[1., 2.],\n          [3., 4.]])\n]');
  // Python's float repr for hyper-parameters, and nested containers indent like PyTorch.
  assert.equal(String(new nn.LeakyReLU()), 'LeakyReLU(negative_slope=0.01)');
  assert.equal(String(new nn.LeakyReLU(1)), 'LeakyReLU(negative_slope=1.0)');
  assert.equal(String(new nn.LeakyReLU(1e-5)), 'LeakyReLU(negative_slope=1e-05)');
  assert.equal(String(new nn.LeakyReLU({ negativeSlope: 0.02 })), 'LeakyReLU(negative_slope=0.02)', 'as PyTorch\'s negative_slope=0.02');
  assert.equal(new nn.LeakyReLU({}).negativeSlope, 0.01);
  assert.throws(() => new nn.LeakyReLU({ negative_slope: 0.02 } as unknown as nn.LeakyReLUOptions), /LeakyReLU: unknown option "negative_slope" \(did you mean negativeSlope\?\)/);
  assert.throws(() => new nn.LeakyReLU('0.02' as unknown as number), /LeakyReLU: negativeSlope must be a finite number, got the string "0\.02"/);
  // Softmax's dim by position or by name, as PyTorch's Softmax(dim=1); anything but an integer or null is refused at once.
  assert.equal(String(new nn.Softmax({ dim: 0 })), 'Softmax(dim=0)');
  assert.equal(new nn.Softmax({ dim: -1 }).dim, -1);
  assert.equal(new nn.Softmax({}).dim, null);
  assert.equal(new nn.Softmax(null).dim, null);
  assert.deepEqual(new nn.Softmax({ dim: 0 }).forward(tensor([[1, 2], [3, 5]])).toArray(), new nn.Softmax(0).forward(tensor([[1, 2], [3, 5]])).toArray());
  assert.throws(() => new nn.Softmax({ axis: 1 } as unknown as nn.SoftmaxOptions), /Softmax: unknown option "axis"; the options are dim/);
  assert.throws(() => new nn.Softmax(1.5), /Softmax: dim must be an integer \(or null for PyTorch's implicit choice\), got the number 1\.5/);
  assert.throws(() => new nn.Softmax('1' as unknown as number), /Softmax: dim must be an integer .*got the string "1"/);
  assert.equal(String(new nn.LayerNorm([2, 3], { eps: 2.5e-6, elementwiseAffine: false })), 'LayerNorm((2, 3), eps=2.5e-06, elementwise_affine=False)');
  assert.equal(String(new nn.LayerNorm(3, { eps: 1e-10 })), 'LayerNorm((3,), eps=1e-10, elementwise_affine=True)');
  assert.equal(String(new nn.LayerNorm(3, { eps: 0.001 })), 'LayerNorm((3,), eps=0.001, elementwise_affine=True)');
  assert.equal(String(new nn.Linear(3, 2, { bias: false })), 'Linear(in_features=3, out_features=2, bias=False)');
  assert.equal(String(new nn.Sequential(new nn.Tanh(), new nn.Sequential(new nn.ReLU(), new nn.Softmax(-1)), new nn.Identity())),
    'Sequential(\n  (0): Tanh()\n  (1): Sequential(\n    (0): ReLU()\n    (1): Softmax(dim=-1)\n  )\n  (2): Identity()\n)');
  assert.equal(String(new nn.MSELoss()), 'MSELoss()');
});

test('a parameter prints as PyTorch\'s does, after "Parameter containing:"; what is made of it does not', () => {
  const p = new nn.Parameter(tensor([1, 2]));
  assert.equal(String(p), 'Parameter containing:\ntensor([1., 2.], requires_grad=True)');
  assert.equal(inspect(p), String(p), 'console.log shows the same');
  assert.equal(String(new nn.Parameter(tensor([1, 2]), false)), 'Parameter containing:\ntensor([1., 2.])');
  const lin = new nn.Linear(2, 1);
  lin.loadStateDict({ weight: tensor([[0.5, -1]]), bias: tensor([0.25]) });
  assert.equal(String(lin.bias), 'Parameter containing:\ntensor([0.2500], requires_grad=True)');
  assert.equal(String(lin.bias!.mul(2)), 'tensor([0.5000], grad_fn=<MulBackward0>)');
  assert.equal(String(lin.weight.detach()), 'tensor([[ 0.5000, -1.0000]])');
});

test('printing tensors matches PyTorch\'s formatter (strings produced by torch 1.13)', () => {
  assert.equal(String(tensor([1, 2, 3])), 'tensor([1., 2., 3.])');
  assert.equal(String(tensor([1.5, 10.25, -3], undefined, { requiresGrad: true })), 'tensor([ 1.5000, 10.2500, -3.0000], requires_grad=True)');
  assert.equal(String(tensor([0.03125, 0.09375, 1.03125])), 'tensor([0.0312, 0.0938, 1.0312])', 'round half to even');
  assert.equal(String(tensor([[1e-5, 1e6]])), 'tensor([[1.0000e-05, 1.0000e+06]])');
  assert.equal(String(tensor(3.5)), 'tensor(3.5000)');
  assert.equal(String(tensor([Infinity, -Infinity, 1.5])), 'tensor([   inf,   -inf, 1.5000])');
  assert.equal(String(tensor([[-1.5, 2.25], [3, -4.75]], undefined, { requiresGrad: true })), 'tensor([[-1.5000,  2.2500],\n        [ 3.0000, -4.7500]], requires_grad=True)');
  assert.equal(String(arange(12).add(1).reshape(2, 3, 2)), 'tensor([[[ 1.,  2.],\n         [ 3.,  4.],\n         [ 5.,  6.]],\n\n        [[ 7.,  8.],\n         [ 9., 10.],\n         [11., 12.]]])');
  assert.equal(String(arange(1200).sub(600)), 'tensor([-600., -599., -598.,  ...,  597.,  598.,  599.])');
  assert.equal(String(zeros([1, 0])), 'tensor([], size=(1, 0))');
  assert.equal(String(tensor([1.5, 2.5], undefined, { requiresGrad: true }).mul(2)), 'tensor([3., 5.], grad_fn=<MulBackward0>)');
  assert.equal(String(arange(21).add(1).div(10)),
    'tensor([0.1000, 0.2000, 0.3000, 0.4000, 0.5000, 0.6000, 0.7000, 0.8000, 0.9000,\n        1.0000, 1.1000, 1.2000, 1.3000, 1.4000, 1.5000, 1.6000, 1.7000, 1.8000,\n        1.9000, 2.0000, 2.1000])');
});

test('comparisons eq ne gt ge lt le: 1 where true, 0 where false, broadcasting, NaN and −0 as PyTorch; no gradient', () => {
  const a = tensor([1, 2, Number.NaN, -0], { requiresGrad: true });
  const b = tensor([1, 3, Number.NaN, 0]);
  // PyTorch 1.13 (as int): eq [1,0,0,1], ne [0,1,1,0], gt [0,0,0,0], ge [1,0,0,1], lt [0,1,0,0], le [1,1,0,1].
  assert.deepEqual([...a.eq(b).toArray()], [1, 0, 0, 1]);
  assert.deepEqual([...a.ne(b).toArray()], [0, 1, 1, 0]);
  assert.deepEqual([...a.gt(b).toArray()], [0, 0, 0, 0]);
  assert.deepEqual([...a.ge(b).toArray()], [1, 0, 0, 1]);
  assert.deepEqual([...a.lt(b).toArray()], [0, 1, 0, 0]);
  assert.deepEqual([...a.le(b).toArray()], [1, 1, 0, 1]);
  assert.equal(a.eq(b).requiresGrad, false);
  // Broadcasting, and a number on either side: [[1],[2]] ≥ [0,1,2] is [[1,1,0],[1,1,1]]; [[1],[2]] < 1.5 is [[1],[0]].
  const x = tensor([[1], [2]]);
  assert.deepEqual(x.ge(tensor([0, 1, 2])).tolist(), [[1, 1, 0], [1, 1, 1]]);
  assert.deepEqual(x.lt(1.5).tolist(), [[1], [0]]);
  // The accuracy idiom: predicted class equals label, counted.
  const out = tensor([[0.1, 0.9, 0], [0.8, 0.1, 0.1], [0, 0.2, 0.7]]);
  assert.equal(out.argmax(1).eq(tensor([1, 2, 2])).sum().item(), 2);
  assert.throws(() => x.eq(zeros(3, 3)), /eq/);
  // where keeps −0 (PyTorch: torch.where(c, tensor([-0.]), 1.) is -0.).
  assert.ok(Object.is(where(tensor([true]), tensor([-0]), 1).item(), -0));
});

test('select and narrow: PyTorch\'s x[i], x[:, j] and x[a:b] as views, with gradients into the right places', () => {
  const x = arange(12).reshape(3, 4);
  x.requiresGrad = true;
  // Values as PyTorch 1.13 gives them.
  assert.deepEqual(x.select(1, 2).tolist(), [2, 6, 10]);
  assert.deepEqual(x.narrow(0, 1, 2).tolist(), [[4, 5, 6, 7], [8, 9, 10, 11]]);
  assert.deepEqual(x.narrow(1, 1, 2).select(0, -1).tolist(), [9, 10]);
  assert.deepEqual(x.T.select(0, 1).tolist(), [1, 5, 9]);
  assert.deepEqual(x.narrow(1, -2, 2).tolist(), [[2, 3], [6, 7], [10, 11]]);
  assert.deepEqual(x.narrow(0, 1, 2).reshape(-1).tolist(), [4, 5, 6, 7, 8, 9, 10, 11]);
  assert.equal(x.narrow(0, 1, 2).sum().item(), 60);
  assert.deepEqual(x.narrow(0, 3, 0).shape, [0, 4]);
  // Gradients (PyTorch's): column 2 gets [1, 2, 3]; then x[2, 1:3] gets [5, 7].
  x.select(1, 2).mul(tensor([1, 2, 3])).sum().backward();
  assert.deepEqual(x.grad!.tolist(), [[0, 0, 1, 0], [0, 0, 2, 0], [0, 0, 3, 0]]);
  x.grad = null;
  x.narrow(1, 1, 2).select(0, -1).mul(tensor([5, 7])).sum().backward();
  assert.deepEqual(x.grad!.tolist(), [[0, 0, 0, 0], [0, 0, 0, 0], [0, 5, 7, 0]]);
  // Views share storage, as in PyTorch: a write through one shows in the other.
  const y = arange(6).reshape(2, 3);
  noGrad(() => y.select(0, 1).data.fill(-1));
  assert.deepEqual(y.tolist(), [[0, 1, 2], [-1, -1, -1]]);
  // A slice given as backward's gradient is read as its own values, not its storage's.
  const z = tensor([1, 2], { requiresGrad: true });
  z.mul(3).backward(arange(4).narrow(0, 2, 2));
  assert.deepEqual(z.grad!.tolist(), [6, 9]);
  assert.throws(() => x.select(0, 3), /select: index 3 is out of range for dimension 0 of size 3 \(shape \[3, 4\]\)/);
  assert.throws(() => x.select(2, 0), /select/);
  assert.throws(() => x.narrow(1, 3, 2), /narrow: start 3 and length 2 do not fit dimension 1 of size 4 \(shape \[3, 4\]\)/);
  assert.throws(() => x.narrow(0, 0.5, 1), /narrow: start 0\.5/);
});
