/**
 * The saved models under the runs folder, for the Draw page's picker. Only each file's header is read (a few
 * hundred bytes), for the variant, seed and accuracy recorded in its metadata.
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { listRuns } from './runs-index.js';
import type { ModelListing } from './shared/api-types.js';

/** A header longer than this is not worth reading for a listing (a model's header is well under 64 KB). */
const MAX_HEADER = 1 << 20;

/** The `__metadata__` strings of a safetensors file, or null when its header cannot be read or its data is cut short. */
export function readSafetensorsMetadata(path: string): Record<string, string> | null {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(8);
    if (readSync(fd, head, 0, 8, 0) !== 8) return null;
    const length = head.readBigUInt64LE(0);
    if (length > BigInt(MAX_HEADER)) return null;
    const json = Buffer.alloc(Number(length));
    if (readSync(fd, json, 0, json.length, 8) !== json.length) return null;
    const header = JSON.parse(json.toString('utf8')) as Record<string, unknown>;
    // A file cut short (a copy or a download that stopped) holds less than its tensors' data: not listed.
    let end = 0;
    for (const [k, v] of Object.entries(header)) {
      if (k === '__metadata__') continue;
      const offsets = (v as { data_offsets?: unknown } | null)?.data_offsets;
      if (Array.isArray(offsets) && typeof offsets[1] === 'number') end = Math.max(end, offsets[1]);
    }
    if (8 + json.length + end > fstatSync(fd).size) return null;
    const meta = header['__metadata__'];
    if (typeof meta !== 'object' || meta === null) return {};
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(meta)) if (typeof v === 'string') out[k] = v;
    return out;
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

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
