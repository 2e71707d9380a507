// F.embeddingBag, as PyTorch 1.13's: the rows of `weight` at each bag's indices, summed, averaged or maxed — bags as
// the rows of a 2-D input, or cut from a 1-D input at `offsets` (with `includeLastOffset`, the last offset ends the
// last bag); `perSampleWeights` scale each row ('sum' only); rows at `paddingIdx` left out (an average over the rest;
// an empty bag gives zeros). Sums in index order in float32. Backward (EmbeddingBagBackward0): each bag's gradient added
// to its rows (divided by the bag's count for 'mean', times the sample's weight), to the maximum's row for 'max'; a
// sample weight's gradient is its row dotted with the bag's gradient. `maxNorm` renormalises the looked-up rows of the
// weight in place first (PyTorch's embedding_renorm_, as F.embedding's); `scaleGradByFreq` divides the weight's
// gradient by index frequencies as PyTorch 1.13's CPU kernel does (see `frequencyDivisors`).
import { noGrad } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import { composedTwice, linearTwice } from '../autograd/twice.js';
import { zeros } from '../tensor/creation.js';
import { KindlingError } from '../errors.js';
import { checkOptions, describeValue } from '../options.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkEmbeddingOptions, embeddingChecked } from './embedding.js';
import { pick } from './gather.js';
import { checkTensor } from './util.js';

export type BagMode = 'sum' | 'mean' | 'max';

export interface EmbeddingBagOptions {
  offsets?: Tensor | readonly number[] | null;
  mode?: BagMode;
  perSampleWeights?: Tensor | null;
  includeLastOffset?: boolean;
  paddingIdx?: number | null;
  /** Rows looked up whose `normType`-norm exceeds this are scaled in place to norm `maxNorm` first. Default none. */
  maxNorm?: number | null;
  /** The p of the norm `maxNorm` bounds (default 2). */
  normType?: number;
  /** Scale the weight's gradient by the inverse frequency of the indices (not with mode 'max'). Default false. */
  scaleGradByFreq?: boolean;
  /** PyTorch's sparse gradient: Kindling has no sparse tensors, so only false is accepted. */
  sparse?: boolean;
}

export const EMBEDDING_BAG_OPTIONS: readonly (keyof EmbeddingBagOptions)[] = [
  'offsets', 'mode', 'perSampleWeights', 'includeLastOffset', 'paddingIdx', 'maxNorm', 'normType', 'scaleGradByFreq', 'sparse',
];

const f = Math.fround;

/** `paddingIdx` as a row number (−1 for none), refused outside the rows as PyTorch refuses it. */
function paddingOf(paddingIdx: unknown, num: number): number {
  if (paddingIdx === undefined || paddingIdx === null) return -1;
  if (typeof paddingIdx !== 'number' || !Number.isInteger(paddingIdx)) throw new TypeError(`embedding_bag: paddingIdx must be an integer or null, got ${describeValue(paddingIdx)}`);
  if (paddingIdx < -num || paddingIdx >= num) throw new KindlingError(`padding_idx must be within the number of embeddings, ${-num} through ${num - 1}, but got ${paddingIdx}`);
  return paddingIdx < 0 ? paddingIdx + num : paddingIdx;
}

/**
 * The offsets of a 1-D input of `n` indices, checked as PyTorch checks them: 1-D, whole numbers, the first 0, the
 * last at most `n`, at least one with `includeLastOffset`. PyTorch's kernels also fail on a negative offset ("index
 * out of range in self") and on offsets that decrease ("current < index_size"; its 'max' mode gives rows of other
 * bags): refused here in plain words.
 */
function checkOffsets(offsets: Tensor | readonly number[], n: number, includeLastOffset: boolean): number[] {
  if (offsets instanceof Tensor && offsets.ndim !== 1) throw new KindlingError(`offsets has to be a 1D Tensor (embedding_bag: got shape ${formatShape(offsets.shape)})`);
  if (!(offsets instanceof Tensor) && !Array.isArray(offsets)) throw new TypeError(`embedding_bag: offsets must be a Tensor or an array of numbers, got ${describeValue(offsets)}`);
  const offs = offsets instanceof Tensor ? Array.from(offsets.values()) : Array.from(offsets as readonly unknown[]);
  offs.forEach((v, i) => {
    if (Array.isArray(v)) throw new KindlingError(`offsets has to be a 1D Tensor (embedding_bag: got an array of arrays)`);
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new KindlingError(`embedding_bag: offsets must be whole numbers (PyTorch takes an int64 tensor), got ${describeValue(v)} at offsets[${i}]`);
  });
  const o = offs as number[];
  if (o.length === 0 && includeLastOffset) throw new KindlingError('include_last_offset: number of offset should be at least 1');
  if (o.length === 0) return o;
  if (o[0] !== 0) throw new KindlingError(`offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from position 0. However, got ${o[0]}`);
  if (o[o.length - 1]! > n) throw new KindlingError(`offsets[-1] can not be greater than input's length ${n} but got offsets[-1] of ${o[o.length - 1]}`);
  for (let i = 1; i < o.length; i++) {
    if (o[i]! < 0) throw new KindlingError(`embedding_bag: offsets[${i}] is ${o[i]}: offsets must not be negative (PyTorch: "index out of range in self")`);
    if (o[i]! < o[i - 1]!) {
      throw new KindlingError(`embedding_bag: offsets must not decrease (each bag starts where the one before it ends), got offsets[${i - 1}] = ${o[i - 1]} and offsets[${i}] = ${o[i]} (PyTorch fails in its kernel: "current < index_size")`);
    }
  }
  return o;
}

