// Cross-entropy and NLL with PyTorch's options weight, ignoreIndex and labelSmoothing, against PyTorch 1.13
// (fixtures/torch/ce-options.json, from make_ce_options.py): each case is one input [C], [N, C] or [N, C, d] with
// its three reductions (values, and the input gradient of Σ out·upstream over the three), functional and module
// forms; and the option errors PyTorch raises, which Kindling must raise too (with its own, clearer messages).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, nn, noGrad, tensor, zeros, type Tensor } from '../../src/index.js';
import { assertClose, assertTensorClose, decode, loadFixture, type EncodedMap } from './golden-helpers.js';
import { throwsWith } from '../engine/throws.js';

type Reduction = 'mean' | 'sum' | 'none';
const REDUCTIONS: Reduction[] = ['mean', 'sum', 'none'];

interface Options {
  ignoreIndex?: number;
  labelSmoothing?: number;
}

interface Case {
  name: string;
  op: 'crossEntropyLoss' | 'nllLoss';
  args: Options;
  inputs: EncodedMap;
  outputs: EncodedMap;
  upstream: EncodedMap;
  grads: EncodedMap;
}

interface ErrorCase {
  name: string;
  op: 'crossEntropyLoss' | 'nllLoss';
  args: { weightShape?: number[]; labelSmoothing?: number; ignoreIndex?: number; probs?: boolean };
  torchMessage: string;
}

const { cases, errors } = loadFixture<{ cases: Case[]; errors: ErrorCase[] }>('ce-options.json');

type Loss = (input: Tensor, target: Tensor, options: Options & { reduction: Reduction; weight?: Tensor }) => Tensor;

/** Each loss both ways: the functional form and the module. */
const LOSSES: Record<Case['op'], Loss[]> = {
  crossEntropyLoss: [
    (input, target, o) => F.crossEntropyLoss(input, target, o),
    (input, target, o) => new nn.CrossEntropyLoss(o).forward(input, target),
  ],
  nllLoss: [
    (input, target, o) => F.nllLoss(input, target, o),
    (input, target, o) => new nn.NLLLoss(o).forward(input, target),
  ],
};

test('ce-options.json covers each option, alone and together, on every input rank', () => {
  for (const rank of ['c', 'nc', 'ncd']) {
    for (const v of ['weight', 'ignore2', 'all_ignored', 'zero_total_weight', 'smooth_weight', 'smooth_weight_ignore1', 'probs_weight', 'probs_weight_smooth_ignore_neg']) {
      assert.ok(cases.some((c) => c.name.endsWith(`_${rank}_${v}`)), `${rank} ${v}`);
    }
  }
  for (const v of ['ignore_default', 'weight_ignore2', 'weight_ignore_default', 'smooth', 'smooth_ignore_default', 'smooth_all_ignored', 'smooth_one', 'probs_smooth']) {
    assert.ok(cases.some((c) => c.name.endsWith(`_ncd_${v}`)), v);
  }
  assert.ok(cases.some((c) => Number.isNaN(Number(c.outputs.mean!.data[0]))), 'a NaN mean');
});

for (const c of cases) {
  LOSSES[c.op].forEach((loss, form) => {
    test(`${c.name} (${form === 0 ? 'F' : 'nn'})`, () => {
      const input = decode(c.inputs.input!, true);
      const target = decode(c.inputs.target!); // class indices arrive as a float tensor of integers
      const weight = c.inputs.weight === undefined ? {} : { weight: decode(c.inputs.weight) };
      for (const reduction of REDUCTIONS) {
        const out = loss(input, target, { reduction, ...weight, ...c.args });
        assertTensorClose(out, c.outputs[reduction]!, `${c.name} ${reduction} value`);
        out.backward(decode(c.upstream[reduction]!)); // the three gradients accumulate, as the fixture's sum
      }
      assertTensorClose(input.grad, c.grads.input!, `${c.name} grad`);
    });
  });
}

/** The call each refused case of the fixture makes, in Kindling's terms. */
function attempt(e: ErrorCase): () => Tensor {
  const x = zeros([3, 5]);
  const probs = zeros([3, 5]).add(0.2);
  const target = e.name === 'target_out_of_range' ? tensor([0, 5, 1]) : e.name === 'target_negative' ? tensor([0, -1, 1]) : tensor([0, 4, 1]);
  const options = {
    ...(e.args.weightShape ? { weight: zeros(e.args.weightShape).add(1) } : {}),
    ...(e.args.labelSmoothing === undefined ? {} : { labelSmoothing: e.args.labelSmoothing }),
    ...(e.args.ignoreIndex === undefined ? {} : { ignoreIndex: e.args.ignoreIndex }),
  };
  const t = e.args.probs ? probs : target;
  return e.op === 'nllLoss' ? () => F.nllLoss(x, t, options) : () => F.crossEntropyLoss(x, t, options);
}

