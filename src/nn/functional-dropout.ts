// F.dropout1d, F.dropout2d, F.dropout3d, F.alphaDropout and F.featureAlphaDropout, as PyTorch 1.13's Python
// functions: their rank handling (dropout1d refuses other than 2-D or 3-D inputs; dropout2d warns for other than 3-D
// or 4-D and, as PyTorch's, treats a 3-D input as batched [N, C, L]; dropout3d warns for other than 4-D or 5-D and
// treats all but 5-D as unbatched), their defaults (alpha dropout's training is false by default, as PyTorch's) and
// inplace. Arguments in PyTorch's order, F.dropout2d(x, 0.5, true, false), or as one object { p, training, inplace,
// generator }. The masks are PyTorch's after the same manualSeed (ops/feature-dropout.ts).
import { warnOnce } from '../warn.js';
import { dropoutImpl, dropoutLeavesInput, checkDropoutP, type DropoutKind } from '../ops/feature-dropout.js';
import { inPlaceOf } from '../ops/inplace.js';
import { checkTensor } from '../ops/util.js';
import { describeValue, inplaceOption, layerArguments } from '../options.js';
import type { Generator } from '../random.js';
import type { Tensor } from '../tensor/tensor.js';

/** The options of the channel-wise and alpha dropouts: PyTorch's keywords, and a generator to draw the mask from. */
export interface FeatureDropoutOptions {
  p?: number;
  training?: boolean;
  inplace?: boolean;
  generator?: Generator;
}

type Rest = [p?: number | FeatureDropoutOptions, training?: boolean | FeatureDropoutOptions, inplace?: boolean | FeatureDropoutOptions, generator?: Generator];

interface Parsed { p: number; training: boolean; inplace: boolean; generator: Generator | undefined }

function parse(where: string, rest: ArrayLike<unknown>, trainingDefault: boolean): Parsed {
  const args = layerArguments(where, rest, ['p', 'training', 'inplace', 'generator'], `F.${where}(x, 0.5, ${trainingDefault}, false)`);
  const p = checkDropoutP(where, args['p'] ?? 0.5);
  const training = args['training'] ?? trainingDefault;
  if (typeof training !== 'boolean') throw new TypeError(`${where}: training must be true or false, got ${describeValue(training)}`);
  return { p, training, inplace: inplaceOption(where, args['inplace']), generator: args['generator'] as Generator | undefined };
}

const FEATURE: DropoutKind = { feature: true, alpha: false };

/** feature_dropout (or its in-place form), of x unsqueezed to a batch of one when `unbatched`, squeezed back. */
function featureDropout(x: Tensor, a: Parsed, kind: DropoutKind, unbatched: boolean, op: string): Tensor {
  const compute = (s: Tensor): Tensor => {
    if (!unbatched) return dropoutImpl(s, a.p, a.training, kind, a.generator);
    const y = dropoutImpl(s.unsqueeze(0), a.p, a.training, kind, a.generator);
    return y.squeeze(0);
  };
  if (!a.inplace) return compute(x);
  // Unbatched, PyTorch's unsqueeze_ changes the input even when the dropout does not, so a leaf is refused there too.
  if (!unbatched && dropoutLeavesInput(x, a.p, a.training)) return x;
  return inPlaceOf(x, op, compute, false);
}

/**
 * Zeroes whole channels of a [C, L] or [N, C, L] input, each with probability p, and scales the others by
 * 1 / (1 − p), as PyTorch's `F.dropout1d(input, p=0.5, training=True, inplace=False)`.
 * @throws RangeError for another rank (PyTorch's message) or p outside [0, 1].
 */
export function dropout1d(input: Tensor, ...rest: Rest): Tensor {
  checkTensor(input, 'dropout1d');
  const a = parse('dropout1d', rest, true);
  const d = input.ndim;
  if (d !== 2 && d !== 3) {
    throw new RangeError(`dropout1d: Expected 2D or 3D input, but received a ${d}D input. Note that dropout1d exists to provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D inputs).`);
  }
  return featureDropout(input, a, FEATURE, d === 2, 'feature_dropout_');
}

