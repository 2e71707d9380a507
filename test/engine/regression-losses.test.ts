// kindling-test: own process (it checks warnings given once per process)
// L1Loss, SmoothL1Loss, HuberLoss and KLDivLoss beyond their values (test/golden/regression-losses.test.ts): options
// checked as every loss's (unknown keys, bad beta, delta, reduction, logTarget), the modules' printed form and members
// as PyTorch's, a third argument to forward refused, and the warnings PyTorch gives (a broadcast target; kl_div's
// 'mean'), once each.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, nn, tensor } from '../../src/index.js';
import { loose, throwsWith } from './throws.js';

const x = tensor([[0.5, -1], [2, 0]]);
const y = tensor([[0, 0], [0, 0.25]]);

test('unknown options are refused, naming the option and the ones there are', () => {
  throwsWith(() => F.l1Loss(x, y, loose({ reductio: 'sum' })), TypeError, 'l1Loss: unknown option "reductio" (did you mean reduction?); the options are sizeAverage, reduce, reduction');
  throwsWith(() => F.l1Loss(x, y, loose({ beta: 1 })), TypeError, 'l1Loss: unknown option "beta"; the options are sizeAverage, reduce, reduction');
  throwsWith(() => F.smoothL1Loss(x, y, loose({ delta: 1 })), TypeError, 'smoothL1Loss: unknown option "delta"', 'the options are sizeAverage, reduce, reduction, beta');
  throwsWith(() => F.huberLoss(x, y, loose({ beta: 1 })), TypeError, 'huberLoss: unknown option "beta"', 'the options are reduction, delta');
  throwsWith(() => F.klDiv(x, y, loose({ log_target: true })), TypeError, 'klDiv: unknown option "log_target" (did you mean logTarget?); the options are sizeAverage, reduce, reduction, logTarget');
  throwsWith(() => new nn.L1Loss(loose({ size_average: false })), TypeError, 'L1Loss: unknown option "size_average" (did you mean sizeAverage?); the options are sizeAverage, reduce, reduction');
  throwsWith(() => new nn.SmoothL1Loss(loose({ Beta: 2 })), TypeError, 'SmoothL1Loss: unknown option "Beta" (did you mean beta?)');
  throwsWith(() => new nn.HuberLoss(loose({ delt: 2 })), TypeError, 'HuberLoss: unknown option "delt" (did you mean delta?)');
  throwsWith(() => new nn.KLDivLoss(loose({ log_target: true })), TypeError, 'KLDivLoss: unknown option "log_target" (did you mean logTarget?)');
  // A value first is PyTorch's first parameter of HuberLoss, the reduction.
  throwsWith(() => new nn.HuberLoss(loose(2)), RangeError, 'HuberLoss: reduction must be \'mean\', \'sum\' or \'none\', got 2');
});

test('beta must be a number ≥ 0 and delta one > 0, as PyTorch requires (NaN refused too); beta 0 and −0 are taken', () => {
  for (const beta of [-1, -1e-30, -Infinity, NaN]) {
    throwsWith(() => F.smoothL1Loss(x, y, { beta }), RangeError, `smoothL1Loss: beta must not be negative (PyTorch's smooth_l1_loss refuses negative values), got ${beta}`);
    throwsWith(() => new nn.SmoothL1Loss({ beta }), RangeError, 'SmoothL1Loss: beta must not be negative');
  }
  for (const delta of [0, -0, -2, NaN, -Infinity]) {
    throwsWith(() => F.huberLoss(x, y, { delta }), RangeError, `huberLoss: delta must be positive (PyTorch's huber_loss refuses non-positive values), got ${delta}`);
    throwsWith(() => new nn.HuberLoss({ delta }), RangeError, 'HuberLoss: delta must be positive');
  }
  throwsWith(() => F.smoothL1Loss(x, y, loose({ beta: '1' })), TypeError, 'smoothL1Loss: beta must be a number (default 1), got the string "1"');
  throwsWith(() => new nn.HuberLoss(loose({ delta: null })), TypeError, 'HuberLoss: delta must be a number (default 1), got null');
  // beta 0 is the L1 loss (the mean of 0.5, 1, 2, 0.25); −0 too; an infinite beta makes every loss 0; delta may be ∞.
  assert.equal(F.smoothL1Loss(x, y, { beta: 0 }).item(), 0.9375);
  assert.equal(F.smoothL1Loss(x, y, { beta: -0 }).item(), 0.9375);
  assert.equal(F.smoothL1Loss(x, y, { beta: Infinity }).item(), 0);
  assert.equal(F.huberLoss(x, y, { delta: Infinity, reduction: 'sum' }).item(), 0.5 * (0.25 + 1 + 4 + 0.0625));
});

