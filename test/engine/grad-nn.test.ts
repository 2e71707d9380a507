// Finite-difference checks (float64 reference) of softmax, linear, layerNorm, the modules and the chapter's models.
import { test } from 'node:test';
import { F, manualSeed, nn, Tensor } from '../../src/index.js';
import { gradcheck, leaf, Rng } from './gradcheck.js';
import * as R from './ref.js';

const rng = new Rng(23);

test('gradcheck softmax and logSoftmax along each dim, and on a transposed view', () => {
  const x = leaf(rng, [2, 3, 4], { lo: -2, hi: 2 });
  for (const dim of [0, 1, 2, -1, -3]) {
    gradcheck(`softmax(${dim})`, { leaves: [x], forward: () => x.softmax(dim), reference: ([r]) => R.softmax(r!, dim) });
    gradcheck(`logSoftmax(${dim})`, { leaves: [x], forward: () => x.logSoftmax(dim), reference: ([r]) => R.logSoftmax(r!, dim) });
  }
  const v = leaf(rng, [5], { lo: -3, hi: 3 });
  gradcheck('softmax 1-D', { leaves: [v], forward: () => F.softmax(v), reference: ([r]) => R.softmax(r!, 0) });
  gradcheck('logSoftmax of x.transpose(0, 2) along 1', {
    leaves: [x],
    forward: () => x.transpose(0, 2).logSoftmax(1),
    reference: ([r]) => R.logSoftmax(R.transpose(r!, 0, 2), 1),
  });
});

/** A weight of shape [out, in] stored transposed ([in, out] row-major), the layout nn.Linear uses. */
function transposedWeight(out: number, inF: number): Tensor {
  const w = leaf(rng, [out, inF]).toArray();
  const data = new Float32Array(out * inF);
  for (let i = 0; i < out; i++) for (let j = 0; j < inF; j++) data[j * out + i] = w[i * inF + j]!;
  return new Tensor(data, [out, inF], { strides: [1, out], requiresGrad: true });
}

test('gradcheck linear with the weight in both storage layouts, with and without bias, for 1-D to 3-D inputs', () => {
  for (const xShape of [[4], [5, 4], [2, 3, 4]]) {
    for (const layout of ['contiguous', 'transposed'] as const) {
      const w = layout === 'contiguous' ? leaf(rng, [3, 4]) : transposedWeight(3, 4);
      const b = leaf(rng, [3]);
      const x = leaf(rng, xShape);
      gradcheck(`linear ${layout} ${JSON.stringify(xShape)}`, {
        leaves: [x, w, b],
        forward: () => F.linear(x, w, b),
        reference: ([xr, wr, br]) => R.linear(xr!, wr!, br!),
      });
      gradcheck(`linear ${layout} no bias ${JSON.stringify(xShape)}`, {
        leaves: [x, w],
        forward: () => F.linear(x, w),
        reference: ([xr, wr]) => R.linear(xr!, wr!, null),
      });
    }
  }
  // A 1-D weight [in]: one output with its dimension dropped, as PyTorch's F.linear gives (x · w).
  for (const xShape of [[4], [5, 4], [2, 3, 4]]) {
    const w = leaf(rng, [4]);
    const x = leaf(rng, xShape);
    gradcheck(`linear 1-D weight ${JSON.stringify(xShape)}`, {
      leaves: [x, w],
      forward: () => F.linear(x, w),
      reference: ([xr, wr]) => R.reshape(R.linear(xr!, R.reshape(wr!, [1, 4]), null), xShape.slice(0, -1)),
    });
  }
  // A weight that is a transposed view of a leaf (a non-leaf in the graph) and an input that is a view.
  const wt = leaf(rng, [4, 3]);
  const x = leaf(rng, [4, 5]);
  gradcheck('linear(x.T, wt.T)', {
    leaves: [x, wt],
    forward: () => F.linear(x.T, wt.T),
    reference: ([xr, wr]) => R.linear(R.transpose(xr!, 0, 1), R.transpose(wr!, 0, 1), null),
  });
});

test('gradcheck layerNorm with and without affine parameters, over one and two trailing dims', () => {
  const x = leaf(rng, [3, 5], { lo: -2, hi: 2 });
  const w = leaf(rng, [5], { lo: 0.5, hi: 1.5 });
  const b = leaf(rng, [5]);
  gradcheck('layerNorm affine', { leaves: [x, w, b], forward: () => F.layerNorm(x, [5], w, b), reference: ([r, wr, br]) => R.layerNorm(r!, 1, wr!, br!) });
  gradcheck('layerNorm plain', { leaves: [x], forward: () => F.layerNorm(x, [5]), reference: ([r]) => R.layerNorm(r!, 1, null, null) });
  gradcheck('layerNorm weight only', { leaves: [x, w], forward: () => F.layerNorm(x, [5], w), reference: ([r, wr]) => R.layerNorm(r!, 1, wr!, null) });
  gradcheck('layerNorm bias only', { leaves: [x, b], forward: () => F.layerNorm(x, [5], null, b), reference: ([r, br]) => R.layerNorm(r!, 1, null, br!) });
  gradcheck('layerNorm eps 0.1 on x.T', {
    leaves: [x],
    forward: () => F.layerNorm(x.T, [3], null, null, 0.1),
    reference: ([r]) => R.layerNorm(R.transpose(r!, 0, 1), 1, null, null, 0.1),
  });
  const x3 = leaf(rng, [2, 3, 4], { lo: -2, hi: 2 });
  const w2 = leaf(rng, [3, 4]);
  const b2 = leaf(rng, [3, 4]);
  gradcheck('layerNorm over [3, 4]', {
    leaves: [x3, w2, b2],
    forward: () => F.layerNorm(x3, [3, 4], w2, b2),
    reference: ([r, wr, br]) => R.layerNorm(r!, 2, wr!, br!),
  });
});

