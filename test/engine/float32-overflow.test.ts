// A number that becomes a float32 value (a fill value, a bound, a slope) is refused when it is finite and beyond
// float32's range, as PyTorch refuses it ("value cannot be converted to type float without overflow"); arithmetic
// with such a number overflows to Infinity, there and here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, full, nn, tensor, where, zeros, type Tensor } from '../../src/index.js';

const FLOAT32_MAX = 3.4028234663852886e38;

test('fill values, bounds and slopes beyond float32 are refused, naming the op, the argument and the value', () => {
  const x = tensor([0.5, -2]);
  const mask = tensor([true, false]);
  const cases: Array<[string, (v: number) => unknown]> = [
    ['fill_: value', (v) => zeros([2]).fill_(v)],
    ['full: fill value', (v) => full([2], v)],
    ['maskedFill: value', (v) => x.maskedFill(mask, v)],
    ['where: x', (v) => where(mask, v, x)],
    ['where: y', (v) => where(mask, x, v)],
    ['clamp: min', (v) => x.clamp(v, null)],
    ['clamp: max', (v) => x.clamp(null, v)],
    ['clamp: max', (v) => x.clone().clamp_(null, v)],
    ['leakyRelu: negativeSlope', (v) => F.leakyRelu(x, v)],
    ['leakyRelu: negativeSlope', (v) => new nn.LeakyReLU(v).forward(x)],
    ['elu: alpha', (v) => F.elu(x, v)],
    ['softplus: beta', (v) => F.softplus(x, v)],
    ['softplus: threshold', (v) => F.softplus(x, 1, v)],
    ['fill_: value', (v) => nn.init.constant_(zeros([2]), v)],
  ];
  for (const [what, call] of cases) {
    const [op, arg] = what.split(': ') as [string, string];
    // 3.4028235e38 is above float32's largest value, though it would round to it: PyTorch refuses it too.
    for (const v of [1e40, -1e40, 3.4028235e38]) {
      assert.throws(() => call(v), (err: Error) => {
        assert.ok(err instanceof RangeError, `${what} ${v}: ${err.message}`);
        assert.ok(err.message.startsWith(`${op}: ${arg} ${v} cannot be converted to float32 without overflow`), err.message);
        return true;
      });
    }
    // The largest float32 itself is taken.
    assert.doesNotThrow(() => call(FLOAT32_MAX), what);
  }
});

test('±Infinity and NaN are taken where PyTorch takes them, and arithmetic with a huge number overflows to Infinity', () => {
  assert.deepEqual(Array.from(zeros([2]).fill_(Infinity).toArray()), [Infinity, Infinity]);
  assert.ok(Number.isNaN(full([1], NaN).item()));
  assert.deepEqual(Array.from(tensor([0.5, -2]).clamp(-Infinity, 1).toArray()), [0.5, -2]);
  const huge: Tensor = tensor([1, -1]).mul(1e40);
  assert.deepEqual(Array.from(huge.toArray()), [Infinity, -Infinity]);
  assert.deepEqual(Array.from(tensor([1, 2]).add(1e40).toArray()), [Infinity, Infinity]);
});