test('reductions: l1Loss, smoothL1Loss and huberLoss refuse \'batchmean\' as PyTorch does; klDiv takes it and refuses others', () => {
  for (const [name, call] of [['l1Loss', F.l1Loss], ['smoothL1Loss', F.smoothL1Loss], ['huberLoss', F.huberLoss]] as const) {
    throwsWith(() => call(x, y, loose({ reduction: 'batchmean' })), RangeError, `${name}: reduction must be 'mean', 'sum' or 'none', got "batchmean"`);
  }
  throwsWith(() => new nn.L1Loss(loose({ reduction: 'batchmean' })), RangeError, 'L1Loss: reduction must be \'mean\', \'sum\' or \'none\', got "batchmean"');
  throwsWith(() => F.klDiv(x, y, loose({ reduction: 'avg' })), RangeError, 'klDiv: reduction must be \'mean\', \'batchmean\', \'sum\' or \'none\', got "avg"');
  throwsWith(() => new nn.KLDivLoss(loose({ reduction: 'avg' })), RangeError, 'KLDivLoss: reduction must be \'mean\', \'batchmean\', \'sum\' or \'none\', got "avg"');
  throwsWith(() => F.klDiv(x, y, loose({ logTarget: 1 })), TypeError, 'klDiv: logTarget must be true or false, got the number 1');
  throwsWith(() => F.klDiv(x, y, loose({ logTarget: null })), TypeError, 'klDiv: logTarget must be true or false, got null');
  throwsWith(() => new nn.KLDivLoss(loose({ logTarget: 'yes' })), TypeError, 'KLDivLoss: logTarget must be true or false, got the string "yes"');
  const k = new nn.KLDivLoss({ reduction: 'batchmean', logTarget: true });
  assert.equal(k.reduction, 'batchmean');
  assert.equal(k.logTarget, true);
  // batchmean: the sum over the 2 rows, divided by 2; with logTarget false, 0·log 0 is 0.
  const lp = tensor([[Math.log(0.5), Math.log(0.5)], [Math.log(0.25), Math.log(0.75)]]);
  const p = tensor([[1, 0], [0.25, 0.75]]);
  const want = (1 * (0 - Math.log(0.5)) + 0 + 0) / 2;
  assert.ok(Math.abs(F.klDiv(lp, p, { reduction: 'batchmean' }).item() - want) < 1e-6);
  assert.ok(Math.abs(new nn.KLDivLoss({ reduction: 'batchmean' }).forward(lp, p).item() - want) < 1e-6);
});

test('shapes that do not broadcast are refused, naming both', () => {
  const a = tensor([[1, 2, 3], [4, 5, 6]]);
  for (const [name, call] of [['l1Loss', F.l1Loss], ['smoothL1Loss', F.smoothL1Loss], ['huberLoss', F.huberLoss]] as const) {
    throwsWith(() => call(a, tensor([1, 2, 3, 4])), RangeError, `${name}: target shape [4] does not match input shape [2, 3]`);
  }
  throwsWith(() => F.klDiv(a, tensor([1, 2, 3, 4])), RangeError, 'klDiv: target shape [4] does not broadcast with input shape [2, 3]');
  throwsWith(() => F.l1Loss(loose([1, 2]), a), TypeError, 'l1Loss: input must be a Tensor, got an array');
  throwsWith(() => F.klDiv(a, loose(3)), TypeError, 'klDiv: target must be a Tensor, got number');
});

