/**
 * Models as files: an architecture spec (plain JSON) that describes a `Sequential` of Kindling's layers and
 * rebuilds it, and save/load of whole models in safetensors with PyTorch's state_dict names (see
 * `io/model-file.ts` for the file's metadata).
 *
 * Loading checks everything against the architecture before anything is built or copied — every expected
 * tensor present, none unexpected, every shape right — so a bad file is an error that names the tensor and both
 * shapes, and a huge shape in a hostile file cannot make Kindling allocate memory it does not have.
 */
import {
  ModelFileError,
  checkModelContents,
  readModelFile,
  writeModelFile,
  type ModelFileContents,
  type ModelInfo,
} from '../io/model-file.js';
import {
  SUPPORTED,
  formatArchitecture,
  imageFirstLayer,
  inputFeatures,
  lastLayer,
  parameterShapes,
  parseArchitecture,
  sizeBeyondLimits,
  type LayerSpec,
} from '../io/architecture.js';
import { loadFile } from '../io/safetensors-file.js';
import { safetensorsEntry } from '../io/tensor-entry.js';
import type { SafetensorsInput, SafetensorsTensor } from '../io/safetensors.js';
import { checkOptions, describeValue } from '../options.js';
import { Generator } from '../random.js';
import { Tensor } from '../tensor/tensor.js';
import { Identity, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh } from './activation.js';
import { ELU, GELU, SiLU, Softplus } from './activation-more.js';
import { Hardshrink, Hardtanh, ReLU6, Softshrink } from './activation-clip.js';
import { RReLU } from './rrelu.js';
import { isPruned } from './utils/prune.js';
import { isParametrized, typeBeforeParametrizations } from './utils/parametrize.js';
import { CELU, Hardsigmoid, Hardswish, LogSigmoid, Mish, SELU, Softmin, Softsign, Tanhshrink, Threshold } from './activation-extra.js';
import { PReLU } from './prelu.js';
import { Dropout } from './dropout.js';
import { Bilinear } from './bilinear.js';
import { AlphaDropout, Dropout1d, Dropout2d, Dropout3d, FeatureAlphaDropout } from './dropout-nd.js';
import { Conv1d } from './conv1d.js';
import type { PaddingMode } from './conv-padding-mode.js';
import { Conv2d } from './conv.js';
import { Conv3d } from './conv3d.js';
import { ConvTranspose1d, ConvTranspose2d, ConvTranspose3d } from './conv-transpose.js';
import { AdaptiveAvgPool3d, AdaptiveMaxPool3d, AvgPool3d, MaxPool3d } from './pooling3d.js';
import { Fold, Unfold } from './fold.js';
import { LPPool1d, LPPool2d } from './unpool.js';
import { Flatten, Unflatten } from './flatten.js';
import { AvgPool2d, MaxPool2d } from './pooling.js';
import { AvgPool1d, MaxPool1d } from './pooling1d.js';
import { AdaptiveAvgPool1d, AdaptiveMaxPool1d } from './adaptive-pooling1d.js';
import {
  ConstantPad1d, ConstantPad2d, ConstantPad3d, ReflectionPad1d, ReflectionPad2d, ReflectionPad3d, ReplicationPad1d, ReplicationPad2d, ReplicationPad3d, ZeroPad2d,
} from './padding.js';
import { PixelShuffle, PixelUnshuffle } from './pixel-shuffle.js';
import { ChannelShuffle, GLU, Softmax2d } from './gated.js';
import { Upsample } from './upsample.js';
import { AdaptiveAvgPool2d, AdaptiveMaxPool2d } from './adaptive-pooling.js';
import { Linear } from './linear.js';
import { WeightAndBias } from './weight-and-bias.js';
import { Embedding, EmbeddingBag } from './embedding.js';
import { isBatchCountName, Module, setModelPersistence, type StateDict } from './module.js';
import { LayerNorm } from './normalization.js';
import { BatchNorm1d, BatchNorm2d, BatchNorm3d } from './batchnorm.js';
import { GroupNorm } from './group-norm.js';
import { InstanceNorm1d, InstanceNorm2d, InstanceNorm3d } from './instance-norm.js';
import { LocalResponseNorm } from './local-response-norm.js';
import { Sequential } from './sequential.js';
import { GRUCell, LSTMCell, RNNCell } from './rnn-cell.js';
import { GRU, LSTM, RNN } from './rnn.js';
import { describeTransformer, buildTransformer } from './transformer-serialize.js';
import { TransformerEncoder } from './transformer-encoder.js';
import { TransformerEncoderLayer } from './transformer-encoder-layer.js';

export { formatArchitecture, imageFirstLayer, inputFeatures, lastLayer, parameterShapes, parseArchitecture, type LayerSpec };

/**
 * The architecture spec of a module built from Kindling's layers.
 *
 * @throws ModelFileError naming the first module Kindling cannot describe (a custom `Module` subclass).
 * @example
 * describeModule(new nn.Sequential(new nn.Linear(784, 200), new nn.Sigmoid()));
 * // { type: 'Sequential', layers: [{ type: 'Linear', inFeatures: 784, outFeatures: 200, bias: true }, { type: 'Sigmoid' }] }
 */
export function describeModule(m: Module, where = 'model'): LayerSpec {
  return describeIn(m, where, '', new Map());
}

/**
 * describeModule for a model file: a model past the limits a file is read back with (parseArchitecture) is refused
 * here, so that nothing is written that loading would refuse. @internal
 */
export function describeForFile(m: Module, where = 'model'): LayerSpec {
  const spec = describeModule(m, where);
  const beyond = sizeBeyondLimits(spec);
  if (beyond !== null) throw new ModelFileError(`cannot save ${where} in a model file: ${beyond}; save the weights alone with saveFile(path, model.stateDict())`);
  return spec;
}

/**
 * describeModule for the module at state_dict prefix `path`. `seen` holds the layers with weights described so far,
 * by object: one met again is written as its first place's spec with `sameAs` (a tied layer, as PyTorch keeps it).
 */
function describeIn(m: Module, where: string, path: string, seen: Map<Module, { path: string; spec: LayerSpec }>): LayerSpec {
  const first = seen.get(m);
  if (first !== undefined) return { ...first.spec, sameAs: first.path };
  const spec = describeOne(m, where, path, seen);
  // Only layers that hold tensors are tied: two places of one ReLU compute what two ReLUs do.
  if (path !== '' && Object.keys(m.parameterState()).length > 0) seen.set(m, { path, spec });
  return spec;
}

