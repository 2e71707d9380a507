/**
 * The architecture of a saved model as plain JSON: a tree of layer specs (`{type: 'Linear', inFeatures, …}`),
 * its validation (a file may come from anywhere), the parameter names and shapes a spec implies, and how it reads
 * for people. No modules here — `nn/serialize.ts` turns specs into layers and back — so the browser and the file
 * checks can use it without the engine.
 */
import { ModelFileError } from './model-file.js';
import type { InterpolateMode } from '../ops/interpolate.js';

/**
 * One layer as JSON. Field names follow Kindling's constructors (PyTorch's, in camelCase). A layer with weights that
 * the model holds at two places or more (the same module object, as `new nn.Sequential(l, act, l)`) is written out at
 * each, and from the second on with `sameAs`: the state_dict prefix of its first place (`"0"`, `"1.2"`), so that it
 * loads as one module again, its weights tied.
 */
export type LayerSpec = LayerFields & { sameAs?: string };

type LayerFields =
  | { type: 'Sequential'; layers: LayerSpec[] }
  | { type: 'Linear'; inFeatures: number; outFeatures: number; bias: boolean }
  | { type: 'LayerNorm'; normalizedShape: number[]; eps: number; elementwiseAffine: boolean }
  | { type: 'Embedding'; numEmbeddings: number; embeddingDim: number; paddingIdx: number | null; maxNorm: number | null; normType: number; scaleGradByFreq: boolean }
  | { type: 'EmbeddingBag'; numEmbeddings: number; embeddingDim: number; mode: 'sum' | 'mean' | 'max'; paddingIdx: number | null; includeLastOffset: boolean; maxNorm?: number | null; normType?: number; scaleGradByFreq?: boolean }
  | { type: 'RNNCell'; inputSize: number; hiddenSize: number; bias: boolean; nonlinearity: 'tanh' | 'relu' }
  | { type: 'LSTMCell' | 'GRUCell'; inputSize: number; hiddenSize: number; bias: boolean }
  | {
    type: 'RNN'; inputSize: number; hiddenSize: number; numLayers: number; nonlinearity: 'tanh' | 'relu'; bias: boolean; batchFirst: boolean;
    dropout: number; bidirectional: boolean;
  }
  | {
    type: 'LSTM'; inputSize: number; hiddenSize: number; numLayers: number; bias: boolean; batchFirst: boolean; dropout: number;
    bidirectional: boolean; projSize?: number;
  }
  | {
    type: 'GRU'; inputSize: number; hiddenSize: number; numLayers: number; bias: boolean; batchFirst: boolean; dropout: number;
    bidirectional: boolean;
  }
  | { type: 'BatchNorm1d' | 'BatchNorm2d' | 'BatchNorm3d'; numFeatures: number; eps: number; momentum: number | null; affine: boolean; trackRunningStats: boolean }
  | { type: 'GroupNorm'; numGroups: number; numChannels: number; eps: number; affine: boolean }
  | { type: 'InstanceNorm1d' | 'InstanceNorm2d' | 'InstanceNorm3d'; numFeatures: number; eps: number; momentum: number | null; affine: boolean; trackRunningStats: boolean }
  | { type: 'LocalResponseNorm'; size: number; alpha: number; beta: number; k: number }
  | { type: 'LeakyReLU'; negativeSlope: number; inplace?: boolean }
  | { type: 'Softmax'; dim: number | null }
  | { type: 'LogSoftmax'; dim: number | null }
  | { type: 'Sigmoid' }
  | { type: 'ReLU'; inplace?: boolean }
  | { type: 'Tanh' }
  | { type: 'GELU'; approximate: 'none' | 'tanh' }
  | { type: 'SiLU'; inplace?: boolean }
  | { type: 'ELU'; alpha: number; inplace?: boolean }
  | { type: 'Softplus'; beta: number; threshold: number }
  | { type: 'Hardtanh'; minVal: number; maxVal: number; inplace?: boolean }
  | { type: 'ReLU6'; inplace?: boolean }
  | { type: 'Hardshrink'; lambd: number }
  | { type: 'Softshrink'; lambd: number }
  | { type: 'PReLU'; numParameters: number; init: number }
  | { type: 'SELU' | 'Hardswish' | 'Hardsigmoid' | 'Mish'; inplace?: boolean }
  | { type: 'CELU'; alpha: number; inplace?: boolean }
  | { type: 'RReLU'; lower: number; upper: number; inplace?: boolean }
  | { type: 'LogSigmoid' | 'Softsign' | 'Tanhshrink' }
  | { type: 'Softmin'; dim: number | null }
  | { type: 'Threshold'; threshold: number; value: number; inplace?: boolean }
  | { type: 'Identity' }
  | { type: 'Dropout'; p: number; inplace?: boolean }
  | { type: 'Bilinear'; in1Features: number; in2Features: number; outFeatures: number; bias: boolean }
  | { type: 'Dropout1d' | 'Dropout2d' | 'Dropout3d' | 'AlphaDropout' | 'FeatureAlphaDropout'; p: number; inplace?: boolean }
  | { type: 'Flatten'; startDim: number; endDim: number }
  | { type: 'Unflatten'; dim: number; unflattenedSize: number[] }
  | {
    type: 'Conv1d'; inChannels: number; outChannels: number; kernelSize: number; stride: number; padding: number | 'valid' | 'same';
    dilation: number; groups: number; bias: boolean; paddingMode?: ConvPaddingMode;
  }
  | {
    type: 'Conv2d'; inChannels: number; outChannels: number; kernelSize: [number, number]; stride: [number, number];
    padding: [number, number] | 'valid' | 'same'; dilation: [number, number]; groups: number; bias: boolean; paddingMode?: ConvPaddingMode;
  }
  | {
    type: 'ConvTranspose2d'; inChannels: number; outChannels: number; kernelSize: [number, number]; stride: [number, number];
    padding: [number, number]; outputPadding: [number, number]; groups: number; dilation: [number, number]; bias: boolean;
  }
  | {
    type: 'Conv3d'; inChannels: number; outChannels: number; kernelSize: Triple3; stride: Triple3; padding: Triple3 | 'valid' | 'same';
    dilation: Triple3; groups: number; bias: boolean; paddingMode?: ConvPaddingMode;
  }
  | {
    type: 'ConvTranspose1d'; inChannels: number; outChannels: number; kernelSize: number; stride: number; padding: number; outputPadding: number;
    groups: number; dilation: number; bias: boolean;
  }
  | {
    type: 'ConvTranspose3d'; inChannels: number; outChannels: number; kernelSize: Triple3; stride: Triple3; padding: Triple3; outputPadding: Triple3;
    groups: number; dilation: Triple3; bias: boolean;
  }
  | { type: 'MaxPool3d'; kernelSize: Size3; stride: Size3 | null; padding: Size3; dilation: Size3; ceilMode: boolean; returnIndices: boolean }
  | { type: 'AvgPool3d'; kernelSize: Size3; stride: Size3 | null; padding: Size3; ceilMode: boolean; countIncludePad: boolean; divisorOverride: number | null }
  | { type: 'AdaptiveAvgPool3d'; outputSize: AdaptiveSize3 }
  | { type: 'AdaptiveMaxPool3d'; outputSize: AdaptiveSize3; returnIndices?: boolean }
  | { type: 'MaxPool2d'; kernelSize: Size; stride: Size | null; padding: Size; dilation: Size; ceilMode: boolean; returnIndices?: boolean }
  | {
    type: 'AvgPool2d'; kernelSize: Size; stride: Size | null; padding: Size; ceilMode: boolean; countIncludePad: boolean;
    divisorOverride: number | null;
  }
  | { type: 'MaxPool1d'; kernelSize: Size1; stride: Size1 | null; padding: Size1; dilation: Size1; ceilMode: boolean; returnIndices: boolean }
  | { type: 'AvgPool1d'; kernelSize: Size1; stride: Size1 | null; padding: Size1; ceilMode: boolean; countIncludePad: boolean }
  | { type: 'AdaptiveAvgPool1d'; outputSize: Size1 }
  | { type: 'AdaptiveMaxPool1d'; outputSize: Size1; returnIndices: boolean }
  | { type: 'AdaptiveAvgPool2d'; outputSize: AdaptiveSize }
  | { type: 'AdaptiveMaxPool2d'; outputSize: AdaptiveSize; returnIndices: boolean }
  | { type: 'ZeroPad2d' | 'ReflectionPad2d' | 'ReplicationPad2d'; padding: [number, number, number, number] }
  | { type: 'ReflectionPad1d' | 'ReplicationPad1d'; padding: [number, number] }
  | { type: 'ConstantPad1d'; padding: [number, number]; value: number }
  | { type: 'ConstantPad2d'; padding: [number, number, number, number]; value: number }
  | { type: 'ReflectionPad3d' | 'ReplicationPad3d'; padding: Pads6 }
  | { type: 'ConstantPad3d'; padding: Pads6; value: number }
  | {
    type: 'Upsample'; size: number | number[] | null; scaleFactor: number | number[] | null; mode: InterpolateMode;
    alignCorners: boolean | null; recomputeScaleFactor: boolean | null;
  }
  | { type: 'PixelShuffle'; upscaleFactor: number }
  | { type: 'Unfold'; kernelSize: Size; dilation: Size; padding: Size; stride: Size }
  | { type: 'Fold'; outputSize: Size; kernelSize: Size; dilation: Size; padding: Size; stride: Size }
  | { type: 'LPPool1d'; normType: number; kernelSize: number; stride: Size1 | null; ceilMode: boolean }
  | { type: 'LPPool2d'; normType: number; kernelSize: Size; stride: Size | null; ceilMode: boolean }
  | { type: 'PixelUnshuffle'; downscaleFactor: number }
  | { type: 'GLU'; dim: number }
  | { type: 'Softmax2d' }
  | { type: 'ChannelShuffle'; groups: number }
  | ({ type: 'TransformerEncoderLayer' } & TransformerLayerFields)
  | ({ type: 'TransformerEncoder'; numLayers: number; norm: { eps: number; elementwiseAffine: boolean } | null; enableNestedTensor: boolean } & TransformerLayerFields);

