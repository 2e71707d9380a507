// RReLU against PyTorch (fixtures/torch/rrelu.json, from make_rrelu.py): after the same manualSeed, F.rrelu in
// training draws PyTorch's slopes bit for bit (values, gradients, node, and the generator left where PyTorch leaves
// it: the next draws agree), evaluation uses the bounds' mean, nn.RReLU follows train()/eval(), in place too, and
// the printing and refusals are PyTorch's. A saved model holds the layer.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { F, manualSeed, nn, rand, tensor, Generator } from '../../src/index.js';
import { parseArchitecture } from '../../src/nn/serialize.js';
import { tempFolder } from '../models/helpers.js';
import { decode, loadFixture, values, type EncodedTensor } from './golden-helpers.js';

interface Case {
  name: string; base: EncodedTensor; transpose: boolean; lower: number | null; upper: number | null; training: boolean; seed: number;
  out: EncodedTensor; upstream: EncodedTensor; grad: EncodedTensor; node: string; after: EncodedTensor;
}
interface Fixture {
  cases: Case[];
  layer: Record<'input' | 'train' | 'eval' | 'inplaceOut' | 'upstream' | 'inplaceGrad' | 'evalInplaceOut' | 'evalInplaceGrad', EncodedTensor> & { inplaceNode: string; evalInplaceNode: string };
  reprs: string[];
  refusals: Record<string, { type: string; message: string }>;
}

const fx = loadFixture<Fixture>('rrelu.json');

/** Float32 bits of a list, so that NaN compares equal to NaN and −0 differs from +0. */
const bits = (a: ArrayLike<number>): number[] => [...new Uint32Array(Float32Array.from(a).buffer)];

for (const c of fx.cases) {
  test(`F.rrelu, ${c.name}: PyTorch's values, gradient and node bit for bit after manualSeed(${c.seed}), and its next draws`, () => {
    const base = decode(c.base);
    const x = (c.transpose ? base.t() : base).detach().requiresGrad_(true);
    manualSeed(c.seed);
    const y = c.lower === null ? F.rrelu(x, { training: c.training }) : F.rrelu(x, c.lower, c.upper!, c.training);
    const after = rand([4]);
    assert.deepEqual([...y.shape], c.out.shape);
    assert.deepEqual(bits(y.toArray()), bits(values(c.out)));
    assert.equal(y.gradFn?.torchName, c.node);
    assert.deepEqual([...after.toArray()], values(c.after));
    y.backward(decode(c.upstream));
    assert.deepEqual(bits(x.grad!.toArray()), bits(values(c.grad)));
  });
}

test('F.rrelu draws from a given generator as from the global one after the same seed, and leaves the global one alone', () => {
  const x = decode(fx.cases[0]!.base);
  manualSeed(99);
  const before = rand([3]).toArray();
  manualSeed(99);
  const g = new Generator(7);
  const y = F.rrelu(x, { training: true, generator: g });
  assert.deepEqual(bits(y.toArray()), bits(values(fx.cases[0]!.out)));
  assert.deepEqual([...rand([3]).toArray()], [...before]);
});

test("nn.RReLU draws while training and takes the bounds' mean after eval(), in place too, as PyTorch's", () => {
  const L = fx.layer;
  const x = decode(L.input);
  manualSeed(41);
  const m = new nn.RReLU(0.1, 0.3);
  assert.deepEqual(bits(m.forward(x).toArray()), bits(values(L.train)));
  m.eval();
  assert.deepEqual(bits(m.forward(x).toArray()), bits(values(L.eval)));

  const leaf = decode(L.input, true);
  manualSeed(43);
  const h = leaf.mul(2);
  const r = new nn.RReLU({ inplace: true }).forward(h);
  assert.equal(r, h);
  assert.equal(r.gradFn?.torchName, L.inplaceNode);
  assert.deepEqual(bits(r.toArray()), bits(values(L.inplaceOut)));
  r.backward(decode(L.upstream));
  assert.deepEqual(bits(leaf.grad!.toArray()), bits(values(L.inplaceGrad)));

  const leaf2 = decode(L.input, true);
  const h2 = leaf2.mul(2);
  F.rrelu(h2, { inplace: true });
  assert.equal(h2.gradFn?.torchName, L.evalInplaceNode);
  assert.deepEqual(bits(h2.toArray()), bits(values(L.evalInplaceOut)));
  h2.backward(decode(L.upstream));
  assert.deepEqual(bits(leaf2.grad!.toArray()), bits(values(L.evalInplaceGrad)));
});

test("nn.RReLU prints as PyTorch's", () => {
  const layers = [new nn.RReLU(), new nn.RReLU(0.1, 0.3, true), new nn.RReLU({ lower: 0.2, upper: 0.2 }), new nn.RReLU(0, 1)];
  assert.deepEqual(layers.map(String), fx.reprs);
});

test("RReLU's refusals: PyTorch's words for lower above upper; bad options named", () => {
  const expected = fx.refusals['lower above upper, training']!.message;
  assert.equal(fx.refusals['lower above upper, evaluation']!.message, expected);
  for (const run of [
    () => F.rrelu(tensor([-1]), 0.5, 0.2, true), () => F.rrelu(tensor([-1]), 0.5, 0.2, false), () => new nn.RReLU(0.5, 0.2).forward(tensor([-1])),
  ]) {
    assert.throws(run, (e: Error) => e.message.startsWith(expected));
  }
  assert.throws(() => F.rrelu(tensor([-1], { requiresGrad: true }), { training: true, inplace: true }), /leaf/);
  assert.throws(() => F.rrelu(tensor([-1]), { lower: 0.1, uper: 0.3 } as never), /uper/);
  assert.throws(() => F.rrelu(tensor([-1]), 0.1, 0.3, 'yes' as never), /training must be true or false/);
  assert.throws(() => new nn.RReLU(Number.NaN), /lower must be a finite number/);
  assert.throws(() => F.rrelu(tensor([-1]), 0.1, Infinity), /upper must be a finite number/);
});

const tmp = tempFolder();
after(tmp.remove);

test('a model file holds RReLU with its bounds and inplace flag; the loaded model evaluates the same', () => {
  manualSeed(5);
  const model = new nn.Sequential(new nn.Linear(4, 6), new nn.RReLU(0.05, 0.4, true), new nn.Linear(6, 2));
  const path = join(tmp.dir, 'rrelu.safetensors');
  model.save(path);
  const loaded = nn.Module.load(path);
  assert.equal(String(loaded), String(model));
  model.eval();
  loaded.eval();
  const x = rand([3, 4]).sub(0.5);
  assert.deepEqual([...loaded.forward(x.clone()).toArray()], [...model.forward(x.clone()).toArray()]);
  assert.deepEqual(nn.describeModule(loaded), nn.describeModule(model));
  assert.deepEqual((nn.describeModule(model) as { layers: unknown[] }).layers[1], { type: 'RReLU', lower: 0.05, upper: 0.4, inplace: true });
  assert.throws(() => parseArchitecture({ type: 'RReLU', lower: 0.5, upper: 0.2 }, 'f'), /lower \(0\.5\) must not be above upper \(0\.2\)/);
  assert.throws(() => parseArchitecture({ type: 'RReLU', lower: 0.1 }, 'f'), /upper/);
});
