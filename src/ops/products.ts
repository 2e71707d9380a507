// The named matrix products of PyTorch 1.13 — mm, bmm, mv, dot, outer (ger), inner, kron — and the fused
// β·input + α·product forms addmm, addmv, baddbmm and addbmm. The products run matmul's kernels (matmul.ts) with
// PyTorch's own shape checks and messages, and keep PyTorch's grad_fn names (MmBackward0, BmmBackward0,
// AddmmBackward0, …).
import { twice } from '../autograd/twice.js';
import { GraphNode, record } from '../autograd/record.js';
import { noGrad } from '../autograd/grad-mode.js';
import { float32Scalar } from '../tensor/float32-scalar.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { describeValue } from '../options.js';
import { mul } from './binary.js';
import { sumToShape } from './broadcast.js';
import { matmul } from './matmul.js';
import { checkTensor } from './util.js';
import { reshape } from './view.js';

/** Gives `t`'s node PyTorch's name for the op (the node matmul recorded is the product's). */
function named(t: Tensor, torch: string): Tensor {
  if (t.gradFn instanceof GraphNode) t.gradFn.rename(torch);
  return t;
}

const dims = (t: Tensor): string => `${t.ndim}-D (shape ${formatShape(t.shape)})`;

/** The matrix product of two 2-D tensors, as PyTorch's `mm` (MmBackward0). */
export function mm(a: Tensor, b: Tensor): Tensor {
  checkTensor(a, 'mm');
  checkTensor(b, 'mm', 'mat2');
  checkMm('mm', 'self', a, b);
  return matmul(a, b);
}

function checkMm(op: string, first: string, a: Tensor, b: Tensor): void {
  if (a.ndim !== 2) throw new RangeError(`${op}: ${first} must be a matrix, got ${dims(a)}`);
  if (b.ndim !== 2) throw new RangeError(`${op}: mat2 must be a matrix, got ${dims(b)}`);
  if (a.shape[1] !== b.shape[0]) {
    throw new RangeError(`${op}: mat1 and mat2 shapes cannot be multiplied (${a.shape[0]}x${a.shape[1]} and ${b.shape[0]}x${b.shape[1]})`);
  }
}

/** Matrix products of the matrices of two 3-D tensors of one batch size, as PyTorch's `bmm` (BmmBackward0; no broadcasting). */
export function bmm(a: Tensor, b: Tensor): Tensor {
  checkTensor(a, 'bmm');
  checkTensor(b, 'bmm', 'mat2');
  checkBmm('bmm', a, b);
  return named(matmul(a, b), 'BmmBackward0');
}

/** bmm's and baddbmm's checks, with PyTorch's messages; addbmm's (`summed`) say it as PyTorch's addbmm does. */
function checkBmm(op: string, a: Tensor, b: Tensor, summed = false): void {
  if (a.ndim !== 3) throw new RangeError(`${op}: batch1 must be a 3D tensor, got ${dims(a)}`);
  if (b.ndim !== 3) throw new RangeError(`${op}: batch2 must be a 3D tensor, got ${dims(b)}`);
  if (summed && a.shape[0] !== b.shape[0]) {
    throw new RangeError(`${op}: batch1 and batch2 must have same number of batches, got ${a.shape[0]} and ${b.shape[0]}`);
  }
  if (summed && a.shape[2] !== b.shape[1]) {
    throw new RangeError(`${op}: Incompatible matrix sizes for bmm (${a.shape[1]}x${a.shape[2]} and ${b.shape[1]}x${b.shape[2]})`);
  }
  if (a.shape[0] !== b.shape[0] || a.shape[2] !== b.shape[1]) {
    throw new RangeError(`${op}: Expected size for first two dimensions of batch2 tensor to be: [${a.shape[0]}, ${a.shape[2]}] but got: [${b.shape[0]}, ${b.shape[1]}].`);
  }
}

/** Refuses an input that does not broadcast to the product's shape, with PyTorch's message. */
function checkExpands(op: string, input: Tensor, shape: readonly number[]): void {
  const lead = shape.length - input.ndim;
  const fail = lead < 0 ? -1 : input.shape.findIndex((d, i) => d !== 1 && d !== shape[lead + i]);
  if (lead >= 0 && fail < 0) return;
  const at = fail < 0 ? 0 : lead + fail;
  throw new RangeError(`${op}: The expanded size of the tensor (${shape[at]}) must match the existing size (${input.shape[fail < 0 ? 0 : fail]}) ` +
    `at non-singleton dimension ${at}.  Target sizes: ${formatShape(shape)}.  Tensor sizes: ${formatShape(input.shape)} (the input must broadcast to the product's shape)`);
}

