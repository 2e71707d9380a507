// A loss module's forward takes the input and the target, and refuses more, as Python refuses `loss_fn(out, y, 'sum')`:
// JavaScript would drop a third argument, so `forward(out, y, { reduction: 'sum' })` (the form of F's losses) gave the
// mean without a word.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, nn, tensor } from '../../src/index.js';
import { loose, throwsWith } from './throws.js';

test('a loss module refuses a third argument, naming where the options go', () => {
  const out = tensor([[0.2, 0.8], [0.6, 0.4]]);
  const y = tensor([[0, 1], [1, 0]]);
  const labels = tensor([1, 0]);
  const cases: Array<[nn.Loss, ReturnType<typeof tensor>]> = [
    [new nn.MSELoss(), y], [new nn.BCELoss(), y], [new nn.BCEWithLogitsLoss(), y],
    [new nn.CrossEntropyLoss(), labels], [new nn.NLLLoss(), labels],
  ];
  for (const [loss, target] of cases) {
    const name = loss.constructor.name;
    throwsWith(() => loose<(...a: unknown[]) => unknown>(loss.forward.bind(loss))(out, target, { reduction: 'sum' }), TypeError,
      `${name}.forward takes (input, target), got 3 arguments`, `new nn.${name}({ reduction: 'sum' })`);
    // Two arguments work as before: the mean, the module's default.
    assert.ok(Number.isFinite(loss.forward(out, target).item()));
  }
  assert.equal(new nn.MSELoss({ reduction: 'sum' }).forward(out, y).item(), F.mseLoss(out, y, { reduction: 'sum' }).item());
});

// PyTorch's positional `nn.MSELoss(None, None, 'sum')` is taken as PyTorch's (size_average, reduce, reduction), then
// options (test/golden/loss-module-positional.test.ts has the values): the arguments never reach the base class's
// internal ones (once a raw "Cannot read properties of null (reading 'join')"), and any after the options are refused.
test('a loss module taking (size_average, reduce, reduction) takes them by position, and refuses arguments after the options', () => {
  const make = (cls: unknown, ...args: unknown[]): unknown => new (cls as new (...a: unknown[]) => unknown)(...args);
  for (const cls of [nn.MSELoss, nn.L1Loss, nn.SoftMarginLoss, nn.MultiLabelMarginLoss]) {
    const name = cls.name;
    assert.equal((make(cls, null, null, 'sum') as nn.Loss).reduction, 'sum');
    assert.equal((make(cls, undefined, undefined, 'none') as nn.Loss).reduction, 'none');
    assert.equal((make(cls, null, { reduction: 'sum' }) as nn.Loss).reduction, 'sum');
    throwsWith(() => make(cls, {}, []), TypeError, `${name}: takes at most 1 argument`, 'got an array as argument 2');
    throwsWith(() => make(cls, null, null, 'sum', 'mean'), TypeError, `${name}: takes at most 3 arguments (new nn.${name}(null, null, 'sum'))`);
    throwsWith(() => make(cls, 'sum'), TypeError, `${name}: sizeAverage (PyTorch's legacy size_average) must be true, false or null, got the string "sum"`);
    assert.equal((make(cls, { reduction: 'sum' }) as nn.Loss).reduction, 'sum');
    assert.equal((make(cls) as nn.Loss).reduction, 'mean');
  }
});
