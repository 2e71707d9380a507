/**
 * The differentiable gradient of batch normalisation, as PyTorch 1.13's: with createGraph the first-order gradients
 * are the plain backward's values (PyTorch runs the same native_batch_norm_backward kernel), each recorded as a
 * NativeBatchNormBackwardBackward0 node whose own backward is PyTorch's batchnorm_double_backward
 * (FunctionsManual.cpp), written with ops in its order and reading the saved mean and inverse standard deviation — the
 * batch's in training, the running ones in evaluation (norm-twice.ts). A composition of the forward differentiated
 * instead recomputes the statistics from float32 ops: the squares of values near 1e-20 are subnormal and its
 * gradients NaN (a constant input with eps 0 too), and at an offset of 1000 it is 1e-5 off the kernel's. As
 * PyTorch's, the statistics are constants of that graph (a third derivative does not go through them).
 */
import { batchNormForward } from '../kernels/batch-norm.js';
import { Tensor } from '../tensor/tensor.js';
import { plainGradsTwice } from './norm-twice.js';

/** The statistics the double backward reads (PyTorch's save_mean and save_invstd, or the running ones), per channel. */
interface Stats {
  readonly mean: ArrayLike<number>;
  readonly invstd: ArrayLike<number>;
}

/**
 * Gives the batchNorm node of `out` (inputs [input, weight?, bias?]) PyTorch's double backward, over the statistics
 * the forward pass used (`stats`, float64 per channel, read as float32 when a walk with createGraph first reaches the
 * node). The bias's gradient, Σ g, needs only the incoming gradient. `out` must be batchNorm's own output,
 * untouched; a tensor without a node is returned as it is.
 */
export function batchNormTwice(out: Tensor, input: Tensor, weight: Tensor | null, training: boolean, stats: () => Stats): Tensor {
  let saved: { mu: Tensor; invstd: Tensor } | null = null;
  return plainGradsTwice(out, input, weight, 'NativeBatchNormBackwardBackward0', (gO, gg, i) => {
    if (saved === null) {
      const shapeC = input.shape.map((d, k) => (k === 1 ? d : 1));
      const st = stats();
      saved = { mu: new Tensor(Float32Array.from(st.mean), shapeC), invstd: new Tensor(Float32Array.from(st.invstd), shapeC) };
    }
    const which = i === 0 ? 'input' : weight !== null && i === 1 ? 'weight' : 'bias';
    return doubleBackward(input, weight, gO, gg, which, saved, training);
  });
}

/**
 * The same for instanceNorm's batchNorm in training over its input viewed as [1, N·C, …], the statistics recomputed
 * by the forward kernel (the same float64 sums, so the same values).
 */
export function batchNormTrainingTwice(out: Tensor, input: Tensor, weight: Tensor | null, eps: number): Tensor {
  return batchNormTwice(out, input, weight, true, () => {
    const [N, C] = input.shape as [number, number];
    const S = input.numel() / Math.max(1, N * C);
    const st = { mean: new Float64Array(C), sq: new Float64Array(C), invstd: new Float64Array(C) };
    if (input.numel() > 0) batchNormForward(input.values(), N, C, S, true, eps, null, null, st, new Float32Array(input.numel()));
    return st;
  });
}

/**
 * PyTorch 1.13's batchnorm_double_backward for one of the first backward's outputs: `gg` is the gradient of the
 * input's (ggI), the weight's (ggG) or the bias's (ggB) gradient; the result is [gI, gG (with a weight), ggO]. The
 * three outputs' contributions are summed by the backward walk rather than inside the formula. In evaluation the
 * input's gradient g·w·invstd is linear in g: ggI reaches no gI (null, as PyTorch's undefined tensor).
 */
function doubleBackward(
  input: Tensor, weight: Tensor | null, gO: Tensor, gg: Tensor, which: 'input' | 'weight' | 'bias',
  stats: { mu: Tensor; invstd: Tensor }, training: boolean,
): (Tensor | null)[] {
  const shapeC = stats.mu.shape;
  const reduced = input.shape.map((_, i) => i).filter((i) => i !== 1);
  const M = input.numel() / (input.shape[1] || 1);
  const sumEx = (t: Tensor): Tensor => t.sum(reduced, true);
  const expandC = (t: Tensor): Tensor => t.reshape(shapeC).expand(input.shape);
  const gamma = weight === null ? null : expandC(weight);
  const inputSubMu = input.sub(stats.mu);
  const s1 = stats.invstd; // sigma2_eps_neg_1_2
  const s2 = s1.pow(2);
  const s3 = s1.pow(3);
  const inputMuS3 = inputSubMu.mul(s3);
  const gOinmuSum = sumEx(gO.mul(inputSubMu));
  const gOSum = sumEx(gO);
  const withWeight = (gI: Tensor | null, gG: Tensor | null, ggO: Tensor | null): (Tensor | null)[] => (weight === null ? [gI, ggO] : [gI, gG, ggO]);
  // The first backward's input gradient: gamma·invstd/M · (M·g − Σg − (x − μ)·invstd²·Σ g·(x − μ)).
  const firstBack = (g: Tensor, gam: Tensor | null): Tensor => {
    const h0 = (gam === null ? s1 : gam.mul(s1)).div(M);
    const h1 = g.mul(M).sub(sumEx(g)).sub(inputSubMu.mul(s2).mul(sumEx(g.mul(inputSubMu))));
    return h0.mul(h1);
  };
  if (which === 'input' && !training) {
    const gG = weight === null ? null : gg.mul(gO).mul(s1).sum(reduced, false).reshape(weight.shape);
    const ggO = gg.mul(s1);
    return withWeight(null, gG, gamma === null ? ggO : ggO.mul(gamma));
  }
  if (which === 'weight' && !training) {
    const ggG = expandC(gg);
    return withWeight(ggG.mul(s1).mul(gO), null, ggG.mul(inputSubMu).mul(s1));
  }
  if (which === 'input') {
    const ggI = gg;
    const ggISum = sumEx(ggI);
    const ggIinmuSum = sumEx(ggI.mul(inputSubMu));
    const allSub = ggISum.mul(gOSum).div(M).sub(sumEx(gO.mul(ggI))).add(s2.mul(gOinmuSum).mul(ggIinmuSum).mul(3 / M));
    const gI0 = inputMuS3.mul(allSub).div(M);
    const gI1 = ggIinmuSum.mul(s3).div(M).mul(gOSum.div(M).sub(gO));
    const gI2 = gOinmuSum.mul(s3).div(M).mul(ggISum.div(M).sub(ggI));
    const sum = gI0.add(gI1).add(gI2);
    const gI = gamma === null ? sum : gamma.mul(sum);
    const gG = weight === null ? null : ggI.mul(firstBack(gO, null)).sum(reduced, false).reshape(weight.shape);
    return withWeight(gI, gG, firstBack(ggI, gamma));
  }
  if (which === 'weight') {
    const ggG = expandC(gg);
    const t0 = gO.mul(s1);
    const t1 = s1.mul(gOSum).div(-M);
    const t2 = inputMuS3.mul(sumEx(gO.mul(inputSubMu))).div(-M);
    const gI = ggG.mul(t0.add(t1).add(t2));
    return withWeight(gI, null, ggG.mul(inputSubMu).mul(s1));
  }
  return withWeight(null, null, expandC(gg).contiguous());
}