function describeOne(m: Module, where: string, path: string, seen: Map<Module, { path: string; spec: LayerSpec }>): LayerSpec {
  // A parametrized layer (its class swapped for Parametrized<Layer>, as PyTorch's): the file records plain layers only.
  if (isParametrized(m)) {
    throw new ModelFileError(
      `cannot describe ${where} (${typeBeforeParametrizations(m).name}): its ${[...(m as unknown as { parametrizations: { keys(): Iterable<string> } }).parametrizations.keys()].join(' and ')} ` +
        "is parametrized (nn.utils.parametrize); remove it first (nn.utils.parametrize.removeParametrizations(layer, 'weight'), which keeps the parametrized values), " +
        'or save the weights alone with saveFile(path, model.stateDict())',
    );
  }
  // A lazy layer becomes its plain layer at its first call.
  if (typeof (m as { hasUninitializedParams?: unknown }).hasUninitializedParams === 'function') {
    throw new ModelFileError(`cannot describe ${where} (${m.constructor.name}): a lazy layer is saved once it has run (it then becomes the plain layer): call the model on an input first`);
  }
  // A subclass of a built-in layer is no built-in layer: its own forward, parameters or options would be lost.
  const base = BUILT_IN.find((c) => m instanceof c);
  if (base !== undefined && m.constructor !== base) {
    throw new ModelFileError(
      `cannot describe ${where} (${m.constructor.name}): it is a subclass of nn.${base.name}, and a model file records built-in layers only, ` +
        `so it would load as a plain ${base.name} without what ${m.constructor.name} adds (its forward, parameters or options); ` +
        'save the weights alone with saveFile(path, model.stateDict()) and rebuild the model in code',
    );
  }
  // A weight computed by weightNorm or spectralNorm, or a pruned weight or bias: the file records the layer's own parameters only.
  if (m instanceof WeightAndBias && WeightAndBias.isReparametrized(m)) {
    const pruned = isPruned(m);
    throw new ModelFileError(
      `cannot describe ${where} (${m.constructor.name}): its ${pruned ? 'weight or bias is pruned (nn.utils.prune)' : 'weight is computed by nn.utils.weightNorm or spectralNorm'}; ` +
        `remove it first (${pruned ? "nn.utils.prune.remove(layer, 'weight'), which keeps the pruned values" : 'nn.utils.removeWeightNorm(layer) or removeSpectralNorm(layer)'}), or save the weights alone with saveFile(path, model.stateDict())`,
    );
  }
  if (m instanceof Sequential) return { type: 'Sequential', layers: [...m].map((c, i) => describeIn(c, `${where}[${i}]`, path === '' ? `${i}` : `${path}.${i}`, seen)) };
  if (m instanceof Linear) return { type: 'Linear', inFeatures: m.inFeatures, outFeatures: m.outFeatures, bias: m.bias !== null };
  if (m instanceof Bilinear) return { type: 'Bilinear', in1Features: m.in1Features, in2Features: m.in2Features, outFeatures: m.outFeatures, bias: m.bias !== null };
  if (m instanceof EmbeddingBag) {
    const { numEmbeddings, embeddingDim, mode, paddingIdx, includeLastOffset, maxNorm, normType, scaleGradByFreq } = m;
    // The renorm and gradient-scaling options are written only when set, so a file of a plain bag stays as it was.
    return {
      type: 'EmbeddingBag', numEmbeddings, embeddingDim, mode, paddingIdx, includeLastOffset,
      ...(maxNorm === null ? {} : { maxNorm }), ...(normType === 2 ? {} : { normType }), ...(scaleGradByFreq ? { scaleGradByFreq } : {}),
    };
  }
  if (m instanceof Embedding) {
    const { numEmbeddings, embeddingDim, paddingIdx, maxNorm, normType, scaleGradByFreq } = m;
    return { type: 'Embedding', numEmbeddings, embeddingDim, paddingIdx, maxNorm, normType, scaleGradByFreq };
  }
  if (m instanceof RNNCell) return { type: 'RNNCell', inputSize: m.inputSize, hiddenSize: m.hiddenSize, bias: m.bias, nonlinearity: m.nonlinearity };
  if (m instanceof TransformerEncoderLayer || m instanceof TransformerEncoder) return describeTransformer(m, where);
  if (m instanceof LSTMCell || m instanceof GRUCell) {
    return { type: m instanceof LSTMCell ? 'LSTMCell' : 'GRUCell', inputSize: m.inputSize, hiddenSize: m.hiddenSize, bias: m.bias };
  }
  if (m instanceof RNN || m instanceof LSTM || m instanceof GRU) {
    const { inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional } = m;
    const common = { inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional };
    if (m instanceof RNN) return { type: 'RNN', ...common, nonlinearity: m.nonlinearity };
    // projSize is written only when there is one, so an LSTM without it is written as before it existed.
    return m instanceof LSTM ? { type: 'LSTM', ...common, ...(m.projSize > 0 ? { projSize: m.projSize } : {}) } : { type: 'GRU', ...common };
  }
  if (m instanceof LayerNorm) {
    return { type: 'LayerNorm', normalizedShape: [...m.normalizedShape], eps: m.eps, elementwiseAffine: m.weight !== null };
  }
  if (m instanceof BatchNorm1d || m instanceof BatchNorm2d || m instanceof BatchNorm3d) {
    const { numFeatures, eps, momentum, affine, trackRunningStats } = m;
    return { type: m instanceof BatchNorm1d ? 'BatchNorm1d' : m instanceof BatchNorm2d ? 'BatchNorm2d' : 'BatchNorm3d', numFeatures, eps, momentum, affine, trackRunningStats };
  }
  if (m instanceof InstanceNorm1d || m instanceof InstanceNorm2d || m instanceof InstanceNorm3d) {
    const { numFeatures, eps, momentum, affine, trackRunningStats } = m;
    return { type: m instanceof InstanceNorm1d ? 'InstanceNorm1d' : m instanceof InstanceNorm2d ? 'InstanceNorm2d' : 'InstanceNorm3d', numFeatures, eps, momentum, affine, trackRunningStats };
  }
  if (m instanceof GroupNorm) return { type: 'GroupNorm', numGroups: m.numGroups, numChannels: m.numChannels, eps: m.eps, affine: m.affine };
  if (m instanceof LocalResponseNorm) return { type: 'LocalResponseNorm', size: m.size, alpha: m.alpha, beta: m.beta, k: m.k };
  if (m instanceof LeakyReLU) return { type: 'LeakyReLU', negativeSlope: m.negativeSlope, ...inplaceField(m) };
  if (m instanceof Softmax) return { type: 'Softmax', dim: m.dim };
  if (m instanceof LogSoftmax) return { type: 'LogSoftmax', dim: m.dim };
  if (m instanceof Sigmoid) return { type: 'Sigmoid' };
  if (m instanceof ReLU) return { type: 'ReLU', ...inplaceField(m) };
  if (m instanceof Tanh) return { type: 'Tanh' };
  if (m instanceof GELU) return { type: 'GELU', approximate: m.approximate };
  if (m instanceof SiLU) return { type: 'SiLU', ...inplaceField(m) };
  if (m instanceof ELU) return { type: 'ELU', alpha: m.alpha, ...inplaceField(m) };
  if (m instanceof Softplus) return { type: 'Softplus', beta: m.beta, threshold: m.threshold };
  if (m instanceof Hardtanh) {
    // JSON has no ±Infinity: refused here rather than written as null, which loading would refuse.
    if (!Number.isFinite(m.minVal) || !Number.isFinite(m.maxVal)) {
      throw new ModelFileError(`cannot describe ${where} (Hardtanh): its bounds (${m.minVal}, ${m.maxVal}) must be finite to go in a model file (JSON has no ±Infinity); use finite bounds, or save the weights alone with saveFile(path, model.stateDict())`);
    }
    return { type: 'Hardtanh', minVal: m.minVal, maxVal: m.maxVal, ...inplaceField(m) };
  }
  if (m instanceof ReLU6) return { type: 'ReLU6', ...inplaceField(m) };
  if (m instanceof Hardshrink) return { type: 'Hardshrink', lambd: m.lambd };
  if (m instanceof Softshrink) return { type: 'Softshrink', lambd: m.lambd };
  if (m instanceof PReLU) return { type: 'PReLU', numParameters: m.numParameters, init: m.init };
  if (m instanceof SELU) return { type: 'SELU', ...inplaceField(m) };
  if (m instanceof CELU) return { type: 'CELU', alpha: m.alpha, ...inplaceField(m) };
  if (m instanceof RReLU) return { type: 'RReLU', lower: m.lower, upper: m.upper, ...inplaceField(m) };
  if (m instanceof Hardswish) return { type: 'Hardswish', ...inplaceField(m) };
  if (m instanceof Hardsigmoid) return { type: 'Hardsigmoid', ...inplaceField(m) };
  if (m instanceof Mish) return { type: 'Mish', ...inplaceField(m) };
  if (m instanceof LogSigmoid) return { type: 'LogSigmoid' };
  if (m instanceof Softsign) return { type: 'Softsign' };
  if (m instanceof Softmin) return { type: 'Softmin', dim: m.dim };
  if (m instanceof Tanhshrink) return { type: 'Tanhshrink' };
  if (m instanceof Threshold) return { type: 'Threshold', threshold: m.threshold, value: m.value, ...inplaceField(m) };
  if (m instanceof Identity) return { type: 'Identity' };
  if (m instanceof Dropout) return { type: 'Dropout', p: m.p, ...inplaceField(m) };
  if (m instanceof Dropout1d) return { type: 'Dropout1d', p: m.p, ...inplaceField(m) };
  if (m instanceof Dropout2d) return { type: 'Dropout2d', p: m.p, ...inplaceField(m) };
  if (m instanceof Dropout3d) return { type: 'Dropout3d', p: m.p, ...inplaceField(m) };
  if (m instanceof AlphaDropout) return { type: 'AlphaDropout', p: m.p, ...inplaceField(m) };
  if (m instanceof FeatureAlphaDropout) return { type: 'FeatureAlphaDropout', p: m.p, ...inplaceField(m) };
  if (m instanceof Flatten) return { type: 'Flatten', startDim: m.startDim, endDim: m.endDim };
  if (m instanceof Unflatten) return { type: 'Unflatten', dim: m.dim, unflattenedSize: [...m.unflattenedSize] };
  if (m instanceof Conv1d) {
    const { inChannels, outChannels, groups } = m;
    const padding = typeof m.padding === 'string' ? m.padding : m.padding[0];
    return {
      type: 'Conv1d', inChannels, outChannels, kernelSize: m.kernelSize[0], stride: m.stride[0], padding, dilation: m.dilation[0], groups, bias: m.bias !== null,
      ...paddingModeField(m),
    };
  }
  if (m instanceof Conv2d) {
    const { inChannels, outChannels, groups } = m;
    const pair = (p: readonly [number, number]): [number, number] => [p[0], p[1]];
    const padding = typeof m.padding === 'string' ? m.padding : pair(m.padding);
    return {
      type: 'Conv2d', inChannels, outChannels, kernelSize: pair(m.kernelSize), stride: pair(m.stride), padding, dilation: pair(m.dilation), groups, bias: m.bias !== null,
      ...paddingModeField(m),
    };
  }
  if (m instanceof ConvTranspose2d) {
    const { inChannels, outChannels, groups } = m;
    const pair = (p: readonly [number, number]): [number, number] => [p[0], p[1]];
    return {
      type: 'ConvTranspose2d', inChannels, outChannels, kernelSize: pair(m.kernelSize), stride: pair(m.stride), padding: pair(m.padding),
      outputPadding: pair(m.outputPadding), groups, dilation: pair(m.dilation), bias: m.bias !== null,
    };
  }
  if (m instanceof Conv3d) {
    const { inChannels, outChannels, groups } = m;
    const padding = typeof m.padding === 'string' ? m.padding : triple(m.padding);
    return {
      type: 'Conv3d', inChannels, outChannels, kernelSize: triple(m.kernelSize), stride: triple(m.stride), padding, dilation: triple(m.dilation), groups, bias: m.bias !== null,
      ...paddingModeField(m),
    };
  }
  if (m instanceof ConvTranspose1d) {
    const { inChannels, outChannels, groups } = m;
    return {
      type: 'ConvTranspose1d', inChannels, outChannels, kernelSize: m.kernelSize[0], stride: m.stride[0], padding: m.padding[0],
      outputPadding: m.outputPadding[0], groups, dilation: m.dilation[0], bias: m.bias !== null,
    };
  }
  if (m instanceof ConvTranspose3d) {
    const { inChannels, outChannels, groups } = m;
    return {
      type: 'ConvTranspose3d', inChannels, outChannels, kernelSize: triple(m.kernelSize), stride: triple(m.stride), padding: triple(m.padding),
      outputPadding: triple(m.outputPadding), groups, dilation: triple(m.dilation), bias: m.bias !== null,
    };
  }
  if (m instanceof MaxPool3d) {
    const o = m.options;
    return {
      type: 'MaxPool3d', kernelSize: size3(m.kernelSize), stride: o.stride == null ? null : size3(o.stride), padding: size3(o.padding ?? 0),
      dilation: size3(o.dilation ?? 1), ceilMode: o.ceilMode ?? false, returnIndices: o.returnIndices ?? false,
    };
  }
  if (m instanceof AvgPool3d) {
    const o = m.options;
    return {
      type: 'AvgPool3d', kernelSize: size3(m.kernelSize), stride: o.stride == null ? null : size3(o.stride), padding: size3(o.padding ?? 0),
      ceilMode: o.ceilMode ?? false, countIncludePad: o.countIncludePad ?? true, divisorOverride: o.divisorOverride ?? null,
    };
  }
  if (m instanceof AdaptiveAvgPool3d || m instanceof AdaptiveMaxPool3d) {
    const o = m.outputSize;
    const outputSize = typeof o === 'number' || o === null ? o : [o[0], o[1], o[2]] as [number | null, number | null, number | null];
    if (m instanceof AdaptiveAvgPool3d) return { type: 'AdaptiveAvgPool3d', outputSize };
    // returnIndices is written only when set, so files from before it read as they did.
    return { type: 'AdaptiveMaxPool3d', outputSize, ...(m.returnIndices ? { returnIndices: true } : {}) };
  }
  if (m instanceof MaxPool1d) {
    const o = m.options;
    return {
      type: 'MaxPool1d', kernelSize: size1(m.kernelSize), stride: o.stride == null ? null : size1(o.stride), padding: size1(o.padding ?? 0),
      dilation: size1(o.dilation ?? 1), ceilMode: o.ceilMode ?? false, returnIndices: o.returnIndices ?? false,
    };
  }
  if (m instanceof AvgPool1d) {
    const o = m.options;
    return {
      type: 'AvgPool1d', kernelSize: size1(m.kernelSize), stride: o.stride == null ? null : size1(o.stride), padding: size1(o.padding ?? 0),
      ceilMode: o.ceilMode ?? false, countIncludePad: o.countIncludePad ?? true,
    };
  }
  if (m instanceof AdaptiveAvgPool1d) return { type: 'AdaptiveAvgPool1d', outputSize: size1(m.outputSize) };
  if (m instanceof ZeroPad2d) return { type: 'ZeroPad2d', padding: [...m.padding] as [number, number, number, number] };
  if (m instanceof ConstantPad1d) return { type: 'ConstantPad1d', padding: [...m.padding] as [number, number], value: m.value };
  if (m instanceof ConstantPad2d) return { type: 'ConstantPad2d', padding: [...m.padding] as [number, number, number, number], value: m.value };
  if (m instanceof ReflectionPad1d) return { type: 'ReflectionPad1d', padding: [...m.padding] as [number, number] };
  if (m instanceof ReflectionPad2d) return { type: 'ReflectionPad2d', padding: [...m.padding] as [number, number, number, number] };
  if (m instanceof ReplicationPad1d) return { type: 'ReplicationPad1d', padding: [...m.padding] as [number, number] };
  if (m instanceof ReplicationPad2d) return { type: 'ReplicationPad2d', padding: [...m.padding] as [number, number, number, number] };
  if (m instanceof ConstantPad3d) return { type: 'ConstantPad3d', padding: [...m.padding] as Pads6, value: m.value };
  if (m instanceof ReflectionPad3d) return { type: 'ReflectionPad3d', padding: [...m.padding] as Pads6 };
  if (m instanceof ReplicationPad3d) return { type: 'ReplicationPad3d', padding: [...m.padding] as Pads6 };
  if (m instanceof Upsample) {
    const o = m.options;
    const list = (v: number | readonly number[] | null | undefined): number | number[] | null => (v == null ? null : typeof v === 'number' ? v : [...v]);
    return {
      type: 'Upsample', size: list(o.size), scaleFactor: list(o.scaleFactor), mode: o.mode ?? 'nearest', alignCorners: o.alignCorners ?? null,
      recomputeScaleFactor: o.recomputeScaleFactor ?? null,
    };
  }
  if (m instanceof PixelShuffle) return { type: 'PixelShuffle', upscaleFactor: m.upscaleFactor };
  if (m instanceof Unfold || m instanceof Fold) {
    const o = m.options;
    const geometry = { kernelSize: size(m.kernelSize), dilation: size(o.dilation ?? 1), padding: size(o.padding ?? 0), stride: size(o.stride ?? 1) };
    return m instanceof Fold ? { type: 'Fold', outputSize: size(m.outputSize), ...geometry } : { type: 'Unfold', ...geometry };
  }
  if (m instanceof LPPool1d) return { type: 'LPPool1d', normType: m.normType, kernelSize: m.kernelSize as number, stride: m.stride === null ? null : size1(m.stride as number), ceilMode: m.ceilMode };
  if (m instanceof LPPool2d) return { type: 'LPPool2d', normType: m.normType, kernelSize: size(m.kernelSize), stride: m.stride === null ? null : size(m.stride), ceilMode: m.ceilMode };
  if (m instanceof PixelUnshuffle) return { type: 'PixelUnshuffle', downscaleFactor: m.downscaleFactor };
  if (m instanceof GLU) return { type: 'GLU', dim: m.dim };
  if (m instanceof Softmax2d) return { type: 'Softmax2d' };
  if (m instanceof ChannelShuffle) return { type: 'ChannelShuffle', groups: m.groups };
  if (m instanceof AdaptiveMaxPool1d) return { type: 'AdaptiveMaxPool1d', outputSize: size1(m.outputSize), returnIndices: m.returnIndices };
  if (m instanceof MaxPool2d) {
    const o = m.options;
    return {
      type: 'MaxPool2d', kernelSize: size(m.kernelSize), stride: o.stride == null ? null : size(o.stride), padding: size(o.padding ?? 0), dilation: size(o.dilation ?? 1),
      ceilMode: o.ceilMode ?? false, ...(o.returnIndices === true ? { returnIndices: true } : {}),
    };
  }
  if (m instanceof AdaptiveAvgPool2d) return { type: 'AdaptiveAvgPool2d', outputSize: adaptiveSize(m.outputSize) };
  if (m instanceof AdaptiveMaxPool2d) return { type: 'AdaptiveMaxPool2d', outputSize: adaptiveSize(m.outputSize), returnIndices: m.returnIndices };
  if (m instanceof AvgPool2d) {
    const o = m.options;
    return {
      type: 'AvgPool2d', kernelSize: size(m.kernelSize), stride: o.stride == null ? null : size(o.stride), padding: size(o.padding ?? 0),
      ceilMode: o.ceilMode ?? false, countIncludePad: o.countIncludePad ?? true, divisorOverride: o.divisorOverride ?? null,
    };
  }
  // A custom module holding its network as a Sequential (the chapter's Classifier and its `model`): that part saves.
  const inner = where === 'model' ? m.namedChildren().find(([, c]) => c instanceof Sequential && describable(c)) : undefined;
  throw new ModelFileError(
    `cannot describe ${where} (${m.constructor.name}): Kindling saves models made of ${SUPPORTED}; ` +
      (inner ? `the Sequential it holds as "${inner[0]}" is one (save that: model.${inner[0]}.save(path)), or ` : 'for other modules ') +
      'save the weights alone with saveFile(path, model.stateDict()) and rebuild the model in code',
  );
}