/** A 2-D matrix times a 1-D vector, as PyTorch's `mv` (MvBackward0). */
export function mv(a: Tensor, v: Tensor): Tensor {
  checkTensor(a, 'mv');
  checkTensor(v, 'mv', 'vec');
  checkMv('mv', a, v);
  return matmul(a, v);
}

/** mv's and addmv's checks, with PyTorch's messages (which count the dimensions of the input, mv's own 1-D result, the matrix and the vector). */
function checkMv(op: string, a: Tensor, v: Tensor, input: Tensor | null = null): void {
  const inDims = input === null ? 1 : Math.max(input.ndim, 1);
  if (a.ndim !== 2 || v.ndim !== 1 || inDims !== 1) {
    throw new RangeError(`${op}: vector + matrix @ vector expected, got ${inDims}, ${a.ndim}, ${v.ndim} (${input === null ? '' : `a 0-D or 1-D input, `}a 2-D matrix and a 1-D vector; got shapes ${input === null ? '' : `${formatShape(input.shape)}, `}${formatShape(a.shape)} and ${formatShape(v.shape)})`);
  }
  const n = input === null || input.ndim === 0 || input.shape[0] === 1 ? a.shape[0]! : input.shape[0]!;
  if (a.shape[1] !== v.shape[0] || n !== a.shape[0]) {
    throw new RangeError(`${op}: size mismatch, got ${n}, ${a.shape[0]}x${a.shape[1]},${v.shape[0]} (the matrix's columns and the vector's length must agree${input === null ? '' : ', and the input must broadcast to the matrix\'s rows'})`);
  }
}

/** The dot product of two 1-D tensors of one length, as PyTorch's `dot` (DotBackward0; no broadcasting). */
export function dot(a: Tensor, b: Tensor): Tensor {
  checkTensor(a, 'dot');
  checkTensor(b, 'dot', 'tensor');
  if (a.ndim !== 1 || b.ndim !== 1) throw new RangeError(`dot: 1D tensors expected, but got ${a.ndim}D and ${b.ndim}D tensors`);
  if (a.shape[0] !== b.shape[0]) {
    throw new RangeError(`dot: inconsistent tensor size, expected tensor [${a.shape[0]}] and src [${b.shape[0]}] to have the same number of elements, but got ${a.shape[0]} and ${b.shape[0]} elements respectively`);
  }
  return matmul(a, b);
}

/** The outer product of two 1-D tensors, a[i]·b[j], as PyTorch's `outer` (computed as PyTorch does: MulBackward0). */
export function outer(a: Tensor, b: Tensor, op = 'outer'): Tensor {
  checkTensor(a, op);
  checkTensor(b, op, 'vec2');
  if (a.ndim !== 1) throw new RangeError(`${op}: Expected 1-D argument self, but got ${a.ndim}-D`);
  if (b.ndim !== 1) throw new RangeError(`${op}: Expected 1-D argument vec2, but got ${b.ndim}-D`);
  return mul(reshape(a, [a.shape[0]!, 1]), b);
}

/** PyTorch's older name for `outer` (deprecated there, the same op). */
export function ger(a: Tensor, b: Tensor): Tensor {
  return outer(a, b, 'ger');
}

/**
 * Sums of products over the last dimension of each, as PyTorch's `inner`: the result has shape a.shape[:-1] +
 * b.shape[:-1]; a 0-d operand multiplies the other. Computed as PyTorch does (a product of the flattened operands,
 * reshaped: ReshapeAliasBackward0; MulBackward0 with a 0-d operand).
 */
