/**
 * PyTorch 1.13's `torch.nn.utils.parametrizations`, built on parametrize.ts: `orthogonal(layer)` keeps a weight
 * orthogonal (its columns, or rows when wide, orthonormal) through the matrix exponential or the Cayley map of a
 * skew-symmetric matrix, or a product of Householder reflections, times the orthonormal `base` the weight started
 * from; `spectralNorm(layer)` divides the weight by its largest singular value, estimated by power iteration on the
 * buffers `_u` and `_v` at each read in training mode. Their state dicts carry PyTorch's names
 * (`parametrizations.weight.original`, `parametrizations.weight.0.base`, `…0._u`, `…0._v`).
 */
import { noGrad } from '../../autograd/grad-mode.js';
import { KindlingError } from '../../errors.js';
import { householderProduct } from '../../linalg/householder.js';
import { solve } from '../../linalg/inverse.js';
import { matrixExp } from '../../linalg/pinv.js';
import { qr } from '../../linalg/qr.js';
import { boundArguments, describeValue, type PositionalThenOptions } from '../../options.js';
import { cat } from '../../ops/join.js';
import { normalize } from '../../ops/normalize.js';
import { randn, tensor, zeros } from '../../tensor/creation.js';
import { eye } from '../../tensor/integers.js';
import { formatShape, sameShape } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { ConvTranspose1d, ConvTranspose2d, ConvTranspose3d } from '../conv-transpose.js';
import { Module } from '../module.js';
import { registerParametrization } from './parametrize.js';

const f32Eps = 1.1920928955078125e-7;

/** The last two dimensions swapped (PyTorch's `.mT`). */
const mT = (x: Tensor): Tensor => x.transpose(-2, -1);

/**
 * A constant row of each matrix's diagonal entries, cast (PyTorch's `.int()`: towards zero; or `.sgn()`), no gradient:
 * [...batch, 1, min(n, k)] for a batch of matrices [...batch, n, k] (a conv weight is one, PyTorch's `unsqueeze(-2)`).
 */
function diagonalSigns(x: Tensor, cast: (v: number) => number): Tensor {
  const diagonal = x.detach().diagonal(0, -2, -1);
  const d = [...diagonal.contiguous().toArray()].map(cast);
  return tensor(d, [...diagonal.shape.slice(0, -1), 1, diagonal.shape[diagonal.ndim - 1]!]);
}

/** The orthogonal factor of A's QR decomposition whose R has a positive diagonal (PyTorch's `_make_orthogonal`). */
function makeOrthogonal(a: Tensor): Tensor {
  const { Q, R } = qr(a);
  return Q.mul(diagonalSigns(R, Math.sign));
}

/** Whether Qᵀ·Q is the identity within 10·n·ε (PyTorch's `_is_orthogonal`). */
function isOrthogonal(q: Tensor): boolean {
  const [n, k] = [q.shape[q.ndim - 2]!, q.shape[q.ndim - 1]!];
  const atol = 10 * n * f32Eps;
  const p = mT(q).matmul(q).toArray();
  for (let i = 0; i < p.length; i++) {
    const want = Math.floor(i / k) % k === i % k ? 1 : 0;
    if (!(Math.abs(p[i]! - want) <= atol + 1e-5 * Math.abs(want))) return false;
  }
  return true;
}

export type OrthogonalMap = 'matrix_exp' | 'cayley' | 'householder';

/** PyTorch's `_Orthogonal` parametrization (its name too, as the printing shows it). */
// eslint-disable-next-line @typescript-eslint/naming-convention
export class _Orthogonal extends Module {
  readonly shape: readonly number[];
  readonly orthogonalMap: OrthogonalMap;

  constructor(weight: Tensor, orthogonalMap: OrthogonalMap) {
    super();
    this.shape = [...weight.shape];
    this.orthogonalMap = orthogonalMap;
    this.registerBuffer('base', null);
  }

  forward(x: Tensor): Tensor {
    let [n, k] = [x.shape[x.ndim - 2]!, x.shape[x.ndim - 1]!];
    const transposed = n < k;
    if (transposed) {
      x = mT(x);
      [n, k] = [k, n];
    }
    let q: Tensor;
    if (this.orthogonalMap === 'matrix_exp' || this.orthogonalMap === 'cayley') {
      let lower = x.tril();
      if (n !== k) lower = cat([lower, zeros([...lower.shape.slice(0, -1), n - k])], -1);
      const a = lower.sub(mT(lower));
      if (this.orthogonalMap === 'matrix_exp') {
        q = matrixExp(a);
      } else {
        const id = eye(n);
        q = solve(id.sub(a.mul(0.5)), id.add(a.mul(0.5)));
      }
      if (n !== k) q = q.narrow(-1, 0, k);
    } else {
      const a = x.tril(-1);
      const tau = a.mul(a).sum(-2).add(1).reciprocal().mul(2);
      q = householderProduct(a, tau).mul(diagonalSigns(x, Math.trunc));
    }
    // The orthonormal matrix the weight started from (the buffer `base`, set by rightInverse).
    const base = this.getBuffer('base');
    if (base !== null) q = base.matmul(q);
    return transposed ? mT(q) : q;
  }