/** The layers a model file describes, by their exact classes. */
const BUILT_IN: ReadonlyArray<abstract new (...args: never[]) => Module> = [
  Sequential, Linear, Bilinear, Embedding, EmbeddingBag, LayerNorm, BatchNorm1d, BatchNorm2d, BatchNorm3d, GroupNorm, InstanceNorm1d, InstanceNorm2d, InstanceNorm3d, LocalResponseNorm, LeakyReLU, Softmax, LogSoftmax, Sigmoid, ReLU, Tanh, GELU, SiLU, ELU, Softplus,
  Hardtanh, ReLU6, Hardshrink, Softshrink, PReLU, SELU, CELU, RReLU, Hardswish, Hardsigmoid, Mish, LogSigmoid, Softsign, Softmin, Tanhshrink,
  Threshold, Identity, Dropout, Dropout1d, Dropout2d, Dropout3d, AlphaDropout, FeatureAlphaDropout, Flatten, Unflatten, Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, AdaptiveMaxPool2d,
  MaxPool3d, AvgPool3d, AdaptiveAvgPool3d, AdaptiveMaxPool3d, Unfold, Fold, LPPool1d, LPPool2d,
  MaxPool1d, AvgPool1d, AdaptiveAvgPool1d, AdaptiveMaxPool1d,
  ZeroPad2d, ConstantPad1d, ConstantPad2d, ConstantPad3d, ReflectionPad1d, ReflectionPad2d, ReflectionPad3d, ReplicationPad1d, ReplicationPad2d, ReplicationPad3d, Upsample, PixelShuffle, PixelUnshuffle, GLU, Softmax2d, ChannelShuffle,
  RNNCell, LSTMCell, GRUCell, RNN, LSTM, GRU, TransformerEncoderLayer, TransformerEncoder,
];

