/**
 * The functions dist/kernels.wasm exports (built from assembly/). Pointers are byte offsets into the shared
 * memory; sizes and strides count float32 elements; booleans are passed as 0/1.
 */
export interface WasmExports {
  heapBase(): number;
  nonzeros(a: number, n: number, stride: number, idx: number, val: number): number;
  rowAxpy(idx: number, val: number, nnz: number, b: number, bRs: number, n: number, c: number, bias: number, accumulate: number): void;
  gemmRowB(
    m: number, n: number, k: number, a: number, aRs: number, aCs: number, b: number, bRs: number,
    c: number, ldc: number, bias: number, accumulate: number, idx: number, val: number, panels: number,
  ): void;
  gemmColB(
    m: number, n: number, k: number, a: number, aRs: number, aCs: number, b: number, bCs: number,
    c: number, ldc: number, accumulate: number,
  ): void;
  gemmColBT(
    m: number, n: number, k: number, a: number, aRs: number, aCs: number, b: number, bCs: number,
    c: number, ldc: number, accumulate: number, scratch: number,
  ): void;
  weightGradColumns(
    x: number, rows: number, inF: number, g: number, n: number, c: number, overwrite: number, out: number, scratch: number,
  ): number;
  outerRows(rows: number, val: number, nrows: number, g: number, n: number, c: number, ldc: number, overwrite: number): void;
  addColumnSums(dst: number, g: number, rows: number, n: number): void;
  /** 1 when every float of a [rows, n] block (rows `stride` floats apart) is finite, else 0. */
  allFinite(p: number, rows: number, n: number, stride: number): number;
  sgd(p: number, g: number, n: number, a: number): void;
  sgdRows(p: number, g: number, width: number, rows: number, nrows: number, a: number): void;
  sgdOuter(p: number, width: number, rows: number, vals: number, nrows: number, g: number, a: number): void;
  sgdGeneral(p: number, g: number, b: number, n: number, flags: number, wd: number, mom: number, damp: number, a: number): void;
  zeroRows(p: number, width: number, rows: number, nrows: number): void;
  /** Adds +0 to the listed rows of `width` elements (−0 becomes +0). */
  addZeroRows(p: number, width: number, rows: number, nrows: number): void;
  /** p[0..n) ← v (v rounded to float32 by the call). */
  fillFloats(p: number, n: number, v: number): void;
  scale(p: number, n: number, c: number): void;
  addInPlace(dst: number, src: number, n: number): void;
  /** One RMSprop step over n floats (assembly/optim-more.ts); b and m are read only with their flags. */
  rmsprop(
    p: number, g: number, v: number, b: number, m: number, n: number, flags: number, alpha: number, rest: number, eps: number, wd: number, mom: number, a: number,
  ): void;
  /** One Adagrad step over n floats (assembly/optim-more.ts). */
  adagrad(p: number, g: number, s: number, n: number, flags: number, eps: number, wd: number, a: number): void;
  /** A plain RMSprop step where g is +0 outside the listed rows (assembly/optim-more.ts); `marks`: nrows bytes. */
  rmspropRows(
    p: number, g: number, v: number, width: number, nrows: number, rows: number, nlisted: number, marks: number, alpha: number, rest: number, eps: number, a: number,
  ): void;
  /** A plain Adagrad step where g is +0 outside the listed rows (assembly/optim-more.ts); `marks`: nrows bytes. */
  adagradRows(p: number, g: number, s: number, width: number, nrows: number, rows: number, nlisted: number, marks: number, eps: number, a: number): void;
  adam(
    p: number, g: number, m: number, v: number, vmax: number, n: number, flags: number,
    b1: number, a1: number, b2: number, a2: number, wd: number, eps: number, bc2: number, step: number, kStill: number, tmp: number,
  ): void;
  adamRows(
    p: number, g: number, m: number, v: number, width: number, nrows: number, ages: number, rows: number, nlisted: number, flags: number,
    b1: number, a1: number, b2: number, a2: number, eps: number, bc2: number, step: number, kStill: number,
    mFix: number, vFix: number, tmp: number, vals: number, factor: number, grow: number,
  ): void;
  /** I32 words adamRows keeps after the ages of a buffer with rows of `width`. */
  adamRowsExtra(width: number): number;
  /** All the i32 words adamRows keeps for `nrows` rows of `width` (ages, its words, quiet rows' counts). */
  adamRowsWords(width: number, nrows: number): number;
  /** Pays what adamRows' quiet rows owe to m and v, so that they hold the reference's values again. */
  adamRowsSettle(m: number, v: number, width: number, nrows: number, ages: number, b1: number, b2: number, mFix: number, vFix: number): void;
  /** Pays the updates young rows owe (all rows when x is 0, else those whose input x is not +0). */
  adamRowsPay(p: number, m: number, v: number, width: number, nrows: number, ages: number, x: number, b1: number, b2: number, tmp: number): void;
  layerNormForward(
    x: number, rows: number, n: number, w: number, b: number, eps: number, y: number, xhat: number, mean: number, rstd: number,
  ): void;
  layerNormBackward(
    g: number, xhat: number, rstd: number, rows: number, n: number, w: number, gx: number, gw: number, gb: number, acc: number,
    into: number,
  ): void;
  /** Returns how many lane indices it wrote to `redo` (lanes the caller computes). */
  sigmoidForward(x: number, n: number, y: number, redo: number): number;
  /** y[i] = float32(e^x[i]) for whole vectors; lanes left for the caller listed in redo (their count returned). */
  expForward(x: number, n: number, y: number, redo: number): number;
  /** y[i] = float32(tanh x[i]) for whole vectors; lanes left for the caller listed in redo (their count returned). */
  tanhForward(x: number, n: number, y: number, redo: number): number;
  /** out[o·inner + i] = float32 of the float64 sum over k, in order, of x[(o·n + k)·inner + i]; acc: inner float64s. */
  sumDim(x: number, outer: number, n: number, inner: number, acc: number, out: number): void;
  /** out: the float64 sum of x in lanes, the sum of magnitudes, the largest |sum before a block| + the block's magnitudes. */
  sumBlocks(x: number, n: number, block: number, out: number): void;
  /** values (float32) and indices (int32) of the max over the middle dimension, or of the min (min 1): the reference's rule. */
  extremeDim(x: number, outer: number, n: number, inner: number, min: number, values: number, indices: number): void;
  /** Softmax of rows (log 0; e: n float64s), or each row's max and sum of e^(x − max) into stats (log 1). */
  softmaxRows(x: number, rows: number, n: number, out: number, e: number, stats: number, log: number): void;
  /** out = (x − max) − logSum for each row, from stats (max, log of the sum, float64s). */
  logSoftmaxRows(x: number, rows: number, n: number, stats: number, out: number): void;
  /** gx = g − e^y · Σ g over each row. */
  logSoftmaxBackwardRows(y: number, g: number, rows: number, n: number, gx: number): void;
  /** e^x by the kernels' port of fdlibm: Math.exp's bits. */
  fdlibmExpF64(x: number): number;
  /** The two-lane form of the same: e^a and e^b as two float64s at out. */
  fdlibmExpPair(a: number, b: number, out: number): void;
  /** Dropout's keep mask from an mt19937 state (624 words at `state`, next word `index`); returns the new index. */
  keepMask(state: number, index: number, n: number, keep: number, scale: number, out: number): number;
  sigmoidBackward(y: number, g: number, n: number, out: number): void;
  leakyReluForward(x: number, n: number, slope: number, out: number): void;
  leakyReluBackward(x: number, g: number, n: number, slope: number, out: number): void;
  reluForward(x: number, n: number, out: number): void;
  reluBackward(y: number, g: number, n: number, out: number): void;
  /** out[i] = a[i] op b[i] (op 0 add, 1 sub, 2 mul, 3 div); a step of 0 reads one value for every i. */
  binaryFlat(op: number, a: number, aStep: number, b: number, bStep: number, out: number, n: number): void;
  /** out[r, j] = a[r, j] op b[r, j] over rows of `width`; an operand with its flag set is one row used for every r. */
  binaryRows(op: number, a: number, aRow: number, b: number, bRow: number, out: number, rows: number, width: number): void;
  /** out[i] = a[i] op (alpha·b[i]), the product rounded to float32 first. */
  binaryScaled(op: number, a: number, b: number, alpha: number, out: number, n: number): void;
  /** dst (cols × rows) ← the transpose of src (rows × cols), both row-major. */
  transpose(src: number, rows: number, cols: number, dst: number): void;
  /** A convolution's patch matrix [K, L] of one sample and group into cols (size = K·L floats), from a patch table. */
  im2col(x: number, rows: number, nrows: number, sw: number, cols: number, size: number): void;
  /** Each window's maximum (y) and its flat position in x plus offset (arg, i32; −1 for no tap), for `planes` planes. */
  maxPool2dForward(
    x: number, planes: number, h: number, w: number, ho: number, wo: number,
    kh: number, kw: number, sh: number, sw: number, ph: number, pw: number, dh: number, dw: number, y: number, arg: number, offset: number,
  ): void;
  /** Average pooling: each window's float64 sum (windows given per output: top, bottom, left, right) / its divisor. */
  avgPool2dForward(
    x: number, planes: number, h: number, w: number, n: number, top: number, bottom: number, left: number, right: number, divisor: number, y: number,
  ): void;
  /** Its backward pass: float32(g / divisor) added to each element of the window. */
  avgPool2dBackward(
    g: number, planes: number, h: number, w: number, n: number, top: number, bottom: number, left: number, right: number, divisor: number, gx: number,
  ): void;
  /** Batch normalisation's forward pass over [N, C, S]: statistics (training 1) or given ones, and the output. */
  batchNormForward(
    x: number, n: number, c: number, s: number, training: number, eps: number, w: number, b: number,
    mean: number, sq: number, invstd: number, scratch: number, y: number,
  ): void;
  /** Its backward pass: each channel's sums of g and (x − mean)·g, and the input's gradient when gx is not 0. */
  batchNormBackward(
    g: number, x: number, n: number, c: number, s: number, mean: number, invstd: number, w: number, training: number,
    sumG: number, dot: number, scratch: number, gx: number,
  ): void;
  /** gx[arg[o] − offset] += g[o] for o < n with arg[o] ≥ 0, in increasing o. */
  scatterAdd(g: number, arg: number, n: number, gx: number, offset: number): void;
  /** Adds a patch matrix [K, L] back onto the input elements it came from. */
  col2imAdd(cols: number, rows: number, nrows: number, sw: number, gx: number): void;
  /** y[o, 0..n) += bias[o] for `rows` rows. */
  addRowBias(y: number, rows: number, n: number, bias: number): void;
  /** sums[o] (float64) += g[s, o, 0..n) over samples s, then positions. */
  channelSums(g: number, samples: number, channels: number, n: number, sums: number): void;
  /** acc[i] += part[i]: float32 values into float64 sums. */
  addToF64(acc: number, part: number, n: number): void;
  /** 1 in dist/kernels-native.wasm, 0 in dist/kernels.wasm (see assembly/subnormals.ts). */
  nativeSubnormals(): number;
  /** Eight chains of `rounds` four-lane float32 products starting near `scale`: what the loader times. */
  subnormalProbe(scale: number, rounds: number): number;
}

