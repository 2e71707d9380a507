// One step of PyTorch 1.13's recurrent cells, composed of differentiable ops (linear, unsafe_chunk, sigmoid, tanh,
// relu, add, mul, sub) in the order ATen's CPU code computes them (aten/src/ATen/native/RNN.cpp: SimpleCell, LSTMCell,
// GRUCell), so that autograd gives every gradient. Shared by nn.RNNCell/LSTMCell/GRUCell and nn.RNN/LSTM/GRU.
import { linear } from '../ops/linear.js';
import { matmul } from '../ops/matmul.js';
import { unsafeChunk } from '../ops/tiling.js';
import type { Tensor } from '../tensor/tensor.js';

/** The cell kinds, as PyTorch's `mode`: RNN_TANH, RNN_RELU, LSTM, GRU. */
export type CellMode = 'RNN_TANH' | 'RNN_RELU' | 'LSTM' | 'GRU';

/** How many gate blocks of `hiddenSize` rows each weight holds: 1, 4 (i, f, g, o) or 3 (r, z, n). */
export function gateCount(mode: CellMode): number {
  return mode === 'LSTM' ? 4 : mode === 'GRU' ? 3 : 1;
}

/** A cell's (or one layer-direction's) parameters; the biases are null without bias. */
export interface CellWeights {
  readonly wIh: Tensor;
  readonly wHh: Tensor;
  readonly bIh: Tensor | null;
  readonly bHh: Tensor | null;
  /** An LSTM's projection W_hr [projSize, hiddenSize] (PyTorch's proj_size), when it has one. */
  readonly wHr?: Tensor | null;
}

/** The input's projection x·W_ihᵀ + b_ih (for a whole sequence at once, as ATen's CPU layers do). */
export function inputProjection(x: Tensor, w: CellWeights): Tensor {
  return linear(x, w.wIh, w.bIh);
}

/**
 * One step from the input's projection `xw` [B, G·H] and the state (`[h]`, or `[h, c]` for an LSTM), each [B, H];
 * returns the new state in the same form.
 *
 * - RNN: h' = act(h·W_hhᵀ + b_hh + xw)
 * - LSTM: gates = h·W_hhᵀ + b_hh + xw, chunked i, f, g, o; c' = f·c + i·g; h' = o·tanh(c'), then h'·W_hrᵀ with a
 *   projection (ATen's matmul_hr; h is then [B, projSize], c stays [B, H])
 * - GRU: r = σ(hh_r + xw_r), z = σ(hh_z + xw_z), n = tanh(xw_n + hh_n·r); h' = (h − n)·z + n
 *   (ATen's form of (1 − z)·n + z·h)
 */
export function stepFromProjection(mode: CellMode, xw: Tensor, state: readonly Tensor[], w: CellWeights): Tensor[] {
  const h = state[0]!;
  const hh = linear(h, w.wHh, w.bHh);
  switch (mode) {
    case 'RNN_TANH': return [hh.add(xw).tanh()];
    case 'RNN_RELU': return [hh.add(xw).relu()];
    case 'LSTM': {
      const [i, f, g, o] = unsafeChunk(hh.add(xw), 4, 1) as [Tensor, Tensor, Tensor, Tensor];
      const c = f.sigmoid().mul(state[1]!).add(i.sigmoid().mul(g.tanh()));
      const h1 = o.sigmoid().mul(c.tanh());
      return [w.wHr ? matmul(h1, w.wHr.t()) : h1, c];
    }
    case 'GRU': {
      const [ir, iz, inn] = unsafeChunk(xw, 3, 1) as [Tensor, Tensor, Tensor];
      const [hr, hz, hn] = unsafeChunk(hh, 3, 1) as [Tensor, Tensor, Tensor];
      const r = hr.add(ir).sigmoid();
      const z = hz.add(iz).sigmoid();
      const n = inn.add(hn.mul(r)).tanh();
      return [h.sub(n).mul(z).add(n)];
    }
  }
}

/** One step of a cell from the input x [B, I] itself. */
export function cellStep(mode: CellMode, x: Tensor, state: readonly Tensor[], w: CellWeights): Tensor[] {
  return stepFromProjection(mode, inputProjection(x, w), state, w);
}
