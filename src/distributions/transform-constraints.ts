// The domain and codomain of each transform as a constraints.ts Constraint, as PyTorch 1.13's `Transform.domain` and
// `Transform.codomain` (dependent ones built from the transform: AffineTransform's event dimensions, ComposeTransform's
// from its first and last parts, CatTransform's and StackTransform's from their parts): what
// TransformedDistribution.support is made from.
import { cat, stack } from '../ops/join.js';
import type { Tensor } from '../tensor/tensor.js';
import * as constraints from './constraints.js';
import { Constraint } from './constraints.js';
import { CatTransform, ComposeTransform, CumulativeDistributionTransform, IndependentTransform, ReshapeTransform, StackTransform } from './transforms-chain.js';
import { CorrCholeskyTransform, LowerCholeskyTransform } from './transforms-cholesky.js';
import { SoftmaxTransform, SoftplusTransform, StickBreakingTransform } from './transforms-simplex.js';
import { AbsTransform, AffineTransform, ExpTransform, InverseTransform, PowerTransform, SigmoidTransform, TanhTransform, type Transform } from './transforms.js';

const { real, positive, realVector, simplex, unitInterval, independent } = constraints;
const tanhRange = constraints.interval(-1, 1);

/** `c` over `eventDim` event dimensions: wrapped in independent when it has fewer (PyTorch's adjustment in ComposeTransform). */
const widened = (c: Constraint, eventDim: number): Constraint => (eventDim > c.eventDim ? independent(c, eventDim - c.eventDim) : c);

/** PyTorch's constraints.cat: each part checked on its slice along `dim`, the verdicts joined. */
function catConstraint(parts: readonly Constraint[], dim: number, lengths: readonly number[]): Constraint {
  return new Constraint('Cat()', Math.max(...parts.map((c) => c.eventDim)), parts.some((c) => c.isDiscrete), (x: Tensor) => {
    let start = 0;
    const checks = parts.map((c, i) => {
      const v = x.narrow(dim, start, lengths[i]!);
      start += lengths[i]!;
      return c.check(v);
    });
    return cat(checks, dim);
  });
}

/** PyTorch's constraints.stack: each part checked on its slice at one index along `dim`, the verdicts stacked. */
function stackConstraint(parts: readonly Constraint[], dim: number): Constraint {
  return new Constraint('Stack()', Math.max(...parts.map((c) => c.eventDim)), parts.some((c) => c.isDiscrete), (x: Tensor) => {
    const d = dim < 0 ? dim + x.ndim : dim;
    return stack(Array.from({ length: x.shape[d]! }, (_, i) => parts[i]!.check(x.select(d, i))), d);
  });
}

/** The constraint the transform's inputs live in (PyTorch's `t.domain`). */
export function domainOf(t: Transform): Constraint {
  if (t instanceof InverseTransform) return codomainOf(t.base);
  if (t instanceof ExpTransform || t instanceof SigmoidTransform || t instanceof TanhTransform || t instanceof AbsTransform || t instanceof SoftplusTransform) return real;
  if (t instanceof PowerTransform) return positive;
  if (t instanceof AffineTransform) return t.eventDim === 0 ? real : independent(real, t.eventDim);
  if (t instanceof SoftmaxTransform || t instanceof StickBreakingTransform || t instanceof CorrCholeskyTransform) return realVector;
  if (t instanceof LowerCholeskyTransform) return independent(real, 2);
  if (t instanceof ComposeTransform) return t.parts.length === 0 ? real : widened(domainOf(t.parts[0]!), t.domainEventDim);
  if (t instanceof IndependentTransform) return independent(domainOf(t.baseTransform), t.reinterpretedBatchNdims);
  if (t instanceof ReshapeTransform) return independent(real, t.inShape.length);
  if (t instanceof CumulativeDistributionTransform) return (t.distribution as unknown as { support: Constraint }).support;
  if (t instanceof CatTransform) return catConstraint(t.transforms.map(domainOf), t.dim, t.lengths);
  if (t instanceof StackTransform) return stackConstraint(t.transforms.map(domainOf), t.dim);
  throw new Error(`${t.constructor.name}.domain is not known (PyTorch's NotImplementedError)`);
}

/** The constraint the transform's outputs live in (PyTorch's `t.codomain`). */
export function codomainOf(t: Transform): Constraint {
  if (t instanceof InverseTransform) return domainOf(t.base);
  if (t instanceof ExpTransform || t instanceof AbsTransform || t instanceof PowerTransform || t instanceof SoftplusTransform) return positive;
  if (t instanceof SigmoidTransform || t instanceof CumulativeDistributionTransform) return unitInterval;
  if (t instanceof TanhTransform) return tanhRange;
  if (t instanceof AffineTransform) return t.eventDim === 0 ? real : independent(real, t.eventDim);
  if (t instanceof SoftmaxTransform || t instanceof StickBreakingTransform) return simplex;
  if (t instanceof LowerCholeskyTransform) return constraints.lowerCholesky;
  if (t instanceof CorrCholeskyTransform) return constraints.corrCholesky;
  if (t instanceof ComposeTransform) return t.parts.length === 0 ? real : widened(codomainOf(t.parts[t.parts.length - 1]!), t.codomainEventDim);
  if (t instanceof IndependentTransform) return independent(codomainOf(t.baseTransform), t.reinterpretedBatchNdims);
  if (t instanceof ReshapeTransform) return independent(real, t.outShape.length);
  if (t instanceof CatTransform) return catConstraint(t.transforms.map(codomainOf), t.dim, t.lengths);
  if (t instanceof StackTransform) return stackConstraint(t.transforms.map(codomainOf), t.dim);
  throw new Error(`${t.constructor.name}.codomain is not known (PyTorch's NotImplementedError)`);
}