test('what PyTorch refuses, Kindling refuses', () => {
  assert.ok(errors.length >= 8);
  for (const e of errors) assert.throws(attempt(e), (err: unknown) => err instanceof RangeError || err instanceof TypeError, `${e.name} (PyTorch: ${e.torchMessage})`);
});

test('option errors say what was expected', () => {
  const x = zeros([3, 5]);
  const t = tensor([0, 4, 1]);
  const p = zeros([3, 5]).add(0.2);
  throwsWith(() => F.crossEntropyLoss(x, t, { weight: zeros([4]) }), RangeError, 'crossEntropyLoss: weight must have one value for each of the input\'s 5 classes (shape [5]), got shape [4]');
  throwsWith(() => F.crossEntropyLoss(x, p, { weight: zeros([6]) }), RangeError, 'crossEntropyLoss: weight', '5 classes', 'got shape [6]');
  throwsWith(() => F.nllLoss(x, t, { weight: zeros([1, 5]) }), RangeError, 'nllLoss: weight must be a 1-D tensor of one weight per class, got shape [1, 5]');
  throwsWith(() => F.nllLoss(zeros([2, 5, 3]), zeros([2, 3]), { weight: zeros([3]) }), RangeError, 'nllLoss: weight', '5 classes', 'got shape [3]');
  throwsWith(() => new nn.NLLLoss({ weight: [1, 2] as unknown as Tensor }), TypeError, 'NLLLoss: weight must be a 1-D tensor of one weight per class, got an array');
  throwsWith(() => new nn.CrossEntropyLoss({ weight: zeros([2, 2]) }), RangeError, 'CrossEntropyLoss: weight must be a 1-D tensor', 'got shape [2, 2]');
  throwsWith(() => F.crossEntropyLoss(x, t, { labelSmoothing: 1.5 }), RangeError, 'crossEntropyLoss: labelSmoothing must be a number between 0 and 1, got the number 1.5');
  throwsWith(() => F.crossEntropyLoss(x, t, { labelSmoothing: -0.1 }), RangeError, 'labelSmoothing must be a number between 0 and 1, got the number -0.1');
  throwsWith(() => F.crossEntropyLoss(x, t, { labelSmoothing: NaN }), RangeError, 'labelSmoothing must be a number between 0 and 1');
  throwsWith(() => new nn.CrossEntropyLoss({ labelSmoothing: '0.1' as unknown as number }), RangeError, 'CrossEntropyLoss: labelSmoothing', 'got the string "0.1"');
  throwsWith(() => F.nllLoss(x, t, { ignoreIndex: 1.5 }), TypeError, 'nllLoss: ignoreIndex must be an integer', 'got the number 1.5');
  throwsWith(() => new nn.CrossEntropyLoss({ ignoreIndex: '-100' as unknown as number }), TypeError, 'CrossEntropyLoss: ignoreIndex must be an integer', 'got the string "-100"');
  throwsWith(() => F.crossEntropyLoss(x, p, { ignoreIndex: 0 }), RangeError, 'crossEntropyLoss: ignoreIndex (0) applies to class-index targets only', 'only a negative ignoreIndex');
  throwsWith(() => F.crossEntropyLoss(zeros([2, 5, 3]), zeros([2, 5, 3]), { ignoreIndex: 2 }), RangeError, 'ignoreIndex (2)');
  // a class index out of range that is not ignoreIndex is still an error, ignoreIndex or not
  throwsWith(() => F.nllLoss(x, tensor([0, 5, 2]), { ignoreIndex: 2 }), RangeError, 'nllLoss: target 5 at position 1 is out of bounds for 5 classes');
  throwsWith(() => F.crossEntropyLoss(x, tensor([0, -1, 2]), { ignoreIndex: 2 }), RangeError, 'crossEntropyLoss: target -1 at position 1');
  throwsWith(() => F.crossEntropyLoss(x, tensor([0, -100, 2]), { ignoreIndex: 2 }), RangeError, 'target -100 at position 1');
  throwsWith(() => F.crossEntropyLoss(zeros([1, 5, 2]), tensor([[0, 7]]), { labelSmoothing: 0.1 }), RangeError, 'target 7', 'position 1');
});

