// nn.RNN, nn.LSTM and nn.GRU over a PackedSequence, as PyTorch 1.13's CPU layers run one (aten/src/ATen/native/
// RNN.cpp: PackedLayer, ReversedPackedLayer, PackedBidirectionalLayer): the input's projection for all packed rows at
// once, then one time step at a time on the sequences still running. Going forwards, a sequence that ends leaves its
// state as its final state (the states are cut to the running batch); going backwards, a sequence joins with its
// initial state when its last step comes. The initial states are given, and the final ones returned, in the caller's
// batch order (`sortedIndices` / `unsortedIndices`), as PyTorch's `permute_hidden`.
import { KindlingError } from '../errors.js';
import { dropout as dropoutOp } from '../ops/dropout.js';
import { indexSelect } from '../ops/gather.js';
import { cat, stack } from '../ops/join.js';
import { narrow } from '../ops/view.js';
import { zeros } from '../tensor/creation.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { PackedSequence } from './utils/packed-sequence.js';
import { inputProjection, stepFromProjection, type CellMode, type CellWeights } from './rnn-math.js';
import { rowRuns } from './rnn-steps.js';

/** What the run needs of the layer. */
export interface PackedRun {
  readonly name: string;
  readonly mode: CellMode;
  readonly inputSize: number;
  /** The feature size of each state tensor: [h], or [h, c] for an LSTM (h has projSize features with a projection). */
  readonly stateSizes: readonly number[];
  readonly numLayers: number;
  readonly bidirectional: boolean;
  readonly dropout: number;
  readonly training: boolean;
  /** Per layer and direction (l0, l0_reverse, l1, …): its parameters. */
  readonly weights: readonly CellWeights[];
}

/** One direction of one layer: its packed output and its final state. */
function direction(mode: CellMode, xw: Tensor, sizes: readonly number[], initial: readonly Tensor[], w: CellWeights, reverse: boolean): [Tensor, Tensor[]] {
  const outputs: Tensor[] = [];
  const steps = rowRuns(xw, sizes);
  if (!reverse) {
    const ended: Tensor[][] = [];
    let last = sizes[0]!;
    let hidden = [...initial];
    sizes.forEach((b, t) => {
      if (b < last) {
        ended.push(hidden.map((h) => narrow(h, 0, b, last - b)));
        hidden = hidden.map((h) => narrow(h, 0, 0, b));
      }
      last = b;
      hidden = stepFromProjection(mode, steps[t]!, hidden, w);
      outputs.push(hidden[0]!);
    });
    ended.push(hidden);
    ended.reverse();
    return [cat(outputs, 0), hidden.map((_, i) => (ended.length === 1 ? ended[0]![i]! : cat(ended.map((e) => e[i]!), 0)))];
  }
  let last = sizes[sizes.length - 1]!;
  let hidden = initial.map((h) => narrow(h, 0, 0, last));
  for (let t = sizes.length - 1; t >= 0; t--) {
    const b = sizes[t]!;
    if (b > last) hidden = hidden.map((h, i) => cat([h, narrow(initial[i]!, 0, last, b - last)], 0));
    last = b;
    hidden = stepFromProjection(mode, steps[t]!, hidden, w);
    outputs.push(hidden[0]!);
  }
  outputs.reverse();
  return [cat(outputs, 0), hidden];
}

/**
 * Runs the layers over `packed` from `states` (the initial [h] or [h, c], each [layers·directions, batch, hidden]
 * in the caller's order; null for zeros). Returns the packed output and the final states, in the caller's order.
 */
export function runPacked(run: PackedRun, packed: PackedSequence, states: readonly Tensor[] | null): [PackedSequence, Tensor[]] {
  const data = packed.data;
  if (data.ndim !== 2) throw new KindlingError(`${run.name}.forward: packed input data must be 2-D [Σ batch sizes, inputSize], got shape ${formatShape(data.shape)}`);
  if (data.shape[1] !== run.inputSize) throw new KindlingError(`input.size(-1) must be equal to input_size. Expected ${run.inputSize}, got ${data.shape[1]}`);
  const sizes = packed.sizes();
  const batch = sizes[0]!;
  const dirs = run.bidirectional ? 2 : 1;
  const expected = run.stateSizes.map((size) => [run.numLayers * dirs, batch, size]);
  let hs: Tensor[];
  if (states === null) {
    hs = expected.map((shape) => zeros(shape));
  } else {
    hs = states.map((h, k) => {
      const want = expected[k]!;
      if (h.ndim !== 3 || h.shape.some((v, i) => v !== want[i])) {
        throw new KindlingError(`Expected hidden${run.mode === 'LSTM' ? `[${k}]` : ''} size (${want.join(', ')}), got [${h.shape.join(', ')}]`);
      }
      return packed.sortedIndices === null ? h : indexSelect(h, 1, packed.sortedIndices);
    });
  }
  const initial = hs.map((h) => h.unbind(0));
  const finals: Tensor[][] = [];
  let layerInput = data;
  for (let layer = 0; layer < run.numLayers; layer++) {
    const outs: Tensor[] = [];
    for (let d = 0; d < dirs; d++) {
      const k = layer * dirs + d;
      const w = run.weights[k]!;
      const [out, final] = direction(run.mode, inputProjection(layerInput, w), sizes, initial.map((s) => s[k]!), w, d === 1);
      outs.push(out);
      finals.push(final);
    }
    layerInput = dirs === 2 ? cat(outs, 1) : outs[0]!;
    if (run.dropout !== 0 && run.training && layer < run.numLayers - 1) layerInput = dropoutOp(layerInput, run.dropout, true);
  }
  const hn = hs.map((_, i) => {
    const h = stack(finals.map((f) => f[i]!), 0);
    return packed.unsortedIndices === null ? h : indexSelect(h, 1, packed.unsortedIndices);
  });
  return [new PackedSequence(layerInput, packed.batchSizes, packed.sortedIndices, packed.unsortedIndices), hn];
}
