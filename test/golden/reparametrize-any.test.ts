// nn.utils.weightNorm, spectralNorm, parametrizations and prune on any module holding the parameter, as PyTorch's
// getattr(module, name), against PyTorch (fixtures/torch/reparametrize-any.json, from make_reparametrize_any.py):
// nn.Embedding (SN-GAN's projection discriminator), nn.EmbeddingBag and a module of one's own with a `weight`
// Parameter — the state dict made (names, order, values: spectral norm's u and v drawn as PyTorch's after the same
// seed), the computed weight, outputs and gradients over SGD steps, evaluation, removal; weightNorm with a negative
// dim; parametrizations.orthogonal on convolution weights (batches of matrices) with each map; and F.embeddingBag's
// refusals of bad offsets and paddingIdx.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, manualSeed, nn, optim, rand, randn, tensor, zeros, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, values, type EncodedMap, type EncodedTensor } from './golden-helpers.js';

type Kind = 'embedding' | 'embeddingPadded' | 'embeddingBag' | 'custom' | 'linear' | 'conv' | 'conv1d' | 'conv1x1' | 'convTall';
interface Run {
  fn: 'weight_norm' | 'spectral_norm' | 'prune'; kind: Kind; kwargs: { dim?: number | null; amount?: number }; seed: number;
  before: EncodedMap; made: EncodedMap; inputs: EncodedTensor[];
  trace: { weight: EncodedTensor; out: EncodedTensor; grads: EncodedMap }[];
  eval: EncodedTensor; final: EncodedMap; removed: EncodedMap | null;
}
interface ParamCase {
  fn: 'spectral_norm' | 'orthogonal'; kind: Kind; options: Record<string, unknown>; seed: number; registered: EncodedTensor; state: EncodedMap;
  after: EncodedTensor; input: EncodedTensor; out: EncodedTensor; upstream: EncodedTensor; grads: EncodedMap; trained: EncodedTensor;
}
interface Fixture { runs: Run[]; parametrizations: ParamCase[]; embeddingBagRefusals: Record<string, { type: string; message: string }> }

const fx = loadFixture<Fixture>('reparametrize-any.json');

/** A module of one's own, PyTorch's `self.weight = nn.Parameter(torch.randn(3, 4))`: forward reads it by name. */
class Affine extends nn.Module {
  weight = new nn.Parameter(randn([3, 4]));
  bias = new nn.Parameter(zeros([3]));
  forward(x: Tensor): Tensor {
    return x.matmul(this.weight.t()).add(this.bias);
  }
}

const LAYERS: Record<Kind, () => nn.Module> = {
  embedding: () => new nn.Embedding(6, 4),
  embeddingPadded: () => new nn.Embedding(6, 4, { paddingIdx: 0 }),
  embeddingBag: () => new nn.EmbeddingBag(6, 4, { mode: 'sum' }),
  custom: () => new Affine(),
  linear: () => new nn.Linear(5, 3),
  conv: () => new nn.Conv2d(2, 3, 2),
  conv1d: () => new nn.Conv1d(2, 2, 2),
  conv1x1: () => new nn.Conv2d(2, 2, 1),
  convTall: () => new nn.Conv2d(3, 2, [3, 2]),
};

/** Norms, power iterations, QR and products summed in other orders than PyTorch's BLAS and LAPACK: float32 rounding apart. */
const TOL = { rtol: 1e-4, atol: 2e-5 };
const weightOf = (m: nn.Module): Tensor => (m as unknown as { weight: Tensor }).weight;

function sameState(actual: Record<string, Tensor>, expected: EncodedMap, what: string): void {
  assert.deepEqual(Object.keys(actual), Object.keys(expected), `${what}: keys`);
  for (const [k, e] of Object.entries(expected)) assertTensorClose(actual[k]!, e, `${what} ${k}`, TOL);
}

