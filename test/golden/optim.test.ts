// Optimizers against PyTorch: the same gradients fed for 5 steps must give the same parameters after each step.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { optim, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, values, type EncodedTensor } from './golden-helpers.js';

interface OptimCase {
  name: string;
  optimizer: 'SGD' | 'Adam' | 'AdamW';
  options: optim.SGDOptions & optim.AdamOptions;
  initial: EncodedTensor[];
  steps: { grads: EncodedTensor[]; params: EncodedTensor[] }[];
}

function make(c: OptimCase, params: Tensor[]): optim.Optimizer {
  switch (c.optimizer) {
    case 'SGD':
      return new optim.SGD(params, c.options as optim.SGDOptions);
    case 'Adam':
      return new optim.Adam(params, c.options as optim.AdamOptions);
    case 'AdamW':
      return new optim.AdamW(params, c.options as optim.AdamOptions);
  }
}

const { cases } = loadFixture<{ cases: OptimCase[] }>('optim.json');

test('optim.json covers SGD, Adam and AdamW', () => {
  for (const o of ['SGD', 'Adam', 'AdamW']) assert.ok(cases.some((c) => c.optimizer === o), o);
});

for (const c of cases) {
  test(`optimizer ${c.name} ${JSON.stringify(c.options)}`, () => {
    const params = c.initial.map((e) => decode(e, true));
    const opt = make(c, params);
    c.steps.forEach((s, k) => {
      params.forEach((p, i) => {
        p.grad = decode(s.grads[i]!);
      });
      opt.step();
      params.forEach((p, i) => assertTensorClose(p, s.params[i]!, `${c.name} step ${k + 1} param ${i}`));
    });
  });
}

test('Adam with its default lr moves parameters by about 1e-3 per step (the comparison above is not vacuous)', () => {
  const c = cases.find((k) => k.name === 'Adam_defaults')!;
  const before = values(c.initial[0]!);
  const after = values(c.steps[0]!.params[0]!);
  for (let i = 0; i < before.length; i++) assert.ok(Math.abs(after[i]! - before[i]!) > 5e-4);
});