test('the modules print as PyTorch\'s (no extra_repr), keep their options as PyTorch\'s attributes, and refuse a third argument', () => {
  assert.equal(String(new nn.L1Loss()), 'L1Loss()');
  assert.equal(String(new nn.SmoothL1Loss({ beta: 0.5, reduction: 'sum' })), 'SmoothL1Loss()');
  assert.equal(String(new nn.HuberLoss({ delta: 2 })), 'HuberLoss()');
  assert.equal(String(new nn.KLDivLoss({ reduction: 'batchmean', logTarget: true })), 'KLDivLoss()');
  assert.equal(String(new nn.Sequential(new nn.L1Loss(), new nn.HuberLoss())), 'Sequential(\n  (0): L1Loss()\n  (1): HuberLoss()\n)');
  assert.equal(new nn.SmoothL1Loss().beta, 1);
  assert.equal(new nn.SmoothL1Loss({ beta: 0 }).beta, 0);
  assert.equal(new nn.HuberLoss().delta, 1);
  assert.equal(new nn.HuberLoss({ delta: 0.25 }).reduction, 'mean');
  assert.equal(new nn.KLDivLoss().reduction, 'mean');
  assert.equal(new nn.KLDivLoss().logTarget, false);
  for (const loss of [new nn.L1Loss(), new nn.SmoothL1Loss(), new nn.HuberLoss(), new nn.KLDivLoss()]) {
    assert.ok(loss instanceof nn.Loss);
    assert.deepEqual(Object.keys(loss.stateDict()), []);
    throwsWith(() => loose<(...a: unknown[]) => unknown>(loss.forward.bind(loss))(x, y, { reduction: 'sum' }), TypeError,
      `${loss.constructor.name}.forward takes (input, target), got 3 arguments`);
  }
  assert.equal(new nn.HuberLoss({ delta: 0.5, reduction: 'sum' }).forward(x, y).item(), F.huberLoss(x, y, { delta: 0.5, reduction: 'sum' }).item());
});

test('a broadcast target warns once per loss, as PyTorch warns; klDiv broadcasts without one, and warns once for \'mean\'', async () => {
  const warnings: string[] = [];
  const listen = (w: Error): void => {
    warnings.push(w.message);
  };
  process.on('warning', listen);
  try {
    const row = tensor([[1, 2, 3]]);
    const t = tensor([0, 2, 5]);
    for (let i = 0; i < 2; i++) {
      assert.deepEqual([...F.l1Loss(row, t, { reduction: 'none' }).shape], [1, 3]);
      assert.equal(F.l1Loss(row, t, { reduction: 'sum' }).item(), 3);
      assert.equal(F.smoothL1Loss(row, t, { reduction: 'sum' }).item(), 0.5 + 1.5);
      assert.equal(F.huberLoss(row, t, { reduction: 'sum', delta: 2 }).item(), 0.5 + 2 * (2 - 1));
      F.klDiv(tensor([[-1, -2, -3], [-1, -1, -1]]), tensor([0.2, 0.3, 0.5]), { reduction: 'batchmean' });
      F.klDiv(row.neg(), tensor([0.2, 0.3, 0.5]));
    }
    await new Promise((r) => setImmediate(r));
    const mine = warnings.filter((w) => /^(l1Loss|smoothL1Loss|huberLoss|klDiv):/.test(w));
    assert.deepEqual(mine.map((w) => w.split(':')[0]), ['l1Loss', 'smoothL1Loss', 'huberLoss', 'klDiv']);
    assert.equal(mine[0], 'l1Loss: using a target of shape [3], different from the input\'s [1, 3]; both are broadcast to [1, 3], as in PyTorch, which likely gives wrong results: make the shapes the same');
    assert.match(mine[3]!, /^klDiv: reduction 'mean' divides the total loss by both the batch size and the support size .*'batchmean' divides only by the batch size/);
  } finally {
    process.off('warning', listen);
  }
});
