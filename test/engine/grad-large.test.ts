// Chapter-sized shapes, where fast kernels take their blocked and sparse paths. Finite differences would be slow
// here, so the float64 reference is the closed form: for L = Σ G⊙(x·Wᵀ + b), dW = Gᵀ·x, db = Σ G, dx = G·W.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { manualSeed, matmul, nn, optim, tensor, type Tensor } from '../../src/index.js';
import { randomValues, Rng } from './gradcheck.js';
import * as R from './ref.js';

const rng = new Rng(97);

function assertClose(what: string, got: ArrayLike<number>, want: ArrayLike<number>, rtol = 1e-4, atolScale = 1e-5): void {
  assert.equal(got.length, want.length, `${what}: length`);
  let scale = 1e-30;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]!));
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i]! - want[i]!);
    if (d > atolScale * scale + rtol * Math.abs(want[i]!)) assert.fail(`${what}: element ${i} is ${got[i]}, expected ${want[i]}`);
  }
}

/** An MNIST-like input: values in [0, 1] with about `zeros` of them exactly 0. */
function sparseInput(shape: number[], zeros: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = randomValues(rng, n, { lo: 0, hi: 1 }).map((x) => (rng.next() < zeros ? 0 : x));
  return tensor(v, shape);
}

const r = (t: Tensor): R.Ref => R.ref(t.toArray(), t.shape);

test('linear 784 → 200 (batch and per-sample, sparse input): values and gradients against float64', () => {
  manualSeed(0);
  const lin = new nn.Linear(784, 200);
  for (const shape of [[784], [3, 784]]) {
    const x = sparseInput(shape, 0.8).requiresGrad_();
    const y = lin.forward(x);
    const G = tensor(randomValues(rng, y.numel()), y.shape);
    lin.zeroGrad(true);
    y.backward(G);
    const x2 = R.reshape(r(x), [shape.length === 1 ? 1 : shape[0]!, 784]);
    const G2 = R.reshape(r(G), [x2.shape[0]!, 200]);
    assertClose(`y ${shape}`, y.toArray(), R.linear(x2, r(lin.weight), r(lin.bias!)).data, 1e-5);
    assertClose(`dW ${shape}`, lin.weight.grad!.toArray(), R.matmul(R.transpose(G2, 0, 1), x2).data);
    assertClose(`db ${shape}`, lin.bias!.grad!.toArray(), R.sum(G2, [0]).data);
    assertClose(`dx ${shape}`, x.grad!.toArray(), R.matmul(G2, r(lin.weight)).data);
  }
});

test('batched matmul with odd sizes and a transposed operand: values and gradients against float64', () => {
  const a = tensor(randomValues(rng, 2 * 33 * 70), [2, 33, 70], { requiresGrad: true });
  const bt = tensor(randomValues(rng, 65 * 70), [65, 70], { requiresGrad: true });
  const y = matmul(a, bt.T);
  const G = tensor(randomValues(rng, y.numel()), y.shape);
  y.backward(G);
  const A = r(a);
  const B = R.transpose(r(bt), 0, 1);
  assertClose('y', y.toArray(), R.matmul(A, B).data, 1e-5);
  assertClose('dA', a.grad!.toArray(), R.matmul(r(G), R.transpose(B, 0, 1)).data);
  // dBᵀ = (Σ_batch Aᵀ·G)ᵀ
  const dB = R.sum(R.matmul(R.transpose(A, 1, 2), r(G)), [0]);
  assertClose('dBt', bt.grad!.toArray(), R.transpose(dB, 0, 1).data);
});

/** Float64 Adam/SGD on a flat array, for updates driven by given gradients. */
function referenceUpdates(p0: Float64Array, grads: readonly Float64Array[], kind: 'sgd' | 'adam', lr: number): Float64Array {
  const p = p0.slice();
  const m = new Float64Array(p.length);
  const v = new Float64Array(p.length);
  grads.forEach((g, k) => {
    const t = k + 1;
    for (let i = 0; i < p.length; i++) {
      if (kind === 'sgd') p[i] = p[i]! - lr * g[i]!;
      else {
        m[i] = 0.9 * m[i]! + 0.1 * g[i]!;
        v[i] = 0.999 * v[i]! + 0.001 * g[i]! * g[i]!;
        p[i] = p[i]! - (lr * (m[i]! / (1 - 0.9 ** t))) / (Math.sqrt(v[i]! / (1 - 0.999 ** t)) + 1e-8);
      }
    }
  });
  return p;
}

for (const kind of ['sgd', 'adam'] as const) {
  test(`${kind}: per-sample steps with sparse inputs whose zero patterns change between steps (no stale gradient rows)`, () => {
    manualSeed(1);
    const lin = new nn.Linear(784, 16);
    const opt = kind === 'sgd' ? new optim.SGD(lin.parameters(), { lr: 0.1 }) : new optim.Adam(lin.parameters(), { lr: 0.01 });
    const w0 = Float64Array.from(lin.weight.toArray());
    const b0 = Float64Array.from(lin.bias!.toArray());
    const gw: Float64Array[] = [];
    const gb: Float64Array[] = [];
    // Step 1 touches only the first half of the inputs, step 2 only the second half, step 3 a scattered few.
    const masks = [(j: number) => j < 392, (j: number) => j >= 392, (j: number) => j % 97 === 5];
    for (const keep of masks) {
      const xs = sparseInput([784], 0.5).toArray().map((v, j) => (keep(j) ? v : 0));
      const G = randomValues(rng, 16);
      opt.zeroGrad();
      lin.forward(tensor(xs)).mul(tensor(G)).sum().backward();
      const want = new Float64Array(16 * 784);
      for (let i = 0; i < 16; i++) for (let j = 0; j < 784; j++) want[i * 784 + j] = G[i]! * xs[j]!;
      assertClose('weight gradient after zeroGrad', lin.weight.grad!.toArray(), want, 1e-6, 1e-7);
      gw.push(want);
      gb.push(Float64Array.from(G));
      opt.step();
    }
    assertClose('weight after 3 steps', lin.weight.toArray(), referenceUpdates(w0, gw, kind, kind === 'sgd' ? 0.1 : 0.01), 1e-5, 1e-6);
    assertClose('bias after 3 steps', lin.bias!.toArray(), referenceUpdates(b0, gb, kind, kind === 'sgd' ? 0.1 : 0.01), 1e-5, 1e-6);
  });
}

test('sparse gradients accumulate correctly without zeroGrad', () => {
  manualSeed(2);
  const lin = new nn.Linear(784, 8);
  const x1 = sparseInput([784], 0.9);
  const x2 = sparseInput([784], 0.9);
  lin.zeroGrad();
  lin.forward(x1).sum().backward();
  lin.forward(x2).sum().backward();
  const s = x1.toArray().map((v, j) => v + x2.toArray()[j]!);
  const want = new Float64Array(8 * 784);
  for (let i = 0; i < 8; i++) for (let j = 0; j < 784; j++) want[i * 784 + j] = s[j]!;
  assertClose('accumulated weight gradient', lin.weight.grad!.toArray(), want, 1e-6, 1e-7);
});
