/** Kindling's public API. Importing it has no side effects. */
export { Tensor, type GradFn, type NestedArray } from './tensor/tensor.js';
export type { BackwardOptions } from './autograd/backward.js';
export { arange, full, ones, onesLike, rand, randn, tensor, zeros, zerosLike, type RandomTensorOptions, type SizesAndOptions, type TensorOptions } from './tensor/creation.js';
export { where } from './ops/binary.js';
export { matmul } from './ops/matmul.js';
export { pow } from './ops/pow.js';
export { cat, stack } from './ops/join.js';
export { enableGrad, isGradEnabled, noGrad } from './autograd/grad-mode.js';
export { DEFAULT_SEED, Generator, getDefaultGenerator, manualSeed, withGenerator } from './random.js';
export { KindlingError } from './errors.js';
export { BackendError, getBackend, setBackend, useWasmKernels, wasmAvailable, type BackendName } from './kernels/backend.js';
export * as nn from './nn/index.js';
export * as F from './nn/functional.js';
export * as optim from './optim/index.js';
export * as data from './data/index.js';
export * as io from './io/index.js';
export { loadFile, saveFile } from './io/tensor-file.js';
export { plotProgress, type ProgressPlotOptions } from './report/progress.js';