/** A 3-D padding as a spec holds it. */
type Pads6 = [number, number, number, number, number, number];

/** A 3-D layer's sizes as a spec holds them: a fresh [depth, height, width]. */
const triple = (v: readonly [number, number, number]): [number, number, number] => [v[0], v[1], v[2]];

/** A 3-D pooling's size as a spec holds it: the integer, or a fresh [depth, height, width]. */
const size3 = (v: number | readonly [number, number, number]): number | [number, number, number] => (typeof v === 'number' ? v : triple(v));

/** A 1-D size as a spec holds it: the integer, or a fresh [n] (PyTorch's tuple, kept for the repr). */
function size1(v: number | readonly [number]): number | [number] {
  return typeof v === 'number' ? v : [v[0]];
}

/** A 2-D size as a spec holds it: the integer, or a fresh [height, width]. */
/** PyTorch's `inplace=True` of an activation or Dropout, as the architecture writes it: only when set. */
function inplaceField(m: { readonly inplace: boolean }): { inplace?: true } {
  return m.inplace ? { inplace: true } : {};
}

/** A convolution's padding mode, as the architecture writes it: only when not PyTorch's default 'zeros'. */
function paddingModeField(m: { readonly paddingMode: PaddingMode }): { paddingMode?: Exclude<PaddingMode, 'zeros'> } {
  return m.paddingMode === 'zeros' ? {} : { paddingMode: m.paddingMode };
}

