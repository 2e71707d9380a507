// What a command loads when it starts: the lab server (fastify and its routes) only for `serve`; the lab's running,
// report and plots (resvg, cli-progress) only for `train` and `reproduce`; pngjs only where a PNG is read or written.
// Every other command, run many times from scripts, does not pay for them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { encodeMnistCsv } from '../../src/data/csv-write.js';
import * as nn from '../../src/nn/index.js';
import { saveModel } from '../../src/nn/serialize.js';
import { repoRoot, scratchDir } from '../shared.js';

const BIN = join(repoRoot(), 'bin', 'kindling.js');

/** The CommonJS modules a `kindling` command had loaded when it exited (its exit code, and the files). */
function loadedBy(args: readonly string[]): { status: number | null; files: string[] } {
  const preload = join(scratchDir('kindling-startup-'), 'loaded.cjs');
  writeFileSync(preload, "process.on('exit', () => process.stderr.write('\\nLOADED ' + JSON.stringify(Object.keys(require.cache)) + '\\n'));\n");
  const r = spawnSync(process.execPath, ['-r', preload, BIN, ...args], { encoding: 'utf8' });
  const line = /\nLOADED (.*)\n$/.exec(r.stderr);
  assert.ok(line !== null, r.stderr);
  return { status: r.status, files: JSON.parse(line[1]!) as string[] };
}

const fastify = (files: readonly string[]): boolean => files.some((f) => /node_modules\/fastify\/fastify\.js$/.test(f));

test('only serve loads the lab server: --version, --help and another command start without fastify', () => {
  for (const args of [['--version'], ['train', '--help'], ['eval', '--model', join(repoRoot(), 'no-such-model.safetensors')]]) {
    const { files } = loadedBy(args);
    assert.ok(files.some((f) => /node_modules\/commander\//.test(f)), `${args.join(' ')}: the preload saw the modules`);
    assert.equal(fastify(files), false, `${args.join(' ')} loaded fastify`);
  }
  // serve loads it (here to find that --data names nothing, after the server is made).
  const serve = loadedBy(['serve', '--port', '0', '--runs', join(scratchDir('kindling-startup-'), 'runs'), '--data', join(repoRoot(), 'no-such-data')]);
  assert.equal(serve.status, 1);
  assert.equal(fastify(serve.files), true);
});

/**
 * Which of the CommonJS packages that only some commands need a command loaded (Vega, an ES module loaded only on
 * the drawing threads, never shows in the main thread's require.cache).
 */
function heavy(files: readonly string[]): string[] {
  return ['@resvg/resvg-js', 'pngjs', 'cli-progress'].filter((pkg) => files.some((f) => f.includes(`/node_modules/${pkg}/`)));
}

test('resvg, cli-progress and pngjs load only for the commands that use them', () => {
  const dir = scratchDir('kindling-startup-');
  const model = join(dir, 'model.safetensors');
  saveModel(new nn.Sequential(new nn.Linear(784, 200), new nn.Sigmoid(), new nn.Linear(200, 10), new nn.Sigmoid()), model);
  const csv = join(dir, 'rows.csv');
  writeFileSync(csv, encodeMnistCsv(new Uint8Array(2 * 784).fill(7), Uint8Array.of(3, 4)));
  const png = join(dir, 'digit.png');
  const cases: Array<{ args: string[]; loads: string[] }> = [
    { args: ['--version'], loads: [] },
    { args: ['train', '--help'], loads: [] },
    { args: ['eval', '--model', model, '--test-limit', '20'], loads: [] },
    { args: ['predict', '--model', model, csv], loads: [] },
    // The positive controls: the preload sees these packages when a command uses them.
    { args: ['preview', '--index', '3', '--no-label', '--out', png], loads: ['pngjs'] },
    { args: ['predict', '--model', model, png], loads: ['pngjs'] },
    { args: ['train', '--train-limit', '20', '--test-limit', '10', '--epochs', '1', '--quiet', '--out', join(dir, 'run')], loads: ['@resvg/resvg-js', 'pngjs', 'cli-progress'] },
  ];
  for (const { args, loads } of cases) {
    const r = loadedBy(args);
    assert.equal(r.status, 0, `${args.join(' ')} failed`);
    assert.deepEqual(heavy(r.files), loads, args.join(' '));
  }
  assert.ok(readFileSync(png).length > 0);
});
