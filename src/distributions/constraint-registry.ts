// PyTorch 1.13's constraint registry: `transformTo(constraint)` gives a transform from unconstrained reals onto the
// constraint's region (for optimizing a constrained parameter through an unconstrained one), `bijectTo(constraint)` a
// bijective one (for densities over the region, as in HMC) — the same transforms PyTorch's registry gives, refused by
// name for a constraint neither registry has.
import { Tensor } from '../tensor/tensor.js';
import type { Constraint } from './constraints.js';
import { ComposeTransform, IndependentTransform } from './transforms-chain.js';
import { CorrCholeskyTransform, LowerCholeskyTransform } from './transforms-cholesky.js';
import { SoftmaxTransform, StickBreakingTransform } from './transforms-simplex.js';
import { AffineTransform, ExpTransform, SigmoidTransform, type Transform } from './transforms.js';

/** ub − lb for the interval's scale: numbers stay numbers. */
const span = (lb: number | Tensor, ub: number | Tensor): number | Tensor =>
  typeof lb === 'number' && typeof ub === 'number' ? ub - lb : (ub instanceof Tensor ? ub : new Tensor(new Float32Array([ub]), [])).sub(lb);

function registered(c: Constraint, bijective: boolean): Transform {
  const k = c.kind;
  switch (k.kind) {
    case 'Real':
      return new ComposeTransform([]);
    case 'IndependentConstraint':
      return new IndependentTransform(registered(k.base!, bijective), k.reinterpretedBatchNdims!);
    case 'GreaterThan':
    case 'GreaterThanEq':
      // Also for positive and nonnegative: PyTorch registers by class, and greater_than's factory is the one kept.
      return new ComposeTransform([new ExpTransform(), new AffineTransform(k.lowerBound!, 1)]);
    case 'LessThan':
      return new ComposeTransform([new ExpTransform(), new AffineTransform(k.upperBound!, -1)]);
    case 'Interval':
    case 'HalfOpenInterval':
      if (k.lowerBound === 0 && k.upperBound === 1) return new SigmoidTransform();
      return new ComposeTransform([new SigmoidTransform(), new AffineTransform(k.lowerBound!, span(k.lowerBound!, k.upperBound!))]);
    case 'Simplex':
      return bijective ? new StickBreakingTransform() : new SoftmaxTransform();
    case 'LowerCholesky':
      if (!bijective) return new LowerCholeskyTransform();
      break;
    case 'CorrCholesky':
      return new CorrCholeskyTransform();
  }
  throw new Error(`Cannot transform _${k.kind} constraints${bijective ? ' bijectively' : ''} (PyTorch's NotImplementedError: no transform is registered for ${c.name})`);
}

/** A transform from unconstrained reals onto `constraint`'s region (PyTorch's `transform_to`). */
export const transformTo = (constraint: Constraint): Transform => registered(constraint, false);

/** A bijective transform from unconstrained reals onto `constraint`'s region (PyTorch's `biject_to`). */
export const bijectTo = (constraint: Constraint): Transform => registered(constraint, true);
