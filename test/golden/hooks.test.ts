// Gradient hooks (Tensor.registerHook) and module hooks (registerForwardPreHook, registerForwardHook,
// registerFullBackwardHook) against PyTorch 1.13 (fixtures/torch/hooks.json, from make_hooks.py): the same hooks on
// the same MLP give PyTorch's output, what the hooks saw, the tensors' .grad and the parameters' gradients.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autograd, nn, noGrad, ones, tensor, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

const fx = loadFixture<{
  x: EncodedTensor;
  weights: Record<string, EncodedTensor>;
  tensorHooks: Record<'xGrad' | 'hGrad' | 'hSeen' | 'kGrad', EncodedTensor>;
  moduleHooks: { out: EncodedTensor; upstream: EncodedTensor; act: EncodedTensor; lastIn: EncodedTensor; lastOut: EncodedTensor; firstInNone: boolean; firstOut: EncodedTensor; grads: Record<string, EncodedTensor> };
  hookOrders: Record<string, { hGrad: number[] | null; xGrad: number[] }>;
  backwardHooks: { doubleFirst: number[]; doubleSecond: number[]; doubleCalls: number; nullXGradNone: boolean; nullWeightGrad: number[][] };
  refusals: Record<string, { message: string }>;
}>('hooks.json');
const tol = { rtol: 1e-5, atol: 1e-6 };

test('tensor hooks on a leaf and a non-leaf, in order, one removed, retainGrad before and after a hook: PyTorch\'s gradients', () => {
  const x = decode(fx.x, true);
  x.registerHook((g) => g.mul(2));
  const h = x.mul(3);
  h.retainGrad();
  const seen: Tensor[] = [];
  h.registerHook((g) => {
    seen.push(g.clone());
  });
  h.registerHook((g) => g.add(1));
  h.registerHook((g) => g.mul(100)).remove();
  const k = h.sin();
  k.registerHook((g) => g.mul(0.5));
  k.retainGrad();
  k.mul(k).sum().backward();
  const t = fx.tensorHooks;
  assertTensorClose(x.grad, t.xGrad, 'x.grad', tol);
  assertTensorClose(h.grad, t.hGrad, 'h.grad (retained before the hooks)', tol);
  assertTensorClose(seen[0]!, t.hSeen, 'what the first hook saw', tol);
  assertTensorClose(k.grad, t.kGrad, 'k.grad (retained after the hook)', tol);
});

test('module hooks on an MLP: a pre-hook replacing the input, forward hooks reading and replacing an activation, full backward hooks: PyTorch\'s values and gradients', () => {
  const m = new nn.Sequential(new nn.Linear(4, 3), new nn.Sigmoid(), new nn.Linear(3, 2));
  m.loadStateDict(Object.fromEntries(Object.entries(fx.weights).map(([k, v]) => [k, decode(v)])));
  const acts: Tensor[] = [];
  const [first, sigmoid, last] = [m.at(0), m.at(1), m.at(2)];
  first.registerForwardPreHook((_m, args) => [(args[0] as Tensor).mul(0.5)]);
  sigmoid.registerForwardHook((_m, _args, out) => {
    acts.push((out as Tensor).detach().clone());
  });
  sigmoid.registerForwardHook((_m, _args, out) => (out as Tensor).mul(2));
  const bw: { lastIn?: Tensor; lastOut?: Tensor; firstIn?: Tensor | null; firstOut?: Tensor } = {};
  last.registerFullBackwardHook((_m, gin, gout) => {
    bw.lastIn = gin[0]!.clone();
    bw.lastOut = gout[0]!.clone();
    return [gin[0]!.mul(3)];
  });
  first.registerFullBackwardHook((_m, gin, gout) => {
    bw.firstIn = gin[0];
    bw.firstOut = gout[0]!.clone();
  });
  const out = m.forward(decode(fx.x));
  const h = fx.moduleHooks;
  assertTensorClose(out, h.out, 'output', tol);
  assertTensorClose(acts[0]!, h.act, 'the activation a forward hook read', tol);
  out.backward(decode(h.upstream));
  assertTensorClose(bw.lastIn!, h.lastIn, 'last layer grad_input', tol);
  assertTensorClose(bw.lastOut!, h.lastOut, 'last layer grad_output', tol);
  assert.equal(bw.firstIn === null, h.firstInNone, 'the first layer\'s input needs no gradient: [null]');
  assertTensorClose(bw.firstOut!, h.firstOut, 'first layer grad_output', tol);
  for (const [name, p] of m.namedParameters()) assertTensorClose(p.grad, h.grads[name]!, `${name}.grad`, tol);
});