export function inner(a: Tensor, b: Tensor): Tensor {
  checkTensor(a, 'inner');
  checkTensor(b, 'inner', 'other');
  if (a.ndim === 0 || b.ndim === 0) return mul(a, b);
  const K = a.shape[a.ndim - 1]!;
  if (b.shape[b.ndim - 1] !== K) {
    throw new RangeError(`inner: inner() the last dimension must match on both input tensors but got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  const left = a.shape.slice(0, -1);
  const right = b.shape.slice(0, -1);
  const rows = left.reduce((p, d) => p * d, 1);
  const cols = right.reduce((p, d) => p * d, 1);
  const p = matmul(reshape(a, [rows, K]), reshape(b, [cols, K]).transpose(0, 1));
  return reshape(p, [...left, ...right], 'reshape', 'ReshapeAliasBackward0');
}

/**
 * The Kronecker product, as PyTorch's `kron`: the operands' dimensions are aligned from the right (the one with
 * fewer gets leading 1s), and out[i·bₖ + j] = a[i]·b[j] in each dimension (UnsafeViewBackward0, as PyTorch's).
 */
export function kron(a: Tensor, b: Tensor): Tensor {
  checkTensor(a, 'kron');
  checkTensor(b, 'kron', 'other');
  const n = Math.max(a.ndim, b.ndim);
  const as = [...new Array<number>(n - a.ndim).fill(1), ...a.shape];
  const bs = [...new Array<number>(n - b.ndim).fill(1), ...b.shape];
  const ai: number[] = [];
  const bi: number[] = [];
  for (let d = 0; d < n; d++) {
    ai.push(as[d]!, 1);
    bi.push(1, bs[d]!);
  }
  const p = mul(reshape(a, ai), reshape(b, bi));
  return reshape(p, as.map((d, i) => d * bs[i]!), 'reshape', 'UnsafeViewBackward0');
}

/**
 * The `{ beta, alpha }` of addmm and its kin (PyTorch's keyword arguments), both 1 by default; a boolean counts as 1
 * or 0, as PyTorch takes it (`beta=False`).
 */
export interface AddProductOptions {
  beta?: number | boolean;
  alpha?: number | boolean;
}

function scalarsOf(options: AddProductOptions | undefined, op: string): { beta: number; alpha: number } {
  if (options === undefined) return { beta: 1, alpha: 1 };
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${op}: options must be an object { beta, alpha } (PyTorch's keyword arguments), got ${describeValue(options)}`);
  }
  for (const k of Object.keys(options)) {
    if (k !== 'beta' && k !== 'alpha') throw new TypeError(`${op}: unknown option '${k}' (expected beta, alpha)`);
  }
  const scalar = (name: string, given: unknown): number => {
    const v = typeof given === 'boolean' ? Number(given) : given ?? 1;
    if (typeof v !== 'number') throw new TypeError(`${op}: ${name} must be a number (or a boolean, 1 or 0), got ${describeValue(v)}`);
    float32Scalar(op, name, v);
    return v;
  };
  return { beta: scalar('beta', options.beta), alpha: scalar('alpha', options.alpha) };
}

/**
 * β·input + α·(a · b) as one node named `torch`, as PyTorch's addmm/addmv/baddbmm (and addbmm, given its batches laid
 * side by side): the product is matmul's (a is 2-D or 3-D, b 2-D, 3-D or a 1-D vector), α· and β· each rounded to
 * float32 as PyTorch scales them, and with β = 0 the input is not read (a NaN or ∞ in it does not reach the result,
 * as PyTorch documents). With α = 0 and `skipsProduct` the product is not read either: the result is β·input (0 where
 * β = 0), as BLAS's gemm and gemv skip it, which PyTorch's CPU addmm, addmv and addbmm call; its baddbmm (and addr)
 * multiply the product by 0, so a NaN or ∞ in the matrices gives NaN there. PyTorch documents neither and is not
 * consistent; Kindling follows each op. Gradients: β·g summed to the input's shape, α·(g · bᵀ) and α·(aᵀ · g) (NaN
 * where a product of g with a NaN or ∞ is, α = 0 or not, as PyTorch's).
 */
