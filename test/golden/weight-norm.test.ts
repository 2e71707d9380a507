// nn.utils.weightNorm / spectralNorm and their removal against PyTorch (fixtures/torch/weight-norm.json, from
// make_weight_norm.py): on Linear, Conv2d and ConvTranspose2d layers seeded as PyTorch's, the parameters and buffers
// made (names, order, values), the computed weight and its node, the output and every parameter's gradient over
// three SGD steps in training mode (spectral norm's power iteration advancing u and v), an evaluation-mode forward,
// the final state and the state after removal.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { manualSeed, nn, ones, optim, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, values, type EncodedMap, type EncodedTensor } from './golden-helpers.js';

interface Run {
  kind: 'linear' | 'conv' | 'convT'; kwargs: { dim?: number | null; n_power_iterations?: number; eps?: number }; seed: number;
  before: EncodedMap; made: EncodedMap; inputs: EncodedTensor[];
  trace: { weight: EncodedTensor; node: string; out: EncodedTensor; grads: EncodedMap }[];
  eval: EncodedTensor; final: EncodedMap; removed: EncodedMap | null;
}
interface Fixture { weightNorm: Run[]; spectralNorm: Run[] }

const fx = loadFixture<Fixture>('weight-norm.json');

const LAYERS = {
  linear: () => new nn.Linear(5, 3),
  conv: () => new nn.Conv2d(2, 3, 2),
  convT: () => new nn.ConvTranspose2d(3, 2, 2, 2),
};

/** Norms, power iterations and products summed in other orders than PyTorch's BLAS: float32 rounding apart. */
const TOL = { rtol: 2e-5, atol: 2e-6 };

function sameState(actual: Record<string, Tensor>, expected: EncodedMap, what: string): void {
  assert.deepEqual(Object.keys(actual), Object.keys(expected), `${what}: keys`);
  for (const [k, e] of Object.entries(expected)) assertTensorClose(actual[k]!, e, `${what} ${k}`, TOL);
}

for (const [kind, runs] of [['weightNorm', fx.weightNorm], ['spectralNorm', fx.spectralNorm]] as const) {
  for (const r of runs) {
    test(`nn.utils.${kind}(${r.kind}, ${JSON.stringify(r.kwargs)}): PyTorch's parameters, weight, node, gradients and steps`, () => {
      manualSeed(r.seed);
      const m = LAYERS[r.kind]();
      for (const [k, e] of Object.entries(r.before)) assert.deepEqual([...m.stateDict()[k]!.toArray()], values(e), `initial ${k}`);
      if (kind === 'weightNorm') nn.utils.weightNorm(m, r.kwargs.dim === undefined ? {} : { dim: r.kwargs.dim });
      else {
        nn.utils.spectralNorm(m, {
          ...(r.kwargs.n_power_iterations === undefined ? {} : { nPowerIterations: r.kwargs.n_power_iterations }),
          ...(r.kwargs.dim === undefined || r.kwargs.dim === null ? {} : { dim: r.kwargs.dim }),
          ...(r.kwargs.eps === undefined ? {} : { eps: r.kwargs.eps }),
        });
      }
      sameState(m.stateDict(), r.made, 'made');
      const opt = new optim.SGD(m.parameters(), { lr: 0.1 });
      r.trace.forEach((t, i) => {
        const y = m.forward(decode(r.inputs[i]!));
        const loss = y.mul(y).mean();
        opt.zeroGrad();
        loss.backward();
        assertTensorClose(m.weight, t.weight, `step ${i} weight`, TOL);
        assert.equal(m.weight.gradFn?.torchName, t.node, `step ${i} node`);
        assertTensorClose(y, t.out, `step ${i} out`, TOL);
        const named = Object.fromEntries(m.namedParameters());
        assert.deepEqual(Object.keys(named), Object.keys(t.grads));
        for (const [k, e] of Object.entries(t.grads)) assertTensorClose(named[k]!.grad, e, `step ${i} grad ${k}`, { rtol: 1e-4, atol: 1e-6 });
        opt.step();
      });
      m.eval();
      assertTensorClose(m.forward(decode(r.inputs[0]!)), r.eval, 'eval forward', { rtol: 1e-4, atol: 1e-5 });
      sameState(m.stateDict(), r.final, 'final');
      if (r.removed !== null) {
        if (kind === 'weightNorm') nn.utils.removeWeightNorm(m);
        else nn.utils.removeSpectralNorm(m);
        sameState(m.stateDict(), r.removed, 'removed');
        assert.equal(m.weight.gradFn, null);
        assert.ok(m.parameters().includes(m.weight));
      }
    });
  }
}

