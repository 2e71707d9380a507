export { Module, type StateDict } from './module.js';
export { Linear, type LinearOptions } from './linear.js';
export { Identity, LeakyReLU, ReLU, Sigmoid, Softmax, Tanh } from './activation.js';
export { LayerNorm, type LayerNormOptions } from './normalization.js';
export { Sequential } from './sequential.js';
export { ModuleList } from './module-list.js';
export { Parameter, type ParameterConstructor } from './parameter.js';
export { BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, Loss, MSELoss, NLLLoss } from './loss.js';
export { saveModel as save, loadModel as load, loadWeights, readModel, describeModule, buildModule, type LayerSpec, type LoadedModel } from './serialize.js';
