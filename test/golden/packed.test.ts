// Packed sequences against PyTorch (fixtures/torch/packed.json, from make_packed.py): packPaddedSequence (sorted,
// batch first, unsorted, equal lengths), padPackedSequence (padding value, total length, batch first), packSequence
// — values bit for bit, batch sizes, sorted and unsorted indices, gradients — and nn.RNN, nn.LSTM and nn.GRU over
// packed input (two layers, bidirectional, batch first, initial states in the caller's order; LSTMs with projSize):
// the packed output, the final states and every gradient; PyTorch's refusals (an empty input among them).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KindlingError, manualSeed, nn, tensor, zeros, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, values, type EncodedTensor } from './golden-helpers.js';

const R = nn.utils.rnn;

interface Packing {
  title: string; input: EncodedTensor; lengths: number[]; batchFirst: boolean; enforceSorted: boolean; data: EncodedTensor; batchSizes: number[];
  sortedIndices: number[] | null; unsortedIndices: number[] | null; node: string; upstream: EncodedTensor; grad: EncodedTensor;
}
interface Padding {
  title: string; input: EncodedTensor; lengths: number[]; enforceSorted: boolean; batchFirst: boolean; paddingValue: number; totalLength: number | null;
  padded: EncodedTensor; outLengths: number[]; upstream: EncodedTensor; grad: EncodedTensor;
}
interface Layer {
  title: string; kind: 'RNN' | 'LSTM' | 'GRU'; size: [number, number]; options: Record<string, unknown>; seed: number; input: EncodedTensor; lengths: number[];
  enforceSorted: boolean; states: EncodedTensor[]; data: EncodedTensor; batchSizes: number[]; sortedIndices: number[] | null; finals: EncodedTensor[];
  upstreams: EncodedTensor[]; inputGrad: EncodedTensor; stateGrads: EncodedTensor[]; paramGrads: Record<string, EncodedTensor>;
}
interface Fixture {
  packing: Packing[];
  padding: Padding[];
  packSequence: { sequences: EncodedTensor[]; data: EncodedTensor; batchSizes: number[]; sortedIndices: number[]; unsortedIndices: number[]; upstream: EncodedTensor; grads: EncodedTensor[] };
  layers: Layer[];
  refusals: Record<string, { type: string; message: string }>;
}

const fx = loadFixture<Fixture>('packed.json');

test('the fixture runs LSTMs with projSize over packed input', () => {
  const proj = fx.layers.filter((c) => c.options['projSize'] !== undefined);
  assert.equal(proj.length, 3);
  assert.ok(proj.some((c) => c.options['bidirectional'] === true && c.states.length === 2 && !c.enforceSorted));
  assert.ok(proj.some((c) => c.options['numLayers'] === 2 && c.options['batchFirst'] === true));
});
const list = (t: Tensor | null): number[] | null => (t === null ? null : [...t.toArray()]);

for (const c of fx.packing) {
  test(`packPaddedSequence, ${c.title}: PyTorch's data bit for bit, batch sizes, indices, node and gradient`, () => {
    const x = decode(c.input, true);
    const p = R.packPaddedSequence(x, c.lengths, { batchFirst: c.batchFirst, enforceSorted: c.enforceSorted });
    assert.deepEqual([...p.data.shape], c.data.shape);
    assert.deepEqual([...p.data.toArray()], values(c.data));
    assert.deepEqual(p.sizes(), c.batchSizes);
    assert.deepEqual(list(p.sortedIndices), c.sortedIndices);
    assert.deepEqual(list(p.unsortedIndices), c.unsortedIndices);
    assert.equal(p.data.gradFn?.torchName, c.node);
    p.data.backward(decode(c.upstream));
    assert.deepEqual([...x.grad!.toArray()], values(c.grad));
    const [data, batchSizes] = p;
    assert.equal(data, p.data);
    assert.equal(batchSizes, p.batchSizes);
  });
}

for (const c of fx.padding) {
  test(`padPackedSequence, ${c.title}: PyTorch's padded tensor and lengths in the order given, and the gradient back through both`, () => {
    const x = decode(c.input, true);
    const p = R.packPaddedSequence(x, c.lengths, { enforceSorted: c.enforceSorted });
    const [padded, lengths] = R.padPackedSequence(p, { batchFirst: c.batchFirst, paddingValue: c.paddingValue, totalLength: c.totalLength });
    assert.deepEqual([...padded.shape], c.padded.shape);
    assert.deepEqual([...padded.toArray()], values(c.padded));
    assert.deepEqual([...lengths.toArray()], c.outLengths);
    padded.backward(decode(c.upstream));
    assert.deepEqual([...x.grad!.toArray()], values(c.grad));
  });
}

test("packSequence of unsorted sequences: PyTorch's data, batch sizes, indices and gradients", () => {
  const S = fx.packSequence;
  const seqs = S.sequences.map((s) => decode(s, true));
  const p = R.packSequence(seqs, false);
  assert.deepEqual([...p.data.toArray()], values(S.data));
  assert.deepEqual(p.sizes(), S.batchSizes);
  assert.deepEqual(list(p.sortedIndices), S.sortedIndices);
  assert.deepEqual(list(p.unsortedIndices), S.unsortedIndices);
  p.data.backward(decode(S.upstream));
  seqs.forEach((s, i) => assert.deepEqual([...s.grad!.toArray()], values(S.grads[i]!)));
});

const LAYERS = { RNN: nn.RNN, LSTM: nn.LSTM, GRU: nn.GRU } as unknown as Record<string, new (i: number, h: number, o: object) => nn.RNNBase>;

