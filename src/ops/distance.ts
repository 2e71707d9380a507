// F.cosineSimilarity and F.pairwiseDistance, as PyTorch 1.13's, composed from differentiable ops:
// pairwise_distance is ‖x1 − x2 + eps‖_p along the last dim (NormBackward1); cosine_similarity is
// Σ (x1 / √max(Σ x1², eps²)) · (x2 / √max(Σ x2², eps²)) along dim (SumBackward1).
import { noGrad } from '../autograd/grad-mode.js';
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
  return a.div(clampedNorm(a, d, e)).mul(b.div(clampedNorm(b, d, e))).sum(d);
}

/**
 * √max(Σ x², eps²) along dim d, kept, as PyTorch 1.13's cosine_similarity: the sum of squares clamped in place under
 * no_grad, so the clamp passes the gradient through unchanged while the square root's (1 / 2√s) reads the clamped
 * value — finite for a zero vector, and where the norm is below eps the gradient is not that of max(‖x‖, eps).
 */
function clampedNorm(x: Tensor, d: number, eps: number): Tensor {
  const squares = x.pow(2).sum(d, true);
  noGrad(() => squares.clampMin_(Math.fround(eps * eps)));
  return squares.sqrt();
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
