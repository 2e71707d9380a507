// BCE losses with PyTorch's options weight and (with logits) posWeight, against PyTorch 1.13
// (fixtures/torch/bce-options.json, from make_bce_options.py): each case is one input with its three reductions
// (values, and the input and target gradients of Σ out·upstream over the three), functional and module forms;
// and the shapes PyTorch refuses, which Kindling must refuse too (with its own, clearer messages).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, nn, noGrad, tensor, zeros, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedMap } from './golden-helpers.js';
import { loose, throwsWith } from '../engine/throws.js';

type Reduction = 'mean' | 'sum' | 'none';
const REDUCTIONS: Reduction[] = ['mean', 'sum', 'none'];

interface Case {
  name: string;
  op: 'bceLoss' | 'bceWithLogitsLoss';
  inputs: EncodedMap;
  outputs: EncodedMap;
  upstream: EncodedMap;
  grads: EncodedMap;
}

interface ErrorCase {
  name: string;
  op: 'bceLoss' | 'bceWithLogitsLoss';
  args: { weightShape?: number[]; posWeightShape?: number[]; inputShape: number[] };
  torchMessage: string;
}

const { cases, errors } = loadFixture<{ cases: Case[]; errors: ErrorCase[] }>('bce-options.json');

interface Options {
  reduction: Reduction;
  weight?: Tensor;
  posWeight?: Tensor;
}
type Loss = (input: Tensor, target: Tensor, options: Options) => Tensor;

/** Each loss both ways: the functional form and the module. */
const LOSSES: Record<Case['op'], Loss[]> = {
  bceLoss: [
    (input, target, o) => F.bceLoss(input, target, o),
    (input, target, o) => new nn.BCELoss(o).forward(input, target),
  ],
  bceWithLogitsLoss: [
    (input, target, o) => F.bceWithLogitsLoss(input, target, o),
    (input, target, o) => new nn.BCEWithLogitsLoss(o).forward(input, target),
  ],
};

test('bce-options.json covers each weight shape, the edges and every input rank', () => {
  for (const v of ['weight_full', 'weight_c', 'weight_1', 'weight_col', 'weight_scalar', 'edges_weight_c', '1d_weight_c', '3d_weight_last', '3d_weight_mid']) {
    assert.ok(cases.some((c) => c.name === `bceLoss_${v}`), v);
  }
  for (const tag of ['extreme', 'random']) {
    for (const v of ['weight_full', 'weight_c', 'weight_1', 'pos_weight_c', 'pos_weight_1', 'pos_weight_col', 'pos_weight_full', 'weight_c_pos_weight_c']) {
      assert.ok(cases.some((c) => c.name === `bceWithLogitsLoss_${tag}_${v}`), `${tag} ${v}`);
    }
  }
  const extreme = cases.find((c) => c.name === 'bceWithLogitsLoss_extreme_pos_weight_c')!;
  for (const v of [30, -30, 100, -100]) assert.ok(extreme.inputs.input!.data.includes(v), `logit ${v}`);
  const edges = cases.find((c) => c.name === 'bceLoss_edges_weight_c')!;
  assert.ok(edges.inputs.input!.data.includes(0) && edges.inputs.input!.data.includes(1), 'probabilities 0 and 1');
  assert.ok(edges.outputs.none!.data.includes(100), 'the −100 log clamp');
  assert.ok(cases.every((c) => c.grads.input !== undefined && c.grads.target !== undefined));
});

for (const c of cases) {
  LOSSES[c.op].forEach((loss, form) => {
    test(`${c.name} (${form === 0 ? 'F' : 'nn'})`, () => {
      const input = decode(c.inputs.input!, true);
      const target = decode(c.inputs.target!, true);
      const options = {
        ...(c.inputs.weight === undefined ? {} : { weight: decode(c.inputs.weight) }),
        ...(c.inputs.posWeight === undefined ? {} : { posWeight: decode(c.inputs.posWeight) }),
      };
      for (const reduction of REDUCTIONS) {
        const out = loss(input, target, { reduction, ...options });
        assertTensorClose(out, c.outputs[reduction]!, `${c.name} ${reduction} value`);
        out.backward(decode(c.upstream[reduction]!)); // the three gradients accumulate, as the fixture's sum
      }
      assertTensorClose(input.grad, c.grads.input!, `${c.name} input grad`);
      assertTensorClose(target.grad, c.grads.target!, `${c.name} target grad`);
    });
  });
}

