// Losses against PyTorch, every reduction: values, and gradients with respect to the input.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nn, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedMap } from './golden-helpers.js';

type Reduction = 'mean' | 'sum' | 'none';

interface LossCase {
  name: string;
  op: string;
  args: { reduction: Reduction };
  inputs: EncodedMap;
  outputs: EncodedMap;
  upstream: EncodedMap;
  grads: EncodedMap;
}

const LOSSES: Record<string, (reduction: Reduction) => { forward(input: Tensor, target: Tensor): Tensor }> = {
  mseLoss: (reduction) => new nn.MSELoss({ reduction }),
  bceLoss: (reduction) => new nn.BCELoss({ reduction }),
  bceWithLogitsLoss: (reduction) => new nn.BCEWithLogitsLoss({ reduction }),
  crossEntropyLoss: (reduction) => new nn.CrossEntropyLoss({ reduction }),
  nllLoss: (reduction) => new nn.NLLLoss({ reduction }),
};

const { cases } = loadFixture<{ cases: LossCase[] }>('losses.json');

test('losses.json has every loss with every reduction', () => {
  for (const op of Object.keys(LOSSES)) {
    for (const r of ['mean', 'sum', 'none']) assert.ok(cases.some((c) => c.op === op && c.args.reduction === r), `${op} ${r}`);
  }
});

for (const c of cases) {
  test(`loss ${c.name}`, () => {
    const make = LOSSES[c.op];
    assert.ok(make, `no mapping for ${c.op}`);
    const input = decode(c.inputs.input!, true);
    const target = decode(c.inputs.target!); // class indices arrive as a float tensor of integers
    const out = make(c.args.reduction).forward(input, target);
    assertTensorClose(out, c.outputs.out!, `${c.name} value`);
    out.backward(decode(c.upstream.out!));
    assertTensorClose(input.grad, c.grads.input!, `${c.name} grad`);
  });
}
