import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { WebError } from '../../src/web/errors.js';
import { LIMITS, parseJobRequest } from '../../src/web/job-spec.js';

function refused(body: unknown, pattern: RegExp): void {
  assert.throws(() => parseJobRequest(body), (err: unknown) => {
    assert.ok(err instanceof WebError, `expected a WebError, got ${String(err)}`);
    assert.equal(err.statusCode, 400);
    assert.match(err.message, pattern);
    return true;
  });
}

test('a variants request becomes the lab plan, with the CLI defaults for what is left out', () => {
  const plan = parseJobRequest({ variants: 'baseline,adam', trainLimit: 2000 });
  assert.deepEqual(plan.planned.map((p) => p.variant), ['baseline', 'adam']);
  assert.equal(plan.planned[1]!.config.optimizer, 'adam');
  assert.deepEqual(plan.seeds, [0]);
  assert.equal(plan.epochs, 3);
  assert.equal(plan.batchSize, 1);
  assert.equal(plan.trainLimit, 2000);
  assert.equal(plan.testLimit, undefined);
  assert.equal(plan.title, 'baseline, adam × seed 0 · 3 epochs · 2,000 images');
});

test('numbers, strings and arrays are read as the command line reads them', () => {
  const plan = parseJobRequest({ variants: ['combined'], seeds: [1, 2], epochs: '2', batchSize: 4, lr: '0.005', testLimit: 100 });
  assert.deepEqual(plan.seeds, [1, 2]);
  assert.equal(plan.epochs, 2);
  assert.equal(plan.batchSize, 4);
  assert.equal(plan.planned[0]!.config.lr, 0.005, '--lr overrides the variant');
  assert.equal(plan.testLimit, 100);
  // The rate shows where the runs are named, as the CLI's --lr does, and the title names both changes.
  assert.equal(plan.planned[0]!.label, 'LeakyReLU + LayerNorm + BCE + Adam, lr 0.005');
  const both = parseJobRequest({ variants: 'baseline,adam', lr: 0.1 });
  assert.deepEqual(both.planned.map((p) => p.label), ['MSE, Sigmoid, SGD 0.1', 'Adam (lr 0.1) instead of SGD']);
  assert.match(plan.title, / · lr 0\.005 · batch 4$/);
  assert.doesNotMatch(parseJobRequest({ variants: 'baseline' }).title, /lr|batch/);
  assert.equal(parseJobRequest({ variants: 'all' }).planned.length, 6);
});

test('an array only where a list is taken, and an integer only when JSON holds it exactly', () => {
  for (const field of ['lr', 'epochs', 'batchSize', 'trainLimit', 'testLimit']) {
    assert.throws(() => parseJobRequest({ variants: 'baseline', [field]: [1] }), new RegExp(`^\\w*Error: ${field}: expected a string or a number, got an array$`));
  }
  assert.throws(() => parseJobRequest({ custom: { hidden: [64] } }), /custom\.hidden: expected a string or a number, got an array/);
  assert.throws(() => parseJobRequest({ variants: 'baseline', trainLimit: 9007199254740993 }), /trainLimit: 9007199254740992 is too large to be read exactly/);
});

test('a custom configuration is built like `kindling train` builds it', () => {
  const plan = parseJobRequest({ custom: { activation: 'leakyrelu:0.02', loss: 'bce', optimizer: 'adam', layerNorm: true, hidden: 64, name: 'mine' }, epochs: 1 });
  assert.equal(plan.planned.length, 1);
  const p = plan.planned[0]!;
  assert.equal(p.variant, 'mine');
  assert.deepEqual(p.config, { activation: { name: 'leakyrelu', slope: 0.02 }, outputActivation: { name: 'sigmoid' }, loss: 'bce', optimizer: 'adam', lr: 0.001, layerNorm: true, hidden: 64 });
  assert.match(p.label, /64 hidden, LeakyReLU\(0\.02\) → LayerNorm → Sigmoid, BCE, Adam 0\.001/);
  assert.equal(parseJobRequest({ custom: { outputActivation: 'none' } }).planned[0]!.config.outputActivation, null);
});