/**
 * What scaleGradByFreq divides each row's gradient by, as PyTorch 1.13's CPU kernel (_embedding_bag_dense_backward):
 * it walks the distinct indices in sorted order and divides the k-th one's gradient by `counts[sorted[k]]` — the
 * frequency of the index at sorted position k, not always the row's own (they agree when each index before it occurs
 * once). Kept as PyTorch computes it, so that gradients match PyTorch's. Rows not looked up get 0 (unused).
 */
function frequencyDivisors(idx: Float32Array, num: number): Float64Array {
  const counts = new Float64Array(num);
  for (const r of idx) counts[r]! += 1;
  const sorted = Float32Array.from(idx).sort();
  const div = new Float64Array(num);
  let k = 0;
  for (let i = 0; i < sorted.length; i += counts[sorted[i]!]!, k++) div[sorted[i]!] = counts[sorted[k]!]!;
  return div;
}

/** `t` itself, its gradient multiplied by `c` (scaleGradByFreq's scale, for the gradient's graph). */
function scaledGradient(t: Tensor, c: Tensor): Tensor {
  const node = record(new Tensor(t.toArray(), t.shape), 'embeddingBagScaleGrad', [t], (g) => [noGrad(() => g.mul(c))]);
  return linearTwice(node, (h) => h.mul(c));
}