function addProduct(op: string, torch: string, input: Tensor, a: Tensor, b: Tensor, beta: number, alpha: number, skipsProduct = false): Tensor {
  const p = noGrad(() => matmul(a.detach(), b.detach()));
  checkExpands(op, input, p.shape);
  const base = input.detach().expand([...p.shape]);
  const P = p.data;
  const C = beta === 0 ? null : base.toArray();
  const out = new Float32Array(P.length);
  const skip = skipsProduct && alpha === 0;
  for (let i = 0; i < P.length; i++) {
    const bc = C === null ? 0 : beta === 1 ? C[i]! : Math.fround(beta * C[i]!);
    if (skip) out[i] = bc;
    else {
      const ab = alpha === 1 ? P[i]! : Math.fround(alpha * P[i]!);
      out[i] = C === null ? ab : ab + bc;
    }
  }
  const result = new Tensor(out, p.shape);
  const vec = b.ndim === 1;
  return twice(record(result, op, [input, a, b], (g) => {
    const scale = (t: Tensor, f: number): Tensor => {
      if (f === 1) return t;
      const d = t.toArray();
      for (let i = 0; i < d.length; i++) d[i] = d[i]! * f;
      return new Tensor(d, t.shape);
    };
    const gi = input.requiresGrad ? sumToShape(scale(g, beta), input.shape) : null;
    const g2 = vec ? g.reshape([g.numel(), 1]) : g;
    const b2 = vec ? b.detach().reshape([b.shape[0]!, 1]) : b.detach();
    const ga = a.requiresGrad ? scale(matmul(g2, b2.transpose(-1, -2)), alpha) : null;
    const gb = b.requiresGrad ? scale(matmul(a.detach().transpose(-1, -2), g2), alpha).reshape(b.shape) : null;
    return [gi, ga, gb];
  }, [a, b], torch), (g) => {
    // The gradient's graph (createGraph): the same formulas with recorded ops.
    const g2 = vec ? g.reshape([g.numel(), 1]) : g;
    const b2 = vec ? b.reshape([b.shape[0]!, 1]) : b;
    return [
      input.requiresGrad ? sumToShape(g.mul(beta), input.shape) : null,
      a.requiresGrad ? matmul(g2, b2.transpose(-1, -2)).mul(alpha) : null,
      b.requiresGrad ? matmul(a.transpose(-1, -2), g2).mul(alpha).reshape(b.shape) : null,
    ];
  });
}

/** β·input + α·(mat1 · mat2), as PyTorch's `addmm(input, mat1, mat2, beta=, alpha=)`: the input broadcasts to the product (AddmmBackward0). */
export function addmm(input: Tensor, mat1: Tensor, mat2: Tensor, options?: AddProductOptions): Tensor {
  checkTensor(input, 'addmm');
  checkTensor(mat1, 'addmm', 'mat1');
  checkTensor(mat2, 'addmm', 'mat2');
  const { beta, alpha } = scalarsOf(options, 'addmm');
  checkMm('addmm', 'mat1', mat1, mat2);
  return addProduct('addmm', 'AddmmBackward0', input, mat1, mat2, beta, alpha, true);
}

/** β·input + α·(mat · vec), as PyTorch's `addmv` (AddmvBackward0). */
export function addmv(input: Tensor, mat: Tensor, vec: Tensor, options?: AddProductOptions): Tensor {
  checkTensor(input, 'addmv');
  checkTensor(mat, 'addmv', 'mat');
  checkTensor(vec, 'addmv', 'vec');
  const { beta, alpha } = scalarsOf(options, 'addmv');
  checkMv('addmv', mat, vec, input);
  return addProduct('addmv', 'AddmvBackward0', input, mat, vec, beta, alpha, true);
}

/** β·input + α·(batch1 @ batch2) batch by batch, as PyTorch's `baddbmm` (BaddbmmBackward0). */
export function baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor, options?: AddProductOptions): Tensor {
  checkTensor(input, 'baddbmm');
  checkTensor(batch1, 'baddbmm', 'batch1');
  checkTensor(batch2, 'baddbmm', 'batch2');
  const { beta, alpha } = scalarsOf(options, 'baddbmm');
  checkBmm('baddbmm', batch1, batch2);
  return addProduct('baddbmm', 'BaddbmmBackward0', input, batch1, batch2, beta, alpha);
}

/**
 * β·input + α·Σᵢ batch1[i] @ batch2[i], as PyTorch's `addbmm` (AddbmmBackward0): the sum of the batch's products is
 * one product of the batches laid side by side ([n, B·k] · [B·k, p]).
 */
export function addbmm(input: Tensor, batch1: Tensor, batch2: Tensor, options?: AddProductOptions): Tensor {
  checkTensor(input, 'addbmm');
  checkTensor(batch1, 'addbmm', 'batch1');
  checkTensor(batch2, 'addbmm', 'batch2');
  const { beta, alpha } = scalarsOf(options, 'addbmm');
  checkBmm('addbmm', batch1, batch2, true);
  const [B, n, k] = batch1.shape as [number, number, number];
  const p = batch2.shape[2]!;
  const a = reshape(batch1.transpose(0, 1), [n, B * k]);
  const b = reshape(batch2, [B * k, p]);
  return addProduct('addbmm', 'AddbmmBackward0', input, a, b, beta, alpha, true);
}
