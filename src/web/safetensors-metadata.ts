// What the Runs and Draw pages read of a model or checkpoint file without loading it: its header's metadata.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

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
