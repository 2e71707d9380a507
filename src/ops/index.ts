export { abs, clamp, clone, exp, leakyRelu, log, neg, relu, sigmoid, sqrt, tanh } from './unary.js';
export { add, div, eq, ge, gt, le, lt, maximum, minimum, mul, ne, sub, where, whereNamed } from './binary.js';
export { pow } from './pow.js';
export { argmax, argmin, maxAll, maxDim, mean, minAll, minDim, sum } from './reduce.js';
export { varianceCall } from './variance.js';
export { norm } from './norm.js';
export { rounding } from './rounding.js';
export { sign } from './sign.js';
export { logsumexp } from './logsumexp.js';
export { cumprod, cumsum } from './scan.js';
export { chunk, repeat, split } from './tiling.js';
export { gather, indexSelect } from './gather.js';
export { flip, fliplr, flipud, roll, tril, triu } from './flip.js';
export { movedim, swapaxes, unbind } from './movedim.js';
export { broadcastTo, ravel } from './as-shape.js';
export { argsort, sort, topk } from './sort.js';
export { cat, stack } from './join.js';
export { expand, flatten, narrow, permute, reshape, select, squeeze, transpose, unsqueeze, view } from './view.js';
export { matmul } from './matmul.js';
export { logSoftmax, softmax } from './softmax.js';
export { linear } from './linear.js';
export { layerNorm } from './layer-norm.js';
export { addbmm, addmm, addmv, baddbmm, bmm, dot, inner, kron, mm, mv, outer, type AddProductOptions } from './products.js';
export { prod } from './prod.js';
export { amax, amin, aminmax, type MinMax } from './amax.js';
export { countNonzero, nanmean, nansum } from './nan-reduce.js';
export { diff, type DiffOptions } from './diff.js';
export { allclose, equal, isclose, type CloseOptions } from './isclose.js';
export { cummax, cummin } from './cummax.js';
export { kthvalue, median, mode, nanmedian } from './median.js';
export { logcumsumexp } from './logcumsumexp.js';
export { unique, uniqueConsecutive, type UniqueOptions } from './unique.js';
export { bincount, histc, type BincountOptions, type HistcOptions } from './histogram.js';
export { cos, sin } from './trig.js';
export {
  acos, acosh, asin, asinh, atan, atanh, cosh, deg2rad, erf, erfc, erfinv, exp2, expm1, frac, isfinite, isinf, isnan, isneginf, isposinf,
  log10, log1p, log2, logit, nanToNum, rad2deg, reciprocal, rsqrt, signbit, sinc, sinh, tan, type LogitOptions, type NanToNumOptions,
} from './unary-math.js';
