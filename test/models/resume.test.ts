import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadEmbeddedMnist } from '../../src/data/mnist.js';
import { KindlingError } from '../../src/errors.js';
import { readModelFile } from '../../src/io/model-file.js';
import { readCheckpoint } from '../../src/lab/checkpoint.js';
import { NonFiniteLossError, RunStopped, trainRun, type RunSpec } from '../../src/lab/trainer.js';
import { outcome, tempFolder, variantSpec } from './helpers.js';

const tmp = tempFolder();
after(tmp.remove);
const train = loadEmbeddedMnist('train');
const testSplit = loadEmbeddedMnist('test');

for (const variant of ['combined', 'baseline']) {
  const spec: RunSpec = variantSpec(variant, { epochs: 2, trainLimit: 120, testLimit: 300 });
  const file = (name: string): string => join(tmp.dir, `${variant}-${name}.safetensors`);
  const straight = trainRun(spec, train, testSplit, {}, { files: { models: [file('straight')] } });

  test(`${variant}: 1 epoch, then resumed to 2, equals 2 epochs straight, bit for bit`, () => {
    trainRun({ ...spec, epochs: 1 }, train, testSplit, {}, { files: { checkpoint: file('epoch1') } });
    const ckpt = readCheckpoint(file('epoch1'));
    assert.equal(ckpt.position.step, 120);
    assert.equal(ckpt.position.epoch, 1);
    assert.equal(ckpt.position.reason, 'epoch');
    const resumed = trainRun(spec, train, testSplit, {}, { resume: ckpt, files: { models: [file('resumed')] } });
    assert.deepEqual(outcome(resumed), outcome(straight));
    // The saved models (weights and metadata) are byte-identical files.
    assert.deepEqual(readFileSync(file('resumed')), readFileSync(file('straight')));
  });

  test(`${variant}: stopped mid-epoch by the stop flag, then resumed, equals the straight run`, () => {
    const stop = new Int32Array(new SharedArrayBuffer(4));
    assert.throws(
      () => trainRun(spec, train, testSplit, { progressEvery: 10, onProgress: (p) => p.step === 70 && Atomics.store(stop, 0, 1) }, { stop, files: { checkpoint: file('stopped') } }),
      (err: unknown) => {
        assert.ok(err instanceof RunStopped, String(err));
        assert.equal(err.step, 70, 'the step in progress is finished, no more');
        assert.equal(err.checkpoint, file('stopped'));
        assert.equal(err.exitCode, 130);
        return true;
      },
    );
    const ckpt = readCheckpoint(file('stopped'));
    assert.deepEqual([ckpt.position.step, ckpt.position.epoch, ckpt.position.reason, ckpt.position.losses.length], [70, 0, 'stopped', 7]);
    const resumed = trainRun(spec, train, testSplit, {}, { resume: ckpt, files: { models: [file('resumed-mid')] } });
    assert.deepEqual(outcome(resumed), outcome(straight));
    assert.deepEqual(readFileSync(file('resumed-mid')), readFileSync(file('straight')));
  });
}

test('a stop that comes once the last step is trained changes nothing: the run is tested and saved', () => {
  const spec = variantSpec('baseline', { epochs: 2, trainLimit: 60, testLimit: 200 });
  const straight = trainRun(spec, train, testSplit, {}, {});
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const model = join(tmp.dir, 'stopped-at-end.safetensors');
  // Set in reply to the last step's progress report, as a Stop or Ctrl-C in reply to it would be.
  const r = trainRun(spec, train, testSplit, { progressEvery: 10, onProgress: (p) => p.step === p.totalSteps && Atomics.store(stop, 0, 1) }, { stop, files: { models: [model] } });
  assert.equal(Atomics.load(stop, 0), 1);
  assert.deepEqual(outcome(r), outcome(straight));
  assert.equal(readModelFile(model).info.accuracy, r.accuracy, 'the model was saved');
});

