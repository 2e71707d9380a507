// Finite-difference checks of batch normalisation against a float64 reference written here from the definition: in
// training mode the batch statistics depend on the input, so the gradient goes through them; in evaluation mode the
// running statistics are constants.
import { test } from 'node:test';
import { F, nn, tensor, type Tensor } from '../../src/index.js';
import { gradcheck, leaf, Rng } from './gradcheck.js';
import { Ref, linear as refLinear, map } from './ref.js';

/**
 * y[n, c, s] = (x[n, c, s] − μ_c) / √(σ²_c + eps) · w_c + b_c, with μ and σ² (biased) over n and s when `running` is
 * null, else the running ones.
 */
function refBatchNorm(x: Ref, w: Ref | null, b: Ref | null, running: { mean: number[]; variance: number[] } | null, eps = 1e-5): Ref {
  const [N, C] = x.shape as [number, number];
  const S = x.shape.slice(2).reduce((a, d) => a * d, 1);
  const out = new Float64Array(x.data.length);
  for (let c = 0; c < C; c++) {
    let mean: number;
    let variance: number;
    if (running === null) {
      let sum = 0;
      for (let n = 0; n < N; n++) for (let s = 0; s < S; s++) sum += x.data[(n * C + c) * S + s]!;
      mean = sum / (N * S);
      let sq = 0;
      for (let n = 0; n < N; n++) for (let s = 0; s < S; s++) sq += (x.data[(n * C + c) * S + s]! - mean) ** 2;
      variance = sq / (N * S);
    } else {
      mean = running.mean[c]!;
      variance = running.variance[c]!;
    }
    for (let n = 0; n < N; n++) {
      for (let s = 0; s < S; s++) {
        const k = (n * C + c) * S + s;
        out[k] = ((x.data[k]! - mean) / Math.sqrt(variance + eps)) * (w === null ? 1 : w.data[c]!) + (b === null ? 0 : b.data[c]!);
      }
    }
  }
  return new Ref(out, x.shape);
}

const shapes: Array<[string, number[]]> = [['[N, C]', [6, 3]], ['[N, C, L]', [3, 2, 4]], ['[N, C, H, W]', [2, 3, 3, 2]], ['two samples', [2, 3]]];

for (const [label, shape] of shapes) {
  test(`gradcheck F.batchNorm, training mode, ${label}: input, weight and bias, through the batch statistics`, () => {
    const rng = new Rng(7 + shape.length);
    const C = shape[1]!;
    const x = leaf(rng, shape, { lo: -2, hi: 2 });
    const w = leaf(rng, [C], { lo: 0.5, hi: 1.5 });
    const b = leaf(rng, [C]);
    gradcheck(`batchNorm train ${label}`, {
      leaves: [x, w, b],
      forward: () => F.batchNorm(x, null, null, { weight: w, bias: b, training: true }),
      reference: ([xr, wr, br]) => refBatchNorm(xr!, wr!, br!, null),
      // two samples: the input's gradient is 0 up to rounding, and the differences see only rounding noise
      atol: label === 'two samples' ? 1e-4 : 1e-5,
    });
  });
}

test('gradcheck F.batchNorm, training mode without weight and bias', () => {
  const rng = new Rng(3);
  const x = leaf(rng, [4, 3, 5], { lo: -3, hi: 1 });
  gradcheck('batchNorm train no affine', {
    leaves: [x],
    forward: () => F.batchNorm(x, null, null, { training: true, eps: 1e-3 }),
    reference: ([xr]) => refBatchNorm(xr!, null, null, null, 1e-3),
  });
});

test('gradcheck F.batchNorm, evaluation mode: the running statistics are constants', () => {
  const rng = new Rng(5);
  const x = leaf(rng, [3, 4, 2, 2]);
  const w = leaf(rng, [4], { lo: 0.5, hi: 1.5 });
  const b = leaf(rng, [4]);
  const mean = [0.1, -0.3, 0.5, 0];
  const variance = [0.5, 1.5, 2, 0.8];
  gradcheck('batchNorm eval', {
    leaves: [x, w, b],
    forward: () => F.batchNorm(x, tensor(mean), tensor(variance), { weight: w, bias: b }),
    reference: ([xr, wr, br]) => refBatchNorm(xr!, wr!, br!, { mean, variance: variance }),
  });
});

test('gradcheck Linear → BatchNorm1d → tanh: the layer in training mode inside a network', () => {
  const rng = new Rng(11);
  const lin = new nn.Linear(4, 3);
  const bn = new nn.BatchNorm1d(3);
  const x = leaf(rng, [5, 4]);
  const wl = lin.weight;
  const bl = lin.bias!;
  // distinct weight and bias values, so a gradient swapped between channels shows
  bn.weight = new nn.Parameter(tensor([0.7, 1.3, -0.9]));
  bn.bias = new nn.Parameter(tensor([0.1, -0.2, 0.3]));
  gradcheck('Linear → BatchNorm1d → tanh', {
    leaves: [x, wl, bl, bn.weight, bn.bias],
    forward: (): Tensor => bn.forward(lin.forward(x)).tanh(),
    reference: ([xr, wlr, blr, wr, br]) => map(refBatchNorm(refLinear(xr!, wlr!, blr!), wr!, br!, null), Math.tanh),
  });
});