/** The options of a Transformer encoder layer (its activation by name: a function cannot be written down). */
interface TransformerLayerFields {
  dModel: number; nhead: number; dimFeedforward: number; dropout: number; activation: 'relu' | 'gelu'; layerNormEps: number;
  batchFirst: boolean; normFirst: boolean;
}

/** An adaptive pooling layer's output size as given: one integer, or [height, width] where null keeps the input's. */
type AdaptiveSize = number | [number | null, number | null];

/** A 3-D padding: (left, right, top, bottom, front, back). */
type Pads6 = [number, number, number, number, number, number];

/** A 3-D layer's sizes: [depth, height, width]. */
type Triple3 = [number, number, number];
/**
 * A convolution's padding mode other than PyTorch's default 'zeros' (conv-padding-mode.ts), written only then, so that
 * files from before it read as they did ('zeros' is read too).
 */
type ConvPaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';

/** A size of a 3-D pooling layer as given: one integer for all three dimensions, or [depth, height, width]. */
type Size3 = number | Triple3;

/** A 3-D adaptive pooling's output size: one integer, or three where null keeps the input's (null alone keeps all). */
type AdaptiveSize3 = number | null | [number | null, number | null, number | null];

/** A size of a 1-D layer as given: an integer, or an array of one (PyTorch's tuple, which its repr shows as such). */
type Size1 = number | [number];

/** A size of a 2-D layer as given: one integer for both dimensions, or [height, width]. */
type Size = number | [number, number];

/** The layer types a spec may name. */
export const SUPPORTED =
  'Sequential, Linear, Bilinear, LayerNorm, LeakyReLU, Softmax, LogSoftmax, Sigmoid, ReLU, Tanh, GELU, SiLU, ELU, Softplus, Hardtanh, ReLU6, ' +
  'RReLU, Hardshrink, Softshrink, PReLU, SELU, CELU, Hardswish, Hardsigmoid, Mish, LogSigmoid, Softsign, Softmin, Tanhshrink, Threshold, ' +
  'Identity, Dropout, Dropout1d, Dropout2d, Dropout3d, AlphaDropout, FeatureAlphaDropout, Flatten, ' +
  'Unflatten, Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d, MaxPool1d, AvgPool1d, AdaptiveAvgPool1d, AdaptiveMaxPool1d, MaxPool2d, AvgPool2d, ' +
  'AdaptiveAvgPool2d, AdaptiveMaxPool2d, MaxPool3d, AvgPool3d, AdaptiveAvgPool3d, AdaptiveMaxPool3d, BatchNorm1d, BatchNorm2d, BatchNorm3d, Embedding, EmbeddingBag, GroupNorm, ' +
  'InstanceNorm1d, InstanceNorm2d, InstanceNorm3d, LocalResponseNorm, RNNCell, LSTMCell, GRUCell, RNN, LSTM, GRU, ' +
  'ZeroPad2d, ConstantPad1d, ConstantPad2d, ConstantPad3d, ReflectionPad1d, ReflectionPad2d, ReflectionPad3d, ReplicationPad1d, ReplicationPad2d, ReplicationPad3d, Upsample, PixelShuffle, PixelUnshuffle, GLU, Softmax2d, ChannelShuffle, ' +
  'Unfold, Fold, LPPool1d, LPPool2d, TransformerEncoderLayer, TransformerEncoder';

const MAX_DEPTH = 16;
/** The most layers a file may describe: far more than any real model, and few enough to build in well under a second. */
const MAX_LAYERS = 10_000;

type Fields = Record<string, 'posInt' | 'number' | 'nonZero' | 'int' | 'intOrNull' | 'bool' | 'shape' | 'layers' | 'positive' | 'probability'
  | 'geluApproximate' | 'bagMode' | 'pair' | 'padPair' | 'convPadding' | 'size' | 'sizeOrNull' | 'padSize' | 'sizes' | 'nonZeroIntOrNull' | 'nonNegative' | 'numberOrNull' | 'adaptiveSize' | 'conv1dPadding' | 'size1' | 'size1OrNull' | 'padSize1' | 'adaptiveSize1'
  | 'nonNegInt' | 'triple' | 'padTriple' | 'conv3dPadding' | 'size3' | 'size3OrNull' | 'padSize3' | 'adaptiveSize3'
  | 'rnnNonlinearity' | 'pads2' | 'pads4' | 'pads6' | 'upsampleSize' | 'scaleFactor' | 'upsampleMode' | 'boolOrNull' | 'transformerActivation' | 'layerNormOrNull'>;
