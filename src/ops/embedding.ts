// F.embedding, as PyTorch 1.13's: rows of a weight [num, dim] looked up by a tensor of indices (whole numbers held
// as float32, as Kindling's labels are), with PyTorch's options: a padding row that gets no gradient, gradients
// scaled by the inverse frequency of each index, and `maxNorm`, which renormalises the looked-up rows in place.
import { checkWritable } from '../tensor/version.js';
import { linearTwice } from '../autograd/twice.js';
import { noGrad } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import { checkOptions, describeValue } from '../options.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './util.js';

export interface EmbeddingOptions {
  /** The row that gets no gradient (negative counts from the end); PyTorch's `padding_idx`. Default none. */
  paddingIdx?: number | null;
  /** Rows looked up whose `normType`-norm exceeds this are scaled in place to norm `maxNorm` first. Default none. */
  maxNorm?: number | null;
  /** The p of the norm `maxNorm` bounds (default 2). */
  normType?: number;
  /** Scale each row's gradient by 1 / (how often its index occurs in the input). Default false. */
  scaleGradByFreq?: boolean;
  /** PyTorch's sparse gradient: Kindling has no sparse tensors, so only false is accepted. */
  sparse?: boolean;
}

export const EMBEDDING_OPTIONS: readonly (keyof EmbeddingOptions)[] = ['paddingIdx', 'maxNorm', 'normType', 'scaleGradByFreq', 'sparse'];

/** The checked options of an embedding, `paddingIdx` counted from the start (−1 for none, as PyTorch's kernel takes it). */
export interface CheckedEmbeddingOptions {
  paddingIdx: number;
  maxNorm: number | null;
  normType: number;
  scaleGradByFreq: boolean;
}

/** Refuses `sparse: true` (and anything but a boolean). */
export function checkSparse(sparse: unknown, where: string): void {
  if (sparse === undefined || sparse === false) return;
  if (sparse === true) {
    throw new RangeError(`${where}: sparse gradients are not supported (Kindling has no sparse tensors); leave sparse false for a dense gradient of the weight, which optimizers take as usual`);
  }
  throw new TypeError(`${where}: sparse must be true or false, got ${describeValue(sparse)}`);
}

/**
 * `paddingIdx` as a row number in [0, num): PyTorch's rule, a negative one counts from the end, and either must
 * lie within the rows ("Padding_idx must be within num_embeddings"). null/undefined give −1 (none).
 */
export function paddingRow(paddingIdx: unknown, num: number, where: string): number {
  if (paddingIdx === undefined || paddingIdx === null) return -1;
  if (typeof paddingIdx !== 'number' || !Number.isInteger(paddingIdx)) throw new TypeError(`${where}: paddingIdx must be an integer or null, got ${describeValue(paddingIdx)}`);
  if (paddingIdx >= num || paddingIdx < -num) {
    throw new RangeError(`${where}: paddingIdx ${paddingIdx} must be within the ${num} embeddings, in [${-num}, ${num - 1}] (PyTorch: "Padding_idx must be within num_embeddings")`);
  }
  return paddingIdx < 0 ? num + paddingIdx : paddingIdx;
}

/** Checks the options other than paddingIdx (which needs the number of rows). */
export function checkEmbeddingOptions(o: Partial<EmbeddingOptions>, where: string): Omit<CheckedEmbeddingOptions, 'paddingIdx'> {
  checkSparse(o.sparse, where);
  const maxNorm = o.maxNorm ?? null;
  if (maxNorm !== null && (typeof maxNorm !== 'number' || Number.isNaN(maxNorm))) throw new TypeError(`${where}: maxNorm must be a number or null, got ${describeValue(maxNorm)}`);
  const normType = o.normType ?? 2;
  if (typeof normType !== 'number' || Number.isNaN(normType)) throw new TypeError(`${where}: normType must be a number, got ${describeValue(normType)}`);
  const scaleGradByFreq = o.scaleGradByFreq ?? false;
  if (typeof scaleGradByFreq !== 'boolean') throw new TypeError(`${where}: scaleGradByFreq must be true or false, got ${describeValue(scaleGradByFreq)}`);
  return { maxNorm, normType, scaleGradByFreq };
}

/** The index values as row numbers, each checked to be a whole number in [0, num). */
function rowIndices(input: Tensor, num: number, where: string): Int32Array {
  const v = input.values();
  const out = new Int32Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const k = v[i]!;
    if (!Number.isInteger(k)) {
      throw new RangeError(`${where}: indices must be whole numbers (PyTorch takes an int64 tensor), got ${k} at position ${i} of the input (shape ${formatShape(input.shape)})`);
    }
    if (k < 0 || k >= num) {
      throw new RangeError(`${where}: index ${k} at position ${i} of the input is out of range: the weight has ${num} rows, so indices lie in [0, ${num - 1}] (PyTorch: "index out of range in self")`);
    }
    out[i] = k;
  }
  return out;
}

/**
 * PyTorch's embedding_renorm_ (CPU): each distinct row among `rows` whose `normType`-norm (float32, as `row.norm(p)`)
 * exceeds `maxNorm` is multiplied in place by maxNorm / (norm + 1e-7), that scale rounded to float32 as PyTorch's
 * `row *= scale` does. Outside the graph; the weight's version moves, as PyTorch's in-place change does.
 */
