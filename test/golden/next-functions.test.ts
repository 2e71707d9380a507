// `gradFn.nextFunctions`, PyTorch's `grad_fn.next_functions`, against PyTorch 1.13's graphs for the same programs
// (fixtures/torch/next-functions.json, written by make_next_functions.py): each node's edges in PyTorch's order, with
// PyTorch's input numbers (unbind's and split's pieces), AccumulateGrad for the leaves (its `variable` the leaf, one
// object per leaf) and null where no gradient goes, walked to the leaves.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arange, autograd, cat, F, indexPut, nn, ones, pow, rsub, stack, tensor, where, zeros, type GradFn, type Tensor } from '../../src/index.js';
import { loadFixture } from './golden-helpers.js';

type Graph = null | string | [string, [Graph, number][]];
const fx = loadFixture<{ programs: Record<string, Graph>; views: Record<string, Graph> }>('next-functions.json');

/** Values 0.1, 0.2, … in the given shape, a leaf that requires grad (the fixture's `L`). */
const L = (...shape: number[]): Tensor => arange(1, 1 + shape.reduce((a, b) => a * b, 1)).div(10).reshape(shape).requiresGrad_();

/** The node as the fixture writes it: [name, [[next, input number], …]], "AG:<leaf>" for an AccumulateGrad. */
function describe(fn: GradFn | null, names: Record<string, Tensor>, depth = 8): Graph {
  if (fn === null) return null;
  const name = fn.torchName!;
  if (fn instanceof autograd.AccumulateGrad) {
    const leaf = Object.entries(names).find(([, t]) => t === fn.variable)?.[0];
    return `AG:${leaf ?? `leaf[${fn.variable.shape.join(', ')}]`}`;
  }
  if (depth === 0) return name;
  return [name, fn.nextFunctions!.map(([next, n]): [Graph, number] => [describe(next, names, depth - 1), n])];
}

/** A recurrent cell's parameters by the fixture's names. */
const cellNames = (c: nn.LSTMCell | nn.GRUCell): Record<string, Tensor> => ({ wih: c.weightIh, whh: c.weightHh, bih: c.biasIh!, bhh: c.biasHh! });

