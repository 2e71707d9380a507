// nn.utils.parametrize against PyTorch (fixtures/torch/parametrize.json, from make_parametrize.py): the same
// parametrizations written in TypeScript give PyTorch's computed weights, nodes, state-dict and parameter names, its
// printing (ParametrizedLinear), gradients of the originals, a short SGD training, cached(), removal (leaving the
// weight parametrized or not), isParametrized, typeBeforeParametrizations and its refusals.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { linspace, nn, noGrad, optim, type Tensor } from '../../src/index.js';
import { tempFolder } from '../models/helpers.js';
import { assertTensorClose, decode, loadFixture, values, type EncodedTensor } from './golden-helpers.js';

const P = nn.utils.parametrize;

class Symmetric extends nn.Module {
  forward(x: Tensor): Tensor { return x.triu().add(x.triu(1).transpose(-1, -2)); }
  rightInverse(a: Tensor): Tensor { return a.triu(); }
}
class Double extends nn.Module {
  forward(x: Tensor): Tensor { return x.mul(2); }
  rightInverse(a: Tensor): Tensor { return a.div(2); }
}
class Scaled extends nn.Module {
  scale: Tensor;
  constructor(n: number) {
    super();
    this.scale = new nn.Parameter(linspace(0.5, 1.5, n).unsqueeze(1));
  }
  forward(x: Tensor): Tensor { return x.mul(this.scale); }
}
class RankOne extends nn.Module {
  forward(x: Tensor, y?: Tensor): Tensor { return x.unsqueeze(-1).matmul(y!.unsqueeze(-2)); }
  rightInverse(z: Tensor): Tensor[] { return [z.select(1, 0).clone(), z.select(0, 0).clone()]; }
}
class Abs extends nn.Module {
  forward(x: Tensor): Tensor { return x.abs(); }
}
class Flat extends nn.Module {
  forward(x: Tensor): Tensor { return x.flatten(); }
}

interface Names { keys: string[]; params: string[]; repr: string }
interface Case extends Names {
  title: string; weight: EncodedTensor; bias: EncodedTensor; assign: EncodedTensor | null; computed: EncodedTensor; computedBias: EncodedTensor; node: string | null;
  state: Record<string, EncodedTensor>; input: EncodedTensor; out: EncodedTensor; upstream: EncodedTensor; grads: Record<string, EncodedTensor>;
  isParametrized: boolean; weightParametrized: boolean; biasParametrized: boolean; typeBefore: string;
}
interface Removal extends Names {
  title: string; leave: boolean; weight: EncodedTensor; bias: EncodedTensor; after: EncodedTensor; afterBias: EncodedTensor; sameTensor: boolean; requiresGrad: boolean;
  isParametrized: boolean; type: string;
}
interface Fixture {
  cases: Case[];
  training: { weight: EncodedTensor; bias: EncodedTensor; inputs: EncodedTensor[]; losses: number[]; original: EncodedTensor; computed: EncodedTensor };
  cached: { plain: number; cached: number; same: boolean };
  removal: Removal[];
  evalFollows: boolean;
  refusals: Record<string, { type: string; message: string }>;
}

const fx = loadFixture<Fixture>('parametrize.json');

function linear(weight: EncodedTensor, bias: EncodedTensor): nn.Linear {
  const m = new nn.Linear(weight.shape[1]!, weight.shape[0]!);
  noGrad(() => {
    m.weight.copy_(decode(weight));
    m.bias!.copy_(decode(bias));
  });
  return m;
}

const REGISTER: Record<string, (m: nn.Linear) => void> = {
  symmetric: (m) => P.registerParametrization(m, 'weight', new Symmetric()),
  'symmetric then double': (m) => { P.registerParametrization(m, 'weight', new Symmetric()); P.registerParametrization(m, 'weight', new Double()); },
  'a weight assigned through right_inverse': (m) => { P.registerParametrization(m, 'weight', new Symmetric()); P.registerParametrization(m, 'weight', new Double()); },
  'a parametrization with a parameter of its own': (m) => P.registerParametrization(m, 'weight', new Scaled(4)),
  'rank one from two originals': (m) => P.registerParametrization(m, 'weight', new RankOne()),
  'the bias': (m) => P.registerParametrization(m, 'bias', new Abs()),
  'weight and bias': (m) => { P.registerParametrization(m, 'bias', new Abs()); P.registerParametrization(m, 'weight', new Symmetric()); },
  'leave parametrized': (m) => { P.registerParametrization(m, 'weight', new Symmetric()); P.registerParametrization(m, 'weight', new Double()); },
  'leave the original': (m) => P.registerParametrization(m, 'weight', new Symmetric()),
  'one of two': (m) => { P.registerParametrization(m, 'weight', new Symmetric()); P.registerParametrization(m, 'bias', new Abs()); },
  'from two originals': (m) => P.registerParametrization(m, 'weight', new RankOne()),
};

