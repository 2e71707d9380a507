// nn.utils.rnn.padSequence in the engine: each sequence's gradient against central differences of a float64
// reference (padding with a value, batch first or not, composed with tanh), and the graph through a computed input.
import { test } from 'node:test';
import { nn } from '../../src/index.js';
import { gradcheck, leaf, Rng } from './gradcheck.js';
import { ref, type Ref } from './ref.js';

function padRef(seqs: readonly Ref[], batchFirst: boolean, pad: number): Ref {
  const trailing = seqs[0]!.shape.slice(1);
  const inner = trailing.reduce((a, b) => a * b, 1);
  const B = seqs.length;
  const T = Math.max(...seqs.map((s) => s.shape[0]!));
  const out = new Array<number>(B * T * inner).fill(pad);
  seqs.forEach((s, b) => {
    for (let t = 0; t < s.shape[0]!; t++) for (let k = 0; k < inner; k++) out[(batchFirst ? b * T + t : t * B + b) * inner + k] = Math.tanh(s.data[t * inner + k]! * 2);
  });
  return ref(out, batchFirst ? [B, T, ...trailing] : [T, B, ...trailing]);
}

test('gradcheck: padSequence\'s gradients for each sequence match finite differences', () => {
  const rng = new Rng(3);
  for (const [shapes, batchFirst, pad] of [[[[3], [1], [4]], false, 0], [[[2, 3], [4, 3]], true, -1], [[[1, 2, 2], [3, 2, 2], [2, 2, 2]], false, 0.5]] as [number[][], boolean, number][]) {
    const seqs = shapes.map((s) => leaf(rng, s));
    gradcheck(`padSequence ${JSON.stringify(shapes)} batchFirst=${batchFirst}`, {
      leaves: seqs,
      forward: () => nn.utils.rnn.padSequence(seqs.map((s) => s.mul(2).tanh()), { batchFirst, paddingValue: pad }),
      reference: (r) => padRef(r, batchFirst, pad),
    });
  }
});
