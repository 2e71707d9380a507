// A run whose loss goes non-finite before its first epoch ends has written no checkpoint of its training, yet its
// folder may hold its start checkpoint (placed once another run has one, so that every run can be resumed): the
// message must not say that no checkpoint was written while that file is there.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadEmbeddedMnist } from '../../src/data/mnist.js';
import { readCheckpoint, writeStartCheckpoint } from '../../src/lab/checkpoint.js';
import { NonFiniteLossError, trainRun, type RunSpec } from '../../src/lab/trainer.js';
import { tempFolder, variantSpec } from './helpers.js';

const tmp = tempFolder();
after(tmp.remove);

test('a run failing in its first epoch beside its start checkpoint says that checkpoint is the one it starts from', () => {
  const spec = variantSpec('leakyrelu', { epochs: 1, trainLimit: 50, testLimit: 10 });
  const diverging: RunSpec = { ...spec, config: { ...spec.config, lr: 1e30 } };
  const path = join(tmp.dir, 'checkpoint-leakyrelu-s0.safetensors');
  writeStartCheckpoint(path, diverging);
  assert.throws(() => trainRun(diverging, loadEmbeddedMnist('train'), loadEmbeddedMnist('test'), {}, { files: { checkpoint: path } }), (err: unknown) => {
    assert.ok(err instanceof NonFiniteLossError, String(err));
    assert.match(err.message, /\(epoch 1, step \d+ of 50\)/);
    assert.ok(!/No checkpoint had been written/.test(err.message), err.message);
    assert.ok(err.message.endsWith('It had written no checkpoint of its training yet (the first is written at the end of epoch 1); any checkpoint in its folder is the one it starts from (step 0).'), err.message);
    return true;
  });
  assert.ok(existsSync(path));
  assert.equal(readCheckpoint(path).position.reason, 'start');
});
