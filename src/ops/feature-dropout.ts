// PyTorch 1.13's _dropout_impl for feature_dropout, alpha_dropout and feature_alpha_dropout on the CPU: one noise
// value per element (alpha) or per channel (feature: shape [N, C, 1, …]) from bernoulli_(1 − p), the same draws as
// F.dropout's (one float64 per noise value, row-major), so after manualSeed the masks are PyTorch's. Feature dropout
// multiplies by noise / (1 − p) (MulBackward0); alpha dropout by noise·a and adds b = (noise − 1)·α·a + α·a·p, each
// step rounded to float32 as PyTorch's in-place float ops (AddBackward0).
import { bernoulliDraws } from './bernoulli-draws.js';
import { getDefaultGenerator, type Generator } from '../random.js';
import { Tensor } from '../tensor/tensor.js';
import { describeValue } from '../options.js';
import { checkTensor, empty } from './util.js';

/** SELU's negative saturation, PyTorch's alpha of alpha dropout. */
const ALPHA = 1.7580993408473766;

/** Which of PyTorch's _dropout_impl variants. */
export interface DropoutKind {
  readonly feature: boolean;
  readonly alpha: boolean;
}

/** PyTorch's refusal of a probability outside [0, 1] (its ValueError's words). */
export function checkDropoutP(where: string, p: unknown): number {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new RangeError(`${where}: dropout probability has to be between 0 and 1, but got ${describeValue(p)}`);
  return p;
}

/**
 * Whether PyTorch's _dropout_impl gives its input back untouched: outside training, with p = 0, or for an empty
 * input. An in-place dropout then changes nothing and skips the in-place checks, so a leaf that requires grad passes,
 * as in PyTorch (`nn.Dropout(0.2, inplace=True)` in evaluation mode on an input that requires grad).
 */
export function dropoutLeavesInput(x: Tensor, p: number, training: boolean): boolean {
  return !training || p === 0 || x.numel() === 0;
}

/** The op's name as PyTorch's ATen calls it. */
function opName(kind: DropoutKind): string {
  return kind.feature ? (kind.alpha ? 'feature_alpha_dropout' : 'feature_dropout') : 'alpha_dropout';
}

/**
 * PyTorch's _dropout_impl: the input itself outside training, with p = 0 or when empty; input × 0 with p = 1;
 * else the noise drawn from `generator` (the default one when left out) and applied as described above.
 * @throws RangeError for p outside [0, 1]; for a feature dropout of a tensor of fewer than 2 dimensions while
 * training (PyTorch's "Feature dropout requires at least 2 dimensions in the input").
 */
export function dropoutImpl(x: Tensor, p: number, training: boolean, kind: DropoutKind, generator?: Generator): Tensor {
  const name = opName(kind);
  checkTensor(x, name);
  checkDropoutP(name, p);
  if (typeof training !== 'boolean') throw new TypeError(`${name}: training must be true or false, got ${describeValue(training)}`);
  if (p === 0 || !training || x.numel() === 0) return x;
  if (p === 1) return x.mul(empty([]));
  if (kind.feature && x.ndim < 2) throw new RangeError(`${name}: Feature dropout requires at least 2 dimensions in the input (got a ${x.ndim}-D input of shape [${x.shape.join(', ')}])`);
  const noiseShape = kind.feature ? x.shape.map((s, i) => (i < 2 ? s : 1)) : [...x.shape];
  const noise = empty(noiseShape);
  const nv = noise.data;
  bernoulliDraws(generator ?? getDefaultGenerator(), 1 - p, 1, nv);
  if (!kind.alpha) {
    const scale = Math.fround(1 / Math.fround(1 - p));
    for (let i = 0; i < nv.length; i++) nv[i] = Math.fround(nv[i]! * scale);
    return x.mul(noise);
  }
  const a = 1 / Math.sqrt((ALPHA * ALPHA * p + 1) * (1 - p));
  const alphaA = Math.fround(ALPHA * a);
  const alphaAP = Math.fround(ALPHA * a * p);
  const fa = Math.fround(a);
  const b = empty(noiseShape);
  const bv = b.data;
  for (let i = 0; i < nv.length; i++) {
    bv[i] = Math.fround(Math.fround(Math.fround(nv[i]! - 1) * alphaA) + alphaAP);
    nv[i] = Math.fround(nv[i]! * fa);
  }
  return x.mul(noise).add(b);
}
