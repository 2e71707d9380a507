/**
 * The differentiable gradient of batch normalisation with the batch's statistics, as PyTorch 1.13's: with createGraph
 * the first-order gradients are the plain backward's values (PyTorch runs the same native_batch_norm_backward kernel),
 * each recorded as a NativeBatchNormBackwardBackward0 node whose own backward is PyTorch's
 * batchnorm_double_backward (FunctionsManual.cpp), written with ops in its order and reading the saved mean and
 * inverse standard deviation. A composition of the forward differentiated instead recomputes the statistics from
 * float32 ops: the squares of values near 1e-20 are subnormal and its gradients NaN, and at an offset of 1000 it is
 * 1e-5 off the kernel's. As PyTorch's, the saved statistics are constants of that graph (a third derivative does not
 * go through them).
 */
import { noGrad } from '../autograd/grad-mode.js';
import { GraphNode, record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { batchNormForward } from '../kernels/batch-norm.js';
import type { GradFn } from '../tensor/tensor.js';
import { Tensor } from '../tensor/tensor.js';

type Backward = GradFn['backward'];

/**
 * Gives the training-mode batchNorm node of `out` (inputs [input, weight?, bias?]) PyTorch's double backward (the
 * bias's gradient, Σ g, needs only the incoming gradient). `out`
 * must be batchNorm's own output, untouched; a tensor without a node is returned as it is.
 */
export function batchNormTrainingTwice(out: Tensor, input: Tensor, weight: Tensor | null, eps: number): Tensor {
  const node = out.gradFn;
  if (!(node instanceof GraphNode)) return out;
  const plain = node.backward;
  node.graphBackward = (gO) => {
    const grads = noGrad(() => plain(gO));
    const [N, C] = input.shape as [number, number];
    const S = input.numel() / Math.max(1, N * C);
    const shapeC = input.shape.map((d, i) => (i === 1 ? d : 1));
    // The statistics the forward kernel computed (save_mean and save_invstd), as float32 tensors.
    const st = { mean: new Float64Array(C), sq: new Float64Array(C), invstd: new Float64Array(C) };
    if (input.numel() > 0) batchNormForward(input.values(), N, C, S, true, eps, null, null, st, new Float32Array(input.numel()));
    const stats = { mu: new Tensor(Float32Array.from(st.mean), shapeC), invstd: new Tensor(Float32Array.from(st.invstd), shapeC) };
    const inputs = [input, ...(weight ? [weight] : []), gO];
    return grads.map((gi, i) => {
      if (gi === null || gi === undefined) return null;
      const which = i === 0 ? 'input' : weight !== null && i === 1 ? 'weight' : 'bias';
      const back: Backward = (h) => doubleBackward(input, weight, gO, h, which, stats);
      const fresh = gi.gradFn !== null || gi === gO ? new Tensor(gi.toArray(), gi.shape) : gi;
      return twice(record(fresh, 'NativeBatchNormBackwardBackward0', inputs, back), back);
    });
  };
  return out;
}

/**
 * PyTorch 1.13's batchnorm_double_backward (training) for one of the first backward's outputs: `gg` is the gradient
 * of the input's (ggI), the weight's (ggG) or the bias's (ggB) gradient; the result is [gI, gG (with a weight), ggO].
 * The three outputs' contributions are summed by the backward walk rather than inside the formula.
 */
function doubleBackward(
  input: Tensor, weight: Tensor | null, gO: Tensor, gg: Tensor, which: 'input' | 'weight' | 'bias',
  stats: { mu: Tensor; invstd: Tensor },
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
