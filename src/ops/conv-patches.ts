// A convolution written with ops whose gradients have graphs (cat, indexSelect, matmul, reshape, add), from the
// kernels' plan: each sample's and group's patch matrix [K, L] gathered from its input channels (a zero where a tap
// falls in the padding), times the group's weights [Og, K]. What conv3d's gradient graph differentiates
// (autograd/twice.ts composedTwice: second derivatives); the values are the fused kernel's up to float32 rounding.
import type { ConvPlan } from '../kernels/conv-plan.js';
import { zeros } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { cat } from './join.js';

/** Where each entry of one sample's and group's patch matrix reads, counted from 1 in its channels (0: the padding). */
function patchIndex(plan: ConvPlan): Tensor {
  const from = new Float32Array(plan.K * plan.L);
  const rows = plan.rows;
  for (let r = 0; r < rows.length; r += 4) {
    const [at, base, x0, x1] = [rows[r]!, rows[r + 1]!, rows[r + 2]!, rows[r + 3]!];
    for (let x = x0; x < x1; x++) from[at + x] = base + x * plan.sw + 1;
  }
  return new Tensor(from, [from.length]);
}

/** input [N, C, …] convolved with weight [O, C / groups, …] (+ bias [O]) into `outShape`, as the plan says. */
export function convByPatches(plan: ConvPlan, input: Tensor, weight: Tensor, bias: Tensor | null, outShape: readonly number[]): Tensor {
  const { N, groups, Cg, HW, Og, K, L } = plan;
  const channels = input.reshape([N, groups, Cg * HW]);
  const padded = cat([zeros([N, groups, 1]), channels], 2);
  const patches = padded.indexSelect(2, patchIndex(plan)).reshape([N, groups, K, L]);
  let out = weight.reshape([1, groups, Og, K]).matmul(patches).reshape([N, groups * Og, L]);
  if (bias !== null) out = out.add(bias.reshape([groups * Og, 1]));
  return out.reshape([...outShape]);
}

/**
 * The transposed convolution whose plan is `plan` (the convolution of its output into its input): each group's
 * weights transposed, times the input's channels, gives the patch matrix's columns, which are added back into the
 * output where the patches read it (the slot of the padding thrown away), plus the bias.
 */
export function convTransposeByPatches(plan: ConvPlan, input: Tensor, weight: Tensor, bias: Tensor | null, outShape: readonly number[]): Tensor {
  const { N, groups, Cg, HW, Og, K, L } = plan;
  const columns = weight.reshape([1, groups, Og, K]).transpose(-2, -1).matmul(input.reshape([N, groups, Og, L])).reshape([N, groups, K * L]);
  const summed = zeros([N, groups, 1 + Cg * HW]).indexAdd(2, patchIndex(plan), columns);
  let out = summed.narrow(2, 1, Cg * HW).reshape([N, groups * Cg, HW]);
  if (bias !== null) out = out.add(bias.reshape([groups * Cg, 1]));
  return out.reshape([...outShape]);
}
