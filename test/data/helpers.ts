import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

/** A fresh temporary folder, removed when the test file ends. */
export function tempDir(prefix = 'kindling-data-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Asserts that `fn` throws an error whose message contains every one of `parts`. */
export function throwsWith(fn: () => unknown, parts: readonly (string | RegExp)[]): Error {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  if (!(caught instanceof Error)) throw new Error(`expected an error mentioning ${parts.join(', ')}, but nothing was thrown`);
  for (const part of parts) {
    const ok = typeof part === 'string' ? caught.message.includes(part) : part.test(caught.message);
    if (!ok) throw new Error(`error message ${JSON.stringify(caught.message)} does not mention ${String(part)}`);
  }
  return caught;
}