test('weightNorm and spectralNorm refuse a second reparametrization, a missing one, and layers without a weight', () => {
  const m = nn.utils.weightNorm(new nn.Linear(3, 2));
  assert.throws(() => nn.utils.weightNorm(m), /Cannot register two weight_norm hooks on the same parameter weight/);
  // PyTorch's spectral_norm finds no parameter weight there (a KeyError): said in words.
  assert.throws(() => nn.utils.spectralNorm(m), /spectralNorm: the weight of Linear is already computed by nn.utils.weightNorm; remove that first/);
  assert.throws(() => nn.utils.removeSpectralNorm(m), /spectral_norm of 'weight' not found in Linear/);
  assert.throws(() => nn.utils.weightNorm(new nn.ReLU()), /weightNorm: ReLU has no parameter 'weight'/);
  assert.throws(() => nn.utils.weightNorm(new nn.Linear(3, 2, false), { name: 'bias' }), /weightNorm: Linear has no bias \(it is None\)/);
  // Any parameter by name, as PyTorch's: the bias too.
  assert.deepEqual(Object.keys(nn.utils.weightNorm(new nn.Linear(3, 2), { name: 'bias' }).stateDict()), ['weight', 'bias_g', 'bias_v']);
  assert.throws(() => nn.utils.spectralNorm(new nn.Linear(3, 2), { nPowerIterations: 0 }), /Expected n_power_iterations to be positive/);
  assert.throws(() => { (m as unknown as { weight: unknown }).weight = 3; }, /computed by its reparametrization must be a Tensor/);
});

test("weightNorm, spectralNorm and parametrizations' orthogonal and spectralNorm take PyTorch's arguments by position too", () => {
  const near = (t: Tensor, want: number[]): void => Array.from(t.toArray()).forEach((v, i) => assert.ok(Math.abs(v - want[i]!) < 2e-6, `${v} against ${want[i]}`));
  const params = (m: nn.Module): Record<string, Tensor> => Object.fromEntries([...m.namedParameters(), ...m.namedBuffers()]);
  // PyTorch 1.13, after torch.manual_seed(0): weight_norm(nn.Linear(3, 2), 'weight', 1).weight_g.
  manualSeed(0);
  const wn = params(nn.utils.weightNorm(new nn.Linear(3, 2), 'weight', 1));
  assert.deepEqual(wn['weight_g']!.shape, [1, 3]);
  near(wn['weight_g']!, [0.424917, 0.381277, 0.49977]);
  manualSeed(0);
  assert.deepEqual(params(nn.utils.weightNorm(new nn.Linear(3, 2), 'weight', null))['weight_g']!.shape, []);
  // spectral_norm(nn.Linear(3, 2), 'weight', 3, 1e-12, 1), then one forward pass: the weight.
  manualSeed(0);
  const sn = nn.utils.spectralNorm(new nn.Linear(3, 2), 'weight', 3, 1e-12, 1);
  sn.forward(ones([1, 3]));
  assert.deepEqual(params(sn)['weight_u']!.shape, [3]);
  near(sn.weight, [-0.006575, 0.471095, -0.722784, -0.646289, -0.338236, 0.235491]);
  // parametrizations.spectral_norm(nn.Linear(3, 2), 'weight', 2, 1e-12, 1).weight; orthogonal(…, 'weight', 'cayley').
  manualSeed(0);
  near(nn.utils.parametrizations.spectralNorm(new nn.Linear(3, 2), 'weight', 2, 1e-12, 1).weight, [-0.006573, 0.470956, -0.722571, -0.646098, -0.338136, 0.235422]);
  const orth = nn.utils.parametrizations.orthogonal(new nn.Linear(3, 3), 'weight', 'cayley');
  const map = new Map(orth.namedModules()).get('parametrizations.weight.0') as unknown as { orthogonalMap: string };
  assert.equal(map.orthogonalMap, 'cayley');
  assert.throws(() => nn.utils.weightNorm(new nn.Linear(3, 2), 'weight', 0, { dim: 1 }), /weightNorm: dim given twice/);
  assert.throws(() => nn.utils.parametrizations.orthogonal(new nn.Linear(3, 3), 7 as never), /orthogonal: name must be the name of a parameter or buffer, such as 'weight', got the number 7/);
});

