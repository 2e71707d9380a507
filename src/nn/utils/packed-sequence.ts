/**
 * Packed sequences, PyTorch 1.13's `torch.nn.utils.rnn.PackedSequence`, `pack_padded_sequence`,
 * `pad_packed_sequence` and `pack_sequence`: a batch of sequences of different lengths stored time step by time
 * step, each step holding only the sequences still running (`batchSizes`, decreasing), longest first
 * (`sortedIndices` says where each came from when they were not given sorted; `unsortedIndices` undoes it).
 * nn.RNN, nn.LSTM and nn.GRU take one and run each sequence only over its own length (nn/rnn-packed.ts), so the
 * final state of every sequence is the state after its last real step, not after the padding.
 */
import { record } from '../../autograd/record.js';
import { linearTwice } from '../../autograd/twice.js';
import { KindlingError } from '../../errors.js';
import { checkOptions, describeValue, isPlainObject } from '../../options.js';
import { indexSelect } from '../../ops/gather.js';
import { sort } from '../../ops/sort.js';
import { empty } from '../../ops/util.js';
import { tensor } from '../../tensor/creation.js';
import { formatShape } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { padSequence } from './rnn.js';

/** A packed batch of sequences (see the file's comment); iterable as PyTorch's namedtuple: `const [data, batchSizes] = packed`. */
export class PackedSequence {
  /** The steps' rows one after another, [Σ batchSizes, *]. */
  readonly data: Tensor;
  /** How many sequences run at each time step (whole numbers, decreasing), a 1-D tensor. */
  readonly batchSizes: Tensor;
  /** For each place in the packed batch, the sequence's index in the batch given (null when it came sorted). */
  readonly sortedIndices: Tensor | null;
  /** For each sequence of the batch given, its place in the packed batch (null when it came sorted). */
  readonly unsortedIndices: Tensor | null;

  constructor(data: Tensor, batchSizes: Tensor, sortedIndices: Tensor | null = null, unsortedIndices: Tensor | null = null) {
    if (!(data instanceof Tensor) || !(batchSizes instanceof Tensor)) throw new TypeError('PackedSequence: data and batchSizes must be tensors (make one with packPaddedSequence or packSequence)');
    this.data = data;
    this.batchSizes = batchSizes;
    this.sortedIndices = sortedIndices;
    this.unsortedIndices = unsortedIndices ?? (sortedIndices === null ? null : invertPermutation(sortedIndices));
  }

  /** The batch sizes as numbers. */
  sizes(): number[] {
    return [...this.batchSizes.values()];
  }

  *[Symbol.iterator](): Iterator<Tensor | null> {
    yield this.data;
    yield this.batchSizes;
    yield this.sortedIndices;
    yield this.unsortedIndices;
  }

  toString(): string {
    return `PackedSequence(data=${String(this.data)}, batch_sizes=${String(this.batchSizes)}, sorted_indices=${String(this.sortedIndices)}, unsorted_indices=${String(this.unsortedIndices)})`;
  }
}

/** The inverse of a permutation given as a 1-D tensor of indices. */
function invertPermutation(p: Tensor): Tensor {
  const v = p.values();
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[v[i]!] = i;
  return tensor(out, [v.length]);
}

/**
 * Rows of `src` ([R, F], contiguous) picked by `rows` (−1: a row of `fill`), laid out as `shape` (rows.length rows
 * of F values), differentiable: the gradient of each picked row is added back to its source row. Named `torchName`
 * in the graph.
 */
function pickRows(src: Tensor, rows: Int32Array, fill: number, shape: readonly number[], name: string, torchName?: string): Tensor {
  const f = src.shape[1]!;
  const sv = src.values();
  const out = empty(shape);
  const o = out.data;
  for (let r = 0; r < rows.length; r++) {
    const from = rows[r]!;
    if (from < 0) o.fill(fill, r * f, (r + 1) * f);
    else o.set(sv.subarray(from * f, (from + 1) * f), r * f);
  }
  // Linear in src: the gradient's graph picks rows of the gradient's gradient the same way (with zeros for the fill).
  return linearTwice(record(out, name, [src], (g) => {
    const gx = empty(src.shape);
    gx.data.fill(0);
    const gv = g.data;
    for (let r = 0; r < rows.length; r++) {
      const from = rows[r]!;
      if (from < 0) continue;
      for (let j = 0; j < f; j++) gx.data[from * f + j]! += gv[r * f + j]!;
    }
    return [gx];
  }, undefined, torchName), (h) => pickRows(h, rows, 0, shape, name, torchName));
}

