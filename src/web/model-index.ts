/**
 * The saved models under the runs folder, for the Draw page's picker. Only each file's header is read (a few
 * hundred bytes), for the variant, seed and accuracy recorded in its metadata.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { listRuns } from './runs-index.js';
import { readSafetensorsMetadata } from './safetensors-metadata.js';
import type { ModelListing } from './shared/api-types.js';

function numberOrNull(text: string | undefined): number | null {
  if (text === undefined || text.trim() === '') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/**
 * Every `.safetensors` file of every run folder, newest run first, with what its metadata says; except the
 * checkpoints of runs that never started (step 0: the untrained starting weights a stop leaves for `--resume`) and
 * those of runs that finished (`checkpoint-adam-s0` beside its `model-adam-s0`: the same weights twice).
 */
export function listModels(root: string): ModelListing[] {
  const out: ModelListing[] = [];
  for (const run of listRuns(root)) {
    for (const file of run.files) {
      if (!file.endsWith('.safetensors')) continue;
      if (file.startsWith('checkpoint-') && run.files.includes(`model-${file.slice('checkpoint-'.length)}`)) continue;
      const path = join(root, run.name, file);
      const meta = readSafetensorsMetadata(path);
      if (meta === null) continue;
      const step = numberOrNull(meta['step']);
      if (meta['kind'] === 'checkpoint' && step === 0) continue;
      let bytes = 0;
      try {
        bytes = statSync(path).size;
      } catch {
        continue;
      }
      out.push({
        path: `${run.name}/${file}`,
        run: run.name,
        file,
        bytes,
        variant: meta['variant'] ?? null,
        seed: numberOrNull(meta['seed']),
        accuracy: numberOrNull(meta['accuracy'] ?? meta['testAccuracy'] ?? meta['test_accuracy']),
        testSamples: numberOrNull(meta['testSamples']),
        step,
      });
    }
  }
  return out;
}
