// `kindling train --optimizer` with the optimizers added after SGD, Adam, RMSprop and Adagrad (nadam, adamax, radam,
// adadelta, rprop, asgd): each parses with and without a rate, builds the library's optimizer with PyTorch's
// default rate, trains from the command line (the rate from :lr or --lr), and writes a checkpoint that reads back
// with the optimizer's state (NAdam's mu_product and ASGD's eta and mu as float scalars).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { optim, tensor } from '../../src/index.js';
import { optimizerSpec } from '../../src/cli/options.js';
import { decodeSafetensors, encodeSafetensors } from '../../src/io/safetensors.js';
import { readCheckpoint } from '../../src/lab/checkpoint.js';
import { buildOptimizer } from '../../src/lab/model.js';
import { BASELINE } from '../../src/lab/variants.js';
import { DEFAULT_LR, OPTIMIZER_NAMES, type OptimizerName } from '../../src/report/results.js';

const bin = fileURLToPath(new URL('../../../bin/kindling.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'kindling-optimizers-'));
after(() => rmSync(work, { recursive: true, force: true }));

const ADDED: [OptimizerName, string, new (params: never[]) => optim.Optimizer][] = [
  ['nadam', 'NAdam', optim.NAdam as never], ['adamax', 'Adamax', optim.Adamax as never], ['radam', 'RAdam', optim.RAdam as never],
  ['adadelta', 'Adadelta', optim.Adadelta as never], ['rprop', 'Rprop', optim.Rprop as never], ['asgd', 'ASGD', optim.ASGD as never],
];

test('--optimizer takes nadam, adamax, radam, adadelta, rprop and asgd, with or without :lr', () => {
  for (const [name, label] of ADDED) {
    assert.ok(OPTIMIZER_NAMES.includes(name), name);
    assert.deepEqual(optimizerSpec(name), { optimizer: name });
    assert.deepEqual(optimizerSpec(`${label}:0.05`), { optimizer: name, lr: 0.05 });
    assert.throws(() => optimizerSpec(`${name}:-1`), /positive number/);
    assert.throws(() => optimizerSpec(`${name}:0.1:2`), /expected sgd, adam, .* or asgd, optionally with :lr/);
  }
});

test('the lab builds each with its rate, and a rate left out is PyTorch\'s default, the optimizer\'s own', () => {
  for (const [name, label, ctor] of ADDED) {
    const p = tensor([1, 2]).requiresGrad_();
    const opt = buildOptimizer({ ...BASELINE, optimizer: name, lr: 0.25 }, [p]);
    assert.ok(opt instanceof ctor, name);
    assert.equal(opt.options.lr, 0.25, name);
    assert.ok(String(opt).startsWith(`${label} (\nParameter Group 0\n`), String(opt)); // PyTorch's print(opt)
    // DEFAULT_LR is what the optimizer takes when given none (PyTorch 1.13's defaults).
    assert.equal(DEFAULT_LR[name], new ctor([tensor([1]).requiresGrad_()] as never[]).options.lr, name);
  }
});

function train(args: string[]): { config: Record<string, unknown>; label: string; out: string } {
  const out = join(work, args.join('_').replace(/[^A-Za-z0-9.]/g, '_'));
  const r = spawnSync(process.execPath, [bin, 'train', ...args, '--train-limit', '60', '--test-limit', '20', '--epochs', '1', '--quiet', '--json', '--out', out], { encoding: 'utf8', cwd: work });
  assert.equal(r.status, 0, r.stderr);
  const { summary } = JSON.parse(r.stdout) as { summary: { label: string }[] };
  const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { runs: { config: Record<string, unknown> }[] };
  return { config: results.runs[0]!.config, label: summary[0]!.label, out };
}

for (const [name, label] of ADDED) {
  test(`kindling train --optimizer ${name}: trains with its default rate; the checkpoint holds its state`, () => {
    const run = train(['--optimizer', name]);
    assert.equal(run.config['optimizer'], name);
    assert.equal(run.config['lr'], DEFAULT_LR[name]);
    assert.match(run.label, new RegExp(`, ${label} ${DEFAULT_LR[name]}$`));
    const ckpt = readCheckpoint(join(run.out, 'checkpoint-custom-s0.safetensors'));
    assert.equal(ckpt.spec.config.optimizer, name);
    const state = ckpt.optimizer.state[0]!;
    assert.equal(state['step'], 60, 'one step per image');
    if (name === 'nadam') assert.ok(typeof state['mu_product'] === 'number' && state['mu_product'] > 0 && state['mu_product'] < 1);
    if (name === 'asgd') assert.ok(state['eta'] === Math.fround(0.01 / (1 + 1e-4 * 0.01 * 60) ** 0.75) && state['mu'] === 1);
  });
}

test('kindling train --optimizer rprop:0.003 and --optimizer adadelta --lr 0.5 take those rates', () => {
  assert.equal(train(['--optimizer', 'rprop:0.003']).config['lr'], 0.003);
  assert.equal(train(['--optimizer', 'adadelta', '--lr', '0.5']).config['lr'], 0.5);
});

test('kindling train --help lists the optimizers', () => {
  const r = spawnSync(process.execPath, [bin, 'train', '--help'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout.replace(/\s+/g, ' '), /--optimizer <name> sgd, adam, rmsprop, adagrad, nadam, adamax, radam, adadelta, rprop or asgd, optionally with :lr/);
});

test('a checkpoint\'s float scalars are refused when they are not finite numbers or not an optimizer\'s', () => {
  const run = train(['--optimizer', 'asgd:0.02']);
  const path = join(run.out, 'checkpoint-custom-s0.safetensors');
  const edit = (name: string, change: (o: { scalars: Record<string, Record<string, unknown>> }) => void): string => {
    const copy = decodeSafetensors(readFileSync(path), path);
    const o = JSON.parse(copy.metadata['optimizer']!) as { scalars: Record<string, Record<string, unknown>> };
    change(o);
    copy.metadata['optimizer'] = JSON.stringify(o);
    const p = join(work, name);
    writeFileSync(p, encodeSafetensors(copy.tensors, copy.metadata));
    return p;
  };
  assert.equal(readCheckpoint(edit('same.safetensors', () => {})).optimizer.state[1]!['eta'], Math.fround(0.02 / (1 + 1e-4 * 0.02 * 60) ** 0.75));
  assert.throws(() => readCheckpoint(edit('eta-text.safetensors', (o) => (o.scalars['0']!['eta'] = 'x'))), /optimizer\.scalars\.0\.eta must be a finite number, got "x"/);
  assert.throws(() => readCheckpoint(edit('bogus.safetensors', (o) => (o.scalars['0']!['bogus'] = 1))), /optimizer\.scalars\.0\.bogus: no optimizer keeps a scalar "bogus"/);
  assert.throws(() => readCheckpoint(edit('index.safetensors', (o) => (o.scalars['9'] = { eta: 0.01 }))), /optimizer\.scalars\.9\.eta: parameter index "9" is not one of the model's 4 parameters/);
});
