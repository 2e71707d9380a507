// kindling-test: own process (it checks warnings given once per process)
// Edge cases where PyTorch 1.13's own rules decide: NaN through ReLU and in gradients of max/maximum/minimum, the
// float32 overflow of sigmoid's e^−x, div's gradient order, softmax's implicit dimension, 0-d reductions with
// keepdim. Expected values are PyTorch's outputs for the same inputs (Debian's python3-torch 1.13).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { arange, F, nn, optim, tensor, zeros, type Tensor } from '../../src/index.js';
import { setBackend, getBackend } from '../../src/kernels/backend.js';
import { scratchDir } from '../shared.js';

const same = (got: Float32Array | number[], want: number[]): void => assert.deepEqual(Array.from(got), want);

for (const backend of ['wasm', 'ref'] as const) {
  test(`${backend}: ReLU keeps NaN and passes its gradient (PyTorch's threshold_backward: zero only where y ≤ 0)`, () => {
    const before = getBackend();
    setBackend(backend);
    try {
      const x = tensor([Number.NaN, -1, 2, 0], { requiresGrad: true });
      const y = x.relu();
      y.sum().backward();
      same(y.toArray(), [Number.NaN, 0, 2, 0]);
      same(x.grad!.toArray(), [1, 0, 1, 0]);
    } finally {
      setBackend(before);
    }
  });

  test(`${backend}: sigmoid is +0 where float32's e^−x overflows (x < −88.72), so BCELoss clamps to 100 there`, () => {
    const before = getBackend();
    setBackend(backend);
    try {
      const values = [-89, -95, -103, -88, 0, -88.72283172607422, -88.72283935546875, -Infinity];
      const want = [0, 0, 0, Math.fround(6.054601485195952e-39), 0.5, Math.fround(1 / (1 + Math.exp(88.72283172607422))), 0, 0];
      // 19 values: the wasm kernel takes 17 or more, in vectors of four (lanes beyond ±80 are redone in JavaScript)
      // and a scalar tail of three.
      const x = tensor([...values, ...values, ...values.slice(0, 3)]);
      same(x.sigmoid().toArray(), [...want, ...want, ...want.slice(0, 3)]);
      same(F.bceLoss(tensor([-89, -95, -103]).sigmoid(), tensor([1, 1, 1]), { reduction: 'none' }).toArray(), [100, 100, 100]);
    } finally {
      setBackend(before);
    }
  });
}

test('the gradient of a / b for b is −g·((a / b) / b), PyTorch\'s order: no overflow of b·b', () => {
  const b = tensor([1e-23, 1e20, 3], { requiresGrad: true });
  tensor([1e-30, 1e30, 1]).div(b).sum().backward();
  same(b.grad!.toArray(), [Math.fround(-1.0000000272564224e16), Math.fround(-1.000000013351432e-10), Math.fround(-Math.fround(Math.fround(1 / 3) / 3))]);
});

test('max() of a tensor holding NaN gives the gradient to its NaNs; maximum/minimum give it to both sides at a NaN', () => {
  const m = tensor([1, Number.NaN, 3, Number.NaN], { requiresGrad: true });
  m.max().backward();
  same(m.grad!.toArray(), [0, 0.5, 0, 0.5]);
  const a = tensor([1, Number.NaN, 2, 5], { requiresGrad: true });
  const b = tensor([Number.NaN, 2, 2, 4], { requiresGrad: true });
  a.maximum(b).sum().backward();
  same(a.grad!.toArray(), [1, 1, 0.5, 1]);
  same(b.grad!.toArray(), [1, 1, 0.5, 0]);
  const c = tensor([1, 3, 2], { requiresGrad: true });
  const d = tensor([2, 2, 2], { requiresGrad: true });
  c.minimum(d).sum().backward();
  same(c.grad!.toArray(), [1, 0, 0.5]);
  same(d.grad!.toArray(), [0, 1, 0.5]);
});