test('hook handles: remove() takes a module hook out; the hidden forward is not a member and the model saves as before', () => {
  const lin = new nn.Linear(2, 2);
  const handle = lin.registerForwardHook(() => ones([2]).mul(7));
  assert.deepEqual(lin.forward(tensor([1, 2])).tolist(), [7, 7]);
  handle.remove();
  assert.notDeepEqual(lin.forward(tensor([1, 2])).tolist(), [7, 7]);
  assert.deepEqual(Object.keys(lin.stateDict()), ['weight', 'bias']);
  assert.equal(lin.children().length, 0);
});

test("PyTorch's refusal of a hook on a tensor that does not require grad, and a hook returning another shape", () => {
  assert.throws(() => ones([2]).registerHook((g) => g), (e: Error) => e.message === fx.refusals.no_grad!.message);
  const x = ones([3], { requiresGrad: true });
  x.registerHook(() => ones([2]));
  assert.throws(() => x.mul(2).sum().backward(), /has changed the size of value/);
});

test('a full backward hook runs in the pass that brings the output\'s gradient only: not again in a double backward (PyTorch 1.13\'s BackwardHook)', () => {
  const bh = fx.backwardHooks;
  const m = new nn.Tanh();
  let calls = 0;
  m.registerFullBackwardHook((_m, gi) => {
    calls++;
    return [gi[0]!.mul(2)];
  });
  const x = tensor([0.5, 1], undefined, { requiresGrad: true });
  const [g1] = autograd.grad(m.forward(x).sum(), x, undefined, { createGraph: true });
  const [g2] = autograd.grad(g1!.sum(), x);
  assertTensorClose(g1!, { shape: [2], data: bh.doubleFirst }, 'first derivative (doubled by the hook)', tol);
  assertTensorClose(g2!, { shape: [2], data: bh.doubleSecond }, 'second derivative (the hook not run again)', tol);
  assert.equal(calls, bh.doubleCalls);
});

test('a full backward hook returning [null] leaves the input without a gradient; one returning a gradient for an input that needs none is refused, as PyTorch', () => {
  const bh = fx.backwardHooks;
  const lin = new nn.Linear(2, 2);
  noGrad(() => {
    lin.weight.copy_(tensor([[1, 2], [3, 4]]));
    lin.bias!.copy_(tensor([0.5, -0.5]));
  });
  lin.registerFullBackwardHook(() => [null]);
  const x = tensor([1, 1], undefined, { requiresGrad: true });
  lin.forward(x).sum().backward();
  assert.equal(x.grad === null, bh.nullXGradNone);
  assert.deepEqual(lin.weight.grad!.tolist(), bh.nullWeightGrad);
  const lin2 = new nn.Linear(2, 2);
  lin2.registerFullBackwardHook(() => [ones([2])]);
  assert.throws(() => lin2.forward(ones([2])).sum().backward(), (e: Error) => e.message.includes(fx.refusals.return_for_no_input!.message));
});

test('tensor hooks and retainGrad in many orders, with an in-place change among them: where PyTorch 1.13 runs them', () => {
  // Steps on h = x * 1 (x = [1, 2]): a digit k registers g + k, 'r' retainGrad, 'i' h.mul_([3, 4]), 'x' removes the
  // first hook. 1.13 runs the hooks together at the place of the first one registered and retainGrad at its own; an
  // in-place change leaves the hooks with h as it was (those registered later join them) and moves retainGrad on.
  for (const [order, want] of Object.entries(fx.hookOrders)) {
    const x = tensor([1, 2], undefined, { requiresGrad: true });
    const h = x.mul(1);
    const handles: { remove(): void }[] = [];
    for (const step of order) {
      if (step === 'r') h.retainGrad();
      else if (step === 'i') h.mul_(tensor([3, 4]));
      else if (step === 'x') handles[0]!.remove();
      else handles.push(h.registerHook((g) => g.add(Number(step))));
    }
    h.sum().backward();
    assert.deepEqual(h.retainsGrad ? h.grad!.tolist() : null, want.hGrad, `${order}: h.grad`);
    assert.deepEqual(x.grad!.tolist(), want.xGrad, `${order}: x.grad`);
  }
});

