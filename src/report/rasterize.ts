/** SVG → PNG with resvg (the machine's DejaVu fonts, white background), shared by plots.ts and its worker. */
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';

export function resvgOptions(scale: number): ResvgRenderOptions {
  if (!(scale > 0 && scale <= 8)) throw new RangeError(`svgToPng: scale must be above 0 and at most 8, got ${scale}`);
  return {
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
  };
}

/** Rasterises an SVG to PNG on the calling thread. */
export function rasterize(svg: string, scale: number): Buffer {
  return new Resvg(svg, resvgOptions(scale)).render().asPng();
}
