// Kindling's distributions, as PyTorch 1.13's torch.distributions: `import { distributions } from 'kindling'`.
export { Distribution } from './distribution.js';
export { Normal } from './normal.js';
export { Uniform } from './uniform.js';
export { Bernoulli } from './bernoulli.js';
export { Categorical } from './categorical.js';
export { klDivergence, klDivergence as kl } from './kl.js';
export { Exponential } from './exponential.js';
export { Laplace } from './laplace.js';
export { Cauchy } from './cauchy.js';
export { Gamma, Chi2 } from './gamma.js';
export { Poisson } from './poisson.js';
export { Beta, Dirichlet } from './dirichlet.js';
export { MultivariateNormal, type MultivariateNormalOptions } from './multivariate-normal.js';
export { Independent } from './independent.js';
export { LogNormal } from './log-normal.js';
export { HalfCauchy, HalfNormal } from './half.js';
export { Gumbel } from './gumbel.js';
export { Pareto, Weibull } from './weibull.js';