const names = (m: nn.Module): Names => ({ keys: Object.keys(m.stateDict()), params: m.namedParameters().map(([n]) => n), repr: String(m) });

for (const c of fx.cases) {
  test(`parametrize, ${c.title}: PyTorch's computed tensors, node, names, printing and gradients of the originals`, () => {
    const m = linear(c.weight, c.bias);
    REGISTER[c.title]!(m);
    if (c.assign !== null) m.weight = decode(c.assign);
    assert.deepEqual(names(m), { keys: c.keys, params: c.params, repr: c.repr });
    assertTensorClose(m.weight, c.computed, 'weight');
    assertTensorClose(m.bias, c.computedBias, 'bias');
    assert.equal(m.weight.gradFn?.torchName ?? null, c.node);
    for (const [k, t] of Object.entries(m.stateDict())) assertTensorClose(t, c.state[k]!, `state ${k}`);
    assert.deepEqual([P.isParametrized(m), P.isParametrized(m, 'weight'), P.isParametrized(m, 'bias')], [c.isParametrized, c.weightParametrized, c.biasParametrized]);
    assert.equal(P.typeBeforeParametrizations(m).name, c.typeBefore);
    assert.ok(m instanceof nn.Linear);
    const y = m.forward(decode(c.input));
    assertTensorClose(y, c.out, 'output');
    y.backward(decode(c.upstream));
    for (const [n, p] of m.namedParameters()) assertTensorClose(p.grad, c.grads[n]!, `${n}.grad`);
  });
}

test('a parametrized layer trains as PyTorch\'s (SGD with momentum): the original and the weight computed from it', () => {
  const T = fx.training;
  const m = linear(T.weight, T.bias);
  P.registerParametrization(m, 'weight', new Symmetric());
  const opt = new optim.SGD(m.parameters(), { lr: 0.1, momentum: 0.5 });
  T.inputs.forEach((x, i) => {
    opt.zeroGrad();
    const loss = m.forward(decode(x)).pow(2).mean();
    loss.backward();
    opt.step();
    assert.ok(Math.abs(loss.item() - T.losses[i]!) <= 1e-5 * Math.abs(T.losses[i]!), `loss ${i}`);
  });
  const list = (m as unknown as { parametrizations: { weight: { original: Tensor } } }).parametrizations.weight;
  assertTensorClose(list.original, T.original, 'original');
  assertTensorClose(m.weight, T.computed, 'weight');
});

test('cached(): each parametrized tensor is computed once inside, at every read outside, as PyTorch\'s', () => {
  let calls = 0;
  class Counting extends nn.Module {
    forward(x: Tensor): Tensor { calls++; return x; }
  }
  const m = new nn.Linear(2, 2);
  P.registerParametrization(m, 'weight', new Counting());
  const x = decode({ shape: [1, 2], data: [0.5, -1] });
  calls = 0;
  m.forward(x);
  m.forward(x);
  assert.equal(calls, fx.cached.plain);
  calls = 0;
  const same = P.cached(() => {
    m.forward(x);
    m.forward(x);
    return m.weight === m.weight;
  });
  assert.equal(calls, fx.cached.cached);
  assert.equal(same, fx.cached.same);
});

