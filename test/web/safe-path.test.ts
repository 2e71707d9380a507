import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileForUrl, resolveInside, urlSegments } from '../../src/web/safe-path.js';
import { tempDir } from './helpers.js';

test('urlSegments decodes ordinary names segment by segment', () => {
  assert.deepEqual(urlSegments('2025-01-02T03-04-05/loss-all.svg'), ['2025-01-02T03-04-05', 'loss-all.svg']);
  assert.deepEqual(urlSegments('my%20run/model-adam-s0.safetensors'), ['my run', 'model-adam-s0.safetensors']);
  assert.deepEqual(urlSegments('run/checkpoints/a.json'), ['run', 'checkpoints', 'a.json']);
});

test('urlSegments refuses every way out of the folder', () => {
  const attempts = [
    '', '..', '../x', 'run/../../x', '%2e%2e/x', '%2E%2E%2Fx', 'run%2f..%2f..%2fx', 'run%2Fx', '..%5c..%5cx', 'run\\..\\x',
    '/etc/passwd', '%2fetc%2fpasswd', 'run//x', 'run/', 'a%00b', 'run/.hidden', '.tmp', 'bad%zzescape', '%E0%A4%A',
  ];
  for (const a of attempts) assert.equal(urlSegments(a), null, `should refuse ${JSON.stringify(a)}`);
});

test('resolveInside finds files, and refuses folders, missing files and symlinks that leave the root', () => {
  const base = tempDir();
  const root = join(base, 'runs');
  mkdirSync(join(root, 'run1'), { recursive: true });
  writeFileSync(join(root, 'run1', 'results.json'), '{}');
  writeFileSync(join(base, 'secret.txt'), 'secret');
  symlinkSync(join(base, 'secret.txt'), join(root, 'run1', 'leak.txt'));
  symlinkSync(base, join(root, 'escape'));
  symlinkSync(join(root, 'run1', 'results.json'), join(root, 'run1', 'alias.json'));

  assert.equal(resolveInside(root, ['run1', 'results.json']), join(root, 'run1', 'results.json'));
  assert.equal(resolveInside(root, ['run1', 'alias.json']), join(root, 'run1', 'results.json'), 'a link inside the root is fine');
  assert.equal(resolveInside(root, ['run1', 'leak.txt']), null, 'a link to a file outside');
  assert.equal(resolveInside(root, ['escape', 'secret.txt']), null, 'a link to a folder outside');
  assert.equal(resolveInside(root, ['run1']), null, 'a folder is not a file');
  assert.equal(resolveInside(root, ['run1', 'missing.json']), null);
  assert.equal(resolveInside(join(base, 'no-such-root'), ['x']), null);
  assert.equal(fileForUrl(root, 'run1/results.json'), join(root, 'run1', 'results.json'));
  assert.equal(fileForUrl(root, 'escape/secret.txt'), null);
  assert.equal(fileForUrl(root, 'run1%2fresults.json'), null);
  rmSync(base, { recursive: true, force: true });
});