test('a resume must train the same way: another config, seed or data size is refused', () => {
  const spec = variantSpec('baseline', { epochs: 1, trainLimit: 20, testLimit: 10 });
  const path = join(tmp.dir, 'small.safetensors');
  trainRun(spec, train, testSplit, {}, { files: { checkpoint: path } });
  const ckpt = readCheckpoint(path);
  assert.throws(() => trainRun({ ...spec, seed: 1 }, train, testSplit, {}, { resume: ckpt }), /its seed is 0 but this run's is 1/);
  assert.throws(() => trainRun({ ...spec, config: { ...spec.config, lr: 0.5 } }, train, testSplit, {}, { resume: ckpt }), /its config is .*"lr":0\.01.* but this run's is .*"lr":0\.5/);
  assert.throws(() => trainRun({ ...spec, trainLimit: 30 }, train, testSplit, {}, { resume: ckpt }), /its train limit is 20 but this run's is 30/);
  assert.throws(() => trainRun({ ...spec, epochs: 1 }, { ...train, count: 10 }, testSplit, {}, { resume: ckpt }), /it trained on 20 images per epoch, but this data gives 10/);
});

test('a checkpoint holding a NaN or an infinity in its weights or optimizer state is refused, unless the run trains on through them', () => {
  const spec = variantSpec('adam', { epochs: 2, trainLimit: 20, testLimit: 10 });
  const path = join(tmp.dir, 'to-poison.safetensors');
  trainRun({ ...spec, epochs: 1 }, train, testSplit, {}, { files: { checkpoint: path } });
  // The file as a hand edit would leave it: float32 values overwritten in place (header: 8-byte length, then JSON).
  const poisoned = (name: string, edits: Array<[number, number]>): string => {
    const bytes = readFileSync(path);
    const headerLength = Number(bytes.readBigUInt64LE(0));
    const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString()) as Record<string, { data_offsets: [number, number] }>;
    for (const [i, v] of edits) bytes.writeFloatLE(v, 8 + headerLength + header[name]!.data_offsets[0] + 4 * i);
    const out = join(tmp.dir, `poisoned-${name}.safetensors`);
    writeFileSync(out, bytes);
    return out;
  };
  const m = readCheckpoint(poisoned('optim.0.exp_avg', [[1000, NaN]]));
  assert.throws(() => trainRun(spec, train, testSplit, {}, { resume: m }), (err: unknown) => {
    assert.ok(err instanceof KindlingError, String(err));
    assert.equal(err.message, `cannot resume from ${m.path}: tensor "optim.0.exp_avg" holds NaN at [1, 216]; a run trained without --allow-nonfinite stops before it saves such a value, so the file was edited or damaged: resume from another checkpoint, or pass --allow-nonfinite to train on from it anyway`);
    return true;
  });
  const w = readCheckpoint(poisoned('2.bias', [[3, -Infinity], [7, NaN]]));
  assert.throws(() => trainRun(spec, train, testSplit, {}, { resume: w }), /tensor "2\.bias" holds -Infinity at \[3\] \(2 values in all are not finite\)/);
  // The recorded losses too: NaN marks a loss that was not finite, which such a run never recorded; an infinity is
  // never written there, even by a run trained on through NaN.
  const l = readCheckpoint(poisoned('run.losses', [[1, NaN]]));
  assert.throws(() => trainRun(spec, train, testSplit, {}, { resume: l }), /tensor "run\.losses" holds NaN at \[1\]; a run trained without --allow-nonfinite stops/);
  assert.equal(trainRun({ ...spec, allowNonFinite: true }, train, testSplit, {}, { resume: l }).losses[1], null);
  assert.throws(() => readCheckpoint(poisoned('run.losses', [[0, Infinity]])), /run\.losses holds Infinity at \[0\], but a loss that was not finite is recorded as NaN/);
  // Trained on through them, the run goes on (and says its weights are not finite).
  const r = trainRun({ ...spec, allowNonFinite: true }, train, testSplit, {}, { resume: m });
  assert.ok(r.nonFiniteWeights !== undefined && r.nonFiniteWeights > 0);
  // The checkpoint as written resumes.
  assert.equal(trainRun(spec, train, testSplit, {}, { resume: readCheckpoint(path) }).nonFiniteWeights, undefined);
});

test('a non-finite loss stops the run, keeps the last good checkpoint and says where it is', () => {
  // LeakyReLU outputs with SGD at lr 1 blow up in epoch 6 on these 50 images (deterministic: file order, seed 0).
  const spec = variantSpec('leakyrelu', { epochs: 8, trainLimit: 50, testLimit: 10 });
  const diverging: RunSpec = { ...spec, config: { ...spec.config, lr: 1 } };
  const path = join(tmp.dir, 'diverging.safetensors');
  assert.throws(() => trainRun(diverging, train, testSplit, {}, { files: { checkpoint: path } }), (err: unknown) => {
    assert.ok(err instanceof NonFiniteLossError, String(err));
    assert.match(err.message, /variant leakyrelu \(seed 0\): the loss became (Infinity|NaN) at step 2\d\d \(epoch 6, step \d+ of 50\)/);
    assert.match(err.message, /--allow-nonfinite/);
    assert.ok(err.message.includes(`The last good checkpoint is ${path} (kept as it was)`), err.message);
    return true;
  });
  const ckpt = readCheckpoint(path);
  assert.deepEqual([ckpt.position.step, ckpt.position.reason], [250, 'epoch']);
  for (const t of Object.values(ckpt.contents.parameters)) assert.ok(t.data.every(Number.isFinite), 'the kept weights are finite');
  // With --allow-nonfinite the same run goes on to the end.
  const r = trainRun({ ...diverging, allowNonFinite: true }, train, testSplit);
  assert.equal(r.losses.length, 40);
  assert.ok(r.losses.includes(null));
});

test('a BCE model whose outputs went NaN stops as a non-finite loss (not as BCE refusing its input), and goes on with --allow-nonfinite', () => {
  // Adam at lr 1e30 makes the weights NaN within two steps; BCE then sees NaN outputs, which it refuses (as PyTorch's).
  const spec = variantSpec('combined', { epochs: 1, trainLimit: 30, testLimit: 10 });
  const diverging: RunSpec = { ...spec, config: { ...spec.config, lr: 1e30 } };
  assert.throws(() => trainRun(diverging, train, testSplit), (err: unknown) => {
    assert.ok(err instanceof NonFiniteLossError, String(err));
    assert.match(err.message, /^variant combined \(seed 0\): the loss became NaN at step \d+ \(epoch 1, step \d+ of 30\); lower the learning rate, or pass --allow-nonfinite/);
    return true;
  });
  const r = trainRun({ ...diverging, allowNonFinite: true }, train, testSplit);
  assert.deepEqual(r.losses, [null, null, null]);
  assert.ok(r.nonFiniteWeights !== undefined && r.nonFiniteWeights > 0);
});