for (const r of fx.runs) {
  test(`${r.fn}(${r.kind}, ${JSON.stringify(r.kwargs)}): PyTorch's state dict, weight, outputs, gradients and removal`, () => {
    manualSeed(r.seed);
    const m = LAYERS[r.kind]();
    for (const [k, e] of Object.entries(r.before)) assert.deepEqual([...m.stateDict()[k]!.toArray()], values(e), `initial ${k}`);
    if (r.fn === 'weight_norm') nn.utils.weightNorm(m, r.kwargs.dim === undefined ? {} : { dim: r.kwargs.dim });
    else if (r.fn === 'spectral_norm') nn.utils.spectralNorm(m);
    else nn.utils.prune.l1Unstructured(m, 'weight', r.kwargs.amount!);
    sameState(m.stateDict(), r.made, 'made');
    const opt = new optim.SGD(m.parameters(), { lr: 0.1 });
    r.trace.forEach((t, i) => {
      const y = m.forward(decode(r.inputs[i]!));
      const loss = y.mul(y).mean();
      opt.zeroGrad();
      loss.backward();
      assertTensorClose(weightOf(m), t.weight, `step ${i} weight`, TOL);
      assertTensorClose(y, t.out, `step ${i} out`, TOL);
      const named = Object.fromEntries(m.namedParameters());
      assert.deepEqual(Object.keys(named), Object.keys(t.grads));
      for (const [k, e] of Object.entries(t.grads)) assertTensorClose(named[k]!.grad, e, `step ${i} grad ${k}`, TOL);
      opt.step();
    });
    m.eval();
    assertTensorClose(m.forward(decode(r.inputs[0]!)), r.eval, 'eval forward', TOL);
    sameState(m.stateDict(), r.final, 'final');
    if (r.removed !== null) {
      if (r.fn === 'weight_norm') nn.utils.removeWeightNorm(m);
      else if (r.fn === 'spectral_norm') nn.utils.removeSpectralNorm(m);
      else nn.utils.prune.remove(m, 'weight');
      sameState(m.stateDict(), r.removed, 'removed');
      assert.equal(weightOf(m).gradFn, null);
      assert.ok(m.parameters().includes(weightOf(m)), 'the weight is a parameter again');
      assertTensorClose(m.forward(decode(r.inputs[0]!)), r.eval, 'forward after removal', TOL);
    }
  });
}

for (const c of fx.parametrizations) {
  test(`parametrizations.${c.fn} on ${c.kind} ${JSON.stringify(c.options)}: PyTorch's weight, state, draws, gradients and training`, () => {
    manualSeed(c.seed);
    const m = LAYERS[c.kind]();
    if (c.fn === 'orthogonal') nn.utils.parametrizations.orthogonal(m, 'weight', c.options);
    else nn.utils.parametrizations.spectralNorm(m, 'weight', c.options);
    assertTensorClose(weightOf(m), c.registered, 'registered', TOL);
    sameState(m.stateDict(), c.state, 'state');
    assert.deepEqual([...rand([3]).toArray()], values(c.after), 'the generator is left where PyTorch leaves it');
    const x = decode(c.input);
    const up = decode(c.upstream);
    const y = m.forward(x);
    assertTensorClose(y, c.out, 'output', TOL);
    y.backward(up);
    for (const [n, p] of m.namedParameters()) assertTensorClose(p.grad, c.grads[n]!, `${n}.grad`, TOL);
    const opt = new optim.SGD(m.parameters(), 0.1);
    opt.step();
    opt.zeroGrad();
    m.forward(x).mul(up).sum().backward();
    opt.step();
    assertTensorClose(weightOf(m), c.trained, 'after two SGD steps', TOL);
  });
}

test('a parameter a layer keeps inside (PReLU reads a private field) is refused, not silently left behind', () => {
  assert.throws(() => nn.utils.weightNorm(new nn.PReLU()), /weightNorm: 'weight' is a parameter PReLU keeps inside/);
  assert.throws(() => nn.utils.spectralNorm(new nn.Embedding(3, 2), { name: 'table' }), /spectralNorm: Embedding has no parameter 'table'/);
  assert.throws(() => nn.utils.prune.l1Unstructured(new nn.Embedding(3, 2), 'bias', 1), /l1Unstructured: Embedding has no bias to prune \(it is None\)/);
});

