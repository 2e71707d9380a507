// kindling-test: own process (it checks warnings given once per process)
// The recurrent cells and layers in the engine: gradients of the input, the state and every parameter against
// central differences of a float64 reference (RNNCell tanh and relu, LSTMCell, GRUCell, a bidirectional GRU and a
// 2-layer LSTM over a few steps), and the arguments PyTorch refuses or Kindling checks (sizes, options, states).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { manualSeed, nn, randn, zeros, type Tensor } from '../../src/index.js';
import { gradcheck, leaf, Rng } from './gradcheck.js';
import { add, linear, map, mul, ref, sigmoid, sub, type Ref } from './ref.js';

const tanh = (x: Ref): Ref => map(x, Math.tanh);
const relu = (x: Ref): Ref => map(x, (v) => Math.max(v, 0));

/** Columns [start, start + n) of a 2-D [B, C] reference. */
function cols(x: Ref, start: number, n: number): Ref {
  const [b, c] = x.shape as [number, number];
  const out: number[] = [];
  for (let i = 0; i < b; i++) for (let j = 0; j < n; j++) out.push(x.data[i * c + start + j]!);
  return ref(out, [b, n]);
}

/** Row i of a [T, …] reference, as [..]. */
function row(x: Ref, i: number): Ref {
  const n = x.data.length / x.shape[0]!;
  return ref(x.data.slice(i * n, (i + 1) * n), x.shape.slice(1));
}

function stackRefs(xs: readonly Ref[]): Ref {
  const out: number[] = [];
  for (const x of xs) out.push(...x.data);
  return ref(out, [xs.length, ...xs[0]!.shape]);
}

/** Concatenation of two [T, B, H] references along the last dimension. */
function catLast(a: Ref, b: Ref): Ref {
  const [t, bb, h] = a.shape as [number, number, number];
  const h2 = b.shape[2]!;
  const out: number[] = [];
  for (let i = 0; i < t * bb; i++) out.push(...a.data.slice(i * h, (i + 1) * h), ...b.data.slice(i * h2, (i + 1) * h2));
  return ref(out, [t, bb, h + h2]);
}

type Mode = 'tanh' | 'relu' | 'lstm' | 'gru';

/** One step in float64, from the textbook formulas (PyTorch's documentation), not from src/. */
function refStep(mode: Mode, x: Ref, state: readonly Ref[], [wIh, wHh, bIh, bHh]: readonly Ref[], hidden: number): Ref[] {
  const gi = linear(x, wIh!, bIh ?? null);
  const gh = linear(state[0]!, wHh!, bHh ?? null);
  const g = (r: Ref, k: number): Ref => cols(r, k * hidden, hidden);
  if (mode === 'tanh') return [tanh(add(gi, gh))];
  if (mode === 'relu') return [relu(add(gi, gh))];
  if (mode === 'lstm') {
    const s = add(gi, gh);
    const c = add(mul(sigmoid(g(s, 1)), state[1]!), mul(sigmoid(g(s, 0)), tanh(g(s, 2))));
    return [mul(sigmoid(g(s, 3)), tanh(c)), c];
  }
  const r = sigmoid(add(g(gi, 0), g(gh, 0)));
  const z = sigmoid(add(g(gi, 1), g(gh, 1)));
  const n = tanh(add(g(gi, 2), mul(r, g(gh, 2))));
  // (1 − z)·n + z·h
  return [add(mul(sub(ref(new Float64Array(z.data.length).fill(1), z.shape), z), n), mul(z, state[0]!))];
}

test('dropout on a single layer warns once per dropout value, with PyTorch\'s words, as PyTorch (its text names the value, not the layer)', async () => {
  const warnings: string[] = [];
  const listen = (w: Error): void => {
    if (/dropout option adds dropout/.test(w.message)) warnings.push(w.message);
  };
  process.on('warning', listen);
  try {
    new nn.LSTM(3, 4, { dropout: 0.5, numLayers: 2 });
    await new Promise((r) => setImmediate(r));
    assert.equal(warnings.length, 0, 'no warning with 2 layers');
    // PyTorch 1.13: LSTM(dropout=0.5), GRU(dropout=0.5), LSTM(dropout=0.3), RNN(dropout=0.5) warn twice (0.5, 0.3).
    new nn.GRU(3, 4, { dropout: 0.5 });
    new nn.LSTM(3, 4, { dropout: 0.5 });
    new nn.RNN(3, 4, { dropout: 0.25 });
    new nn.RNN(3, 4, { dropout: 0.5 });
    await new Promise((r) => setImmediate(r));
    assert.equal(warnings.length, 2, warnings.join('\n'));
    assert.match(warnings[0]!, /^nn\.RNN\/LSTM\/GRU: dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects num_layers greater than 1, but got dropout=0.5 and num_layers=1/);
    assert.match(warnings[1]!, /but got dropout=0.25 and num_layers=1/);
  } finally {
    process.off('warning', listen);
  }
});


