import type { ResultsFile } from '../report/results.js';

/** What `--json` adds to a written results file's summary: where the files went, timings, and what failed. */
export interface LabJsonExtras {
  readonly runFolder: string;
  readonly models: readonly string[];
  readonly wallSeconds: number;
  readonly commandSeconds: number;
  readonly failures: readonly string[];
  readonly nonFinite?: readonly { variant: string; seed: number; nonFiniteWeights: number }[];
}

/**
 * The `--json` summary of finished runs, from `written` (the results as results.json holds them): the summary, and
 * PyTorch's figures (`meta.pytorch`, its source and figures) when the table and the report show them.
 */
export function labJson(written: ResultsFile, extras: LabJsonExtras): object {
  const { nonFinite, ...rest } = extras;
  const pytorch = written.meta.pytorch;
  return {
    summary: written.summary,
    ...(pytorch === undefined ? {} : { pytorch }),
    ...rest,
    ...(nonFinite !== undefined && nonFinite.length > 0 ? { nonFinite } : {}),
  };
}
