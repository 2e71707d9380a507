// autograd.grad, backward({ inputs }), autograd.backward and autograd.functional's jacobian and vjp against PyTorch
// 1.13 (fixtures/torch/autograd-grad.json, from make_autograd_grad.py): the gradients of a 784-8-10 MLP's loss with
// respect to chosen parameters, its input and its hidden layer (nothing added into .grad); where hooks and
// retainGrad run and what the returned gradient holds; several outputs, repeated inputs, allowUnused; Jacobians and
// vector-Jacobian products; and PyTorch's refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autograd, F, manualSeed, nn, tensor, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

type E = EncodedTensor;
const fx = loadFixture<{
  model: { x: E; target: E; loss: number; gw0: E; gb0: E; gw2: E; untouched: boolean; w2grad: E; only: Record<string, boolean>; gHidden: E; gInput: E };
  hooks: {
    gy: E; gx: E; yGrad: E; xGradNone: boolean; gxLeafHook: E; gyOnly: E; yOnlyGradNone: boolean; callsAfterYOnly: number;
    dGrad: E; xGradAfterD: boolean; xGradHooked: E; wGradNone: boolean;
  };
  many: { a: E; b: E; gy: E; got: E[]; both: E; allowA: E; allowUnusedNone: boolean; itself: E[]; backwardA: E; backwardB: E };
  functional: { u: E; v: E; jac: E[][]; one: E; scalar: E; unused: E[]; vv: E; vjpOut: E; vjp: E[]; scalarOut: E; scalarVjp: E };
  refusals: Record<string, { type: string; message: string }>;
}>('autograd-grad.json');

const TOL = { rtol: 1e-5, atol: 1e-7 };
const EXACT = { rtol: 0, atol: 0 };

function mlp(): nn.Sequential {
  manualSeed(0);
  return new nn.Sequential(new nn.Linear(784, 8), new nn.Sigmoid(), new nn.Linear(8, 10));
}

/** The parameter of `net` named `name` ('0.weight'). */
const param = (net: nn.Module, name: string): Tensor => net.namedParameters().find(([n]) => n === name)![1];

test('grad: a model\'s loss with respect to chosen parameters, as PyTorch\'s, with no .grad touched', () => {
  const m = fx.model;
  const net = mlp();
  const loss = F.mseLoss(net.forward(decode(m.x)), decode(m.target));
  assert.ok(Math.abs(loss.item() - m.loss) <= 1e-6 * Math.abs(m.loss));
  const [gw0, gb0, gw2] = autograd.grad(loss, [param(net, '0.weight'), param(net, '0.bias'), param(net, '2.weight')], { retainGraph: true });
  assertTensorClose(gw0!, m.gw0, '0.weight', TOL);
  assertTensorClose(gb0!, m.gb0, '0.bias', TOL);
  assertTensorClose(gw2!, m.gw2, '2.weight', TOL);
  assert.equal(m.untouched, true);
  for (const [name, p] of net.namedParameters()) assert.equal(p.grad, null, `${name}.grad stays null`);
  // backward({ inputs }): only the chosen parameter gets its .grad, the same values as grad() returned.
  loss.backward({ inputs: [param(net, '2.weight')] });
  for (const [name, p] of net.namedParameters()) assert.equal(p.grad !== null, m.only[name], `${name}.grad filled: ${m.only[name]}`);
  assertTensorClose(param(net, '2.weight').grad, m.w2grad, '2.weight.grad', TOL);
});

test('grad: with respect to the input and to a hidden layer (a tensor computed by an op)', () => {
  const m = fx.model;
  const net = mlp();
  const x = decode(m.x, true);
  const hidden = (net.at(1) as nn.Module).forward((net.at(0) as nn.Module).forward(x));
  const loss = F.mseLoss((net.at(2) as nn.Module).forward(hidden), decode(m.target));
  const [gh, gx] = autograd.grad(loss, [hidden, x]);
  assertTensorClose(gh!, m.gHidden, 'hidden', TOL);
  assertTensorClose(gx!, m.gInput, 'input', TOL);
  assert.equal(x.grad, null);
  for (const p of net.parameters()) assert.equal(p.grad, null);
});

