/** Kindling's public API. Importing it has no side effects. */
export { Tensor, type GradFn, type NestedArray } from './tensor/tensor.js';
export type { BackwardOptions } from './autograd/backward.js';
export { RemovableHandle, type GradHook } from './autograd/hooks.js';
export { arange, asTensor, empty, emptyLike, full, fullLike, linspace, ones, onesLike, rand, randn, range, tensor, zeros, zerosLike, type ArangeOptions, type LinspaceOptions, type RandomTensorOptions, type RangeOptions, type SizesAndOptions, type TensorOptions } from './tensor/creation.js';
export { eye, randint, randintLike, randperm, type IntegerDrawOptions, type RandintOptions } from './tensor/integers.js';
export { bernoulli, normal, randLike, randnLike, type FillOptions, type NormalOptions, type RandomLikeOptions, type RandomLikeTensorOptions } from './ops/random-fills.js';
export { binomial, poisson } from './ops/random-samplers.js';
export { multinomial } from './ops/multinomial.js';
export { floatPower, frexp, histogram, nextafter, type HistogramOptions } from './ops/float-bits.js';
export type { Indices, IndexPutOptions } from './ops/advanced-index.js';
export { where } from './ops/binary.js';
export {
  abs, absolute, add, all, any, argmax, argmin, argsort, ceil, chunk, clone, cumprod, cumsum, detach, div, divide, eq, exp, fix, flatten, floor,
  gather, ge, greater, greaterEqual, gt, indexSelect, le, less, lessEqual, log, logSoftmax, logsumexp, lt, maskedFill, max, maximum, mean, min,
  minimum, mul, multiply, narrow, ne, neg, negative, notEqual, numel, permute, relu, reshape, round, rsub, select, sgn, sigmoid, sign, softmax,
  sort, split, sqrt, square, squeeze, std, sub, subtract, sum, t, tanh, topk, transpose, trueDivide, trunc, unsqueeze, variance, variance as var,
} from './tensor/function-forms.js';
export type { DivOptions } from './ops/division.js';
export type { SortOptions } from './ops/sort.js';
export {
  abs_, absolute_, acos_, acosh_, addmv_, arccos, arccos_, arccosh, arccosh_, arcsin, arcsin_, arcsinh, arcsinh_, arctan, arctan2, arctan_,
  arctanh, arctanh_, asin_, asinh_, atan_, atanh_, ceil_, clampMax_, clampMin_, clamp_, clip_, cos_, cosh_, deg2rad_, detach_, erf_, erfc_, exp2_, exp_,
  expm1_, fill_, fix_, floor_, frac_, i0_, indexPut, indexPut_, isComplex, isFloatingPoint, isNonzero, isSameSize, isTensor, ldexp_, log10_, log1p_, log2_, log_,
  logit_, matrixExp, matrixPower, msort, nanToNum_, neg_, negative_, pinverse, positive, rad2deg_, reciprocal_, relu_, renorm, round_, rsqrt_,
  sigmoid_, sin_, sinc_, sinh_, sqrt_, square_, tan_, tanh_, trunc_, xlogy_, zero_,
} from './tensor/function-forms-inplace.js';
export { matmul } from './ops/matmul.js';
export { addbmm, addmm, addmv, baddbmm, bmm, dot, inner, kron, mm, mv, outer, type AddProductOptions } from './ops/products.js';
export { einsum, type Subscript } from './ops/einsum.js';
export { tensordot, type TensordotDims } from './ops/tensordot.js';
export { cartesianProd, combinations, meshgrid, type CombinationsOptions, type MeshgridOptions } from './ops/grids.js';
export { blockDiag } from './ops/block-diag.js';
export { cross } from './ops/cross.js';
export { bucketize, searchsorted, type SearchsortedOptions } from './ops/searchsorted.js';
export { trilIndices, triuIndices } from './ops/triangle-indices.js';
export { corrcoef, cov, type CovOptions } from './ops/statistics.js';
export { stdMean, varMean } from './ops/variance-mean.js';
export { digamma, lgamma, mvlgamma, polygamma } from './ops/gamma.js';
export { cdist, type CdistComputeMode } from './ops/cdist.js';
export * as autograd from './autograd/index.js';
export * as linalg from './linalg/index.js';
export * as special from './special/index.js';
export * as distributions from './distributions/index.js';
export { i0 } from './ops/special-math.js';
export { det, slogdet } from './linalg/det.js';
export { inv as inverse } from './linalg/inverse.js';
export { logdet } from './linalg/logdet.js';
export { choleskyDeprecated as cholesky } from './linalg/cholesky.js';
export { choleskyInverse, choleskySolve, torchVander as vander } from './linalg/chain.js';
export { qrLegacy as qr, svdLegacy as svd } from './linalg/legacy.js';
export { luLegacy as lu, luSolveLegacy as luSolve, luUnpack } from './linalg/lu-factor.js';
export { cumulativeTrapezoid, trapezoid, trapz, type TrapezoidOptions } from './ops/trapezoid.js';
export { ger } from './ops/products.js';
export { prod } from './ops/prod.js';
export { amax, amin, aminmax, type MinMax } from './ops/amax.js';
export { countNonzero, nanmean, nansum } from './ops/nan-reduce.js';
export { diff, type DiffOptions } from './ops/diff.js';
export { gradient, type GradientOptions } from './ops/gradient.js';
export { gammainc as igamma, gammaincc as igammac } from './ops/special-binary.js';
export { allclose, equal, isclose, type CloseOptions } from './ops/isclose.js';
export { cummax, cummin } from './ops/cummax.js';
export { kthvalue, median, mode, nanmedian } from './ops/median.js';
export { logcumsumexp } from './ops/logcumsumexp.js';
export { unique, uniqueConsecutive, type UniqueOptions } from './ops/unique.js';
export { bincount, histc, type BincountOptions, type HistcOptions } from './ops/histogram.js';
export { pow } from './ops/pow.js';
export { cos, sin } from './ops/trig.js';
export {
  acos, acosh, asin, asinh, atan, atanh, cosh, deg2rad, erf, erfc, erfinv, exp2, expm1, frac, isfinite, isinf, isnan, isneginf, isposinf,
  log10, log1p, log2, logit, nanToNum, rad2deg, reciprocal, rsqrt, signbit, sinc, sinh, tan, type LogitOptions, type NanToNumOptions,
} from './ops/unary-math.js';
export { clamp, clamp as clip } from './ops/unary.js';
export type { ClampBound, ClampOptions } from './ops/clamp-bounds.js';
export { atan2, clampMax, clampMin, copysign, floorDivide, fmax, fmin, fmod, hypot, logaddexp, logaddexp2, remainder, xlogy } from './ops/binary-math.js';
export { addcdiv, addcmul, lerp, type ValueOption } from './ops/ternary-math.js';
export { logicalAnd, logicalNot, logicalOr, logicalXor } from './ops/logical.js';
export { norm, type NormOrder } from './ops/norm.js';
export { cat, cat as concat, cat as concatenate, stack } from './ops/join.js';
export { atleast1d, atleast2d, atleast3d, broadcastShapes, broadcastTensors, columnStack, dstack, hstack, rowStack, vstack } from './ops/stacks.js';
export { nanquantile, quantile, type QuantileInterpolation, type QuantileOptions } from './ops/quantile.js';
export { dsplit, hsplit, tensorSplit, vsplit } from './ops/tensor-split.js';
export { takeAlongDim } from './ops/take-along-dim.js';
export { diagonalScatter, maskedScatter, selectScatter, sliceScatter } from './ops/scatter-views.js';
export { newaxis, slice, Slice } from './ops/basic-index.js';
export { scatterReduce, type ScatterReduction } from './ops/scatter-reduce.js';
export { addr, diagflat, dist, heaviside, isin, ldexp, vdot, type AddrOptions } from './ops/vector-math.js';
export { bartlettWindow, blackmanWindow, hammingWindow, hannWindow, kaiserWindow, logspace, type LogspaceOptions, type WindowOptions } from './ops/windows.js';
export { flip, fliplr, flipud, roll, tril, triu } from './ops/flip.js';
export { adjoint, movedim, movedim as moveaxis, swapaxes, swapaxes as swapdims, unbind } from './ops/movedim.js';
export { broadcastTo, ravel } from './ops/as-shape.js';
export { diag, diagEmbed, diagonal, trace } from './ops/diagonal.js';
export { repeatInterleave, tile, type RepeatInterleaveOptions } from './ops/tile.js';
export { rot90, unflatten } from './ops/unflatten.js';
export { scatter, scatterAdd, type ScatterOptions } from './ops/scatter.js';
export { indexAdd, indexCopy, indexFill, take, type IndexAddOptions } from './ops/index-put.js';
export { put, type PutOptions } from './ops/put.js';
export { argwhere, maskedSelect, nonzero, type NonzeroOptions } from './ops/nonzero.js';
export { enableGrad, isGradEnabled, noGrad, setGradEnabled } from './autograd/grad-mode.js';
export { isAnomalyCheckNanEnabled, isAnomalyEnabled } from './autograd/anomaly.js';
export { inferenceMode, isInferenceModeEnabled } from './autograd/inference-mode.js';
export { DEFAULT_SEED, Generator, getDefaultGenerator, getRngState, initialSeed, manualSeed, seed, setRngState, withGenerator, type GeneratorState } from './random.js';
export { KindlingError } from './errors.js';
export { BackendError, getBackend, setBackend, useWasmKernels, wasmAvailable, type BackendName } from './kernels/backend.js';
export * as nn from './nn/index.js';
export * as F from './nn/functional.js';
export * as optim from './optim/index.js';
export * as data from './data/index.js';
export * as io from './io/index.js';
export * as utils from './utils/index.js';
export { loadFile, saveFile } from './io/tensor-file.js';
export { plotProgress, type ProgressPlotOptions } from './report/progress.js';
export { imagePng, makeGrid, saveImage, type GridOptions, type ImageOptions } from './vision/index.js';
export { getPrintoptions, setPrintoptions, type PrintOptions } from './tensor/print-options.js';
export { areDeterministicAlgorithmsEnabled, getDefaultDtype, getNumThreads, setDefaultDtype, setNumThreads, useDeterministicAlgorithms } from './runtime-settings.js';
export * from './nn/torch-aliases.js';