test('a model with a normalised weight is not written as a model file, and says how to save it', () => {
  const net = new nn.Sequential(nn.utils.spectralNorm(new nn.Linear(3, 2)));
  assert.throws(() => net.save('/nonexistent/never-written.safetensors'), /cannot describe model\[0\] \(Linear\): its weight is computed by nn\.utils\.weightNorm or spectralNorm; remove it first/);
  nn.utils.removeSpectralNorm([...net][0]!);
  assert.deepEqual(Object.keys(net.stateDict()), ['0.bias', '0.weight']);
});

test('weightNorm and spectralNorm make weight_g, weight_v and weight_orig attributes of the layer, as PyTorch 1.13 does', () => {
  const near = (t: Tensor, want: number[]): void => want.forEach((w, i) => assert.ok(Math.abs(t.toArray()[i]! - w) < 2e-6, `${t.toArray()[i]} against ${w}`));
  type Named = { weight_g: Tensor; weight_v: Tensor; weight_orig: Tensor; weight_u: Tensor };
  manualSeed(0);
  const wn = nn.utils.weightNorm(new nn.Linear(3, 2));
  const layer = wn as unknown as Named;
  // PyTorch 1.13, after torch.manual_seed(0): weight_norm(nn.Linear(3, 2)).weight_g; then
  // nn.init.constant_(layer.weight_g, 2) and layer(torch.ones(1, 3)).
  assert.equal(layer.weight_g, wn.getParameter('weight_g'));
  assert.equal(layer.weight_v, wn.getParameter('weight_v'));
  near(layer.weight_g, [0.5672245621681213, 0.503937304019928]);
  nn.init.constant_(layer.weight_g, 2);
  near(wn.forward(ones([1, 3])), [-0.6101155877113342, -1.4966063499450684]);
  assert.throws(() => { layer.weight_g = new nn.Parameter(ones([2, 1])); }, /weight_g: the parameter weight_g of nn\.utils\.weightNorm cannot be replaced by assignment/);
  nn.utils.removeWeightNorm(wn);
  assert.equal(layer.weight_g, undefined);
  assert.equal(layer.weight_v, undefined);
  // spectral_norm(nn.Linear(3, 2)) after torch.manual_seed(0): weight_orig [2, 3] (its first row's start here).
  manualSeed(0);
  const sn = nn.utils.spectralNorm(new nn.Linear(3, 2));
  const snLayer = sn as unknown as Named;
  assert.equal(snLayer.weight_orig, sn.getParameter('weight_orig'));
  near(snLayer.weight_orig, [-0.004322517663240433, 0.3097158372402191, -0.4751853346824646]);
  assert.deepEqual(snLayer.weight_u.shape, [2]);
  nn.utils.removeSpectralNorm(sn);
  assert.equal(snLayer.weight_orig, undefined);
});

test("weightNorm refuses a module that already has a member under weight_g (PyTorch's KeyError: attribute 'weight_g' already exists)", () => {
  class Own extends nn.Linear {
    weight_g = 7;
  }
  const m = new Own(3, 2);
  assert.throws(() => nn.utils.weightNorm(m), { name: 'KindlingError', message: /nn\.utils\.weightNorm: attribute 'weight_g' already exists in Own/ });
  assert.equal(m.weight_g, 7);
  assert.deepEqual(m.namedParameters().map(([n]) => n), ['weight', 'bias']);
});
