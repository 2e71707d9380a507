// Runs the `kindling` command as a user would, in a temporary folder of its own that is removed after the tests.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

const bin = fileURLToPath(new URL('../../../bin/kindling.js', import.meta.url));

/** A scratch folder named after `prefix` (removed after the file's tests) and a runner working in it. */
export function cliIn(prefix: string): { work: string; kindling: (args: readonly string[]) => CliResult } {
  const work = mkdtempSync(join(tmpdir(), `kindling-${prefix}-`));
  after(() => rmSync(work, { recursive: true, force: true }));
  const kindling = (args: readonly string[]): CliResult => {
    const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: work });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  return { work, kindling };
}
