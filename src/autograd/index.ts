// The `autograd` namespace, as `torch.autograd`: gradients returned instead of added into `.grad` (grad), a backward
// pass from several tensors at once (backward), the grad-mode scopes, anomaly detection, and `functional`'s Jacobian tools.
export { backward, grad, type BackwardManyOptions, type GradOptions } from './grad.js';
export { enableGrad, isGradEnabled, noGrad, setGradEnabled } from './grad-mode.js';
export { inferenceMode, isInferenceModeEnabled } from './inference-mode.js';
export { detectAnomaly, isAnomalyCheckNanEnabled, isAnomalyEnabled, setDetectAnomaly, type AnomalyOptions } from './anomaly.js';
export * as functional from './functional.js';
export { Function, FunctionCtx } from './function.js';
export { gradcheck, GradcheckError, type GradcheckOptions } from './gradcheck.js';
export { gradgradcheck } from './gradgradcheck.js';
export { AccumulateGrad, type NextFunction } from './next-functions.js';