/** An adaptive pooling layer's output size as the file holds it: a number, or a fresh [height, width] (null kept). */
function adaptiveSize(v: number | readonly [number | null, number | null]): number | [number | null, number | null] {
  return typeof v === 'number' ? v : [v[0], v[1]];
}

function size(v: number | readonly [number, number]): number | [number, number] {
  return typeof v === 'number' ? v : [v[0], v[1]];
}

function describable(m: Module): boolean {
  try {
    describeModule(m);
    return true;
  } catch {
    return false;
  }
}

/**
 * Builds fresh modules from a spec (already validated by {@link parseArchitecture}). Parameters are initialised
 * from a private generator, so loading a model never moves the global random stream.
 */
export function buildModule(spec: LayerSpec): Module {
  return buildIn(spec, '', new Map());
}

/** buildModule for the layer at state_dict prefix `path`; `built` holds the layers built so far, for `sameAs`. */
function buildIn(spec: LayerSpec, path: string, built: Map<string, Module>): Module {
  if (spec.sameAs !== undefined) {
    const first = built.get(spec.sameAs);
    if (first === undefined) throw new ModelFileError(`architecture at "${path}": "sameAs" names "${spec.sameAs}", which is no earlier layer`);
    return first;
  }
  const m = buildOne(spec, path, built);
  built.set(path, m);
  return m;
}

