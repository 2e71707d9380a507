// nn.utils.parametrizations against PyTorch (fixtures/torch/parametrizations.json, from make_parametrizations.py):
// orthogonal (matrix_exp, cayley, householder; square, tall, wide) and spectralNorm (Linear, Conv2d,
// ConvTranspose2d, a bias vector; training and evaluation) registered on layers made after the same seed: the
// weight, the state dict's names and values, the generator afterwards, output and gradients, two SGD steps; and
// linalg.householderProduct with its gradients. Values within float32 rounding (QR, the matrix exponential and the
// products are computed differently from LAPACK's); names, printing and random draws exactly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { linalg, manualSeed, nn, optim, rand, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, values, type EncodedTensor } from './golden-helpers.js';

const PZ = nn.utils.parametrizations;

interface Case {
  fn: 'orthogonal' | 'spectral_norm'; kind: 'Linear' | 'Conv2d' | 'ConvTranspose2d'; size: number[]; options: Record<string, unknown>; name: 'weight' | 'bias';
  training: boolean; seed: number; registered: EncodedTensor; state: Record<string, EncodedTensor>; after: EncodedTensor; input: EncodedTensor; out: EncodedTensor;
  upstream: EncodedTensor; grads: Record<string, EncodedTensor>; trained: EncodedTensor; repr: string;
}
interface Fixture {
  cases: Case[];
  householder: { a: EncodedTensor; tau: EncodedTensor; q: EncodedTensor; upstream: EncodedTensor; gradA: EncodedTensor; gradTau: EncodedTensor }[];
  refusals: Record<string, { type: string; message: string }>;
}

const fx = loadFixture<Fixture>('parametrizations.json');
const TOL = { rtol: 1e-4, atol: 2e-5 };

function layer(c: Case): nn.Module & { weight: Tensor; bias: Tensor | null } {
  const [a, b, k] = c.size as [number, number, number];
  if (c.kind === 'Linear') return new nn.Linear(a, b);
  return c.kind === 'Conv2d' ? new nn.Conv2d(a, b, k) : new nn.ConvTranspose2d(a, b, k);
}

for (const c of fx.cases) {
  test(`parametrizations.${c.fn} on ${c.kind}(${c.size.join(', ')}).${c.name} ${JSON.stringify(c.options)}${c.training ? '' : ' in evaluation'}: PyTorch's weight, state, draws, gradients and training`, () => {
    manualSeed(c.seed);
    const m = layer(c);
    if (!c.training) m.eval();
    if (c.fn === 'orthogonal') PZ.orthogonal(m, c.name, c.options);
    else PZ.spectralNorm(m, c.name, c.options);
    assertTensorClose(m[c.name], c.registered, 'registered', TOL);
    const state = m.stateDict();
    assert.deepEqual(Object.keys(state), Object.keys(c.state));
    for (const [k, t] of Object.entries(state)) {
      // −I and the layer's own tensors exactly; what QR and power iteration computed within rounding (a basis vector's sign as PyTorch's).
      assertTensorClose(t, c.state[k]!, k, TOL);
    }
    assert.deepEqual([...rand([3]).toArray()], values(c.after), 'the generator is left where PyTorch leaves it');
    assert.equal(String(m), c.repr);
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
    assertTensorClose(m[c.name], c.trained, 'after two SGD steps', TOL);
  });
}

test('an orthogonal weight stays orthonormal through training (Wᵀ·W = I for a tall one)', () => {
  manualSeed(4);
  const m = PZ.orthogonal(new nn.Linear(3, 5));
  const opt = new optim.Adam(m.parameters(), { lr: 0.05 });
  for (let i = 0; i < 5; i++) {
    opt.zeroGrad();
    m.forward(rand([4, 3])).pow(2).sum().backward();
    opt.step();
  }
  const p = m.weight.t().matmul(m.weight).toArray();
  for (let i = 0; i < 9; i++) assert.ok(Math.abs(p[i]! - (i % 4 === 0 ? 1 : 0)) < 1e-5, `WᵀW[${i}] = ${p[i]}`);
});

for (const [i, h] of fx.householder.entries()) {
  test(`linalg.householderProduct ${JSON.stringify(h.a.shape)} with ${h.tau.shape[0]} reflections: PyTorch's product and gradients (${i})`, () => {
    const a = decode(h.a, true);
    const tau = decode(h.tau, true);
    const q = linalg.householderProduct(a, tau);
    assertTensorClose(q, h.q, 'product', TOL);
    q.backward(decode(h.upstream));
    assertTensorClose(a.grad, h.gradA, 'grad A', TOL);
    assertTensorClose(tau.grad, h.gradTau, 'grad tau', TOL);
  });
}

test("parametrizations' refusals: PyTorch's words", () => {
  const R = fx.refusals;
  assert.throws(() => PZ.orthogonal(new nn.Linear(3, 3), 'bias'), (e: Error) => e.message === R['orthogonal vector']!.message);
  assert.throws(() => PZ.orthogonal(new nn.Linear(3, 3), 'weight', { orthogonalMap: 'qr' as never }), (e: Error) => e.message === R['orthogonal map']!.message);
  assert.throws(() => PZ.spectralNorm(new nn.Linear(3, 3), 'weight', { nPowerIterations: 0 }), (e: Error) => e.message === R['spectral iterations']!.message);
  assert.throws(() => PZ.orthogonal(new nn.Linear(3, 3), 'weight', { useTrivialization: false }), /useTrivialization false is not supported/);
});
