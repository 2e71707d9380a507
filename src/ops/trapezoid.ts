// Integration by the trapezoidal rule, as PyTorch 1.13's torch.trapezoid (torch.trapz) and
// torch.cumulative_trapezoid (ATen's Integration.cpp): the same tensor ops in the same order, so gradients come from
// autograd and values and grad_fn names are PyTorch's.
import { normalizeDim } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { zeros } from '../tensor/creation.js';
import { div, mul } from './binary.js';
import { checkTensor } from './util.js';

// PyTorch's C++ multiplies and divides by a Scalar here: the nodes of those overloads.
const SCALAR_MUL = 'MulBackward1';
const SCALAR_DIV = 'DivBackward1';

export interface TrapezoidOptions {
  /** The spacing of the samples, when no `x` is given (default 1). */
  dx?: number;
  /** The dimension to integrate along (default −1). */
  dim?: number;
}

/** x's differences along dim, x viewed to y's rank as PyTorch does (1-D x along dim; fewer dims padded in front). */
function spacing(y: Tensor, x: Tensor, d: number, op: string): Tensor {
  let xv: Tensor;
  if (x.ndim === 1) {
    if (x.shape[0] !== y.shape[d]) throw new RangeError(`${op}: There must be one \`x\` value for each sample point`);
    xv = x.view(y.shape.map((_, i) => (i === d ? x.shape[0]! : 1)));
  } else if (x.ndim < y.ndim) {
    xv = x.view([...new Array<number>(y.ndim - x.ndim).fill(1), ...x.shape]);
  } else xv = x;
  const len = xv.shape[d]!;
  return xv.narrow(d, 1, len - 1).sub(xv.narrow(d, 0, len - 1));
}

function parse(xOrOptions: Tensor | number | TrapezoidOptions | undefined, options: TrapezoidOptions): { x: Tensor | null; dx: number; dim: number } {
  if (xOrOptions instanceof Tensor) {
    if (options.dx !== undefined) throw new TypeError('trapezoid: give x or dx, not both');
    return { x: xOrOptions, dx: 1, dim: options.dim ?? -1 };
  }
  if (typeof xOrOptions === 'number') return { x: null, dx: xOrOptions, dim: options.dim ?? -1 };
  const o = xOrOptions ?? options;
  return { x: null, dx: o.dx ?? 1, dim: o.dim ?? -1 };
}

const without = (shape: readonly number[], d: number): number[] => shape.filter((_, i) => i !== d);

/**
 * ∫ y along `dim` by the trapezoidal rule, as `torch.trapezoid`: samples spaced `dx` apart (default 1), or at the
 * points `x` (1-D along the dim, or a tensor that broadcasts with y). `trapezoid(y)`, `trapezoid(y, x)`,
 * `trapezoid(y, { dx: 0.5, dim: 0 })`.
 */
export function trapezoid(y: Tensor, xOrOptions?: Tensor | number | TrapezoidOptions, options: TrapezoidOptions = {}): Tensor {
  checkTensor(y, 'trapezoid', 'y');
  const { x, dx, dim } = parse(xOrOptions, options);
  const d = normalizeDim(dim, y.ndim, 'trapezoid');
  const n = y.shape[d]!;
  if (n === 0) return zeros(without(y.shape, d));
  if (x === null) return mul(y.sum(d).sub(mul(y.select(d, 0).add(y.select(d, -1)), 0.5, SCALAR_MUL)), dx, SCALAR_MUL);
  checkTensor(x, 'trapezoid', 'x');
  const step = spacing(y, x, d, 'trapezoid');
  return div(step.mul(y.narrow(d, 1, n - 1).add(y.narrow(d, 0, n - 1))).sum(d), 2, SCALAR_DIV);
}

/** `torch.trapz`: the older name of `trapezoid`. */
export const trapz = trapezoid;

/** The running integral: element k is the trapezoidal ∫ of the first k + 2 samples along `dim`, as `torch.cumulative_trapezoid`. */
export function cumulativeTrapezoid(y: Tensor, xOrOptions?: Tensor | number | TrapezoidOptions, options: TrapezoidOptions = {}): Tensor {
  checkTensor(y, 'cumulativeTrapezoid', 'y');
  const { x, dx, dim } = parse(xOrOptions, options);
  const d = normalizeDim(dim, y.ndim, 'cumulativeTrapezoid');
  const n = y.shape[d]!;
  // No samples: an empty running integral, still through cumsum (CumsumBackward0), as PyTorch's slices give.
  if (n === 0) return mul(y, dx / 2, SCALAR_MUL).cumsum(d);
  const pairs = y.narrow(d, 0, n - 1).add(y.narrow(d, 1, n - 1));
  if (x === null) return mul(pairs, dx / 2, SCALAR_MUL).cumsum(d);
  checkTensor(x, 'cumulativeTrapezoid', 'x');
  return div(spacing(y, x, d, 'cumulative_trapezoid').mul(pairs).cumsum(d), 2, SCALAR_DIV);
}
