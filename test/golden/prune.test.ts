// nn.utils.prune against PyTorch (fixtures/torch/prune.json, from make_prune.py): every method on Linear and Conv2d
// layers, alone and on top of each other, with importance scores and on the bias — the masks bit for bit (ties as
// PyTorch breaks them, random draws after the same seed, the generator left where PyTorch leaves it), the pruned
// tensor, its node, state-dict names in PyTorch's order, the gradient reaching `weight_orig`; global pruning; a
// pruned network trained with SGD and then made permanent with `remove`; PyTorch's refusals.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { manualSeed, nn, noGrad, optim, rand, tensor, type Tensor } from '../../src/index.js';
import { tempFolder } from '../models/helpers.js';
import { assertTensorClose, decode, loadFixture, values, type EncodedTensor } from './golden-helpers.js';

const { prune } = nn.utils;

interface Step { fn: string; amount?: number; n?: number | string; dim?: number; seed?: number; scores?: boolean; mask?: string; name?: string }
interface Scenario {
  title: string; seed: number; kind: 'linear' | 'conv'; weight: EncodedTensor; bias: EncodedTensor; scores: EncodedTensor; steps: Step[]; name: 'weight' | 'bias';
  masks: EncodedTensor[]; pruned: EncodedTensor; node: string; state: { keys: string[]; params: string[]; buffers: string[] }; after: EncodedTensor;
  input: EncodedTensor; out: EncodedTensor; upstream: EncodedTensor; origGrad: EncodedTensor; hooks: number; container: string[];
}
interface Global {
  title: string; method: 'L1Unstructured' | 'RandomUnstructured'; amount: number; seed: number | null; twice: boolean; scored: boolean; scores: EncodedTensor;
  conv: { weight: EncodedTensor; bias: EncodedTensor }; linear: { weight: EncodedTensor; bias: EncodedTensor }; masks: EncodedTensor[]; hooks: string[];
}
interface Fixture {
  scenarios: Scenario[];
  global: Global[];
  training: {
    start: Record<'w1' | 'b1' | 'w2' | 'b2', EncodedTensor>; w1: EncodedTensor; b1: EncodedTensor; w2: EncodedTensor; b2: EncodedTensor; inputs: EncodedTensor[]; targets: EncodedTensor[];
    losses: number[]; stale: EncodedTensor; stateWhilePruned: string[]; stateAfter: string[]; params: string[]; prunedBefore: boolean; prunedAfter: boolean;
  };
  pruneMethod: { input: EncodedTensor; out: EncodedTensor };
  refusals: Record<string, { type: string; message: string }>;
}

const fx = loadFixture<Fixture>('prune.json');

type Layer = nn.Linear | nn.Conv2d;

/** A Linear or Conv2d holding the given weight and bias (made after the seed, so that its own draws match PyTorch's). */
function layer(kind: 'linear' | 'conv', weight: EncodedTensor, bias: EncodedTensor): Layer {
  const s = weight.shape;
  const m = kind === 'linear' ? new nn.Linear(s[1]!, s[0]!) : new nn.Conv2d(s[1]!, s[0]!, [s[2]!, s[3]!]);
  noGrad(() => {
    m.weight.copy_(decode(weight));
    m.bias!.copy_(decode(bias));
  });
  return m;
}

/** PyTorch's `arange(numel) % 3 != 0` mask, shaped as t. */
const checker = (t: Tensor): Tensor => tensor(Float32Array.from({ length: t.numel() }, (_, i) => (i % 3 !== 0 ? 1 : 0)), [...t.shape]);

const normOrder = (n: number | string): number | 'fro' => (n === 'Infinity' ? Infinity : n === '-Infinity' ? -Infinity : (n as number | 'fro'));

function apply(m: Layer, step: Step, scores: Tensor): void {
  const name = step.name ?? 'weight';
  if (step.seed !== undefined) manualSeed(step.seed);
  const given = step.scores === true ? scores : null;
  switch (step.fn) {
    case 'identity': prune.identity(m, name); break;
    case 'l1_unstructured': prune.l1Unstructured(m, name, step.amount!, given); break;
    case 'random_unstructured': prune.randomUnstructured(m, name, step.amount!); break;
    case 'random_structured': prune.randomStructured(m, name, step.amount!, step.dim!); break;
    case 'ln_structured': prune.lnStructured(m, name, step.amount!, normOrder(step.n!), step.dim!, given); break;
    case 'custom_from_mask': prune.customFromMask(m, name, checker(m[name as 'weight'])); break;
    default: throw new Error(`unknown step ${step.fn}`);
  }
}