test('bad requests are refused with a message naming the field', () => {
  refused(null, /expected a JSON object/);
  refused([1, 2], /expected a JSON object/);
  refused('baseline', /expected a JSON object/);
  refused({}, /either "variants".*or "custom"/);
  refused({ variants: 'baseline', custom: {} }, /not both/);
  refused({ variants: 'nope' }, /variants: unknown variant "nope"; known variants: baseline/);
  refused({ variants: 'baseline,baseline' }, /listed twice/);
  refused({ variants: 'baseline', epochs: 0 }, /epochs: expected a positive integer, got "0"/);
  refused({ variants: 'baseline', epochs: 1.5 }, /epochs: expected a positive integer/);
  refused({ variants: 'baseline', epochs: { n: 1 } }, /epochs: expected a string or a number, got object/);
  refused({ variants: 'baseline', epochs: LIMITS.epochs + 1 }, /epochs: at most 100/);
  refused({ variants: 'baseline', seeds: '0,0' }, /seeds: a seed is listed twice/);
  refused({ variants: 'baseline', seeds: '-1' }, /seeds: seed "-1" is not a non-negative integer/);
  refused({ variants: 'baseline', seeds: '0,1,2,3,4,5,6,7,8,9,10' }, /seeds \(count\): at most 10/);
  refused({ variants: 'baseline', lr: -1 }, /lr: expected a positive number/);
  refused({ variants: 'baseline', lr: 'NaN' }, /lr: expected a positive number/);
  refused({ variants: 'baseline', trainLimit: null }, /trainLimit: expected a string or a number, got null/);
  refused({ variants: 'baseline', worker: 3 }, /unknown field "worker"/);
  refused({ custom: 'relu' }, /custom: expected an object/);
  refused({ custom: { activation: 'swish' } }, /custom\.activation: expected sigmoid, relu, tanh, leakyrelu\[:slope\], gelu, silu or elu/);
  refused({ custom: { optimizer: 'lbfgs' } }, /custom\.optimizer: expected sgd, adam, rmsprop, adagrad, nadam, adamax, radam, adadelta, rprop or asgd/);
  refused({ custom: { layerNorm: 'yes' } }, /custom\.layerNorm: expected true or false/);
  refused({ custom: { hidden: 100000 } }, /custom\.hidden: at most 4096/);
  refused({ custom: { name: '../../etc' } }, /custom\.name is "\.\.\/\.\.\/etc", expected letters, digits/);
  refused({ custom: { name: 'all' } }, /custom\.name is 'all', which is reserved/);
  refused({ custom: { dropout: 0.5 } }, /custom: unknown field "dropout"/);
});

test('every wrong field of a custom configuration is named at once, one per line, in the order the request is read', () => {
  assert.throws(() => parseJobRequest({ custom: { activation: 'foo', optimizer: 'sgdd', hidden: 0, name: 'my net' }, lr: 0 }), (err: unknown) => {
    assert.ok(err instanceof WebError && err.statusCode === 400, String(err));
    assert.deepEqual(err.message.split('\n').map((line) => line.split(/:| is /)[0]), ['lr', 'custom.optimizer', 'custom.activation', 'custom.hidden', 'custom.name']);
    return true;
  });
  // One wrong field: its message alone, as before.
  assert.throws(() => parseJobRequest({ custom: { activation: 'foo' } }), (err: unknown) => err instanceof WebError && !err.message.includes('\n') && /^custom\.activation: /.test(err.message));
  // Fields that are each right but cannot train together are said once every field is right.
  assert.throws(() => parseJobRequest({ custom: { loss: 'bce', outputActivation: 'none', name: 'my net' } }), /: custom\.name is "my net"/);
  assert.throws(() => parseJobRequest({ custom: { loss: 'bce', outputActivation: 'none' } }), /: custom\.loss "bce" needs outputs in \[0, 1\]/);
});

test('a batchSize that would run out of kernel memory with the hidden units asked for is refused, naming the largest that fits', () => {
  refused({ custom: { hidden: 4096 }, batchSize: 60000 }, /^batchSize: batches of 60,000 images through 4,096 hidden units would need about 3\.0 GB \(four copies of the parameters.*2\.1 GB more than the 859 MB a run may plan on of the kernels' 1 GiB .*give a batchSize of 16,413 or less, or fewer hidden units$/);
  // What fits is planned, and a train limit smaller than the batch makes the batch smaller.
  assert.equal(parseJobRequest({ custom: { hidden: 4096 }, batchSize: 16413 }).batchSize, 16413);
  refused({ custom: { hidden: 4096 }, batchSize: 16414 }, /give a batchSize of 16,413 or less/);
  assert.equal(parseJobRequest({ custom: { hidden: 4096 }, batchSize: 60000, trainLimit: 10000 }).batchSize, 60000);
  // With data of 10,000 training images, a whole-set batch is 10,000 images.
  assert.equal(parseJobRequest({ custom: { hidden: 4096 }, batchSize: 60000 }, { train: 10000, test: 1000 }).batchSize, 60000);
});

test("the README states the server's own limits as they are", () => {
  const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8').replace(/\s+/g, ' ');
  const n = (x: number): string => x.toLocaleString('en-US');
  assert.ok(
    readme.includes(`at most ${n(LIMITS.epochs)} epochs, ${n(LIMITS.seeds)} seeds, ${n(LIMITS.runs)} runs, ${n(LIMITS.hidden)} hidden units and a batch of ${n(LIMITS.batchSize)}`),
    'the Train item of "kindling serve" in the README lists LIMITS',
  );
});