  /** Takes the weight `q` as the new base (orthonormalised; a tall one completed with normal draws) and returns −I. */
  rightInverse(q: Tensor): Tensor {
    return noGrad(() => {
      if (!sameShape(q.shape, this.shape)) {
        throw new KindlingError(`Expected a matrix or batch of matrices of shape ${formatShape(this.shape)}. Got a tensor of shape ${formatShape(q.shape)}.`);
      }
      const initial = q;
      let [n, k] = [q.shape[q.ndim - 2]!, q.shape[q.ndim - 1]!];
      if (n < k) {
        q = mT(q);
        [n, k] = [k, n];
      }
      let base: Tensor;
      if (n === k) base = isOrthogonal(q) ? q.clone() : makeOrthogonal(q);
      else base = makeOrthogonal(cat([q, randn([...q.shape.slice(0, -2), n, n - k])], -1));
      this.registerBuffer('base', base.contiguous());
      const negId = zeros([...initial.shape]);
      negId.diagonal(0, -2, -1).fill_(-1);
      return negId;
    });
  }
}

/** The name of the tensor to parametrize ('weight' when left out), a string. */
function checkName(where: string, name: unknown): string {
  if (name === undefined) return 'weight';
  if (typeof name !== 'string') throw new TypeError(`${where}: name must be the name of a parameter or buffer, such as 'weight', got ${describeValue(name)}`);
  return name;
}

/** The options of `orthogonal`, PyTorch's keywords. */
export interface OrthogonalOptions {
  readonly orthogonalMap?: OrthogonalMap | null;
  readonly useTrivialization?: boolean;
}

/**
 * Keeps `module[name]` orthogonal, PyTorch's `parametrizations.orthogonal(module, name='weight',
 * orthogonal_map=None, use_trivialization=True)`: the map is `'matrix_exp'` for a square weight and `'householder'`
 * otherwise unless told. The weight starts as the orthonormal factor of its QR decomposition. The name and map come
 * by position, as PyTorch's, or as options. Returns the module.
 */
export function orthogonal<M extends Module>(module: M, ...args: PositionalThenOptions<[name: string, orthogonalMap: OrthogonalMap | null], OrthogonalOptions & { readonly name?: string }>): M {
  // PyTorch's orthogonal(module, name='weight', orthogonal_map=None, *, use_trivialization=True).
  const o: OrthogonalOptions & { name?: string } = boundArguments('orthogonal', [module, ...args], 1, ['name', 'orthogonalMap'], ['useTrivialization'], "orthogonal(layer, 'weight', 'cayley') or orthogonal(layer, { orthogonalMap: 'cayley' })");
  const name = checkName('orthogonal', o.name);
  if (o.useTrivialization === false) throw new KindlingError('orthogonal: useTrivialization false is not supported by Kindling (it needs LAPACK\'s geqrf reflectors); leave it true, PyTorch\'s default');
  const weight = (module as unknown as Record<string, unknown>)[name];
  if (!(weight instanceof Tensor)) throw new KindlingError(`Module '${String(module)}' has no parameter or buffer with name '${name}'`);
  if (weight.ndim < 2) throw new KindlingError(`Expected a matrix or batch of matrices. Got a tensor of ${weight.ndim} dimensions.`);
  const map = o.orthogonalMap ?? (weight.shape[weight.ndim - 2] === weight.shape[weight.ndim - 1] ? 'matrix_exp' : 'householder');
  if (map !== 'matrix_exp' && map !== 'cayley' && map !== 'householder') {
    throw new KindlingError(`orthogonal_map has to be one of "matrix_exp", "cayley", "householder". Got: ${typeof map === 'string' ? map : describeValue(map)}`);
  }
  return registerParametrization(module, name, new _Orthogonal(weight, map), { unsafe: true });
}

/** PyTorch's `_SpectralNorm` parametrization (its name too, as the printing shows it). */
// eslint-disable-next-line @typescript-eslint/naming-convention
export class _SpectralNorm extends Module {
  readonly dim: number;
  readonly eps: number;
  readonly nPowerIterations: number;