/** A state dict's keys, the parameters' and the buffers' names, in order. */
const stateOf = (m: nn.Module): Scenario['state'] => ({
  keys: Object.keys(m.stateDict()), params: m.namedParameters().map(([n]) => n), buffers: m.namedBuffers().map(([n]) => n),
});

for (const c of fx.scenarios) {
  test(`prune, ${c.title}: PyTorch's masks bit for bit, the pruned ${c.name} and its node, the state dict's names, the gradient of ${c.name}_orig`, () => {
    manualSeed(c.seed);
    const m = layer(c.kind, c.weight, c.bias);
    const scores = decode(c.scores);
    c.steps.forEach((step, i) => {
      apply(m, step, scores);
      assert.deepEqual([...(m.getBuffer(`${c.name}_mask`)!.toArray())], values(c.masks[i]!), `mask after step ${i + 1} (${step.fn})`);
    });
    assert.deepEqual([...rand([3]).toArray()], values(c.after), 'the generator is left where PyTorch leaves it');
    const pruned = m[c.name]!;
    assert.deepEqual([...pruned.toArray()], values(c.pruned));
    assert.equal(pruned.gradFn?.torchName, c.node);
    assert.deepEqual(stateOf(m), c.state);
    assert.equal(prune.pruningOf(m, c.name)?.constructor.name, c.container[0]);
    assert.equal(prune.isPruned(m), true);
    const orig = (m as unknown as Record<string, Tensor>)[`${c.name}_orig`]!;
    assert.ok(m.parameters().includes(orig));
    const y = m.forward(decode(c.input));
    assertTensorClose(y, c.out, 'output');
    y.backward(decode(c.upstream));
    assertTensorClose(orig.grad, c.origGrad, `${c.name}_orig.grad`);
    // Where the mask is 0 the gradient is exactly 0: pruned entries stay pruned.
    const mask = m.getBuffer(`${c.name}_mask`)!.toArray();
    assert.ok([...orig.grad!.toArray()].every((g, i) => mask[i] !== 0 || g === 0));
  });
}

for (const g of fx.global) {
  test(`prune.globalUnstructured, ${g.title}: PyTorch's masks across a Conv2d and a Linear, bit for bit`, () => {
    const conv = layer('conv', g.conv.weight, g.conv.bias);
    const lin = layer('linear', g.linear.weight, g.linear.bias);
    const params: [nn.Module, string][] = [[conv, 'weight'], [lin, 'weight'], [lin, 'bias']];
    if (g.seed !== null) manualSeed(g.seed);
    const method = g.method === 'L1Unstructured' ? prune.L1Unstructured : prune.RandomUnstructured;
    prune.globalUnstructured(params, method, { amount: g.amount, ...(g.scored ? { importanceScores: new Map([[lin, { weight: decode(g.scores) }]]) } : {}) });
    if (g.twice) prune.globalUnstructured(params, method, { amount: g.amount });
    const masks = [conv.getBuffer('weight_mask')!, lin.getBuffer('weight_mask')!, lin.getBuffer('bias_mask')!];
    masks.forEach((mk, i) => assert.deepEqual([...mk.toArray()], values(g.masks[i]!), `mask ${i}`));
    assert.deepEqual([prune.pruningOf(conv, 'weight'), prune.pruningOf(lin, 'weight'), prune.pruningOf(lin, 'bias')].map((p) => p?.constructor.name), g.hooks);
  });
}

test('a pruned network trains as PyTorch\'s (SGD with momentum, pruned entries stay zero), and remove keeps the pruned values', () => {
  const T = fx.training;
  const lin1 = layer('linear', T.start.w1, T.start.b1);
  const lin2 = layer('linear', T.start.w2, T.start.b2);
  const model = new nn.Sequential(lin1, new nn.ReLU(), lin2);
  prune.l1Unstructured(lin1, 'weight', 0.5);
  prune.lnStructured(lin2, 'weight', 1, 2, 1);
  assert.equal(prune.isPruned(model), T.prunedBefore);
  const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
  T.inputs.forEach((x, i) => {
    opt.zeroGrad();
    const loss = model.forward(decode(x)).sub(decode(T.targets[i]!)).pow(2).mean();
    loss.backward();
    opt.step();
    assert.ok(Math.abs(loss.item() - T.losses[i]!) <= 1e-5 * Math.abs(T.losses[i]!), `loss ${i}: ${loss.item()} against ${T.losses[i]}`);
  });
  // The weight is the product computed before the last step (PyTorch's attribute is as stale).
  assertTensorClose(lin1.weight, T.stale, 'stale weight');
  assert.deepEqual(Object.keys(model.stateDict()), T.stateWhilePruned);
  const orig = (lin1 as unknown as Record<string, Tensor>)['weight_orig']!;
  prune.remove(lin1, 'weight');
  prune.remove(lin2, 'weight');
  assert.equal(lin1.weight, orig, 'the parameter is the tensor that was weight_orig');
  assertTensorClose(lin1.weight, T.w1, 'weight 1');
  assertTensorClose(lin1.bias, T.b1, 'bias 1');
  assertTensorClose(lin2.weight, T.w2, 'weight 2');
  assertTensorClose(lin2.bias, T.b2, 'bias 2');
  assert.deepEqual(Object.keys(model.stateDict()), T.stateAfter);
  assert.deepEqual(model.namedParameters().map(([n]) => n), T.params);
  assert.equal(prune.isPruned(model), T.prunedAfter);
  assert.equal((lin1 as unknown as Record<string, unknown>)['weight_orig'], undefined);
  assert.equal(lin1.weight.requiresGrad, true);
  assert.equal(lin1.weight.gradFn, null);
});