test('nn.Softmax() and F.softmax without a dim take PyTorch\'s implicit one (0 for 0-, 1- and 3-D inputs, else 1), warning once for each of softmax, log_softmax and softmin as PyTorch\'s words name them; tensor methods keep the last dim', async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error): void => {
    warnings.push(w.message);
  };
  process.on('warning', onWarning);
  const x3 = arange(8).reshape(2, 2, 2);
  const lo = Math.fround(0.01798621006309986);
  const hi = Math.fround(0.9820137619972229);
  same(new nn.Softmax().forward(x3).toArray(), [lo, lo, lo, lo, hi, hi, hi, hi]);
  assert.equal(String(new nn.Softmax()), 'Softmax(dim=None)');
  // 2-D and 4-D: dim 1.
  same(F.softmax(tensor([[0, 1], [0, 1]])).toArray(), Array.from(F.softmax(tensor([[0, 1], [0, 1]]), 1).toArray()));
  const x4 = arange(16).reshape(2, 2, 2, 2);
  same(F.softmax(x4).toArray(), Array.from(x4.softmax(1).toArray()));
  same(F.logSoftmax(x4).toArray(), Array.from(x4.logSoftmax(1).toArray()));
  same(x4.softmax().toArray(), Array.from(x4.softmax(3).toArray()));
  same(x3.logSoftmax().toArray(), Array.from(x3.logSoftmax(-1).toArray()));
  // A saved model keeps the implicit choice.
  const model = new nn.Sequential(new nn.Linear(2, 3), new nn.Softmax());
  const path = join(scratchDir('kindling-softmax-'), 'm.safetensors');
  model.save(path);
  const back = nn.Module.load(path);
  assert.match(String(back), /\(1\): Softmax\(dim=None\)/);
  const input = tensor([[1, 2], [3, -1]]);
  same(back.forward(input).toArray(), Array.from(model.forward(input).toArray()));
  same(F.softmin(x4).toArray(), Array.from(x4.neg().softmax(1).toArray()));
  new nn.Softmin().forward(x3);
  new nn.LogSoftmax().forward(x3);
  await new Promise((resolve) => setImmediate(resolve));
  process.off('warning', onWarning);
  // PyTorch 1.13's text names the function only ("…for softmax…", "…for log_softmax…", "…for softmin…").
  assert.deepEqual(warnings.map((w) => w.split(':')[0]), ['softmax', 'log_softmax', 'softmin'], warnings.join('\n'));
  assert.match(warnings[0]!, /^softmax: Implicit dimension choice for softmax has been deprecated\. Change the call to include dim=X as an argument/);
  assert.match(warnings[1]!, /Implicit dimension choice for log_softmax has been deprecated/);
});

test('a 0-d tensor reduced over dim 0 or −1 with keepdim stays 0-d, as in PyTorch', () => {
  assert.deepEqual(tensor(3).sum(0, true).shape, []);
  assert.deepEqual(tensor(3).mean(-1, true).shape, []);
  const x = tensor(2, { requiresGrad: true });
  const s = x.sum(0, true);
  s.backward();
  assert.equal(s.item(), 2);
  assert.equal(x.grad!.item(), 1);
  // torch.tensor(2.).sum([0, -1]): "dim 0 appears multiple times in the list of dims".
  assert.throws(() => tensor(2).sum([0, -1]), /dimension listed twice/);
  assert.throws(() => tensor(2).mean([0, 0]), /dimension listed twice/);
  assert.equal(tensor(2).sum([-1]).item(), 2);
});

