/**
 * Worker thread entry of the PNG thread (plots.ts): each message an SVG document and a scale, each reply its PNG
 * (resvg). The thread serves plot after plot (render-thread.ts) and collects its garbage after each, which also
 * frees resvg's native tree.
 */
import { parentPort } from 'node:worker_threads';
import type { PngReply } from './plots.js';
import { rasterize } from './rasterize.js';
import { collectGarbage } from './thread-gc.js';

parentPort!.on('message', ({ svg, scale }: { svg: string; scale: number }) => {
  try {
    const png = new Uint8Array(rasterize(svg, scale));
    parentPort!.postMessage({ ok: true, png } satisfies PngReply, [png.buffer]);
  } catch (err) {
    parentPort!.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) } satisfies PngReply);
  }
  collectGarbage();
});