type Program = () => [Tensor, Record<string, Tensor>];
/** The fixture's programs, in Kindling. */
const PROGRAMS: Record<string, Program> = {
  'mul add': () => { const a = L(3), b = L(3); return [a.mul(b).add(a), { a, b }]; },
  'sub const tensor': () => { const a = L(3), c = ones(3); return [a.sub(c).mul(c), { a }]; },
  'const minus leaf': () => { const a = L(3), c = ones(3); return [c.sub(a), { a }]; },
  'div both': () => { const a = L(3), b = L(3); return [b.div(a), { a, b }]; },
  'matmul 2d': () => { const a = L(2, 3), w = L(3, 4); return [a.matmul(w), { a, w }]; },
  'linear data': () => { const x = ones(2, 3), w = L(4, 3), b = L(4); return [F.linear(x, w, b).relu().sum(), { w, b }]; },
  'linear frozen w': () => { const x = L(2, 3), w = ones(4, 3), b = L(4); return [F.linear(x, w, b), { x, b }]; },
  'linear no bias data': () => { const x = ones(2, 3), w = L(4, 3); return [F.linear(x, w).sigmoid(), { w }]; },
  'mlp mse': () => {
    const x = ones(2, 3), w1 = L(4, 3), b1 = L(4), w2 = L(1, 4), b2 = L(1), y = zeros(2, 1);
    const h = F.leakyRelu(F.linear(x, w1, b1), 0.1); return [F.mseLoss(F.linear(h, w2, b2), y), { w1, b1, w2, b2 }];
  },
  'bce sigmoid': () => { const x = ones(2, 3), w = L(1, 3), b = L(1), y = ones(2, 1); return [F.binaryCrossEntropy(F.linear(x, w, b).sigmoid(), y), { w, b }]; },
  'layernorm affine': () => { const x = L(2, 3), g = L(3), b = L(3); return [F.layerNorm(x, [3], g, b), { x, g, b }]; },
  'unbind pair': () => { const x = L(3, 2); const [a, b, c] = x.unbind(); return [a.mul(c).add(b), { x }]; },
  'unbind of op': () => { const x = L(3, 2); const [a, , c] = x.exp().unbind(); return [c.sub(a), { x }]; },
  'split pieces': () => { const x = L(5, 2); const p = x.exp().split(2); return [p[2].mul(p[1].sum()), { x }]; },
  'split sizes': () => { const x = L(5, 2); const p = x.exp().split([1, 3, 1]); return [p[2].add(p[0]), { x }]; },
  'chunk pieces': () => { const x = L(6); const p = x.sin().chunk(3); return [p[1].mul(p[2]), { x }]; },
  'iterate': () => { const x = L(3, 2); const r = [...x.tanh()]; return [r[2].add(r[1]), { x }]; },
  'max dim values': () => { const x = L(3, 2); return [x.max(1).values.mul(2), { x }]; },
  'sort values': () => { const x = L(4); return [x.sort().values.add(1), { x }]; },
  'view chain': () => { const x = L(2, 3); return [x.view(3, 2).t().unsqueeze(0).sum(), { x }]; },
  'select narrow': () => { const x = L(3, 4); return [x.select(0, 1).narrow(0, 1, 2).mul(x.select(0, 2).narrow(0, 0, 2)), { x }]; },
  'expand broadcast': () => { const x = L(3), y = L(2, 1); return [x.add(y), { x, y }]; },
  'cat three': () => { const x = L(2), y = L(3); return [cat([x, ones(2), y.exp()]), { x, y }]; },
  'stack mixed': () => { const x = L(2); return [stack([x, ones(2), x.cos()]), { x }]; },
  'inplace relu': () => { const x = L(3); const y = x.mul(2); y.relu_(); return [y.mul(3), { x }]; },
  'inplace add tensor': () => { const x = L(3), w = L(3); const y = x.exp(); y.add_(w); return [y, { x, w }]; },
  'inplace acc': () => { const w = L(3); const acc = zeros(3); acc.add_(w); acc.mul_(2); return [acc, { w }]; },
  'inplace through view': () => { const x = L(2, 3), w = L(3); const y = x.clone(); y.select(0, 1).mul_(w); return [y, { x, w }]; },
  'copy into zeros': () => { const h = L(3); const out = zeros(2, 3); out.select(0, 0).copy_(h); out.select(0, 1).copy_(h.exp()); return [out, { h }]; },
  'view after inplace': () => { const x = L(2, 3); const y = x.clone(); const v = y.view(6); y.mul_(2); return [v.add(1), { x }]; },
  'where': () => { const x = L(3), y = L(3); return [where(x.gt(0.15), x, y), { x, y }]; },
  'clamp tensor': () => { const x = L(3), lo = L(3); return [x.clamp(lo), { x, lo }]; },
  'addcmul': () => { const a = L(3), b = L(3), c = L(3); return [a.addcmul(b, c, 2), { a, b, c }]; },
  'softmax ce': () => { const x = L(2, 3); return [F.crossEntropy(x, tensor([0, 2])), { x }]; },
  'conv': () => { const i = L(1, 1, 4, 4), k = L(2, 1, 3, 3), b = L(2); return [F.conv2d(i, k, b).relu().mean(), { i, k, b }]; },
  'pow tensor': () => { const a = L(3), b = L(3); return [a.pow(b).add(pow(2, b)), { a, b }]; },
  'detach mix': () => { const a = L(3); return [a.mul(a.detach()), { a }]; },
  'leaf no grad mix': () => { const a = L(3), b = ones(3); return [a.mul(b).add(b.mul(a)), { a }]; },
  'same leaf twice': () => { const a = L(3); return [a.add(a), { a }]; },
  'norm layer sum': () => { const x = L(2, 4); return [F.groupNorm(x.unsqueeze(2), 2, L(4), L(4)), { x }]; },
  'batchnorm affine': () => { const x = L(3, 2), w = L(2), b = L(2); return [F.batchNorm(x, null, null, w, b, true), { x, w, b }]; },
  'embedding': () => { const W = L(4, 3); return [F.embedding(tensor([1, 3]), W).sum(), { W }]; },
  'glu': () => { const x = L(2, 4); return [F.glu(x), { x }]; },
  'logsigmoid': () => { const x = L(3); return [F.logsigmoid(x), { x }]; },
  'gather': () => { const x = L(2, 3); return [x.gather(1, tensor([[0], [2]])), { x }]; },
  'index': () => { const x = L(4, 2); return [x.index([tensor([0, 2, 2])]), { x }]; },
  'rsub tensor': () => { const a = L(3), b = L(3); return [rsub(a, b.exp()), { a, b }]; },
  'rsub scalar': () => { const a = L(3); return [rsub(a, 2), { a }]; },
  'index put': () => { const x = L(4, 2), v = L(2, 2); return [indexPut(x.exp(), [tensor([0, 2])], v), { x, v }]; },
  'index put two': () => { const x = L(4, 2), v = L(2); return [indexPut(x, [tensor([0, 2]), tensor([1, 0])], v.sin()), { x, v }]; },
  'index put mask': () => { const x = L(4, 2); return [indexPut(x.exp(), [tensor([true, false, true, false])], ones(2)), { x }]; },
  'lstm cell h': () => { const c = new nn.LSTMCell(3, 2), x = L(2, 3); return [c.forward(x)[0], { x, ...cellNames(c) }]; },
  'lstm cell c': () => { const c = new nn.LSTMCell(3, 2), x = L(2, 3); return [c.forward(x)[1], { x, ...cellNames(c) }]; },
  'gru cell': () => { const c = new nn.GRUCell(3, 2), x = L(2, 3); return [c.forward(x), { x, ...cellNames(c) }]; },
};

