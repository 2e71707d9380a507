// The lab's other optimizers and activations (RMSprop, Adagrad, NAdam, Adamax, RAdam, Adadelta, Rprop, ASGD; GELU, SiLU, ELU): a run stopped mid-epoch and
// resumed from its checkpoint equals the run straight through, bit for bit, as for SGD and Adam (resume.test.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadEmbeddedMnist } from '../../src/data/mnist.js';
import { readCheckpoint } from '../../src/lab/checkpoint.js';
import { RunStopped, trainRun, type RunSpec } from '../../src/lab/trainer.js';
import { BASELINE } from '../../src/lab/variants.js';
import type { RunConfig } from '../../src/report/results.js';
import { outcome, tempFolder } from './helpers.js';

const tmp = tempFolder();
after(tmp.remove);
const train = loadEmbeddedMnist('train');
const testSplit = loadEmbeddedMnist('test');

const CONFIGS: [string, Partial<RunConfig>][] = [
  ['rmsprop-gelu', { optimizer: 'rmsprop', lr: 0.001, activation: { name: 'gelu' } }],
  ['adagrad-elu', { optimizer: 'adagrad', lr: 0.01, activation: { name: 'elu', alpha: 0.5 }, outputActivation: { name: 'silu' } }],
  ['nadam', { optimizer: 'nadam', lr: 0.002 }],
  ['adamax', { optimizer: 'adamax', lr: 0.002 }],
  ['radam', { optimizer: 'radam', lr: 0.001 }],
  ['adadelta', { optimizer: 'adadelta', lr: 1 }],
  ['rprop', { optimizer: 'rprop', lr: 0.01 }],
  ['asgd', { optimizer: 'asgd', lr: 0.05 }],
];

for (const [name, change] of CONFIGS) {
  test(`${name}: stopped at step 50, then resumed, equals the straight run bit for bit`, () => {
    const spec: RunSpec = { variant: name, label: name, config: { ...BASELINE, ...change }, seed: 1, epochs: 2, batchSize: 1, trainLimit: 80, testLimit: 200 };
    const file = (what: string): string => join(tmp.dir, `${name}-${what}.safetensors`);
    const straight = trainRun(spec, train, testSplit, {}, { files: { models: [file('straight')] } });
    assert.ok(straight.accuracy > 0.1, `it learns something: ${straight.accuracy}`);
    const stop = new Int32Array(new SharedArrayBuffer(4));
    assert.throws(
      () => trainRun(spec, train, testSplit, { progressEvery: 10, onProgress: (p) => p.step === 50 && Atomics.store(stop, 0, 1) }, { stop, files: { checkpoint: file('stopped') } }),
      RunStopped,
    );
    const ckpt = readCheckpoint(file('stopped'));
    assert.equal(ckpt.position.step, 50);
    assert.equal(ckpt.spec.config.optimizer, change.optimizer);
    const resumed = trainRun(spec, train, testSplit, {}, { resume: ckpt, files: { models: [file('resumed')] } });
    assert.deepEqual(outcome(resumed), outcome(straight));
    assert.deepEqual(readFileSync(file('resumed')), readFileSync(file('straight')));
  });
}
