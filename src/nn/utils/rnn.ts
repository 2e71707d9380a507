// nn.utils.rnn.padSequence, as PyTorch 1.13's torch.nn.utils.rnn.pad_sequence, the packed sequences (packed-sequence.ts)
// and their inverses unpadSequence and unpackSequence (unpad-sequence.ts).
import { record } from '../../autograd/record.js';
import { twice } from '../../autograd/twice.js';
import { pick } from '../../ops/gather.js';
import { checkOptions, describeValue, isPlainObject } from '../../options.js';
import { empty } from '../../ops/util.js';
import { Tensor } from '../../tensor/tensor.js';

export { PackedSequence, packPaddedSequence, padPackedSequence, packSequence, type PackOptions, type PadPackedOptions } from './packed-sequence.js';
export { unpackSequence, unpadSequence } from './unpad-sequence.js';

export interface PadSequenceOptions {
  /** The batch first, [B, T, *], rather than [T, B, *] (PyTorch's batch_first, default false). */
  batchFirst?: boolean;
  /** The value of the padding (PyTorch's padding_value, default 0). */
  paddingValue?: number;
}

/**
 * Stacks sequences of different lengths [Lᵢ, *] into one tensor [T, B, *] (or [B, T, *] with batchFirst), T the
 * longest length, the rest filled with paddingValue, as PyTorch's `pad_sequence(sequences, batch_first=False,
 * padding_value=0.0)`; the gradient flows back to each sequence (CopySlices, PyTorch's grad_fn).
 * `padSequence([a, b, c], { batchFirst: true })`, or PyTorch's positional `padSequence(seqs, true, -1)`.
 * @throws RangeError for an empty list (PyTorch's "received an empty list of sequences"), a 0-d tensor, or
 * sequences whose trailing dimensions differ from the first's.
 */
export function padSequence(sequences: Iterable<Tensor>, batchFirst?: boolean | PadSequenceOptions, paddingValue?: number): Tensor {
  const where = 'padSequence';
  let o: PadSequenceOptions;
  if (isPlainObject(batchFirst)) {
    if (paddingValue !== undefined) throw new TypeError(`${where}: after the options object nothing may follow; put paddingValue in it`);
    o = checkOptions<PadSequenceOptions>(where, batchFirst, ['batchFirst', 'paddingValue']);
  } else o = { batchFirst: batchFirst as boolean | undefined, paddingValue } as PadSequenceOptions;
  const bf = o.batchFirst ?? false;
  const pad = o.paddingValue ?? 0;
  if (typeof bf !== 'boolean') throw new TypeError(`${where}: batchFirst must be true or false, got ${describeValue(bf)}`);
  if (typeof pad !== 'number') throw new TypeError(`${where}: paddingValue must be a number, got ${describeValue(pad)}`);
  if (sequences === null || typeof sequences !== 'object' || typeof (sequences as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function') {
    throw new TypeError(`${where}: sequences must be an array (or other iterable) of tensors, got ${describeValue(sequences)}`);
  }
  const seqs = [...sequences];
  seqs.forEach((s, i) => {
    if (!(s instanceof Tensor)) throw new TypeError(`${where}: sequence ${i} is not a Tensor (got ${describeValue(s)})`);
  });
  if (seqs.length === 0) throw new RangeError(`${where}: received an empty list of sequences`);
  const trailing = seqs[0]!.shape.slice(1);
  seqs.forEach((s, i) => {
    if (s.ndim === 0) throw new RangeError(`${where}: sequence ${i} is 0-d; each sequence needs a first (time) dimension`);
    const t = s.shape.slice(1);
    if (t.length !== trailing.length || t.some((d, k) => d !== trailing[k])) {
      throw new RangeError(`${where}: sequence ${i} has shape [${s.shape.join(', ')}], whose trailing dimensions [${t.join(', ')}] differ from the first sequence's [${trailing.join(', ')}]`);
    }
  });
  const B = seqs.length;
  const T = Math.max(...seqs.map((s) => s.shape[0]!));
  const inner = trailing.reduce((a, b) => a * b, 1);
  const out = empty(bf ? [B, T, ...trailing] : [T, B, ...trailing]);
  const o32 = out.data;
  o32.fill(Math.fround(pad));
  // Where row t of sequence b lands in the output.
  const at = (b: number, t: number): number => (bf ? b * T + t : t * B + b) * inner;
  seqs.forEach((s, b) => {
    const v = s.values();
    for (let t = 0; t < s.shape[0]!; t++) o32.set(v.subarray(t * inner, (t + 1) * inner), at(b, t));
  });
  const node = record(out, 'pad_sequence', seqs, (g) => {
    const G = g.data;
    return seqs.map((s, b) => {
      const gs = empty(s.shape);
      for (let t = 0; t < s.shape[0]!; t++) gs.data.set(G.subarray(at(b, t), at(b, t) + inner), t * inner);
      return gs;
    });
  }, undefined, 'CopySlices');
  // Linear: each sequence's rows picked from the gradient with ops (createGraph).
  return twice(node, (g) => seqs.map((s, b) => {
    const from = Int32Array.from({ length: s.numel() }, (_, j) => at(b, Math.floor(j / inner)) + (j % inner));
    return pick(g, s.shape, from, 'pad_sequenceBackward', new Tensor(Float32Array.from(from), [from.length]));
  }));
}
