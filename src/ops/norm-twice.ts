/**
 * How the fused normalisations (batchNorm, instanceNorm, layerNorm, groupNorm) make their gradients differentiable as
 * PyTorch 1.13 does: a walk with createGraph runs the op's plain backward kernel, so the first-order gradients are
 * the values a plain walk gives (to the bit), and records each of them as a node of the op's input, its weight and
 * the incoming gradient whose own backward is PyTorch's double backward for that output (batchnorm_double_backward,
 * layer_norm_double_backward, or group norm's differentiable composition). A composition of the forward
 * differentiated instead recomputes the statistics from float32 ops: its first-order values drift from the kernel's
 * where the statistics cancel (an offset of 1000) and turn NaN where squares are subnormal (values near 1e-20 with
 * eps 0), where PyTorch's kernels give the plain values.
 */
import { noGrad } from '../autograd/grad-mode.js';
import { GraphNode, record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import type { GradFn } from '../tensor/tensor.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * The double backward of one first-order output: `gO` the gradient the first walk brought to the op, `gg` the one
 * arriving at the op's output `i` (0 the input's gradient, then the weight's and the bias's where the op has them);
 * gives the gradients of [input, weight (when the op has one), gO].
 */
export type DoubleBackward = (gO: Tensor, gg: Tensor, i: number) => (Tensor | null)[];

/**
 * Gives the node of `out` (inputs [input, weight?, bias?]) that differentiable backward: `back` for a plain walk over
 * the recorded gradients, `graphBack` (default `back`) for a walk with createGraph (a third derivative). A tensor
 * without a node is returned as it is. The gradients' nodes are named `name` for PyTorch too (`grad_fn=<…>`,
 * NativeBatchNormBackwardBackward0), or `torchName` where PyTorch's gradient comes out of a composition of ops
 * (group norm's, whose last node is a ReshapeAliasBackward0). Output `gradOnly` (−1: none) is a function of the
 * incoming gradient alone, as group norm's bias gradient, Σ gO, in PyTorch's composition: its node has that one input,
 * so it requires no grad where the incoming gradient does not, as PyTorch's.
 */
export function plainGradsTwice(
  out: Tensor, input: Tensor, weight: Tensor | null, name: string, back: DoubleBackward, graphBack: DoubleBackward = back, torchName = name,
  gradOnly = -1,
): Tensor {
  const node = out.gradFn;
  if (!(node instanceof GraphNode)) return out;
  const plain = node.backward;
  node.graphBackward = (gO) => {
    const grads = noGrad(() => plain(gO));
    const inputs = weight === null ? [input, gO] : [input, weight, gO];
    return grads.map((gi, i) => {
      if (gi === null || gi === undefined) return null;
      // The plain backward may hand back gO itself (a bias's gradient of one row): the node needs a tensor of its own.
      const fresh = gi.gradFn !== null || gi === gO ? new Tensor(gi.toArray(), gi.shape) : gi;
      if (i === gradOnly) {
        // The gradient of gO alone: the last of the double backward's gradients.
        const toGrad = (f: DoubleBackward): GradFn['backward'] => (h) => [f(gO, h, i).at(-1) ?? null];
        return twice(record(fresh, name, [gO], toGrad(back), undefined, torchName), toGrad(graphBack));
      }
      const plainBack: GradFn['backward'] = (h) => back(gO, h, i);
      return twice(record(fresh, name, inputs, plainBack, undefined, torchName), graphBack === back ? plainBack : (h) => graphBack(gO, h, i));
    });
  };
  return out;
}
