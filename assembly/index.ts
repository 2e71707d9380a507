// Kindling's WebAssembly kernels (AssemblyScript, f32x4 SIMD), built by scripts/build.mjs into dist/kernels.wasm.
// Memory is imported (one shared WebAssembly.Memory owned by src/kernels/wasm/heap.ts); the kernels never
// allocate: the JavaScript side passes byte offsets of buffers it placed in that memory.
import { scratchEnd } from './scratch';
export { nonzeros } from './sparse';
export { rowAxpy, gemmRowB, gemmColB, gemmColBT, weightGradColumns, outerRows, addColumnSums } from './gemm';
export { allFinite } from './gemm-block';
export { sgd, sgdRows, sgdOuter, sgdGeneral, zeroRows, addZeroRows, fillFloats, scale, addInPlace } from './optim';
export { adam } from './adam-dense';
export { rmsprop, adagrad, rmspropRows, adagradRows } from './optim-more';
export { adamRows, adamRowsExtra, adamRowsWords, adamRowsSettle, adamRowsPay } from './adam-rows';
export { layerNormForward } from './layer-norm';
export { layerNormBackward } from './layer-norm-backward';
export { sigmoidForward, sigmoidBackward } from './sigmoid';
export { expForward } from './exp';
export { tanhForward } from './tanh';
export { sumDim, sumBlocks } from './reduce';
export { extremeDim } from './extreme';
export { softmaxRows, logSoftmaxRows, logSoftmaxBackwardRows, fdlibmExpF64, fdlibmExpPair } from './softmax';
export { keepMask } from './random';
export { binaryFlat, binaryRows, binaryScaled } from './elementwise';
export { leakyReluForward, leakyReluBackward, reluForward, reluBackward } from './activation';
export { nativeSubnormals, subnormalProbe } from './subnormals';
export { transpose } from './transpose';
export { maxPool2dForward, scatterAdd, avgPool2dForward, avgPool2dBackward } from './pool';
export { batchNormForward, batchNormBackward } from './batch-norm';
export { im2col, col2imAdd, addRowBias, channelSums, addToF64 } from './conv';

/** First byte after the static data and the kernels' own working memory (scratch.ts): the JavaScript heap starts here. */
export function heapBase(): usize {
  return scratchEnd();
}