const TRANSFORMER_LAYER: Fields = {
  dModel: 'posInt', nhead: 'posInt', dimFeedforward: 'posInt', dropout: 'probability', activation: 'transformerActivation', layerNormEps: 'nonNegative',
  batchFirst: 'bool', normFirst: 'bool',
};
const FIELDS: Readonly<Record<LayerSpec['type'], Fields>> = {
  Sequential: { layers: 'layers' },
  Linear: { inFeatures: 'posInt', outFeatures: 'posInt', bias: 'bool' },
  Bilinear: { in1Features: 'posInt', in2Features: 'posInt', outFeatures: 'posInt', bias: 'bool' },
  LayerNorm: { normalizedShape: 'shape', eps: 'positive', elementwiseAffine: 'bool' },
  Embedding: { numEmbeddings: 'posInt', embeddingDim: 'posInt', paddingIdx: 'intOrNull', maxNorm: 'numberOrNull', normType: 'number', scaleGradByFreq: 'bool' },
  EmbeddingBag: { numEmbeddings: 'posInt', embeddingDim: 'posInt', mode: 'bagMode', paddingIdx: 'intOrNull', includeLastOffset: 'bool' },
  LeakyReLU: { negativeSlope: 'number' },
  Softmax: { dim: 'intOrNull' },
  LogSoftmax: { dim: 'intOrNull' },
  Sigmoid: {},
  ReLU: {},
  Tanh: {},
  GELU: { approximate: 'geluApproximate' },
  SiLU: {},
  ELU: { alpha: 'number' },
  Softplus: { beta: 'nonZero', threshold: 'number' },
  Hardtanh: { minVal: 'number', maxVal: 'number' },
  ReLU6: {},
  Hardshrink: { lambd: 'number' },
  Softshrink: { lambd: 'nonNegative' },
  PReLU: { numParameters: 'posInt', init: 'number' },
  SELU: {},
  CELU: { alpha: 'nonZero' },
  RReLU: { lower: 'number', upper: 'number' },
  Hardswish: {},
  Hardsigmoid: {},
  Mish: {},
  LogSigmoid: {},
  Softsign: {},
  Softmin: { dim: 'intOrNull' },
  Tanhshrink: {},
  Threshold: { threshold: 'number', value: 'number' },
  Identity: {},
  Dropout: { p: 'probability' },
  Dropout1d: { p: 'probability' },
  Dropout2d: { p: 'probability' },
  Dropout3d: { p: 'probability' },
  AlphaDropout: { p: 'probability' },
  FeatureAlphaDropout: { p: 'probability' },
  Flatten: { startDim: 'int', endDim: 'int' },
  Unflatten: { dim: 'int', unflattenedSize: 'sizes' },
  Conv1d: {
    inChannels: 'posInt', outChannels: 'posInt', kernelSize: 'posInt', stride: 'posInt', padding: 'conv1dPadding', dilation: 'posInt',
    groups: 'posInt', bias: 'bool',
  },
  Conv2d: {
    inChannels: 'posInt', outChannels: 'posInt', kernelSize: 'pair', stride: 'pair', padding: 'convPadding', dilation: 'pair',
    groups: 'posInt', bias: 'bool',
  },
  ConvTranspose2d: {
    inChannels: 'posInt', outChannels: 'posInt', kernelSize: 'pair', stride: 'pair', padding: 'padPair', outputPadding: 'padPair',
    groups: 'posInt', dilation: 'pair', bias: 'bool',
  },
  Conv3d: {
    inChannels: 'posInt', outChannels: 'posInt', kernelSize: 'triple', stride: 'triple', padding: 'conv3dPadding', dilation: 'triple',
    groups: 'posInt', bias: 'bool',
  },
  ConvTranspose1d: {
    inChannels: 'posInt', outChannels: 'posInt', kernelSize: 'posInt', stride: 'posInt', padding: 'nonNegInt', outputPadding: 'nonNegInt',
    groups: 'posInt', dilation: 'posInt', bias: 'bool',
  },
  ConvTranspose3d: {
    inChannels: 'posInt', outChannels: 'posInt', kernelSize: 'triple', stride: 'triple', padding: 'padTriple', outputPadding: 'padTriple',
    groups: 'posInt', dilation: 'triple', bias: 'bool',
  },
  MaxPool3d: { kernelSize: 'size3', stride: 'size3OrNull', padding: 'padSize3', dilation: 'size3', ceilMode: 'bool', returnIndices: 'bool' },
  AvgPool3d: { kernelSize: 'size3', stride: 'size3OrNull', padding: 'padSize3', ceilMode: 'bool', countIncludePad: 'bool', divisorOverride: 'nonZeroIntOrNull' },
  AdaptiveAvgPool3d: { outputSize: 'adaptiveSize3' },
  AdaptiveMaxPool3d: { outputSize: 'adaptiveSize3' },
  MaxPool2d: { kernelSize: 'size', stride: 'sizeOrNull', padding: 'padSize', dilation: 'size', ceilMode: 'bool' },
  AvgPool2d: { kernelSize: 'size', stride: 'sizeOrNull', padding: 'padSize', ceilMode: 'bool', countIncludePad: 'bool', divisorOverride: 'nonZeroIntOrNull' },
  MaxPool1d: { kernelSize: 'size1', stride: 'size1OrNull', padding: 'padSize1', dilation: 'size1', ceilMode: 'bool', returnIndices: 'bool' },
  AvgPool1d: { kernelSize: 'size1', stride: 'size1OrNull', padding: 'padSize1', ceilMode: 'bool', countIncludePad: 'bool' },
  AdaptiveAvgPool1d: { outputSize: 'adaptiveSize1' },
  AdaptiveMaxPool1d: { outputSize: 'adaptiveSize1', returnIndices: 'bool' },
  AdaptiveAvgPool2d: { outputSize: 'adaptiveSize' },
  AdaptiveMaxPool2d: { outputSize: 'adaptiveSize', returnIndices: 'bool' },
  BatchNorm1d: { numFeatures: 'posInt', eps: 'nonNegative', momentum: 'numberOrNull', affine: 'bool', trackRunningStats: 'bool' },
  BatchNorm2d: { numFeatures: 'posInt', eps: 'nonNegative', momentum: 'numberOrNull', affine: 'bool', trackRunningStats: 'bool' },
  BatchNorm3d: { numFeatures: 'posInt', eps: 'nonNegative', momentum: 'numberOrNull', affine: 'bool', trackRunningStats: 'bool' },
  GroupNorm: { numGroups: 'posInt', numChannels: 'posInt', eps: 'nonNegative', affine: 'bool' },
  InstanceNorm1d: { numFeatures: 'posInt', eps: 'nonNegative', momentum: 'numberOrNull', affine: 'bool', trackRunningStats: 'bool' },
  InstanceNorm2d: { numFeatures: 'posInt', eps: 'nonNegative', momentum: 'numberOrNull', affine: 'bool', trackRunningStats: 'bool' },
  InstanceNorm3d: { numFeatures: 'posInt', eps: 'nonNegative', momentum: 'numberOrNull', affine: 'bool', trackRunningStats: 'bool' },
  LocalResponseNorm: { size: 'posInt', alpha: 'number', beta: 'number', k: 'number' },
  // As PyTorch's: the recurrent layers take an input size of 0, the cells a hidden size of 0 too.
  RNNCell: { inputSize: 'nonNegInt', hiddenSize: 'nonNegInt', bias: 'bool', nonlinearity: 'rnnNonlinearity' },
  LSTMCell: { inputSize: 'nonNegInt', hiddenSize: 'nonNegInt', bias: 'bool' },
  GRUCell: { inputSize: 'nonNegInt', hiddenSize: 'nonNegInt', bias: 'bool' },
  RNN: {
    inputSize: 'nonNegInt', hiddenSize: 'posInt', numLayers: 'posInt', nonlinearity: 'rnnNonlinearity', bias: 'bool', batchFirst: 'bool',
    dropout: 'probability', bidirectional: 'bool',
  },
  LSTM: { inputSize: 'nonNegInt', hiddenSize: 'posInt', numLayers: 'posInt', bias: 'bool', batchFirst: 'bool', dropout: 'probability', bidirectional: 'bool' },
  GRU: { inputSize: 'nonNegInt', hiddenSize: 'posInt', numLayers: 'posInt', bias: 'bool', batchFirst: 'bool', dropout: 'probability', bidirectional: 'bool' },
  ZeroPad2d: { padding: 'pads4' },
  ConstantPad1d: { padding: 'pads2', value: 'number' },
  ConstantPad2d: { padding: 'pads4', value: 'number' },
  ReflectionPad1d: { padding: 'pads2' },
  ReflectionPad2d: { padding: 'pads4' },
  ReplicationPad1d: { padding: 'pads2' },
  ReplicationPad2d: { padding: 'pads4' },
  ConstantPad3d: { padding: 'pads6', value: 'number' },
  ReflectionPad3d: { padding: 'pads6' },
  ReplicationPad3d: { padding: 'pads6' },
  Upsample: { size: 'upsampleSize', scaleFactor: 'scaleFactor', mode: 'upsampleMode', alignCorners: 'boolOrNull', recomputeScaleFactor: 'boolOrNull' },
  PixelShuffle: { upscaleFactor: 'posInt' },
  Unfold: { kernelSize: 'size', dilation: 'size', padding: 'padSize', stride: 'size' },
  Fold: { outputSize: 'size', kernelSize: 'size', dilation: 'size', padding: 'padSize', stride: 'size' },
  LPPool1d: { normType: 'nonZero', kernelSize: 'posInt', stride: 'size1OrNull', ceilMode: 'bool' },
  LPPool2d: { normType: 'nonZero', kernelSize: 'size', stride: 'sizeOrNull', ceilMode: 'bool' },
  PixelUnshuffle: { downscaleFactor: 'posInt' },
  GLU: { dim: 'int' },
  Softmax2d: {},
  ChannelShuffle: { groups: 'posInt' },
  TransformerEncoderLayer: TRANSFORMER_LAYER,
  TransformerEncoder: { ...TRANSFORMER_LAYER, numLayers: 'posInt', norm: 'layerNormOrNull', enableNestedTensor: 'bool' },
};

/** Layers that may carry PyTorch's `inplace` flag: written only when true, so other files read as they always did. */
const INPLACE_TYPES: ReadonlySet<string> = new Set([
  'ReLU', 'LeakyReLU', 'SiLU', 'ELU', 'Dropout', 'Dropout1d', 'Dropout2d', 'Dropout3d', 'AlphaDropout', 'FeatureAlphaDropout', 'Hardtanh', 'ReLU6', 'SELU', 'CELU', 'Hardswish', 'Hardsigmoid', 'Mish', 'Threshold', 'RReLU',
]);

/** Flags some layers may carry, written only when true (files from before them read as they did), and those layers. */
const OPTIONAL_FLAGS: Readonly<Record<string, ReadonlySet<string>>> = { inplace: INPLACE_TYPES, returnIndices: new Set(['MaxPool2d', 'AdaptiveMaxPool3d']) };

/** Numbers some layers may carry, written only when set (files from before them read as they did): an LSTM's projSize. */
const OPTIONAL_FIELDS: Readonly<Record<string, { types: ReadonlySet<string>; kind: Fields[string] }>> = {
  projSize: { types: new Set(['LSTM']), kind: 'posInt' },
  // EmbeddingBag's renorm and gradient scaling (written only when set; Embedding has them as fields of its own).
  maxNorm: { types: new Set(['EmbeddingBag']), kind: 'numberOrNull' },
  normType: { types: new Set(['EmbeddingBag']), kind: 'number' },
  scaleGradByFreq: { types: new Set(['EmbeddingBag']), kind: 'bool' },
};

/** The layers that may carry a `paddingMode` (PyTorch's transposed convolutions pad with zeros only), and its values. */
const PADDING_MODE_TYPES: ReadonlySet<string> = new Set(['Conv1d', 'Conv2d', 'Conv3d']);
const PADDING_MODES: readonly string[] = ['zeros', 'reflect', 'replicate', 'circular'];

/** The resampling modes an Upsample may have. */
const UPSAMPLE_MODES: readonly string[] = ['nearest', 'nearest-exact', 'linear', 'bilinear', 'bicubic', 'trilinear', 'area'];

const positiveInt = (d: unknown): boolean => Number.isSafeInteger(d) && (d as number) > 0;
const nonNegativeInt = (d: unknown): boolean => Number.isSafeInteger(d) && (d as number) >= 0;
const oneOf = (v: unknown, ok: (d: unknown) => boolean): boolean => Array.isArray(v) && v.length === 1 && ok(v[0]);
const pairOf = (v: unknown, ok: (d: unknown) => boolean): boolean => Array.isArray(v) && v.length === 2 && v.every(ok);
const tripleOf = (v: unknown, ok: (d: unknown) => boolean): boolean => Array.isArray(v) && v.length === 3 && v.every(ok);

