// linalg.eigh and linalg.eigvalsh, as PyTorch 1.13's: the eigenvalues (ascending) and orthonormal eigenvectors of each
// symmetric matrix, reading the lower triangle ('L', the default) or the upper ('U'), by cyclic Jacobi rotations in
// float64, rounded once (LAPACK's eigenvectors are unique only up to sign: each is given with its largest entry
// positive). Backward as PyTorch's for a Hermitian matrix: V·(diag(gλ) + ½(Vᵀ·gV − (Vᵀ·gV)ᵀ) ⊘ (λⱼ − λᵢ))·Vᵀ.
import { record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { eye } from '../tensor/integers.js';
import { KindlingError } from '../errors.js';
import { checkOptions } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { checkTensor } from '../ops/util.js';
import { joined, matricesOf, mul64 } from './batches.js';
import { checkFloat, checkSquare, noBoolKernel } from './lu.js';

/** Eigenvalues (ascending) and eigenvectors (columns) of the symmetric n × n matrix `s`, in float64. */
export function jacobiEigen(s: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(s);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! * a[p * n + q]!;
    if (off < 1e-300) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (apq === 0) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - sn * akq;
          a[k * n + q] = sn * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - sn * aqk;
          a[q * n + k] = sn * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - sn * vkq;
          v[k * n + q] = sn * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[i * n + i]! - a[j * n + j]!);
  const values = Float64Array.from(order, (i) => a[i * n + i]!);
  const vectors = new Float64Array(n * n);
  order.forEach((col, k) => {
    let big = 0;
    for (let r = 0; r < n; r++) if (Math.abs(v[r * n + col]!) > Math.abs(big)) big = v[r * n + col]!;
    const sign = big < 0 ? -1 : 1;
    for (let r = 0; r < n; r++) vectors[r * n + k] = sign * v[r * n + col]!;
  });
  return { values, vectors };
}

/** The symmetric matrix a triangle of `m` stands for (the upper one with `upper`). */
export function symmetric(m: Float64Array, n: number, upper: boolean): Float64Array {
  const s = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const lower = i >= j;
      s[i * n + j] = lower !== upper || i === j ? m[i * n + j]! : m[j * n + i]!;
    }
  }
  return s;
}

export interface EighOptions { UPLO?: 'L' | 'U' | 'l' | 'u' }

function decompose(op: string, a: Tensor, options: EighOptions): { values: Float64Array[]; vectors: Float64Array[]; n: number } {
  checkTensor(a, op, 'A');
  checkFloat(a, op, noBoolKernel('linalg_eigh_cpu'));
  const n = checkSquare(a, op);
  const { UPLO: given = 'L' } = checkOptions(op, options, ['UPLO']);
  // PyTorch upper-cases the letter: 'l' and 'u' are accepted too.
  const UPLO = typeof given === 'string' ? given.toUpperCase() : given;
  if (UPLO !== 'L' && UPLO !== 'U') throw new KindlingError(`Expected UPLO argument to be 'L' or 'U', but got ${String(given)}`);
  const values: Float64Array[] = [];
  const vectors: Float64Array[] = [];
  for (const m of matricesOf(a)) {
    const e = jacobiEigen(symmetric(m, n, UPLO === 'U'), n);
    values.push(e.values);
    vectors.push(e.vectors);
  }
  return { values, vectors, n };
}

/** `[eigenvalues, eigenvectors]` of each symmetric matrix (PyTorch's `linalg.eigh`; also as `{ eigenvalues, eigenvectors }`). */
export function eigh(a: Tensor, options: EighOptions = {}): [Tensor, Tensor] & { eigenvalues: Tensor; eigenvectors: Tensor } {
  const { values, vectors, n } = decompose('linalg.eigh', a, options);
  const L = new Tensor(joined(values), a.shape.slice(0, -1));
  const V = new Tensor(joined(vectors), a.shape);
  // One node for both outputs' gradients: each output records the same backward, with the other's gradient absent.
  let gL: Float32Array | null = null;
  let gV: Float32Array | null = null;
  const back = (): Tensor => {
    const out: Float64Array[] = [];
    const lv = L.values();
    const vv = V.values();
    for (let b = 0; b < values.length; b++) {
      const v = Float64Array.from(vv.subarray(b * n * n, (b + 1) * n * n));
      const mid = new Float64Array(n * n);
      if (gV !== null) {
        const m = mul64(v, Float64Array.from(gV.subarray(b * n * n, (b + 1) * n * n)), n, n, n, true, false);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            if (i === j) continue;
            mid[i * n + j] = (0.5 * (m[i * n + j]! - m[j * n + i]!)) / (lv[b * n + j]! - lv[b * n + i]!);
          }
        }
      }
      if (gL !== null) for (let i = 0; i < n; i++) mid[i * n + i] = gL[b * n + i]!;
      out.push(mul64(mul64(v, mid, n, n, n), v, n, n, n, false, true));
    }
    return new Tensor(joined(out), a.shape);
  };
  const Lr = record(L, 'eigh', [a], (g) => {
    gL = g.values();
    const r = back();
    gL = null;
    return [r];
  }, [], 'LinalgEighBackward0');
  const Vr = record(V, 'eigh', [a], (g) => {
    gV = g.values();
    const r = back();
    gV = null;
    return [r];
  }, [], 'LinalgEighBackward0');
  // The gradients' graphs (createGraph): PyTorch's linalg_eig_backward written with ops on the two outputs,
  // V·diag(gL)·Vᵀ and V·(½(Vᵀg − gᵀV) / (λⱼ − λᵢ), 0 on the diagonal)·Vᵀ.
  twice(Lr, (g) => [Vr.mul(g.unsqueeze(-2)).matmul(Vr.transpose(-2, -1))]);
  twice(Vr, (g) => {
    const m = Vr.transpose(-2, -1).matmul(g);
    const id = eye(n);
    const gaps = Lr.unsqueeze(-2).sub(Lr.unsqueeze(-1)).add(id);
    const mid = m.sub(m.transpose(-2, -1)).mul(0.5).div(gaps).mul(id.neg().add(1));
    return [Vr.matmul(mid).matmul(Vr.transpose(-2, -1))];
  });
  return Object.assign([Lr, Vr] as [Tensor, Tensor], { eigenvalues: Lr, eigenvectors: Vr });
}

/** The eigenvalues (ascending) of each symmetric matrix (`linalg.eigvalsh`). */
export function eigvalsh(a: Tensor, options: EighOptions = {}): Tensor {
  const { values, vectors, n } = decompose('linalg.eigh', a, options);
  const L = new Tensor(joined(values), a.shape.slice(0, -1));
  const node = record(L, 'eigvalsh', [a], (g) => {
    const gv = g.values();
    const out = vectors.map((v, b) => {
      const mid = new Float64Array(n * n);
      for (let i = 0; i < n; i++) mid[i * n + i] = gv[b * n + i]!;
      return mul64(mul64(v, mid, n, n, n), v, n, n, n, false, true);
    });
    return [new Tensor(joined(out), a.shape)];
  }, [], 'LinalgEighBackward0');
  // Its gradient's graph: V·diag(g)·Vᵀ with the eigenvectors of a recorded eigh (which carry their own graphs).
  return twice(node, (g) => {
    const [, v] = eigh(a, options);
    return [v.mul(g.unsqueeze(-2)).matmul(v.transpose(-2, -1))];
  });
}