test('a module of its own: the weight computed while reparametrized, a property again (last) after removal', () => {
  manualSeed(0);
  const m = nn.utils.weightNorm(new Affine());
  assert.equal(Object.keys(m).includes('weight'), false, 'no longer an enumerable property');
  assert.equal(weightOf(m).gradFn?.torchName, 'WeightNormInterfaceBackward0');
  assert.throws(() => nn.utils.weightNorm(m), /Cannot register two weight_norm hooks on the same parameter weight/);
  assert.throws(() => nn.utils.prune.identity(m, 'weight'), /the weight of Affine is computed by nn.utils.weightNorm/);
  nn.utils.removeWeightNorm(m);
  assert.deepEqual(m.namedParameters().map(([n]) => n), ['bias', 'weight']);
  // Bias too, and both names at once, as PyTorch's hooks are per name.
  nn.utils.spectralNorm(m, { name: 'bias' });
  nn.utils.weightNorm(m);
  assert.deepEqual(Object.keys(m.stateDict()), ['bias_orig', 'weight_g', 'weight_v', 'bias_u', 'bias_v']);
});

test("weightNorm's dim: negative counts from the end (−1 stays the whole weight, PyTorch's None); out of range refused", () => {
  assert.deepEqual(nn.utils.weightNorm(new nn.Linear(4, 3), { dim: -2 }).stateDict()['weight_g']!.shape, [3, 1]);
  assert.deepEqual(nn.utils.weightNorm(new nn.Linear(4, 3), { dim: -1 }).stateDict()['weight_g']!.shape, []);
  assert.throws(() => nn.utils.weightNorm(new nn.Linear(4, 3), { dim: -3 }), /weightNorm: dim must be null or a dimension of the weight \[3,4\] \(from -2 to 1/);
  assert.throws(() => nn.utils.weightNorm(new nn.Linear(4, 3), { dim: 2 }), /weightNorm: dim must be null/);
});

test("F.embeddingBag refuses bad offsets and paddingIdx: PyTorch's words where PyTorch has them", () => {
  const R = fx.embeddingBagRefusals;
  const w = randn([5, 3]);
  const idx = tensor([1, 2, 4, 0, 3]);
  const same = (key: string, o: Parameters<typeof F.embeddingBag>[2]): void => {
    assert.throws(() => F.embeddingBag(idx, w, o), (e: Error) => e.message.startsWith(R[key]!.message), key);
  };
  same('padding 5', { offsets: [0, 2], paddingIdx: 5 });
  same('padding -6', { offsets: [0, 2], paddingIdx: -6 });
  same('offsets past the input', { offsets: [0, 2, 7] });
  same('offsets past the input, last offset', { offsets: [0, 2, 6], includeLastOffset: true });
  same('offsets 2-D', { offsets: tensor([[0, 2]]) });
  same('no offsets, last offset', { offsets: [], includeLastOffset: true });
  // PyTorch fails inside its kernels here ("index out of range in self", "current < index_size"): plain words instead.
  assert.throws(() => F.embeddingBag(idx, w, { offsets: [0, -1] }), /embedding_bag: offsets\[1\] is -1: offsets must not be negative/);
  assert.throws(() => F.embeddingBag(idx, w, { offsets: [0, 3, 1] }), /embedding_bag: offsets must not decrease .* offsets\[1\] = 3 and offsets\[2\] = 1/);
  assert.throws(() => F.embeddingBag(idx, w, { offsets: [0, 1.5] }), /embedding_bag: offsets must be whole numbers/);
  // What PyTorch accepts stays accepted: an empty bag in the middle, a last bag that starts at the end, paddingIdx −5.
  assert.deepEqual(F.embeddingBag(idx, w, { offsets: [0, 2, 2, 5], mode: 'sum' }).shape, [4, 3]);
  assert.deepEqual([...F.embeddingBag(idx, w, { offsets: [0, 5] }).toArray()].slice(3), [0, 0, 0]);
  assert.deepEqual(F.embeddingBag(idx, w, { offsets: [0, 2], paddingIdx: -5 }).shape, [2, 3]);
});
