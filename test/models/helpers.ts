import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findVariant } from '../../src/lab/variants.js';
import type { RunSpec } from '../../src/lab/trainer.js';
import type { RunResult } from '../../src/report/results.js';

import { repoRoot } from '../shared.js';
export { repoRoot };

export const ROOT = repoRoot();
export const FIXTURES = join(ROOT, 'fixtures', 'models');
export const BIN = join(ROOT, 'bin', 'kindling.js');
export const PYTHON = '/usr/bin/python3';

/** A fresh temporary folder, removed by the returned function. */
export function tempFolder(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'kindling-models-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Ran {
  status: number | null;
  /** The signal that ended the process, when one did (`status` is then null). */
  signal?: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to completion. */
export function kindling(args: readonly string[], cwd: string): Ran {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts the CLI; `done` resolves when it exits. */
export function startKindling(args: readonly string[], cwd: string): { pid: number; kill: (s: NodeJS.Signals) => void; done: Promise<Ran>; stderr: () => string } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<Ran>((resolve) => child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr })));
  return { pid: child.pid!, kill: (s) => child.kill(s), done, stderr: () => stderr };
}

/** Resolves once `check()` is true, polling every 20 ms; rejects after `limitMs` (a safety net, not a timing assertion). */
export async function waitFor(check: () => boolean, what: string, limitMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > limitMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Why PyTorch checks cannot run here, or undefined when /usr/bin/python3 has torch and numpy. */
export function pythonMissing(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
  if (r.error !== undefined) return `${PYTHON} not found (${r.error.message})`;
  if (r.status !== 0) return `${PYTHON} has no torch/numpy (${r.stderr.trim().split('\n').pop() ?? ''})`;
  return undefined;
}

/** A run spec of one of the chapter's variants. */
export function variantSpec(name: string, extra: Partial<RunSpec> = {}): RunSpec {
  const v = findVariant(name)!;
  return { variant: v.name, label: v.label, config: v.config, seed: 0, epochs: 1, batchSize: 1, ...extra };
}

/** Everything a run computes, without the timings: what a resumed run must reproduce. */
export function outcome(r: RunResult): unknown {
  const { trainSeconds: _t, stepsPerSecond: _s, ...rest } = r;
  return rest;
}
