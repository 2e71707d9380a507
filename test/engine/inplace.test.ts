// In-place ops: what PyTorch code does with them outside the graph (a hand-written update inside noGrad, clearing or
// scaling a gradient, writing through a view), and the leaf that requires grad, refused. In the graph:
// inplace-graph.test.ts here and test/golden/inplace-graph.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arange, manualSeed, nn, noGrad, optim, tensor, zeros } from '../../src/index.js';
import { readFileSync } from 'node:fs';
import { embeddedDataDir } from '../../src/data/mnist.js';
import { join } from 'node:path';

test('a hand-written SGD step (p.sub_(p.grad.mul(lr)) inside noGrad, then grad.zero_()) gives optim.SGD\'s weights bit for bit', () => {
  const images = readFileSync(join(embeddedDataDir(), 't10k-images-idx3-ubyte')).subarray(16);
  const build = (): nn.Sequential => {
    manualSeed(3);
    return new nn.Sequential(new nn.Linear(784, 20), new nn.Sigmoid(), new nn.Linear(20, 10), new nn.Sigmoid());
  };
  const byHand = build();
  const byOptim = build();
  const opt = new optim.SGD(byOptim.parameters(), 0.05);
  const lossFn = new nn.MSELoss();
  for (let step = 0; step < 40; step++) {
    const x = tensor(Array.from(images.subarray(step * 784, (step + 1) * 784), (v) => v / 255));
    const y = zeros(10);
    y.data[step % 10] = 1;
    lossFn.forward(byHand.forward(x), y).backward();
    noGrad(() => {
      for (const p of byHand.parameters()) {
        p.sub_(p.grad!.mul(0.05));
        p.grad!.zero_();
      }
    });
    opt.zeroGrad();
    lossFn.forward(byOptim.forward(x), y).backward();
    opt.step();
  }
  const a = byHand.parameters().map((p) => Array.from(p.toArray()));
  const b = byOptim.parameters().map((p) => Array.from(p.toArray()));
  assert.deepEqual(a, b);
});

test('in-place ops write through views and strides, broadcast the other operand, and return the tensor', () => {
  const a = arange(6).reshape(2, 3);
  assert.equal(a.T.mul_(2).shape[0], 3);
  assert.deepEqual(Array.from(a.toArray()), [0, 2, 4, 6, 8, 10]);
  a.narrow(1, 1, 2).fill_(-1);
  assert.deepEqual(Array.from(a.toArray()), [0, -1, -1, 6, -1, -1]);
  const b = zeros(2, 3);
  b.copy_(tensor([1, 2, 3])).clamp_(1.5, 2.5).add_(tensor([1, 1, 1]), 10).div_(2);
  assert.deepEqual(Array.from(b.toArray()), [5.75, 6, 6.25, 5.75, 6, 6.25]);
  b.sub_(1, 2).zero_();
  assert.deepEqual(Array.from(b.toArray()), [0, 0, 0, 0, 0, 0]);
  // A weight stored transposed (nn.Linear's) is written in its own layout.
  manualSeed(0);
  const lin = new nn.Linear(3, 2);
  const w = Array.from(lin.weight.toArray());
  noGrad(() => lin.weight.add_(arange(6).reshape(2, 3)));
  assert.deepEqual(Array.from(lin.weight.toArray()), w.map((v, i) => Math.fround(v + i)));
});

test('a leaf that requires grad is refused outside noGrad, as in PyTorch; an operand that requires grad puts the change in the graph', () => {
  const leaf = tensor([1, 2], { requiresGrad: true });
  assert.throws(() => leaf.add_(1), /add_: a leaf tensor that requires grad cannot be changed in place .*noGrad/);
  assert.throws(() => leaf.relu_(), /relu_: a leaf tensor that requires grad/);
  // A tensor that requires no grad takes the operand's gradient from then on, as PyTorch's.
  const acc = zeros(2);
  acc.add_(leaf);
  assert.equal(acc.requiresGrad, true);
  assert.equal(acc.isLeaf, false);
  assert.equal(acc.gradFn?.torchName, 'AddBackward0');
  acc.mul(3).sum().backward();
  assert.deepEqual(leaf.grad?.tolist(), [3, 3]);
  // fill_ with a 0-d tensor that requires grad: its gradient is the sum of the filled elements'.
  const s = tensor(3, { requiresGrad: true });
  const filled = zeros(2).fill_(s);
  filled.mul(tensor([2, 5])).sum().backward();
  assert.equal(s.grad?.item(), 7);
  assert.equal(filled.gradFn?.torchName, 'FillBackward3');
  // PyTorch 1.13 names fill_ with a 0-d tensor FillBackward3 whether or not the tensor requires grad (with a number, 2).
  assert.equal(leaf.mul(1).fill_(tensor(2)).gradFn?.torchName, 'FillBackward3');
  assert.equal(leaf.mul(1).fill_(2).gradFn?.torchName, 'FillBackward2');
  assert.deepEqual(noGrad(() => zeros(2).fill_(tensor(3, { requiresGrad: true }))).requiresGrad, false);
  // On an expand, fill_ and zero_ write one value into the shared elements, as PyTorch 1.13 accepts them; the ops whose
  // result depends on the order of the writes, and these with autograd following, are refused, as PyTorch's.
  const one = tensor([[1], [2]]);
  one.expand(2, 3).fill_(tensor(5));
  assert.deepEqual(one.tolist(), [[5], [5]]);
  one.expand(2, 3).zero_();
  assert.deepEqual(one.tolist(), [[0], [0]]);
  assert.throws(() => arange(3).expand(2, 3).add_(1), /add_: several elements of this tensor share one memory location/);
  assert.throws(() => arange(3).expand(2, 3).maskedFill_(tensor(1), 7), /maskedFill_: several elements of this tensor share one memory location/);
  assert.throws(() => leaf.mul(2).narrow(0, 0, 1).expand(3).fill_(1), /fill_: several elements of this tensor share one memory location/);
  assert.throws(() => zeros(3).add_(zeros(2, 3)), /add_: the result has shape \[2, 3\], which cannot be written into a tensor of shape \[3\]/);
  // Inside noGrad a leaf may be changed, as in PyTorch.
  noGrad(() => leaf.mul_(10));
  assert.deepEqual(Array.from(leaf.toArray()), [10, 20]);
});