test('the programs are the fixture\'s', () => {
  assert.deepEqual(Object.keys(PROGRAMS).sort(), Object.keys(fx.programs).sort());
});

test('each program\'s graph, walked through nextFunctions to the leaves, is PyTorch\'s', () => {
  const wrong: string[] = [];
  for (const [name, want] of Object.entries(fx.programs)) {
    const [out, names] = PROGRAMS[name]!();
    const got = describe(out.gradFn, names);
    if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`${name}: PyTorch ${JSON.stringify(want)}, Kindling ${JSON.stringify(got)}`);
  }
  assert.deepEqual(wrong, []);
});

const VIEW_CHANGES: Record<string, (v: Tensor, w: Tensor) => void> = {
  'copy const': (v) => v.copy_(ones(3)), fill: (v) => v.fill_(2), zero: (v) => v.zero_(), relu: (v) => v.relu_(),
  'mul scalar': (v) => v.mul_(2), 'add const': (v) => v.add_(ones(3)), addcmul: (v, w) => v.addcmul_(w, ones(3)),
  masked_fill: (v) => v.maskedFill_(tensor([1, 0, 1]), 0), 'clamp_ tensor': (v, w) => v.clamp_(w), lerp: (v, w) => v.lerp_(w, 0.5),
};

test('an in-place change through a view: CopySlices sends to the base and to the change\'s other operands, as PyTorch\'s', () => {
  assert.deepEqual(Object.keys(VIEW_CHANGES).sort(), Object.keys(fx.views).sort());
  for (const [name, want] of Object.entries(fx.views)) {
    const x = L(2, 3);
    const w = L(3);
    const y = x.clone();
    VIEW_CHANGES[name]!(y.select(0, 1), w);
    assert.deepEqual(describe(y.gradFn, { x, w }), want, name);
  }
});

test('AccumulateGrad is one object per leaf, with the leaf as variable, no edges, and is no tensor\'s gradFn', () => {
  // PyTorch 1.13: (w * 2).grad_fn.next_functions[0][0] is (w + 1).grad_fn.next_functions[0][0] → True (while both live).
  const w = L(3);
  const a = w.mul(2).gradFn!.nextFunctions![0]![0]!;
  const b = w.add(1).gradFn!.nextFunctions![0]![0]!;
  assert.ok(a instanceof autograd.AccumulateGrad);
  assert.equal(a, b);
  assert.equal(a.variable, w);
  assert.equal(a.torchName, 'AccumulateGrad');
  assert.deepEqual(a.nextFunctions, []);
  assert.equal(w.gradFn, null);
  assert.notEqual(L(3).mul(2).gradFn!.nextFunctions![0]![0], a, 'another leaf, another node');
});

test('a tutorial\'s walk from the loss: MseLossBackward0 → AddmmBackward0 → its bias\'s AccumulateGrad, then LeakyReluBackward0', () => {
  const x = ones(2, 3);
  const w1 = L(4, 3), b1 = L(4), w2 = L(1, 4), b2 = L(1);
  const loss = F.mseLoss(F.linear(F.leakyRelu(F.linear(x, w1, b1), 0.1), w2, b2), zeros(2, 1));
  const top = loss.gradFn!.nextFunctions![0]![0]!;
  assert.equal(top.torchName, 'AddmmBackward0');
  const [bias, input, weight] = top.nextFunctions!;
  assert.equal((bias![0] as InstanceType<typeof autograd.AccumulateGrad>).variable, b2);
  assert.equal(input![0]!.torchName, 'LeakyReluBackward0');
  assert.equal(weight![0]!.torchName, 'TBackward0');
  assert.equal(weight![0], top.nextFunctions![2]![0], 'the same TBackward0 each time it is read');
});
