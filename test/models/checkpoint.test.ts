import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ModelFileError } from '../../src/io/model-file.js';
import { decodeSafetensors, encodeSafetensors } from '../../src/io/safetensors.js';
import { readCheckpoint, restoreCheckpoint, writeCheckpoint } from '../../src/lab/checkpoint.js';
import { buildLoss, buildModel } from '../../src/lab/model.js';
import type { RunSpec } from '../../src/lab/trainer.js';
import type { Module } from '../../src/nn/module.js';
import { loadModel, saveModel } from '../../src/nn/serialize.js';
import * as optim from '../../src/optim/index.js';
import { Generator } from '../../src/random.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { tempFolder, variantSpec } from './helpers.js';

const tmp = tempFolder();
after(tmp.remove);

/** A few training steps on seeded random data (step `from` onwards gets the same data in every call). */
function steps(model: Module, opt: optim.Optimizer, spec: RunSpec, from: number, count: number): void {
  const lossFn = buildLoss(spec.config);
  for (let i = from; i < from + count; i++) {
    const g = new Generator(100 + i);
    const x = new Tensor(Float32Array.from({ length: 784 }, () => g.uniform(0, 1)), [1, 784]);
    const y = new Tensor(Float32Array.from({ length: 10 }, (_, k) => (k === i % 10 ? 1 : 0)), [1, 10]);
    const loss = lossFn.forward(model.forward(x), y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
  }
}

const params = (m: Module): number[][] => m.parameters().map((p) => Array.from(p.toArray()));

for (const [name, make, buffers] of [
  ['SGD with momentum', (m: Module) => new optim.SGD(m.parameters(), { lr: 0.05, momentum: 0.9 }), ['momentum_buffer']],
  ['Adam', (m: Module) => new optim.Adam(m.parameters()), ['exp_avg', 'exp_avg_sq']],
] as const) {
  test(`a checkpoint restores ${name} exactly: training on gives bit-identical weights`, () => {
    const spec = variantSpec(name === 'Adam' ? 'combined' : 'baseline', { epochs: 3 });
    const straight = buildModel(spec.config, 1);
    const straightOpt = make(straight);
    steps(straight, straightOpt, spec, 0, 32);

    const first = buildModel(spec.config, 1);
    const firstOpt = make(first);
    steps(first, firstOpt, spec, 0, 30);
    const path = join(tmp.dir, `ckpt-${name.split(' ')[0]}.safetensors`);
    const losses = [0.5, null, 0.25];
    writeCheckpoint(path, first, firstOpt, { spec, position: { step: 30, epoch: 1, elapsedSeconds: 1.5, losses, reason: 'stopped', trainSamples: 20 }, data: '/data/x', index: 4 });

    const file = decodeSafetensors(readFileSync(path), path);
    for (const b of buffers) assert.deepEqual(file.tensors[`optim.0.${b}`]!.shape, [200, 784], `optim.0.${b} is saved with the parameter's shape`);
    if (name === 'Adam') assert.equal(JSON.parse(file.metadata['optimizer']!).counters['0'].step, 30);

    const ckpt = readCheckpoint(path);
    assert.deepEqual(ckpt.spec, spec);
    assert.deepEqual(ckpt.position, { step: 30, epoch: 1, elapsedSeconds: 1.5, losses, reason: 'stopped', trainSamples: 20 });
    assert.equal(ckpt.data, '/data/x');
    assert.equal(ckpt.index, 4);
    const resumed = buildModel(spec.config, 99);
    const resumedOpt = make(resumed);
    restoreCheckpoint(ckpt, resumed, resumedOpt);
    assert.deepEqual(params(resumed), params(first));
    steps(resumed, resumedOpt, spec, 30, 2);
    assert.deepEqual(params(resumed), params(straight));
    // A checkpoint is also a model file: eval and predict can use it directly.
    assert.deepEqual(params(loadModel(path)), params(first));
  });
}

test('readCheckpoint refuses a plain model file and names a bad run field', () => {
  const spec = variantSpec('baseline');
  const model = buildModel(spec.config, 0);
  const modelPath = join(tmp.dir, 'plain-model.safetensors');
  saveModel(model, modelPath);
  assert.throws(() => readCheckpoint(modelPath), /is a model file, not a checkpoint/);

  const path = join(tmp.dir, 'bad-run.safetensors');
  writeCheckpoint(path, model, new optim.SGD(model.parameters(), { lr: 0.01 }), { spec, position: { step: 0, epoch: 0, elapsedSeconds: 0, losses: [], reason: 'start' } });
  const c = decodeSafetensors(readFileSync(path), path);
  const edit = (name: string, change: (m: Record<string, string>, t: typeof c.tensors) => void): string => {
    const copy = decodeSafetensors(readFileSync(path), path);
    change(copy.metadata, copy.tensors);
    const p = join(tmp.dir, name);
    writeFileSync(p, encodeSafetensors(copy.tensors, copy.metadata));
    return p;
  };
  const run = JSON.parse(c.metadata['run']!) as Record<string, unknown>;
  const cases: Array<[string, RegExp]> = [
    [edit('seed.safetensors', (m) => (m['run'] = JSON.stringify({ ...run, seed: -1 }))), /run\.seed must be an integer ≥ 0, got -1/],
    [edit('lr.safetensors', (m) => (m['run'] = JSON.stringify({ ...run, config: { ...(run['config'] as object), lr: -1 } }))), /run\.config\.lr must be above 0, got -1/],
    [edit('variant.safetensors', (m) => (m['run'] = JSON.stringify({ ...run, variant: '../../etc' }))), /run\.variant is "\.\.\/\.\.\/etc", expected letters, digits/],
    [edit('opt.safetensors', (m) => (m['optimizer'] = JSON.stringify({ type: 'adam', counters: {} }))), /optimizer\.type is adam but the run uses sgd/],
    [edit('losses.safetensors', (_m, t) => (t['run.losses'] = { dtype: 'F32', shape: [3], data: new Float32Array(3) })), /run\.losses holds 3 losses but 0 steps record 0/],
    [edit('position.safetensors', (m) => delete m['position']), /needs a "position" metadata entry/],
  ];
  for (const [p, pattern] of cases) {
    assert.throws(() => readCheckpoint(p), (err: unknown) => {
      assert.ok(err instanceof ModelFileError, String(err));
      assert.ok(err.message.startsWith(p), err.message);
      assert.match(err.message, pattern);
      return true;
    });
  }
});

test('restoreCheckpoint checks the optimizer buffers against the model and changes nothing on error', () => {
  const spec = variantSpec('adam');
  const model = buildModel(spec.config, 0);
  const opt = new optim.Adam(model.parameters());
  steps(model, opt, spec, 0, 1);
  const path = join(tmp.dir, 'adam.safetensors');
  writeCheckpoint(path, model, opt, { spec, position: { step: 1, epoch: 0, elapsedSeconds: 0, losses: [], reason: 'stopped' } });
  const copy = decodeSafetensors(readFileSync(path), path);
  copy.tensors['optim.2.exp_avg'] = { dtype: 'F32', shape: [2000], data: new Float32Array(2000) };
  const bad = join(tmp.dir, 'adam-bad.safetensors');
  writeFileSync(bad, encodeSafetensors(copy.tensors, copy.metadata));
  const fresh = buildModel(spec.config, 5);
  const before = params(fresh);
  assert.throws(() => restoreCheckpoint(readCheckpoint(bad), fresh, new optim.Adam(fresh.parameters())),
    /tensor "optim\.2\.exp_avg" has shape \[2000\], but parameter 2 \("2\.weight"\) has shape \[10, 200\]/);
  assert.deepEqual(params(fresh), before);
});

test('a checkpoint edited out of step with itself is refused, naming the file and the entry, before anything is restored', () => {
  const spec = variantSpec('adam');
  const model = buildModel(spec.config, 0);
  const opt = new optim.Adam(model.parameters());
  steps(model, opt, spec, 0, 2);
  const path = join(tmp.dir, 'adam-edits.safetensors');
  writeCheckpoint(path, model, opt, { spec, position: { step: 2, epoch: 0, elapsedSeconds: 1, losses: [], reason: 'stopped' } });
  const edit = (name: string, change: (m: Record<string, string>, t: Record<string, unknown>) => void): string => {
    const copy = decodeSafetensors(readFileSync(path), path);
    change(copy.metadata, copy.tensors);
    const p = join(tmp.dir, name);
    writeFileSync(p, encodeSafetensors(copy.tensors as Parameters<typeof encodeSafetensors>[0], copy.metadata));
    return p;
  };
  const json = (m: Record<string, string>, key: string, change: (o: Record<string, any>) => void): void => {
    const o = JSON.parse(m[key]!) as Record<string, any>;
    change(o);
    m[key] = JSON.stringify(o);
  };
  // Refused when read.
  const read: Array<[string, RegExp]> = [
    [edit('step-neg.safetensors', (m) => json(m, 'optimizer', (o) => (o['counters']['0'].step = -1))), /optimizer\.counters\.0\.step must be an integer ≥ 1, got -1/],
    [edit('step-frac.safetensors', (m) => json(m, 'optimizer', (o) => (o['counters']['0'].step = 0.5))), /optimizer\.counters\.0\.step must be an integer ≥ 1, got 0\.5/],
    [edit('index-01.safetensors', (m) => json(m, 'optimizer', (o) => (o['counters']['01'] = { step: 7 }))), /optimizer\.counters\.01\.step: parameter index "01" is not one of the model's 4 parameters/],
    [edit('step-other.safetensors', (m) => json(m, 'optimizer', (o) => (o['counters']['1'].step = 5))), /optimizer\.counters\.1\.step is 5, but the run is at step 2, and every step counts for every parameter; was the file edited\?/],
    [edit('v-negative.safetensors', (_m, t) => {
      const v = t['optim.0.exp_avg_sq'] as { data: Float32Array };
      v.data = Float32Array.from(v.data, (x, i) => (i === 17 ? -0.25 : x));
    }), /tensor "optim\.0\.exp_avg_sq" holds -0\.25 at \[0, 17\], but it keeps squares \(their average, sum or largest\), never negative; was the file edited\?/],
    [edit('elapsed.safetensors', (m) => json(m, 'position', (o) => (o['elapsedSeconds'] = -100))), /position\.elapsedSeconds must be 0 or more, got -100/],
    [edit('created.safetensors', (m) => (m['createdAt'] = 'yesterday')), /createdAt must be a time as toISOString\(\) writes it .*got "yesterday"/],
    [edit('created-month.safetensors', (m) => (m['createdAt'] = '2026-13-02T16:30:00.000Z')), /createdAt must be a time/],
    [edit('one-gone.safetensors', (m, t) => {
      json(m, 'optimizer', (o) => delete o['counters']['3']);
      delete t['optim.3.exp_avg'];
      delete t['optim.3.exp_avg_sq'];
    }), /the optimizer state covers 3 of the model's 4 parameters at step 2/],
  ];
  for (const [p, pattern] of read) {
    assert.throws(() => readCheckpoint(p), (err: unknown) => err instanceof ModelFileError && err.message.startsWith(p) && pattern.test(err.message));
  }
  // Refused when restored into the model and optimizer the run's configuration builds; neither is changed.
  const restored: Array<[string, RegExp]> = [
    [edit('no-v.safetensors', (_m, t) => delete t['optim.0.exp_avg_sq']), /Adam\.loadStateDict: the state of parameter 0 lacks "exp_avg_sq" \(Adam keeps "step", "exp_avg", "exp_avg_sq" here\)/],
    [edit('bogus.safetensors', (m) => json(m, 'optimizer', (o) => (o['counters']['0'].bogus = 3))), /parameter 0 has state "bogus" \(the number 3\), but Adam keeps/],
    [edit('lr.safetensors', (m) => json(m, 'optimizer', (o) => (o['hyper'].lr = 0.5))), /optimizer\.hyper\.lr is 0\.5, but the run's configuration trains with 0\.001; was the file edited\?/],
    [edit('arch.safetensors', (m) => json(m, 'architecture', (o) => (o['layers'][1] = { type: 'ReLU' }))), /its architecture \(Linear\(784, 200\) → ReLU → Linear\(200, 10\) → Sigmoid\) is not the one its run configuration builds \(Linear\(784, 200\) → Sigmoid → Linear\(200, 10\) → Sigmoid\)/],
  ];
  for (const [p, pattern] of restored) {
    const fresh = buildModel(spec.config, 5);
    const freshOpt = new optim.Adam(fresh.parameters());
    const before = params(fresh);
    assert.throws(() => restoreCheckpoint(readCheckpoint(p), fresh, freshOpt), (err: unknown) => err instanceof ModelFileError && err.message.startsWith(p) && pattern.test(err.message));
    assert.deepEqual(params(fresh), before);
    assert.deepEqual(freshOpt.stateDict().state, {});
  }
  // The file as written restores.
  const whole = buildModel(spec.config, 5);
  restoreCheckpoint(readCheckpoint(path), whole, new optim.Adam(whole.parameters()));
  assert.deepEqual(params(whole), params(model));
});
