// The tolerances of linalg.matrix_rank and linalg.pinv, as PyTorch 1.13's get_atol_rtol: atol and rtol are numbers or
// tensors (broadcast against the batch of matrices, which may widen the result's batch); atol defaults to 0, rtol to
// ε·max(m, n) (float32's ε), or to 0 where atol is given and positive. A singular value counts when it is above
// max(atol, rtol·σ₁).
import { describeValue } from '../options.js';
import { broadcastShapes } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

export type Tolerance = number | Tensor;

/** The batch shape the result takes and atol and rtol for each of its matrices (flat, in the batch's order). */
export interface Tolerances { batch: number[]; atol: Float32Array; rtol: Float32Array }

const asTensor = (op: string, name: string, t: Tolerance | null | undefined): Tensor | null => {
  if (t === undefined || t === null) return null;
  if (t instanceof Tensor) return t;
  if (typeof t === 'number') return new Tensor(Float32Array.of(t), []);
  throw new TypeError(`${op}: ${name} must be a number or a tensor, got ${describeValue(t)}`);
};

/** atol and rtol for the matrices of `a` ([..., m, n]), broadcast with its batch. */
export function tolerances(op: string, a: Tensor, atolGiven: Tolerance | null | undefined, rtolGiven: Tolerance | null | undefined): Tolerances {
  const atol = asTensor(op, 'atol', atolGiven);
  const rtol = asTensor(op, 'rtol', rtolGiven);
  const m = a.shape[a.ndim - 2]!;
  const n = a.shape[a.ndim - 1]!;
  let batch = a.shape.slice(0, -2);
  if (atol !== null) batch = broadcastShapes(batch, atol.shape, op);
  if (rtol !== null) batch = broadcastShapes(batch, rtol.shape, op);
  const count = batch.reduce((p, d) => p * d, 1);
  const atolValues = atol === null ? new Float32Array(count) : atol.expand(batch).toArray();
  const fallback = 2 ** -23 * Math.max(m, n);
  const rtolValues = rtol !== null
    ? rtol.expand(batch).toArray()
    : Float32Array.from(atolValues, (t) => (atol !== null && t > 0 ? 0 : fallback));
  return { batch, atol: atolValues, rtol: rtolValues };
}
