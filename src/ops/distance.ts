// F.cosineSimilarity and F.pairwiseDistance, as PyTorch 1.13's, composed from differentiable ops:
// pairwise_distance is ‖x1 − x2 + eps‖_p along the last dim (NormBackward1); cosine_similarity is
// Σ (x1 / max(‖x1‖, eps)) · (x2 / max(‖x2‖, eps)) along dim (SumBackward1).
import { checkOptions, describeValue } from '../options.js';
import type { Tensor } from '../tensor/tensor.js';
import { KindlingError } from '../errors.js';
import { checkTensor } from './util.js';

export interface CosineSimilarityOptions {
  /** The dimension the vectors lie along (default 1). */
  readonly dim?: number;
  /** The smallest norm divided by (default 1e-8). */
  readonly eps?: number;
}

export interface PairwiseDistanceOptions {
  /** The order of the norm (default 2). */
  readonly p?: number;
  /** Added to the difference before the norm (default 1e-6). */
  readonly eps?: number;
  /** Keep the reduced dimension (default false). */
  readonly keepdim?: boolean;
}

function broadcastShapes(a: readonly number[], b: readonly number[], where: string): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) {
      throw new KindlingError(`${where}: The size of tensor a (${x}) must match the size of tensor b (${y}) at non-singleton dimension ${i}`);
    }
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** PyTorch's `F.cosine_similarity(x1, x2, dim=1, eps=1e-8)`. */
export function cosineSimilarity(x1: Tensor, x2: Tensor, options: CosineSimilarityOptions = {}): Tensor {
  const where = 'cosineSimilarity';
  checkTensor(x1, where);
  checkTensor(x2, where);
  const o = checkOptions<CosineSimilarityOptions>(where, options, ['dim', 'eps']);
  const d = o.dim ?? 1;
  const e = o.eps ?? 1e-8;
  if (typeof d !== 'number' || !Number.isInteger(d)) throw new TypeError(`${where}: dim must be an integer, got ${describeValue(d)}`);
  if (typeof e !== 'number' || Number.isNaN(e)) throw new TypeError(`${where}: eps must be a number, got ${describeValue(e)}`);
  const shape = broadcastShapes(x1.shape, x2.shape, where);
  const rank = Math.max(shape.length, 1);
  if (d < -rank || d >= rank) {
    throw new RangeError(`${where}: Dimension out of range (expected to be in range of [${-rank}, ${rank - 1}], but got ${d})`);
  }
  const a = x1.expand(shape);
  const b = x2.expand(shape);
  const na = a.norm(2, d, true).detach().clamp(e, null);
  const nb = b.norm(2, d, true).detach().clamp(e, null);
  // PyTorch clamps the norms in place under no_grad, so the norms' own gradient still flows.
  const ga = a.norm(2, d, true);
  const gb = b.norm(2, d, true);
  const sa = ga.add(na.sub(ga.detach()));
  const sb = gb.add(nb.sub(gb.detach()));
  return a.div(sa).mul(b.div(sb)).sum(d);
}

/** PyTorch's `F.pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False)`. */
export function pairwiseDistance(x1: Tensor, x2: Tensor, options: PairwiseDistanceOptions = {}): Tensor {
  const where = 'pairwiseDistance';
  checkTensor(x1, where);
  checkTensor(x2, where);
  const o = checkOptions<PairwiseDistanceOptions>(where, options, ['p', 'eps', 'keepdim']);
  const p = o.p ?? 2;
  const e = o.eps ?? 1e-6;
  const keepdim = o.keepdim ?? false;
  if (typeof p !== 'number' || Number.isNaN(p)) throw new TypeError(`${where}: p must be a number (the order of the norm), got ${describeValue(p)}`);
  if (typeof e !== 'number' || Number.isNaN(e)) throw new TypeError(`${where}: eps must be a number, got ${describeValue(e)}`);
  if (typeof keepdim !== 'boolean') throw new TypeError(`${where}: keepdim must be a boolean, got ${describeValue(keepdim)}`);
  broadcastShapes(x1.shape, x2.shape, where);
  const diff = x1.sub(x2).add(e);
  const outputDim = Math.max(x1.ndim, x2.ndim);
  const innermost = outputDim === 1 ? 0 : outputDim - 1;
  return diff.norm(p, innermost, keepdim);
}
