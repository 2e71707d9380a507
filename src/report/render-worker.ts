/**
 * Worker thread entry of the Vega thread (plots.ts): each message a Vega-Lite spec, each reply its SVG document.
 * The thread serves plot after plot (render-thread.ts) and collects its garbage after each.
 */
import { parentPort } from 'node:worker_threads';
import type { TopLevelSpec } from 'vega-lite';
import type { RenderReply } from './plots.js';
import { specToSvg } from './svg.js';
import { collectGarbage } from './thread-gc.js';

parentPort!.on('message', async ({ spec }: { spec: TopLevelSpec }) => {
  let reply: RenderReply;
  try {
    reply = { ok: true, svg: await specToSvg(spec) };
  } catch (err) {
    reply = { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  parentPort!.postMessage(reply);
  collectGarbage();
});
