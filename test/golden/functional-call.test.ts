// nn.utils.stateless.functionalCall against PyTorch (fixtures/torch/functional_call.json, from
// make_functional_call.py): a first-order MAML-style step on a Sequential with a BatchNorm in evaluation — the
// output and loss with the given parameters and running mean, gradients reaching the given tensors, the module's own
// tensors untouched; a call replacing one name; Kindling's refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { manualSeed, nn, noGrad, ones, tensor, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, values, type EncodedTensor } from './golden-helpers.js';

interface Fixture {
  state: Record<string, EncodedTensor>; input: EncodedTensor; target: EncodedTensor; fast: Record<string, EncodedTensor>; fastGrads: Record<string, EncodedTensor>;
  input2: EncodedTensor; target2: EncodedTensor; out: EncodedTensor; loss2: number; partial: EncodedTensor; after: Record<string, EncodedTensor>;
}
const fx = loadFixture<Fixture>('functional_call.json');

function model(): nn.Sequential {
  const m = new nn.Sequential(new nn.Linear(4, 5), new nn.BatchNorm1d(5), new nn.ReLU(), new nn.Linear(5, 3));
  m.loadStateDict(Object.fromEntries(Object.entries(fx.state).map(([k, v]) => [k, decode(v)])));
  return m.eval();
}

test("functionalCall: a first-order MAML step gives PyTorch's output, loss and gradients of the given tensors; the module is left as it was", () => {
  const m = model();
  const loss = m.forward(decode(fx.input)).sub(decode(fx.target)).pow(2).mean();
  loss.backward();
  const fast: Record<string, Tensor> = {};
  m.namedParameters().forEach(([n, p]) => { fast[n] = noGrad(() => p.detach().sub(p.grad!.mul(0.1))).requiresGrad_(true); });
  m.zeroGrad(true);
  fast['1.running_mean'] = decode(fx.fast['1.running_mean']!);
  for (const [n, t] of Object.entries(fast)) assertTensorClose(t, fx.fast[n]!, `fast ${n}`);
  const out = nn.utils.stateless.functionalCall(m, fast, [decode(fx.input2)]) as Tensor;
  assertTensorClose(out, fx.out, 'output');
  const loss2 = out.sub(decode(fx.target2)).pow(2).mean();
  assert.ok(Math.abs(loss2.item() - fx.loss2) < 1e-5 * Math.abs(fx.loss2));
  loss2.backward();
  for (const [n, g] of Object.entries(fx.fastGrads)) assertTensorClose(fast[n]!.grad, g, `grad of ${n}`);
  for (const [k, t] of Object.entries(m.stateDict())) assert.deepEqual([...t.toArray()], values(fx.after[k]!), `${k} untouched`);
  for (const p of m.parameters()) assert.equal(p.grad, null, 'no gradient reached the module\'s own parameters');
  assert.deepEqual(Object.keys(m.stateDict()), Object.keys(fx.state));
});

test("functionalCall replacing one name (a Map works too) gives PyTorch's output", () => {
  const m = model();
  const out = nn.utils.stateless.functionalCall(m, new Map([['3.bias', decode({ shape: [3], data: [0, 0, 0] })]]), decode(fx.input2)) as Tensor;
  assertTensorClose(out, fx.partial, 'output');
});

test('functionalCall on a module of your own holding its parameter as a property, and its refusals', () => {
  class Scale extends nn.Module {
    w = new nn.Parameter(decode({ shape: [2], data: [2, 3] }));
    forward(x: Tensor): Tensor { return x.mul(this.w); }
  }
  const s = new Scale();
  const x = decode({ shape: [2], data: [1, 1] });
  assert.deepEqual([...(nn.utils.stateless.functionalCall(s, { w: decode({ shape: [2], data: [5, 7] }) }, x) as Tensor).toArray()], [5, 7]);
  assert.deepEqual([...s.forward(x).toArray()], [2, 3]);
  assert.equal(s.parameters().length, 1);
  const m = model();
  assert.throws(() => nn.utils.stateless.functionalCall(m, { '0.wieght': decode({ shape: [1], data: [0] }) }, x), /the module has no parameter or buffer '0.wieght'/);
  assert.throws(() => nn.utils.stateless.functionalCall(new nn.GRU(2, 2), { weight_ih_l0: decode({ shape: [1], data: [0] }) }, x), /'weight_ih_l0' is a parameter GRU keeps inside/);
  // A failed call leaves every replaced tensor restored.
  assert.throws(() => nn.utils.stateless.functionalCall(m, { '0.weight': decode({ shape: [1], data: [0] }) }, x));
  assert.deepEqual([...(m.stateDict()['0.weight']!.toArray())], values(fx.state['0.weight']!));
  assert.equal((m as unknown as nn.Module[])[0] instanceof nn.Linear && ((m as unknown as nn.Linear[])[0]!).weight.shape.length, 2);
});

