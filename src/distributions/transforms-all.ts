// Every transform of `distributions.transforms`, as PyTorch 1.13's torch.distributions.transforms.
export * from './transforms.js';
export { CatTransform, ComposeTransform, CumulativeDistributionTransform, IndependentTransform, ReshapeTransform, StackTransform } from './transforms-chain.js';
export { SoftmaxTransform, SoftplusTransform, StickBreakingTransform } from './transforms-simplex.js';
export { CorrCholeskyTransform, LowerCholeskyTransform } from './transforms-cholesky.js';
