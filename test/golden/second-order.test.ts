// Gradients of gradients (createGraph) against PyTorch 1.13 (fixtures/torch/second-order.json, from
// make_second_order.py): second and third derivatives of elementwise ops, a gradient penalty on an MLP with the
// chapter's layers (Linear, LeakyReLU, LayerNorm, Sigmoid, BCE), backward({ createGraph }) leaving a .grad with a
// graph, and autograd.functional's hessian, vhp, hvp and jvp.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autograd, F, manualSeed, nn, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

type E = EncodedTensor;
const fx = loadFixture<{
  elementwise: { x: E; g: E; h: E; g1: E; g2: E; g3: E };
  penalty: { x: E; target: E; loss: number; gx: E; gp: number; grads: Record<string, E>; gradHasGraph: boolean; first: E; gsum: E };
  critic: { x: E; score: number; gx: E; gp: number; grads: Record<string, E | null> };
  maml: { xs: E; ys: E; xq: E; yq: E; inner: number; meta: number; grads: Record<string, E> };
  classifier: { x: E; w: E; v: E; target: E; hvp: E; vhp: E };
  functional: { a: E; b: E; h: E[][]; single: E; u: E; w: E; jvpOut: E; jvp: E };
}>('second-order.json');

// Second derivatives are computed by other formulas than PyTorch's fused double-backward kernels (the same
// mathematics, other float32 roundings): close, not bit for bit.
const TOL = { rtol: 1e-4, atol: 1e-5 };

test('createGraph: first, second and third derivatives of elementwise ops match PyTorch', () => {
  const e = fx.elementwise;
  const x = decode(e.x, true);
  const y = x.pow(3).add(x.tanh()).add(x.sigmoid().mul(x)).add(F.softplus(x)).add(F.gelu(x)).add(F.silu(x)).add(F.elu(x))
    .add(F.leakyRelu(x, 0.1).mul(x)).add(x.exp().mul(0.1)).add(x.mul(x).add(1).sqrt()).add(x.mul(x).add(1).log())
    .add(x.sin().mul(x.cos())).sum();
  const [g] = autograd.grad(y, x, { createGraph: true });
  assert.ok(g!.requiresGrad, 'the gradient is a tensor of the graph');
  assertTensorClose(g!, e.g, 'first derivative', TOL);
  const [h] = autograd.grad(g!.sum(), x);
  assertTensorClose(h!, e.h, 'second derivative', TOL);
  const z = decode(e.x, true);
  const f = z.exp().mul(z.sin()).sum();
  const [g1] = autograd.grad(f, z, { createGraph: true });
  const [g2] = autograd.grad(g1!.sum(), z, { createGraph: true });
  const [g3] = autograd.grad(g2!.sum(), z);
  assertTensorClose(g1!, e.g1, 'd/dz', TOL);
  assertTensorClose(g2!, e.g2, 'd²/dz²', TOL);
  assertTensorClose(g3!, e.g3, 'd³/dz³', TOL);
  assert.equal(g3!.requiresGrad, false, 'without createGraph the last gradient has no graph');
});

function mlp(): nn.Sequential {
  manualSeed(0);
  return new nn.Sequential(new nn.Linear(6, 5), new nn.LeakyReLU(0.01), new nn.LayerNorm(5), new nn.Linear(5, 3), new nn.Sigmoid());
}

test('createGraph: a gradient penalty (the norm of the input gradient) trains the weights as in PyTorch', () => {
  const p = fx.penalty;
  const net = mlp();
  const x = decode(p.x, true);
  const loss = F.binaryCrossEntropy(net.forward(x), decode(p.target));
  assert.ok(Math.abs(loss.item() - p.loss) <= 1e-6);
  const [gx] = autograd.grad(loss, x, { createGraph: true });
  assertTensorClose(gx!, p.gx, 'input gradient', TOL);
  const gp = gx!.norm(2, 1).sub(1).pow(2).mean();
  assert.ok(Math.abs(gp.item() - p.gp) <= 1e-4 * Math.abs(p.gp), `penalty ${gp.item()} against ${p.gp}`);
  loss.add(gp.mul(10)).backward();
  for (const [name, param] of net.namedParameters()) assertTensorClose(param.grad, p.grads[name]!, `${name}.grad`, TOL);
});