test('gradcheck: RNNCell (tanh, relu), LSTMCell and GRUCell — input, state and every parameter', () => {
  const rng = new Rng(11);
  for (const mode of ['tanh', 'relu', 'lstm', 'gru'] as const) {
    for (const bias of [true, false]) {
      manualSeed(3);
      const cell = mode === 'lstm' ? new nn.LSTMCell(3, 2, { bias }) : mode === 'gru' ? new nn.GRUCell(3, 2, { bias })
        : new nn.RNNCell(3, 2, { bias, nonlinearity: mode });
      const x = leaf(rng, [2, 3]);
      const h = leaf(rng, [2, 2], { avoid: [0] });
      const c = leaf(rng, [2, 2]);
      const params = cell.parameters();
      const leaves = mode === 'lstm' ? [x, h, c, ...params] : [x, h, ...params];
      const ns = mode === 'lstm' ? 3 : 2;
      const padded = (ps: readonly Ref[]): Ref[] => (bias ? [...ps] : [ps[0]!, ps[1]!]);
      for (const output of mode === 'lstm' ? [0, 1] : [0]) {
        gradcheck(`${mode} cell bias=${bias} output ${output}`, {
          leaves,
          forward: () => {
            if (mode === 'lstm') return (cell as nn.LSTMCell).forward(x, [h, c])[output]!;
            return (cell as nn.GRUCell).forward(x, h);
          },
          reference: (xs) => refStep(mode, xs[0]!, xs.slice(1, ns), padded(xs.slice(ns)), 2)[output]!,
        });
      }
    }
  }
});

test('gradcheck: a bidirectional GRU and a 2-layer LSTM over 3 steps, through the whole sequence', () => {
  const rng = new Rng(5);
  manualSeed(4);
  const gru = new nn.GRU(2, 2, { bidirectional: true });
  const x = leaf(rng, [3, 2, 2]);
  const h0 = leaf(rng, [2, 2, 2]);
  const runDir = (mode: Mode, xs: Ref, init: Ref[], w: Ref[], reverse: boolean, hidden: number): [Ref, Ref[]] => {
    const t = xs.shape[0]!;
    const outs: Ref[] = new Array<Ref>(t);
    let state = init;
    for (let k = 0; k < t; k++) {
      const i = reverse ? t - 1 - k : k;
      state = refStep(mode, row(xs, i), state, w, hidden);
      outs[i] = state[0]!;
    }
    return [stackRefs(outs), state];
  };
  for (const which of ['output', 'h_n'] as const) {
    gradcheck(`bidirectional GRU ${which}`, {
      leaves: [x, h0, ...gru.parameters()],
      forward: () => gru.forward(x, h0)[which === 'output' ? 0 : 1],
      reference: ([xr, hr, ...w]) => {
        const [fo, [fh]] = runDir('gru', xr!, [row(hr!, 0)], w.slice(0, 4), false, 2);
        const [ro, [rh]] = runDir('gru', xr!, [row(hr!, 1)], w.slice(4, 8), true, 2);
        return which === 'output' ? catLast(fo, ro) : stackRefs([fh!, rh!]);
      },
    });
  }
  manualSeed(6);
  const lstm = new nn.LSTM(2, 2, 2);
  const y = leaf(rng, [3, 1, 2]);
  const hh = leaf(rng, [2, 1, 2]);
  const cc = leaf(rng, [2, 1, 2]);
  for (const k of [0, 1, 2]) {
    gradcheck(`2-layer LSTM result ${k}`, {
      leaves: [y, hh, cc, ...lstm.parameters()],
      forward: () => {
        const [out, [hn, cn]] = lstm.forward(y, [hh, cc]);
        return [out, hn, cn][k]!;
      },
      reference: ([xr, hr, cr, ...w]) => {
        const [o0, s0] = runDir('lstm', xr!, [row(hr!, 0), row(cr!, 0)], w.slice(0, 4), false, 2);
        const [o1, s1] = runDir('lstm', o0, [row(hr!, 1), row(cr!, 1)], w.slice(4, 8), false, 2);
        return [o1, stackRefs([s0[0]!, s1[0]!]), stackRefs([s0[1]!, s1[1]!])][k]!;
      },
    });
  }
});

