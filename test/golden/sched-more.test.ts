// CosineAnnealingLR and ReduceLROnPlateau against PyTorch 1.13 (fixtures/torch/sched-more.json, written by
// fixtures/torch/make_sched_more.py; this test only reads the file): every group's rate after every step, exactly,
// and the same after a state dict saved partway is loaded into a new scheduler. Also glibc's cosine, which the
// cosine schedule needs to agree to the last bit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { optim, tensor } from '../../src/index.js';
import { cosGlibc } from '../../src/optim/cos-glibc.js';
import { loadFixture } from './golden-helpers.js';

type Num = number | 'NaN' | 'Infinity' | '-Infinity';

interface CosineCase {
  tMax: number;
  etaMin: number;
  lrs: number[];
  chained: number[][];
  closed: number[][];
  ops: (number | null)[];
  mixed: { lastEpoch: number; lrs: number[] }[];
  torchState: { last_epoch: number; base_lrs: number[]; _last_lr: number[] };
}

interface PlateauCase {
  name: string;
  kwargs: optim.lr_scheduler.ReduceLROnPlateauOptions;
  lrs: number[];
  metrics: Num[];
  steps: { lrs: number[]; best: Num; numBadEpochs: number; cooldownCounter: number }[];
  lastEpoch: number;
}

const fx = loadFixture<{ cosine: CosineCase[]; plateau: PlateauCase[]; cos: { x: number[]; cos: number[] } }>('sched-more.json');
const { CosineAnnealingLR, ReduceLROnPlateau } = optim.lr_scheduler;

/** The fixture's strings for NaN and ±Infinity, as numbers. */
const num = (v: Num): number => (v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v);

/** An SGD with one parameter group per rate, as the generator makes. */
function sgd(lrs: number[]): optim.SGD {
  return new optim.SGD(lrs.map((lr) => ({ params: [tensor([0, 0], undefined, { requiresGrad: true })], lr })), lrs[0]);
}

/** Saves optimizer and scheduler as JSON text, and loads both into a new pair made by `make` (as on resuming). */
function resume<S extends { optimizer: optim.Optimizer; stateDict(): unknown; loadStateDict(sd: never): void }>(from: S, make: () => S): S {
  const saved = JSON.parse(JSON.stringify({ opt: from.optimizer.stateDict(), sched: from.stateDict() })) as { opt: optim.OptimizerStateDict; sched: never };
  const to = make();
  to.optimizer.loadStateDict(saved.opt);
  to.loadStateDict(saved.sched);
  assert.deepEqual(to.stateDict(), from.stateDict());
  return to;
}

test('sched-more.json covers the cases the schedulers distinguish', () => {
  assert.ok(fx.cosine.length >= 5 && fx.cosine.some((c) => c.lrs.length >= 3) && fx.cosine.some((c) => c.tMax === 1));
  assert.ok(fx.cosine.every((c) => c.chained.length === 3 * c.tMax + 3 && c.ops.some((o) => o !== null)));
  const names = fx.plateau.map((c) => c.name);
  for (const n of ['cooldown2', 'abs_threshold', 'max_rel', 'max_abs', 'min_lr_per_group', 'eps_large', 'non_finite_min']) assert.ok(names.includes(n), n);
  assert.ok(fx.plateau.some((c) => c.steps.some((s) => s.cooldownCounter > 0)));
  assert.ok(fx.plateau.some((c) => c.metrics.includes('NaN') && c.metrics.includes('-Infinity')));
});

test('golden: cosGlibc(x) is Python\'s math.cos(x) bit for bit, where V8\'s Math.cos is not', () => {
  const { x, cos } = fx.cos;
  assert.deepEqual(x.map(cosGlibc), cos);
  assert.ok(x.filter((v, i) => Math.cos(v) !== cos[i]).length > 0, 'the fixture has cosines where Math.cos is an ulp off');
});

for (const c of fx.cosine) {
  const label = `CosineAnnealingLR(tMax=${c.tMax}, etaMin=${c.etaMin}) on ${c.lrs.length} groups`;
  const make = (): optim.lr_scheduler.CosineAnnealingLR => new CosineAnnealingLR(sgd(c.lrs), c.tMax, c.etaMin);

  test(`golden: ${label}: step() and step(epoch) give PyTorch's rates exactly`, () => {
    const sched = make();
    const chained = [sched.getLastLr()];
    for (let e = 1; e < c.chained.length; e++) {
      sched.optimizer.step();
      sched.step();
      chained.push(sched.getLastLr());
    }
    assert.deepEqual(chained, c.chained, 'step()');
    assert.deepEqual(sched.optimizer.paramGroups.map((g) => g.lr), c.chained.at(-1), 'the rates are the groups\'');
    const s = sched.stateDict();
    assert.deepEqual([s.lastEpoch, s.baseLrs, s.lastLr], [c.torchState.last_epoch, c.torchState.base_lrs, c.torchState._last_lr]);
    const fresh = make();
    assert.deepEqual(c.closed.map((_, e) => {
      fresh.step(e);
      return fresh.getLastLr();
    }), c.closed, 'step(epoch)');
    const mixed = make();
    assert.deepEqual(c.ops.map((op) => {
      if (op === null) mixed.step();
      else mixed.step(op);
      return { lastEpoch: mixed.lastEpoch, lrs: mixed.getLastLr() };
    }), c.mixed, 'step() and step(epoch) mixed');
  });

  test(`golden: ${label}: a state dict saved at epoch tMax + 1 resumes PyTorch's schedule`, () => {
    const sched = make();
    for (let e = 1; e <= c.tMax + 1; e++) sched.step();
    const resumed = resume(sched, make);
    const rest = c.chained.slice(c.tMax + 2).map(() => {
      resumed.step();
      return resumed.getLastLr();
    });
    assert.deepEqual(rest, c.chained.slice(c.tMax + 2));
  });
}

test('golden: the chainable and closed forms round differently somewhere, as in PyTorch', () => {
  assert.ok(fx.cosine.some((c) => c.closed.some((lrs, e) => lrs.some((lr, g) => lr !== c.chained[e]![g]))));
});

for (const c of fx.plateau) {
  const make = (): optim.lr_scheduler.ReduceLROnPlateau => new ReduceLROnPlateau(sgd(c.lrs), c.kwargs);
  const want = c.steps.map((s) => ({ ...s, best: num(s.best) }));

  /** The scheduler's record after each metric from `from` on. */
  const feed = (sched: optim.lr_scheduler.ReduceLROnPlateau, from: number): typeof want => c.metrics.slice(from).map((m) => {
    sched.optimizer.step();
    sched.step(num(m));
    return { lrs: sched.getLastLr(), best: sched.best, numBadEpochs: sched.numBadEpochs, cooldownCounter: sched.cooldownCounter };
  });

  test(`golden: ReduceLROnPlateau ${c.name} ${JSON.stringify(c.kwargs)}: rates, best and counters after every metric`, () => {
    const sched = make();
    assert.deepEqual(feed(sched, 0), want);
    assert.deepEqual(sched.optimizer.paramGroups.map((g) => g.lr), want.at(-1)!.lrs);
    assert.equal(sched.lastEpoch, c.lastEpoch);
  });

  test(`golden: ReduceLROnPlateau ${c.name}: a state dict saved halfway resumes PyTorch's sequence`, () => {
    const half = Math.floor(c.metrics.length / 2);
    const first = make();
    c.metrics.slice(0, half).forEach((m) => first.step(num(m)));
    assert.deepEqual(feed(resume(first, make), half), want.slice(half));
  });
}
