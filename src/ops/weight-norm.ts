/**
 * Weight normalisation's arithmetic, PyTorch 1.13's `torch._weight_norm(v, g, dim)`: w = v · g / ‖v‖, the norm
 * taken over every dimension but `dim` (`norm_except_dim`; over all of them for dim −1). For the first or the last
 * dimension PyTorch runs its fused CPU kernel (`_weight_norm_interface`, node WeightNormInterfaceBackward0), whose
 * loops are reproduced here: each row's sum of squares in its AVX2 kernel's eight lanes (first dimension) or each
 * column's in row order (last), w = v · (g / norm), and the gradients
 * grad_g = Σ grad_w·v / norm, grad_v = (g / norm)·grad_w − ((g / norm)·grad_g / norm)·v. Other dimensions compose
 * PyTorch's own ops (v · (g / norm_except_dim(v))), as PyTorch does.
 */
import { record } from '../autograd/record.js';
import { composedTwice } from '../autograd/twice.js';
import { KindlingError } from '../errors.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { fmaf } from '../kernels/ref/fmaf.js';
import { checkTensor, empty } from './util.js';

const f = Math.fround;

/**
 * Σ term(k) for k < n in float32 as PyTorch's `vec::map_reduce_all` adds on AVX2: eight lane sums (the tail added
 * into the first lanes), then lanes j and j + 4, then the pairs (0 + 2) and (1 + 3), then those two; under eight
 * terms, in order.
 */
function laneSum(n: number, term: (k: number) => number): number {
  if (n < 8) {
    let acc = term(0);
    for (let k = 1; k < n; k++) acc = f(acc + term(k));
    return acc;
  }
  const acc = new Float32Array(8);
  for (let l = 0; l < 8; l++) acc[l] = term(l);
  let d = 8;
  for (; d < n - (n % 8); d += 8) for (let l = 0; l < 8; l++) acc[l] = f(acc[l]! + term(d + l));
  for (let l = 0; d + l < n; l++) acc[l] = f(acc[l]! + term(d + l));
  const s = [0, 1, 2, 3].map((j) => f(acc[j]! + acc[j + 4]!));
  return f(f(s[0]! + s[2]!) + f(s[1]! + s[3]!));
}

/**
 * The `pow`-norm of `v` over every dimension but `dim`, shaped to broadcast against v (size 1 but at `dim`), as
 * PyTorch's `torch.norm_except_dim(v, pow, dim)`; over all dimensions (a scalar) for dim −1.
 */
export function normExceptDim(v: Tensor, pow = 2, dim = 0): Tensor {
  checkTensor(v, 'normExceptDim');
  if (dim === -1) return v.norm(pow);
  if (!Number.isInteger(dim) || dim < 0 || dim >= v.ndim) throw new KindlingError(`normExceptDim: dim must be −1 or a dimension of ${formatShape(v.shape)}, got ${dim}`);
  const keep = (d: number): number[] => v.shape.map((s, i) => (i === d ? s : 1));
  if (dim === 0) return v.contiguous().reshape([v.shape[0]!, -1]).norm(pow, 1).reshape(keep(0));
  if (dim === v.ndim - 1) return v.contiguous().reshape([-1, v.shape[dim]!]).norm(pow, 0).reshape(keep(dim));
  return normExceptDim(v.transpose(0, dim), pow, 0).transpose(0, dim);
}

/**
 * w = v · g / ‖v‖ (the norm over every dimension but `dim`), PyTorch's `torch._weight_norm(v, g, dim)`: the weight
 * `nn.utils.weightNorm` computes from its parameters `weight_v` (v) and `weight_g` (g, shaped as the norm).
 */
export function weightNorm(v: Tensor, g: Tensor, dim = 0): Tensor {
  checkTensor(v, 'weightNorm', 'v');
  checkTensor(g, 'weightNorm', 'g');
  if (v.ndim === 0 || (dim !== 0 && dim !== v.ndim - 1)) return v.mul(g.div(normExceptDim(v, 2, dim)));
  const first = dim === 0;
  const M = first ? v.shape[0]! : v.numel() / v.shape[dim]!;
  const N = first ? v.numel() / M : v.shape[dim]!;
  const groups = first ? M : N;
  if (g.numel() !== groups) throw new KindlingError(`weightNorm: g must hold one value per slice of dimension ${dim} of v ${formatShape(v.shape)} (${groups}), got ${formatShape(g.shape)}`);
  const V = v.values();
  const G = g.values();
  const norms = new Float32Array(groups);
  const out = empty(v.shape);
  const W = out.data;
  if (first) {
    for (let i = 0; i < M; i++) {
      norms[i] = Math.sqrt(laneSum(N, (k) => f(V[i * N + k]! * V[i * N + k]!)));
      const a = f(G[i]! / norms[i]!);
      for (let k = 0; k < N; k++) W[i * N + k] = f(V[i * N + k]! * a);
    }
  } else {
    // PyTorch's vectorized `out + x * x` is one fused multiply-add in its AVX2 build.
    for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) norms[j] = fmaf(V[i * N + j]!, V[i * N + j]!, norms[j]!);
    for (let j = 0; j < N; j++) norms[j] = Math.sqrt(norms[j]!);
    for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) W[i * N + j] = f(V[i * N + j]! * f(G[j]! / norms[j]!));
  }
  const node = record(out, 'weightNorm', [v, g], (grad) => {
    const GW = grad.data;
    const gv = empty(v.shape);
    const gg = empty(g.shape);
    const sums = new Float32Array(groups);
    if (first) for (let i = 0; i < M; i++) sums[i] = laneSum(N, (k) => f(GW[i * N + k]! * V[i * N + k]!));
    else for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) sums[j] = f(sums[j]! + f(GW[i * N + j]! * V[i * N + j]!));
    const a = new Float32Array(groups);
    const b = new Float32Array(groups);
    for (let c = 0; c < groups; c++) {
      gg.data[c] = f(sums[c]! / norms[c]!);
      a[c] = f(G[c]! / norms[c]!);
      b[c] = f(f(a[c]! * gg.data[c]!) / norms[c]!);
    }
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        const c = first ? i : j;
        gv.data[i * N + j] = f(f(a[c]! * GW[i * N + j]!) - f(b[c]! * V[i * N + j]!));
      }
    }
    return [gv, gg];
  }, [v, g], 'WeightNormInterfaceBackward0');
  // The gradient's graph (createGraph): PyTorch's composition, v · (g / norm_except_dim(v)), differentiated.
  return composedTwice(node, (vv, gg) => vv.mul(gg!.reshape(normExceptDim(vv, 2, dim).shape).div(normExceptDim(vv, 2, dim))));
}
