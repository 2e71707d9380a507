/** Vega-Lite spec → SVG document, headlessly (no browser, no canvas). */
import { View, parse, resetSVGDefIds } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * Vega writes coordinates with full double precision (`translate(0.0392727272,200.0325966)`); a hundredth of a
 * pixel is invisible, and rounding halves the size of a 20,000-dot SVG. Only geometry attributes are touched.
 */
function compactSvg(svg: string): string {
  return svg.replace(/\s(transform|d)="([^"]*)"/g, (attr: string) => attr.replace(/(\d+\.\d\d)\d+/g, '$1'));
}

/**
 * Renders a Vega-Lite spec to an SVG document. Its clip-path and gradient ids start from 1 whatever was drawn before
 * on this thread (Vega numbers them with counters of its own), so a spec always gives the same bytes.
 * @example const svg = await specToSvg({ mark: 'point', data: { values: [{ x: 1 }] }, encoding: { x: { field: 'x' } } });
 */
export async function specToSvg(spec: TopLevelSpec): Promise<string> {
  resetSVGDefIds();
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return compactSvg(await view.toSVG());
  } finally {
    view.finalize();
  }
}
