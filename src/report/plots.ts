/**
 * Loss plots rendered with real charting libraries: Vega-Lite compiles the spec to Vega, Vega renders SVG
 * headlessly (no browser, no canvas), and resvg rasterises the SVG to PNG with the machine's DejaVu fonts.
 */
import { Resvg, renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';
import { View, parse } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
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
 * Vega writes coordinates with full double precision (`translate(0.0392727272,200.0325966)`); a hundredth of a
 * pixel is invisible, and rounding halves the size of a 20,000-dot SVG. Only geometry attributes are touched.
 */
function compactSvg(svg: string): string {
  return svg.replace(/\s(transform|d)="([^"]*)"/g, (attr: string) => attr.replace(/(\d+\.\d\d)\d+/g, '$1'));
}

/**
 * Renders a Vega-Lite spec to an SVG document.
 * @example const svg = await specToSvg({ mark: 'point', data: { values: [{ x: 1 }] }, encoding: { x: { field: 'x' } } });
 */
export async function specToSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return compactSvg(await view.toSVG());
  } finally {
    view.finalize();
  }
}

function resvgOptions(scale: number): ResvgRenderOptions {
  if (!(scale > 0 && scale <= 8)) throw new RangeError(`svgToPng: scale must be above 0 and at most 8, got ${scale}`);
  return {
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
  };
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
  return new Resvg(svg, resvgOptions(scale)).render().asPng();
}

/**
 * One variant's loss plot in the chapter's style (faint dots of every recorded loss, y 0–1, grid at 0, 0.25, 0.5,
 * …) with a smoothed curve per seed.
 *
 * @param runs the runs of one variant; the first run's losses are drawn as dots.
 * @example const { svg, png } = await renderLossPlot(runsOf(results, 'baseline'));
 */
export async function renderLossPlot(runs: readonly RunResult[], options: PlotOptions = {}): Promise<RenderedPlot> {
  const svg = await specToSvg(lossPlotSpec(runs, options).spec);
  return { svg, png: await svgToPng(svg, options.scale ?? 2) };
}

/**
 * All variants' smoothed loss curves overlaid, with a legend.
 * @example const { svg, png } = await renderOverlayPlot(results.runs);
 */
export async function renderOverlayPlot(runs: readonly RunResult[], options: PlotOptions = {}): Promise<RenderedPlot> {
  const svg = await specToSvg(overlayPlotSpec(runs, options));
  return { svg, png: await svgToPng(svg, options.scale ?? 2) };
}
