/**
 * nn.utils.rnn.unpadSequence and unpackSequence, PyTorch 1.13's `unpad_sequence` and `unpack_sequence`: the
 * inverses of padSequence and packSequence, a list of the sequences [Lᵢ, *] again. Each is PyTorch's `seq[mask]` of
 * its row of the padded batch, a copy with the gradient going back (IndexBackward0). PyTorch's unpad_sequence
 * transposes the caller's padded tensor in place when it is not batch first (`padded_sequences.transpose_(0, 1)`);
 * Kindling leaves it as it was.
 */
import { KindlingError } from '../../errors.js';
import { arange } from '../../tensor/creation.js';
import { checkOptions, describeValue, isPlainObject } from '../../options.js';
import { formatShape } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { padPackedSequence, PackedSequence } from './packed-sequence.js';

/**
 * The sequences of a padded batch `paddedSequences` ([T, B, *], or [B, T, *] with batchFirst), sequence b the first
 * `lengths[b]` steps of its row, as PyTorch's `unpad_sequence(padded_sequences, lengths, batch_first=False)`.
 *
 * @example
 * const padded = nn.utils.rnn.padSequence([a, b, c]);            // a [3, 2], b [1, 2], c [2, 2] → [3, 3, 2]
 * const [a2, b2, c2] = nn.utils.rnn.unpadSequence(padded, [3, 1, 2]);   // a2 [3, 2], b2 [1, 2], c2 [2, 2]
 */
export function unpadSequence(paddedSequences: Tensor, lengths: readonly number[] | Tensor, batchFirst: boolean | { batchFirst?: boolean } = false): Tensor[] {
  const where = 'unpadSequence';
  if (!(paddedSequences instanceof Tensor)) throw new TypeError(`${where}: paddedSequences must be a Tensor, got ${describeValue(paddedSequences)}`);
  const bf = isPlainObject(batchFirst) ? checkOptions<{ batchFirst?: boolean }>(where, batchFirst, ['batchFirst']).batchFirst ?? false : batchFirst;
  if (typeof bf !== 'boolean') throw new TypeError(`${where}: batchFirst must be true or false, got ${describeValue(bf)}`);
  if (paddedSequences.ndim < 2) throw new KindlingError(`${where}: paddedSequences must be [T, B, *] (or [B, T, *] with batchFirst), got shape ${formatShape(paddedSequences.shape)}`);
  const lens = lengths instanceof Tensor && lengths.ndim === 1 ? [...lengths.values()] : Array.isArray(lengths) ? (lengths as unknown[]) : null;
  if (lens === null || !lens.every((v) => Number.isInteger(v))) throw new TypeError(`${where}: lengths must be an array (or 1-D tensor) of whole numbers, got ${describeValue(lengths)}`);
  const rows = bf ? paddedSequences : paddedSequences.transpose(0, 1);
  const [batch, steps] = [rows.shape[0]!, rows.shape[1]!];
  // PyTorch zips the rows with the lengths, dropping what one has more of: Kindling asks for one length per row.
  if (lens.length !== batch) throw new KindlingError(`${where}: got ${lens.length} lengths for a batch of ${batch} sequences (shape ${formatShape(paddedSequences.shape)}${bf ? ', batch first' : ''})`);
  // PyTorch's mask arange(T) < length: a length past T takes the whole row, one of 0 or less none of it.
  return (lens as number[]).map((l, b) => rows.select(0, b).index([arange(Math.min(Math.max(l, 0), steps))]));
}

/**
 * The sequences of a packed batch, in the order they were packed, as PyTorch's `unpack_sequence(packed_sequences)`:
 * padPackedSequence (batch first), then unpadSequence with its lengths.
 *
 * @example
 * const packed = nn.utils.rnn.packSequence([a, b, c], false);
 * const [a2, b2, c2] = nn.utils.rnn.unpackSequence(packed);     // a, b and c again
 */
export function unpackSequence(packedSequences: PackedSequence): Tensor[] {
  if (!(packedSequences instanceof PackedSequence)) throw new TypeError(`unpackSequence: expects a PackedSequence (from packPaddedSequence or packSequence), got ${describeValue(packedSequences)}`);
  const [padded, lengths] = padPackedSequence(packedSequences, { batchFirst: true });
  return unpadSequence(padded, lengths, true);
}
