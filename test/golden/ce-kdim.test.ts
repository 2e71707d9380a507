// Cross-entropy and NLL with the class dimension 1 of [N, C, d1, …] scores, and F.linear with a bias of one value
// ([1] or []), against PyTorch (fixtures/torch/ce-kdim.json, from make_ce_kdim.py): forward values, and gradients
// with respect to every input that needs one (not the loss targets, as in losses.json).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, nn, tensor, zeros, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, values, type EncodedMap } from './golden-helpers.js';
import { throwsWith } from '../engine/throws.js';

type Reduction = 'mean' | 'sum' | 'none';

interface Case {
  name: string;
  op: string;
  args: { reduction?: Reduction };
  inputs: EncodedMap;
  outputs: EncodedMap;
  upstream: EncodedMap;
  grads: EncodedMap;
}

const { cases } = loadFixture<{ cases: Case[] }>('ce-kdim.json');

/** Each loss both ways: the functional form and the module. */
const LOSSES: Record<string, ((input: Tensor, target: Tensor, reduction: Reduction) => Tensor)[]> = {
  crossEntropyLoss: [
    (input, target, reduction) => F.crossEntropyLoss(input, target, { reduction }),
    (input, target, reduction) => new nn.CrossEntropyLoss({ reduction }).forward(input, target),
  ],
  nllLoss: [
    (input, target, reduction) => F.nllLoss(input, target, { reduction }),
    (input, target, reduction) => new nn.NLLLoss({ reduction }).forward(input, target),
  ],
};

test('ce-kdim.json has each loss with each reduction, and linear with both one-value biases', () => {
  for (const op of Object.keys(LOSSES)) {
    for (const r of ['mean', 'sum', 'none']) assert.ok(cases.some((c) => c.op === op && c.args.reduction === r), `${op} ${r}`);
  }
  assert.ok(cases.some((c) => c.op === 'crossEntropyLoss' && c.name.endsWith('_probs')), 'probability targets');
  for (const shape of [[1], []]) assert.ok(cases.some((c) => c.op === 'linear' && c.inputs.bias!.shape.length === shape.length), `bias ${shape.length}-d`);
});

for (const c of cases.filter((k) => k.op in LOSSES)) {
  LOSSES[c.op]!.forEach((loss, form) => {
    test(`${c.name} (${form === 0 ? 'F' : 'nn'})`, () => {
      const input = decode(c.inputs.input!, true);
      const target = decode(c.inputs.target!); // class indices arrive as a float tensor of integers
      const out = loss(input, target, c.args.reduction!);
      assertTensorClose(out, c.outputs.out!, `${c.name} value`);
      out.backward(decode(c.upstream.out!));
      assertTensorClose(input.grad, c.grads.input!, `${c.name} grad`);
    });
  });
}

/** A [out, in] weight stored transposed, as nn.Linear stores it (the sparse one-row path of linear). */
function transposedWeight(e: EncodedMap[string]): Tensor {
  const [outF, inF] = e.shape as [number, number];
  return tensor(Float32Array.from(values(e)), [outF, inF]).T.contiguous().T.detach().requiresGrad_();
}

for (const c of cases.filter((k) => k.op === 'linear')) {
  for (const layout of ['row-major', 'transposed'] as const) {
    test(`${c.name} (${layout} weight)`, () => {
      const x = decode(c.inputs.x!, true);
      const weight = layout === 'row-major' ? decode(c.inputs.weight!, true) : transposedWeight(c.inputs.weight!);
      const bias = decode(c.inputs.bias!, true);
      const out = F.linear(x, weight, bias);
      assertTensorClose(out, c.outputs.out!, `${c.name} value`);
      out.backward(decode(c.upstream.out!));
      assertTensorClose(x.grad, c.grads.x!, `${c.name} x grad`);
      assertTensorClose(weight.grad, c.grads.weight!, `${c.name} weight grad`);
      assertTensorClose(bias.grad, c.grads.bias!, `${c.name} bias grad`);
    });
  }
}