test('cells and layers: unbatched inputs give the batched result without the batch dimension', () => {
  manualSeed(2);
  const cell = new nn.LSTMCell(3, 4);
  const x = randn(3);
  const [h, c] = cell.forward(x);
  const [hb, cb] = cell.forward(x.unsqueeze(0));
  assert.deepEqual(h.shape, [4]);
  assert.deepEqual(Array.from(h.toArray()), Array.from(hb.toArray()));
  assert.deepEqual(Array.from(c.toArray()), Array.from(cb.toArray()));
  const gru = new nn.GRU(3, 4, { numLayers: 2, batchFirst: true });
  const seq = randn(5, 3);
  const [out, hn] = gru.forward(seq);
  const [outB, hnB] = gru.forward(seq.unsqueeze(0));
  assert.deepEqual(out.shape, [5, 4]);
  assert.deepEqual(hn.shape, [2, 4]);
  assert.deepEqual(Array.from(out.toArray()), Array.from(outB.toArray()));
  assert.deepEqual(Array.from(hn.toArray()), Array.from(hnB.toArray()));
});

test('constructor arguments: sizes, options, numLayers by position, nonlinearity, dropout', () => {
  assert.throws(() => new nn.LSTMCell(-1, 3), /LSTMCell: inputSize must be a non-negative integer, got the number -1/);
  assert.throws(() => new nn.GRU(3, 2.5), /GRU: hiddenSize must be a positive integer, got the number 2.5/);
  // As PyTorch: sizes of 0 where it takes them (a layer's input, a cell's input or hidden), not a layer's hidden size.
  assert.deepEqual(new nn.LSTM(0, 4).forward(zeros(2, 3, 0))[0].shape, [2, 3, 4]);
  assert.deepEqual(new nn.RNNCell(3, 0).forward(zeros(2, 3)).shape, [2, 0]);
  assert.throws(() => new nn.RNN(3, 0), /RNN: hiddenSize must be a positive integer, got the number 0/);
  assert.throws(() => new nn.LSTM(3, 4, { projSize: 1.5 }), /LSTM: projSize must be a whole number \(0 for no projection\), got the number 1.5/);
  assert.throws(() => new nn.LSTM(3, 4, { projSize: true as never }), /projSize must be a whole number/);
  assert.throws(() => new nn.LSTM(3, 4, 0), /LSTM: numLayers must be a positive integer, got the number 0/);
  assert.throws(() => new nn.RNNCell(3, 4, { nonlinearity: 'sigmoid' as 'tanh' }), /Unknown nonlinearity: sigmoid/);
  assert.throws(() => new nn.RNN(3, 4, { nonlinearity: 'gelu' as 'tanh' }), /Unknown nonlinearity 'gelu'/);
  assert.throws(() => new nn.GRU(3, 4, { dropout: 1.5 }), /dropout should be a number in range \[0, 1\] representing the probability of an element being zeroed/);
  assert.throws(() => new nn.LSTM(3, 4, { batch_first: true } as never), /batch_first/);
  assert.throws(() => new nn.GRUCell(3, 4, { bias: 'yes' as never }), /bias must be true or false/);
  assert.throws(() => new nn.LSTM(3, 4, { bidirectional: 1 as never }), /bidirectional must be true or false/);
  assert.equal(new nn.LSTM(3, 4, 2, { batchFirst: true }).numLayers, 2);
  assert.equal(String(new nn.LSTM(3, 4, 2, { batchFirst: true, dropout: 0.1 })), 'LSTM(3, 4, num_layers=2, batch_first=True, dropout=0.1)');
  assert.equal(String(new nn.RNNCell(3, 4, false, 'relu')), 'RNNCell(3, 4, bias=False, nonlinearity=relu)');
  assert.equal(String(new nn.GRU(3, 4, { dropout: 1 })), 'GRU(3, 4, dropout=1.0)');
  assert.equal(String(new nn.GRU(3, 4, { dropout: 1e-5 })), 'GRU(3, 4, dropout=1e-05)');
  const cell = new nn.GRUCell(3, 4);
  assert.throws(() => (cell as unknown as { weight_ih: Tensor }).weight_ih, /weightIh/);
  assert.throws(() => (new nn.LSTM(3, 4) as unknown as { all_weights: Tensor }).all_weights, /allWeights/);
});

