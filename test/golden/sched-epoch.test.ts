// ReduceLROnPlateau's step(metric, epoch) with a fractional or negative epoch, against PyTorch 1.13
// (fixtures/torch/sched-epoch.json, written by fixtures/torch/make_sched_epoch.py; this test only reads the file):
// the epoch only sets lastEpoch, from which step(metric) goes on, and the counters and rates are PyTorch's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { optim, tensor } from '../../src/index.js';
import { loadFixture } from './golden-helpers.js';

interface PlateauCase {
  name: string;
  kwargs: optim.lr_scheduler.ReduceLROnPlateauOptions;
  lrs: number[];
  ops: [number, number | null][];
  steps: { lastEpoch: number; lrs: number[]; best: number; numBadEpochs: number; cooldownCounter: number }[];
}

const fx = loadFixture<{ plateau: PlateauCase[] }>('sched-epoch.json');

test('sched-epoch.json has fractional and negative epochs for ReduceLROnPlateau', () => {
  const epochs = fx.plateau.flatMap((c) => c.ops.map(([, e]) => e)).filter((e): e is number => e !== null);
  assert.ok(epochs.some((e) => !Number.isInteger(e)) && epochs.some((e) => e < 0) && epochs.includes(-1));
});

for (const c of fx.plateau) {
  test(`golden: ReduceLROnPlateau ${c.name}: step(metric, epoch) sets lastEpoch as PyTorch's, the rates and counters follow`, () => {
    const opt = new optim.SGD(c.lrs.map((lr) => ({ params: [tensor([0, 0], undefined, { requiresGrad: true })], lr })), c.lrs[0]);
    const sched = new optim.lr_scheduler.ReduceLROnPlateau(opt, c.kwargs);
    c.ops.forEach(([metric, epoch], i) => {
      if (epoch === null) sched.step(metric);
      else sched.step(metric, epoch);
      const got = { lastEpoch: sched.lastEpoch, lrs: sched.getLastLr(), best: sched.best, numBadEpochs: sched.numBadEpochs, cooldownCounter: sched.cooldownCounter };
      assert.deepEqual(got, c.steps[i], `${c.name}, step ${i} (${metric}, ${epoch})`);
    });
    // The state, with its lastEpoch, survives JSON and loads into a new scheduler.
    const again = new optim.lr_scheduler.ReduceLROnPlateau(opt, c.kwargs);
    again.loadStateDict(JSON.parse(JSON.stringify(sched.stateDict())));
    assert.equal(again.lastEpoch, c.steps.at(-1)!.lastEpoch);
  });
}