test('class-dimension losses name both shapes when the target does not fit', () => {
  throwsWith(() => F.crossEntropyLoss(zeros([2, 3, 4]), zeros([2, 5])), RangeError,
    'crossEntropyLoss', '[2, 3, 4]', 'class indices of shape [2, 4]', 'probabilities of shape [2, 3, 4]', 'got [2, 5]');
  throwsWith(() => F.crossEntropyLoss(zeros([2, 3, 4, 5]), zeros([2, 4])), RangeError, 'crossEntropyLoss', '[2, 3, 4, 5]', '[2, 4, 5]', 'got [2, 4]');
  throwsWith(() => F.crossEntropyLoss(zeros([2, 3, 4]), zeros([3, 4])), RangeError, 'crossEntropyLoss', '[2, 3, 4]', '[2, 4]', 'got [3, 4]');
  throwsWith(() => F.crossEntropyLoss(zeros([2, 3, 4]), zeros([2, 4, 3])), RangeError, 'crossEntropyLoss', '[2, 3, 4]', 'got [2, 4, 3]');
  throwsWith(() => new nn.CrossEntropyLoss().forward(zeros([2, 3, 4]), zeros([2])), RangeError, 'crossEntropyLoss', '[2, 3, 4]', '[2, 4]', 'got [2]');
  throwsWith(() => F.nllLoss(zeros([2, 3, 4]), zeros([2, 3, 4])), RangeError, 'nllLoss', '[2, 3, 4]', 'class indices of shape [2, 4]', 'got [2, 3, 4]');
  throwsWith(() => new nn.NLLLoss().forward(zeros([2, 3, 4]), zeros([2, 5])), RangeError, 'nllLoss', '[2, 3, 4]', '[2, 4]', 'got [2, 5]');
  // a class index out of range is still caught, at its flat position in the target
  throwsWith(() => F.crossEntropyLoss(zeros([1, 3, 2]), tensor([[0, 3]])), RangeError, 'crossEntropyLoss', 'target 3', 'position 1');
  throwsWith(() => F.nllLoss(zeros([1, 3, 2]), tensor([[-1, 0]])), RangeError, 'nllLoss', 'target -1', 'position 0');
  // 2-D scores keep their own rule: [N, C] against [N]
  throwsWith(() => F.crossEntropyLoss(zeros([2, 3]), zeros([2, 4])), RangeError, 'crossEntropyLoss', '[2]', '[2, 3]', 'got [2, 4]');
});

test('linear refuses a bias that does not broadcast over the outputs, naming both shapes', () => {
  throwsWith(() => F.linear(zeros([2, 5]), zeros([4, 5]), zeros([2])), RangeError, 'linear', '[4]', 'got [2]');
  throwsWith(() => F.linear(zeros([2, 5]), zeros([4, 5]), zeros([1, 1])), RangeError, 'linear', '[4]', 'got [1, 1]');
  throwsWith(() => F.linear(zeros([2, 5]), zeros([4, 5]), zeros([5])), RangeError, 'linear', '[4]', 'got [5]');
});

test('reduction none gives [N, d1, …] and mean is the mean of those, as flattening gives', () => {
  const x = tensor(Float32Array.from({ length: 24 }, (_, i) => Math.sin(i)), [2, 3, 2, 2]);
  const t = tensor([[[0, 1], [2, 0]], [[1, 1], [2, 2]]]);
  const none = F.crossEntropyLoss(x, t, { reduction: 'none' });
  assert.deepEqual(none.shape, [2, 2, 2]);
  const flat = F.crossEntropyLoss(x.permute(0, 2, 3, 1).reshape(-1, 3), t.reshape(-1), { reduction: 'none' });
  assert.deepEqual(Array.from(none.values()), Array.from(flat.values()));
  assert.equal(F.crossEntropyLoss(x, t).item(), F.crossEntropyLoss(x.permute(0, 2, 3, 1).reshape(-1, 3), t.reshape(-1)).item());
});