/** Lengths as whole numbers, from an array or a 1-D tensor. */
function lengthsOf(where: string, lengths: unknown): number[] {
  // PyTorch 1.13's _pack_padded_sequence takes lengths of one dimension only: a [B, 1] or 0-d tensor is refused.
  if (lengths instanceof Tensor && lengths.ndim !== 1) {
    throw new KindlingError(`'lengths' argument should be a 1D CPU int64 tensor, but got ${lengths.ndim}D tensor (${where}: lengths of shape ${formatShape(lengths.shape)}; give one length per sequence, e.g. lengths.flatten())`);
  }
  const list = lengths instanceof Tensor ? [...lengths.values()] : Array.isArray(lengths) ? (lengths as unknown[]) : null;
  if (list === null || !list.every((v) => Number.isInteger(v))) throw new TypeError(`${where}: lengths must be an array (or 1-D tensor) of whole numbers, got ${describeValue(lengths)}`);
  return list as number[];
}

/** The options of `packPaddedSequence`, PyTorch's keywords. */
export interface PackOptions {
  batchFirst?: boolean | undefined;
  enforceSorted?: boolean | undefined;
}

function packOptions(where: string, a: unknown, b: unknown): Required<PackOptions> {
  const o: PackOptions = isPlainObject(a) ? checkOptions<PackOptions>(where, a, ['batchFirst', 'enforceSorted']) : { batchFirst: a as boolean | undefined, enforceSorted: b as boolean | undefined };
  const batchFirst = o.batchFirst ?? false;
  const enforceSorted = o.enforceSorted ?? true;
  for (const [k, v] of [['batchFirst', batchFirst], ['enforceSorted', enforceSorted]] as const) if (typeof v !== 'boolean') throw new TypeError(`${where}: ${k} must be true or false, got ${describeValue(v)}`);
  return { batchFirst, enforceSorted };
}

/**
 * Packs a padded batch `input` ([T, B, *], or [B, T, *] with batchFirst) whose sequences have the given lengths,
 * PyTorch's `pack_padded_sequence(input, lengths, batch_first=False, enforce_sorted=True)`: the lengths must be
 * decreasing unless `enforceSorted` is false (then the batch is sorted, longest first, and the order kept in
 * `sortedIndices`). Differentiable (PackPaddedSequenceBackward0). `packPaddedSequence(x, [5, 3, 2])`,
 * `packPaddedSequence(x, lengths, { batchFirst: true, enforceSorted: false })`.
 */
export function packPaddedSequence(input: Tensor, lengths: readonly number[] | Tensor, batchFirst?: boolean | PackOptions, enforceSorted?: boolean): PackedSequence {
  const where = 'packPaddedSequence';
  if (!(input instanceof Tensor)) throw new TypeError(`${where}: input must be a Tensor, got ${describeValue(input)}`);
  const o = packOptions(where, batchFirst, enforceSorted);
  let lens = lengthsOf(where, lengths);
  if (input.ndim < 2) throw new KindlingError(`${where}: input must be [T, B, *] (or [B, T, *] with batchFirst), got shape ${formatShape(input.shape)}`);
  // PyTorch's first check of the input (ATen's _pack_padded_sequence): no batch, no steps or no features is nothing to pack.
  if (input.numel() === 0) throw new KindlingError(`Cannot pack empty tensors. (${where}: the input has shape ${formatShape(input.shape)}, with no elements)`);
  let x = input;
  let sortedIndices: Tensor | null = null;
  if (!o.enforceSorted) {
    const sorted = sort(tensor(lens), -1, true);
    sortedIndices = sorted.indices;
    lens = [...sorted.values.values()];
    x = indexSelect(input, o.batchFirst ? 0 : 1, sortedIndices);
  }
  const [steps, batch] = o.batchFirst ? [x.shape[1]!, x.shape[0]!] : [x.shape[0]!, x.shape[1]!];
  if (lens.length !== batch) throw new KindlingError(`Expected \`len(lengths)\` to be equal to batch_size, but got ${lens.length} (batch_size=${batch})`);
  if (lens.some((l) => l <= 0)) throw new KindlingError("Length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0");
  for (let i = 1; i < lens.length; i++) {
    if (lens[i]! > lens[i - 1]!) {
      throw new KindlingError('`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep this requirement if you do not need ONNX exportability.');
    }
  }
  if (lens[0]! > steps) throw new KindlingError(`${where}: the longest length is ${lens[0]}, but the input has ${steps} time steps (shape ${formatShape(input.shape)}${o.batchFirst ? ', batch first' : ''})`);
  const sizes: number[] = [];
  for (let t = 0; t < lens[0]!; t++) sizes.push(lens.filter((l) => l > t).length);
  const rows = new Int32Array(sizes.reduce((a, b) => a + b, 0));
  let r = 0;
  for (let t = 0; t < sizes.length; t++) for (let b = 0; b < sizes[t]!; b++) rows[r++] = o.batchFirst ? b * steps + t : t * batch + b;
  const rest = x.shape.slice(2);
  const flat = x.contiguous().reshape([steps * batch, -1]);
  const data = pickRows(flat, rows, 0, [rows.length, ...rest], 'packPaddedSequence', 'PackPaddedSequenceBackward0');
  return new PackedSequence(data, tensor(sizes), sortedIndices, null);
}