test('grad: a non-leaf input\'s gradient before its hooks; the hooks act on what flows past it; leaf hooks do not run', () => {
  const h = fx.hooks;
  const x = tensor([1, 2, 3], { requiresGrad: true });
  const w = tensor([0.5, -1, 2], { requiresGrad: true });
  const y = x.mul(w);
  const z = y.mul(y).sum();
  y.registerHook((g) => g.mul(10));
  y.retainGrad();
  const [gy, gx] = autograd.grad(z, [y, x], { retainGraph: true });
  assertTensorClose(gy!, h.gy, 'y', EXACT);
  assertTensorClose(gx!, h.gx, 'x', EXACT);
  assertTensorClose(y.grad, h.yGrad, 'y.grad from retainGrad', EXACT);
  assert.equal(x.grad === null, h.xGradNone);
  const handle = x.registerHook((g) => g.mul(100));
  assertTensorClose(autograd.grad(z, [x], { retainGraph: true })[0]!, h.gxLeafHook, 'x with a leaf hook', EXACT);
  handle.remove();

  const y2 = x.mul(2);
  y2.retainGrad();
  let calls = 0;
  y2.registerHook((g) => {
    calls++;
    return g.mul(10);
  });
  const z2 = y2.mul(y2).sum();
  assertTensorClose(autograd.grad(z2, [y2], { retainGraph: true })[0]!, h.gyOnly, 'only y', EXACT);
  assert.equal(y2.grad === null, h.yOnlyGradNone);
  assert.equal(calls, h.callsAfterYOnly);

  const d = x.mul(w);
  const e = d.mul(d).sum();
  e.backward({ inputs: [d], retainGraph: true });
  assertTensorClose(d.grad, h.dGrad, 'backward({ inputs: [d] }) fills d.grad', EXACT);
  assert.equal(x.grad === null, h.xGradAfterD);
  x.registerHook((g) => g.mul(100));
  e.backward(null, { inputs: x });
  assertTensorClose(x.grad, h.xGradHooked, 'backward({ inputs: x }) through a leaf hook', EXACT);
  assert.equal(w.grad === null, h.wGradNone);
});

test('grad: several outputs with their gradients, repeated inputs, an output as input, allowUnused; autograd.backward', () => {
  const m = fx.many;
  const a = decode(m.a, true);
  const b = decode(m.b, true);
  const unused = tensor([1, 2], { requiresGrad: true });
  const y = a.mul(b).add(a.sin());
  const z = y.mul(b).sum();
  const got = autograd.grad([y, z], [a, b, a], [decode(m.gy), null], { retainGraph: true });
  got.forEach((g, i) => assertTensorClose(g, m.got[i]!, `got[${i}]`, TOL));
  assert.notEqual(got[0], null);
  assertTensorClose(autograd.grad([z, z], [b], { retainGraph: true })[0]!, m.both, 'z twice', TOL);
  const [ga, gu] = autograd.grad(z, [a, unused], { allowUnused: true, retainGraph: true });
  assertTensorClose(ga!, m.allowA, 'allowUnused: a', TOL);
  assert.equal(gu === null, m.allowUnusedNone);
  autograd.grad(z, [z, y], { retainGraph: true }).forEach((g, i) => assertTensorClose(g, m.itself[i]!, `itself[${i}]`, TOL));
  autograd.backward([z, y], [null, decode(m.gy)]);
  assertTensorClose(a.grad, m.backwardA, 'autograd.backward: a.grad', TOL);
  assertTensorClose(b.grad, m.backwardB, 'autograd.backward: b.grad', TOL);
});

test('functional.jacobian and functional.vjp: PyTorch\'s shapes and values', () => {
  const f = fx.functional;
  const u = decode(f.u);
  const v = decode(f.v);
  const jac = autograd.functional.jacobian((p: Tensor, q: Tensor) => [p.unsqueeze(1).mul(q).sin(), p.sum().mul(q.exp())], [u, v]);
  jac.forEach((row, i) => row.forEach((t, j) => assertTensorClose(t, f.jac[i]![j]!, `jac[${i}][${j}]`, TOL)));
  assertTensorClose(autograd.functional.jacobian((t: Tensor) => t.exp().mul(t.sum()), u), f.one, 'one input, one output', TOL);
  assertTensorClose(autograd.functional.jacobian((t: Tensor) => t.mul(t).sum(), v), f.scalar, 'scalar output', TOL);
  autograd.functional.jacobian((p: Tensor) => p.exp(), [u, v]).forEach((t, j) => assertTensorClose(t, f.unused[j]!, `unused[${j}]`, TOL));
  const [out, vj] = autograd.functional.vjp((p: Tensor, q: Tensor) => p.unsqueeze(1).mul(q).tanh(), [u, v], decode(f.vv));
  assertTensorClose(out, f.vjpOut, 'vjp output', TOL);
  assert.equal(out.requiresGrad, false);
  vj.forEach((t, j) => assertTensorClose(t, f.vjp[j]!, `vjp[${j}]`, TOL));
  const [so, sv] = autograd.functional.vjp((p: Tensor) => p.mul(p).sum(), u);
  assertTensorClose(so, f.scalarOut, 'scalar vjp output', TOL);
  assertTensorClose(sv, f.scalarVjp, 'scalar vjp', TOL);
  assert.equal(u.requiresGrad, false, 'the caller\'s inputs are left as they were');
});

