// A float64 reference of multi-head attention for the finite-difference checks (test/engine/attention.test.ts,
// test/engine/transformer.test.ts), written from the paper's formula rather than from src/.
import type { nn, Tensor } from '../../src/index.js';
import { add, linear, matmul, map, ref, reshape, softmax, sum, transpose, type Ref } from './ref.js';

/** Rows [start, start + n) of a 2-D (or 1-D) reference. */
export function rows(x: Ref, start: number, n: number): Ref {
  const width = x.shape.length === 2 ? x.shape[1]! : 1;
  const shape = x.shape.length === 2 ? [n, width] : [n];
  return ref(x.data.slice(start * width, (start + n) * width), shape);
}

export interface RefParams { wq: Ref; wk: Ref; wv: Ref; bq: Ref | null; bk: Ref | null; bv: Ref | null; wo: Ref; bo: Ref | null }

/**
 * Multi-head attention in float64, written from the paper's formula: softmax(q·kᵀ / √d + mask) · v per head, heads
 * concatenated, then the out-projection. Sequence-first [L, N, E] inputs; returns [output, weights averaged over heads].
 */
export function refAttention(q: Ref, k: Ref, v: Ref, p: RefParams, H: number, mask: Ref | null): [Ref, Ref] {
  const [L, N, E] = q.shape as [number, number, number];
  const S = k.shape[0]!;
  const d = E / H;
  const heads = (x: Ref, len: number): Ref => transpose(reshape(x, [len, N * H, d]), 0, 1);
  const qh = heads(linear(q, p.wq, p.bq), L);
  const kh = heads(linear(k, p.wk, p.bk), S);
  const vh = heads(linear(v, p.wv, p.bv), S);
  let scores = map(matmul(qh, transpose(kh, 1, 2)), (s) => s / Math.sqrt(d));
  if (mask !== null) scores = add(scores, mask);
  const w = softmax(scores, -1);
  const o = reshape(transpose(matmul(w, vh), 0, 1), [L * N, E]);
  const out = reshape(linear(o, p.wo, p.bo), [L, N, E]);
  const avg = map(sum(reshape(w, [N, H, L, S]), [1]), (x) => x / H);
  return [out, avg];
}

/** The module's parameters as references, in namedParameters() order, and a function splitting them back. */
export function packed(m: nn.MultiheadAttention): [Tensor[], (xs: readonly Ref[]) => RefParams] {
  const leaves = m.parameters();
  const E = m.embedDim;
  return [leaves, (xs) => {
    const named = new Map(m.namedParameters().map(([n], i) => [n, xs[i]!]));
    const w = named.get('in_proj_weight');
    const b = named.get('in_proj_bias') ?? null;
    const bias = (i: number): Ref | null => (b === null ? null : rows(b, i * E, E));
    return {
      wq: w ? rows(w, 0, E) : named.get('q_proj_weight')!, wk: w ? rows(w, E, E) : named.get('k_proj_weight')!,
      wv: w ? rows(w, 2 * E, E) : named.get('v_proj_weight')!, bq: bias(0), bk: bias(1), bv: bias(2),
      wo: named.get('out_proj.weight')!, bo: named.get('out_proj.bias') ?? null,
    };
  }];
}
