// The README's library example, run as a user would paste it: the first ```ts block under "## The library", with
// `from 'kindling'` (the package's own name, which resolves inside this clone) and nothing else changed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

test("the README's library example runs and prints the model like PyTorch", () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## The library'));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(code, 'a ```ts block under "## The library"');
  assert.match(code, /from 'kindling'/);
  // Inside the clone, so that the package resolves to itself, as `import … from 'kindling'` does for a user there.
  const dir = mkdtempSync(join(root, '.readme-example-'));
  try {
    const file = join(dir, 'example.mjs');
    writeFileSync(file, code);
    const r = spawnSync(process.execPath, [file], { encoding: 'utf8', cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Sequential\(\n {2}\(0\): Linear\(in_features=784, out_features=200, bias=True\)/);
    assert.match(r.stdout, /\(4\): Sigmoid\(\)\n\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
