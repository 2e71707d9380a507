/**
 * Loss plots rendered with real charting libraries: Vega-Lite compiles the spec to Vega, Vega renders SVG
 * headlessly (no browser, no canvas), and resvg rasterises the SVG to PNG with the machine's DejaVu fonts.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { renderAsync } from '@resvg/resvg-js';
import type { TopLevelSpec } from 'vega-lite';
import { rasterize, resvgOptions } from './rasterize.js';
import { lossPlotSpec, overlayPlotSpec, type PlotSpecOptions } from './plot-specs.js';
import type { RunResult } from './results.js';

export interface PlotOptions extends PlotSpecOptions {
  /** PNG pixels per SVG pixel (default 2, sharp on high-density screens). */
  readonly scale?: number;
}

export interface RenderedPlot {
  readonly svg: string;
  readonly png: Buffer;
}

/**
 * Renders a Vega-Lite spec to an SVG document. Vega is loaded on first use only (it is 28 MB of heap, and the
 * report's plots are drawn on their own threads).
 * @example const svg = await specToSvg({ mark: 'point', data: { values: [{ x: 1 }] }, encoding: { x: { field: 'x' } } });
 */
export async function specToSvg(spec: TopLevelSpec): Promise<string> {
  return (await import('./svg.js')).specToSvg(spec);
}

/**
 * Rasterises an SVG to PNG. resvg runs on libuv's thread pool, so the event loop (progress bars) keeps going.
 * @param scale PNG pixels per SVG pixel.
 */
export async function svgToPng(svg: string, scale = 2): Promise<Buffer> {
  const image = await renderAsync(svg, resvgOptions(scale));
  return image.asPng();
}

/** Same as `svgToPng` but on the calling thread, for scripts that want no promises. */
export function svgToPngSync(svg: string, scale = 2): Buffer {
  return rasterize(svg, scale);
}

/**
 * Renders a spec to SVG and PNG on worker threads that end with their part of the render: Vega's scene graph for
 * 18,000 dots (about 55 MB) and resvg's tree (about 50 MB) are freed only when V8 or the native allocator gets round
 * to it; ending the threads frees them at once, so the report's peak memory stays flat (docs/speed.md, "Memory", has
 * the figures).
 */
export async function renderInWorker(spec: TopLevelSpec, scale = 2, entry: 'bundled' | 'modules' = 'bundled'): Promise<RenderedPlot> {
  resvgOptions(scale);
  const svg = await svgInWorker(spec, entry);
  return { svg, png: await pngInWorker(svg, scale) };
}

/** A Vega-Lite spec to an SVG document, on a thread of its own. */
export function svgInWorker(spec: TopLevelSpec, entry: 'bundled' | 'modules' = 'bundled'): Promise<string> {
  return inWorker(workerEntry(entry), { spec }, (msg: RenderReply) => (msg.ok ? msg.svg : undefined));
}

/** An SVG document to PNG (resvg; `scale` PNG pixels per SVG pixel), on a thread of its own. */
export function pngInWorker(svg: string, scale = 2): Promise<Buffer> {
  resvgOptions(scale);
  return inWorker(new URL('./png-worker.js', import.meta.url), { svg, scale }, (msg: PngReply) =>
    msg.ok ? Buffer.from(msg.png.buffer, msg.png.byteOffset, msg.png.byteLength) : undefined);
}

/** Runs one job on a fresh thread: its one reply, or its error message as `plot rendering failed: …`. */
function inWorker<R extends { ok: true } | { ok: false; message: string }, T>(url: URL, data: unknown, take: (reply: R) => T | undefined): Promise<T> {
  return new Promise((resolve, reject) => {
    // A small young generation: the render's garbage is collected as it goes (40–50 MB less at the peak, no slower).
    const worker = new Worker(url, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
    let settled = false;
    worker.once('message', (msg: R) => {
      settled = true;
      const value = take(msg);
      if (value !== undefined) resolve(value);
      else reject(new Error(`plot rendering failed: ${msg.ok ? 'no result' : msg.message}`));
      void worker.terminate();
    });
    worker.once('error', (err) => {
      if (!settled) reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`plot rendering failed: the rendering thread exited with code ${code}`));
    });
  });
}

/**
 * Plots rendered one after another, with each plot's PNG made while the next one's SVG is drawn: one Vega thread
 * and one resvg thread at most at any time (about the memory of one plot drawn whole), on two cores instead of one.
 * A plot that fails does not hold up the ones after it.
 */
export class PlotSequence {
  private svgs: Promise<unknown> = Promise.resolve();
  private pngs: Promise<unknown> = Promise.resolve();

  /** Queues a spec; the promise settles with its plot. */
  render(spec: TopLevelSpec, scale = 2): Promise<RenderedPlot> {
    resvgOptions(scale);
    const svgTurn = this.svgs;
    const svg = svgTurn.then(() => svgInWorker(spec));
    this.svgs = svg.catch(() => undefined);
    const pngTurn = this.pngs;
    const plot = Promise.all([svg, pngTurn]).then(async ([doc]) => ({ svg: doc, png: await pngInWorker(doc, scale) }));
    this.pngs = plot.catch(() => undefined);
    return plot;
  }
}

/**
 * The rendering thread's script: the build's one-file bundle (render-worker.bundle.js, which loads in a third of the
 * time), or the compiled modules when there is none (or when asked, as the tests do to compare the two).
 */
function workerEntry(entry: 'bundled' | 'modules'): URL {
  const bundle = new URL('../../render-worker.bundle.js', import.meta.url);
  if (entry === 'bundled' && (bundleExists ??= existsSync(fileURLToPath(bundle)))) return bundle;
  return new URL('./render-worker.js', import.meta.url);
}
let bundleExists: boolean | undefined;

/** What the rendering thread posts back. */
export type RenderReply = { ok: true; svg: string } | { ok: false; message: string };
/** What the PNG thread posts back. */
export type PngReply = { ok: true; png: Uint8Array } | { ok: false; message: string };

/**
 * One variant's loss plot in the chapter's style (faint dots of every recorded loss, y 0–1, grid at 0, 0.25, 0.5,
 * …) with a smoothed curve per seed.
 *
 * @param runs the runs of one variant; the first run's losses are drawn as dots.
 * @param sequence draw it in turn with the sequence's other plots (see PlotSequence); alone by default.
 * @example const { svg, png } = await renderLossPlot(runsOf(results, 'baseline'));
 */
export async function renderLossPlot(runs: readonly RunResult[], options: PlotOptions = {}, sequence?: PlotSequence): Promise<RenderedPlot> {
  const { spec } = lossPlotSpec(runs, options);
  return sequence === undefined ? renderInWorker(spec, options.scale ?? 2) : sequence.render(spec, options.scale ?? 2);
}

/**
 * All variants' smoothed loss curves overlaid, with a legend.
 * @example const { svg, png } = await renderOverlayPlot(results.runs);
 */
export async function renderOverlayPlot(runs: readonly RunResult[], options: PlotOptions = {}): Promise<RenderedPlot> {
  return renderInWorker(overlayPlotSpec(runs, options), options.scale ?? 2);
}