/** Names the loader checks, so a stale or foreign kernels.wasm is refused instead of failing mid-training. */
export const EXPORT_NAMES: readonly (keyof WasmExports)[] = [
  'heapBase', 'nonzeros', 'rowAxpy', 'gemmRowB', 'gemmColB', 'gemmColBT', 'weightGradColumns', 'outerRows', 'addColumnSums',
  'allFinite', 'sgd', 'sgdRows', 'sgdOuter', 'sgdGeneral', 'zeroRows', 'addZeroRows', 'fillFloats', 'scale', 'addInPlace', 'rmsprop', 'adagrad', 'rmspropRows', 'adagradRows', 'adam', 'adamRows', 'adamRowsExtra', 'adamRowsWords', 'adamRowsSettle', 'adamRowsPay',
  'layerNormForward', 'layerNormBackward', 'sigmoidForward', 'sigmoidBackward', 'expForward', 'tanhForward', 'sumDim', 'sumBlocks', 'extremeDim', 'softmaxRows', 'logSoftmaxRows', 'logSoftmaxBackwardRows', 'fdlibmExpF64', 'fdlibmExpPair', 'keepMask',
  'leakyReluForward', 'leakyReluBackward', 'reluForward', 'reluBackward', 'binaryFlat', 'binaryRows', 'binaryScaled', 'nativeSubnormals', 'subnormalProbe', 'transpose',
  'maxPool2dForward', 'scatterAdd', 'avgPool2dForward', 'avgPool2dBackward', 'batchNormForward', 'batchNormBackward', 'im2col', 'col2imAdd', 'addRowBias', 'channelSums', 'addToF64',
];