test('what PyTorch refuses, Kindling refuses, naming both shapes', () => {
  assert.ok(errors.length >= 7);
  for (const e of errors) {
    const [n, c] = e.args.inputShape as [number, number];
    const x = zeros([n, c]).add(0.5);
    const y = zeros([n, c]);
    const name = e.args.posWeightShape === undefined ? 'weight' : 'posWeight';
    const shape = e.args.posWeightShape ?? e.args.weightShape!;
    const options = { [name]: zeros(shape).add(1) };
    const call = e.op === 'bceLoss' ? () => F.bceLoss(x, y, options) : () => F.bceWithLogitsLoss(x, y, options);
    const shown = (s: number[]): string => `[${s.join(', ')}]`;
    throwsWith(call, RangeError, `${e.op}: ${name} of shape ${shown(shape)} does not broadcast to the input's shape ${shown([n, c])}`);
    const Module = e.op === 'bceLoss' ? nn.BCELoss : nn.BCEWithLogitsLoss;
    throwsWith(() => new Module(options).forward(x, y), RangeError, `${name} of shape ${shown(shape)}`, shown([n, c]));
  }
});

test('option errors say what was expected', () => {
  const x = zeros([2, 3]).add(0.5);
  const y = zeros([2, 3]);
  throwsWith(() => F.bceLoss(x, y, { weight: zeros([4]) }), RangeError,
    'bceLoss: weight of shape [4] does not broadcast to the input\'s shape [2, 3]; it must be a tensor that broadcasts to the input\'s shape');
  throwsWith(() => F.bceWithLogitsLoss(x, y, { posWeight: zeros([2]) }), RangeError,
    'bceWithLogitsLoss: posWeight of shape [2] does not broadcast to the input\'s shape [2, 3]; it must be a tensor of one weight per class', '(such as [C] for an input [N, C])');
  throwsWith(() => F.bceWithLogitsLoss(x, y, { weight: zeros([1, 2, 3]) }), RangeError, 'weight of shape [1, 2, 3] does not broadcast to the input\'s shape [2, 3]');
  throwsWith(() => F.bceLoss(x, y, { weight: loose([1, 2, 3]) }), TypeError, 'bceLoss: weight must be a tensor that broadcasts to the input\'s shape, got an array');
  throwsWith(() => new nn.BCELoss({ weight: loose(2) }), TypeError, 'BCELoss: weight must be a tensor', 'got the number 2');
  throwsWith(() => new nn.BCEWithLogitsLoss({ posWeight: loose([3]) }), TypeError, 'BCEWithLogitsLoss: posWeight must be a tensor of one weight per class', 'got an array');
  // null is PyTorch's pos_weight=None, the default (F.binary_cross_entropy_with_logits(x, y, pos_weight=None)).
  assert.deepEqual(F.bceWithLogitsLoss(x, y, { posWeight: loose(null) }).toArray(), F.bceWithLogitsLoss(x, y).toArray());
  throwsWith(() => F.bceWithLogitsLoss(x, y, loose({ pos_weight: zeros([3]) })), TypeError,
    'bceWithLogitsLoss: unknown option "pos_weight" (did you mean posWeight?); the options are weight, sizeAverage, reduce, reduction, posWeight');
  throwsWith(() => F.bceLoss(x, y, loose({ posWeight: zeros([3]) })), TypeError, 'bceLoss: unknown option "posWeight"; the options are weight, sizeAverage, reduce, reduction');
  throwsWith(() => new nn.BCELoss(loose({ weight: zeros([3]), reduction: 'avg' })), RangeError, 'BCELoss: reduction must be');
  throwsWith(() => F.bceLoss(tensor([1.5, 0.5]), tensor([1, 0]), { weight: tensor([1, 1]) }), RangeError, 'bceLoss: all elements of input should be between 0 and 1 (element 0 is 1.5)');
  throwsWith(() => F.bceWithLogitsLoss(x, zeros([3]), { weight: zeros([3]) }), RangeError, 'bceWithLogitsLoss: target shape [3] does not match input shape [2, 3]');
});