/** Asserts that PyTorch's refusal and Kindling's error both say `phrase`. */
function refusedAlike(key: string, fn: () => unknown, phrase: RegExp): void {
  assert.match(fx.refusals[key]!.message, phrase, `PyTorch's ${key}`);
  assert.throws(fn, phrase, key);
}

test('grad, backward and the functional tools refuse what PyTorch refuses', () => {
  const x = tensor([1, 2], { requiresGrad: true });
  const y = x.mul(3);
  const z = y.sum();
  refusedAlike('unused', () => autograd.grad(z, [x, tensor([1], { requiresGrad: true })], { retainGraph: true }), /not have been used in the graph.*allow_?[uU]nused/s);
  refusedAlike('noGradInput', () => autograd.grad(z, [tensor([1])], { retainGraph: true }), /does not require grad/);
  refusedAlike('noGradOutput', () => autograd.grad(tensor(1), [x]), /does not require grad/);
  refusedAlike('notScalar', () => autograd.grad(y, [x], { retainGraph: true }), /grad can be implicitly created only for scalar outputs/);
  refusedAlike('shape', () => autograd.grad(y, [x], tensor([1, 1, 1]), { retainGraph: true }), /\[3\].*\[2\]/);
  refusedAlike('empty', () => autograd.grad(z, [], { retainGraph: true }), /(non-)?empty/);
  refusedAlike('emptyInputs', () => z.backward({ inputs: [], retainGraph: true }), /empty/);
  refusedAlike('strict', () => autograd.functional.jacobian((p: Tensor) => p.exp(), [tensor([1, 2]), tensor([3, 4])], { strict: true }), /independent of input 1.*strict mode/);
  refusedAlike('strictLinearCreateGraph', () => autograd.functional.jacobian((p: Tensor) => p.mul(3), tensor([1, 2]), { createGraph: true, strict: true }), /independent of .*strict mode when create_?[gG]raph/);
  // Not strict, or not linear: the Jacobian is given.
  assert.deepEqual(autograd.functional.jacobian((p: Tensor) => p.mul(3), tensor([1, 2]), { createGraph: true }).tolist(), [[3, 0], [0, 3]]);
  assert.deepEqual(autograd.functional.jacobian((p: Tensor) => p.mul(p), tensor([1, 2]), { createGraph: true, strict: true }).tolist(), [[2, 0], [0, 4]]);
  refusedAlike('vjpNoV', () => autograd.functional.vjp((p: Tensor) => p.exp(), tensor([1, 2])), /can only be (None|left out)/);
  autograd.grad(z, [x]);
  refusedAlike('second', () => autograd.grad(z, [x]), /backward through the graph a second time/i);
  assert.throws(() => autograd.grad(z, [x], { createGraph: 'yes' } as never), /grad: createGraph must be true or false, got the string "yes"/);
  assert.throws(() => autograd.grad(z, [x], { retain: true } as never), /unknown option "retain".*retainGraph/);
});

test('grad takes PyTorch\'s onlyInputs (WGAN-GP\'s only_inputs=True), without effect; false warns, as PyTorch 1.13 does', async () => {
  const x = tensor([1, 2], { requiresGrad: true });
  const y = x.mul(x);
  // PyTorch 1.13: grad(y, x, torch.ones(2), create_graph=True, retain_graph=True, only_inputs=True) is (2, 4).
  const [g] = autograd.grad(y, x, tensor([1, 1]), { createGraph: true, retainGraph: true, onlyInputs: true });
  assert.deepEqual(g!.tolist(), [2, 4]);
  assert.ok(g!.requiresGrad);
  const warned = new Promise<string>((resolve) => process.once('warning', (w) => resolve(w.message)));
  assert.deepEqual(autograd.grad(y, x, tensor([1, 1]), { onlyInputs: false })[0]!.tolist(), [2, 4]);
  assert.match(await warned, /grad: onlyInputs is deprecated and ignored \(as PyTorch's only_inputs/);
  assert.throws(() => autograd.grad(x.sum(), x, { onlyInputs: 1 } as never), /grad: onlyInputs must be true or false, got the number 1/);
});
