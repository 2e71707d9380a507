export { abs, clamp, clone, exp, leakyRelu, log, neg, relu, sigmoid, sqrt, tanh } from './unary.js';
export { add, div, eq, ge, gt, le, lt, maximum, minimum, mul, ne, pow, sub, where } from './binary.js';
export { argmax, argmin, maxAll, maxDim, mean, minAll, minDim, sum } from './reduce.js';
export { cat, stack } from './join.js';
export { expand, flatten, narrow, permute, reshape, select, squeeze, transpose, unsqueeze, view } from './view.js';
export { matmul } from './matmul.js';
export { logSoftmax, softmax } from './softmax.js';
export { linear } from './linear.js';
export { layerNorm } from './layer-norm.js';
