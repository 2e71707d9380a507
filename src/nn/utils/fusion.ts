/**
 * Folding a batch norm into the layer before it, PyTorch 1.13's `torch.nn.utils.fusion`: in evaluation a BatchNorm
 * after a convolution or a Linear layer is an affine map per channel, so one layer with scaled weights and a shifted
 * bias computes both — `fuseConvBnEval(conv, bn)` and `fuseLinearBnEval(linear, bn)` return that layer (a copy; the
 * originals are left as they are), `fuseConvBnWeights` and `fuseLinearBnWeights` the weights alone, each computed in
 * PyTorch's order of operations.
 */
import { KindlingError } from '../../errors.js';
import { Generator, withGenerator } from '../../random.js';
import { onesLike, zerosLike } from '../../tensor/creation.js';
import { Tensor } from '../../tensor/tensor.js';
import type { BatchNormBase } from '../batchnorm.js';
import type { Linear } from '../linear.js';
import type { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { buildModule, describeModule } from '../serialize.js';

/** A layer with a weight and a bias to fold a batch norm into. */
type Foldable = Module & { weight: Tensor; bias: Tensor | null };

/**
 * A copy of `m` with its options, values, frozen parameters and mode (PyTorch's `copy.deepcopy`), drawing nothing
 * from the global generator.
 */
function copyLayer<M extends Module>(m: M): M {
  const copy = withGenerator(new Generator(0), () => buildModule(describeModule(m, 'the layer to fuse'))) as M;
  copy.loadStateDict(m.stateDict());
  const own = new Map(m.namedParameters());
  for (const [n, p] of copy.namedParameters()) p.requiresGrad = own.get(n)!.requiresGrad;
  copy.train(m.training);
  return copy;
}

function checkEval(layer: Module, bn: BatchNormBase): void {
  if (layer.training || bn.training) throw new KindlingError('Fusion only for eval!');
  if (bn.runningMean === null || bn.runningVar === null) throw new KindlingError('fusion: the batch norm has no running statistics (trackRunningStats false), so it has no fixed map to fold');
}

/**
 * The weight and bias of a convolution followed by a batch norm in evaluation, PyTorch's
 * `fuse_conv_bn_weights(conv_w, conv_b, bn_rm, bn_rv, bn_eps, bn_w, bn_b, transpose=False)` (`transpose` for a
 * transposed convolution, whose output channels are its weight's dimension 1). Returns two new parameters.
 */
export function fuseConvBnWeights(
  convW: Tensor, convB: Tensor | null, runningMean: Tensor, runningVar: Tensor, eps: number, bnW: Tensor | null, bnB: Tensor | null, transpose = false,
): [Tensor, Tensor] {
  const b = convB ?? zerosLike(runningMean);
  const w = bnW ?? onesLike(runningMean);
  const shift = bnB ?? zerosLike(runningMean);
  const rsqrt = runningVar.add(eps).rsqrt();
  const shape = [...(transpose ? [1, -1] : [-1, 1]), ...new Array<number>(convW.ndim - 2).fill(1)];
  const fusedW = convW.mul(w.mul(rsqrt).reshape(shape));
  const fusedB = b.sub(runningMean).mul(rsqrt).mul(w).add(shift);
  return [new Parameter(fusedW.detach()), new Parameter(fusedB.detach())];
}

/**
 * The weight and bias of a Linear layer followed by a batch norm in evaluation, PyTorch's
 * `fuse_linear_bn_weights(linear_w, linear_b, bn_rm, bn_rv, bn_eps, bn_w, bn_b)`. Returns two new parameters.
 */
export function fuseLinearBnWeights(
  linearW: Tensor, linearB: Tensor | null, runningMean: Tensor, runningVar: Tensor, eps: number, bnW: Tensor, bnB: Tensor,
): [Tensor, Tensor] {
  const b = linearB ?? zerosLike(runningMean);
  const scale = bnW.mul(runningVar.add(eps).rsqrt());
  return [new Parameter(linearW.mul(scale.unsqueeze(-1)).detach()), new Parameter(b.sub(runningMean).mul(scale).add(bnB).detach())];
}

/**
 * A convolution computing `bn(conv(x))` for a convolution and batch norm in evaluation mode, PyTorch's
 * `fuse_conv_bn_eval(conv, bn, transpose=False)`: a copy of `conv` with the fused weight and bias.
 */
export function fuseConvBnEval<C extends Foldable>(conv: C, bn: BatchNormBase, transpose = false): C {
  checkEval(conv, bn);
  const fused = copyLayer(conv);
  [fused.weight, fused.bias] = fuseConvBnWeights(fused.weight, fused.bias, bn.runningMean!, bn.runningVar!, bn.eps, bn.weight, bn.bias, transpose);
  return fused;
}

/**
 * A Linear layer computing `bn(linear(x))` for a Linear layer and batch norm in evaluation mode, PyTorch's
 * `fuse_linear_bn_eval(linear, bn)`: a copy of `linear` with the fused weight and bias.
 */
export function fuseLinearBnEval(linear: Linear, bn: BatchNormBase): Linear {
  checkEval(linear, bn);
  if (bn.weight === null || bn.bias === null) throw new KindlingError('fuseLinearBnEval: the batch norm has no weight and bias (affine false), which PyTorch\'s fuse_linear_bn_weights needs');
  const fused = copyLayer(linear);
  [fused.weight, fused.bias] = fuseLinearBnWeights(fused.weight, fused.bias, bn.runningMean!, bn.runningVar!, bn.eps, bn.weight, bn.bias);
  return fused;
}
