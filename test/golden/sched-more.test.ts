// CosineAnnealingLR and ReduceLROnPlateau against PyTorch 1.13 (fixtures/torch/sched-more.json, written by
// fixtures/torch/make_sched_more.py; this test only reads the file): every group's rate after every step, and the
// same after a state dict saved partway is loaded into a new scheduler. ReduceLROnPlateau's rates are PyTorch's
// exactly; CosineAnnealingLR's are within 1e-12 of them (JavaScript's Math.cos is not the C library's cosine that
// Python calls: they differ in the last bit for a few per cent of arguments).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { optim, tensor } from '../../src/index.js';
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

const fx = loadFixture<{ cosine: CosineCase[]; plateau: PlateauCase[] }>('sched-more.json');
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

/** Rates within 1e-12 of PyTorch's (relative), group by group, step by step. */
function assertRates(got: number[][], want: number[][], label: string): void {
  assert.equal(got.length, want.length, `${label}: steps`);
  got.forEach((lrs, e) => {
    assert.equal(lrs.length, want[e]!.length, `${label}: groups at ${e}`);
    lrs.forEach((lr, g) => {
      const w = want[e]![g]!;
      assert.ok(Math.abs(lr - w) <= 1e-12 * Math.abs(w), `${label}: step ${e}, group ${g}: ${lr}, PyTorch ${w}`);
    });
  });
}

for (const c of fx.cosine) {
  const label = `CosineAnnealingLR(tMax=${c.tMax}, etaMin=${c.etaMin}) on ${c.lrs.length} groups`;
  const make = (): optim.lr_scheduler.CosineAnnealingLR => new CosineAnnealingLR(sgd(c.lrs), c.tMax, c.etaMin);

  test(`golden: ${label}: step() and step(epoch) give PyTorch's rates (within 1e-12)`, () => {
    const sched = make();
    const chained = [sched.getLastLr()];
    for (let e = 1; e < c.chained.length; e++) {
      sched.optimizer.step();
      sched.step();
      chained.push(sched.getLastLr());
    }
    assertRates(chained, c.chained, 'step()');
    assert.deepEqual(sched.optimizer.paramGroups.map((g) => g.lr), chained.at(-1), 'the rates are the groups\'');
    const s = sched.stateDict();
    assert.equal(s.lastEpoch, c.torchState.last_epoch);
    assert.deepEqual(s.baseLrs, c.torchState.base_lrs);
    assertRates([s.lastLr], [c.torchState._last_lr], 'the state\'s last rates');
    const fresh = make();
    const closed = c.closed.map((_, e) => {
      fresh.step(e);
      return fresh.getLastLr();
    });
    assertRates(closed, c.closed, 'step(epoch)');
    const mixed = make();
    const ran = c.ops.map((op) => {
      if (op === null) mixed.step();
      else mixed.step(op);
      return { lastEpoch: mixed.lastEpoch, lrs: mixed.getLastLr() };
    });
    assert.deepEqual(ran.map((r) => r.lastEpoch), c.mixed.map((m) => m.lastEpoch), 'step() and step(epoch) mixed: epochs');
    assertRates(ran.map((r) => r.lrs), c.mixed.map((m) => m.lrs), 'step() and step(epoch) mixed');
  });

  test(`golden: ${label}: a state dict saved at epoch tMax + 1 resumes PyTorch's schedule`, () => {
    const sched = make();
    for (let e = 1; e <= c.tMax + 1; e++) sched.step();
    const resumed = resume(sched, make);
    const rest = c.chained.slice(c.tMax + 2).map(() => {
      resumed.step();
      return resumed.getLastLr();
    });
    assertRates(rest, c.chained.slice(c.tMax + 2), 'resumed');
  });
}

test('golden: most cosine rates are PyTorch\'s to the last bit (Math.cos gives the C library\'s bits for most arguments)', () => {
  let exact = 0;
  let compared = 0;
  for (const c of fx.cosine) {
    const sched = new CosineAnnealingLR(sgd(c.lrs), c.tMax, c.etaMin);
    const chained = [sched.getLastLr()];
    for (let e = 1; e < c.chained.length; e++) {
      sched.step();
      chained.push(sched.getLastLr());
    }
    chained.forEach((lrs, e) => lrs.forEach((lr, g) => {
      compared++;
      if (lr === c.chained[e]![g]) exact++;
    }));
  }
  assert.ok(compared > 0 && exact / compared > 0.9, `${exact} of ${compared} exactly equal`);
});

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