test('a permuted 3-D parameter: an assigned gradient, SGD momentum state and loadStateDict go through its strides', () => {
  const p = new nn.Parameter(arange(24).reshape(2, 3, 4).permute(2, 0, 1));
  const opt = new optim.SGD([p], 0.1, { momentum: 0.9 });
  p.grad = arange(24).reshape(4, 2, 3).mul(0.01);
  opt.step();
  // PyTorch: the same parameter, gradient and step.
  const want = [0, 3.999, 7.998, 11.997, 15.996, 19.995, 0.994, 4.993, 8.992, 12.991, 16.99, 20.989,
    1.988, 5.987, 9.986, 13.985, 17.984, 21.983, 2.982, 6.981, 10.98, 14.979, 18.978, 22.977];
  const got = Array.from(p.toArray());
  got.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) < 1e-5, `element ${i}: ${v} vs ${want[i]}`));
  const saved = opt.stateDict();
  const again = new optim.SGD([p], 0.1, { momentum: 0.9 });
  again.loadStateDict(saved);
  assert.deepEqual(again.stateDict(), saved);
  const momentum = (saved.state[0]!['momentum_buffer'] as { data: number[] }).data;
  same(momentum.slice(0, 4), [0, Math.fround(0.01), Math.fround(0.02), Math.fround(0.03)]);

  class Holder extends nn.Module {
    w = new nn.Parameter(zeros(2, 3, 4).permute(2, 0, 1));
    forward(x: Tensor): Tensor {
      return x;
    }
  }
  const h = new Holder();
  h.loadStateDict({ w: arange(24).reshape(4, 2, 3) });
  same(h.w.toArray(), Array.from({ length: 24 }, (_, i) => i));
});

test('BCEWithLogitsLoss backward is PyTorch\'s (σ(x) − y)·g, within an ulp or two (the sigmoids may differ by one), and 0 (not NaN) at x = −∞', () => {
  const x0 = [-3.5, -0.25, 0, 0.75, 2, 9, -Infinity];
  const y0 = [0, 1, 0.3, 1, 0, 1, 0];
  // PyTorch's gradients as float32 bit patterns ('none' is weighted by 1…7 before the sum).
  const want = {
    mean: [998848249, 3181672974, 1021972128, 3174808046, 1040242968, 3079920494, 0],
    sum: [1022369844, 3205491404, 1045220556, 3198436016, 1063353322, 3103875072, 0],
    none: [1022369844, 3213880012, 1058642329, 3215213232, 1082977650, 3124891648, 0],
  } as const;
  for (const reduction of ['mean', 'sum', 'none'] as const) {
    const x = tensor(x0, { requiresGrad: true });
    const l = F.bceWithLogitsLoss(x, tensor(y0), { reduction });
    (reduction === 'none' ? l.mul(arange(1, 8)) : l).sum().backward();
    const expected = new Float32Array(new Uint32Array(want[reduction]).buffer);
    Array.from(x.grad!.toArray()).forEach((v, i) => {
      assert.ok(Math.abs(v - expected[i]!) <= Math.abs(expected[i]!) * 2 ** -22, `${reduction} element ${i}: ${v} vs PyTorch's ${expected[i]}`);
    });
  }
  // A target that requires grad gets its gradient too (through the formula).
  const t = tensor([0.2, 0.9], { requiresGrad: true });
  F.bceWithLogitsLoss(tensor([1, -2]), t, { reduction: 'sum' }).backward();
  same(t.grad!.toArray(), [-1, 2]);
});

test('abs at NaN has gradient 0 (PyTorch\'s sgn); argmax of an empty tensor without a dim is an error', () => {
  const a = tensor([Number.NaN, -3, 2], { requiresGrad: true });
  a.abs().sum().backward();
  same(a.grad!.toArray(), [0, -1, 1]);
  assert.throws(() => zeros(0).argmax(), /argmax: Expected reduction dim to be specified for input\.numel\(\) == 0/);
});

