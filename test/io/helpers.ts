import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SafetensorsError } from '../../src/io/errors.js';

/** The repository root, found by walking up from the compiled test (dist/test/io) to package.json. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('repoRoot: no package.json above the test file');
    dir = up;
  }
  return dir;
}

export const FIXTURES = join(repoRoot(), 'fixtures', 'safetensors');

export function tempFolder(): string {
  return mkdtempSync(join(tmpdir(), 'kindling-io-'));
}

/** Leftover temporary files of the atomic writer in `dir`. */
export function tempFiles(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.endsWith('.tmp'));
}

/** mulberry32: a tiny seeded generator, so fuzz cases are reproducible from their seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Asserts `fn` throws a SafetensorsError whose message matches every pattern. */
export function throwsSafetensors(fn: () => unknown, ...patterns: RegExp[]): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof SafetensorsError, `expected a SafetensorsError, got ${String(err)}`);
    for (const p of patterns) assert.match(err.message, p);
    return true;
  });
}

/** A system error like the ones Node's fs throws. */
export function fsError(code: string, syscall: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated failure, ${syscall}`), { code, syscall });
}