test('a hook registered before an in-place change acts on the gradient of the value it was registered on, as PyTorch', () => {
  // torch: h = x * 2; h.register_hook(lambda g: g.clamp(max=2)); h.mul_([3, 4]); h.sum().backward() gives x.grad
  // [4, 4]: the hook clamps h's old gradient [3, 4] to [2, 2] (Kindling clamped the new one, [1, 1]: [6, 8]).
  const x = tensor([1, 2], undefined, { requiresGrad: true });
  const h = x.mul(2);
  h.registerHook((g) => g.clamp(null, 2));
  h.mul_(tensor([3, 4]));
  h.sum().backward();
  assert.deepEqual(x.grad!.tolist(), [4, 4]);
  // Through a view: torch: h = x * 1; v = h[:2]; v.retain_grad(); v.register_hook(lambda g: g + 10); v.mul_(2);
  // (v * 3).sum().backward(): x.grad [6, 6, 0, 0] (the hook stays with v as it was, outside this graph), v.grad [3, 3].
  const y = tensor([1, 2, 3, 4], undefined, { requiresGrad: true });
  const k = y.mul(1);
  const v = k.narrow(0, 0, 2);
  v.retainGrad();
  v.registerHook((g) => g.add(10));
  v.mul_(2);
  v.mul(3).sum().backward();
  assert.deepEqual([y.grad!.tolist(), v.grad!.tolist()], [[6, 6, 0, 0], [3, 3]]);
  // A hook on the base stays with the base as it was: torch: h.register_hook(lambda g: g + 10); h[:2].mul_(2);
  // h.sum().backward() gives x.grad [12, 12, 11, 11].
  const z = tensor([1, 2, 3, 4], undefined, { requiresGrad: true });
  const b = z.mul(1);
  b.registerHook((g) => g.add(10));
  b.narrow(0, 0, 2).mul_(2);
  b.sum().backward();
  assert.deepEqual(z.grad!.tolist(), [12, 12, 11, 11]);
});

test('after detach_(), the hooks and retainGrad still act in the graphs recorded through the tensor before, as PyTorch', () => {
  // torch: h = x * 1; h.register_hook(lambda g: g + 10); h.retain_grad(); y = (h * 3).sum(); h.detach_(); y.backward()
  // gives x.grad [13, 13] and h.grad [13, 13].
  const x = tensor([1, 2], undefined, { requiresGrad: true });
  const h = x.mul(1);
  h.registerHook((g) => g.add(10));
  h.retainGrad();
  const y = h.mul(3).sum();
  h.detach_();
  y.backward();
  assert.deepEqual([x.grad!.tolist(), h.grad!.tolist()], [[13, 13], [13, 13]]);
});

test('with a full backward hook, the module\'s input and output refuse in-place changes (ReLU(inplace)), as PyTorch\'s BackwardHookFunction views do', () => {
  const torch = fx.refusals.inplace_relu!.message;
  assert.match(torch, /^Output 0 of BackwardHookFunctionBackward is a view/);
  assert.equal(fx.refusals.output_inplace!.message, torch);
  const relu = new nn.ReLU(true);
  relu.registerFullBackwardHook(() => undefined);
  const x = ones([2], { requiresGrad: true });
  const refusal = (e: Error): boolean => e.message.includes('output 0 of BackwardHookFunctionBackward is a view') && /created inside a custom Function/.test(e.message);
  assert.throws(() => relu.forward(x.mul(1)), refusal);
  const lin = new nn.Linear(2, 2);
  lin.registerFullBackwardHook(() => undefined);
  assert.throws(() => lin.forward(ones([2])).mul_(2), refusal);
});
