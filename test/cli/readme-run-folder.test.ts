// The README's "What you see" describes a run folder's files as they are: the data fingerprints it says a model file
// and a checkpoint record are in those files, where it says (a newcomer checking which images a model saw looks
// there), and a checkpoint is written where a Ctrl-C stopped the run, not only at an epoch's end.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { cliIn } from './run-cli.js';

const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
const section = readme.slice(readme.indexOf('## What you see'), readme.indexOf('\n## ', readme.indexOf('## What you see') + 1)).replace(/\s+/g, ' ');

/** A safetensors file's `__metadata__`. */
function metadata(path: string): Record<string, string> {
  const b = readFileSync(path);
  const n = Number(b.readBigUInt64LE(0));
  return (JSON.parse(b.subarray(8, 8 + n).toString('utf8')) as { __metadata__: Record<string, string> }).__metadata__;
}

test('the fingerprints the README places in the model file and the checkpoint are there', () => {
  const { work, kindling } = cliIn('readme-run-folder');
  const r = kindling(['train', '--train-limit', '20', '--test-limit', '10', '--epochs', '1', '--quiet', '--out', 'run']);
  assert.equal(r.status, 0, r.stderr);
  const model = metadata(join(work, 'run', 'model-custom-s0.safetensors'));
  const checkpoint = metadata(join(work, 'run', 'checkpoint-custom-s0.safetensors'));

  const inModel = /its model file's own ((?:"\w+"(?: and )?)+)/.exec(section);
  assert.ok(inModel, 'the README says which fingerprints a model file holds');
  for (const key of inModel[1]!.match(/\w+/g)!.filter((k) => k !== 'and')) {
    assert.match(String(model[key]), /^[0-9a-f]{16}$/, `the README says a model file holds "${key}"`);
  }
  const inCheckpoint = /its checkpoint's "(\w+)" \(in the "(\w+)" entry of its metadata\)/.exec(section);
  assert.ok(inCheckpoint, 'the README says which fingerprint a checkpoint holds, and where');
  const entry = JSON.parse(checkpoint[inCheckpoint[2]!]!) as Record<string, unknown>;
  assert.match(String(entry[inCheckpoint[1]!]), /^[0-9a-f]{16}$/);
});

test("a run's checkpoint is not only an epoch's end, as the README says: a Ctrl-C writes it at the step it stopped", async () => {
  assert.match(section, /checkpoint-<variant>-s<seed>\.safetensors each run's latest checkpoint \(for --resume\): written at the end of each epoch, and at the step where a Ctrl-C stopped the run/);
  const { work } = cliIn('readme-checkpoint');
  const bin = fileURLToPath(new URL('../../../bin/kindling.js', import.meta.url));
  const child = spawn(process.execPath, [bin, 'train', '--train-limit', '60000', '--test-limit', '10', '--epochs', '3', '--workers', '1', '--out', 'run'], { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let sent = false;
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    if (!sent && /step [\d,]+\/[\d,]+/.test(stderr)) { sent = true; child.kill('SIGINT'); }
  });
  const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
  assert.equal(code, 130, stderr);
  const position = JSON.parse(metadata(join(work, 'run', 'checkpoint-custom-s0.safetensors'))['position']!) as { step: number; reason: string };
  assert.equal(position.reason, 'stopped');
  assert.ok(position.step > 0 && position.step % 60000 !== 0, `stopped at step ${position.step}, an epoch's end`);
});
