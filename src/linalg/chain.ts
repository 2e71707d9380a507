// linalg.multi_dot, linalg.vander and torch.vander, torch.cholesky_solve and torch.cholesky_inverse, as PyTorch 1.13
// composes them: multi_dot multiplies in the order of least cost (its matrix-chain order, the same ties), vander
// cumulates products of the input, and the Cholesky solves run the two triangular solves the factor gives, with
// PyTorch's own gradient formulas.
import { noGrad } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { KindlingError } from '../errors.js';
import { checkOptions, describeValue } from '../options.js';
import { cat } from '../ops/join.js';
import { checkTensor } from '../ops/util.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { ones } from '../tensor/creation.js';
import { eye } from '../tensor/integers.js';
import { checkFloat, checkSquare, noBoolKernel } from './lu.js';
import { solveTriangular } from './solve-triangular.js';

/** PyTorch's matrix_chain_order: s[i][j], the split of the chain i..j that costs least (the first such split). */
function chainOrder(dims: readonly number[]): number[][] {
  const n = dims.length - 1;
  const m = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const s = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let l = 1; l < n; l++) {
    for (let i = 0; i < n - l; i++) {
      const j = i + l;
      m[i]![j] = Infinity;
      for (let k = i; k < j; k++) {
        const q = m[i]![k]! + m[k + 1]![j]! + dims[i]! * dims[k + 1]! * dims[j + 1]!;
        if (q < m[i]![j]!) {
          m[i]![j] = q;
          s[i]![j] = k;
        }
      }
    }
  }
  return s;
}

/**
 * The product of two or more matrices in the order that takes fewest multiplications, PyTorch's
 * `torch.linalg.multi_dot(tensors)`: the first may be a vector (a row), the last too (a column), which drops that
 * dimension from the result.
 *
 * @example
 * linalg.multiDot([a, b, c, v]); // a·b·c·v, as (a·(b·(c·v))) when that is cheaper
 */
export function multiDot(tensors: readonly Tensor[]): Tensor {
  const where = 'linalg.multi_dot';
  if (!Array.isArray(tensors)) throw new TypeError(`${where}: expected an array of tensors, got ${describeValue(tensors)}`);
  tensors.forEach((t, i) => checkTensor(t, where, `tensors[${i}]`));
  const n = tensors.length;
  if (n < 2) throw new KindlingError(`multi_dot(): expected at least 2 tensors but got ${n}`);
  const first = tensors[0]!;
  const last = tensors[n - 1]!;
  const outShape: number[] = [];
  if (first.ndim !== 1 && first.ndim !== 2) throw new KindlingError(`multi_dot(): the first tensor must be 1D or 2D but got ${first.ndim}D`);
  if (first.ndim === 2) outShape.push(first.shape[0]!);
  if (last.ndim !== 1 && last.ndim !== 2) throw new KindlingError(`multi_dot(): the last tensor must be 1D or 2D but got ${last.ndim}D`);
  if (last.ndim === 2) outShape.push(last.shape[1]!);
  for (let i = 1; i < n - 1; i++) if (tensors[i]!.ndim !== 2) throw new KindlingError(`multi_dot(): tensor ${i} must be 2D but got ${tensors[i]!.ndim}D`);
  const ms = tensors.map((t, i) => (t.ndim === 1 ? (i === 0 ? t.unsqueeze(0) : t.unsqueeze(-1)) : t));
  for (let i = 1; i < n; i++) {
    if (ms[i - 1]!.shape[1] !== ms[i]!.shape[0]) {
      throw new KindlingError(`multi_dot(): tensors ${i - 1} and ${i} with shapes ${formatShape(tensors[i - 1]!.shape)} and ${formatShape(tensors[i]!.shape)} cannot be multiplied`);
    }
  }
  let product: Tensor;
  if (n === 2) product = ms[0]!.mm(ms[1]!);
  else if (n === 3) {
    const [a, b, c, d] = [ms[0]!.shape[0]!, ms[1]!.shape[0]!, ms[2]!.shape[0]!, ms[2]!.shape[1]!];
    // (a×b)(b×c) first costs a·c·(b + d); (b×c)(c×d) first, b·d·(a + c): PyTorch takes the left one on a tie.
    product = a * c * (b + d) > b * d * (a + c) ? ms[0]!.mm(ms[1]!.mm(ms[2]!)) : ms[0]!.mm(ms[1]!).mm(ms[2]!);
  } else {
    const s = chainOrder([...ms.map((m) => m.shape[0]!), ms[n - 1]!.shape[1]!]);
    const chain = (i: number, j: number): Tensor => (i === j ? ms[i]! : chain(i, s[i]![j]!).mm(chain(s[i]![j]! + 1, j)));
    product = chain(0, n - 1);
  }
  return product.view(outShape);
}

