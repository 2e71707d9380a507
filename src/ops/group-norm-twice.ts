/**
 * The differentiable gradient of group normalisation. PyTorch 1.13 computes group norm's gradient with create_graph
 * by a composition of ops, infinitely_differentiable_native_group_norm_backward (FunctionsManual.cpp), over the mean
 * and rstd the forward returned — outputs of native_group_norm whose own gradients lead back to the input — so its
 * second and third derivatives are that composition's. Here the first-order gradients are the plain kernel's values
 * (bit-equal to a plain walk: PyTorch's composition, float32 sums of x·dy less mean·Σdy, is 1e-4 off its own plain
 * kernel at an offset of 1000), each recorded as a node of the input, the weight and the incoming gradient whose
 * backward is the gradient of that composition, rebuilt with ops (the mean and rstd computed from the input with
 * ops, so that they are differentiable as PyTorch's are) when a higher derivative is asked for (norm-twice.ts).
 */
import { grad } from '../autograd/grad.js';
import { enableGrad } from '../autograd/grad-mode.js';
import type { Tensor } from '../tensor/tensor.js';
import { plainGradsTwice } from './norm-twice.js';
import { reshape } from './view.js';

/**
 * Gives the groupNorm node of `out` (inputs [input, weight?, bias?], G groups) that double backward. A tensor without
 * a node is returned as it is. The bias's gradient, Σ gO, depends on the incoming gradient alone, as in PyTorch's
 * composition: it requires no grad where that gradient does not (a loss linear in the output).
 */
export function groupNormTwice(out: Tensor, input: Tensor, weight: Tensor | null, hasBias: boolean, G: number, eps: number): Tensor {
  const second = (graph: boolean) => (gO: Tensor, gg: Tensor, i: number): (Tensor | null)[] => {
    const operands = weight === null ? [input, gO] : [input, weight, gO];
    const run = (): (Tensor | null)[] => {
      // Each operand enters afresh (a view of it with createGraph, so that the result has a graph back to it; a
      // detached copy otherwise), so that its gradient is its own partial derivative even where one is computed
      // from another (the incoming gradient from the input, in a gradient penalty).
      const fresh = operands.map((t) => (!t.requiresGrad ? t : graph ? reshape(t, t.shape) : t.detach().requiresGrad_(true)));
      const wanted = fresh.filter((t) => t.requiresGrad);
      const outs = compose(fresh[0]!, weight === null ? null : fresh[1]!, fresh[fresh.length - 1]!, G, eps);
      const y = outs[i];
      if (y === null || y === undefined || !y.requiresGrad || wanted.length === 0) return operands.map(() => null);
      const grads = grad([y], wanted, [gg], { createGraph: graph, allowUnused: true });
      return fresh.map((t) => (t.requiresGrad ? grads[wanted.indexOf(t)] ?? null : null));
    };
    return graph ? run() : enableGrad(run);
  };
  // PyTorch's gradients with create_graph are that composition's outputs, each last made by a reshape.
  return plainGradsTwice(out, input, weight, 'NativeGroupNormBackwardBackward0', second(false), second(true), 'ReshapeAliasBackward0',
    hasBias ? (weight === null ? 1 : 2) : -1);
}

/**
 * PyTorch 1.13's infinitely_differentiable_native_group_norm_backward for an incoming gradient dY (no gradient at the
 * mean and rstd), with ops: per sample n and group g (D = C/G channels of S positions), ds = Σ dy·x and db = Σ dy
 * over the positions of each channel; b = (Σ db·w · mean − Σ ds·w)·rstd³/(D·S), c = −b·mean − Σ db·w · rstd/(D·S),
 * dx = rstd·w·dy + b·x + c; dweight = Σ_n (ds − db·mean)·rstd, dbias = Σ_n db. The mean and biased variance are
 * recomputed from x with ops, rstd = (var + eps)^(−1/2) (the forward's, to float32 rounding).
 */
function compose(x: Tensor, weight: Tensor | null, dY: Tensor, G: number, eps: number): (Tensor | null)[] {
  const [N, C] = x.shape as [number, number];
  const D = C / G;
  const S = x.shape.slice(2).reduce((a, d) => a * d, 1);
  const s = 1 / (D * S);
  const rows = x.reshape([N, G, D * S]);
  const mean = rows.mean(2, true);
  const centred = rows.sub(mean);
  const rstd = centred.mul(centred).mean(2, true).add(eps).pow(-0.5).reshape([N, G, 1, 1]);
  const meanT = mean.reshape([N, G, 1, 1]);
  const X = x.reshape([N, G, D, S]);
  const dy = dY.reshape([N, G, D, S]);
  const ds = dy.mul(X).sum(3, true);
  const db = dy.sum(3, true);
  const gamma = weight === null ? null : weight.reshape([1, G, D, 1]);
  const a = gamma === null ? rstd : rstd.mul(gamma);
  const bSum = (gamma === null ? ds : ds.mul(gamma)).sum(2, true);
  const cSum = (gamma === null ? db : db.mul(gamma)).sum(2, true);
  const rstdCube = rstd.mul(rstd).mul(rstd);
  const b = cSum.mul(meanT).sub(bSum).mul(rstdCube).mul(s);
  const c = b.neg().mul(meanT).sub(cSum.mul(rstd).mul(s));
  const dX = a.mul(dy).add(b.mul(X)).add(c).reshape(x.shape);
  const dW = weight === null ? null : ds.sub(db.mul(meanT)).mul(rstd).sum(0, false).reshape([C]);
  const dB = db.sum(0, false).reshape([C]);
  return weight === null ? [dX, dB] : [dX, dW, dB];
}
