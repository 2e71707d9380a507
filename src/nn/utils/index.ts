export { clipGradNorm_, clipGradValue_, type ClipGradNormOptions } from './clip-grad.js';
export { parametersToVector, vectorToParameters } from './convert-parameters.js';
export * as rnn from './rnn.js';
export { removeSpectralNorm, removeWeightNorm, spectralNorm, weightNorm, type SpectralNormOptions, type WeightNormOptions } from './weight-norm.js';
export * as prune from './prune.js';
export * as parametrize from './parametrize.js';
export * as parametrizations from './parametrizations.js';
export * as fusion from './fusion.js';
export { fuseConvBnEval, fuseConvBnWeights, fuseLinearBnEval, fuseLinearBnWeights } from './fusion.js';