/**
 * The Vandermonde matrix of `x` [..., n], PyTorch's `torch.linalg.vander(x, N=None)`: [..., n, N] whose column k is
 * x^k (k = 0 … N − 1; N defaults to n), as running products of x; a 0-d x gives [1, N].
 */
export function vander(x: Tensor, options: { N?: number } = {}): Tensor {
  const where = 'linalg.vander';
  checkTensor(x, where);
  const o = checkOptions(where, options, ['N']);
  // A 0-d x is taken as a vector of one value, as PyTorch's (its N then defaults to 1, which is refused).
  const v = x.ndim === 0 ? x.unsqueeze(0) : x;
  const n = o.N ?? v.shape[v.ndim - 1]!;
  if (!Number.isInteger(n)) throw new TypeError(`${where}: N must be an integer, got ${describeValue(o.N)}`);
  if (n <= 1) throw new KindlingError(`${where}: N must be greater than 1.`);
  const powers = v.unsqueeze(-1).expand([...v.shape, n - 1]).cumprod(-1);
  return cat([ones([...v.shape, 1]), powers], -1);
}

/**
 * The Vandermonde matrix of a vector `x` [n], PyTorch's `torch.vander(x, N=None, increasing=False)`: [n, N] with
 * columns x^(N−1) … x^0, or x^0 … x^(N−1) with `increasing`.
 */
export function torchVander(x: Tensor, N?: number | null, increasing = false): Tensor {
  const where = 'vander';
  checkTensor(x, where);
  if (x.ndim !== 1) throw new KindlingError(`${where}: x must be a one-dimensional tensor.`);
  const n = N ?? x.shape[0]!;
  if (!Number.isInteger(n)) throw new TypeError(`${where}: N must be an integer, got ${describeValue(N)}`);
  if (n < 0) throw new KindlingError(`${where}: N must be non-negative.`);
  if (typeof increasing !== 'boolean') throw new TypeError(`${where}: increasing must be true or false, got ${describeValue(increasing)}`);
  const columns = n === 0 ? ones([x.shape[0]!, 0]) : n === 1 ? ones([x.shape[0]!, 1]) : cat([ones([x.shape[0]!, 1]), x.unsqueeze(1).expand([x.shape[0]!, n - 1]).cumprod(1)], 1);
  return increasing ? columns : columns.flip(1);
}

/** X = (L·Lᵀ)⁻¹·B (or (UᵀU)⁻¹·B) by two triangular solves, outside the graph. */
function solveWith(b: Tensor, factor: Tensor, upper: boolean): Tensor {
  return noGrad(() => {
    const lower = upper ? factor.mT : factor;
    return solveTriangular(lower.mT, solveTriangular(lower, b, { upper: false }), { upper: true });
  });
}

/**
 * X with A·X = B where A = L·Lᵀ (or UᵀU with `upper`) is given by its Cholesky factor, PyTorch's
 * `torch.cholesky_solve(B, L, upper=False)`: two triangular solves; batches broadcast. The gradients are PyTorch's
 * (CholeskySolveBackward0): gB = cholesky_solve(gX, L), gL = −(gB·Xᵀ + X·gBᵀ)·L (−U·(…) with `upper`), which
 * reads L as a whole matrix, both triangles.
 */