function buildOne(spec: LayerSpec, path: string, built: Map<string, Module>): Module {
  switch (spec.type) {
    case 'Sequential': {
      // Appended one by one: a spread of a file's hundred thousand layers would overflow the call stack.
      const seq = new Sequential();
      spec.layers.forEach((l, i) => seq.append(buildIn(l, path === '' ? `${i}` : `${path}.${i}`, built)));
      return seq;
    }
    case 'Linear': return new Linear(spec.inFeatures, spec.outFeatures, { bias: spec.bias, generator: new Generator(0) });
    case 'Bilinear': return new Bilinear(spec.in1Features, spec.in2Features, spec.outFeatures, { bias: spec.bias, generator: new Generator(0) });
    case 'EmbeddingBag': {
      const { numEmbeddings, embeddingDim, mode, paddingIdx, includeLastOffset } = spec;
      const renorm = { maxNorm: spec.maxNorm ?? null, normType: spec.normType ?? 2, scaleGradByFreq: spec.scaleGradByFreq ?? false };
      return new EmbeddingBag(numEmbeddings, embeddingDim, { mode, paddingIdx, includeLastOffset, ...renorm, generator: new Generator(0) });
    }
    case 'Embedding': {
      const { numEmbeddings, embeddingDim, paddingIdx, maxNorm, normType, scaleGradByFreq } = spec;
      return new Embedding(numEmbeddings, embeddingDim, { paddingIdx, maxNorm, normType, scaleGradByFreq, generator: new Generator(0) });
    }
    case 'RNNCell': return new RNNCell(spec.inputSize, spec.hiddenSize, { bias: spec.bias, nonlinearity: spec.nonlinearity, generator: new Generator(0) });
    case 'LSTMCell': return new LSTMCell(spec.inputSize, spec.hiddenSize, { bias: spec.bias, generator: new Generator(0) });
    case 'GRUCell': return new GRUCell(spec.inputSize, spec.hiddenSize, { bias: spec.bias, generator: new Generator(0) });
    case 'RNN':
    case 'LSTM':
    case 'GRU': {
      const { inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional } = spec;
      const o = { numLayers, bias, batchFirst, dropout, bidirectional, generator: new Generator(0) };
      if (spec.type === 'RNN') return new RNN(inputSize, hiddenSize, { ...o, nonlinearity: spec.nonlinearity });
      if (spec.type === 'LSTM') return new LSTM(inputSize, hiddenSize, spec.projSize === undefined ? o : { ...o, projSize: spec.projSize });
      return new GRU(inputSize, hiddenSize, o);
    }
    case 'TransformerEncoderLayer':
    case 'TransformerEncoder':
      return buildTransformer(spec);
    case 'LayerNorm': return new LayerNorm(spec.normalizedShape, { eps: spec.eps, elementwiseAffine: spec.elementwiseAffine });
    case 'BatchNorm1d':
    case 'BatchNorm2d':
    case 'BatchNorm3d': {
      const { numFeatures, eps, momentum, affine, trackRunningStats } = spec;
      return new ({ BatchNorm1d, BatchNorm2d, BatchNorm3d }[spec.type])(numFeatures, { eps, momentum, affine, trackRunningStats });
    }
    case 'InstanceNorm1d':
    case 'InstanceNorm2d':
    case 'InstanceNorm3d': {
      const { numFeatures, eps, momentum, affine, trackRunningStats } = spec;
      return new ({ InstanceNorm1d, InstanceNorm2d, InstanceNorm3d }[spec.type])(numFeatures, { eps, momentum, affine, trackRunningStats });
    }
    case 'GroupNorm': return new GroupNorm(spec.numGroups, spec.numChannels, { eps: spec.eps, affine: spec.affine });
    case 'LocalResponseNorm': return new LocalResponseNorm(spec.size, { alpha: spec.alpha, beta: spec.beta, k: spec.k });
    case 'LeakyReLU': return new LeakyReLU(spec.negativeSlope, spec.inplace === true);
    case 'Softmax': return new Softmax(spec.dim);
    case 'LogSoftmax': return new LogSoftmax(spec.dim);
    case 'Sigmoid': return new Sigmoid();
    case 'ReLU': return new ReLU(spec.inplace === true);
    case 'Tanh': return new Tanh();
    case 'GELU': return new GELU(spec.approximate);
    case 'SiLU': return new SiLU(spec.inplace === true);
    case 'ELU': return new ELU(spec.alpha, spec.inplace === true);
    case 'Softplus': return new Softplus(spec.beta, spec.threshold);
    // A bound at its default is read as not given, so it prints as PyTorch's default does (-1.0, 1.0) again.
    case 'Hardtanh': return new Hardtanh(spec.minVal === -1 ? undefined : spec.minVal, spec.maxVal === 1 ? undefined : spec.maxVal, spec.inplace === true);
    case 'ReLU6': return new ReLU6(spec.inplace === true);
    case 'Hardshrink': return new Hardshrink(spec.lambd);
    case 'Softshrink': return new Softshrink(spec.lambd);
    case 'PReLU': return new PReLU(spec.numParameters, spec.init);
    case 'SELU': return new SELU(spec.inplace === true);
    case 'CELU': return new CELU(spec.alpha, spec.inplace === true);
    case 'RReLU': return new RReLU(spec.lower, spec.upper, spec.inplace === true);
    case 'Hardswish': return new Hardswish(spec.inplace === true);
    case 'Hardsigmoid': return new Hardsigmoid(spec.inplace === true);
    case 'Mish': return new Mish(spec.inplace === true);
    case 'LogSigmoid': return new LogSigmoid();
    case 'Softsign': return new Softsign();
    case 'Softmin': return new Softmin(spec.dim);
    case 'Tanhshrink': return new Tanhshrink();
    case 'Threshold': return new Threshold(spec.threshold, spec.value, spec.inplace === true);
    case 'Identity': return new Identity();
    case 'Dropout': return new Dropout(spec.p, spec.inplace === true);
    case 'Dropout1d': return new Dropout1d(spec.p, spec.inplace === true);
    case 'Dropout2d': return new Dropout2d(spec.p, spec.inplace === true);
    case 'Dropout3d': return new Dropout3d(spec.p, spec.inplace === true);
    case 'AlphaDropout': return new AlphaDropout(spec.p, spec.inplace === true);
    case 'FeatureAlphaDropout': return new FeatureAlphaDropout(spec.p, spec.inplace === true);
    case 'Flatten': return new Flatten(spec.startDim, spec.endDim);
    case 'Unflatten': return new Unflatten(spec.dim, spec.unflattenedSize);
    case 'Conv1d': {
      const { inChannels, outChannels, kernelSize, stride, padding, dilation, groups, bias, paddingMode } = spec;
      return new Conv1d(inChannels, outChannels, kernelSize, { stride, padding, dilation, groups, bias, paddingMode: paddingMode ?? 'zeros', generator: new Generator(0) });
    }
    case 'Conv2d': {
      const { inChannels, outChannels, kernelSize, stride, padding, dilation, groups, bias, paddingMode } = spec;
      return new Conv2d(inChannels, outChannels, kernelSize, { stride, padding, dilation, groups, bias, paddingMode: paddingMode ?? 'zeros', generator: new Generator(0) });
    }
    case 'ConvTranspose2d': {
      const { inChannels, outChannels, kernelSize, stride, padding, outputPadding, groups, dilation, bias } = spec;
      return new ConvTranspose2d(inChannels, outChannels, kernelSize, { stride, padding, outputPadding, groups, dilation, bias, generator: new Generator(0) });
    }
    case 'Conv3d': {
      const { inChannels, outChannels, kernelSize, stride, padding, dilation, groups, bias, paddingMode } = spec;
      return new Conv3d(inChannels, outChannels, kernelSize, { stride, padding, dilation, groups, bias, paddingMode: paddingMode ?? 'zeros', generator: new Generator(0) });
    }
    case 'ConvTranspose1d': {
      const { inChannels, outChannels, kernelSize, stride, padding, outputPadding, groups, dilation, bias } = spec;
      return new ConvTranspose1d(inChannels, outChannels, kernelSize, { stride, padding, outputPadding, groups, dilation, bias, generator: new Generator(0) });
    }
    case 'ConvTranspose3d': {
      const { inChannels, outChannels, kernelSize, stride, padding, outputPadding, groups, dilation, bias } = spec;
      return new ConvTranspose3d(inChannels, outChannels, kernelSize, { stride, padding, outputPadding, groups, dilation, bias, generator: new Generator(0) });
    }
    case 'MaxPool3d': {
      const { kernelSize, stride, padding, dilation, ceilMode, returnIndices } = spec;
      return new MaxPool3d(kernelSize, { stride, padding, dilation, ceilMode, returnIndices });
    }
    case 'AvgPool3d': {
      const { kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride } = spec;
      return new AvgPool3d(kernelSize, { stride, padding, ceilMode, countIncludePad, divisorOverride });
    }
    case 'AdaptiveAvgPool3d': return new AdaptiveAvgPool3d(spec.outputSize);
    case 'AdaptiveMaxPool3d': return new AdaptiveMaxPool3d(spec.outputSize, spec.returnIndices === true);
    case 'MaxPool1d': {
      const { kernelSize, stride, padding, dilation, ceilMode, returnIndices } = spec;
      return new MaxPool1d(kernelSize, { stride, padding, dilation, ceilMode, returnIndices });
    }
    case 'AvgPool1d': {
      const { kernelSize, stride, padding, ceilMode, countIncludePad } = spec;
      return new AvgPool1d(kernelSize, { stride, padding, ceilMode, countIncludePad });
    }
    case 'AdaptiveAvgPool1d': return new AdaptiveAvgPool1d(spec.outputSize);
    case 'ZeroPad2d': return new ZeroPad2d(spec.padding);
    case 'ConstantPad1d': return new ConstantPad1d(spec.padding, spec.value);
    case 'ConstantPad2d': return new ConstantPad2d(spec.padding, spec.value);
    case 'ReflectionPad1d': return new ReflectionPad1d(spec.padding);
    case 'ReflectionPad2d': return new ReflectionPad2d(spec.padding);
    case 'ReplicationPad1d': return new ReplicationPad1d(spec.padding);
    case 'ReplicationPad2d': return new ReplicationPad2d(spec.padding);
    case 'ConstantPad3d': return new ConstantPad3d(spec.padding, spec.value);
    case 'ReflectionPad3d': return new ReflectionPad3d(spec.padding);
    case 'ReplicationPad3d': return new ReplicationPad3d(spec.padding);
    case 'Upsample': return new Upsample({
      size: spec.size, scaleFactor: spec.scaleFactor, mode: spec.mode, alignCorners: spec.alignCorners, recomputeScaleFactor: spec.recomputeScaleFactor,
    });
    case 'PixelShuffle': return new PixelShuffle(spec.upscaleFactor);
    case 'Unfold': return new Unfold(spec.kernelSize, { dilation: spec.dilation, padding: spec.padding, stride: spec.stride });
    case 'Fold': return new Fold(spec.outputSize, spec.kernelSize, { dilation: spec.dilation, padding: spec.padding, stride: spec.stride });
    case 'LPPool1d': return new LPPool1d(spec.normType, spec.kernelSize, spec.stride === null ? null : typeof spec.stride === 'number' ? spec.stride : spec.stride[0], spec.ceilMode);
    case 'LPPool2d': return new LPPool2d(spec.normType, spec.kernelSize, spec.stride, spec.ceilMode);
    case 'PixelUnshuffle': return new PixelUnshuffle(spec.downscaleFactor);
    case 'GLU': return new GLU(spec.dim);
    case 'Softmax2d': return new Softmax2d();
    case 'ChannelShuffle': return new ChannelShuffle(spec.groups);
    case 'AdaptiveMaxPool1d': return new AdaptiveMaxPool1d(spec.outputSize, spec.returnIndices);
    case 'MaxPool2d': return new MaxPool2d(spec.kernelSize, { stride: spec.stride, padding: spec.padding, dilation: spec.dilation, ceilMode: spec.ceilMode, returnIndices: spec.returnIndices === true });
    case 'AdaptiveAvgPool2d': return new AdaptiveAvgPool2d(spec.outputSize);
    case 'AdaptiveMaxPool2d': return new AdaptiveMaxPool2d(spec.outputSize, spec.returnIndices);
    case 'AvgPool2d': {
      const { kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride } = spec;
      return new AvgPool2d(kernelSize, { stride, padding, ceilMode, countIncludePad, divisorOverride });
    }
  }
}

