// nn.utils.rnn.padSequence and nn.utils.clipGradValue_ against PyTorch 1.13 (fixtures/torch/utils-extra.json,
// make_utils_extra.py): padded outputs bit for bit (1-D to 3-D sequences, an empty one, batchFirst, paddingValue, the
// same tensor twice), each sequence's gradient bit for bit, PyTorch's grad_fn (CopySlices) and its refusal; the
// gradients after clipGradValue_ bit for bit (NaN kept, ±∞ clipped, a parameter without a gradient skipped).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nn, tensor, zeros, type Tensor } from '../../src/index.js';
import { decode, loadFixture, values, type EncodedTensor } from './golden-helpers.js';

interface PadCase {
  name: string; args: { batchFirst?: boolean; paddingValue?: number }; sequences: EncodedTensor[]; same: boolean; output: EncodedTensor;
  upstream: EncodedTensor; grads: EncodedTensor[]; gradFn: string;
}
type Special = number | 'NaN' | 'Infinity' | '-Infinity';
interface ClipCase { clipValue: number; before: { shape: number[]; data: Special[] }[]; after: { shape: number[]; data: Special[] }[] }
const fx = loadFixture<{ pad: PadCase[]; clip: ClipCase[]; errors: { name: string; error: string }[] }>('utils-extra.json');
const bits = (t: Tensor | null): number[] => Array.from(t!.toArray());
const num = (v: Special): number => (v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : Math.fround(v));

test('padSequence: PyTorch\'s padded output, gradients and grad_fn', () => {
  assert.ok(fx.pad.length >= 6 && fx.pad.some((c) => c.same) && fx.pad.some((c) => c.args.batchFirst === true));
  for (const c of fx.pad) {
    const first = c.sequences.map((e) => decode(e, true));
    const seqs = c.same ? [first[0]!, first[0]!] : first;
    const y = nn.utils.rnn.padSequence(seqs, c.args);
    assert.deepEqual(y.shape, c.output.shape, c.name);
    assert.deepEqual(bits(y), values(c.output), `${c.name}: output`);
    assert.equal(y.gradFn?.torchName, c.gradFn, `${c.name}: grad_fn`);
    y.mul(decode(c.upstream)).sum().backward();
    c.grads.forEach((g, i) => assert.deepEqual(bits(seqs[i]!.grad), values(g), `${c.name}: grad ${i}`));
  }
  // PyTorch's positional form: padSequence(sequences, batchFirst, paddingValue).
  const c = fx.pad.find((p) => p.name === '3-d padding')!;
  assert.deepEqual(bits(nn.utils.rnn.padSequence(c.sequences.map((e) => decode(e)), false, -1.5)), values(c.output));
});

test('padSequence refuses as PyTorch does, and names what is wrong', () => {
  assert.throws(() => nn.utils.rnn.padSequence([]), (e: Error) => e.message.includes(fx.errors[0]!.error));
  assert.throws(() => nn.utils.rnn.padSequence([zeros(2, 3), zeros(2, 4)]), /sequence 1 has shape \[2, 4\], whose trailing dimensions \[4\] differ from the first sequence's \[3\]/);
  assert.throws(() => nn.utils.rnn.padSequence([tensor(1)]), /sequence 0 is 0-d/);
  assert.throws(() => nn.utils.rnn.padSequence([zeros(2)], { batch_first: true } as object), /unknown option "batch_first"/);
  assert.throws(() => nn.utils.rnn.padSequence([zeros(2), 3 as unknown as Tensor]), /sequence 1 is not a Tensor/);
});

test('clipGradValue_: gradients clamped in place as PyTorch\'s clip_grad_value_', () => {
  for (const c of fx.clip) {
    const ps = [zeros([2, 3], { requiresGrad: true }), zeros([4], { requiresGrad: true }), zeros([2], { requiresGrad: true })];
    c.before.forEach((b, i) => { ps[i]!.grad = tensor(b.data.map(num), b.shape); });
    const grads = ps.slice(0, 2).map((p) => p.grad);
    nn.utils.clipGradValue_(ps, c.clipValue);
    c.after.forEach((a, i) => {
      assert.equal(ps[i]!.grad, grads[i], 'in place');
      assert.deepEqual(bits(ps[i]!.grad), a.data.map(num), `clip ${c.clipValue}: parameter ${i}`);
    });
    assert.equal(ps[2]!.grad, null);
  }
});
