// Helpers every test area uses: where the repository is, scratch folders, and a tiny seeded generator for test data.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found by walking up from the compiled test (dist/test/…) to package.json. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('repoRoot: no package.json above the test file');
    dir = up;
  }
  return dir;
}

/** mulberry32: a small seeded generator of floats in [0, 1), so failures reproduce from their seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const scratch: string[] = [];

/** A new folder under the system's temporary folder, removed with its contents when the test file's process exits. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (scratch.length === 0) process.on('exit', () => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));
  scratch.push(dir);
  return dir;
}