test('MSELoss broadcasts a target of another shape, as PyTorch does, with a warning; shapes that cannot broadcast are an error', async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error): void => {
    warnings.push(w.message);
  };
  process.on('warning', onWarning);
  const x = tensor([[0.1, 0.9, 0.3]], { requiresGrad: true });
  const l = F.mseLoss(x, tensor([0, 1, 0]));
  l.backward();
  // PyTorch: 0.03666666895151138, and this gradient within an ulp.
  assert.equal(l.item(), Math.fround(0.03666666895151138));
  Array.from(x.grad!.toArray()).forEach((v, i) => assert.ok(Math.abs(v - [0.06666667014360428, -0.06666668504476547, 0.20000001788139343][i]!) < 3e-8));
  const y = tensor([0.2, 0.4], { requiresGrad: true });
  const s = F.mseLoss(y, tensor([[0], [1]]), { reduction: 'sum' });
  s.backward();
  assert.equal(s.item(), Math.fround(1.2000000476837158));
  same(y.grad!.toArray(), [Math.fround(-1.2000000476837158), Math.fround(-0.40000003576278687)]);
  assert.throws(() => F.mseLoss(tensor([1, 2, 3]), tensor([1, 2])), /mseLoss: target shape \[2\] does not match input shape \[3\]/);
  F.mseLoss(x, tensor([0, 1, 0]));
  await new Promise((resolve) => setImmediate(resolve));
  process.off('warning', onWarning);
  // Once per pair of shapes, as PyTorch 1.13's text names the sizes (Python shows each text once per line of code).
  assert.equal(warnings.length, 2, warnings.join('\n'));
  assert.match(warnings[0]!, /^mseLoss: using a target of shape \[3\], different from the input's \[1, 3\]; both are broadcast to \[1, 3\]/);
  assert.match(warnings[1]!, /^mseLoss: using a target of shape \[2, 1\], different from the input's \[2\]/);
});

test('select on a 0-d tensor, and -1 for a new leading dimension of expand, are refused as PyTorch refuses them', () => {
  assert.throws(() => tensor(3).select(0, 0), /select: a 0-d tensor has no dimension to select from/);
  assert.throws(() => tensor([1, 2]).expand(-1, 2), /expand: -1 keeps an existing dimension, but dimension 0 of \[-1, 2\] is a new one for shape \[2\]/);
  // -1 on an existing dimension still keeps it, as PyTorch's expand(2, -1) does.
  assert.deepEqual(tensor([1, 2]).expand(2, -1).tolist(), [[1, 2], [1, 2]]);
  assert.deepEqual(tensor([[1], [2]]).expand(-1, 3).tolist(), [[1, 1, 1], [2, 2, 2]]);
});

test('nn.LogSoftmax is logSoftmax along its dim, prints as PyTorch\'s, takes the implicit dim as Softmax does, and refuses a bad dim', () => {
  const x = tensor([[1, 2, 3], [-1, 0, 4]], { requiresGrad: true });
  const m = new nn.LogSoftmax(1);
  assert.equal(String(m), 'LogSoftmax(dim=1)');
  assert.equal(String(new nn.LogSoftmax({ dim: 0 })), 'LogSoftmax(dim=0)');
  const y = m.forward(x);
  same(y.toArray(), Array.from(x.detach().logSoftmax(1).toArray()));
  same(new nn.LogSoftmax(0).forward(x).toArray(), Array.from(x.detach().logSoftmax(0).toArray()));
  // Its gradient is logSoftmax's: for a sum of the outputs, 1 − n·softmax along the dim.
  y.sum().backward();
  const p = x.detach().softmax(1).toArray();
  Array.from(x.grad!.toArray()).forEach((g, i) => assert.ok(Math.abs(g - (1 - 3 * p[i]!)) < 1e-6, `grad[${i}] ${g}`));
  const implicit = new nn.LogSoftmax();
  assert.equal(String(implicit), 'LogSoftmax(dim=None)');
  same(implicit.forward(tensor([[0, 1], [2, 5]])).toArray(), Array.from(tensor([[0, 1], [2, 5]]).logSoftmax(1).toArray()));
  assert.throws(() => new nn.LogSoftmax(1.5), /LogSoftmax: dim must be an integer/);
  assert.throws(() => new nn.LogSoftmax({ dims: 1 } as never), /LogSoftmax: unknown option "dims"/);
});