test('a weight that requires grad is refused with class indices, as PyTorch\'s nll_loss refuses it, and differentiated with probabilities', () => {
  const w = tensor([0.5, 2, 1, 0.25], { requiresGrad: true });
  const s = tensor([[1, 2, 3, 4], [0, 1, 0, 1]], { requiresGrad: true });
  const idx = tensor([1, 3]);
  const said = "weight requires grad, but the loss has no gradient for it (PyTorch's";
  throwsWith(() => F.crossEntropyLoss(s, idx, { weight: w }), Error, `crossEntropyLoss: ${said} cross_entropy (its nll_loss) refuses it too`);
  throwsWith(() => F.crossEntropyLoss(s, idx, { weight: w, labelSmoothing: 0.1 }), Error, `crossEntropyLoss: ${said}`);
  throwsWith(() => F.crossEntropyLoss(s.reshape(2, 4, 1), idx.reshape(2, 1), { weight: w }), Error, `crossEntropyLoss: ${said}`);
  throwsWith(() => F.nllLoss(s.detach(), idx, { weight: w }), Error, `nllLoss: ${said} nll_loss refuses it too`, "argument 'weight'");
  // Without grad mode PyTorch computes it, and so does Kindling: the same value as with the weight detached.
  assert.equal(noGrad(() => F.crossEntropyLoss(s, idx, { weight: w })).item(), F.crossEntropyLoss(s, idx, { weight: w.detach() }).item());
  // With probabilities the weight gets PyTorch's gradient (torch 1.13: the loss 1.47133469581604, weight.grad
  // [0.42281055450439453, 0.3698200583457947, 0.4668295383453369, 0.21383903920650482]; grad-loss.test.ts checks it
  // against finite differences).
  const p = tensor([[0.1, 0.2, 0.3, 0.4], [0.25, 0.25, 0.25, 0.25]]);
  const l = F.crossEntropyLoss(s, p, { weight: w });
  l.backward();
  assert.ok(Math.abs(l.item() - 1.47133469581604) < 1e-6);
  assertClose(Array.from(w.grad!.values()), [0.42281055450439453, 0.3698200583457947, 0.4668295383453369, 0.21383903920650482], 'weight.grad', { rtol: 1e-6, atol: 0 });
});

test('the default ignoreIndex (-100) is skipped without options, as in PyTorch; other values are unchanged', () => {
  const x = tensor([[0.5, -1, 2], [1, 0, -0.5], [0.1, 0.2, 0.3]], { requiresGrad: true });
  const all = F.crossEntropyLoss(x, tensor([2, 0, 1]), { reduction: 'none' });
  const some = F.crossEntropyLoss(x, tensor([2, -100, 1]), { reduction: 'none' });
  assert.deepEqual(Array.from(some.values()), [all.values()[0], 0, all.values()[2]]);
  const mean = F.crossEntropyLoss(x, tensor([2, -100, 1]));
  assert.equal(mean.item(), Math.fround((all.values()[0]! + all.values()[2]!) / 2));
  mean.backward();
  assert.deepEqual(Array.from(x.grad!.values()).slice(3, 6), [0, 0, 0]);
});

test('the module keeps its options, the weight as a buffer that is not a parameter; a weight that requires grad is refused', () => {
  const w = tensor([1, 2, 3]);
  const loss = new nn.CrossEntropyLoss({ weight: w, ignoreIndex: 1, labelSmoothing: 0.1, reduction: 'sum' });
  assert.equal(loss.reduction, 'sum');
  assert.equal(loss.ignoreIndex, 1);
  assert.equal(loss.labelSmoothing, 0.1);
  assert.equal(loss.weight, w);
  assert.deepEqual(Object.keys(loss.stateDict()), ['weight']);
  assert.equal(loss.parameters().length, 0);
  for (const make of [() => new nn.CrossEntropyLoss({ weight: w.detach().requiresGrad_() }), () => new nn.NLLLoss({ weight: w.detach().requiresGrad_() })]) {
    throwsWith(make, TypeError, 'Loss: weight requires grad, but a loss module keeps its weights as buffers, which are not trained; pass weight.detach()');
  }
  const d = new nn.NLLLoss();
  assert.equal(d.weight, null);
  assert.equal(d.ignoreIndex, -100);
  assert.equal(d.reduction, 'mean');
});

test('without options the values and gradients are the plain ones, bit for bit', () => {
  const x = tensor(Float32Array.from({ length: 12 }, (_, i) => Math.sin(i * 1.7) * 3), [4, 3], { requiresGrad: true });
  const t = tensor([2, 0, 1, 1]);
  for (const reduction of REDUCTIONS) {
    const plain = F.crossEntropyLoss(x, t, { reduction });
    const ones = F.crossEntropyLoss(x, t, { reduction, weight: tensor([1, 1, 1]), ignoreIndex: -100, labelSmoothing: 0 });
    assert.deepEqual(Array.from(ones.values()), Array.from(plain.values()), reduction);
  }
});
