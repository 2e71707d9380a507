// The distributions the golden tests build from a fixture's parameters, by PyTorch's parameter names, shared by
// distributions-more.test.ts and distribution-members.test.ts (each adds the families it builds its own way).
import { distributions, type Tensor } from '../../src/index.js';

const D = distributions;
type P = Record<string, Tensor>;

export const FAMILIES: Record<string, (p: P) => distributions.Distribution> = {
  exponential: (p) => new D.Exponential(p.rate!),
  laplace: (p) => new D.Laplace(p.loc!, p.scale!),
  cauchy: (p) => new D.Cauchy(p.loc!, p.scale!),
  gamma: (p) => new D.Gamma(p.concentration!, p.rate!),
  chi2: (p) => new D.Chi2(p.df!),
  poisson: (p) => new D.Poisson(p.rate!),
  beta: (p) => new D.Beta(p.concentration1!, p.concentration0!),
  dirichlet: (p) => new D.Dirichlet(p.concentration!),
  logNormal: (p) => new D.LogNormal(p.loc!, p.scale!),
  halfNormal: (p) => new D.HalfNormal(p.scale!),
  halfCauchy: (p) => new D.HalfCauchy(p.scale!),
  gumbel: (p) => new D.Gumbel(p.loc!, p.scale!),
  weibull: (p) => new D.Weibull(p.scale!, p.concentration!),
  pareto: (p) => new D.Pareto(p.scale!, p.alpha!),
  geometric: (p) => new D.Geometric({ probs: p.probs! }),
  oneHotCategorical: (p) => new D.OneHotCategorical({ probs: p.probs! }),
  studentT: (p) => new D.StudentT(p.df!, p.loc!, p.scale!),
  negativeBinomial: (p) => new D.NegativeBinomial(p.total_count!, { probs: p.probs! }),
  fisherSnedecor: (p) => new D.FisherSnedecor(p.df1!, p.df2!),
  continuousBernoulli: (p) => new D.ContinuousBernoulli({ probs: p.probs! }),
  vonMises: (p) => new D.VonMises(p.loc!, p.concentration!),
};