function fieldOk(kind: Fields[string], v: unknown): boolean {
  switch (kind) {
    case 'posInt': return Number.isSafeInteger(v) && (v as number) > 0;
    case 'int': return Number.isSafeInteger(v);
    case 'intOrNull': return v === null || Number.isSafeInteger(v);
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'nonZero': return typeof v === 'number' && Number.isFinite(v) && v !== 0;
    case 'positive': return typeof v === 'number' && Number.isFinite(v) && v > 0;
    case 'bool': return typeof v === 'boolean';
    case 'shape': return Array.isArray(v) && v.length > 0 && v.every((d) => Number.isSafeInteger(d) && d > 0);
    case 'layers': return Array.isArray(v);
    case 'probability': return typeof v === 'number' && v >= 0 && v <= 1;
    case 'geluApproximate': return v === 'none' || v === 'tanh';
    case 'bagMode': return v === 'sum' || v === 'mean' || v === 'max';
    case 'pair': return pairOf(v, positiveInt);
    case 'padPair': return pairOf(v, nonNegativeInt);
    case 'convPadding': return v === 'valid' || v === 'same' || pairOf(v, nonNegativeInt);
    case 'size': return positiveInt(v) || pairOf(v, positiveInt);
    case 'sizeOrNull': return v === null || positiveInt(v) || pairOf(v, positiveInt);
    case 'padSize': return nonNegativeInt(v) || pairOf(v, nonNegativeInt);
    case 'sizes': return Array.isArray(v) && v.length > 0 && v.every((d) => nonNegativeInt(d) || d === -1) && v.filter((d) => d === -1).length <= 1;
    case 'nonZeroIntOrNull': return v === null || (Number.isSafeInteger(v) && v !== 0);
    case 'nonNegative': return typeof v === 'number' && Number.isFinite(v) && v >= 0;
    case 'numberOrNull': return v === null || (typeof v === 'number' && Number.isFinite(v));
    case 'size1': return positiveInt(v) || oneOf(v, positiveInt);
    case 'size1OrNull': return v === null || positiveInt(v) || oneOf(v, positiveInt);
    case 'padSize1': case 'adaptiveSize1': return nonNegativeInt(v) || oneOf(v, nonNegativeInt);
    case 'conv1dPadding': return v === 'valid' || v === 'same' || nonNegativeInt(v);
    case 'nonNegInt': return nonNegativeInt(v);
    case 'triple': return tripleOf(v, positiveInt);
    case 'padTriple': return tripleOf(v, nonNegativeInt);
    case 'conv3dPadding': return v === 'valid' || v === 'same' || tripleOf(v, nonNegativeInt);
    case 'size3': return positiveInt(v) || tripleOf(v, positiveInt);
    case 'size3OrNull': return v === null || positiveInt(v) || tripleOf(v, positiveInt);
    case 'padSize3': return nonNegativeInt(v) || tripleOf(v, nonNegativeInt);
    case 'adaptiveSize3': return v === null || nonNegativeInt(v) || tripleOf(v, (d) => d === null || nonNegativeInt(d));
    case 'adaptiveSize': return nonNegativeInt(v) || pairOf(v, (d) => d === null || nonNegativeInt(d));
    case 'rnnNonlinearity': return v === 'tanh' || v === 'relu';
    case 'pads6': return Array.isArray(v) && v.length === 6 && v.every((d) => Number.isSafeInteger(d));
    case 'pads2': return Array.isArray(v) && v.length === 2 && v.every((d) => Number.isSafeInteger(d));
    case 'pads4': return Array.isArray(v) && v.length === 4 && v.every((d) => Number.isSafeInteger(d));
    case 'upsampleSize': return v === null || positiveInt(v) || (Array.isArray(v) && v.length >= 1 && v.length <= 3 && v.every(positiveInt));
    case 'scaleFactor': {
      const ok = (d: unknown): boolean => typeof d === 'number' && Number.isFinite(d) && d > 0;
      return v === null || ok(v) || (Array.isArray(v) && v.length >= 1 && v.length <= 3 && v.every(ok));
    }
    case 'upsampleMode': return typeof v === 'string' && UPSAMPLE_MODES.includes(v);
    case 'boolOrNull': return v === null || typeof v === 'boolean';
    case 'transformerActivation': return v === 'relu' || v === 'gelu';
    case 'layerNormOrNull': {
      if (v === null) return true;
      if (typeof v !== 'object' || Array.isArray(v)) return false;
      const o = v as Record<string, unknown>;
      return Object.keys(o).length === 2 && typeof o['eps'] === 'number' && Number.isFinite(o['eps']) && o['eps'] >= 0 && typeof o['elementwiseAffine'] === 'boolean';
    }
  }
}

const EXPECTED: Readonly<Record<Fields[string], string>> = {
  posInt: 'a positive integer', int: 'an integer', intOrNull: 'an integer or null', number: 'a finite number', positive: 'a positive number',
  nonZero: 'a finite number other than 0', bool: 'true or false', shape: 'a non-empty array of positive integers', layers: 'an array of layers',
  probability: 'a number from 0 to 1', geluApproximate: '"none" or "tanh"', bagMode: '"sum", "mean" or "max"', pair: 'a pair of positive integers', padPair: 'a pair of non-negative integers',
  convPadding: 'a pair of non-negative integers, "valid" or "same"', size: 'a positive integer or a pair of them',
  sizeOrNull: 'a positive integer, a pair of them, or null', padSize: 'a non-negative integer or a pair of them',
  sizes: 'an array of sizes (one may be -1)', nonZeroIntOrNull: 'a non-zero integer or null',
  nonNegative: 'a non-negative number', numberOrNull: 'a finite number or null',
  adaptiveSize: 'a non-negative integer or a pair of them (null keeping the input\'s size)',
  conv1dPadding: 'a non-negative integer, "valid" or "same"', size1: 'a positive integer or an array of one',
  size1OrNull: 'a positive integer, an array of one, or null', padSize1: 'a non-negative integer or an array of one',
  adaptiveSize1: 'a non-negative integer or an array of one',
  nonNegInt: 'a non-negative integer', triple: 'three positive integers', padTriple: 'three non-negative integers',
  conv3dPadding: 'three non-negative integers, "valid" or "same"', size3: 'a positive integer or three of them',
  size3OrNull: 'a positive integer, three of them, or null', padSize3: 'a non-negative integer or three of them',
  adaptiveSize3: 'a non-negative integer, three of them (null keeping the input\'s size), or null',
  rnnNonlinearity: '"tanh" or "relu"',
  pads2: 'an array of 2 integers (left, right)', pads4: 'an array of 4 integers (left, right, top, bottom)', pads6: 'an array of 6 integers (left, right, top, bottom, front, back)',
  upsampleSize: 'a positive integer, an array of 1 to 3 of them, or null', scaleFactor: 'a positive number, an array of 1 to 3 of them, or null',
  upsampleMode: '"nearest", "nearest-exact", "linear", "bilinear", "bicubic", "trilinear" or "area"', boolOrNull: 'true, false or null', transformerActivation: '"relu" or "gelu"',
  layerNormOrNull: 'null or {"eps": a non-negative number, "elementwiseAffine": true or false} (a LayerNorm(dModel))',
};

/** The layers checked so far, by state_dict prefix ('' for the whole model): what a later `sameAs` may name. */
type Seen = Map<string, LayerSpec> & { count?: number };

/**
 * Checks one layer's spec at state_dict prefix `path`. With `register`, it goes into `seen` once checked (a copy's
 * own layers do not: they are its first place's, which a later `sameAs` names instead).
 */
