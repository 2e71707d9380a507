// torch.svd and torch.qr, PyTorch's older forms of linalg.svd and linalg.qr (Tensor.svd, Tensor.qr too): `some`
// chooses the reduced factors, and svd gives V rather than Vᴴ.
import { KindlingError } from '../errors.js';
import { describeValue } from '../options.js';
import { zeros } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { qr } from './qr.js';
import { svd, svdvals } from './svd.js';

/**
 * PyTorch's `torch.svd(input, some=True, compute_uv=True)`: `[U, S, V]` with A = U·diag(S)·Vᴴ (V, not linalg.svd's
 * Vh), reduced with `some`; without `computeUv`, U and V are zeros of shapes [m, m] and [n, n] and only S is
 * computed (S still has its gradient, linalg.svdvals'). Its gradients are linalg.svd's.
 */
export function svdLegacy(a: Tensor, some = true, computeUv = true): [Tensor, Tensor, Tensor] & { U: Tensor; S: Tensor; V: Tensor } {
  if (typeof some !== 'boolean' || typeof computeUv !== 'boolean') throw new TypeError(`svd: some and computeUv must be true or false, got ${describeValue(some)} and ${describeValue(computeUv)}`);
  if (a instanceof Tensor && a.ndim < 2) throw new KindlingError(`linalg.svd: input should have at least 2 dimensions, but has ${a.ndim} dimensions instead`);
  const [m, n] = a.shape.slice(-2) as [number, number];
  const batch = a.shape.slice(0, -2);
  let parts: [Tensor, Tensor, Tensor];
  if (computeUv) {
    const [U, S, Vh] = svd(a, { fullMatrices: !some });
    parts = [U, S, Vh.mH];
  } else {
    // S is linalg.svdvals', with its gradient (LinalgSvdBackward0), as PyTorch's.
    const S = svdvals(a);
    parts = [zeros([...batch, m, m]), S, zeros([...batch, n, n])];
  }
  return Object.assign(parts, { U: parts[0], S: parts[1], V: parts[2] });
}

/** PyTorch's `torch.qr(input, some=True)`: `[Q, R]`, reduced with `some`, complete without (linalg.qr's modes). */
export function qrLegacy(a: Tensor, some = true): [Tensor, Tensor] & { Q: Tensor; R: Tensor } {
  if (typeof some !== 'boolean') throw new TypeError(`qr: some must be true or false, got ${describeValue(some)}`);
  return qr(a, some ? 'reduced' : 'complete');
}
