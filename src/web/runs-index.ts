/**
 * What the runs folder holds, for the Runs page: one entry per run folder with its summary table and the files
 * the server will serve. Parsed `results.json` files are cached by modification time, so listing stays cheap
 * when a folder holds many large runs.
 */
import { lstatSync, readdirSync, readFileSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { invocation, shellArg } from '../cli/invocation.js';
import { jsonErrorWhere } from '../io/json-where.js';
import { claimLeftBehind } from '../lab/run-claim.js';
import { findVariant } from '../lab/variants.js';
import { formatPartOf } from '../report/format.js';
import { validateResults } from '../report/validate.js';
import type { RunListing, RunSummaryLine } from './shared/api-types.js';
import { readSafetensorsMetadata } from './safetensors-metadata.js';

/** File types served from run folders, with their content types. Anything else is not served. */
export const SERVED_TYPES: Readonly<Record<string, string>> = Object.freeze({
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.html': 'text/html; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.safetensors': 'application/octet-stream',
});

/** The content type for a file name, or undefined when the server does not serve that type. */
export function servedType(name: string): string | undefined {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? undefined : SERVED_TYPES[name.slice(dot).toLowerCase()];
}

/** A visible (non-dot) name that is safe to put in a URL segment as is. */
function visible(name: string): boolean {
  return !name.startsWith('.');
}

/** The entry itself, not what a symbolic link points to: links are neither listed nor served. */
function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

/** Served files of a run folder, one level of sub-folders included (e.g. `checkpoints/…`), sorted. */
export function runFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (sub: string, depth: number): void => {
    let names: string[];
    try {
      names = readdirSync(join(dir, sub));
    } catch {
      return;
    }
    for (const name of names) {
      if (!visible(name)) continue;
      const rel = sub === '' ? name : `${sub}/${name}`;
      const st = lstatOrNull(join(dir, rel));
      if (st?.isDirectory() && depth < 1) walk(rel, depth + 1);
      else if (st?.isFile() && servedType(name) !== undefined) out.push(rel);
    }
  };
  walk('', 0);
  return out.sort();
}

/** What the listing takes from results.json, and the runs it records as failed ("variant seed s"). */
type Summary = Pick<RunListing, 'createdAt' | 'command' | 'summary'> & { readonly failed: readonly string[] };

interface Cached {
  readonly mtimeMs: number;
  readonly size: number;
  readonly value: Summary | { problem: string };
}

const cache = new Map<string, Cached>();

function readSummary(path: string, st: Stats): Cached['value'] {
  const hit = cache.get(path);
  if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.value;
  let value: Cached['value'];
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
    const results = validateResults(JSON.parse(text), path);
    const summary: RunSummaryLine[] = results.summary.map((s) => ({
      variant: s.variant, label: s.label, n: s.n, mean: s.mean, std: s.std, chapter: s.chapter, meanTrainSeconds: s.meanTrainSeconds,
      ...(s.nonFinite === undefined ? {} : { nonFinite: s.nonFinite }),
      ...(s.allNonFinite ? { allNonFinite: true as const } : {}),
    }));
    const failed = (results.meta.failed ?? []).map((f) => `${f.variant} seed ${f.seed}`);
    value = { createdAt: results.meta.createdAt, command: results.meta.command ?? null, summary, failed };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // A JSON syntax error names neither the file nor the line: say both, as the schema's errors name the file.
    value = { problem: err instanceof SyntaxError ? `results.json is not valid JSON: ${jsonErrorWhere(text, err)}` : message.replace(path, 'results.json') };
  }
  cache.set(path, { mtimeMs: st.mtimeMs, size: st.size, value });
  return value;
}

