// kl_divergence's pairs of PyTorch 1.13 for the distributions beyond kl.ts's: Beta, Binomial, Cauchy, Dirichlet,
// Exponential, Gamma, Geometric, Gumbel, HalfNormal, Laplace, LogNormal, MultivariateNormal, OneHotCategorical,
// Pareto, Poisson and Independent pairs, each in PyTorch's formula.
import { where } from '../ops/binary.js';
import { solveTriangular } from '../linalg/solve-triangular.js';
import { full } from '../tensor/creation.js';
import { broadcastShapes } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { Binomial } from './binomial.js';
import { Cauchy } from './cauchy.js';
import { Beta, Dirichlet } from './dirichlet.js';
import { sumRightmost, type Distribution } from './distribution.js';
import { Exponential } from './exponential.js';
import { Gamma } from './gamma.js';
import { Geometric } from './geometric.js';
import { Gumbel } from './gumbel.js';
import { HalfNormal } from './half.js';
import { Independent } from './independent.js';
import { Laplace } from './laplace.js';
import { LogNormal } from './log-normal.js';
import { mahalanobis, MultivariateNormal } from './multivariate-normal.js';
import { OneHotCategorical } from './one-hot-categorical.js';
import { Pareto } from './weibull.js';
import { Poisson } from './poisson.js';

const EULER = 0.57721566490153286060;

type Kl = (p: Distribution, q: Distribution) => Tensor;


function mvn(p: MultivariateNormal, q: MultivariateNormal): Tensor {
  const n = p.eventShape[0]!;
  if (n !== q.eventShape[0]) throw new RangeError('KL-divergence between two Multivariate Normals with different event shapes cannot be computed');
  const pL = p.unbroadcastedScaleTril;
  const qL = q.unbroadcastedScaleTril;
  const halfTerm1 = qL.diagonal(0, -2, -1).log().sum(-1).sub(pL.diagonal(0, -2, -1).log().sum(-1));
  const batch = broadcastShapes(qL.shape.slice(0, -2), pL.shape.slice(0, -2), 'kl_divergence');
  const m = solveTriangular(qL.expand([...batch, n, n]), pL.expand([...batch, n, n]), { upper: false });
  const term2 = m.reshape([-1, n * n]).pow(2).sum(-1).reshape(batch);
  const term3 = mahalanobis(qL, q.loc.sub(p.loc));
  return halfTerm1.add(term2.add(term3).sub(n).mul(0.5));
}

