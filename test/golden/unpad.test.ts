// nn.utils.rnn.unpadSequence and unpackSequence against PyTorch 1.13's unpad_sequence and unpack_sequence
// (fixtures/torch/unpad.json, make_unpad.py): the sequences bit for bit (copies), their grad_fn (IndexBackward0) and
// the gradient back to the padded batch or to each sequence packed, over batch first or not, trailing dimensions
// none to two, lengths past the padded length or 0, and packed batches sorted or not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autograd, KindlingError, nn, tensor, zeros, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

const R = nn.utils.rnn;
const EXACT = { rtol: 0, atol: 0 };

interface UnpadCase { padded: EncodedTensor; lengths: number[]; batchFirst: boolean; sequences: EncodedTensor[]; gradFns: string[]; grad: EncodedTensor }
interface UnpackCase { sequences: EncodedTensor[]; enforceSorted: boolean; out: EncodedTensor[]; grads: EncodedTensor[] }
const fx = loadFixture<{ unpad: UnpadCase[]; unpack: UnpackCase[] }>('unpad.json');

test("unpadSequence: PyTorch's sequences, grad_fn and the padded batch's gradient", () => {
  assert.equal(fx.unpad.length, 8);
  fx.unpad.forEach((c, k) => {
    for (const asTensor of [false, true]) {
      const padded = decode(c.padded, true);
      const before = [...padded.values()];
      const lengths = asTensor ? tensor(c.lengths) : c.lengths;
      const seqs = asTensor ? R.unpadSequence(padded, lengths, { batchFirst: c.batchFirst }) : R.unpadSequence(padded, lengths, c.batchFirst);
      assert.equal(seqs.length, c.sequences.length);
      seqs.forEach((s, i) => {
        assertTensorClose(s, c.sequences[i]!, `case ${k} sequence ${i}`, EXACT);
        assert.equal(s.gradFn?.torchName, c.gradFns[i]);
      });
      // Copies, as PyTorch's seq[mask]; and the padded batch left as it was (PyTorch's transposes it in place).
      seqs[0]!.detach().mul_(0);
      assert.deepEqual([...padded.values()], before);
      const live = seqs.filter((s) => s.numel() > 0);
      autograd.backward(live, live.map((s) => upstreamOf(s.shape)));
      assertTensorClose(padded.grad, c.grad, `case ${k} gradient`, EXACT);
    }
  });
});

test("unpackSequence: PyTorch's sequences in the order packed and each one's gradient", () => {
  assert.equal(fx.unpack.length, 4);
  fx.unpack.forEach((c, k) => {
    const seqs = c.sequences.map((e) => decode(e, true));
    const out = R.unpackSequence(R.packSequence(seqs, c.enforceSorted));
    assert.equal(out.length, c.out.length);
    out.forEach((s, i) => assertTensorClose(s, c.out[i]!, `case ${k} sequence ${i}`, EXACT));
    autograd.backward(out, out.map((s) => upstreamOf(s.shape)));
    seqs.forEach((s, i) => assertTensorClose(s.grad, c.grads[i]!, `case ${k} gradient ${i}`, EXACT));
  });
});

test('unpadSequence and unpackSequence refuse what is not theirs, saying what they expected', () => {
  assert.throws(() => R.unpadSequence(zeros([3, 2, 1]), [3]), (e: Error) => e instanceof KindlingError && /unpadSequence: got 1 lengths for a batch of 2 sequences/.test(e.message));
  assert.throws(() => R.unpadSequence(zeros([3]), [3]), /unpadSequence: paddedSequences must be \[T, B, \*\]/);
  assert.throws(() => R.unpadSequence(zeros([3, 2]), [1.5, 2]), /unpadSequence: lengths must be an array \(or 1-D tensor\) of whole numbers/);
  assert.throws(() => R.unpadSequence(zeros([3, 2]), [1, 2], 'yes' as never), /unpadSequence: batchFirst must be true or false/);
  assert.throws(() => R.unpackSequence(zeros([3, 2]) as never), /unpackSequence: expects a PackedSequence/);
});

/** fixture_io.upstream: g[i] = (i + 1)/2·(−1)^i over the tensor, row-major. */
function upstreamOf(shape: readonly number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(Array.from({ length: n }, (_, i) => ((i + 1) / 2) * (i % 2 === 0 ? 1 : -1)), [...shape]);
}
