// F.interpolate's other modes against PyTorch (fixtures/torch/interpolate-more.json, from make_interpolate_more.py):
// nearest on volumes, nearest-exact, trilinear, bicubic (alignCorners both ways) and area; values and input
// gradients, node names, nn.Upsample's printing and PyTorch's refusals with its messages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, nn, zeros } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, values, type EncodedMap } from './golden-helpers.js';

interface Case { name: string; args: F.InterpolateOptions; inputs: EncodedMap; outputs: EncodedMap; upstream: EncodedMap; grads: EncodedMap }
interface Fixture {
  cases: Case[];
  nodes: Record<string, string>;
  reprs: { options: nn.UpsampleOptions; repr: string }[];
  errors: { shape: number[]; options: F.InterpolateOptions; message: string }[];
}

const fx = loadFixture<Fixture>('interpolate-more.json');

test('interpolate-more.json covers each new mode on each rank it takes, alignCorners both ways', () => {
  for (const [mode, ranks] of [['nearest-exact', [3, 4, 5]], ['area', [3, 4, 5]], ['trilinear', [5]], ['bicubic', [4]], [undefined, [5]]] as const) {
    for (const r of ranks) assert.ok(fx.cases.some((c) => c.args.mode === mode && c.inputs['input']!.shape.length === r), `${mode} ${r}-D`);
  }
  for (const mode of ['trilinear', 'bicubic']) for (const ac of [true, false]) assert.ok(fx.cases.filter((c) => c.args.mode === mode && c.args.alignCorners === ac).length >= 3);
});

for (const c of fx.cases) {
  for (const form of ['F', 'nn'] as const) {
    test(`interpolate ${c.name} ${JSON.stringify(c.args)} (${form})`, () => {
      const x = decode(c.inputs['input']!, true);
      const out = form === 'F' ? F.interpolate(x, c.args) : new nn.Upsample(c.args).forward(x);
      assert.deepEqual([...out.shape], c.outputs['out']!.shape, 'shape');
      if (c.args.mode === undefined || c.args.mode === 'nearest-exact') {
        // The nearest modes copy values: bit for bit.
        assert.deepEqual([...out.toArray()], values(c.outputs['out']!), `${c.name} value`);
      } else {
        // Float32 weights and sums in PyTorch's order; its vectorized kernels fuse some multiply-adds, and bicubic's
        // weights reach 1.3 with negative ones beside them: a few 1e-7 apart on inputs below 1.
        assertTensorClose(out, c.outputs['out']!, `${c.name} value`, { rtol: 2e-6, atol: 1e-6 });
      }
      out.backward(decode(c.upstream['out']!));
      assertTensorClose(x.grad, c.grads['input']!, `${c.name} grad`, { rtol: 2e-6, atol: 1e-6 });
    });
  }
}

test("the gradient nodes have PyTorch's names", () => {
  const got: Record<string, string | undefined> = {};
  for (const key of Object.keys(fx.nodes)) {
    const [mode, rank] = [key.slice(0, key.lastIndexOf('_')), Number(key.slice(key.lastIndexOf('_') + 1, -1))];
    const x = zeros(new Array<number>(rank).fill(2).map((d, i) => (i < 2 ? 1 : rank === 3 ? 4 : d)), { requiresGrad: true });
    got[key] = F.interpolate(x, { size: new Array<number>(rank - 2).fill(3), mode: mode as F.InterpolateMode }).gradFn?.torchName;
  }
  assert.deepEqual(got, fx.nodes);
});

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
