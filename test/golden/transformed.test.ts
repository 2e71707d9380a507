// TransformedDistribution and the transforms against PyTorch 1.13 (fixtures/torch/transformed.json, from
// make_transformed.py): a tanh-squashed Normal with cacheSize 1 scoring its own rsample through the cache (and fresh
// values through atanh) with the gradients, Affine then Exp (samples, logProb, cdf and icdf through a decreasing
// map), Sigmoid, Power, an Affine over the event of an Independent, and the inverse of an inverse.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { distributions, manualSeed, rand, tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

type E = EncodedTensor;
const fx = loadFixture<{
  tanh: { loc: E; scale: E; action: E; logProb: E; gradLoc: E; gradScale: E; fresh: E; freshLogProb: E; after: number[] };
  chain: { loc: E; scale: E; affLoc: E; affScale: E; values: E; sample: E; logProb: E; cdf: E; icdf: E };
  sigmoid: { loc: E; scale: E; values: E; logProb: E };
  power: { rate: E; exponent: E; values: E; logProb: E };
  event: { loc: E; scale: E; affLoc: E; affScale: E; values: E; logProb: E; batch: number[]; event: number[] };
  inverse: { loc: E; scale: E; values: E; logProb: E };
  shapes: Record<'affineRows' | 'scalarBase' | 'power' | 'stickExp' | 'corrAffine', Shaped>;
}>('transformed.json');
interface Shaped { batch: number[]; event: number[]; support: string; sample: E; values: E; logProb: E }
const D = distributions;
const TOL = { rtol: 1e-5, atol: 1e-6 };

test('a tanh-squashed Normal (cacheSize 1): its rsample scored through the cache, fresh values through atanh, gradients', () => {
  const t = fx.tanh;
  const loc = decode(t.loc, true);
  const scale = decode(t.scale, true);
  const d = new D.TransformedDistribution(new D.Normal(loc, scale), [new D.TanhTransform(1)]);
  manualSeed(51);
  const a = d.rsample([4]);
  assertTensorClose(a, t.action, 'action', TOL);
  const lp = d.logProb(a);
  assertTensorClose(lp, t.logProb, 'logProb of its own sample', TOL);
  a.sum().add(lp.sum()).backward();
  assertTensorClose(loc.grad, t.gradLoc, 'loc gradient', { rtol: 1e-4, atol: 1e-5 });
  assertTensorClose(scale.grad, t.gradScale, 'scale gradient', { rtol: 1e-4, atol: 1e-5 });
  assertTensorClose(d.logProb(decode(t.fresh)), t.freshLogProb, 'logProb of fresh values', { rtol: 1e-4, atol: 1e-5 });
  assert.deepEqual([...rand([2]).toArray()], t.after.map(Math.fround));
  assert.throws(() => d.logProb(tensor([[1.5, 0, 0]])), /support \(Interval\(lower_bound=-1\.0, upper_bound=1\.0\)\)/);
});

test('Affine then Exp over a Normal: samples, logProb, and cdf / icdf through a decreasing map', () => {
  const c = fx.chain;
  const d = new D.TransformedDistribution(new D.Normal(decode(c.loc), decode(c.scale)), [new D.AffineTransform(decode(c.affLoc), decode(c.affScale)), new D.ExpTransform()]);
  manualSeed(52);
  assertTensorClose(d.sample([2]), c.sample, 'sample', TOL);
  assertTensorClose(d.logProb(decode(c.values)), c.logProb, 'logProb', TOL);
  assertTensorClose(d.cdf(decode(c.values)), c.cdf, 'cdf', TOL);
  assertTensorClose(d.icdf(tensor([[0.1, 0.5, 0.9]])), c.icdf, 'icdf', TOL);
});

test('Sigmoid and Power transforms, an Affine over an event dimension, and an inverse\'s inverse', () => {
  const s = fx.sigmoid;
  const sig = new D.TransformedDistribution(new D.Normal(decode(s.loc), decode(s.scale)), new D.SigmoidTransform());
  assertTensorClose(sig.logProb(decode(s.values)), s.logProb, 'sigmoid', TOL);
  const p = fx.power;
  const pow = new D.TransformedDistribution(new D.Exponential(decode(p.rate)), [new D.PowerTransform(decode(p.exponent))]);
  assertTensorClose(pow.logProb(decode(p.values)), p.logProb, 'power', TOL);
  const e = fx.event;
  const ev = new D.TransformedDistribution(new D.Independent(new D.Normal(decode(e.loc), decode(e.scale)), 1), [new D.AffineTransform(decode(e.affLoc), decode(e.affScale), 1)]);
  assert.deepEqual(ev.batchShape, e.batch);
  assert.deepEqual(ev.eventShape, e.event);
  assertTensorClose(ev.logProb(decode(e.values)), e.logProb, 'event', TOL);
  const i = fx.inverse;
  const exp = new D.ExpTransform();
  assert.equal(exp.inv.inv, exp);
  const inv = new D.TransformedDistribution(new D.Normal(decode(i.loc), decode(i.scale)), [exp.inv.inv]);
  assertTensorClose(inv.logProb(decode(i.values)), i.logProb, 'inverse of inverse', TOL);
  // ExpTransform().inv maps y to log y: as a distribution's transform it gives the log of a LogNormal draw, a Normal one.
  const x = tensor([0.5, 1.5]);
  assertTensorClose(exp.inv.forward(exp.forward(x)), { shape: [2], data: [0.5, 1.5] }, 'inv undoes forward', TOL);
});

test('shapes: the base expanded to the batch the transforms\' parameters broadcast to; event dimensions carried along a list', () => {
  const cases: [keyof typeof fx.shapes, InstanceType<typeof D.TransformedDistribution>, number][] = [
    ['affineRows', new D.TransformedDistribution(new D.Normal(tensor([0, 0, 0]), tensor(1)), new D.AffineTransform(tensor([[0, 0, 0], [100, 100, 100]]), 1)), 53],
    ['scalarBase', new D.TransformedDistribution(new D.Normal(0, 1), new D.AffineTransform(tensor([1, 2, 3]), 2)), 54],
    ['power', new D.TransformedDistribution(new D.Exponential(1), new D.PowerTransform(tensor([0.5, 1, 2]))), 55],
    ['stickExp', new D.TransformedDistribution(new D.Normal(tensor([[0, 0, 0], [0, 0, 0]]), 1), [new D.StickBreakingTransform(), new D.ExpTransform()]), 56],
    ['corrAffine', new D.TransformedDistribution(new D.Normal(tensor([[0, 0, 0], [0, 0, 0]]), 1), [new D.CorrCholeskyTransform(), new D.AffineTransform(0, 2)]), 57],
  ];
  for (const [name, d, seed] of cases) {
    const c = fx.shapes[name];
    assert.deepEqual(d.batchShape, c.batch, `${name} batchShape`);
    assert.deepEqual(d.eventShape, c.event, `${name} eventShape`);
    assert.equal(String(d.support), c.support, `${name} support`);
    manualSeed(seed);
    assertTensorClose(d.hasRsample ? d.rsample([2]) : d.sample([2]), c.sample, `${name} sample`, { rtol: 1e-5, atol: 1e-5 });
    assertTensorClose(d.logProb(decode(c.values)), c.logProb, `${name} logProb`, { rtol: 1e-5, atol: 1e-5 });
  }
});
