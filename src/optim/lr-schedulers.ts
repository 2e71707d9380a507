// The `optim.lr_scheduler` namespace, as PyTorch's torch.optim.lr_scheduler: every scheduler, one module each
// (StepLR, ExponentialLR, MultiStepLR and LambdaLR share lr-scheduler.ts with their base class).
export { ExponentialLR, LambdaLR, LRScheduler, MultiStepLR, StepLR, type LrOptimizer, type LRSchedulerStateDict } from './lr-scheduler.js';
export { CosineAnnealingLR } from './cosine-annealing-lr.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions, type ReduceLROnPlateauHyper, type ReduceLROnPlateauStateDict } from './reduce-lr-on-plateau.js';
export { OneCycleLR, type OneCycleLROptions } from './one-cycle-lr.js';
export { CyclicLR, type CyclicLROptions } from './cyclic-lr.js';
export { LinearLR } from './linear-lr.js';
export { ConstantLR } from './constant-lr.js';
export { PolynomialLR } from './polynomial-lr.js';
export { MultiplicativeLR } from './multiplicative-lr.js';
export { CosineAnnealingWarmRestarts } from './cosine-warm-restarts.js';
export { SequentialLR, ChainedScheduler, type SequentialLRStateDict, type ChainedSchedulerStateDict } from './sequential-lr.js';