/** The options of `padPackedSequence`, PyTorch's keywords. */
export interface PadPackedOptions {
  batchFirst?: boolean | undefined;
  paddingValue?: number | undefined;
  totalLength?: number | null | undefined;
}

/**
 * Pads a packed batch back into one tensor [T, B, *] ([B, T, *] with batchFirst), its sequences in the order they
 * were given, and returns it with their lengths, PyTorch's `pad_packed_sequence(sequence, batch_first=False,
 * padding_value=0.0, total_length=None)`: `const [padded, lengths] = padPackedSequence(packed, { batchFirst: true })`.
 * `totalLength` pads to that many steps (at least the longest). Differentiable.
 */
export function padPackedSequence(sequence: PackedSequence, options: boolean | PadPackedOptions = {}, paddingValue?: number, totalLength?: number | null): [Tensor, Tensor] {
  const where = 'padPackedSequence';
  if (!(sequence instanceof PackedSequence)) throw new TypeError(`${where}: expects a PackedSequence (from packPaddedSequence or packSequence), got ${describeValue(sequence)}`);
  const o: PadPackedOptions = isPlainObject(options)
    ? checkOptions<PadPackedOptions>(where, options, ['batchFirst', 'paddingValue', 'totalLength'])
    : { batchFirst: options as boolean, paddingValue, totalLength };
  const batchFirst = o.batchFirst ?? false;
  const fill = o.paddingValue ?? 0;
  if (typeof batchFirst !== 'boolean') throw new TypeError(`${where}: batchFirst must be true or false, got ${describeValue(batchFirst)}`);
  if (typeof fill !== 'number') throw new TypeError(`${where}: paddingValue must be a number, got ${describeValue(fill)}`);
  const sizes = sequence.sizes();
  const longest = sizes.length;
  let steps = longest;
  if (o.totalLength !== undefined && o.totalLength !== null) {
    if (!Number.isInteger(o.totalLength)) throw new TypeError(`${where}: totalLength must be a whole number or null, got ${describeValue(o.totalLength)}`);
    if (o.totalLength < longest) {
      throw new KindlingError(`Expected total_length to be at least the length of the longest sequence in input, but got total_length=${o.totalLength} and max sequence length being ${longest}`);
    }
    steps = o.totalLength;
  }
  const batch = sizes[0]!;
  const rest = sequence.data.shape.slice(1);
  const rows = new Int32Array(steps * batch).fill(-1);
  let offset = 0;
  for (let t = 0; t < sizes.length; t++) {
    for (let b = 0; b < sizes[t]!; b++) rows[batchFirst ? b * steps + t : t * batch + b] = offset + b;
    offset += sizes[t]!;
  }
  const flat = sequence.data.contiguous().reshape([sequence.data.shape[0]!, -1]);
  let padded = pickRows(flat, rows, fill, batchFirst ? [batch, steps, ...rest] : [steps, batch, ...rest], 'padPackedSequence');
  const lens = Array.from({ length: batch }, (_, b) => sizes.filter((s) => s > b).length);
  let lengths = tensor(lens);
  if (sequence.unsortedIndices !== null) {
    padded = indexSelect(padded, batchFirst ? 0 : 1, sequence.unsortedIndices);
    lengths = indexSelect(lengths, 0, sequence.unsortedIndices);
  }
  return [padded, lengths];
}

/**
 * Packs a list of sequences [Lᵢ, *], PyTorch's `pack_sequence(sequences, enforce_sorted=True)`: `padSequence`, then
 * `packPaddedSequence` with their lengths.
 */
export function packSequence(sequences: readonly Tensor[], enforceSorted: boolean | { enforceSorted?: boolean } = true): PackedSequence {
  const where = 'packSequence';
  const sorted = isPlainObject(enforceSorted) ? checkOptions<{ enforceSorted?: boolean }>(where, enforceSorted, ['enforceSorted']).enforceSorted ?? true : enforceSorted;
  if (!Array.isArray(sequences) || !sequences.every((s) => s instanceof Tensor)) throw new TypeError(`${where}: expects an array of tensors [Lᵢ, *], got ${describeValue(sequences)}`);
  return packPaddedSequence(padSequence(sequences), sequences.map((s) => s.shape[0] ?? 1), { enforceSorted: sorted });
}
