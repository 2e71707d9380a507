import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SafetensorsError } from '../../src/io/errors.js';

import { repoRoot, scratchDir } from '../shared.js';
export { repoRoot };

export const FIXTURES = join(repoRoot(), 'fixtures', 'safetensors');

export function tempFolder(): string {
  return scratchDir('kindling-io-');
}

/** Leftover temporary files of the atomic writer in `dir`. */
export function tempFiles(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.endsWith('.tmp'));
}

export { mulberry32 as prng } from '../shared.js';

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
