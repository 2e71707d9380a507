/**
 * Worker thread entry of `svgInWorker` (plots.ts): one Vega-Lite spec → SVG (Vega), posted back; the thread then
 * ends, and with it Vega's scene graph. (resvg rasterises the SVG on libuv's pool, outside this thread.)
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { TopLevelSpec } from 'vega-lite';
import type { RenderReply } from './plots.js';
import { specToSvg } from './svg.js';

const { spec } = workerData as { spec: TopLevelSpec };
try {
  parentPort!.postMessage({ ok: true, svg: await specToSvg(spec) } satisfies RenderReply);
} catch (err) {
  parentPort!.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) } satisfies RenderReply);
}