const shapeText = (s: readonly number[]): string => `[${s.join(', ')}]`;

/**
 * Checks that `tensors` holds exactly the parameters `expected` names, with the right shapes (with `strict`
 * false, missing and unexpected keys are allowed; shapes must still match).
 *
 * @throws ModelFileError naming the key and both shapes.
 */
export function checkParameters(
  source: string,
  expected: ReadonlyMap<string, readonly number[]>,
  tensors: Readonly<Record<string, { shape: readonly number[] }>>,
  strict = true,
): void {
  const names = Object.keys(tensors);
  const missing = [...expected.keys()].filter((k) => !Object.hasOwn(tensors, k));
  const unexpected = names.filter((k) => !expected.has(k));
  if (strict && missing.length > 0) {
    const first = missing[0]!;
    const more = missing.length > 1 ? ` (and ${missing.length - 1} more: ${missing.slice(1, 6).map((k) => `"${k}"`).join(', ')})` : '';
    throw new ModelFileError(`${source}: missing tensor "${first}" of shape ${shapeText(expected.get(first)!)}${more}; the file has ${names.length === 0 ? 'no tensors' : names.map((k) => `"${k}"`).slice(0, 8).join(', ')}`);
  }
  if (strict && unexpected.length > 0) {
    const list = unexpected.slice(0, 6).map((k) => `"${k}" ${shapeText(tensors[k]!.shape)}`).join(', ');
    throw new ModelFileError(`${source}: unexpected tensor(s) ${list}: the model has ${[...expected.keys()].map((k) => `"${k}"`).join(', ')}`);
  }
  for (const [k, shape] of expected) {
    const t = tensors[k];
    if (t === undefined) continue;
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw new ModelFileError(`${source}: tensor "${k}" has shape ${shapeText(t.shape)} in the file, but the model's "${k}" has shape ${shapeText(shape)}`);
    }
  }
}

/**
 * The model's parameters and persistent buffers (BatchNorm's running statistics) as row-major F32 tensors under
 * their state_dict names (`num_batches_tracked`, int64 in PyTorch, is written as an F32 count; a mask buffer, a bool
 * tensor in PyTorch, as BOOL).
 */
export function parameterTensors(model: Module): Record<string, SafetensorsInput> {
  const out: Record<string, SafetensorsInput> = {};
  for (const [name, p] of Object.entries(model.parameterState())) out[name] = safetensorsEntry(p);
  return out;
}

