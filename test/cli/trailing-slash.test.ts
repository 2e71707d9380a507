// A file to write named with a final "/" names a folder: `--save models/` and `preview --out pics/` are refused when
// there is no such folder (before, the "/" was dropped and a file "models" or "pics" written), and a file's name
// with a "/" after it (`--save digits.safetensors/`) does not replace that file.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliIn } from './run-cli.js';

const { work, kindling } = cliIn('trailing-slash');
const quick = ['train', '--train-limit', '20', '--test-limit', '10', '--epochs', '1', '--quiet'];

test('--save NAME/ is refused before training when NAME is no folder, and a file NAME is left as it was', () => {
  const r = kindling([...quick, '--out', 'run-a', '--save', 'models/']);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, 'kindling: --save models/: the name ends in "/", so it names a folder, and there is no folder models: make it and name a file in it, or leave out the "/" to write the file models\n');
  assert.equal(existsSync(join(work, 'models')), false);
  assert.equal(existsSync(join(work, 'run-a')), false, 'nothing trained');
  writeFileSync(join(work, 'notes'), 'mine');
  const file = kindling([...quick, '--out', 'run-b', '--save', 'notes/']);
  assert.equal(file.status, 1);
  assert.equal(file.stderr, 'kindling: --save notes/: the name ends in "/", so it names a folder, but notes is a file: leave out the "/" to name that file\n');
  assert.equal(readFileSync(join(work, 'notes'), 'utf8'), 'mine');
});

test('preview --out NAME/ is refused when NAME is no folder, writing nothing; an existing folder is still told to name a file', () => {
  const before = readdirSync(work).sort();
  for (const args of [['--out', 'pics/'], ['--grid', '4', '--out', 'pics/']]) {
    const r = kindling(['preview', ...args]);
    assert.equal(r.status, 1, args.join(' '));
    assert.equal(r.stderr, 'kindling: --out pics/: the name ends in "/", so it names a folder, and there is no folder pics: make it and name a file in it, or leave out the "/" to write the file pics\n');
    assert.equal(r.stdout, '');
  }
  assert.deepEqual(readdirSync(work).sort(), before);
  mkdirSync(join(work, 'shots'));
  const folder = kindling(['preview', '--out', 'shots/']);
  assert.equal(folder.status, 1);
  assert.equal(folder.stderr, `kindling: --out shots/: that is a folder; give a file name such as ${join(work, 'shots', 'preview-train-0.png')}\n`);
  const made = kindling(['preview', '--out', 'digit']);
  assert.equal(made.status, 0, made.stderr);
  assert.ok(existsSync(join(work, 'digit')), 'a name without an extension is still a file');
});
