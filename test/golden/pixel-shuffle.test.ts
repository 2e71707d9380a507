// F.pixelShuffle / F.pixelUnshuffle and their modules against PyTorch (fixtures/torch/pixel-shuffle.json, from
// make_pixel_shuffle.py): values and input gradients bit for bit (a rearrangement), batched, unbatched and 5-D,
// factors 1 to 3; the reprs and PyTorch's refusals with its messages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, nn, zeros } from '../../src/index.js';
import { decode, loadFixture, values, type EncodedMap } from './golden-helpers.js';

interface Case { name: string; op: 'pixelShuffle' | 'pixelUnshuffle'; args: { factor: number }; inputs: EncodedMap; outputs: EncodedMap; upstream: EncodedMap; grads: EncodedMap }
const fx = loadFixture<{ cases: Case[]; errors: { op: Case['op']; shape: number[]; factor: number; message: string }[]; reprs: string[] }>('pixel-shuffle.json');

for (const c of fx.cases) {
  for (const form of ['F', 'nn'] as const) {
    test(`${c.op} ${c.name} (${form})`, () => {
      const x = decode(c.inputs['input']!, true);
      const r = c.args.factor;
      const out = form === 'F' ? F[c.op](x, r) : (c.op === 'pixelShuffle' ? new nn.PixelShuffle(r) : new nn.PixelUnshuffle(r)).forward(x);
      assert.deepEqual([...out.shape], c.outputs['out']!.shape);
      assert.deepEqual([...out.toArray()], values(c.outputs['out']!));
      out.backward(decode(c.upstream['out']!));
      assert.deepEqual([...x.grad!.toArray()], values(c.grads['input']!));
    });
  }
}

test('the modules print as PyTorch\'s', () => {
  assert.deepEqual([String(new nn.PixelShuffle(3)), String(new nn.PixelUnshuffle(2))], fx.reprs);
});

for (const e of fx.errors) {
  test(`${e.op} refuses ${JSON.stringify(e.shape)} by ${e.factor} with PyTorch's message`, () => {
    assert.throws(() => F[e.op](zeros(e.shape), e.factor), (err: Error) => err.message.includes(e.message));
  });
}