/**
 * Saves a model: its parameters under PyTorch's state_dict names (F32, row-major) and its architecture (plus the
 * optional `info`) in the metadata, written atomically.
 *
 * @throws ModelFileError when the model holds a module Kindling cannot describe; IoError when the file cannot be written.
 * @example
 * saveModel(model, 'mnist.safetensors', { variant: 'combined', seed: 0, epoch: 3, accuracy: 0.97 });
 */
export function saveModel(model: Module, path: string, info: ModelInfo = {}): void {
  writeModelFile(path, 'model', describeForFile(model), parameterTensors(model), info);
}

/** Copies checked tensors into a module's parameters and buffers. */
function copyParameters(model: Module, tensors: Readonly<Record<string, SafetensorsTensor>>, strict: boolean): { missingKeys: string[]; unexpectedKeys: string[] } {
  const state: Record<string, Tensor> = {};
  const own = Object.keys(model.parameterState());
  for (const name of own) {
    const t = tensors[name];
    if (t !== undefined) state[name] = new Tensor(t.data, t.shape);
  }
  const { missingKeys } = model.loadStateDict(state, { strict });
  const known = new Set(own);
  return { missingKeys, unexpectedKeys: Object.keys(tensors).filter((n) => !known.has(n)) };
}

/** A model rebuilt from a file, with what the file says about it. */
export interface LoadedModel {
  readonly model: Module;
  readonly architecture: LayerSpec;
  readonly info: ModelInfo;
  readonly kind: ModelFileContents['kind'];
}

/** Rebuilds a model from already-read model file contents (a model file or a checkpoint). */
export function modelFromContents(contents: ModelFileContents, source: string): LoadedModel {
  const architecture = parseArchitecture(contents.architecture, source);
  checkParameters(source, parameterShapes(architecture), contents.parameters);
  const model = buildModule(architecture);
  copyParameters(model, contents.parameters, true);
  return { model, architecture, info: contents.info, kind: contents.kind };
}

/**
 * Reads a model file (or a lab checkpoint) and rebuilds the model, with its info.
 *
 * @throws SafetensorsError for a missing or malformed file; ModelFileError for a missing or unknown architecture,
 *   or a missing, unexpected or wrongly shaped tensor (naming the key and both shapes).
 */
export function readModel(path: string): LoadedModel {
  return modelFromContents(readModelFile(path), path);
}

/**
 * Reads a model file and rebuilds the model (`Module.load` does the same).
 *
 * @example
 * const model = loadModel('mnist.safetensors');
 * model.forward(x);
 */
export function loadModel(path: string): Module {
  return readModel(path).model;
}

/**
 * Loads the weights of any safetensors file (one written by PyTorch or the Hugging Face tools, without Kindling's
 * architecture metadata) into a model you built. Everything is checked before anything is copied, so on error the
 * model is unchanged.
 *
 * @param options.strict (default true) missing and unexpected tensors are errors; shapes must always match.
 * @returns the model's parameters the file lacks and the file's tensors the model lacks, as PyTorch's
 *   `load_state_dict` does (both empty when `strict`).
 * @example
 * const model = new nn.Sequential(new nn.Linear(784, 200), new nn.Sigmoid(), new nn.Linear(200, 10), new nn.Sigmoid());
 * loadWeights(model, 'from-pytorch.safetensors');
 */
export function loadWeights(model: Module, path: string, options: boolean | { strict?: boolean } = {}): { missingKeys: string[]; unexpectedKeys: string[] } {
  const strict = typeof options === 'boolean' ? options : checkOptions('loadWeights', options, ['strict']).strict ?? true;
  if (typeof strict !== 'boolean') throw new TypeError(`loadWeights: strict must be true or false, got ${describeValue(strict)}`);
  const raw = loadFile(path);
  let tensors = raw.tensors;
  if (raw.metadata['architecture'] !== undefined) tensors = checkModelContents(path, raw).parameters;
  const state = model.parameterState();
  tensors = withBatchCounts(state, withSharedNames(state, tensors));
  const expected = new Map(Object.entries(state).map(([n, p]) => [n, [...p.shape]]));
  checkParameters(path, expected, tensors, strict);
  return copyParameters(model, tensors, strict);
}

/**
 * A file may list a shared (tied) parameter under one of its names only, as safetensors' `save_model` and
 * `namedParameters()` do: a name the file lacks is given the tensor of another name of the same parameter (the
 * same storage), when the file has one.
 */
function withSharedNames(state: StateDict, tensors: Readonly<Record<string, SafetensorsTensor>>): Readonly<Record<string, SafetensorsTensor>> {
  const present = new Map<Float32Array, string>();
  for (const [n, t] of Object.entries(state)) if (Object.hasOwn(tensors, n) && !present.has(t.unsettledData)) present.set(t.unsettledData, n);
  let out: Record<string, SafetensorsTensor> | null = null;
  for (const [n, t] of Object.entries(state)) {
    const other = Object.hasOwn(tensors, n) ? undefined : present.get(t.unsettledData);
    // Only the same view of the storage is the same parameter: another view of it (a transpose, a narrow that
    // starts at its offset 0) holds other values, and copying the file's tensor into it would overwrite the first.
    if (other === undefined || !sameView(t, state[other]!)) continue;
    out ??= { ...tensors };
    out[n] = tensors[other]!;
  }
  return out ?? tensors;
}

/**
 * A BatchNorm's `num_batches_tracked` that a file lacks counts 0, as PyTorch's BatchNorm fills it in for a state dict
 * without version metadata (one from a safetensors file, or from before the counter existed).
 */
function withBatchCounts<T extends { shape: readonly number[] }>(
  state: Readonly<Record<string, { shape: readonly number[] }>>, tensors: Readonly<Record<string, T | SafetensorsTensor>>,
): Readonly<Record<string, T | SafetensorsTensor>> {
  let out: Record<string, T | SafetensorsTensor> | null = null;
  for (const [n, t] of Object.entries(state)) {
    if (!isBatchCountName(n) || Object.hasOwn(tensors, n)) continue;
    out ??= { ...tensors };
    out[n] = { dtype: 'F32', shape: [...t.shape], data: new Float32Array(1) };
  }
  return out ?? tensors;
}

/** True when `a` and `b` read the same elements of the same storage in the same order. */
function sameView(a: Tensor, b: Tensor): boolean {
  return a.unsettledData === b.unsettledData && a.shape.length === b.shape.length
    && a.shape.every((d, i) => d === b.shape[i] && (d === 1 || a.strides[i] === b.strides[i]));
}

// `Module.prototype.save` and `Module.load` reach this file through a hook: module.ts cannot import it (the
// layers import module.ts, so a static import back would leave `Module` undefined when a layer class is defined).
setModelPersistence({ save: saveModel, load: loadModel });