test("a method's prune(t) is t times its mask, as PyTorch's", () => {
  const out = new prune.L1Unstructured(5).prune(decode(fx.pruneMethod.input));
  assert.deepEqual([...out.toArray()], values(fx.pruneMethod.out));
});

test("prune's refusals: PyTorch's words; a refused pruning leaves the layer as it was", () => {
  const R = fx.refusals;
  const lin = (): nn.Linear => new nn.Linear(5, 6);
  const torchShape = (m: string): string => m.replace(/torch\.Size\((\[[^\]]*\])\)/g, '$1');
  const refused = (run: () => unknown, message: string): void => assert.throws(run, (e: Error) => e.message === torchShape(message), message);
  refused(() => prune.l1Unstructured(lin(), 'weight', -1), R['negative amount']!.message);
  refused(() => prune.l1Unstructured(lin(), 'weight', 1.5), R['fraction above 1']!.message);
  refused(() => prune.l1Unstructured(lin(), 'weight', 31), R['amount above size']!.message);
  refused(() => prune.lnStructured(lin(), 'bias', 1, 2, 0), R['structured on a vector']!.message);
  refused(() => prune.randomStructured(lin(), 'weight', 1, 2), R['structured dim out of range']!.message);
  refused(() => prune.remove(lin(), 'weight'), R['remove unpruned']!.message);
  assert.throws(() => prune.l1Unstructured(lin(), 'weight', 1, tensor([[0]]).expand([5, 6]).contiguous()), /importance_scores should have the same shape as parameter weight of Linear/);
  assert.ok(R['importance scores shape']!.message.startsWith('importance_scores should have the same shape as parameter'));
  assert.throws(() => prune.globalUnstructured([[lin(), 'weight']], prune.RandomStructured as never, { amount: 1 }), (e: Error) => e.message.startsWith(R['global structured']!.message.split(' <class')[0]!));
  assert.throws(() => prune.customFromMask(lin(), 'weight', tensor([[1]]).expand([5, 6]).contiguous()), /CustomFromMask: the mask has shape \[5, 6\], the parameter \[6, 5\]/);

  // A refusal on a fresh layer leaves its parameter; on a pruned one, its mask and methods.
  const fresh = lin();
  const w = fresh.weight;
  assert.throws(() => prune.l1Unstructured(fresh, 'weight', 31));
  assert.deepEqual(Object.keys(fresh.stateDict()), ['weight', 'bias']);
  assert.equal(fresh.weight, w);
  assert.equal(prune.isPruned(fresh), false);
  prune.l1Unstructured(fresh, 'weight', 10);
  prune.l1Unstructured(fresh, 'weight', 5);
  const mask = [...fresh.getBuffer('weight_mask')!.toArray()];
  assert.throws(() => prune.l1Unstructured(fresh, 'weight', 16), /amount=16 should be smaller than the number of parameters to prune=15/);
  assert.deepEqual([...fresh.getBuffer('weight_mask')!.toArray()], mask);
  assert.equal((prune.pruningOf(fresh, 'weight') as InstanceType<typeof prune.PruningContainer>).methods.length, 2);
  assert.equal(mask.filter((v) => v === 0).length, 15);
});

