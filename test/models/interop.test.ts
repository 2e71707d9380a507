import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { noGrad } from '../../src/autograd/grad-mode.js';
import { decodeSafetensors, encodeSafetensors } from '../../src/io/safetensors.js';
import { buildLoss, buildModel, buildOptimizer } from '../../src/lab/model.js';
import { findVariant } from '../../src/lab/variants.js';
import * as nn from '../../src/nn/index.js';
import { loadWeights, readModel, saveModel } from '../../src/nn/serialize.js';
import { Generator } from '../../src/random.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { FIXTURES, PYTHON, pythonMissing, tempFolder } from './helpers.js';

const tmp = tempFolder();
after(tmp.remove);

interface Encoded {
  shape: number[];
  data: number[];
}
const fixture = JSON.parse(readFileSync(join(FIXTURES, 'combined.json'), 'utf8')) as { keys: string[]; inputs: Encoded; outputs: Encoded; steps: number };

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

const run = (m: nn.Module, x: Encoded): Float32Array => noGrad(() => m.eval().forward(new Tensor(Float32Array.from(x.data), x.shape)).toArray());

test("a model trained and saved by PyTorch loads into Kindling and gives PyTorch's outputs to 1e-6", () => {
  const path = join(FIXTURES, 'combined.safetensors');
  const loaded = readModel(path);
  assert.equal(loaded.info.variant, 'combined');
  assert.equal(loaded.info.step, fixture.steps);
  assert.deepEqual(loaded.model.namedParameters().map(([k]) => k), fixture.keys);
  const out = run(loaded.model, fixture.inputs);
  const diff = maxDiff(out, fixture.outputs.data);
  assert.ok(diff <= 1e-6, `max |Kindling − PyTorch| = ${diff}`);
  // The same weights as a plain state_dict (no Kindling metadata, as torch tools write) load into the lab's own model.
  const raw = decodeSafetensors(readFileSync(path), path);
  const plain = join(tmp.dir, 'plain.safetensors');
  writeFileSync(plain, encodeSafetensors(raw.tensors, { format: 'pt' }));
  const mine = buildModel(findVariant('combined')!.config, 123);
  loadWeights(mine, plain);
  assert.ok(maxDiff(run(mine, fixture.inputs), fixture.outputs.data) <= 1e-6);
});

test("a model Kindling trains and saves is read by the chapter's PyTorch model with the same outputs", (t) => {
  const missing = pythonMissing();
  if (missing !== undefined) {
    t.skip(`skipped: the Kindling → PyTorch check needs PyTorch: ${missing} (apt-get install python3-torch)`);
    return;
  }
  const config = findVariant('combined')!.config;
  const model = buildModel(config, 7);
  const opt = buildOptimizer(config, model.parameters());
  const lossFn = buildLoss(config);
  const g = new Generator(11);
  for (let i = 0; i < 10; i++) {
    const x = new Tensor(Float32Array.from({ length: 784 }, () => g.uniform(0, 1)), [1, 784]);
    const y = new Tensor(Float32Array.from({ length: 10 }, (_, k) => (k === i % 10 ? 1 : 0)), [1, 10]);
    const loss = lossFn.forward(model.forward(x), y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
  }
  const path = join(tmp.dir, 'kindling-combined.safetensors');
  saveModel(model, path, { variant: 'combined', seed: 7, step: 10 });
  const inputs = fixture.inputs;
  const inputsPath = join(tmp.dir, 'inputs.json');
  writeFileSync(inputsPath, JSON.stringify(inputs));
  const r = spawnSync(PYTHON, ['-B', join(FIXTURES, 'read_model.py'), path, inputsPath], { encoding: 'utf8' });
  assert.equal(r.status, 0, `read_model.py failed: ${r.stderr}`);
  const py = JSON.parse(r.stdout) as { keys: string[]; metadata: Record<string, string>; chapterModelMatches: boolean | null; outputs: Encoded };
  assert.deepEqual(py.keys, ['0.weight', '0.bias', '2.weight', '2.bias', '3.weight', '3.bias']);
  assert.equal(py.chapterModelMatches, true, "the state_dict fits the chapter's own PyTorch model");
  assert.equal(py.metadata['variant'], 'combined');
  assert.deepEqual(py.outputs.shape, [inputs.shape[0], 10]);
  const diff = maxDiff(run(model, inputs), py.outputs.data);
  assert.ok(diff <= 1e-6, `max |Kindling − PyTorch| = ${diff}`);
});
