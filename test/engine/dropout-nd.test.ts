// The channel-wise and alpha dropouts in the engine: each is x·slope + intercept for a mask drawn from the generator
// (slope and intercept read off the function at 0 and 1 with the same generator seed), so the input's gradient is
// checked against central differences of that float64 reference, composed with tanh and on batched and unbatched
// shapes; whole channels share one draw; the options are checked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, Generator, ones, zeros, type Tensor } from '../../src/index.js';
import { gradcheck, leaf, Rng } from './gradcheck.js';
import { ref, type Ref } from './ref.js';

type Fn = 'dropout1d' | 'dropout2d' | 'dropout3d' | 'alphaDropout' | 'featureAlphaDropout';
const apply = (fn: Fn, x: Tensor, p: number, seed: number): Tensor => F[fn](x, { p, training: true, generator: new Generator(seed) });

test('gradcheck: the input\'s gradient of each dropout (batched and unbatched, composed with tanh) matches finite differences', () => {
  const rng = new Rng(5);
  const cases: [Fn, number[], number][] = [
    ['dropout1d', [3, 4, 2], 0.5], ['dropout1d', [4, 3], 0.3], ['dropout2d', [2, 3, 2, 2], 0.4], ['dropout2d', [3, 4, 2], 0.5],
    ['dropout3d', [2, 2, 1, 2, 2], 0.5], ['dropout3d', [3, 2, 1, 2], 0.3], ['alphaDropout', [3, 5], 0.3], ['alphaDropout', [7], 0.5],
    ['featureAlphaDropout', [2, 4, 3], 0.5], ['featureAlphaDropout', [5, 2], 0.2],
  ];
  for (const [fn, shape, p] of cases) {
    // The first seed from 1 whose mask drops some values and keeps others, so the case tests something.
    let seed = 1;
    let intercept: Float32Array;
    let slope: number[];
    for (;; seed++) {
      intercept = apply(fn, zeros(shape), p, seed).toArray();
      const at1 = apply(fn, ones(shape), p, seed).toArray();
      slope = Array.from(at1, (v, i) => v - intercept[i]!);
      if (slope.some((v) => v === 0) && slope.some((v) => v !== 0)) break;
      assert.ok(seed < 20, `${fn} ${JSON.stringify(shape)}: no mixed mask`);
    }
    const x = leaf(rng, shape);
    const reference = ([r]: readonly Ref[]): Ref => ref(Array.from(r!.data, (v, i) => Math.tanh(v * slope[i]! + intercept[i]!)), shape);
    gradcheck(`${fn} ${JSON.stringify(shape)} p=${p}`, { leaves: [x], forward: () => apply(fn, x, p, seed).tanh(), reference });
  }
});

test('feature dropouts drop whole channels: every value of a channel shares one draw', () => {
  const y = apply('dropout2d', ones(4, 6, 3, 3), 0.5, 1).toArray();
  for (let c = 0; c < 24; c++) {
    const ch = y.subarray(c * 9, c * 9 + 9);
    assert.ok(ch.every((v) => v === ch[0]), `channel ${c}`);
  }
  assert.ok(y.some((v) => v === 0) && y.some((v) => v === 2));
  const a = apply('featureAlphaDropout', zeros(3, 5, 4), 0.5, 2).toArray();
  for (let c = 0; c < 15; c++) assert.ok(a.subarray(c * 4, c * 4 + 4).every((v) => v === a[c * 4]), `alpha channel ${c}`);
});

test('options are checked as PyTorch\'s keywords', () => {
  const x = ones(2, 3, 4);
  assert.throws(() => F.dropout1d(x, { prob: 0.2 } as object), /dropout1d: unknown option "prob"/);
  assert.throws(() => F.dropout2d(x, 0.5, 'yes' as unknown as boolean), /dropout2d: training must be true or false/);
  assert.throws(() => F.alphaDropout(x, Number.NaN, true), /dropout probability has to be between 0 and 1/);
  assert.throws(() => F.dropout3d(x, { p: 0.5, inplace: 1 as unknown as boolean }), /inplace must be true or false/);
  const leafX = ones([2, 3, 4], { requiresGrad: true });
  assert.throws(() => F.dropout1d(leafX, 0.5, true, true), /leaf|in-place|inplace/i);
});
