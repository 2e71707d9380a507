export { Module, type StateDict, type StateDictOptions } from './module.js';
export type { IncompatibleKeys } from './incompatible-keys.js';
export { Linear, type LinearOptions } from './linear.js';
export { Bilinear, type BilinearOptions } from './bilinear.js';
export { Embedding, EmbeddingBag, type EmbeddingBagFromPretrainedOptions, type EmbeddingBagLayerOptions, type EmbeddingLayerOptions, type FromPretrainedOptions } from './embedding.js';
export { MultiheadAttention, NonDynamicallyQuantizableLinear, type MultiheadAttentionForwardOptions, type MultiheadAttentionOptions } from './multihead-attention.js';
export type { AttentionMask } from './attention-mask.js';
export { TransformerEncoderLayer, type TransformerActivation, type TransformerEncoderLayerForwardOptions, type TransformerLayerOptions } from './transformer-encoder-layer.js';
export { TransformerEncoder, type TransformerEncoderForwardOptions, type TransformerEncoderOptions } from './transformer-encoder.js';
export { TransformerDecoderLayer, type TransformerDecoderForwardOptions } from './transformer-decoder-layer.js';
export { TransformerDecoder, type TransformerDecoderOptions } from './transformer-decoder.js';
export { Transformer, type TransformerForwardOptions, type TransformerOptions } from './transformer.js';
export { GRUCell, LSTMCell, RNNCell, type RNNCellOptions } from './rnn-cell.js';
export { GRU, LSTM, RNN, RNNBase, type LSTMOptions, type RNNBaseOptions, type RNNOptions } from './rnn.js';
export { Identity, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh, type LeakyReLUOptions, type SoftmaxOptions } from './activation.js';
export { ELU, GELU, SiLU, Softplus } from './activation-more.js';
export { Hardshrink, Hardtanh, ReLU6, Softshrink } from './activation-clip.js';
export { CELU, Hardsigmoid, Hardswish, LogSigmoid, Mish, SELU, Softmin, Softsign, Tanhshrink, Threshold } from './activation-extra.js';
export { PReLU } from './prelu.js';
export { RReLU } from './rrelu.js';
export { ChannelShuffle, GLU, Softmax2d } from './gated.js';
export type { EluOptions, GeluApproximate, GeluOptions, SoftplusOptions } from '../ops/activations-more.js';
export { Dropout, type DropoutOptions } from './dropout.js';
export { AlphaDropout, Dropout1d, Dropout2d, Dropout3d, FeatureAlphaDropout } from './dropout-nd.js';
export { Flatten, Unflatten, type FlattenOptions } from './flatten.js';
export { Conv1d, type Conv1dOptions } from './conv1d.js';
export { Conv2d, type Conv2dOptions } from './conv.js';
export { Conv3d, type Conv3dOptions } from './conv3d.js';
export type { PaddingMode } from './conv-padding-mode.js';
export { ConvTranspose1d, ConvTranspose2d, ConvTranspose3d, type ConvTranspose1dOptions, type ConvTranspose2dOptions, type ConvTranspose3dOptions } from './conv-transpose.js';
export { AvgPool1d, MaxPool1d } from './pooling1d.js';
export { AvgPool2d, MaxPool2d } from './pooling.js';
export { AdaptiveAvgPool1d, AdaptiveMaxPool1d } from './adaptive-pooling1d.js';
export {
  ConstantPad1d, ConstantPad2d, ConstantPad3d, ReflectionPad1d, ReflectionPad2d, ReflectionPad3d, ReplicationPad1d, ReplicationPad2d, ReplicationPad3d, ZeroPad2d,
  type Padding1d, type Padding2d, type Padding3d,
} from './padding.js';
export { Upsample, type UpsampleOptions } from './upsample.js';
export { PixelShuffle, PixelUnshuffle } from './pixel-shuffle.js';
export { AdaptiveAvgPool2d, AdaptiveMaxPool2d } from './adaptive-pooling.js';
export { LayerNorm, type LayerNormOptions } from './normalization.js';
export { BatchNorm1d, BatchNorm2d, BatchNorm3d, BatchNormBase, type BatchNormOptions } from './batchnorm.js';
export { GroupNorm, type GroupNormLayerOptions } from './group-norm.js';
export { InstanceNorm1d, InstanceNorm2d, InstanceNorm3d, InstanceNormBase, type InstanceNormLayerOptions } from './instance-norm.js';
export { LocalResponseNorm, type LocalResponseNormOptions } from './local-response-norm.js';
export { CrossMapLRN2d, crossMapLrn2d } from './cross-map-lrn.js';
export { Sequential } from './sequential.js';
export { ModuleList } from './module-list.js';
export { ModuleDict } from './module-dict.js';
export { ParameterDict, ParameterList } from './parameter-containers.js';
export { Parameter, type ParameterConstructor } from './parameter.js';
export { BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, KLDivLoss, L1Loss, Loss, MSELoss, NLLLoss, SmoothL1Loss } from './loss.js';
export {
  CosineEmbeddingLoss, CosineSimilarity, GaussianNLLLoss, HingeEmbeddingLoss, MarginRankingLoss, MultiLabelMarginLoss, MultiLabelSoftMarginLoss, MultiMarginLoss, PairwiseDistance,
  PoissonNLLLoss, SoftMarginLoss, TripletMarginLoss, TripletMarginWithDistanceLoss, CTCLoss,
} from './loss-extra.js';
export { saveModel as save, loadModel as load, loadWeights, readModel, describeModule, buildModule, type LayerSpec, type LoadedModel } from './serialize.js';
export * as utils from './utils/index.js';
export * as init from './init.js';
export type { ForwardHook, ForwardPreHook, FullBackwardHook } from './module-hooks.js';
export { AdaptiveAvgPool3d, AdaptiveMaxPool3d, AvgPool3d, MaxPool3d } from './pooling3d.js';
export { LPPool1d, LPPool2d, MaxUnpool1d, MaxUnpool2d, MaxUnpool3d } from './unpool.js';
export { Fold, Unfold } from './fold.js';
export { LazyLinear, isUninitializedParameter } from './lazy.js';
export { LazyConv1d, LazyConv2d, LazyConv3d, LazyConvTranspose1d, LazyConvTranspose2d, LazyConvTranspose3d } from './lazy-conv.js';
export { LazyBatchNorm1d, LazyBatchNorm2d, LazyBatchNorm3d, LazyInstanceNorm1d, LazyInstanceNorm2d, LazyInstanceNorm3d } from './lazy-norm.js';
export { AdaptiveLogSoftmaxWithLoss, ASMOutput, type AdaptiveLogSoftmaxOptions } from './adaptive-softmax.js';
export { FractionalMaxPool2d, FractionalMaxPool3d, type FractionalMaxPoolOptions } from './fractional-pool.js';
export { NLLLoss2d, UpsamplingBilinear2d, UpsamplingNearest2d, type UpsamplingOptions } from './upsampling.js';
