// unflatten and rot90, as PyTorch 1.13's: unflatten is a view (ViewBackward0, as PyTorch's view); rot90 a copy
// whose gradient is the output gradient rotated back (Rot90Backward0).
import { noGrad } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { KindlingError } from '../errors.js';
import { describeValue } from '../options.js';
import { formatShape, normalizeDim } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { flip } from './flip.js';
import { checkTensor } from './util.js';
import { transpose, view } from './view.js';

/** Dimension `dim` split into `sizes` (one of them may be −1, inferred), as `torch.unflatten`: a view. */
export function unflatten(x: Tensor, dim: number, sizes: readonly number[]): Tensor {
  checkTensor(x, 'unflatten');
  if (x.ndim === 0) throw new KindlingError(`unflatten: Dimension specified as ${dim} but tensor has no dimensions`);
  const d = normalizeDim(dim, x.ndim, 'unflatten');
  if (!Array.isArray(sizes)) throw new TypeError(`unflatten: sizes must be an array of integers, got ${describeValue(sizes)}`);
  if (sizes.length === 0) throw new KindlingError('unflatten: sizes must be non-empty');
  for (const s of sizes) if (!Number.isInteger(s) || s < -1) throw new KindlingError(`unflatten: sizes must be integers ≥ 0 (or one −1), got ${describeValue(s)} in [${sizes.join(', ')}]`);
  const n = x.shape[d]!;
  const inferred = sizes.filter((s) => s === -1).length;
  if (inferred > 1) throw new KindlingError(`unflatten: only one dimension can be inferred (-1), got sizes [${sizes.join(', ')}]`);
  const known = sizes.reduce((p, s) => (s === -1 ? p : p * s), 1);
  const fits = inferred === 1 ? known > 0 && n % known === 0 : known === n;
  if (!fits) throw new KindlingError(`unflatten: Provided sizes [${sizes.join(', ')}] don't multiply up to the size of dim ${dim} (${n}) in the input tensor`);
  const full = sizes.map((s) => (s === -1 ? n / known : s));
  return view(x, [...x.shape.slice(0, d), ...full, ...x.shape.slice(d + 1)]);
}

/**
 * x rotated by 90° `k` times in the plane of `dims` (from the first dimension toward the second), as `torch.rot90`:
 * a copy.
 */
export function rot90(x: Tensor, k = 1, dims: readonly number[] = [0, 1]): Tensor {
  checkTensor(x, 'rot90');
  if (!Number.isInteger(k)) throw new TypeError(`rot90: k must be an integer, got ${describeValue(k)}`);
  if (!Array.isArray(dims)) throw new TypeError(`rot90: dims must be an array of two dimensions, got ${describeValue(dims)}`);
  if (dims.length !== 2) throw new KindlingError(`rot90: expected total rotation dims == 2, but got dims = ${dims.length}`);
  if (x.ndim < 2) throw new KindlingError(`rot90: expected total dims >= 2, but got total dims = ${x.ndim} (shape ${formatShape(x.shape)})`);
  // PyTorch compares the dims as given (0 and −2 of a 2-D tensor are the same one), before it normalizes them.
  const [a0, b0] = [dims[0]!, dims[1]!];
  if (a0 === b0 || Math.abs(a0 - b0) === x.ndim) throw new KindlingError(`rot90: expected rotation dims to be different, but got dim0 = ${a0} and dim1 = ${b0}`);
  const [a, b] = [normalizeDim(a0, x.ndim, 'rot90'), normalizeDim(b0, x.ndim, 'rot90')];
  const turns = ((k % 4) + 4) % 4;
  const turned = noGrad(() => {
    if (turns === 1) return transpose(flip(x, [b]), a, b);
    if (turns === 2) return flip(x, [a, b]);
    if (turns === 3) return transpose(flip(x, [a]), a, b);
    return x;
  });
  const out = new Tensor(turned.toArray(), turned.shape);
  // Its gradient is rot90 the other way, an op itself: the same function is its graph (createGraph).
  const back = (g: Tensor): Tensor[] => [rot90(g, -k, [a, b])];
  return twice(record(out, 'rot90', [x], back, [], 'Rot90Backward0'), back);
}