test('narrow refuses a 0-d tensor, and expand sizes that are not whole numbers of at least -1, as PyTorch does', () => {
  assert.throws(() => tensor(7).narrow(0, 0, 3), /narrow: a 0-d tensor has no dimension to narrow/);
  assert.throws(() => tensor([1, 2, 3, 4]).select(0, 1).narrow(0, 0, 1), /0-d tensor/);
  const col = tensor([[1], [2], [3]]);
  assert.throws(() => col.expand(3, 2.5), /expand: invalid size 2\.5 in \[3, 2\.5\]/);
  assert.throws(() => col.expand(3, -2), /expand: invalid size -2/);
  assert.throws(() => tensor([1]).expand(Number.NaN), /expand: invalid size NaN/);
  assert.throws(() => tensor([1, 2]).expand('3' as unknown as number, 2), TypeError);
  same(col.expand(3, 2).toArray(), [1, 1, 2, 2, 3, 3]);
  same(col.expand(-1, 0).toArray(), []);
});

test('clamp with a NaN bound: alone it bounds nothing (values as they are, no gradient); with the other bound, NaN', () => {
  // PyTorch 1.13: clamp(min=nan) and clamp(max=nan) give the input's values with a zero gradient.
  for (const bounds of [[Number.NaN, null], [null, Number.NaN]] as const) {
    const x = tensor([-3, 0.5, 9], { requiresGrad: true });
    const y = x.clamp(bounds[0], bounds[1]);
    same(y.toArray(), [-3, 0.5, 9]);
    y.sum().backward();
    same(x.grad!.toArray(), [0, 0, 0]);
  }
  assert.ok(tensor([-3, 0.5, 9]).clamp(Number.NaN, 1).toArray().every(Number.isNaN));
  const t = tensor([-3, 0.5, 9]);
  t.clamp_(Number.NaN);
  same(t.toArray(), [-3, 0.5, 9]);
});

test('clipGradNorm_ of order 0 counts the non-zero per-tensor norms, for one tensor too (PyTorch: 1, not the count of values)', () => {
  const p = tensor([3, 0, -5], { requiresGrad: true });
  p.grad = tensor([3, 0, -5]);
  assert.equal(nn.utils.clipGradNorm_([p], 1, 0).item(), 1);
  const c = Math.fround(Math.fround(1 / Math.fround(1 + 1e-6)) * 1);
  same(p.grad.toArray(), [Math.fround(3 * c), 0, Math.fround(-5 * c)]);
});

test('F.linear with no input features gives the bias for every row, as PyTorch (x · Wᵀ is an empty sum)', () => {
  // torch: F.linear(torch.zeros(2, 0), torch.zeros(4, 0), torch.tensor([1., 2, 3, 4])) is the bias twice.
  const b = tensor([1, 2, 3, 4], { requiresGrad: true });
  const y = F.linear(zeros(2, 0), zeros(4, 0), b);
  assert.deepEqual(y.tolist(), [[1, 2, 3, 4], [1, 2, 3, 4]]);
  y.mul(y).sum().backward();
  assert.deepEqual(b.grad?.tolist(), [4, 8, 12, 16]);
  assert.deepEqual(F.linear(zeros(0), zeros(3, 0), tensor([5, 6, 7])).tolist(), [5, 6, 7]);
});

test('an index past 2^24, which float32 indices would round, is refused by argmax and argmin, naming the limit (max(dim) keeps its value)', () => {
  const n = 2 ** 24 + 2;
  const data = new Float32Array(n);
  data[2 ** 24] = 1;
  const exact = tensor(data, [n]);
  assert.equal(exact.argmax().item(), 2 ** 24);
  assert.equal(exact.max(0).indices.item(), 2 ** 24);
  data[2 ** 24 + 1] = 2;
  const past = tensor(data, [n]);
  assert.throws(() => past.argmax(), /^RangeError: argmax: the index 16777217 is past 2\^24 \(16777216\), the largest whole number Kindling's float32 index tensors hold exactly/);
  // max(dim) still gives its value (and the backward its exact index); only the index it returns is rounded.
  assert.equal(past.max(0).values.item(), 2);
  assert.throws(() => past.neg().reshape([1, n]).argmin(1, true), /^RangeError: argmin: the index 16777217 is past 2\^24/);
});
