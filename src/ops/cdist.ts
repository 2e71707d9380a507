// torch.cdist, as PyTorch 1.13's: the p-norm distance between each row of x1 [..., P, M] and each row of x2
// [..., R, M] (batch dimensions broadcast). p = 2 with more than 25 rows on either side (or computeMode
// 'use_mm_for_euclid_dist') goes PyTorch's matrix-product way, composed of ops (‖a‖² − 2a·b + ‖b‖², clamped at 1e-30,
// square root; ViewBackward0); otherwise its direct kernel, each distance summed in float32 in order, each term rounded
// (CdistBackward0: PyTorch's bits for p 0, 1, 2 and ∞; other p within an ulp of its powf).
import { record } from '../autograd/record.js';
import { composedTwice } from '../autograd/twice.js';
import { KindlingError } from '../errors.js';
import { describeValue } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { cat } from './join.js';
import { checkTensor } from './util.js';

const f = Math.fround;

export type CdistComputeMode = 'use_mm_for_euclid_dist_if_necessary' | 'use_mm_for_euclid_dist' | 'donot_use_mm_for_euclid_dist';

function batchShape(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[i - (n - a.length)] ?? 1;
    const y = b[i - (n - b.length)] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new KindlingError(`cdist: the batch dimensions [${a.join(', ')}] and [${b.join(', ')}] do not broadcast`);
    out.push(Math.max(x, y));
  }
  return out;
}

/** The distance of two rows as PyTorch's kernel accumulates it, and its derivative with respect to the first. */
function distance(a: Float32Array, ai: number, b: Float32Array, bj: number, m: number, p: number): number {
  let agg = 0;
  for (let k = 0; k < m; k++) {
    const d = Math.abs(f(a[ai + k]! - b[bj + k]!));
    if (p === 2) agg = f(agg + f(d * d));
    else if (p === 1) agg = f(agg + d);
    else if (p === 0) agg = f(agg + (d !== 0 ? 1 : 0));
    else if (p === Infinity) agg = Math.max(agg, d);
    else agg = f(agg + f(d ** p));
  }
  if (p === 2) return f(Math.sqrt(agg));
  if (p === 0 || p === 1 || p === Infinity) return agg;
  return f(agg ** f(1 / p));
}

/** Distances between the rows of x1 and x2: `cdist(x1, x2, p = 2, computeMode?)`, as `torch.cdist`. */
export function cdist(x1: Tensor, x2: Tensor, p = 2, computeMode: CdistComputeMode = 'use_mm_for_euclid_dist_if_necessary'): Tensor {
  checkTensor(x1, 'cdist', 'x1');
  checkTensor(x2, 'cdist', 'x2');
  if (x1.ndim < 2) throw new KindlingError(`cdist only supports at least 2D tensors, X1 got: ${x1.ndim}D`);
  if (x2.ndim < 2) throw new KindlingError(`cdist only supports at least 2D tensors, X2 got: ${x2.ndim}D`);
  const m = x1.shape[x1.ndim - 1]!;
  if (x2.shape[x2.ndim - 1] !== m) throw new KindlingError(`X1 and X2 must have the same number of columns. X1: ${m} X2: ${x2.shape[x2.ndim - 1]}`);
  if (typeof p !== 'number' || !(p >= 0)) throw new KindlingError(`cdist only supports non-negative p values`);
  const modes = ['use_mm_for_euclid_dist_if_necessary', 'use_mm_for_euclid_dist', 'donot_use_mm_for_euclid_dist'];
  if (!modes.includes(computeMode)) throw new KindlingError(`${describeValue(computeMode)} is not a valid value for compute_mode`);
  const r1 = x1.shape[x1.ndim - 2]!;
  const r2 = x2.shape[x2.ndim - 2]!;
  const batch = batchShape(x1.shape.slice(0, -2), x2.shape.slice(0, -2));
  const b = batch.reduce((s, d) => s * d, 1);
  const a1 = x1.expand([...batch, r1, m]).reshape(b, r1, m);
  const a2 = x2.expand([...batch, r2, m]).reshape(b, r2, m);
  const outShape = [...batch, r1, r2];
  const mm = p === 2 && (computeMode === 'use_mm_for_euclid_dist' || (computeMode === 'use_mm_for_euclid_dist_if_necessary' && (r1 > 25 || r2 > 25)));
  if (mm) {
    // PyTorch's _euclidean_dist: [−2·x1, ‖x1‖², 1] · [x2, 1, ‖x2‖²]ᵀ, clamped and square-rooted.
    const n1 = a1.pow(2).sum(-1, true);
    const n2 = a2.pow(2).sum(-1, true);
    const left = cat([a1.mul(-2), n1, n1.mul(0).add(1)], -1);
    const right = cat([a2, n2.mul(0).add(1), n2], -1);
    return left.matmul(right.transpose(-2, -1)).clampMin(1e-30).sqrt().view(outShape);
  }
  const v1 = a1.toArray();
  const v2 = a2.toArray();
  const out = new Float32Array(b * r1 * r2);
  for (let s = 0; s < b; s++) {
    for (let i = 0; i < r1; i++) for (let j = 0; j < r2; j++) out[(s * r1 + i) * r2 + j] = distance(v1, (s * r1 + i) * m, v2, (s * r2 + j) * m, m, p);
  }
  const result = new Tensor(out, outShape);
  const node = record(result, 'cdist', [a1, a2], (g) => {
    const gv = g.toArray();
    const g1 = new Float32Array(v1.length);
    const g2 = new Float32Array(v2.length);
    for (let s = 0; s < b; s++) {
      for (let i = 0; i < r1; i++) {
        for (let j = 0; j < r2; j++) {
          const o = (s * r1 + i) * r2 + j;
          const dist = out[o]!;
          const go = gv[o]!;
          if (p === 0 || dist === 0 || go === 0) continue;
          for (let k = 0; k < m; k++) {
            const at1 = (s * r1 + i) * m + k;
            const at2 = (s * r2 + j) * m + k;
            const diff = f(v1[at1]! - v2[at2]!);
            // PyTorch's backward terms, rounded as it rounds them: grad·sign(diff) (p 1), grad·diff / dist (p 2),
            // sign(diff)·|diff|^(p−1)·grad / dist^(p−1) (p < 2: a zero difference gives 0, also for p < 1),
            // diff·|diff|^(p−2)·grad / dist^(p−1) (other p); for ∞, grad·sign(diff) where |diff| is the distance.
            let t: number;
            if (p === 1) t = f(go * Math.sign(diff));
            else if (p === 2) t = f(f(go * diff) / dist);
            else if (p === Infinity) t = Math.abs(diff) === dist ? f(go * Math.sign(diff)) : 0;
            else if (p < 2) t = diff === 0 ? 0 : f(f(f(Math.sign(diff) * f(Math.abs(diff) ** (p - 1))) * go) / f(dist ** (p - 1)));
            else t = f(f(f(diff * f(Math.abs(diff) ** (p - 2))) * go) / f(dist ** (p - 1)));
            g1[at1] = f(g1[at1]! + t);
            g2[at2] = f(g2[at2]! - t);
          }
        }
      }
    }
    return [new Tensor(g1, a1.shape), new Tensor(g2, a2.shape)];
  }, [a1, a2, result], 'CdistBackward0');
  // Its gradient's graph: the norms of the pairwise differences written with ops, differentiated (for p ≥ 1; at a
  // zero distance the second derivative of the 2-norm is not finite, as the norm's).
  return composedTwice(node, (x1, x2) => x1.unsqueeze(-2).sub(x2.unsqueeze(-3)).norm(p, -1).reshape(outShape));
}