export function choleskySolve(b: Tensor, factor: Tensor, upper = false): Tensor {
  checkTensor(b, 'cholesky_solve', 'B');
  checkTensor(factor, 'cholesky_solve', 'L');
  if (typeof upper !== 'boolean') throw new TypeError(`cholesky_solve: upper must be true or false, got ${describeValue(upper)}`);
  // PyTorch's words and order: B's rank, the factor's, the factor square, the rows.
  if (b.ndim < 2) throw new KindlingError(`cholesky_solve: b should have at least 2 dimensions, but has ${b.ndim} dimensions instead`);
  if (factor.ndim < 2) throw new KindlingError(`cholesky_solve: u should have at least 2 dimensions, but has ${factor.ndim} dimensions instead`);
  const n = checkSquare(factor, 'cholesky_solve');
  if (b.shape[b.ndim - 2] !== n) {
    throw new KindlingError(`Incompatible matrix sizes for cholesky_solve: each A matrix is ${n} by ${n} but each b matrix is ${b.shape[b.ndim - 2]} by ${b.shape[b.ndim - 1]}`);
  }
  const x = solveWith(b, factor, upper);
  const result = record(x, 'cholesky_solve', [b, factor], (grad) => {
    const gb = solveWith(grad, factor, upper);
    const common = noGrad(() => {
      const t = gb.matmul(x.mT);
      return t.add(t.mT);
    });
    const gl = noGrad(() => (upper ? factor.matmul(common) : common.matmul(factor)).neg());
    return [gb.sumToSize(b.shape), gl.sumToSize(factor.shape)];
  }, [b, factor], 'CholeskySolveBackward0');
  // The same formulas with ops on the recorded result (createGraph): gB is itself a cholesky_solve, so every order of
  // derivative follows PyTorch's formula, which differentiates (L·Lᵀ)⁻¹·B with L read whole.
  return twice(result, (grad) => {
    const gb = choleskySolve(grad, factor, upper);
    const t = gb.matmul(result.mT);
    const common = t.add(t.mT);
    const gl = (upper ? factor.matmul(common) : common.matmul(factor)).neg();
    return [gb.sumToSize(b.shape), gl.sumToSize(factor.shape)];
  });
}

/**
 * A⁻¹ from A's Cholesky factor, PyTorch's `torch.cholesky_inverse(L, upper=False)` (a matrix or a batch of them),
 * with its gradient (CholeskyInverseBackward0): gL = −A⁻¹·(G + Gᵀ)·A⁻¹·L (−U·(…) with `upper`).
 */
export function choleskyInverse(factor: Tensor, upper = false): Tensor {
  checkTensor(factor, 'cholesky_inverse', 'L');
  checkFloat(factor, 'cholesky_inverse', noBoolKernel('cholesky_inverse_out_cpu'));
  if (typeof upper !== 'boolean') throw new TypeError(`cholesky_inverse: upper must be true or false, got ${describeValue(upper)}`);
  const n = checkSquare(factor, 'cholesky_inverse');
  const inverse = solveWith(eye(n).expand([...factor.shape.slice(0, -2), n, n]).contiguous(), factor, upper);
  const result = record(inverse, 'cholesky_inverse', [factor], (grad) => {
    const gl = noGrad(() => {
      const common = inverse.matmul(grad.add(grad.mT).matmul(inverse));
      return (upper ? factor.matmul(common) : common.matmul(factor)).neg();
    });
    return [gl];
  }, [factor], 'CholeskyInverseBackward0');
  // With ops on the recorded result (createGraph).
  return twice(result, (grad) => {
    const common = result.matmul(grad.add(grad.mT).matmul(result));
    return [(upper ? factor.matmul(common) : common.matmul(factor)).neg()];
  });
}
