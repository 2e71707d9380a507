// Wishart samples by the Bartlett decomposition, as PyTorch 1.13's Wishart._bartlett_sampling and rsample draw them:
// the square roots of Chi2(ν − i) draws on the diagonal, then torch.randn below it (in that order, so seeded samples
// are PyTorch's), W = (L·A)(L·A)ᵀ; and PyTorch's loop that draws again the samples its support check flags.
import { noGrad } from '../autograd/grad-mode.js';
import { stack } from '../ops/join.js';
import { randn, tensor, zeros } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Chi2 } from './gamma.js';
import { positiveDefiniteCheck } from './matrix-constraints.js';

const FLT_EPSILON = 2 ** -23;

/** What a Bartlett sample needs: the lower factor L (unbroadcast), Chi2(ν − i) over [...batch, p], and the batch. */
export interface BartlettParts {
  tril: Tensor;
  chi2: Chi2;
  batchShape: readonly number[];
}

/** One Bartlett sample of shape [...sampleShape, ...batch, p, p], differentiable wrt ν (through Chi2's rsample) and L. */
export function bartlettSample(parts: BartlettParts, sampleShape: readonly number[]): Tensor {
  const p = parts.tril.shape[parts.tril.ndim - 1]!;
  const diagonal = parts.chi2.rsample(sampleShape).sqrt().clamp(FLT_EPSILON).diagEmbed();
  const below = noGrad(() => {
    const mask = tensor(Array.from({ length: p * p }, (_, k) => (k % p < Math.floor(k / p) ? 1 : 0)), [p, p]);
    const shape = [...sampleShape, ...parts.batchShape];
    return zeros([...shape, p, p]).maskedScatter(mask, randn([...shape, (p * (p - 1)) / 2]));
  });
  const chol = parts.tril.matmul(diagonal.add(below));
  return chol.matmul(chol.mT);
}

/** For each of the `count` samples (of `batch` matrices each), whether any of its matrices is flagged. */
function anyOverBatch(flags: readonly boolean[], count: number): boolean[] {
  const batch = count === 0 ? 0 : flags.length / count;
  return Array.from({ length: count }, (_, i) => flags.slice(i * batch, (i + 1) * batch).some((x) => x));
}

/**
 * A sample as PyTorch 1.13's Wishart.rsample returns it. Its first check is not negated (PyTorch's `is_singular =
 * self.support.check(sample)`): the samples with a positive-definite matrix in their batch are drawn again, each
 * retry for those left, the later checks flagging the ones with a matrix that is not positive-definite, at most
 * `maxTryCorrection` times. `warn` is called when the loop starts (PyTorch's "Singular sample detected.").
 */
export function wishartSample(parts: BartlettParts, sampleShape: readonly number[], maxTryCorrection: number, warn: () => void): Tensor {
  const first = bartlettSample(parts, sampleShape);
  const count = sampleShape.reduce((a, b) => a * b, 1);
  const flagged = anyOverBatch(noGrad(() => positiveDefiniteCheck(first)), count);
  if (!flagged.some((x) => x)) return first;
  warn();
  if (maxTryCorrection <= 0) return first;
  const shape = first.shape;
  const flat = first.reshape([count, ...shape.slice(sampleShape.length)]);
  let rows = Array.from({ length: count }, (_, i) => flat.select(0, i));
  for (let t = 0; t < maxTryCorrection; t++) {
    const at = flagged.flatMap((x, i) => (x ? [i] : []));
    const fresh = bartlettSample(parts, [at.length]);
    const still = anyOverBatch(noGrad(() => positiveDefiniteCheck(fresh)).map((ok) => !ok), at.length);
    rows = rows.map((r, i) => (at.includes(i) ? fresh.select(0, at.indexOf(i)) : r));
    at.forEach((i, k) => { flagged[i] = still[k]!; });
    if (!flagged.some((x) => x)) break;
  }
  return stack(rows, 0).reshape(shape);
}
