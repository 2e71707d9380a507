// klDivergence(p, q), as PyTorch 1.13's torch.distributions.kl_divergence for the pairs Kindling has: Normal–Normal,
// Uniform–Uniform (∞ where q's support does not cover p's), Bernoulli–Bernoulli and Categorical–Categorical (∞ where q
// gives 0 to what p does not) here, the pairs of the other distributions in kl-more.ts, in PyTorch's formulas.
import { softplus } from '../ops/activations-more.js';
import { where } from '../ops/binary.js';
import { full } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { Bernoulli } from './bernoulli.js';
import { Categorical } from './categorical.js';
import type { Distribution } from './distribution.js';
import { Normal } from './normal.js';
import { Uniform } from './uniform.js';
import { klMore } from './kl-more.js';

const inf = (like: Tensor): Tensor => full(like.shape, Infinity);

/** KL(p ‖ q). */
export function klDivergence(p: Distribution, q: Distribution): Tensor {
  if (p instanceof Normal && q instanceof Normal) {
    const varRatio = p.scale.div(q.scale).pow(2);
    const t1 = p.loc.sub(q.loc).div(q.scale).pow(2);
    return varRatio.add(t1).sub(1).sub(varRatio.log()).mul(0.5);
  }
  if (p instanceof Uniform && q instanceof Uniform) {
    const result = q.high.sub(q.low).div(p.high.sub(p.low)).log();
    const outside = q.low.gt(p.low).add(q.high.lt(p.high)).gt(0);
    return where(outside, inf(result), result);
  }
  if (p instanceof Bernoulli && q instanceof Bernoulli) {
    let t1 = p.probs.mul(softplus(q.logits.neg()).sub(softplus(p.logits.neg())));
    t1 = where(q.probs.eq(0), inf(t1), t1);
    t1 = where(p.probs.eq(0), full(t1.shape, 0), t1);
    let t2 = p.probs.neg().add(1).mul(softplus(q.logits).sub(softplus(p.logits)));
    t2 = where(q.probs.eq(1), inf(t2), t2);
    t2 = where(p.probs.eq(1), full(t2.shape, 0), t2);
    return t1.add(t2);
  }
  if (p instanceof Categorical && q instanceof Categorical) {
    let t = p.probs.mul(p.logits.sub(q.logits));
    t = where(q.probs.eq(0).expand(t.shape), inf(t), t);
    t = where(p.probs.eq(0).expand(t.shape), full(t.shape, 0), t);
    return t.sum(-1);
  }
  const more = klMore(p, q, klDivergence);
  if (more !== null) return more;
  throw new Error(
    `No KL(p || q) is implemented for p = ${p.constructor.name} and q = ${q.constructor.name} (PyTorch's NotImplementedError); Kindling has the pairs of one family: ` +
      'Normal, Uniform, Bernoulli, Categorical, Beta, Binomial, Cauchy, Dirichlet, Exponential, Gamma, Geometric, Gumbel, HalfNormal, Laplace, LogNormal, MultivariateNormal, OneHotCategorical, Pareto, Poisson and Independent',
  );
}
