import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { once } from 'node:events';
import { tempFiles, tempFolder } from './helpers.js';

// Two versions of different lengths and bytes: a torn file would mix them or have the wrong length.
const A = { byte: 65, length: 1 << 18 };
const B = { byte: 66, length: 3 << 16 };

function whole(bytes: Buffer): 'A' | 'B' | 'torn' {
  for (const v of [A, B]) {
    if (bytes.length === v.length && bytes.every((x) => x === v.byte)) return v.byte === A.byte ? 'A' : 'B';
  }
  return 'torn';
}

const WRITER = `
import { writeFileAtomic } from ${JSON.stringify(new URL('../../src/io/atomic.js', import.meta.url).href)};
const path = process.argv[1];
const a = Buffer.alloc(${A.length}, ${A.byte});
const b = Buffer.alloc(${B.length}, ${B.byte});
for (let i = 0; ; i++) {
  writeFileAtomic(path, i % 2 === 0 ? a : b);
  if (i === 0) process.stdout.write('ready\\n');
}
`;

test('readers and a killed writer only ever see a whole old or whole new file', { timeout: 120_000 }, async () => {
  const dir = tempFolder();
  const path = join(dir, 'checkpoint.bin');
  const child = spawn(process.execPath, ['--input-type=module', '-e', WRITER, path], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  try {
    await once(child.stdout, 'data');
    // Read while the other process keeps replacing the file, until the contents have changed many times.
    let previous = whole(fs.readFileSync(path));
    let changes = 0;
    let reads = 0;
    while (changes < 20) {
      const seen = whole(fs.readFileSync(path));
      reads++;
      assert.notEqual(seen, 'torn', `read ${reads} saw a torn file`);
      if (seen !== previous) changes++;
      previous = seen;
      // Let the event loop breathe now and then, so the test runner stays responsive.
      if (reads % 50 === 0) await new Promise((r) => setImmediate(r));
    }
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
  // Killed at an arbitrary moment: the file is still whole; at most the one temporary file being written remains.
  assert.notEqual(whole(fs.readFileSync(path)), 'torn');
  assert.ok(tempFiles(dir).length <= 1, `leftover temporary files: ${tempFiles(dir).join(', ')}`);
});