  constructor(weight: Tensor, nPowerIterations = 1, dim = 0, eps = 1e-12) {
    super();
    const ndim = weight.ndim;
    if (!Number.isInteger(dim) || dim >= ndim || dim < -ndim) throw new RangeError(`Dimension out of range (expected to be in range of [-${ndim}, ${ndim - 1}] but got ${String(dim)})`);
    if (!Number.isInteger(nPowerIterations) || nPowerIterations <= 0) throw new KindlingError(`Expected n_power_iterations to be positive, but got n_power_iterations=${String(nPowerIterations)}`);
    if (typeof eps !== 'number' || !(eps >= 0)) throw new TypeError(`spectralNorm: eps must be a non-negative number, got ${describeValue(eps)}`);
    this.dim = dim < 0 ? dim + ndim : dim;
    this.eps = eps;
    this.nPowerIterations = nPowerIterations;
    if (ndim > 1) {
      const [h, w] = this.matrix(weight).shape as [number, number];
      noGrad(() => {
        this.registerBuffer('_u', normalize(zeros([h]).normal_(0, 1), { dim: 0, eps }));
        this.registerBuffer('_v', normalize(zeros([w]).normal_(0, 1), { dim: 0, eps }));
      });
      this.powerMethod(this.matrix(weight), 15);
    }
  }

  /** The weight as a matrix [its `dim` size, the rest] (PyTorch's `_reshape_weight_to_matrix`). */
  private matrix(weight: Tensor): Tensor {
    const w = this.dim === 0 ? weight : weight.permute([this.dim, ...weight.shape.map((_, i) => i).filter((i) => i !== this.dim)]);
    return w.flatten(1);
  }

  /** `n` steps of power iteration on the buffers, in place and outside the graph. */
  private powerMethod(matrix: Tensor, n: number): void {
    noGrad(() => {
      const u = this.getBuffer('_u')!;
      const v = this.getBuffer('_v')!;
      for (let i = 0; i < n; i++) {
        u.copy_(normalize(matrix.mv(v), { dim: 0, eps: this.eps }));
        v.copy_(normalize(matrix.t().mv(u), { dim: 0, eps: this.eps }));
      }
    });
  }

  forward(weight: Tensor): Tensor {
    if (weight.ndim === 1) return normalize(weight, { dim: 0, eps: this.eps });
    const matrix = this.matrix(weight);
    if (this.training) this.powerMethod(matrix, this.nPowerIterations);
    const u = this.getBuffer('_u')!.clone();
    const v = this.getBuffer('_v')!.clone();
    return weight.div(u.vdot(matrix.mv(v)));
  }

  rightInverse(value: Tensor): Tensor {
    return value;
  }
}

/** The options of `spectralNorm`, PyTorch's keywords. */
export interface ParametrizedSpectralNormOptions {
  readonly nPowerIterations?: number;
  readonly eps?: number;
  /** The weight's output dimension (default 0, or 1 for the transposed convolutions). */
  readonly dim?: number | null;
}

/**
 * Spectral normalisation as a parametrization, PyTorch's `parametrizations.spectral_norm(module, name='weight',
 * n_power_iterations=1, eps=1e-12, dim=None)` (the newer form of `nn.utils.spectralNorm`): `_u` and `_v` drawn
 * N(0, 1) after the same seed as PyTorch's, normalised and iterated 15 times at registration. The arguments come by
 * position, in PyTorch's order, or as options. Returns the module.
 */
export function spectralNorm<M extends Module>(
  module: M, ...args: PositionalThenOptions<[name: string, nPowerIterations: number, eps: number, dim: number | null], ParametrizedSpectralNormOptions & { readonly name?: string }>
): M {
  // PyTorch's spectral_norm(module, name='weight', n_power_iterations=1, eps=1e-12, dim=None).
  const o: ParametrizedSpectralNormOptions & { name?: string } = boundArguments('spectralNorm', [module, ...args], 1, ['name', 'nPowerIterations', 'eps', 'dim'], [], "spectralNorm(layer, 'weight', 1, 1e-12, 0) or spectralNorm(layer, { nPowerIterations: 1 })");
  const name = checkName('spectralNorm', o.name);
  const weight = (module as unknown as Record<string, unknown>)[name];
  if (!(weight instanceof Tensor)) throw new KindlingError(`Module '${String(module)}' has no parameter or buffer with name '${name}'`);
  const transposed = module instanceof ConvTranspose1d || module instanceof ConvTranspose2d || module instanceof ConvTranspose3d;
  const dim = o.dim ?? (transposed ? 1 : 0);
  return registerParametrization(module, name, new _SpectralNorm(weight, o.nPowerIterations ?? 1, dim, o.eps ?? 1e-12));
}
