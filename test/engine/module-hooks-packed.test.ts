// A full backward hook on a module that returns a PackedSequence: as PyTorch 1.13, which takes the namedtuple as a
// tuple, gradOutput has one entry per field (data's gradient, then null for batchSizes, sortedIndices and
// unsortedIndices). The expected values are what torch 1.13 gives for the same module and loss.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arange, nn, tensor, type Tensor } from '../../src/index.js';

const { PackedSequence, packPaddedSequence } = nn.utils.rnn;
const keep = (gs: readonly (Tensor | null)[]): (Tensor | null)[] => gs.map((g) => (g === null ? null : g.clone()));
const values = (gs: readonly (Tensor | null)[] | undefined): unknown[] | undefined => gs?.map((g) => (g === null ? null : g.tolist()));

class Pack extends nn.Module {
  // As nn.LSTM declares its forward: the PackedSequence overload first, then Module's own signature.
  forward(x: Tensor, lengths: Tensor): InstanceType<typeof PackedSequence>;
  forward(input: Tensor, ...rest: unknown[]): Tensor;
  forward(x: Tensor, lengths: Tensor): InstanceType<typeof PackedSequence> | Tensor {
    return packPaddedSequence(x.mul(2), lengths, { enforceSorted: false });
  }
}

test('a module returning a PackedSequence: gradOutput is [data\'s gradient, null, null, null], as PyTorch\'s namedtuple', () => {
  const m = new Pack();
  let gi: (Tensor | null)[] | undefined;
  let go: (Tensor | null)[] | undefined;
  m.registerFullBackwardHook((_m, gradInput, gradOutput) => {
    gi = keep(gradInput);
    go = keep(gradOutput);
  });
  const x = tensor([[[1], [2]], [[3], [4]], [[5], [6]]], { requiresGrad: true });
  const out = m.forward(x, tensor([3, 2]));
  // Still a PackedSequence (PyTorch 1.13 returns a plain tuple here), its data passed through the hook's node.
  assert.ok(out instanceof PackedSequence);
  assert.equal(out.data.gradFn?.torchName, 'BackwardHookFunctionBackward');
  assert.deepEqual(out.batchSizes.tolist(), [2, 2, 1]);
  assert.deepEqual(out.sortedIndices?.tolist(), [0, 1]);
  out.data.mul(arange(1, 6).reshape([5, 1])).sum().backward();
  // torch 1.13: grad_output = (tensor([[1.], [2.], [3.], [4.], [5.]]), None, None, None);
  // grad_input = (tensor([[[2.], [4.]], [[6.], [8.]], [[10.], [0.]]]), tensor([0, 0])).
  assert.deepEqual(values(go), [[[1], [2], [3], [4], [5]], null, null, null]);
  assert.deepEqual(values(gi), [[[[2], [4]], [[6], [8]], [[10], [0]]], [0, 0]]);
  assert.deepEqual(x.grad?.tolist(), [[[2], [4]], [[6], [8]], [[10], [0]]]);
});

test('the hooked PackedSequence goes on into nn.LSTM; with no gradient recorded it is returned as it is', () => {
  const m = new Pack();
  let calls = 0;
  m.registerFullBackwardHook(() => {
    calls++;
  });
  const x = tensor([[[1], [2]], [[3], [4]], [[5], [6]]], { requiresGrad: true });
  const [y] = new nn.LSTM(1, 1).forward(m.forward(x, tensor([3, 2])));
  assert.ok(y instanceof PackedSequence);
  y.data.sum().backward();
  assert.equal(calls, 1);
  const plain = m.forward(x.detach(), tensor([3, 2]));
  assert.equal(plain.data.gradFn, null);
  plain.data.sum();
  assert.equal(calls, 1);
});
