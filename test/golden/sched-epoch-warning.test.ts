// kindling-test: own process (it checks warnings given once per process)
// PyTorch 1.13 deprecates scheduler.step(epoch) with a UserWarning (EPOCH_DEPRECATION_WARNING), given from two lines
// of lr_scheduler.py (_LRScheduler.step and ReduceLROnPlateau.step), so Python's default filter shows it once per
// process from each. Which calls warn is PyTorch's (fixtures/torch/sched-epoch.json, "warns", recorded with every
// warning shown): CosineAnnealingWarmRestarts's own step(epoch) does not, SequentialLR's step() at a milestone does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { optim, tensor } from '../../src/index.js';
import { loadFixture } from './golden-helpers.js';

const fx = loadFixture<{ warns: { call: string; warnings: number }[] }>('sched-epoch.json');
const torchWarns = (call: string): number => {
  const c = fx.warns.find((w) => w.call === call);
  assert.ok(c, `the fixture has ${call}`);
  return c.warnings;
};

const L = optim.lr_scheduler;
const sgd = (): optim.SGD => new optim.SGD([tensor([0, 0], undefined, { requiresGrad: true })], 0.1);

async function deprecations(run: () => void): Promise<string[]> {
  const seen: string[] = [];
  const listen = (w: Error): void => {
    if (w.message.includes('The epoch parameter in `scheduler.step()`')) seen.push(w.message);
  };
  process.on('warning', listen);
  try {
    run();
    await new Promise((r) => setImmediate(r));
  } finally {
    process.off('warning', listen);
  }
  return seen;
}

test('step(epoch) warns as PyTorch 1.13 does, once per process from each of its two places; step() never', async () => {
  // Calls PyTorch does not warn on.
  for (const [call, run] of [
    ['CosineAnnealingWarmRestarts.step(2.5)', () => new L.CosineAnnealingWarmRestarts(sgd(), 2).step(2.5)],
    ['StepLR.step()', () => new L.StepLR(sgd(), 2, 0.5).step()],
    ['ReduceLROnPlateau.step(1)', () => new L.ReduceLROnPlateau(sgd()).step(1)],
  ] as const) {
    assert.equal(torchWarns(call), 0, call);
    assert.deepEqual(await deprecations(run), [], call);
  }
  // SequentialLR's step() at its milestone calls step(0) on the next scheduler: PyTorch's first warning from
  // _LRScheduler.step, in its words.
  const opt = sgd();
  const seq = new L.SequentialLR(opt, [new L.ConstantLR(opt, 0.5, 2), new L.ExponentialLR(opt, 0.9)], [2]);
  const first = await deprecations(() => [0, 1, 2].forEach(() => seq.step()));
  assert.equal(first.length, torchWarns('SequentialLR.step() x3 past milestone 2'));
  assert.equal(first[0], 'The epoch parameter in `scheduler.step()` was not necessary and is being deprecated where possible. Please use `scheduler.step()` to step the scheduler. During the deprecation, if epoch is different from None, the closed form is used instead of the new chainable form, where available.');
  // The other schedulers' step(epoch) warn from the same place: each would warn (PyTorch's count, every warning
  // shown), but Python's default filter has shown this one already.
  for (const [call, run] of [
    ['StepLR.step(3)', () => new L.StepLR(sgd(), 2, 0.5).step(3)],
    ['ExponentialLR.step(2.5)', () => new L.ExponentialLR(sgd(), 0.9).step(2.5)],
    ['OneCycleLR.step(3)', () => new L.OneCycleLR(sgd(), { maxLr: 0.5, totalSteps: 10 }).step(3)],
  ] as const) {
    assert.equal(torchWarns(call), 1, call);
    assert.deepEqual(await deprecations(run), [], `${call}: once per process`);
  }
  // ReduceLROnPlateau's step(metric, epoch) warns from its own place: once, then no more.
  const plateau = new L.ReduceLROnPlateau(sgd());
  assert.equal((await deprecations(() => plateau.step(1, 4))).length, torchWarns('ReduceLROnPlateau.step(1, 4)'));
  assert.deepEqual(await deprecations(() => plateau.step(1, 5)), []);
});
