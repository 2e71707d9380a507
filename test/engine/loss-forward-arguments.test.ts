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

// PyTorch's positional `nn.MSELoss(None, None, 'sum')`: the modules that take `{ reduction }` alone had no constructor
// of their own, so the extra arguments reached the base class's internal ones — a raw "Cannot read properties of
// null (reading 'join')" or "checkR is not a function", or `new nn.L1Loss({}, [])` taking its options unchecked.
test('a loss module taking { reduction } alone refuses arguments after the options, in words', () => {
  const make = (cls: unknown, ...args: unknown[]): unknown => new (cls as new (...a: unknown[]) => unknown)(...args);
  for (const cls of [nn.MSELoss, nn.L1Loss, nn.SoftMarginLoss, nn.MultiLabelMarginLoss]) {
    const name = cls.name;
    throwsWith(() => make(cls, null, null, 'sum'), TypeError, `${name} takes one object of options, got 3 arguments`,
      `new nn.${name}({ reduction: 'sum' })`);
    throwsWith(() => make(cls, undefined, undefined, 'sum'), TypeError, `${name} takes one object of options, got 3 arguments`);
    throwsWith(() => make(cls, {}, []), TypeError, `${name} takes one object of options, got 2 arguments`);
    assert.equal((make(cls, { reduction: 'sum' }) as nn.Loss).reduction, 'sum');
    assert.equal((make(cls) as nn.Loss).reduction, 'mean');
  }
});