function renorm(weight: Tensor, rows: Int32Array, maxNorm: number, normType: number): void {
  const dim = weight.shape[1]!;
  const [s0, s1] = weight.strides as [number, number];
  const sorted = Int32Array.from(rows).sort();
  checkWritable(weight.versionCounter);
  noGrad(() => {
    const storage = weight.settled();
    const row = new Float32Array(dim);
    for (let i = 0; i < sorted.length; i++) {
      if (i > 0 && sorted[i] === sorted[i - 1]) continue;
      const r = sorted[i]!;
      for (let j = 0; j < dim; j++) row[j] = storage[r * s0 + j * s1]!;
      const n = new Tensor(row.slice(), [dim]).norm(normType).item();
      if (n > maxNorm) {
        const scale = Math.fround(maxNorm / (n + 1e-7));
        for (let j = 0; j < dim; j++) storage[r * s0 + j * s1] = row[j]! * scale;
      }
    }
  });
  weight.versionCounter.value++;
}

/**
 * The rows of `weight` [num, dim] at `input`'s indices, as PyTorch's `F.embedding`: any shape of indices (0-d too)
 * gives input.shape + [dim]. The gradient adds each position's gradient into its row of the weight's (a row looked up
 * twice gets both), except the `paddingIdx` row, which gets none; with `scaleGradByFreq` each is divided by how often
 * its index occurs in this input. With `maxNorm`, the rows looked up are first renormalised in place (see `renorm`).
 *
 * @throws TypeError for a non-tensor or a bad option; RangeError for a weight that is not 2-D, an index that is not a
 *   whole number or lies outside [0, num) (naming its position), a paddingIdx outside the rows, or `sparse: true`.
 * @example
 * F.embedding(tensor([[0, 2], [1, 0]]), weight);   // [2, 2, dim]
 */
export function embedding(input: Tensor, weight: Tensor, options: EmbeddingOptions = {}): Tensor {
  const where = 'embedding';
  checkTensor(input, where);
  checkTensor(weight, where, 'weight');
  const o = checkOptions<EmbeddingOptions>(where, options, [...EMBEDDING_OPTIONS]);
  const rest = checkEmbeddingOptions(o, where);
  if (weight.ndim !== 2) throw new RangeError(`${where}: the weight must be 2-D [numEmbeddings, embeddingDim], got shape ${formatShape(weight.shape)} (PyTorch: "'weight' must be 2-D")`);
  const paddingIdx = paddingRow(o.paddingIdx, weight.shape[0]!, where);
  return embeddingChecked(input, weight, { paddingIdx, ...rest });
}

/** `embedding` after its options are checked (nn.Embedding's forward). @internal */
export function embeddingChecked(input: Tensor, weight: Tensor, o: CheckedEmbeddingOptions): Tensor {
  const where = 'embedding';
  const [num, dim] = weight.shape as [number, number];
  const rows = rowIndices(input, num, where);
  if (o.maxNorm !== null) renorm(weight, rows, o.maxNorm, o.normType);
  const w = weight.values();
  const out = new Float32Array(rows.length * dim);
  for (let i = 0; i < rows.length; i++) out.set(w.subarray(rows[i]! * dim, rows[i]! * dim + dim), i * dim);
  const { paddingIdx, scaleGradByFreq } = o;
  // Linear in the weight: the gradient's graph is recorded with the rows looked up again (without max-norm's renorm),
  // 0 for the padding row — PyTorch's embedding_dense_double_backward, which leaves out scaleGradByFreq's 1/count ("the
  // first backward takes care of scaling"), so that a second derivative is PyTorch's rather than the adjoint's.
  const adjoint = (h: Tensor): Tensor => {
    const looked = embeddingChecked(input, h, { ...o, maxNorm: null, paddingIdx: -1, scaleGradByFreq: false });
    if (paddingIdx < 0) return looked;
    return looked.mul(new Tensor(Float32Array.from(rows, (r) => (r === paddingIdx ? 0 : 1)), [...input.shape, 1]));
  };
  const node = record(new Tensor(out, [...input.shape, dim]), where, [weight], (g) => {
    const gv = g.values();
    const gw = new Float32Array(num * dim);
    let counts: Int32Array | null = null;
    if (scaleGradByFreq) {
      counts = new Int32Array(num);
      for (const r of rows) counts[r]! += 1;
    }
    // PyTorch's embedding_dense_backward_cpu: grad_weight[k] += scale · grad[i] in input order, scale 1 / count[k]
    // as a float32 (the alpha of its add).
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      if (r === paddingIdx) continue;
      const base = r * dim;
      const from = i * dim;
      if (counts === null) {
        for (let j = 0; j < dim; j++) gw[base + j]! += gv[from + j]!;
      } else {
        const scale = Math.fround(1 / counts[r]!);
        for (let j = 0; j < dim; j++) gw[base + j]! += scale * gv[from + j]!;
      }
    }
    return [new Tensor(gw, [num, dim])];
  }, [input], 'EmbeddingBackward0');
  return linearTwice(node, adjoint);
}
