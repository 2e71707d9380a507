// F.glu / nn.GLU, nn.Softmax2d and F.channelShuffle / nn.ChannelShuffle against PyTorch 1.13
// (fixtures/torch/gated.json, from make_gated.py): outputs, grad_fn names and gradients (glu within 1 ulp: exp is
// the platform's; Softmax2d as Kindling's softmax), channel shuffle bit for bit, reprs, refusals with PyTorch's
// messages; and the layers in a saved model.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { F, manualSeed, nn, randn, tensor, zeros } from '../../src/index.js';
import { buildModule, describeModule, parseArchitecture } from '../../src/nn/serialize.js';
import { tempFolder } from '../models/helpers.js';
import { assertSame, assertTensorClose, decode, largest, loadFixture, type EncodedTensor } from './golden-helpers.js';

interface Case {
  input: EncodedTensor;
  options: { dim?: number };
  out: EncodedTensor;
  upstream: EncodedTensor;
  gradFn: string;
  grad: EncodedTensor;
}
const fx = loadFixture<{
  glu: Case[];
  softmax2d: Case[];
  channelShuffle: { input: EncodedTensor; groups: number; out: EncodedTensor }[];
  reprs: Record<string, string>;
  refusals: Record<string, { message: string }>;
}>('gated.json');

const tmp = tempFolder();
after(tmp.remove);

// Within 1 ulp of the largest value: PyTorch's exp is Sleef's or glibc's, Kindling's the platform's, both faithful.
const ulpTol = (e: EncodedTensor): { rtol: number; atol: number } => ({ rtol: 2.4e-7, atol: 1.2e-7 * Math.max(1e-30, largest(e)) });

for (const c of fx.glu) {
  test(`F.glu([${c.input.shape}], dim ${c.options.dim}) and nn.GLU match PyTorch`, () => {
    for (const fn of [(x: ReturnType<typeof decode>) => F.glu(x, c.options.dim), (x: ReturnType<typeof decode>) => new nn.GLU(c.options.dim).forward(x)]) {
      const x = decode(c.input, true);
      const out = fn(x);
      assertTensorClose(out, c.out, 'out', ulpTol(c.out));
      assert.equal(out.gradFn?.torchName, c.gradFn);
      out.backward(decode(c.upstream));
      assertTensorClose(x.grad, c.grad, 'grad', ulpTol(c.grad));
    }
  });
}

for (const c of fx.softmax2d) {
  test(`nn.Softmax2d on [${c.input.shape}] matches PyTorch`, () => {
    const x = decode(c.input, true);
    const out = new nn.Softmax2d().forward(x);
    assertTensorClose(out, c.out, 'out', { rtol: 1e-6, atol: 1e-7 });
    assert.equal(out.gradFn?.torchName, c.gradFn);
    out.backward(decode(c.upstream));
    assertTensorClose(x.grad, c.grad, 'grad', { rtol: 1e-5, atol: 1e-7 });
  });
}

for (const c of fx.channelShuffle) {
  test(`F.channelShuffle([${c.input.shape}], ${c.groups}) matches PyTorch bit for bit, and has a gradient`, () => {
    assertSame(F.channelShuffle(decode(c.input), c.groups), c.out, 'out');
    const x = decode(c.input, true);
    const out = new nn.ChannelShuffle(c.groups).forward(x);
    assertSame(out, c.out, 'module out');
    // PyTorch 1.13 cannot differentiate it; Kindling's gradient is the inverse permutation of the output gradient.
    out.backward(out.detach());
    assertSame(x.grad!, c.input, 'grad');
  });
}

test('reprs and refusals are PyTorch\'s', () => {
  assert.equal(String(new nn.GLU()), fx.reprs['GLU']);
  assert.equal(String(new nn.GLU(1)), fx.reprs['GLU1']);
  assert.equal(String(new nn.Softmax2d()), fx.reprs['Softmax2d']);
  assert.equal(String(new nn.ChannelShuffle(3)), fx.reprs['ChannelShuffle']);
  const r = fx.refusals;
  const same = (fn: () => unknown, key: string): void => assert.throws(fn, (e: Error) => e.message === r[key]!.message, key);
  same(() => F.glu(zeros([2, 3]), 1), 'glu odd');
  same(() => F.glu(tensor(1)), 'glu scalar');
  same(() => new nn.Softmax2d().forward(zeros([2, 3])), 'softmax2d 2-D');
  same(() => F.channelShuffle(zeros([2, 6, 2]), 4), 'shuffle groups');
  same(() => F.channelShuffle(zeros([2, 6]), 3), 'shuffle dims');
  same(() => F.channelShuffle(zeros([2, 6, 3]), -1), 'shuffle negative');
});

test('GLU, Softmax2d and ChannelShuffle round-trip through a model file', () => {
  manualSeed(9);
  const m = new nn.Sequential(new nn.Conv2d(1, 8, 3), new nn.ChannelShuffle(2), new nn.GLU(1), new nn.Softmax2d(), new nn.Flatten(), new nn.Linear(4 * 2 * 2, 2));
  const spec = describeModule(m);
  const layers = (spec as { layers: unknown[] }).layers;
  assert.deepEqual(layers.slice(1, 4), [{ type: 'ChannelShuffle', groups: 2 }, { type: 'GLU', dim: 1 }, { type: 'Softmax2d' }]);
  assert.equal(String(buildModule(parseArchitecture(JSON.parse(JSON.stringify(spec)), 'test'))), String(m));
  const path = join(tmp.dir, 'gated.safetensors');
  m.save(path);
  const loaded = nn.Module.load(path);
  const x = randn([2, 1, 4, 4]);
  assert.deepEqual(Array.from(loaded.forward(x).toArray()), Array.from(m.forward(x).toArray()));
  assert.throws(() => parseArchitecture({ type: 'ChannelShuffle', groups: 0 }, 'f'), /groups/);
});