test('createGraph: a convolutional critic\'s gradient penalty (Conv2d, BatchNorm2d in training, LeakyReLU) as in PyTorch', () => {
  const c = fx.critic;
  manualSeed(0);
  const net = new nn.Sequential(new nn.Conv2d(1, 3, 3, { padding: 1, bias: false }), new nn.BatchNorm2d(3), new nn.LeakyReLU(0.2),
    new nn.Conv2d(3, 2, 3, { stride: 2 }), new nn.Flatten(), new nn.Linear(8, 1));
  const x = decode(c.x, true);
  const score = net.forward(x).sum();
  assert.ok(Math.abs(score.item() - c.score) <= 1e-5 * Math.abs(c.score));
  const [gx] = autograd.grad(score, x, { createGraph: true });
  assertTensorClose(gx!, c.gx, 'input gradient', TOL);
  const gp = gx!.flatten(1).norm(2, 1).sub(1).pow(2).mean();
  assert.ok(Math.abs(gp.item() - c.gp) <= 1e-4 * Math.abs(c.gp), `penalty ${gp.item()} against ${c.gp}`);
  gp.backward();
  for (const [name, param] of net.namedParameters()) {
    const want = c.grads[name]!;
    // null where the penalty does not reach the parameter (a bias adding a constant to the score): no .grad, as in PyTorch.
    if (want === null) assert.equal(param.grad, null, `${name}.grad`);
    else assertTensorClose(param.grad, want, `${name}.grad`, TOL);
  }
});

test('createGraph: second-order MAML through functionalCall trains the initial weights as in PyTorch', () => {
  const m = fx.maml;
  manualSeed(0);
  const net = new nn.Sequential(new nn.Linear(3, 8), new nn.Tanh(), new nn.Linear(8, 1));
  const params = new Map(net.namedParameters());
  const inner = F.mseLoss(nn.utils.stateless.functionalCall(net, params, [decode(m.xs)]) as Tensor, decode(m.ys));
  assert.ok(Math.abs(inner.item() - m.inner) <= 1e-6);
  const grads = autograd.grad(inner, [...params.values()], { createGraph: true });
  const fast = new Map([...params].map(([name, p], i) => [name, p.sub(grads[i]!.mul(0.5))]));
  const meta = F.mseLoss(nn.utils.stateless.functionalCall(net, fast, [decode(m.xq)]) as Tensor, decode(m.yq));
  assert.ok(Math.abs(meta.item() - m.meta) <= 1e-5 * m.meta, `meta loss ${meta.item()} against ${m.meta}`);
  meta.backward();
  // The meta-gradient goes through the inner step's gradient: its second-order part is what first-order MAML drops.
  for (const [name, param] of net.namedParameters()) assertTensorClose(param.grad, m.grads[name]!, `${name}.grad`, TOL);
});

test('backward({ createGraph }): .grad keeps a graph that can be differentiated again', () => {
  const p = fx.penalty;
  const net = mlp();
  F.mseLoss(net.forward(decode(p.x, true)), decode(p.target)).backward({ createGraph: true });
  const w = net.at(0)!.parameters()[0]!;
  const wg = w.grad!;
  assert.equal(wg.requiresGrad, p.gradHasGraph);
  assertTensorClose(wg, p.first, 'first-order .grad', TOL);
  const [gsum] = autograd.grad(wg.pow(2).sum(), w);
  assertTensorClose(gsum!, p.gsum, 'gradient of Σ .grad²', TOL);
});

test('hvp and vhp: cross-entropy and softmax through a product, with respect to the weights', () => {
  const c = fx.classifier;
  const x = decode(c.x);
  const target = decode(c.target);
  const f = (w: Tensor): Tensor => F.crossEntropy(x.matmul(w), target).add(x.matmul(w).softmax(1).pow(2).sum().mul(0.1));
  const [value, hv] = autograd.functional.hvp(f, decode(c.w), decode(c.v));
  assert.equal(value.requiresGrad, false);
  assertTensorClose(hv, c.hvp, 'hvp', TOL);
  assertTensorClose(autograd.functional.vhp(f, decode(c.w), decode(c.v))[1], c.vhp, 'vhp', TOL);
});

test('hessian of two inputs, of one, and jvp, as torch.autograd.functional', () => {
  const fn = fx.functional;
  const f = (a: Tensor, b: Tensor): Tensor => a.pow(3).mul(b).sum().add(a.mul(b).tanh().sum()).add(b.log().mul(a).sum());
  const h = autograd.functional.hessian(f, [decode(fn.a), decode(fn.b)]);
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) assertTensorClose(h[i]![j]!, fn.h[i]![j]!, `H[${i}][${j}]`, TOL);
  assertTensorClose(autograd.functional.hessian((a) => a.pow(3).add(a.sin()).sum(), decode(fn.a)), fn.single, 'hessian of one input', TOL);
  const [out, jv] = autograd.functional.jvp((a: Tensor, b: Tensor) => a.mul(b).sigmoid().add(a.exp()), [decode(fn.a), decode(fn.b)], [decode(fn.u), decode(fn.w)]);
  assertTensorClose(out, fn.jvpOut, 'jvp output', TOL);
  assertTensorClose(jv, fn.jvp, 'jvp', TOL);
});
