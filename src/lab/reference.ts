import { existsSync, readFileSync } from 'node:fs';
import type { ReferenceFigure, ReferenceFigures } from '../report/results.js';

/** The record `bench/torch_reference.py` wrote of PyTorch's runs of the chapter's protocol. */
const RECORD = new URL('../../../fixtures/torch/reference-accuracy.json', import.meta.url);

/**
 * PyTorch's measured accuracy per variant, from the committed record that `bench/torch_reference.py` wrote: mean ±
 * std over the runs of the seeds `seedsOf(variant)` gives (the seeds of the runs it is shown beside) when the record
 * has every one of them, else over all its seeds (0, 1 and 2). Undefined when the record is missing or unreadable.
 */
export function loadPyTorchReference(seedsOf?: (variant: string) => readonly number[]): ReferenceFigures | undefined {
  if (!existsSync(RECORD)) return undefined;
  try {
    const json = JSON.parse(readFileSync(RECORD, 'utf8')) as { runs?: Array<{ variant: string; seed?: number; accuracy: number }> };
    const by = new Map<string, Map<number, number>>();
    for (const [i, r] of (json.runs ?? []).entries()) {
      if (typeof r.variant !== 'string' || typeof r.accuracy !== 'number') continue;
      const runs = by.get(r.variant) ?? new Map<number, number>();
      runs.set(typeof r.seed === 'number' ? r.seed : -1 - i, r.accuracy);
      by.set(r.variant, runs);
    }
    const out: Record<string, ReferenceFigure> = {};
    for (const [v, runs] of by) {
      const wanted = [...new Set(seedsOf?.(v) ?? [])];
      const sameSeeds = wanted.length > 0 && wanted.every((s) => runs.has(s));
      const seeds = sameSeeds ? wanted : [...runs.keys()];
      const acc = seeds.map((s) => runs.get(s)!);
      const mean = acc.reduce((a, b) => a + b, 0) / acc.length;
      const std = acc.length > 1 ? Math.sqrt(acc.reduce((a, b) => a + (b - mean) ** 2, 0) / (acc.length - 1)) : 0;
      out[v] = { mean, std, n: acc.length, seeds: seeds.filter((s) => s >= 0), sameSeeds };
    }
    return Object.keys(out).length > 0 ? out : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where PyTorch's figures come from, for the report: e.g. "PyTorch 1.13.0a0 on one thread, 2026-11-29". Undefined
 * when the record is missing or does not say.
 */
export function describePyTorchReference(): string | undefined {
  if (!existsSync(RECORD)) return undefined;
  try {
    const json = JSON.parse(readFileSync(RECORD, 'utf8')) as { torch_version?: unknown; threads?: unknown; date?: unknown };
    if (typeof json.torch_version !== 'string') return undefined;
    const threads = typeof json.threads === 'number' ? ` on ${json.threads === 1 ? 'one thread' : `${json.threads} threads`}` : '';
    const date = typeof json.date === 'string' && /^\d{4}-\d{2}-\d{2}/.test(json.date) ? `, ${json.date.slice(0, 10)}` : '';
    return `PyTorch ${json.torch_version}${threads}${date}`;
  } catch {
    return undefined;
  }
}
