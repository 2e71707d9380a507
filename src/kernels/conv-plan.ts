/**
 * One 2-D convolution call as the kernels see it (src/ops/conv.ts makes it): the sizes, and the patch table that
 * describes the patch matrix [K, L] of one sample and group (the same for every sample and group). Four integers
 * per row of outputs whose tap lands inside the input: the matrix offset `at` of its first column, the input offset
 * `base` from the group's first channel, and the columns [x0, x1) that land inside, column x reading base + x·sw.
 */
export interface ConvPlan {
  /** Samples, input channels, and the floats of one input channel (H·W). */
  readonly N: number;
  readonly C: number;
  readonly HW: number;
  /** Output channels, groups, and the input and output channels of one group. */
  readonly O: number;
  readonly groups: number;
  readonly Cg: number;
  readonly Og: number;
  /** The patch matrix's rows (Cg·kh·kw) and columns (Ho·Wo). */
  readonly K: number;
  readonly L: number;
  /** The horizontal stride. */
  readonly sw: number;
  readonly rows: Int32Array;
}

/** Where the backward pass writes the gradients asked for (null for one not asked for): input, weight and bias. */
export interface ConvGrads {
  readonly input: Float32Array | null;
  readonly weight: Float32Array | null;
  readonly bias: Float32Array | null;
}