export function embeddingBag(input: Tensor, weight: Tensor, options: EmbeddingBagOptions = {}): Tensor {
  checkTensor(input, 'embedding_bag', 'input');
  checkTensor(weight, 'embedding_bag', 'weight');
  const o = checkOptions('embedding_bag', options, [...EMBEDDING_BAG_OPTIONS]);
  const { maxNorm, normType, scaleGradByFreq } = checkEmbeddingOptions(o, 'embedding_bag');
  const mode = o.mode ?? 'mean';
  if (mode !== 'sum' && mode !== 'mean' && mode !== 'max') throw new KindlingError(`mode has to be one of sum, mean or max, got ${describeValue(mode)}`);
  if (mode === 'max' && scaleGradByFreq) throw new KindlingError('max mode does not support scaling the gradient by the frequency');
  if (weight.ndim !== 2) throw new KindlingError(`embedding_bag: weight has to be a 2D Tensor, but got Tensor of dimension ${weight.ndim}`);
  const [num, dim] = weight.shape as [number, number];
  const psw = o.perSampleWeights ?? null;
  if (psw !== null && mode !== 'sum') {
    throw new KindlingError(`embedding_bag: per_sample_weights was not None. per_sample_weights is only supported for mode='sum' (got mode='${mode}'). Please open a feature request on GitHub.`);
  }
  if (psw !== null && (psw.ndim !== input.ndim || psw.shape.some((s, i) => s !== input.shape[i]))) {
    throw new KindlingError(`embedding_bag: If per_sample_weights (${psw.shape.join(', ')}) is not None, then it must have the same shape as the input (${input.shape.join(', ')})`);
  }
  const pad = paddingOf(o.paddingIdx, num);
  const idx = input.values();
  for (const v of idx) if (!Number.isInteger(v) || v < 0 || v >= num) throw new KindlingError(`embedding_bag: index ${v} is out of range for a weight of ${num} rows`);
  // The bags: [start, end) into the flat indices.
  const bags: [number, number][] = [];
  if (input.ndim === 2) {
    if (o.offsets !== undefined && o.offsets !== null) throw new KindlingError('if input is 2D, then offsets has to be None, as input is treated is a mini-batch of fixed length sequences. However, found offsets of type <class \'torch.Tensor\'>');
    const [B, L] = input.shape as [number, number];
    for (let b = 0; b < B; b++) bags.push([b * L, (b + 1) * L]);
  } else if (input.ndim === 1) {
    if (o.offsets === undefined || o.offsets === null) throw new KindlingError('embedding_bag: offsets has to be a 1D Tensor but got None');
    const offs = checkOffsets(o.offsets, idx.length, o.includeLastOffset === true);
    const ends = o.includeLastOffset === true ? offs.slice(1) : [...offs.slice(1), idx.length];
    const starts = o.includeLastOffset === true ? offs.slice(0, -1) : offs;
    starts.forEach((s, b) => bags.push([s, Math.min(ends[b]!, idx.length)]));
  } else {
    throw new KindlingError(`embedding_bag: input has to be 1D or 2D Tensor, but got Tensor of dimension ${input.ndim}`);
  }
  // PyTorch's F.embedding_bag: torch.embedding_renorm_(weight, input, maxNorm, normType) under no_grad, every index
  // (the padding row's too), before the bags are taken — the same in-place renorm as F.embedding's.
  if (maxNorm !== null) noGrad(() => embeddingChecked(input, weight, { paddingIdx: -1, maxNorm, normType, scaleGradByFreq: false }));
  const div = scaleGradByFreq ? frequencyDivisors(idx, num) : null;
  const w = weight.values();
  const sw = psw === null ? null : psw.values();
  const B = bags.length;
  const out = new Float32Array(B * dim);
  const counts = new Float32Array(B);
  const argmax = new Int32Array(B * dim).fill(-1);
  bags.forEach(([s, e], b) => {
    let count = 0;
    for (let i = s; i < e; i++) {
      const row = idx[i]!;
      if (row === pad) continue;
      count++;
      for (let j = 0; j < dim; j++) {
        const v = w[row * dim + j]!;
        const at = b * dim + j;
        if (mode === 'max') {
          if (argmax[at] === -1 || v > out[at]!) {
            out[at] = v;
            argmax[at] = row;
          }
        } else out[at] = f(out[at]! + (sw === null ? v : f(v * sw[i]!)));
      }
    }
    counts[b] = count;
    if (mode === 'mean' && count > 0) for (let j = 0; j < dim; j++) out[b * dim + j] = f(out[b * dim + j]! / count);
  });
  const inputs = psw === null ? [weight] : [weight, psw];
  const node = record(new Tensor(out, [B, dim]), 'embeddingBag', inputs, (g) => {
    const gv = g.values();
    const gw = new Float32Array(num * dim);
    const gs = sw === null ? null : new Float32Array(sw.length);
    bags.forEach(([s, e], b) => {
      if (mode === 'max') {
        for (let j = 0; j < dim; j++) {
          const row = argmax[b * dim + j]!;
          if (row >= 0) gw[row * dim + j] = f(gw[row * dim + j]! + gv[b * dim + j]!);
        }
        return;
      }
      for (let i = s; i < e; i++) {
        const row = idx[i]!;
        if (row === pad) continue;
        // PyTorch's scale: the sample's weight, / the frequency divisor, / the bag's count, in double, then float32.
        let scale = sw === null ? 1 : sw[i]!;
        if (div !== null) scale /= div[row]!;
        if (mode === 'mean') scale /= counts[b]!;
        const s = f(scale);
        for (let j = 0; j < dim; j++) gw[row * dim + j] = f(gw[row * dim + j]! + f(gv[b * dim + j]! * s));
        if (gs !== null) {
          let d = 0;
          for (let j = 0; j < dim; j++) d = f(d + f(w[row * dim + j]! * gv[b * dim + j]!));
          gs[i] = d;
        }
      }
    });
    return psw === null ? [new Tensor(gw, weight.shape)] : [new Tensor(gw, weight.shape), new Tensor(gs!, psw.shape)];
  }, [], 'EmbeddingBagBackward0');
  if (mode === 'max') {
    // Linear in the weight: the gradient's graph picks the gradient's gradient back at each bag's maxima.
    if (!argmax.every((r) => r >= 0)) return node;
    const from = Int32Array.from(argmax, (r, at) => r * dim + (at % dim));
    return linearTwice(node, (h) => pick(h, [B, dim], from, 'embeddingBagBackward', new Tensor(Float32Array.from(from), [B, dim])));
  }
  // Its gradient's graph: the looked-up rows (times their per-sample weights) added into their bags, written with ops.
  const kept = Array.from(idx.keys()).filter((i) => idx[i] !== pad);
  const bagOf = new Float32Array(idx.length);
  bags.forEach(([s, e], b) => { for (let i = s; i < e; i++) bagOf[i] = b; });
  const positions = new Tensor(Float32Array.from(kept), [kept.length]);
  const freqScale = div === null ? null : new Tensor(Float32Array.from(div, (d) => (d > 0 ? 1 / d : 1)), [num, 1]);
  return composedTwice(node, (wt, ps) => {
    let rows = (freqScale === null ? wt : scaledGradient(wt, freqScale)).indexSelect(0, new Tensor(Float32Array.from(kept, (i) => idx[i]!), [kept.length]));
    if (ps !== undefined) rows = rows.mul(ps.indexSelect(0, positions).unsqueeze(1));
    const sums = zeros([B, dim]).indexAdd(0, new Tensor(Float32Array.from(kept, (i) => bagOf[i]!), [kept.length]), rows);
    return mode === 'mean' ? sums.div(new Tensor(Float32Array.from(counts, (c) => Math.max(c, 1)), [B, 1])) : sums;
  });
}
