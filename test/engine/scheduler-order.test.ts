// kindling-test: own process (it checks a warning given once per process)
// scheduler.step() before any optimizer.step() since the scheduler was made skips the schedule's first rate;
// PyTorch warns about it (UserWarning "Detected call of `lr_scheduler.step()` before `optimizer.step()`"), and so
// does Kindling, once per process. The right order, and LBFGS's step with a closure, give no warning.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nn, optim, tensor } from '../../src/index.js';

async function warningsDuring(run: () => void): Promise<string[]> {
  const seen: string[] = [];
  const listen = (w: Error): void => {
    if (/before optimizer\.step\(\)/.test(w.message)) seen.push(w.message);
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

function setup(lr = 0.1): { model: nn.Linear; opt: optim.SGD; train: () => void } {
  const model = new nn.Linear(2, 1);
  const opt = new optim.SGD(model.parameters(), lr);
  const train = (): void => {
    opt.zeroGrad();
    model.forward(tensor([[1, 2]])).sum().backward();
    opt.step();
  };
  return { model, opt, train };
}

test('optimizer.step() then scheduler.step() gives no warning, and the rates follow the schedule from its first', async () => {
  const { opt, train } = setup();
  const sched = new optim.lr_scheduler.StepLR(opt, 1, 0.5);
  const rates: number[] = [];
  const seen = await warningsDuring(() => {
    for (let epoch = 0; epoch < 3; epoch++) {
      rates.push(opt.paramGroups[0]!.lr);
      train();
      sched.step();
    }
  });
  assert.deepEqual(seen, []);
  assert.deepEqual(rates, [0.1, 0.05, 0.025]);
  // LBFGS steps with a closure (its own step()): counted as a step too.
  const model = new nn.Linear(2, 1);
  const lbfgs = new optim.LBFGS(model.parameters(), { lr: 0.5, maxIter: 2 });
  const s2 = new optim.lr_scheduler.ExponentialLR(lbfgs, 0.9);
  const seen2 = await warningsDuring(() => {
    lbfgs.step(() => {
      lbfgs.zeroGrad();
      const l = model.forward(tensor([[1, 2]])).pow(2).sum();
      l.backward();
      return l;
    });
    s2.step();
  });
  assert.deepEqual(seen2, []);
  // SequentialLR takes its first scheduler's first step again (PyTorch's _initial_step): that is no user's step.
  const seq = setup();
  const warm = new optim.lr_scheduler.LinearLR(seq.opt, 0.1, 1, 2);
  const decay = new optim.lr_scheduler.ExponentialLR(seq.opt, 0.9);
  const chain = new optim.lr_scheduler.SequentialLR(seq.opt, [warm, decay], [2]);
  const seen3 = await warningsDuring(() => {
    for (let epoch = 0; epoch < 4; epoch++) {
      seq.train();
      chain.step();
    }
  });
  assert.deepEqual(seen3, []);
});

test('scheduler.step() before optimizer.step() warns once per process, naming the scheduler, and still steps as PyTorch does', async () => {
  const { opt, train } = setup();
  // Steps taken before the scheduler was made do not count (PyTorch resets the count when a scheduler starts).
  train();
  const sched = new optim.lr_scheduler.StepLR(opt, 1, 0.5);
  const seen = await warningsDuring(() => sched.step());
  assert.equal(seen.length, 1);
  assert.match(seen[0]!, /^StepLR\.step\(\) was called before optimizer\.step\(\): call optimizer\.step\(\) first \(each batch\), then StepLR\.step\(\) \(each epoch\), or the schedule's first learning rate is skipped/);
  assert.equal(opt.paramGroups[0]!.lr, 0.05, 'the first rate, 0.1, was skipped, as in PyTorch');
  // Only the scheduler's first step is checked, and the warning is given once.
  const later = setup();
  const s2 = new optim.lr_scheduler.MultiStepLR(later.opt, [1]);
  assert.deepEqual(await warningsDuring(() => s2.step()), []);
});