test('LSTM projSize: PyTorch\'s parameters in its order (weight_hr after the biases), shapes, state sizes, repr and refusals', () => {
  const lstm = new nn.LSTM(3, 5, { projSize: 2, numLayers: 2, bidirectional: true });
  assert.equal(lstm.projSize, 2);
  assert.equal(new nn.LSTM(3, 5).projSize, 0);
  assert.equal(new nn.GRU(3, 5).projSize, 0);
  assert.deepEqual(lstm.namedParameters().map(([n, p]) => `${n} ${p.shape.join('x')}`), [
    'weight_ih_l0 20x3', 'weight_hh_l0 20x2', 'bias_ih_l0 20', 'bias_hh_l0 20', 'weight_hr_l0 2x5',
    'weight_ih_l0_reverse 20x3', 'weight_hh_l0_reverse 20x2', 'bias_ih_l0_reverse 20', 'bias_hh_l0_reverse 20', 'weight_hr_l0_reverse 2x5',
    'weight_ih_l1 20x4', 'weight_hh_l1 20x2', 'bias_ih_l1 20', 'bias_hh_l1 20', 'weight_hr_l1 2x5',
    'weight_ih_l1_reverse 20x4', 'weight_hh_l1_reverse 20x2', 'bias_ih_l1_reverse 20', 'bias_hh_l1_reverse 20', 'weight_hr_l1_reverse 2x5',
  ]);
  assert.deepEqual(lstm.allWeights[1]!.map((t) => t.shape), [[20, 3], [20, 2], [20], [20], [2, 5]]);
  assert.deepEqual(new nn.LSTM(3, 5, { projSize: 4, bias: false }).allWeights[0]!.map((t) => t.shape), [[20, 3], [20, 4], [4, 5]]);
  const [out, [hn, cn]] = lstm.forward(zeros(6, 3, 3), [zeros(4, 3, 2), zeros(4, 3, 5)]);
  assert.deepEqual([out.shape, hn.shape, cn.shape], [[6, 3, 4], [4, 3, 2], [4, 3, 5]]);
  const [uo, [uh, uc]] = lstm.forward(zeros(6, 3));
  assert.deepEqual([uo.shape, uh.shape, uc.shape], [[6, 4], [4, 2], [4, 5]]);
  assert.throws(() => lstm.forward(zeros(6, 3, 3), [zeros(4, 3, 5), zeros(4, 3, 5)]), /Expected hidden\[0\] size \(4, 3, 2\), got \[4, 3, 5\]/);
  assert.equal(String(new nn.LSTM(3, 5, 2, { projSize: 2, batchFirst: true })), 'LSTM(3, 5, proj_size=2, num_layers=2, batch_first=True)');
  assert.throws(() => new nn.LSTM(3, 4, { projSize: 4 }), /LSTM: proj_size has to be smaller than hidden_size, got projSize 4 and hiddenSize 4/);
  assert.throws(() => new nn.LSTM(3, 4, { projSize: -1 }), /proj_size should be a positive integer or zero to disable projections/);
  assert.throws(() => new nn.GRU(3, 4, { projSize: 2 } as never), /GRU: proj_size argument is only supported for LSTM, not RNN or GRU/);
  assert.throws(() => new nn.RNN(3, 4, { projSize: 0 } as never), /RNN: proj_size argument is only supported for LSTM/);
  // PyTorch 1.13 refuses only the keyword: RNNBase's eighth positional argument, proj_size, is taken as 0 on RNN and GRU.
  assert.equal(String(new nn.GRU(3, 4, 1, true, false, 0, false, 0)), 'GRU(3, 4)');
  assert.equal(String(new nn.RNN(3, 4, 2, true, true, 0, false, 0, 'cpu')), 'RNN(3, 4, num_layers=2, batch_first=True)');
  assert.throws(() => new nn.GRU(3, 4, 1, true, false, 0, false, 2), /GRU: proj_size argument is only supported for LSTM/);
  assert.throws(() => (lstm as unknown as { proj_size: number }).proj_size, /layer.proj_size is PyTorch's name; Kindling's is layer.projSize/);
});