test('gradcheck the modules: Linear (both biases), LayerNorm (both affine modes), activations, Softmax, Identity', () => {
  manualSeed(3);
  const x = leaf(rng, [4, 6], { lo: -2, hi: 2, avoid: [0], gap: 0.01 });
  for (const bias of [true, false]) {
    const lin = new nn.Linear(6, 3, { bias });
    gradcheck(`Linear bias=${bias}`, {
      leaves: [x, ...lin.parameters()],
      forward: () => lin.forward(x),
      reference: ([xr, wr, br]) => R.linear(xr!, wr!, br ?? null),
    });
  }
  const ln = new nn.LayerNorm(6);
  // Move the affine parameters away from their identity initialisation so their gradients matter.
  ln.weight!.data.set(leaf(rng, [6], { lo: 0.5, hi: 1.5 }).toArray());
  ln.bias!.data.set(leaf(rng, [6]).toArray());
  gradcheck('LayerNorm(6)', { leaves: [x, ln.weight!, ln.bias!], forward: () => ln.forward(x), reference: ([r, w, b]) => R.layerNorm(r!, 1, w!, b!) });
  const plain = new nn.LayerNorm(6, { elementwiseAffine: false, eps: 1e-3 });
  gradcheck('LayerNorm no affine', { leaves: [x], forward: () => plain.forward(x), reference: ([r]) => R.layerNorm(r!, 1, null, null, 1e-3) });
  const acts: Array<[nn.Module, (r: R.Ref) => R.Ref]> = [
    [new nn.Sigmoid(), R.sigmoid],
    [new nn.Tanh(), (r) => R.map(r, Math.tanh)],
    [new nn.ReLU(), (r) => R.map(r, (v) => Math.max(0, v))],
    [new nn.LeakyReLU(), (r) => R.leakyRelu(r, 0.01)],
    [new nn.LeakyReLU(0.02), (r) => R.leakyRelu(r, Math.fround(0.02))],
    [new nn.Softmax(), (r) => R.softmax(r, -1)],
    [new nn.Softmax(0), (r) => R.softmax(r, 0)],
    [new nn.Identity(), (r) => r],
  ];
  for (const [m, rf] of acts) {
    gradcheck(String(m), { leaves: [x], forward: () => m.forward(x).mul(1.5), reference: ([r]) => R.map(rf(r!), (v) => 1.5 * v) });
  }
});

/** The chapter's variants at a small size (6 → 5 → 3), with their float64 reference forward. */
const VARIANTS: Record<string, { layers: () => nn.Module[]; ref: (x: R.Ref, p: readonly R.Ref[]) => R.Ref }> = {
  sigmoid: {
    layers: () => [new nn.Linear(6, 5), new nn.Sigmoid(), new nn.Linear(5, 3), new nn.Sigmoid()],
    ref: (x, p) => R.sigmoid(R.linear(R.sigmoid(R.linear(x, p[0]!, p[1]!)), p[2]!, p[3]!)),
  },
  leakyrelu: {
    layers: () => [new nn.Linear(6, 5), new nn.LeakyReLU(0.02), new nn.Linear(5, 3), new nn.LeakyReLU(0.02)],
    ref: (x, p) => R.leakyRelu(R.linear(R.leakyRelu(R.linear(x, p[0]!, p[1]!), Math.fround(0.02)), p[2]!, p[3]!), Math.fround(0.02)),
  },
  layernorm: {
    layers: () => [new nn.Linear(6, 5), new nn.Sigmoid(), new nn.LayerNorm(5), new nn.Linear(5, 3), new nn.Sigmoid()],
    ref: (x, p) => R.sigmoid(R.linear(R.layerNorm(R.sigmoid(R.linear(x, p[0]!, p[1]!)), 1, p[2]!, p[3]!), p[4]!, p[5]!)),
  },
  combined: {
    layers: () => [new nn.Linear(6, 5), new nn.LeakyReLU(0.02), new nn.LayerNorm(5), new nn.Linear(5, 3), new nn.Sigmoid()],
    ref: (x, p) => R.sigmoid(R.linear(R.layerNorm(R.leakyRelu(R.linear(x, p[0]!, p[1]!), Math.fround(0.02)), 1, p[2]!, p[3]!), p[4]!, p[5]!)),
  },
};

test('gradcheck Sequential models of the chapter, alone and under MSE and BCE losses, per sample and batched', () => {
  for (const [name, v] of Object.entries(VARIANTS)) {
    manualSeed(5);
    const model = new nn.Sequential(...v.layers());
    for (const shape of [[6], [4, 6]]) {
      const x = leaf(rng, shape, { lo: 0, hi: 1 });
      const params = model.parameters();
      const y = leaf(rng, [...shape.slice(0, -1), 3], { lo: 0, hi: 1 }).detach();
      const yr = R.ref(y.toArray(), y.shape);
      gradcheck(`${name} ${JSON.stringify(shape)}`, { leaves: [x, ...params], forward: () => model.forward(x), reference: ([xr, ...p]) => v.ref(xr!, p) });
      gradcheck(`${name} + MSE`, {
        leaves: [x, ...params],
        forward: () => new nn.MSELoss().forward(model.forward(x), y),
        reference: ([xr, ...p]) => R.mse(v.ref(xr!, p), yr, 'mean'),
      });
      if (name !== 'leakyrelu') {
        gradcheck(`${name} + BCE`, {
          leaves: [x, ...params],
          forward: () => new nn.BCELoss().forward(model.forward(x), y),
          reference: ([xr, ...p]) => R.bce(v.ref(xr!, p), yr, 'mean'),
        });
      }
    }
  }
});
