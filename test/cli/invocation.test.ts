// The command Kindling tells people to type next (to resume a stopped run) repeats how they started it.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { invocation, shellArg } from '../../src/cli/invocation.js';

function as(script: string): string {
  const saved = process.argv[1];
  process.argv[1] = script;
  try {
    return invocation();
  } finally {
    process.argv[1] = saved!;
  }
}

test('invocation: `kindling` when run as the installed command, `npx kindling` as a project\'s own, else `node <script>`, relative inside the working folder', () => {
  assert.equal(as('/usr/local/bin/kindling'), 'kindling');
  // `npm install /path/to/kindling` in a project: its bin is on the PATH of npx and npm scripts, not of the shell.
  assert.equal(as('/home/me/digits/node_modules/.bin/kindling'), 'npx kindling');
  assert.equal(as('/usr/local/lib/node_modules/kindling/bin/kindling'), 'kindling');
  assert.equal(as(join(process.cwd(), 'bin', 'kindling.js')), 'node bin/kindling.js');
  assert.equal(as('/opt/kindling here/bin/kindling.js'), `node '/opt/kindling here/bin/kindling.js'`);
});

test('shellArg quotes only what a shell would split or expand', () => {
  assert.equal(shellArg('runs/2026-11-29T12-38-09'), 'runs/2026-11-29T12-38-09');
  assert.equal(shellArg('my runs'), `'my runs'`);
  assert.equal(shellArg(`it's`), `'it'\\''s'`);
  assert.equal(shellArg('$HOME'), `'$HOME'`);
});