test('flattenParameters is PyTorch\'s no-op on the CPU; PyTorch\'s per-layer attributes are refused saying where the parameter is', () => {
  const lstm = new nn.LSTM(3, 4, { projSize: 2, bidirectional: true });
  assert.equal(lstm.flattenParameters(), undefined);
  const py = lstm as unknown as Record<string, unknown> & { flatten_parameters(): void };
  assert.throws(() => py.flatten_parameters(), /layer.flatten_parameters\(\) is PyTorch's name; Kindling's is layer.flattenParameters\(\)/);
  assert.throws(() => py['weight_ih_l0'], /layer.weight_ih_l0 is PyTorch's attribute; .* layer.getParameter\('weight_ih_l0'\), layer.allWeights\[0\]\[0\] or layer.stateDict\(\)\['weight_ih_l0'\]/);
  assert.throws(() => py['bias_hh_l0_reverse'], /layer.allWeights\[1\]\[3\]/);
  assert.throws(() => py['weight_hr_l0'], /layer.allWeights\[0\]\[4\]/);
  assert.throws(() => { py['weight_hh_l0'] = new nn.Parameter(zeros(16, 2)); }, /layer.weight_hh_l0 is PyTorch's attribute/);
  assert.throws(() => py['_flat_weights'], /Kindling's is layer.allWeights.flat\(\)/);
  assert.throws(() => py['all_weights'], /Kindling's is layer.allWeights/);
  assert.equal(lstm.getParameter('weight_hr_l0_reverse'), lstm.allWeights[1]![4]);
  // A name the layer does not have reads undefined and takes an assignment, as any other property.
  const deep = new nn.GRU(3, 4, 4);
  assert.throws(() => (deep as unknown as Record<string, unknown>)['weight_hh_l3'], /allWeights\[3\]\[1\]/);
  const small = new nn.GRU(3, 4) as unknown as Record<string, unknown>;
  assert.equal(small['weight_hh_l3'], undefined);
  small['weight_hh_l3'] = 7;
  assert.equal(small['weight_hh_l3'], 7);
  assert.equal(Object.keys(new nn.GRU(3, 4).stateDict()).length, 4);
});

test('forward arguments: an LSTM state must be [h, c]; an empty sequence is refused; parameters and allWeights', () => {
  const lstm = new nn.LSTM(3, 4, { bidirectional: true });
  assert.throws(() => lstm.forward(zeros(5, 2, 3), zeros(2, 2, 4) as never), /hx must be \[h0, c0\]/);
  assert.throws(() => new nn.LSTMCell(3, 4).forward(zeros(2, 3), [zeros(2, 4)] as never), /hx must be \[h, c\]/);
  assert.throws(() => lstm.forward(zeros(0, 2, 3)), /Expected sequence length to be larger than 0 in RNN/);
  assert.throws(() => new nn.GRUCell(3, 4).forward(zeros(2, 3), zeros(4)), /the state must be 2-D/);
  const w = lstm.allWeights;
  assert.equal(w.length, 2);
  assert.deepEqual(w[1]!.map((t) => t.shape), [[16, 3], [16, 4], [16], [16]]);
  assert.equal(w[1]![0], lstm.namedParameters().find(([n]) => n === 'weight_ih_l0_reverse')![1]);
  const cell = new nn.RNNCell(2, 3);
  const p = new nn.Parameter(zeros(3, 2));
  cell.weightIh = p;
  assert.equal(cell.parameters()[0], p);
  assert.deepEqual(Array.from(cell.forward(zeros(1, 2)).toArray()), Array.from(cell.forward(zeros(1, 2), zeros(1, 3)).toArray()));
});
