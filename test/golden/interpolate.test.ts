// F.interpolate and nn.Upsample against PyTorch (fixtures/torch/interpolate.json, from make_interpolate.py): modes
// nearest (3-D, 4-D), linear and bilinear with alignCorners both ways; sizes and scale factors that upsample,
// downsample and do not divide, that leave a size unchanged or double it, per-dimension ones, recomputeScaleFactor,
// channels-last inputs; values and input gradients, the module's reprs and PyTorch's refusals with its messages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, nn, zeros } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, values, type EncodedMap } from './golden-helpers.js';

interface Case { name: string; args: F.InterpolateOptions; inputs: EncodedMap; outputs: EncodedMap; upstream: EncodedMap; grads: EncodedMap }
interface Fixture {
  cases: Case[];
  channelsLast: (Case & { permute: number[] })[];
  reprs: { options: nn.UpsampleOptions; repr: string }[];
  errors: { shape: number[]; options: F.InterpolateOptions; message: string }[];
}

const fx = loadFixture<Fixture>('interpolate.json');

test('interpolate.json covers every mode, alignCorners both ways, scale factors and recomputeScaleFactor', () => {
  for (const mode of ['linear', 'bilinear']) {
    for (const ac of [true, false]) assert.ok(fx.cases.filter((c) => c.args.mode === mode && c.args.alignCorners === ac).length >= 5, `${mode} ${ac}`);
  }
  assert.ok(fx.cases.filter((c) => c.args.mode === undefined).length >= 10);
  assert.ok(fx.cases.filter((c) => c.args.recomputeScaleFactor === true).length >= 3);
});

for (const c of fx.cases) {
  for (const form of ['F', 'nn'] as const) {
    test(`interpolate ${c.name} ${JSON.stringify(c.args)} (${form})`, () => {
      const x = decode(c.inputs['input']!, true);
      const out = form === 'F' ? F.interpolate(x, c.args) : new nn.Upsample(c.args).forward(x);
      assert.deepEqual([...out.shape], c.outputs['out']!.shape, 'shape');
      if (c.args.mode === undefined) {
        // Nearest copies values, and its gradient sums whole upstream values: bit for bit in the forward pass.
        assert.deepEqual([...out.toArray()], values(c.outputs['out']!), `${c.name} value`);
      } else {
        // Float32 weights and sums in PyTorch's order, but its vectorized kernel rounds some products otherwise (a
        // fused multiply-add): up to 4e-7 apart where the taps cancel, on inputs of magnitude below 1.
        assertTensorClose(out, c.outputs['out']!, `${c.name} value`, { rtol: 1e-6, atol: 5e-7 });
      }
      out.backward(decode(c.upstream['out']!));
      // A gradient sums up to a few dozen weighted upstream values (downsampling), in PyTorch's order.
      assertTensorClose(x.grad, c.grads['input']!, `${c.name} grad`, { rtol: 1e-6, atol: 5e-7 });
    });
  }
}

// A channels-last input (a channels-last tensor permuted to channels first, as PyTorch's memory format lays it out):
// PyTorch's nearest kernel then copies or halves the index where the output is as long as the input or twice it.
for (const c of fx.channelsLast) {
  test(`interpolate on a channels-last input: ${c.name} ${JSON.stringify(c.args)}`, () => {
    const x = decode(c.inputs['input']!, true);
    const out = F.interpolate(x.permute(c.permute), c.args);
    assert.deepEqual([...out.shape], c.outputs['out']!.shape, 'shape');
    if (c.args.mode === 'bilinear') assertTensorClose(out, c.outputs['out']!, `${c.name} value`, { rtol: 1e-6, atol: 5e-7 });
    else assert.deepEqual([...out.toArray()], values(c.outputs['out']!), `${c.name} value`);
    out.backward(decode(c.upstream['out']!));
    assertTensorClose(x.grad, c.grads['input']!, `${c.name} grad`, { rtol: 1e-6, atol: 5e-7 });
  });
}

for (const r of fx.reprs) {
  test(`${r.repr} prints as in PyTorch`, () => {
    assert.equal(new nn.Upsample(r.options).toString(), r.repr);
  });
}

for (const e of fx.errors) {
  test(`interpolate refuses ${JSON.stringify(e.shape)} ${JSON.stringify(e.options)} with PyTorch's message`, () => {
    assert.throws(() => F.interpolate(zeros(e.shape), e.options), (err: Error) => err.message.includes(e.message));
  });
}
