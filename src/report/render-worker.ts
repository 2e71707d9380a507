/**
 * Worker thread entry of `renderInWorker` (plots.ts): one Vega-Lite spec → SVG (Vega) → PNG (resvg), posted
 * back; the thread then ends, and with it everything the render allocated.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { TopLevelSpec } from 'vega-lite';
import type { RenderReply } from './plots.js';
import { rasterize } from './rasterize.js';
import { specToSvg } from './svg.js';

const { spec, scale } = workerData as { spec: TopLevelSpec; scale: number };
const post = (reply: RenderReply, transfer: ArrayBuffer[] = []): void => parentPort!.postMessage(reply, transfer);
try {
  const svg = await specToSvg(spec);
  const png = new Uint8Array(rasterize(svg, scale));
  post({ ok: true, svg, png }, [png.buffer]);
} catch (err) {
  post({ ok: false, message: err instanceof Error ? err.message : String(err) });
}