for (const r of fx.removal) {
  test(`removeParametrizations, ${r.title}: PyTorch's values, names, class and printing afterwards`, () => {
    const m = linear(r.weight, r.bias);
    REGISTER[r.title]!(m);
    const list = (m as unknown as { parametrizations: { weight: { original?: Tensor } } }).parametrizations.weight;
    const original = list.original;
    P.removeParametrizations(m, 'weight', r.leave);
    assert.deepEqual(names(m), { keys: r.keys, params: r.params, repr: r.repr });
    assertTensorClose(m.weight, r.after, 'weight');
    assertTensorClose(m.bias, r.afterBias, 'bias');
    assert.equal(original !== undefined && m.weight === original, r.sameTensor);
    assert.equal(m.weight.requiresGrad, r.requiresGrad);
    assert.equal(P.isParametrized(m), r.isParametrized);
    assert.equal(m.constructor.name, r.type);
    assert.equal(m.weight.gradFn, null);
  });
}

test('a parametrization takes the layer\'s training mode, as PyTorch\'s', () => {
  const m = new nn.Linear(3, 3);
  m.eval();
  const sym = new Symmetric();
  P.registerParametrization(m, 'weight', sym);
  assert.equal(sym.training === false, fx.evalFollows);
});

test("parametrize's refusals: PyTorch's words; a refused registration leaves the layer as it was", () => {
  const R = fx.refusals;
  const lin = (): nn.Linear => new nn.Linear(3, 3);
  const l = lin();
  assert.throws(() => P.registerParametrization(l, 'foo', new Symmetric()), (e: Error) => e.message === R['no such tensor']!.message.replace("'Linear(", "'Linear("));
  const w = l.weight;
  assert.throws(() => P.registerParametrization(l, 'weight', new Flat()), (e: Error) => e.message.split('\n')[0] === R['shape change']!.message);
  assert.equal(l.weight, w);
  assert.deepEqual(Object.keys(l.stateDict()), ['weight', 'bias']);
  assert.equal(P.isParametrized(l), false);
  assert.equal(l.constructor.name, 'Linear');
  assert.throws(() => P.removeParametrizations(lin(), 'weight'), (e: Error) => e.message === R['remove unparametrized']!.message);
  const two = P.registerParametrization(lin(), 'weight', new RankOne());
  assert.throws(() => P.removeParametrizations(two, 'weight', false), (e: Error) => e.message === R['leave unparametrized from two']!.message);
  class Snake extends nn.Module {
    forward(x: Tensor): Tensor { return x; }
    right_inverse(x: Tensor): Tensor { return x; }
  }
  assert.throws(() => P.registerParametrization(lin(), 'weight', new Snake()), /Snake defines right_inverse: Kindling calls it rightInverse/);
  assert.throws(() => P.registerParametrization(lin(), 'weight', ((x: Tensor) => x) as never), /must be a Module/);
  const pruned = nn.utils.prune.identity(lin(), 'weight');
  assert.throws(() => P.registerParametrization(pruned, 'weight', new Symmetric()), /already computed \(nn.utils.weightNorm, spectralNorm or prune\)/);
  const param = P.registerParametrization(lin(), 'weight', new Symmetric());
  assert.throws(() => nn.utils.prune.l1Unstructured(param, 'weight', 1), /computed by nn.utils.weightNorm, spectralNorm or parametrize/);
  assert.throws(() => nn.utils.weightNorm(param), /already computed by nn.utils.prune or parametrize/);
});

const tmp = tempFolder();
after(tmp.remove);

test('a parametrized model is refused by model.save with what to do; its state dict loads into another parametrized the same way', () => {
  const a = linear({ shape: [3, 3], data: [1, 2, 3, 4, 5, 6, 7, 8, 9] }, { shape: [3], data: [0, 0, 0] });
  P.registerParametrization(a, 'weight', new Symmetric());
  const model = new nn.Sequential(a, new nn.ReLU());
  assert.throws(() => model.save(join(tmp.dir, 'p.safetensors')), /cannot describe model\[0\] \(Linear\): its weight is parametrized \(nn.utils.parametrize\); remove it first/);
  const b = new nn.Linear(3, 3);
  P.registerParametrization(b, 'weight', new Symmetric());
  b.loadStateDict(a.stateDict());
  assert.deepEqual([...b.weight.toArray()], [1, 2, 3, 2, 5, 6, 3, 6, 9]);
  P.removeParametrizations(a, 'weight');
  model.save(join(tmp.dir, 'p.safetensors'));
  assert.deepEqual([...(nn.Module.load(join(tmp.dir, 'p.safetensors')).stateDict()['0.weight']!.toArray())], values({ shape: [9], data: [1, 2, 3, 2, 5, 6, 3, 6, 9] }));
});