function checkSpec(v: unknown, where: string, depth: number, path: string, seen: Seen, register = true): LayerSpec {
  if (depth > MAX_DEPTH) throw new Error(`${where}: Sequential nested deeper than ${MAX_DEPTH} levels`);
  seen.count = (seen.count ?? 0) + 1;
  if (seen.count > MAX_LAYERS) throw new Error(`${where}: more than ${MAX_LAYERS.toLocaleString('en-US')} layers, the most a model file may describe`);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${where} must be an object like {"type": "Linear", …}`);
  const obj = v as Record<string, unknown>;
  const type = obj['type'];
  if (typeof type !== 'string' || !Object.hasOwn(FIELDS, type)) {
    throw new Error(`${where} has unknown layer type ${JSON.stringify(type)} (Kindling knows ${SUPPORTED})`);
  }
  const fields = FIELDS[type as LayerSpec['type']];
  for (const key of Object.keys(obj)) {
    if (OPTIONAL_FLAGS[key]?.has(type) === true || (key === 'paddingMode' && PADDING_MODE_TYPES.has(type))) continue;
    const optional = OPTIONAL_FIELDS[key];
    if (optional?.types.has(type) === true) {
      if (obj[key] !== undefined && !fieldOk(optional.kind, obj[key])) throw new Error(`${where} (${type}): "${key}" must be ${EXPECTED[optional.kind]}, got ${JSON.stringify(obj[key])}`);
      continue;
    }
    if (key !== 'type' && key !== 'sameAs' && !Object.hasOwn(fields, key)) throw new Error(`${where} (${type}) has unknown field "${key}"`);
  }
  if (obj['paddingMode'] !== undefined && !PADDING_MODES.includes(obj['paddingMode'] as string)) {
    throw new Error(`${where} (${type}): "paddingMode" must be "zeros", "reflect", "replicate" or "circular", got ${JSON.stringify(obj['paddingMode'])}`);
  }
  for (const flag of Object.keys(OPTIONAL_FLAGS)) {
    if (obj[flag] !== undefined && typeof obj[flag] !== 'boolean') throw new Error(`${where} (${type}): "${flag}" must be true or false, got ${JSON.stringify(obj[flag])}`);
  }
  for (const [key, kind] of Object.entries(fields)) {
    if (!fieldOk(kind, obj[key])) {
      const got = obj[key] === undefined ? 'nothing' : JSON.stringify(obj[key]);
      throw new Error(`${where} (${type}): "${key}" must be ${EXPECTED[kind]}, got ${got}`);
    }
  }
  checkWindows(obj, where);
  if (type === 'LSTM' && obj['projSize'] !== undefined && (obj['projSize'] as number) >= (obj['hiddenSize'] as number)) {
    throw new Error(`${where} (${type}): "projSize" ${String(obj['projSize'])} must be smaller than "hiddenSize" ${String(obj['hiddenSize'])}`);
  }
  if ((type === 'TransformerEncoderLayer' || type === 'TransformerEncoder') && (obj['dModel'] as number) % (obj['nhead'] as number) !== 0) {
    throw new Error(`${where} (${type}): "dModel" ${String(obj['dModel'])} must be divisible by "nhead" ${String(obj['nhead'])}`);
  }
  const copy = obj['sameAs'] !== undefined;
  if (copy && path === '') throw new Error(`${where} (${type}): "sameAs" cannot stand on the whole model, only on a layer inside it`);
  let spec: LayerSpec;
  if (type === 'Sequential') {
    const layers = (obj['layers'] as unknown[]).map((l, i) => checkSpec(l, `${where}.layers[${i}]`, depth + 1, path === '' ? `${i}` : `${path}.${i}`, seen, register && !copy));
    spec = { type: 'Sequential', layers, ...(copy ? { sameAs: obj['sameAs'] as string } : {}) };
  } else {
    spec = { ...(obj as LayerSpec) };
  }
  if (copy) checkSameAs(spec, obj['sameAs'], where, seen);
  if (register) seen.set(path, spec);
  return spec;
}

/**
 * A `sameAs` must name a layer before this one (not one that holds it) that is itself no copy, with the same spec:
 * the one module both places hold.
 */
function checkSameAs(spec: LayerSpec, target: unknown, where: string, seen: Seen): void {
  const first = typeof target === 'string' ? seen.get(target) : undefined;
  if (first === undefined || first.sameAs !== undefined) {
    throw new Error(`${where} (${spec.type}): "sameAs" must name an earlier layer by its state_dict prefix (such as "0" or "1.2"), got ${JSON.stringify(target)}`);
  }
  const [a, b] = [canonical(first), canonical(spec)];
  if (a !== b) {
    // Two specs that read alike (LayerNorms of another eps) are shown whole.
    const [shownA, shownB] = formatLayer(first) !== formatLayer(spec) ? [formatLayer(first), formatLayer(spec)] : [clip(a), clip(b)];
    throw new Error(`${where} (${spec.type}): "sameAs" names layer "${target as string}" (${shownA}), which is not the same layer as this one (${shownB})`);
  }
}

/** At most 200 characters of `text`. */
function clip(text: string): string {
  return text.length <= 200 ? text : `${text.slice(0, 199)}…`;
}

/** A spec as text to compare: its fields in sorted order, with no `sameAs` anywhere in it. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof v !== 'object' || v === null) return JSON.stringify(v);
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).filter((k) => k !== 'sameAs').sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
}

/** The convolution layers: their channels split into groups, and a transposed one's output padding is bounded. */
const CONVOLUTIONS: readonly string[] = ['Conv1d', 'Conv2d', 'Conv3d', 'ConvTranspose1d', 'ConvTranspose2d', 'ConvTranspose3d'];

/** A size field as its values (one integer stands for each dimension: compared index by index, it reads the same). */
const every = (v: unknown): readonly number[] => (typeof v === 'number' ? [v, v, v] : (v as number[]));

/** The rules between a layer's fields that its constructor would enforce (groups, padding at most half a window). */
function checkWindows(obj: Record<string, unknown>, where: string): void {
  const type = obj['type'] as string;
  if (CONVOLUTIONS.includes(type)) {
    const groups = obj['groups'] as number;
    if ((obj['inChannels'] as number) % groups !== 0 || (obj['outChannels'] as number) % groups !== 0) {
      throw new Error(`${where} (${type}): inChannels (${String(obj['inChannels'])}) and outChannels (${String(obj['outChannels'])}) must be divisible by groups (${groups})`);
    }
    if (obj['padding'] === 'same' && every(obj['stride']).some((d) => d !== 1)) throw new Error(`${where} (${type}): padding "same" needs stride 1`);
    if ('outputPadding' in obj) {
      const [out, stride, dilation] = [every(obj['outputPadding']), every(obj['stride']), every(obj['dilation'])];
      if (out.some((v, i) => v >= stride[i]! && v >= dilation[i]!)) throw new Error(`${where} (${type}): outputPadding must be smaller than either the stride or the dilation`);
    }
  }
  if (obj['type'] === 'Hardtanh' && !((obj['maxVal'] as number) > (obj['minVal'] as number))) {
    throw new Error(`${where} (Hardtanh): maxVal (${String(obj['maxVal'])}) must be greater than minVal (${String(obj['minVal'])})`);
  }
  if (obj['type'] === 'RReLU' && !((obj['lower'] as number) <= (obj['upper'] as number))) {
    throw new Error(`${where} (RReLU): lower (${String(obj['lower'])}) must not be above upper (${String(obj['upper'])})`);
  }
  if (obj['type'] === 'GroupNorm' && (obj['numChannels'] as number) % (obj['numGroups'] as number) !== 0) {
    throw new Error(`${where} (GroupNorm): numChannels (${String(obj['numChannels'])}) must be divisible by numGroups (${String(obj['numGroups'])})`);
  }
  if (obj['type'] === 'Embedding' || obj['type'] === 'EmbeddingBag') {
    const [num, pad] = [obj['numEmbeddings'] as number, obj['paddingIdx'] as number | null];
    // Written as the layer holds it: a row number, a negative paddingIdx already counted from the end.
    if (pad !== null && (pad < 0 || pad >= num)) throw new Error(`${where} (Embedding): "paddingIdx" must be null or a row in [0, ${num - 1}], got ${pad}`);
  }
  if (obj['type'] === 'MaxPool1d' || obj['type'] === 'AvgPool1d') {
    // PyTorch's 1-D check: the padding at most half the kernel size, the dilation aside.
    const one = (v: unknown): number => (typeof v === 'number' ? v : (v as [number])[0]);
    if (one(obj['padding']) > Math.floor(one(obj['kernelSize']) / 2)) throw new Error(`${where} (${obj['type']}): padding must be at most half the kernel size`);
  }
  if (obj['type'] === 'MaxPool2d' || obj['type'] === 'AvgPool2d') {
    const k = every(obj['kernelSize']);
    const p = every(obj['padding']);
    // PyTorch 1.13's check: half the kernel size, the dilation aside.
    if (p.slice(0, 2).some((v, i) => v > k[i]! / 2)) throw new Error(`${where} (${obj['type']}): padding must be at most half the kernel size`);
  }
  if (obj['type'] === 'MaxPool3d' || obj['type'] === 'AvgPool3d') {
    const k = every(obj['kernelSize']);
    if (every(obj['padding']).some((v, i) => v > Math.floor(k[i]! / 2))) throw new Error(`${where} (${obj['type']}): padding must be at most half the kernel size`);
  }
}

/**
 * Validates an architecture read from a file: known layer types, every field present with a sensible value,
 * no unknown fields.
 *
 * @throws ModelFileError naming `source` and the offending layer, e.g. `layers[2] (Linear): "inFeatures" must be a positive integer, got -3`.
 */
export function parseArchitecture(json: unknown, source: string): LayerSpec {
  try {
    return checkSpec(json, 'architecture', 0, '', new Map());
  } catch (err) {
    throw new ModelFileError(`${source}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/**
 * What keeps a spec from being read back by {@link parseArchitecture} for its size alone — more than `MAX_LAYERS`
 * layers (each `Sequential` counted as one, as the reader counts them) or nesting past `MAX_DEPTH` — or null: saving
 * checks this, so that no file is written that loading would refuse.
 */
export function sizeBeyondLimits(spec: LayerSpec): string | null {
  let count = 0;
  let deepest = 0;
  const visit = (l: LayerSpec, depth: number): void => {
    count++;
    if (depth > deepest) deepest = depth;
    if (l.type === 'Sequential') for (const inner of l.layers) visit(inner, depth + 1);
  };
  visit(spec, 0);
  if (count > MAX_LAYERS) {
    return `it has ${count.toLocaleString('en-US')} layers (each Sequential counted as one), more than the ${MAX_LAYERS.toLocaleString('en-US')} a model file may describe`;
  }
  if (deepest > MAX_DEPTH) return `its Sequentials are nested ${deepest} levels deep, deeper than the ${MAX_DEPTH} a model file allows`;
  return null;
}

/**
 * The names and shapes of the tensors a spec's model has in `stateDict()` (so in its file), in that order: the
 * parameters, and the persistent buffers (BatchNorm's `running_mean`, `running_var` and `num_batches_tracked`, the
 * last of shape []).
 */
export function parameterShapes(spec: LayerSpec, prefix = '', out = new Map<string, number[]>()): Map<string, number[]> {
  switch (spec.type) {
    case 'Sequential':
      spec.layers.forEach((l, i) => parameterShapes(l, `${prefix}${i}.`, out));
      break;
    case 'Linear':
      out.set(`${prefix}weight`, [spec.outFeatures, spec.inFeatures]);
      if (spec.bias) out.set(`${prefix}bias`, [spec.outFeatures]);
      break;
    case 'Conv1d':
      out.set(`${prefix}weight`, [spec.outChannels, spec.inChannels / spec.groups, spec.kernelSize]);
      if (spec.bias) out.set(`${prefix}bias`, [spec.outChannels]);
      break;
    case 'Conv2d':
      out.set(`${prefix}weight`, [spec.outChannels, spec.inChannels / spec.groups, ...spec.kernelSize]);
      if (spec.bias) out.set(`${prefix}bias`, [spec.outChannels]);
      break;
    case 'Conv3d':
      out.set(`${prefix}weight`, [spec.outChannels, spec.inChannels / spec.groups, ...spec.kernelSize]);
      if (spec.bias) out.set(`${prefix}bias`, [spec.outChannels]);
      break;
    case 'ConvTranspose1d':
    case 'ConvTranspose3d':
    case 'ConvTranspose2d':
      out.set(`${prefix}weight`, [spec.inChannels, spec.outChannels / spec.groups, ...[spec.kernelSize].flat()]);
      if (spec.bias) out.set(`${prefix}bias`, [spec.outChannels]);
      break;
    case 'Embedding':
    case 'EmbeddingBag':
      out.set(`${prefix}weight`, [spec.numEmbeddings, spec.embeddingDim]);
      break;
    case 'Bilinear':
      out.set(`${prefix}weight`, [spec.outFeatures, spec.in1Features, spec.in2Features]);
      if (spec.bias) out.set(`${prefix}bias`, [spec.outFeatures]);
      break;
    case 'PReLU':
      out.set(`${prefix}weight`, [spec.numParameters]);
      break;
    case 'RNNCell':
    case 'LSTMCell':
    case 'GRUCell':
    case 'RNN':
    case 'LSTM':
    case 'GRU':
      recurrentShapes(spec, prefix, out);
      break;
    case 'LayerNorm':
      if (spec.elementwiseAffine) {
        out.set(`${prefix}weight`, [...spec.normalizedShape]);
        out.set(`${prefix}bias`, [...spec.normalizedShape]);
      }
      break;
    case 'GroupNorm':
      if (spec.affine) {
        out.set(`${prefix}weight`, [spec.numChannels]);
        out.set(`${prefix}bias`, [spec.numChannels]);
      }
      break;
    case 'BatchNorm1d':
    case 'BatchNorm2d':
    case 'BatchNorm3d':
    case 'InstanceNorm1d':
    case 'InstanceNorm2d':
    case 'InstanceNorm3d':
      if (spec.affine) {
        out.set(`${prefix}weight`, [spec.numFeatures]);
        out.set(`${prefix}bias`, [spec.numFeatures]);
      }
      if (spec.trackRunningStats) {
        out.set(`${prefix}running_mean`, [spec.numFeatures]);
        out.set(`${prefix}running_var`, [spec.numFeatures]);
        out.set(`${prefix}num_batches_tracked`, []);
      }
      break;
    case 'TransformerEncoderLayer':
      transformerLayerShapes(spec, prefix, out);
      break;
    case 'TransformerEncoder':
      for (let i = 0; i < spec.numLayers; i++) transformerLayerShapes(spec, `${prefix}layers.${i}.`, out);
      if (spec.norm !== null && spec.norm.elementwiseAffine) {
        out.set(`${prefix}norm.weight`, [spec.dModel]);
        out.set(`${prefix}norm.bias`, [spec.dModel]);
      }
      break;
    default:
      break;
  }
  return out;
}

/** The parameters of a Transformer encoder layer, in PyTorch's order. */
function transformerLayerShapes(spec: TransformerLayerFields, prefix: string, out: Map<string, number[]>): void {
  const [d, ff] = [spec.dModel, spec.dimFeedforward];
  const shapes: Array<[string, number[]]> = [
    ['self_attn.in_proj_weight', [3 * d, d]], ['self_attn.in_proj_bias', [3 * d]], ['self_attn.out_proj.weight', [d, d]], ['self_attn.out_proj.bias', [d]],
    ['linear1.weight', [ff, d]], ['linear1.bias', [ff]], ['linear2.weight', [d, ff]], ['linear2.bias', [d]],
    ['norm1.weight', [d]], ['norm1.bias', [d]], ['norm2.weight', [d]], ['norm2.bias', [d]],
  ];
  for (const [name, shape] of shapes) out.set(`${prefix}${name}`, shape);
}

/** A Transformer layer's options as they read, PyTorch's keywords where they differ from its defaults. */
function transformerExtras(spec: TransformerLayerFields): string[] {
  return [
    spec.dimFeedforward !== 2048 ? `dim_feedforward=${spec.dimFeedforward}` : '',
    spec.dropout !== 0.1 ? `dropout=${spec.dropout}` : '',
    spec.activation !== 'relu' ? `activation=${spec.activation}` : '',
    spec.layerNormEps !== 1e-5 ? `layer_norm_eps=${spec.layerNormEps}` : '',
    spec.batchFirst ? 'batch_first=true' : '',
    spec.normFirst ? 'norm_first=true' : '',
  ].filter((t) => t !== '');
}

/**
 * The parameters of a recurrent cell or layer, in PyTorch's order: weight_ih, weight_hh, bias_ih, bias_hh (and an
 * LSTM's weight_hr with a projection) per layer and direction.
 */
function recurrentShapes(spec: Extract<LayerSpec, { inputSize: number }>, prefix: string, out: Map<string, number[]>): void {
  const gates = (spec.type === 'LSTM' || spec.type === 'LSTMCell' ? 4 : spec.type === 'GRU' || spec.type === 'GRUCell' ? 3 : 1) * spec.hiddenSize;
  const cell = !('numLayers' in spec);
  const layers = cell ? 1 : spec.numLayers;
  const dirs = !cell && spec.bidirectional ? 2 : 1;
  const proj = spec.type === 'LSTM' ? spec.projSize ?? 0 : 0;
  const h = proj > 0 ? proj : spec.hiddenSize;
  for (let layer = 0; layer < layers; layer++) {
    for (let d = 0; d < dirs; d++) {
      const suffix = cell ? '' : `_l${layer}${d === 1 ? '_reverse' : ''}`;
      out.set(`${prefix}weight_ih${suffix}`, [gates, layer === 0 ? spec.inputSize : h * dirs]);
      out.set(`${prefix}weight_hh${suffix}`, [gates, h]);
      if (spec.bias) {
        out.set(`${prefix}bias_ih${suffix}`, [gates]);
        out.set(`${prefix}bias_hh${suffix}`, [gates]);
      }
      if (proj > 0) out.set(`${prefix}weight_hr${suffix}`, [proj, spec.hiddenSize]);
    }
  }
}

/** How a spec reads for people: `Linear(784, 200) → LeakyReLU(0.02) → LayerNorm(200) → Linear(200, 10) → Sigmoid`. */
export function formatArchitecture(spec: LayerSpec): string {
  return spec.sameAs === undefined ? formatLayer(spec) : `${formatLayer(spec)} (the same as layer ${spec.sameAs})`;
}

/** A convolution's padding mode as its text reads, or nothing for 'zeros'. */
const modeText = (spec: { paddingMode?: ConvPaddingMode }): string =>
  spec.paddingMode === undefined || spec.paddingMode === 'zeros' ? '' : `padding_mode=${spec.paddingMode}`;

function formatLayer(spec: LayerSpec): string {
  switch (spec.type) {
    case 'Sequential': return spec.layers.map(formatArchitecture).join(' → ');
    case 'Linear': return `Linear(${spec.inFeatures}, ${spec.outFeatures}${spec.bias ? '' : ', bias=false'})`;
    case 'Bilinear': return `Bilinear(${spec.in1Features}, ${spec.in2Features}, ${spec.outFeatures}${spec.bias ? '' : ', bias=false'})`;
    case 'LayerNorm': return `LayerNorm(${spec.normalizedShape.join(', ')})`;
    case 'Embedding': {
      const extra = [
        spec.paddingIdx === null ? '' : `padding_idx=${spec.paddingIdx}`,
        spec.maxNorm === null ? '' : `max_norm=${spec.maxNorm}`,
        spec.normType !== 2 ? `norm_type=${spec.normType}` : '',
        spec.scaleGradByFreq ? 'scale_grad_by_freq=true' : '',
      ].filter((t) => t !== '');
      return `Embedding(${[spec.numEmbeddings, spec.embeddingDim, ...extra].join(', ')})`;
    }
    case 'EmbeddingBag': {
      const extra = [
        spec.maxNorm === undefined || spec.maxNorm === null ? '' : `max_norm=${spec.maxNorm}`,
        spec.normType === undefined || spec.normType === 2 ? '' : `norm_type=${spec.normType}`,
        spec.scaleGradByFreq === true ? 'scale_grad_by_freq=true' : '',
        `mode=${spec.mode}`,
        spec.paddingIdx === null ? '' : `padding_idx=${spec.paddingIdx}`,
      ].filter((t) => t !== '');
      return `EmbeddingBag(${[spec.numEmbeddings, spec.embeddingDim, ...extra].join(', ')})`;
    }
    case 'BatchNorm1d':
    case 'BatchNorm2d':
    case 'BatchNorm3d': {
      const extra = [
        spec.eps !== 1e-5 ? `eps=${spec.eps}` : '',
        spec.momentum !== 0.1 ? `momentum=${spec.momentum ?? 'None'}` : '',
        spec.affine ? '' : 'affine=false',
        spec.trackRunningStats ? '' : 'trackRunningStats=false',
      ].filter((t) => t !== '');
      return `${spec.type}(${[spec.numFeatures, ...extra].join(', ')})`;
    }
    case 'InstanceNorm1d':
    case 'InstanceNorm2d':
    case 'InstanceNorm3d': {
      // Only what differs from InstanceNorm's defaults (no affine parameters, no running statistics).
      const extra = [
        spec.eps !== 1e-5 ? `eps=${spec.eps}` : '',
        spec.momentum !== 0.1 ? `momentum=${spec.momentum ?? 'None'}` : '',
        spec.affine ? 'affine=true' : '',
        spec.trackRunningStats ? 'trackRunningStats=true' : '',
      ].filter((t) => t !== '');
      return `${spec.type}(${[spec.numFeatures, ...extra].join(', ')})`;
    }
    case 'GroupNorm': {
      const extra = [spec.eps !== 1e-5 ? `eps=${spec.eps}` : '', spec.affine ? '' : 'affine=false'].filter((t) => t !== '');
      return `GroupNorm(${[spec.numGroups, spec.numChannels, ...extra].join(', ')})`;
    }
    case 'LocalResponseNorm': {
      const extra = [
        spec.alpha !== 1e-4 ? `alpha=${spec.alpha}` : '', spec.beta !== 0.75 ? `beta=${spec.beta}` : '', spec.k !== 1 ? `k=${spec.k}` : '',
      ].filter((t) => t !== '');
      return `LocalResponseNorm(${[spec.size, ...extra].join(', ')})`;
    }
    case 'RNNCell':
    case 'LSTMCell':
    case 'GRUCell':
    case 'RNN':
    case 'LSTM':
    case 'GRU': {
      const layer = 'numLayers' in spec;
      const extra = [
        spec.type === 'LSTM' && spec.projSize !== undefined ? `proj_size=${spec.projSize}` : '',
        layer && spec.numLayers !== 1 ? `num_layers=${spec.numLayers}` : '',
        'nonlinearity' in spec && spec.nonlinearity !== 'tanh' ? `nonlinearity=${spec.nonlinearity}` : '',
        spec.bias ? '' : 'bias=false',
        layer && spec.batchFirst ? 'batch_first=true' : '',
        layer && spec.dropout !== 0 ? `dropout=${spec.dropout}` : '',
        layer && spec.bidirectional ? 'bidirectional=true' : '',
      ].filter((t) => t !== '');
      return `${spec.type}(${[spec.inputSize, spec.hiddenSize, ...extra].join(', ')})`;
    }
    case 'TransformerEncoderLayer': return `TransformerEncoderLayer(${[spec.dModel, spec.nhead, ...transformerExtras(spec)].join(', ')})`;
    case 'TransformerEncoder': {
      const norm = spec.norm === null ? '' : `, norm=LayerNorm(${spec.dModel}${spec.norm.eps !== 1e-5 ? `, eps=${spec.norm.eps}` : ''}${spec.norm.elementwiseAffine ? '' : ', elementwise_affine=false'})`;
      return `TransformerEncoder(TransformerEncoderLayer(${[spec.dModel, spec.nhead, ...transformerExtras(spec)].join(', ')}), ${spec.numLayers}${norm}${spec.enableNestedTensor ? '' : ', enable_nested_tensor=false'})`;
    }
    case 'LeakyReLU': return `LeakyReLU(${spec.negativeSlope})`;
    case 'GELU': return spec.approximate === 'none' ? 'GELU' : `GELU(approximate=${spec.approximate})`;
    case 'ELU': return `ELU(${spec.alpha})`;
    case 'Softplus': return `Softplus(${spec.beta}, ${spec.threshold})`;
    case 'Hardtanh': return `Hardtanh(${spec.minVal}, ${spec.maxVal})`;
    case 'Hardshrink': return `Hardshrink(${spec.lambd})`;
    case 'Softshrink': return `Softshrink(${spec.lambd})`;
    case 'PReLU': return `PReLU(${spec.numParameters})`;
    case 'CELU': return `CELU(${spec.alpha})`;
    case 'RReLU': return `RReLU(${spec.lower}, ${spec.upper})`;
    case 'Softmin': return `Softmin(dim=${spec.dim ?? 'None'})`;
    case 'Threshold': return `Threshold(${spec.threshold}, ${spec.value})`;
    case 'Softmax': return `Softmax(dim=${spec.dim ?? 'None'})`;
    case 'LogSoftmax': return `LogSoftmax(dim=${spec.dim ?? 'None'})`;
    case 'Dropout': return `Dropout(${spec.p})`;
    case 'Dropout1d': case 'Dropout2d': case 'Dropout3d': case 'AlphaDropout': case 'FeatureAlphaDropout': return `${spec.type}(${spec.p})`;
    case 'Flatten': return `Flatten(${spec.startDim}, ${spec.endDim})`;
    case 'Unflatten': return `Unflatten(${spec.dim}, [${spec.unflattenedSize.join(', ')}])`;
    case 'Conv1d': {
      const extra = [
        spec.stride !== 1 ? `stride=${spec.stride}` : '',
        spec.padding !== 0 ? `padding=${spec.padding}` : '',
        spec.dilation !== 1 ? `dilation=${spec.dilation}` : '',
        spec.groups !== 1 ? `groups=${spec.groups}` : '',
        spec.bias ? '' : 'bias=false',
        modeText(spec),
      ].filter((t) => t !== '');
      return `Conv1d(${[spec.inChannels, spec.outChannels, spec.kernelSize, ...extra].join(', ')})`;
    }
    case 'Conv2d': {
      const extra = [
        spec.stride.some((d) => d !== 1) ? `stride=${sizeText(spec.stride)}` : '',
        typeof spec.padding === 'string' ? `padding=${spec.padding}` : spec.padding.some((d) => d !== 0) ? `padding=${sizeText(spec.padding)}` : '',
        spec.dilation.some((d) => d !== 1) ? `dilation=${sizeText(spec.dilation)}` : '',
        spec.groups !== 1 ? `groups=${spec.groups}` : '',
        spec.bias ? '' : 'bias=false',
        modeText(spec),
      ].filter((t) => t !== '');
      return `Conv2d(${[spec.inChannels, spec.outChannels, sizeText(spec.kernelSize), ...extra].join(', ')})`;
    }
    case 'ConvTranspose2d': {
      const extra = [
        spec.stride.some((d) => d !== 1) ? `stride=${sizeText(spec.stride)}` : '',
        spec.padding.some((d) => d !== 0) ? `padding=${sizeText(spec.padding)}` : '',
        spec.outputPadding.some((d) => d !== 0) ? `output_padding=${sizeText(spec.outputPadding)}` : '',
        spec.groups !== 1 ? `groups=${spec.groups}` : '',
        spec.dilation.some((d) => d !== 1) ? `dilation=${sizeText(spec.dilation)}` : '',
        spec.bias ? '' : 'bias=false',
      ].filter((t) => t !== '');
      return `ConvTranspose2d(${[spec.inChannels, spec.outChannels, sizeText(spec.kernelSize), ...extra].join(', ')})`;
    }
    case 'Conv3d':
    case 'ConvTranspose1d':
    case 'ConvTranspose3d': {
      const off = (v: number | number[] | string, n: number): boolean => typeof v === 'string' || [v].flat().some((d) => d !== n);
      const text = (v: number | number[] | string): string => (typeof v === 'string' ? v : volumeText(v));
      const extra = [
        off(spec.stride, 1) ? `stride=${text(spec.stride)}` : '',
        off(spec.padding, 0) ? `padding=${text(spec.padding)}` : '',
        spec.type !== 'Conv3d' && off(spec.outputPadding, 0) ? `output_padding=${text(spec.outputPadding)}` : '',
        spec.groups !== 1 ? `groups=${spec.groups}` : '',
        off(spec.dilation, 1) ? `dilation=${text(spec.dilation)}` : '',
        spec.bias ? '' : 'bias=false',
        spec.type === 'Conv3d' ? modeText(spec) : '',
      ].filter((t) => t !== '');
      return `${spec.type}(${[spec.inChannels, spec.outChannels, text(spec.kernelSize), ...extra].join(', ')})`;
    }
    case 'MaxPool3d':
    case 'AvgPool3d': {
      const extra = [
        spec.stride === null ? '' : `stride=${volumeText(spec.stride)}`,
        [spec.padding].flat().some((d) => d !== 0) ? `padding=${volumeText(spec.padding)}` : '',
        spec.type === 'MaxPool3d' && [spec.dilation].flat().some((d) => d !== 1) ? `dilation=${volumeText(spec.dilation)}` : '',
        spec.ceilMode ? 'ceil_mode=true' : '',
        spec.type === 'MaxPool3d' && spec.returnIndices ? 'return_indices=true' : '',
        spec.type === 'AvgPool3d' && !spec.countIncludePad ? 'count_include_pad=false' : '',
        spec.type === 'AvgPool3d' && spec.divisorOverride !== null ? `divisor_override=${spec.divisorOverride}` : '',
      ].filter((t) => t !== '');
      return `${spec.type}(${[volumeText(spec.kernelSize), ...extra].join(', ')})`;
    }
    case 'AdaptiveAvgPool3d':
    case 'AdaptiveMaxPool3d': {
      const d = (v: number | null): string => (v === null ? 'None' : String(v));
      const indices = spec.type === 'AdaptiveMaxPool3d' && spec.returnIndices === true ? ', return_indices=true' : '';
      return `${spec.type}(${Array.isArray(spec.outputSize) ? `(${spec.outputSize.map(d).join(', ')})` : d(spec.outputSize)}${indices})`;
    }
    case 'MaxPool2d':
    case 'AvgPool2d': {
      const is = (s: Size, v: number): boolean => (typeof s === 'number' ? s === v : s.every((d) => d === v));
      const extra = [
        spec.stride === null ? '' : `stride=${sizeText(spec.stride)}`,
        is(spec.padding, 0) ? '' : `padding=${sizeText(spec.padding)}`,
        spec.type === 'MaxPool2d' && !is(spec.dilation, 1) ? `dilation=${sizeText(spec.dilation)}` : '',
        spec.ceilMode ? 'ceil_mode=true' : '',
        spec.type === 'MaxPool2d' && spec.returnIndices === true ? 'return_indices=true' : '',
        spec.type === 'AvgPool2d' && !spec.countIncludePad ? 'count_include_pad=false' : '',
        spec.type === 'AvgPool2d' && spec.divisorOverride !== null ? `divisor_override=${spec.divisorOverride}` : '',
      ].filter((t) => t !== '');
      return `${spec.type}(${[sizeText(spec.kernelSize), ...extra].join(', ')})`;
    }
    case 'MaxPool1d':
    case 'AvgPool1d': {
      const is = (v: Size1, n: number): boolean => (typeof v === 'number' ? v : v[0]) === n;
      const extra = [
        spec.stride === null ? '' : `stride=${size1Text(spec.stride)}`,
        is(spec.padding, 0) ? '' : `padding=${size1Text(spec.padding)}`,
        spec.type === 'MaxPool1d' && !is(spec.dilation, 1) ? `dilation=${size1Text(spec.dilation)}` : '',
        spec.ceilMode ? 'ceil_mode=true' : '',
        spec.type === 'MaxPool1d' && spec.returnIndices ? 'return_indices=true' : '',
        spec.type === 'AvgPool1d' && !spec.countIncludePad ? 'count_include_pad=false' : '',
      ].filter((t) => t !== '');
      return `${spec.type}(${[size1Text(spec.kernelSize), ...extra].join(', ')})`;
    }
    case 'AdaptiveAvgPool1d':
    case 'AdaptiveMaxPool1d':
      return `${spec.type}(${size1Text(spec.outputSize)}${spec.type === 'AdaptiveMaxPool1d' && spec.returnIndices ? ', return_indices=true' : ''})`;
    case 'AdaptiveAvgPool2d':
    case 'AdaptiveMaxPool2d': {
      const size = typeof spec.outputSize === 'number' ? String(spec.outputSize) : `(${spec.outputSize.map((d) => (d === null ? 'None' : String(d))).join(', ')})`;
      return `${spec.type}(${size}${spec.type === 'AdaptiveMaxPool2d' && spec.returnIndices ? ', return_indices=true' : ''})`;
    }
    case 'ZeroPad2d': case 'ReflectionPad1d': case 'ReflectionPad2d': case 'ReplicationPad1d': case 'ReplicationPad2d': case 'ReflectionPad3d': case 'ReplicationPad3d':
      return `${spec.type}(${spec.padding.join(', ')})`;
    case 'ConstantPad1d': case 'ConstantPad2d': case 'ConstantPad3d':
      return `${spec.type}(${spec.padding.join(', ')}, value=${spec.value})`;
    case 'Upsample': {
      const s = (v: number | number[]): string => (Array.isArray(v) ? v.join('×') : String(v));
      return `Upsample(${spec.scaleFactor !== null ? `scale_factor=${s(spec.scaleFactor)}` : `size=${s(spec.size ?? 0)}`}, ${spec.mode}${spec.alignCorners === true ? ', align_corners=true' : ''})`;
    }
    case 'PixelShuffle': return `PixelShuffle(${spec.upscaleFactor})`;
    case 'Unfold':
    case 'Fold': {
      const extra = [
        spec.type === 'Fold' ? `output_size=${sizeText(spec.outputSize)}` : '',
        `kernel_size=${sizeText(spec.kernelSize)}`,
        sizeText(spec.dilation) === '1' ? '' : `dilation=${sizeText(spec.dilation)}`,
        sizeText(spec.padding) === '0' ? '' : `padding=${sizeText(spec.padding)}`,
        sizeText(spec.stride) === '1' ? '' : `stride=${sizeText(spec.stride)}`,
      ].filter((t) => t !== '');
      return `${spec.type}(${extra.join(', ')})`;
    }
    case 'LPPool1d':
    case 'LPPool2d': {
      const stride = spec.stride === null ? '' : `, stride=${spec.type === 'LPPool1d' ? size1Text(spec.stride as Size1) : sizeText(spec.stride as Size)}`;
      return `${spec.type}(${spec.normType}, ${sizeText(spec.kernelSize)}${stride}${spec.ceilMode ? ', ceil_mode=true' : ''})`;
    }
    case 'PixelUnshuffle': return `PixelUnshuffle(${spec.downscaleFactor})`;
    case 'GLU': return `GLU(dim=${spec.dim})`;
    case 'Softmax2d': return 'Softmax2d';
    case 'ChannelShuffle': return `ChannelShuffle(${spec.groups})`;
    default: return spec.type;
  }
}

/** A size of any dimensions as it reads: 3, or 3×2×2 for [3, 2, 2] (one number when all are equal). */
function volumeText(s: number | readonly number[]): string {
  return typeof s === 'number' ? String(s) : s.every((d) => d === s[0]) ? String(s[0]) : s.join('×');
}

/** A 1-D size as it reads: 3 (for 3 or [3]). */
function size1Text(s: Size1): string {
  return String(typeof s === 'number' ? s : s[0]);
}

/** A size as it reads: 3, or 3×2 for [3, 2] (one number when both are equal). */
function sizeText(s: Size): string {
  return typeof s === 'number' ? String(s) : s[0] === s[1] ? String(s[0]) : `${s[0]}×${s[1]}`;
}

/** The dropout layers: the identity in evaluation mode. */
const DROPOUTS: readonly string[] = ['Dropout', 'Dropout1d', 'Dropout2d', 'Dropout3d', 'AlphaDropout', 'FeatureAlphaDropout'];

/** The last layer that computes something (Identity skipped), or undefined for an empty model. */
export function lastLayer(spec: LayerSpec): LayerSpec | undefined {
  // Identity, the dropouts (the identity when a model is used), Flatten and Unflatten compute nothing.
  if (spec.type !== 'Sequential') return ['Identity', ...DROPOUTS, 'Flatten', 'Unflatten'].includes(spec.type) ? undefined : spec;
  for (let i = spec.layers.length - 1; i >= 0; i--) {
    const l = lastLayer(spec.layers[i]!);
    if (l !== undefined) return l;
  }
  return undefined;
}

/**
 * The number of inputs the model expects, if it starts with a Linear (its inFeatures), a LayerNorm, or an Unflatten
 * of a flat input into fixed sizes (a convolutional network's `Unflatten(1, [1, 28, 28])`: 784).
 */
export function inputFeatures(spec: LayerSpec): number | undefined {
  if (spec.type === 'Linear') return spec.inFeatures;
  if (spec.type === 'Sequential') {
    for (const l of spec.layers) {
      if (l.type === 'Linear' || l.type === 'Sequential') return inputFeatures(l);
      // An Embedding takes indices, not features.
      if (l.type === 'Embedding' || l.type === 'EmbeddingBag') return undefined;
      // A Transformer takes sequences [seq, batch, dModel] (or [batch, seq, dModel]), not flat rows.
      if (l.type === 'TransformerEncoderLayer' || l.type === 'TransformerEncoder') return undefined;
      if (l.type === 'LayerNorm') return l.normalizedShape.reduce((a, b) => a * b, 1);
      if (l.type === 'Unflatten') return l.unflattenedSize.includes(-1) ? undefined : l.unflattenedSize.reduce((a, b) => a * b, 1);
      if (TWO_D.includes(l.type) || ONE_D.includes(l.type) || THREE_D.includes(l.type)) return undefined;
    }
  }
  return undefined;
}

const TWO_D: readonly string[] = ['Conv2d', 'ConvTranspose2d', 'MaxPool2d', 'AvgPool2d'];

/** The 1-D layers, which take [batch, channels, length]: a model starting with one has no flat input size. */
const ONE_D: readonly string[] = ['Conv1d', 'ConvTranspose1d', 'MaxPool1d', 'AvgPool1d', 'AdaptiveAvgPool1d', 'AdaptiveMaxPool1d'];

/** The 3-D layers, which take [batch, channels, depth, height, width]: no flat input size either. */
const THREE_D: readonly string[] = ['Conv3d', 'ConvTranspose3d', 'MaxPool3d', 'AvgPool3d', 'AdaptiveAvgPool3d', 'AdaptiveMaxPool3d'];

/**
 * The first layer's type when it is a 2-D layer (Conv2d, ConvTranspose2d, MaxPool2d, AvgPool2d), which takes images as [batch,
 * channels, height, width], not the flat rows of pixels a data set's loader gives; else undefined.
 */
export function imageFirstLayer(spec: LayerSpec): string | undefined {
  if (TWO_D.includes(spec.type)) return spec.type;
  if (spec.type !== 'Sequential') return undefined;
  for (const l of spec.layers) {
    if (l.type === 'Identity' || DROPOUTS.includes(l.type)) continue;
    return imageFirstLayer(l);
  }
  return undefined;
}
