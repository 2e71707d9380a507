// linalg.solve_triangular, as PyTorch 1.13's: X with A·X = B (or X·A = B with `left: false`) for triangular A
// (`upper` says which triangle is read; `unitriangular` takes its diagonal as ones), by substitution in float64,
// rounded once; batches broadcast. Backward as PyTorch's: gB = solve(Aᴴ, gX) (the other triangle), gA = −gB·Xᴴ
// (−Xᴴ·gB from the right), kept to A's triangle.
import { GraphNode, record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { KindlingError } from '../errors.js';
import { checkOptions } from '../options.js';
import { broadcastShapes } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkTensor } from '../ops/util.js';
import { joined, matricesOf } from './batches.js';

export interface SolveTriangularOptions { upper: boolean; left?: boolean; unitriangular?: boolean }

/** X with A·X = B, A n × n triangular and B n × k, in float64. */
function substitute(a: Float64Array, b: Float64Array, n: number, k: number, upper: boolean, unit: boolean): Float64Array {
  const x = Float64Array.from(b);
  for (let c = 0; c < k; c++) {
    for (let t = 0; t < n; t++) {
      const i = upper ? n - 1 - t : t;
      let s = x[i * k + c]!;
      if (upper) for (let j = i + 1; j < n; j++) s -= a[i * n + j]! * x[j * k + c]!;
      else for (let j = 0; j < i; j++) s -= a[i * n + j]! * x[j * k + c]!;
      x[i * k + c] = unit ? s : s / a[i * n + i]!;
    }
  }
  return x;
}

export function solveTriangular(a: Tensor, b: Tensor, options: SolveTriangularOptions): Tensor {
  checkTensor(a, 'linalg.solve_triangular', 'A');
  checkTensor(b, 'linalg.solve_triangular', 'B');
  const o = checkOptions('linalg.solve_triangular', options, ['upper', 'left', 'unitriangular']);
  if (typeof o.upper !== 'boolean') throw new TypeError("linalg.solve_triangular() missing required argument 'upper' (a boolean: { upper: true } or { upper: false })");
  const upper = o.upper;
  const left = o.left ?? true;
  const unit = o.unitriangular ?? false;
  if (a.ndim < 2) throw new KindlingError('linalg.solve_triangular: The input tensor A must have at least 2 dimensions.');
  if (b.ndim < 2) throw new KindlingError('linalg.solve_triangular: The input tensor B must have at least 2 dimensions.');
  const n = a.shape[a.ndim - 1]!;
  if (a.shape[a.ndim - 2] !== n) throw new KindlingError(`linalg.solve_triangular: A must be batches of square matrices, but they are ${a.shape[a.ndim - 2]} by ${n} matrices`);
  if (!left) {
    // X·A = B is Aᵀ·Xᵀ = Bᵀ, Aᵀ triangular the other way.
    const x = solveTriangular(a.transpose(-2, -1), b.transpose(-2, -1), { upper: !upper, unitriangular: unit }).transpose(-2, -1);
    // One node to PyTorch (it solves from the right directly).
    if (x.gradFn instanceof GraphNode) x.gradFn.rename('LinalgSolveTriangularBackward0');
    return x;
  }
  const [rows, k] = [b.shape[b.ndim - 2]!, b.shape[b.ndim - 1]!];
  if (rows !== n) throw new KindlingError(`linalg.solve_triangular: Incompatible shapes of A and B for the equation AX = B (${n}x${n} and ${rows}x${k})`);
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2), 'linalg.solve_triangular');
  const as = matricesOf(a.expand([...batch, n, n]));
  const bs = matricesOf(b.expand([...batch, n, k]));
  const xs = as.map((m, i) => substitute(m, bs[i]!, n, k, upper, unit));
  const x = new Tensor(joined(xs), [...batch, n, k]);
  // Written with ops (a triangular solve with Aᵀ, a product with the result): with createGraph it records its own graph.
  const back = (g: Tensor): (Tensor | null)[] => {
    const gb = solveTriangular(a.transpose(-2, -1), g, { upper: !upper, unitriangular: unit });
    let ga = gb.matmul(x.transpose(-2, -1)).neg();
    ga = upper ? ga.triu(unit ? 1 : 0) : ga.tril(unit ? -1 : 0);
    return [a.requiresGrad ? sumTo(ga, a.shape) : null, b.requiresGrad ? sumTo(gb, b.shape) : null];
  };
  return twice(record(x, 'solveTriangular', [a, b], back, [a, x], 'LinalgSolveTriangularBackward0'), back);
}

/** A batch-broadcast gradient summed back to `shape`. */
function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  const lead = g.ndim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < g.ndim - 2; i++) if (i < lead || shape[i - lead] === 1) dims.push(i);
  return dims.length === 0 ? g : g.sum(dims, true).reshape(shape);
}