test('Kindling\'s own refusals name what it prunes; weight norm and pruning refuse each other', () => {
  assert.throws(() => prune.l1Unstructured(new nn.ReLU() as never, 'weight', 1), /l1Unstructured: ReLU has no parameter 'weight'/);
  assert.throws(() => prune.l1Unstructured(new nn.Linear(2, 2), 'weight_ih', 1), /l1Unstructured: Linear has no parameter 'weight_ih'/);
  assert.throws(() => prune.l1Unstructured(new nn.LSTM(2, 2), 'weight_ih_l0', 1), /'weight_ih_l0' is a parameter LSTM keeps inside/);
  assert.throws(() => prune.l1Unstructured(new nn.Linear(2, 2, false), 'bias', 1), /Linear has no bias to prune/);
  assert.throws(() => prune.l1Unstructured(new nn.Linear(2, 2), 'weight', '0.5' as never), /Invalid type for amount/);
  assert.throws(() => prune.l1Unstructured(new nn.Linear(2, 2), 'weight', Number.NaN), /amount=NaN should either be a float in the range \[0, 1\]/);
  assert.throws(() => prune.lnStructured(new nn.Linear(2, 2), 'weight', 1, 'max' as never, 0), /n must be a number, Infinity, -Infinity, 'fro' or 'nuc'/);
  assert.throws(() => prune.randomStructured(new nn.Linear(2, 2), 'weight', 1), /missing the required argument dim/);
  const normed = nn.utils.weightNorm(new nn.Linear(3, 2));
  assert.throws(() => prune.l1Unstructured(normed, 'weight', 1), /computed by nn.utils.weightNorm, spectralNorm or parametrize; remove that first/);
  const pruned = prune.l1Unstructured(new nn.Linear(3, 2), 'weight', 1);
  assert.throws(() => nn.utils.weightNorm(pruned), /already computed by nn.utils.prune or parametrize; remove that first \(prune.remove\(layer, 'weight'\)/);
});

test('a method of your own: BasePruningMethod.apply, on top of a built-in one', () => {
  class EveryOther extends prune.BasePruningMethod {
    readonly pruningType = 'unstructured';
    computeMask(t: Tensor, defaultMask: Tensor): Tensor {
      const mask = defaultMask.clone();
      const v = mask.data;
      for (let i = 0; i < v.length; i += 2) v[i] = 0;
      return mask.reshape([...t.shape]);
    }
  }
  const l = new nn.Linear(3, 2);
  noGrad(() => l.bias!.copy_(tensor([0.5, -1])));
  const method = EveryOther.apply(l, 'bias');
  assert.ok(method instanceof EveryOther);
  assert.deepEqual([...l.bias!.toArray()], [0, -1]);
  noGrad(() => l.weight.copy_(tensor([[1, -2, 3], [-4, 5, -6]])));
  prune.l1Unstructured(l, 'weight', 2);
  // On top of the two smallest (1 and -2, whose products with 0 are 0 and -0), every other of the four left: the
  // container hands the kept entries over as one flat list (3, -4, 5, -6), so 3 and 5 go.
  EveryOther.apply(l, 'weight');
  assert.deepEqual([...l.weight.toArray()], [0, -0, 0, -4, 0, -6]);
  assert.equal(prune.pruningOf(l, 'weight')?.constructor.name, 'PruningContainer');
});

const tmp = tempFolder();
after(tmp.remove);

test('a pruned model is refused by model.save with what to do; after remove it saves and loads with the pruned values', () => {
  manualSeed(3);
  const first = new nn.Linear(4, 5);
  const model = new nn.Sequential(first, new nn.ReLU(), new nn.Linear(5, 2));
  prune.l1Unstructured(first, 'weight', 0.5);
  const path = join(tmp.dir, 'pruned.safetensors');
  assert.throws(() => model.save(path), /weight or bias is pruned \(nn.utils.prune\); remove it first \(nn.utils.prune.remove\(layer, 'weight'\)/);
  prune.remove(first, 'weight');
  model.save(path);
  const loaded = nn.Module.load(path);
  assert.deepEqual([...(loaded.stateDict()['0.weight']!.toArray())], [...first.weight.toArray()]);
  assert.equal([...first.weight.toArray()].filter((v) => v === 0).length, 10);
});

test("a pruned layer's state dict loads into another pruned the same way, and its mask keeps applying", () => {
  manualSeed(9);
  const a = prune.l1Unstructured(new nn.Linear(4, 3), 'weight', 6);
  const b = prune.randomUnstructured(new nn.Linear(4, 3), 'weight', 2);
  b.loadStateDict(a.stateDict());
  const x = rand([2, 4]);
  assert.deepEqual([...b.forward(x).toArray()], [...a.forward(x).toArray()]);
  assert.deepEqual([...b.weight.toArray()], [...a.weight.toArray()]);
});