/** One run folder's listing, or null when `name` is not a folder under `root`. */
export function describeRun(root: string, name: string): RunListing | null {
  if (!visible(name)) return null;
  const dir = join(root, name);
  const st = lstatOrNull(dir);
  if (!st?.isDirectory()) return null;
  const files = runFiles(dir);
  const resultsPath = join(dir, 'results.json');
  const rst = lstatOrNull(resultsPath);
  if (!rst?.isFile()) {
    // Stopped before any run finished: the checkpoints say when the runs started and by which command (the folder's
    // own time is that of its last write, the stop).
    const started = checkpointsRecord(dir, files);
    return { name, createdAt: started.createdAt ?? st.mtime.toISOString(), command: started.command, summary: [], files, problem: noResultsNote(root, name, files) };
  }
  const summary = readSummary(resultsPath, rst);
  if ('problem' in summary) return { name, createdAt: st.mtime.toISOString(), command: null, summary: [], files, problem: summary.problem };
  const unfinished = unfinishedNote(root, name, files, summary);
  const { failed: _failed, ...shown } = summary;
  return { name, ...shown, files, ...(unfinished === null ? {} : { problem: unfinished }) };
}

/** The earliest start time and the command the folder's checkpoints record (each null when none records one). */
function checkpointsRecord(dir: string, files: readonly string[]): { createdAt: string | null; command: string | null } {
  let createdAt: string | null = null;
  let command: string | null = null;
  for (const f of files) {
    if (!/^checkpoint-.+-s\d+\.safetensors$/.test(f)) continue;
    const meta = readSafetensorsMetadata(join(dir, f));
    const time = meta?.['createdAt'];
    if (time !== undefined && !Number.isNaN(Date.parse(time)) && (createdAt === null || time < createdAt)) createdAt = time;
    command ??= meta?.['command'] ?? null;
  }
  return { createdAt, command };
}

/**
 * A folder without results.json: a run in progress, or one stopped before any run finished. With checkpoints it can
 * be the latter, so the note says how to resume it (`train` for a custom run's checkpoints, else `reproduce`), with the
 * command as the server was run (`node bin/kindling.js` from a clone).
 */
function noResultsNote(root: string, name: string, files: readonly string[]): string {
  const variants = files.flatMap((f) => /^checkpoint-(.+)-s\d+\.safetensors$/.exec(f)?.[1] ?? []);
  if (variants.length === 0) {
    // A command killed before its first checkpoint leaves only its claim, which no running process holds any more.
    if (claimLeftBehind(join(root, name))) {
      return 'no results.json: the command that made this folder ended before any run wrote a checkpoint (it was killed, or its computer stopped), so there is nothing to resume; the folder can be deleted';
    }
    return 'no results.json yet: the run is in progress or was interrupted';
  }
  const command = variants.every((v) => findVariant(v) !== undefined) ? 'reproduce' : 'train';
  return `no results.json yet: the run is in progress, or was stopped before any run finished; if it was stopped, resume it with: ${invocation()} ${command} --resume ${shellArg(join(root, name))}`;
}

/**
 * A folder stopped before every run finished holds results for the finished runs only (as a Stop in the Train page
 * writes them), and a checkpoint for every run: it says so, and how to finish the others. Runs that failed (their
 * loss diverged, say) have checkpoints too, but resuming them fails again: the note names them instead.
 */
function unfinishedNote(root: string, name: string, files: readonly string[], summary: Summary): string | null {
  const runs = files.filter((f) => /^checkpoint-.+-s\d+\.safetensors$/.test(f)).length;
  const done = summary.summary.reduce((n, s) => n + s.n + (s.nonFinite ?? 0), 0);
  const failed = summary.failed.length;
  const failures = failed === 0 ? '' : `${formatPartOf(failed, Math.max(runs, done + failed), 'run')} failed (${summary.failed.join(', ')}; the report says why)`;
  if (runs <= done + failed) return failed === 0 ? null : failures;
  const command = /^kindling train\b/.test(summary.command ?? '') ? 'train' : 'reproduce';
  return `${failures === '' ? '' : `${failures}; `}stopped before every run finished: ${formatPartOf(done, runs, 'run')} ${done === 1 ? 'has' : 'have'} results; resume the folder to train the others: ${invocation()} ${command} --resume ${shellArg(join(root, name))}`;
}

/** Every run folder under `root`, newest first; an empty list when `root` does not exist yet. */
export function listRuns(root: string): RunListing[] {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  const runs = names.map((n) => describeRun(root, n)).filter((r): r is RunListing => r !== null);
  return runs.sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? '') || b.name.localeCompare(a.name));
}