test('weight and posWeight are constants: buffers, not parameters; one that requires grad is refused, as PyTorch refuses it', () => {
  const w = tensor([1, 2, 3]);
  const pw = tensor([0.5, 1, 2]);
  const loss = new nn.BCEWithLogitsLoss({ weight: w, posWeight: pw, reduction: 'sum' });
  assert.equal(loss.reduction, 'sum');
  assert.equal(loss.weight, w);
  assert.equal(loss.posWeight, pw);
  assert.deepEqual(Object.keys(loss.stateDict()), ['weight', 'pos_weight']);
  assert.equal(loss.parameters().length, 0);
  assert.equal(String(loss), 'BCEWithLogitsLoss()'); // as PyTorch's repr, which shows neither
  const x = tensor([[0.5, -1, 2]], { requiresGrad: true });
  const y = tensor([[1, 0, 1]]);
  const wg = w.detach().requiresGrad_();
  const pwg = pw.detach().requiresGrad_();
  const said = "requires grad, but the loss has no gradient for it (PyTorch's";
  throwsWith(() => F.bceLoss(x.sigmoid(), y, { weight: wg }), Error, `bceLoss: weight ${said} binary_cross_entropy refuses it too`, "argument 'weight'");
  throwsWith(() => F.bceWithLogitsLoss(x, y, { weight: wg }), Error, `bceWithLogitsLoss: weight ${said} binary_cross_entropy_with_logits`);
  throwsWith(() => F.bceWithLogitsLoss(x.detach(), y, { posWeight: pwg }), Error, `bceWithLogitsLoss: posWeight ${said}`, "argument 'pos_weight'");
  throwsWith(() => new nn.BCEWithLogitsLoss({ posWeight: pwg }), TypeError, 'BCEWithLogitsLoss: posWeight requires grad, but a loss module keeps its weights as buffers');
  throwsWith(() => new nn.BCELoss({ weight: wg }), TypeError, 'BCELoss: weight requires grad');
  // Without grad mode PyTorch computes them, and so does Kindling.
  assert.equal(noGrad(() => F.bceWithLogitsLoss(x, y, { weight: wg, posWeight: pwg })).item(), F.bceWithLogitsLoss(x, y, { weight: w, posWeight: pw }).item());
  const plain = new nn.BCELoss();
  assert.equal(plain.weight, null);
  assert.equal(new nn.BCEWithLogitsLoss().posWeight, null);
  assert.equal(String(new nn.BCELoss({ weight: w })), 'BCELoss()');
});

test('a weight of ones gives the plain values; the weighted path scales each element', () => {
  const x = tensor([[0.2, 0.9, 0.5], [0.01, 0.7, 0.3]]);
  const y = tensor([[0, 1, 0.5], [1, 0, 0.25]]);
  const s = tensor([[-3, 0.5, 30], [-100, 2, 0]]);
  for (const reduction of REDUCTIONS) {
    const plain = F.bceLoss(x, y, { reduction });
    assert.deepEqual(Array.from(F.bceLoss(x, y, { reduction, weight: tensor([1, 1, 1]) }).values()), Array.from(plain.values()), reduction);
    const logits = F.bceWithLogitsLoss(s, y, { reduction }).toArray();
    const ones = F.bceWithLogitsLoss(s, y, { reduction, weight: tensor([1]), posWeight: tensor([1, 1, 1]) }).toArray();
    ones.forEach((v, i) => assert.ok(Math.abs(v - logits[i]!) <= 1e-6 * Math.max(1, Math.abs(logits[i]!)), `${reduction}[${i}]: ${v} vs ${logits[i]}`));
  }
  const none = F.bceLoss(x, y, { reduction: 'none' }).toArray();
  const scaled = F.bceLoss(x, y, { reduction: 'none', weight: tensor([[2], [0]]) }).toArray();
  assert.deepEqual(scaled, none.map((v, i) => (i < 3 ? Math.fround(v * 2) : 0)));
});