/**
 * Zeroes whole channels of an [N, C, H, W] input, as PyTorch's `F.dropout2d(input, p=0.5, training=True,
 * inplace=False)`: other ranks warn as PyTorch's (deprecated there), and a 3-D input is taken as [N, C, L] (PyTorch
 * 1.13's historical behaviour, with its warning), not as an unbatched [C, H, W].
 */
export function dropout2d(input: Tensor, ...rest: Rest): Tensor {
  checkTensor(input, 'dropout2d');
  const a = parse('dropout2d', rest, true);
  const d = input.ndim;
  if (d !== 3 && d !== 4) {
    warnOnce(`dropout2d: Received a ${d}-D input to dropout2d, which is deprecated and will result in an error in a future release. To retain the behavior and silence this warning, please use dropout instead. Note that dropout2d exists to provide channel-wise dropout on inputs with 2 spatial dimensions, a channel dimension, and an optional batch dimension (i.e. 3D or 4D inputs).`);
  }
  if (d === 3) {
    warnOnce('dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout behavior is desired - input is interpreted as shape (N, C, L), where C is the channel dim. This behavior will change in a future release to interpret the input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D channel-wise dropout behavior, please switch to using dropout1d instead.');
  }
  return featureDropout(input, a, FEATURE, false, 'feature_dropout_');
}

/**
 * Zeroes whole channels of an [N, C, D, H, W] or unbatched [C, D, H, W] input, as PyTorch's `F.dropout3d(input,
 * p=0.5, training=True, inplace=False)`: other ranks warn as PyTorch's and are taken as unbatched.
 */
export function dropout3d(input: Tensor, ...rest: Rest): Tensor {
  checkTensor(input, 'dropout3d');
  const a = parse('dropout3d', rest, true);
  const d = input.ndim;
  if (d !== 4 && d !== 5) {
    warnOnce(`dropout3d: Received a ${d}-D input to dropout3d, which is deprecated and will result in an error in a future release. To retain the behavior and silence this warning, please use dropout instead. Note that dropout3d exists to provide channel-wise dropout on inputs with 3 spatial dimensions, a channel dimension, and an optional batch dimension (i.e. 4D or 5D inputs).`);
  }
  return featureDropout(input, a, FEATURE, d !== 5, 'feature_dropout_');
}

/**
 * Alpha dropout (for SELU networks), as PyTorch's `F.alpha_dropout(input, p=0.5, training=False, inplace=False)`:
 * each dropped element becomes −α·a + α·a·p and the kept ones x·a + α·a·p, a = 1/√((α²p + 1)(1 − p)), keeping
 * zero mean and unit variance. Note PyTorch's default: training false (the input itself).
 */
export function alphaDropout(input: Tensor, ...rest: Rest): Tensor {
  checkTensor(input, 'alphaDropout');
  const a = parse('alphaDropout', rest, false);
  const kind: DropoutKind = { feature: false, alpha: true };
  const compute = (s: Tensor): Tensor => dropoutImpl(s, a.p, a.training, kind, a.generator);
  if (a.inplace && dropoutLeavesInput(input, a.p, a.training)) return input;
  return a.inplace ? inPlaceOf(input, 'alpha_dropout_', compute, false) : compute(input);
}

/**
 * Alpha dropout of whole channels (dim 1 of an input of at least 2 dimensions), as PyTorch's
 * `F.feature_alpha_dropout(input, p=0.5, training=False, inplace=False)`.
 */
export function featureAlphaDropout(input: Tensor, ...rest: Rest): Tensor {
  checkTensor(input, 'featureAlphaDropout');
  const a = parse('featureAlphaDropout', rest, false);
  const kind: DropoutKind = { feature: true, alpha: true };
  const compute = (s: Tensor): Tensor => dropoutImpl(s, a.p, a.training, kind, a.generator);
  if (a.inplace && dropoutLeavesInput(input, a.p, a.training)) return input;
  return a.inplace ? inPlaceOf(input, 'feature_alpha_dropout_', compute, false) : compute(input);
}
