/**
 * The differentiable gradient of layer normalisation, as PyTorch 1.13's: with createGraph the first-order gradients
 * are the plain kernel's values (PyTorch runs the same native_layer_norm_backward kernel), each recorded as a
 * NativeLayerNormBackwardBackward0 node whose own backward is PyTorch's layer_norm_double_backward
 * (FunctionsManual.cpp), written with ops in its order over rows [M, N] and reading the forward pass's saved mean
 * and rstd (norm-twice.ts). As PyTorch's, the statistics are constants of that graph (derivatives.yaml: the mean and
 * rstd of native_layer_norm_backward are not differentiated), so a third derivative does not go through them.
 */
import { Tensor } from '../tensor/tensor.js';
import { plainGradsTwice } from './norm-twice.js';

/**
 * Gives the layerNorm node of `out` (inputs [x, weight?, bias?], over the last dimensions of size n in total) that
 * double backward; `mean` and `rstd` are the forward kernel's, one per row (kept by reference, as the plain
 * backward keeps rstd: the forward does not reuse them). A tensor without a node is returned as it is.
 */
export function layerNormTwice(out: Tensor, x: Tensor, weight: Tensor | null, n: number, mean: Float32Array, rstd: Float32Array): Tensor {
  return plainGradsTwice(out, x, weight, 'NativeLayerNormBackwardBackward0', (gO, gg, i) => {
    const which = i === 0 ? 'input' : weight !== null && i === 1 ? 'weight' : 'bias';
    return doubleBackward(x, weight, gO, gg, which, n, mean, rstd);
  });
}

/**
 * PyTorch 1.13's layer_norm_double_backward for one of the first backward's outputs: `gg` is the gradient of the
 * input's (ggI), the weight's (ggG) or the bias's (ggB) gradient; the result is [gI, gG (with a weight), ggO], the
 * three outputs' contributions summed by the backward walk.
 */
function doubleBackward(
  x: Tensor, weight: Tensor | null, gOIn: Tensor, gg: Tensor, which: 'input' | 'weight' | 'bias',
  N: number, mean: Float32Array, rstd: Float32Array,
): (Tensor | null)[] {
  const M = N === 0 ? 0 : x.numel() / N;
  const withWeight = (gI: Tensor | null, gG: Tensor | null, ggO: Tensor | null): (Tensor | null)[] => (weight === null ? [gI, ggO] : [gI, gG, ggO]);
  const back = (t: Tensor | null): Tensor | null => (t === null ? null : t.expand([M, N]).reshape(x.shape));
  if (which === 'bias') return withWeight(null, null, back(gg.reshape([1, N])));
  const input = x.reshape([M, N]);
  const gO = gOIn.reshape([M, N]);
  const mu = new Tensor(Float32Array.from(mean.subarray(0, M)), [M, 1]);
  const s1 = new Tensor(Float32Array.from(rstd.subarray(0, M)), [M, 1]); // sigma2_eps_neg_1_2
  const gamma = weight === null ? null : weight.reshape([1, N]);
  const inputSubMu = input.sub(mu);
  const s2 = s1.pow(2);
  const s3 = s1.pow(3);
  const inputMuS3 = inputSubMu.mul(s3);
  const rowSum = (t: Tensor): Tensor => t.sum(1, true);
  if (which === 'weight') {
    const ggG = gg.reshape([1, N]);
    const t0 = gO.mul(ggG).mul(s1);
    const t1 = s1.mul(rowSum(gO.mul(ggG))).div(-N);
    const t2 = inputMuS3.mul(rowSum(gO.mul(ggG).mul(inputSubMu))).div(-N);
    const gI = t0.add(t1).add(t2).reshape(x.shape);
    return withWeight(gI, null, back(ggG.mul(inputSubMu).mul(s1)));
  }
  const ggI = gg.reshape([M, N]);
  const gxhat = gamma === null ? gO : gO.mul(gamma);
  const gxhatMuSum = rowSum(gxhat.mul(inputSubMu));
  const gxhatSum = rowSum(gxhat);
  const ggISum = rowSum(ggI);
  const ggIMuSum = rowSum(ggI.mul(inputSubMu));
  const allSub = ggISum.mul(gxhatSum).div(N).sub(rowSum(ggI.mul(gxhat))).add(s2.mul(gxhatMuSum).mul(ggIMuSum).mul(3 / N));
  const gI0 = inputMuS3.mul(allSub).div(N);
  const gI1 = ggIMuSum.mul(s3).div(N).mul(gxhatSum.div(N).sub(gxhat));
  const gI2 = gxhatMuSum.mul(s3).div(N).mul(ggISum.div(N).sub(ggI));
  const gI = gI0.add(gI1).add(gI2).reshape(x.shape);
  // The first backward's input gradient: gamma·rstd/N · (N·g − Σg − (x − μ)·rstd²·Σ g·(x − μ)), per row.
  const firstBack = (g: Tensor, gam: Tensor | null): Tensor => {
    const h0 = (gam === null ? s1 : gam.mul(s1)).div(N);
    const h1 = g.mul(N).sub(rowSum(g)).sub(inputSubMu.mul(s2).mul(rowSum(g.mul(inputSubMu))));
    return h0.mul(h1);
  };
  const gG = weight === null ? null : gO.mul(firstBack(ggI, null)).sum(0, false).reshape(weight.shape);
  return withWeight(gI, gG, back(firstBack(ggI, gamma)));
}
