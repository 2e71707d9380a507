// `utils`, as `torch.utils` (its data loading lives in the `data` namespace).
export * as checkpoint from './checkpoint.js';
