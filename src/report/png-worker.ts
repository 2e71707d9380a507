/**
 * Worker thread entry of `pngInWorker` (plots.ts): one SVG document → PNG (resvg), posted back; the thread then
 * ends, and with it whatever resvg's native allocator kept.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { PngReply } from './plots.js';
import { rasterize } from './rasterize.js';

const { svg, scale } = workerData as { svg: string; scale: number };
try {
  const png = new Uint8Array(rasterize(svg, scale));
  parentPort!.postMessage({ ok: true, png } satisfies PngReply, [png.buffer]);
} catch (err) {
  parentPort!.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) } satisfies PngReply);
}