for (const c of fx.layers) {
  test(`nn.${c.title} over packed input: PyTorch's packed output, final states and every gradient`, () => {
    manualSeed(c.seed);
    const m = new LAYERS[c.kind]!(c.size[0], c.size[1], c.options);
    const x = decode(c.input, true);
    const states = c.states.map((s) => decode(s, true));
    const p = R.packPaddedSequence(x, c.lengths, { batchFirst: c.options['batchFirst'] === true, enforceSorted: c.enforceSorted });
    const hx = states.length === 0 ? null : c.kind === 'LSTM' ? [states[0]!, states[1]!] : states[0]!;
    const [y, h] = (m as unknown as { forward(i: unknown, h: unknown): [InstanceType<typeof R.PackedSequence>, Tensor | [Tensor, Tensor]] }).forward(p, hx);
    assert.ok(y instanceof R.PackedSequence);
    assert.deepEqual(y.sizes(), c.batchSizes);
    assert.deepEqual(list(y.sortedIndices), c.sortedIndices);
    assertTensorClose(y.data, c.data, 'output data');
    const finals = c.kind === 'LSTM' ? (h as [Tensor, Tensor]) : [h as Tensor];
    finals.forEach((f, i) => assertTensorClose(f, c.finals[i]!, `final state ${i}`));
    // d(Σ out·u) for the output and each final state at once.
    let total = y.data.mul(decode(c.upstreams[0]!)).sum();
    finals.forEach((f, i) => { total = total.add(f.mul(decode(c.upstreams[i + 1]!)).sum()); });
    total.backward();
    assertTensorClose(x.grad, c.inputGrad, 'input gradient');
    states.forEach((s, i) => assertTensorClose(s.grad, c.stateGrads[i]!, `state ${i} gradient`));
    for (const [n, q] of m.namedParameters()) assertTensorClose(q.grad, c.paramGrads[n]!, `${n}.grad`);
  });
}

test('a packed run gives each sequence the final state of its own last step: the same as running it alone', () => {
  manualSeed(8);
  const gru = new nn.GRU(2, 3);
  const x = decode({ shape: [4, 2, 2], data: [0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.7, -0.8, 0.9, 0.1, -0.2, 0.3, 0.4, 0.5, -0.6, 0.7] });
  const [, h] = gru.forward(R.packPaddedSequence(x, [2, 4], { enforceSorted: false }));
  const [, alone0] = gru.forward(x.narrow(0, 0, 2).narrow(1, 0, 1));
  const [, alone1] = gru.forward(x.narrow(1, 1, 1));
  assertTensorClose(h.narrow(1, 0, 1), { shape: [1, 1, 3], data: [...alone0.toArray()] }, 'sequence 0');
  assertTensorClose(h.narrow(1, 1, 1), { shape: [1, 1, 3], data: [...alone1.toArray()] }, 'sequence 1');
});

test("packed sequences' refusals: PyTorch's words", () => {
  const x = zeros([4, 3, 2]);
  const F = fx.refusals;
  const refused = (run: () => unknown, m: string): void => assert.throws(run, (e: Error) => e.message === m, m);
  refused(() => R.packPaddedSequence(x, [2, 4, 1]), F['unsorted lengths']!.message);
  refused(() => R.packPaddedSequence(x, [4, 2, 0]), F['zero length']!.message);
  refused(() => R.packPaddedSequence(x, [4, 2]), F['lengths count']!.message);
  refused(() => R.padPackedSequence(R.packPaddedSequence(x, [4, 2, 1]), { totalLength: 3 }), F['total length too short']!.message);
  // An input with no elements: PyTorch's words, then Kindling's shape.
  const empty = (run: () => unknown, m: string): void => assert.throws(run, (e: Error) => e instanceof KindlingError && e.message.startsWith(m), m);
  empty(() => R.packPaddedSequence(zeros([4, 0, 2]), []), F['empty batch']!.message);
  empty(() => R.packPaddedSequence(zeros([0, 2, 2]), [1, 1], { enforceSorted: false }), F['no steps']!.message);
  empty(() => R.packPaddedSequence(zeros([3, 2, 0]), [3, 1]), F['no features']!.message);
  empty(() => R.packPaddedSequence(zeros([0, 4, 2]), [], { batchFirst: true }), F['empty batch']!.message);
  // Where PyTorch reads past the input, Kindling refuses.
  assert.throws(() => R.packPaddedSequence(x, [5, 2, 1]), /the longest length is 5, but the input has 4 time steps/);
  assert.throws(() => R.packPaddedSequence(x, [2.5, 2, 1]), /lengths must be an array \(or 1-D tensor\) of whole numbers/);
  // PyTorch 1.13's words for lengths of more (or fewer) dimensions than one: "'lengths' argument should be a 1D CPU
  // int64 tensor, but got 2D cpu Long tensor".
  assert.throws(() => R.packPaddedSequence(x, tensor([[4], [2], [1]])), /^KindlingError: 'lengths' argument should be a 1D CPU int64 tensor, but got 2D tensor \(packPaddedSequence: lengths of shape \[3, 1\]/);
  assert.throws(() => R.packPaddedSequence(zeros([4, 1, 2]), tensor(4)), /but got 0D tensor/);
  const rnn = new nn.RNN(2, 3);
  assert.throws(() => rnn.forward(R.packPaddedSequence(x, [4, 2, 1]) as never, zeros([1, 2, 3])), /Expected hidden size \(1, 3, 3\), got \[1, 2, 3\]/);
  assert.throws(() => new nn.RNN(5, 3).forward(R.packPaddedSequence(x, tensor([4, 2, 1])) as never), /input.size\(-1\) must be equal to input_size. Expected 5, got 2/);
});