test("functionalCall on a parametrized layer: PyTorch's two keys, the original (through the parametrization) and the tensor itself (bypassing it)", () => {
  class Sym extends nn.Module {
    forward(X: Tensor): Tensor {
      return X.triu().add(X.triu(1).transpose(-1, -2));
    }
  }
  const l = new nn.Linear(2, 2);
  noGrad(() => {
    l.weight.copy_(tensor([[1, 2], [3, 4]]));
    l.bias!.copy_(tensor([0.5, -0.5]));
  });
  nn.utils.parametrize.registerParametrization(l, 'weight', new Sym());
  const x = tensor([[1, -2]]);
  // PyTorch 1.13 (functional_call with the same layer, input and tensors):
  const o = tensor([[0, 1], [2, 3]], { requiresGrad: true });
  const y1 = nn.utils.stateless.functionalCall(l, { 'parametrizations.weight.original': o }, [x]) as Tensor;
  y1.sum().backward();
  assert.deepEqual([y1.tolist(), o.grad!.tolist()], [[[-1.5, -5.5]], [[1, -1], [0, -2]]]);
  const w = tensor([[1, 1], [0, 1]], { requiresGrad: true });
  const y2 = nn.utils.stateless.functionalCall(l, { weight: w }, [x]) as Tensor;
  y2.sum().backward();
  assert.deepEqual([y2.tolist(), w.grad!.tolist()], [[[-0.5, -2.5]], [[1, -2], [1, -2]]]);
  // The layer's own weight afterwards, untouched and without a gradient.
  assert.deepEqual(l.forward(x).tolist(), [[-2.5, -6.5]]);
  assert.equal(new Map(l.namedParameters()).get('parametrizations.weight.original')!.grad, null);
});

test("functionalCall with the parameters weightNorm and prune compute the weight from (weight_g, weight_orig), as PyTorch's", () => {
  const close = (got: Tensor, want: number[]): void => Array.from(got.toArray()).forEach((v, i) => assert.ok(Math.abs(v - want[i]!) < 1e-6, `${v} against ${want[i]}`));
  const x = tensor([[1, 1]]);
  // PyTorch 1.13, after torch.manual_seed(0): l = weight_norm(nn.Linear(2, 2)); functional_call(l, {'weight_g': torch.ones(2, 1)}, (x,)).
  manualSeed(0);
  const wn = nn.utils.weightNorm(new nn.Linear(2, 2));
  const own = wn.weight.tolist();
  close(nn.utils.stateless.functionalCall(wn, { weight_g: ones([2, 1]) }, [x]) as Tensor, [0.7136023044586182, -1.222395420074463]);
  assert.deepEqual(wn.weight.tolist(), own, 'the layer\'s own weight is back after the call');
  // Then l = nn.Linear(2, 2); prune.l1_unstructured(l, 'weight', 1); functional_call(l, {'weight_orig': torch.ones(2, 2)}, (x,)):
  // the mask applied to the tensor given.
  const pr = new nn.Linear(2, 2);
  nn.utils.prune.l1Unstructured(pr, 'weight', 1);
  const before = pr.forward(x).tolist();
  const orig = ones([2, 2], { requiresGrad: true });
  const y = nn.utils.stateless.functionalCall(pr, { weight_orig: orig }, [x]) as Tensor;
  close(y, [0.7863031029701233, 1.8610073328018188]);
  y.sum().backward();
  assert.equal(orig.grad!.toArray().filter((g) => g === 0).length, 1, 'the pruned entry gets no gradient');
  assert.deepEqual(pr.forward(x).tolist(), before);
});
