export { Optimizer, type OptimizerStateDict, type ParamGroup, type ParamGroupInput } from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adam, AdamW, type AdamOptions } from './adam.js';
export { RMSprop, type RMSpropOptions } from './rmsprop.js';
export { Adagrad, type AdagradOptions } from './adagrad.js';
export { NAdam, type NAdamOptions } from './nadam.js';
export { Adamax, type AdamaxOptions } from './adamax.js';
export { RAdam, type RAdamOptions } from './radam.js';
export * as lr_scheduler from './lr-schedulers.js';
