// Small PyTorch 1.13 functions composed of Kindling's ops, named as PyTorch names their nodes: vdot (a dot product
// of 1-D tensors, VdotBackward0), dist (the p-norm of the difference, DistBackward0), addr (β·input + α·v1 ⊗ v2,
// AddrBackward0), diagflat, sumToSize, ldexp (x·2^other), heaviside (no gradient, as PyTorch's) and isin.
import { GraphNode, record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { checkOptions, describeValue } from '../options.js';
import { broadcastShapes, formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { expanded, operand } from './binary-math.js';
import { sumToShape } from './broadcast.js';
import { diag } from './diagonal.js';
import { markMask } from '../tensor/mask-mark.js';
import { norm, type NormOrder } from './norm.js';
import { pow } from './pow.js';
import { dot, mv } from './products.js';
import { checkTensor, empty } from './util.js';
import { mul, sub } from './binary.js';
import { sum } from './reduce.js';
import { reshape, transpose, view } from './view.js';

const f = Math.fround;

/** `t`'s node named `torchName` (the last op of a composition PyTorch computes as one). */
function named(t: Tensor, torchName: string): Tensor {
  if (t.gradFn instanceof GraphNode) t.gradFn.rename(torchName);
  return t;
}

/** The dot product of two 1-D tensors of one length (PyTorch's `vdot`; the same as `dot` for real tensors). */
export function vdot(a: Tensor, b: Tensor): Tensor {
  checkTensor(a, 'vdot');
  checkTensor(b, 'vdot', 'other');
  if (a.ndim !== 1 || b.ndim !== 1) throw new RangeError(`1D tensors expected, but got ${a.ndim}D and ${b.ndim}D tensors`);
  if (a.numel() !== b.numel()) {
    throw new RangeError(`inconsistent tensor size, expected tensor [${a.numel()}] and src [${b.numel()}] to have the same number of elements, but got ${a.numel()} and ${b.numel()} elements respectively`);
  }
  return named(dot(a, b), 'VdotBackward0');
}

/** The p-norm of a − b (broadcast), as `torch.dist(a, b, p = 2)`. */
export function dist(a: Tensor, b: Tensor, p: NormOrder = 2): Tensor {
  checkTensor(a, 'dist');
  checkTensor(b, 'dist', 'other');
  return named(norm(sub(a, b), p === 2 ? 'fro' : p), 'DistBackward0');
}

export interface AddrOptions { beta?: number; alpha?: number }

/** β·input + α·(vec1 ⊗ vec2), input broadcast to [n, m] (not read when β is 0), as `torch.addr`. */
export function addr(input: Tensor, vec1: Tensor, vec2: Tensor, options: AddrOptions = {}): Tensor {
  checkTensor(input, 'addr');
  checkTensor(vec1, 'addr', 'vec1');
  checkTensor(vec2, 'addr', 'vec2');
  const { beta = 1, alpha = 1 } = checkOptions('addr', options, ['beta', 'alpha']);
  for (const [what, v] of [['beta', beta], ['alpha', alpha]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`addr: ${what} must be a finite number, got ${describeValue(v)}`);
  }
  if (vec1.ndim !== 1) throw new RangeError(`addr: Expected 1-D argument vec1, but got ${vec1.ndim}-D`);
  if (vec2.ndim !== 1) throw new RangeError(`addr: Expected 1-D argument vec2, but got ${vec2.ndim}-D`);
  const n = vec1.numel();
  const m = vec2.numel();
  const shape = [n, m];
  const target = broadcastShapes(input.shape, shape, 'addr');
  if (target.length !== 2 || target[0] !== n || target[1] !== m) {
    throw new RangeError(`addr: the input ${formatShape(input.shape)} must broadcast to the outer product's shape ${formatShape(shape)}`);
  }
  const iv = expanded(input, shape);
  const v1 = vec1.values();
  const v2 = vec2.values();
  const [b, a] = [f(beta), f(alpha)];
  const out = empty(shape);
  // PyTorch's kernel: beta·self + (alpha·v1)·v2 (alpha·v1·v2 alone where beta is 0), each step in float32.
  for (let i = 0; i < n; i++) {
    const av = f(a * v1[i]!);
    for (let j = 0; j < m; j++) {
      const prod = f(av * v2[j]!);
      out.data[i * m + j] = beta === 0 ? prod : f(f(b * iv[i * m + j]!) + prod);
    }
  }
  // Written with ops: with createGraph the same function records the gradient's graph.
  const back = (g: Tensor): (Tensor | null)[] => [
    input.requiresGrad ? sumToShape(beta === 1 ? g : mul(g, beta), input.shape) : null,
    vec1.requiresGrad ? mul(mv(g, vec2), alpha) : null,
    vec2.requiresGrad ? mul(mv(transpose(g, 0, 1), vec1), alpha) : null,
  ];
  return twice(record(out, 'addr', [input, vec1, vec2], back, [vec1, vec2], 'AddrBackward0'), back);
}

/** The flattened input as the `offset`-th diagonal of a square matrix, as `torch.diagflat`. */
export function diagflat(x: Tensor, offset = 0): Tensor {
  checkTensor(x, 'diagflat');
  return diag(x.ndim === 1 ? x : reshape(x, [x.numel()]), offset);
}

/** x summed down to `size` (each of its dimensions 1 or x's), as PyTorch's `x.sum_to_size(*size)`. */
export function sumToSize(x: Tensor, size: readonly number[]): Tensor {
  checkTensor(x, 'sumToSize');
  const lead = x.ndim - size.length;
  const ok = lead >= 0 && size.every((s, i) => s === x.shape[lead + i] || s === 1);
  if (!ok) throw new RangeError(`size {[${size.join(', ')}]} is not expandable to size {[${x.shape.join(', ')}]}.`);
  // PyTorch's sum_to: a sum keeping the dimensions (SumBackward1), then a view without the leading ones.
  const dims = x.shape.map((_, i) => i).filter((i) => i < lead || (size[i - lead] === 1 && x.shape[i] !== 1));
  const summed = dims.length > 0 ? sum(x, dims, true) : x;
  return lead > 0 ? view(summed, size) : summed;
}

/** x·2^other, as `torch.ldexp` (which is `x * torch.pow(2, other)`). */
export function ldexp(x: Tensor, other: Tensor): Tensor {
  checkTensor(x, 'ldexp');
  checkTensor(other, 'ldexp', 'other');
  return mul(x, pow(2, other));
}

/** 0 where x < 0, 1 where x > 0, `values` where x is 0 (broadcast), as `torch.heaviside`; NaN gives 0, as PyTorch's. */
export function heaviside(x: Tensor, values: Tensor): Tensor {
  checkTensor(x, 'heaviside');
  if (!(values instanceof Tensor)) throw new TypeError(`heaviside(): argument 'values' (position 2) must be Tensor, not ${typeof values === 'number' ? 'number' : describeValue(values)}`);
  const shape = broadcastShapes(x.shape, values.shape, 'heaviside');
  const xv = expanded(x, shape);
  const vv = expanded(values, shape);
  const out = empty(shape);
  for (let i = 0; i < xv.length; i++) out.data[i] = xv[i] === 0 ? vv[i]! : xv[i]! > 0 ? 1 : 0;
  return record(out, 'heaviside', [x, values], () => {
    throw new Error('derivative for aten::heaviside is not implemented');
  }, [], 'NotImplemented');
}

/** 1 where an element of `elements` equals one of `testElements` (0 with `invert`), as `torch.isin`; NaN matches nothing. */
export function isin(elements: Tensor | number, testElements: Tensor | number, options: { invert?: boolean; assumeUnique?: boolean } = {}): Tensor {
  const e = operand('isin', 'elements', elements, true);
  const t = operand('isin', 'test_elements', testElements, true);
  const { invert = false } = checkOptions('isin', options, ['invert', 'assumeUnique']);
  if (typeof invert !== 'boolean') throw new TypeError(`isin: invert must be true or false, got ${describeValue(invert)}`);
  const set = new Set(t.values());
  const ev = e.values();
  const out = empty(e.shape);
  for (let i = 0; i < ev.length; i++) out.data[i] = (!Number.isNaN(ev[i]!) && set.has(ev[i]!)) !== invert ? 1 : 0;
  return markMask(out);
}
