// What a command loads when it starts: the lab server (fastify and its routes) only for `serve`, so that every other
// command, run many times from scripts, does not pay for it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
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