test('zero_ on a gradient clears it as zeroGrad does, and the next backward adds from zero', () => {
  manualSeed(1);
  const lin = new nn.Linear(4, 3);
  const x = tensor([[0, 1, 0, 2]]);
  lin.forward(x).sum().backward();
  const first = Array.from(lin.weight.grad!.toArray());
  lin.weight.grad!.zero_();
  lin.bias!.grad!.zero_();
  assert.deepEqual(Array.from(lin.weight.grad!.toArray()), new Array(12).fill(0));
  lin.forward(x).sum().backward();
  assert.deepEqual(Array.from(lin.weight.grad!.toArray()), first);
  assert.deepEqual(Array.from(lin.bias!.grad!.toArray()), [1, 1, 1]);
});

test('add_ and sub_ take alpha by position or as PyTorch\'s keyword, and refuse anything else', () => {
  const x = tensor([1, 2, 3]);
  x.add_(tensor([1, 1, 1]), { alpha: 3 });
  assert.deepEqual(Array.from(x.toArray()), [4, 5, 6]);
  x.sub_(tensor([1, 2, 3]), 2);
  assert.deepEqual(Array.from(x.toArray()), [2, 1, 0]);
  x.sub_(0.5, { alpha: 2 });
  assert.deepEqual(Array.from(x.toArray()), [1, 0, -1]);
  x.add_(1, {});
  assert.deepEqual(Array.from(x.toArray()), [2, 1, 0]);
  assert.throws(() => x.add_(1, { alhpa: 2 } as never), /^TypeError: add_: unknown option "alhpa" \(did you mean alpha\?\)/);
  assert.throws(() => x.sub_(1, '2' as never), /^TypeError: sub_: alpha must be a number .*got the string "2"/);
  assert.deepEqual(Array.from(x.toArray()), [2, 1, 0], 'a refused call changes nothing');
  // A NaN or infinite alpha is taken, as PyTorch 1.13 takes it: x + inf·[1, 0, −1] is [inf, NaN, −inf] + x.
  const y = tensor([1, 0, -1]);
  assert.deepEqual(Array.from(x.clone().add_(y, Number.POSITIVE_INFINITY).toArray()), [Infinity, NaN, -Infinity]);
  assert.deepEqual(Array.from(x.clone().sub_(y, { alpha: Number.NaN }).toArray()), [NaN, NaN, NaN]);
});

test('copy_ from an overlapping view of the same tensor copies the source as it was (a shift by one, rows or elements)', () => {
  const a = arange(5);
  a.narrow(0, 1, 4).copy_(a.narrow(0, 0, 4));
  assert.deepEqual(a.tolist(), [0, 0, 1, 2, 3]);
  const b = arange(5);
  b.narrow(0, 0, 4).copy_(b.narrow(0, 1, 4));
  assert.deepEqual(b.tolist(), [1, 2, 3, 4, 4]);
  const m = arange(12).reshape(4, 3);
  m.narrow(0, 1, 3).copy_(m.narrow(0, 0, 3));
  assert.deepEqual(m.tolist(), [[0, 1, 2], [0, 1, 2], [3, 4, 5], [6, 7, 8]]);
  // A broadcast source row from the same tensor, and a transposed copy of itself.
  const r = arange(6).reshape(2, 3);
  r.copy_(r.select(0, 1));
  assert.deepEqual(r.tolist(), [[3, 4, 5], [3, 4, 5]]);
  const s = arange(9).reshape(3, 3);
  s.copy_(s.T);
  assert.deepEqual(s.tolist(), [[0, 3, 6], [1, 4, 7], [2, 5, 8]]);
  // add_ with an overlapping view reads the operand as it was too.
  const c = arange(5);
  c.narrow(0, 1, 4).add_(c.narrow(0, 0, 4));
  assert.deepEqual(c.tolist(), [0, 1, 3, 5, 7]);
});

test('indexAdd takes a NaN alpha as PyTorch 1.13 does (index_add(0, [0, 1], [1, 0], alpha=nan) of zeros(3) is [nan, nan, 0])', () => {
  const out = zeros([3]).indexAdd(0, tensor([0, 1]), tensor([1, 0]), { alpha: Number.NaN });
  assert.deepEqual(Array.from(out.toArray()), [NaN, NaN, 0]);
});