/** KL(p ‖ q) for the pairs of this file, or null for a pair it has not (kl.ts's, or none). */
export function klMore(p: Distribution, q: Distribution, kl: Kl): Tensor | null {
  if (p instanceof Beta && q instanceof Beta) {
    const sp = p.concentration1.add(p.concentration0);
    const sq = q.concentration1.add(q.concentration0);
    const t1 = q.concentration1.lgamma().add(q.concentration0.lgamma()).add(sp.lgamma());
    const t2 = p.concentration1.lgamma().add(p.concentration0.lgamma()).add(sq.lgamma());
    const t3 = p.concentration1.sub(q.concentration1).mul(p.concentration1.digamma());
    const t4 = p.concentration0.sub(q.concentration0).mul(p.concentration0.digamma());
    const t5 = sq.sub(sp).mul(sp.digamma());
    return t1.sub(t2).add(t3).add(t4).add(t5);
  }
  if (p instanceof Binomial && q instanceof Binomial) {
    if (p.totalCount.lt(q.totalCount).values().some((v) => v !== 0)) throw new Error('KL between Binomials where q.total_count > p.total_count is not implemented');
    const k = p.totalCount.mul(p.probs.mul(p.logits.sub(q.logits)).add(p.probs.neg().log1p()).sub(q.probs.neg().log1p()));
    return where(p.totalCount.gt(q.totalCount), full(k.shape, Infinity), k);
  }
  if (p instanceof Cauchy && q instanceof Cauchy) {
    const t1 = p.scale.add(q.scale).pow(2).add(p.loc.sub(q.loc).pow(2)).log();
    const t2 = p.scale.mul(4).mul(q.scale).log();
    return t1.sub(t2);
  }
  if (p instanceof Dirichlet && q instanceof Dirichlet) {
    const sp = p.concentration.sum(-1);
    const sq = q.concentration.sum(-1);
    const t1 = sp.lgamma().sub(sq.lgamma());
    const t2 = p.concentration.lgamma().sub(q.concentration.lgamma()).sum(-1);
    const t3 = p.concentration.sub(q.concentration);
    const t4 = p.concentration.digamma().sub(sp.digamma().unsqueeze(-1));
    return t1.sub(t2).add(t3.mul(t4).sum(-1));
  }
  if (p instanceof Exponential && q instanceof Exponential) {
    const ratio = q.rate.div(p.rate);
    return ratio.log().neg().add(ratio).sub(1);
  }
  if (p instanceof Gamma && q instanceof Gamma) {
    const t1 = q.concentration.mul(p.rate.div(q.rate).log());
    const t2 = q.concentration.lgamma().sub(p.concentration.lgamma());
    const t3 = p.concentration.sub(q.concentration).mul(p.concentration.digamma());
    const t4 = q.rate.sub(p.rate).mul(p.concentration.div(p.rate));
    return t1.add(t2).add(t3).add(t4);
  }
  if (p instanceof Geometric && q instanceof Geometric) {
    return p.entropy().neg().sub(q.probs.neg().log1p().div(p.probs)).sub(q.logits);
  }
  if (p instanceof Gumbel && q instanceof Gumbel) {
    const ct1 = p.scale.div(q.scale);
    const ct2 = q.loc.div(q.scale);
    const ct3 = p.loc.div(q.scale);
    const t1 = ct1.log().neg().sub(ct2).add(ct3);
    const t2 = ct1.mul(EULER);
    const t3 = ct2.add(ct1.add(1).lgamma()).sub(ct3).exp();
    return t1.add(t2).add(t3).sub(1 + EULER);
  }
  if (p instanceof HalfNormal && q instanceof HalfNormal) return kl(p.baseDist, q.baseDist);
  if (p instanceof LogNormal && q instanceof LogNormal) return kl(p.baseDist, q.baseDist);
  if (p instanceof Laplace && q instanceof Laplace) {
    const ratio = p.scale.div(q.scale);
    const locAbsDiff = p.loc.sub(q.loc).abs();
    const t1 = ratio.log().neg();
    const t2 = locAbsDiff.div(q.scale);
    const t3 = ratio.mul(locAbsDiff.neg().div(p.scale).exp());
    return t1.add(t2).add(t3).sub(1);
  }
  if (p instanceof MultivariateNormal && q instanceof MultivariateNormal) return mvn(p, q);
  if (p instanceof OneHotCategorical && q instanceof OneHotCategorical) return kl(p.categorical, q.categorical);
  if (p instanceof Pareto && q instanceof Pareto) {
    const scaleRatio = p.scale.div(q.scale);
    const alphaRatio = q.alpha.div(p.alpha);
    const result = q.alpha.mul(scaleRatio.log()).add(alphaRatio.log().neg()).add(alphaRatio).sub(1);
    return where(p.scale.lt(q.scale), full(result.shape, Infinity), result);
  }
  if (p instanceof Poisson && q instanceof Poisson) {
    return p.rate.mul(p.rate.log().sub(q.rate.log())).sub(p.rate.sub(q.rate));
  }
  if (p instanceof Independent && q instanceof Independent) {
    if (p.reinterpretedBatchNdims !== q.reinterpretedBatchNdims) throw new Error('No KL(p || q) between Independent distributions that reinterpret different numbers of batch dimensions (PyTorch\'s NotImplementedError)');
    return sumRightmost(kl(p.baseDist, q.baseDist), p.reinterpretedBatchNdims);
  }
  return null;
}
