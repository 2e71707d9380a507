/**
 * Charts drawn at the width they are shown at. An SVG drawn 1,000 units wide and shown 300 px wide on a phone scales
 * its 11 px labels down to 3 px, too small to read; drawn as wide as its box, its labels keep their size at any
 * width. A chart is drawn again when its box changes width (a window resized, a phone turned).
 */

/** The size, in CSS pixels, a chart is drawn at. */
export interface ChartBox {
  readonly width: number;
  readonly height: number;
}

/** Narrowest and widest a chart is drawn (a narrower box scales it down; a wider one scales it up). */
const MIN_WIDTH = 260;
const MAX_WIDTH = 1600;
/** Width drawn at while the box is not laid out (not yet in the page): the charts' former fixed width. */
const UNLAID_WIDTH = 1000;
/** A chart is `height` tall where it is at least four times as wide; on a narrower box, less tall, down to this. */
const MIN_HEIGHT = 180;

/** The size a chart `height` tall at its widest is drawn at in a box `width` px wide (0: not laid out). */
export function chartBox(width: number, height: number): ChartBox {
  const w = Math.round(Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, width > 0 ? width : UNLAID_WIDTH)));
  return { width: w, height: Math.round(Math.min(height, Math.max(MIN_HEIGHT, w / 4))) };
}

interface Fitted {
  readonly height: number;
  readonly draw: (box: ChartBox) => string;
  /** The box width it was last drawn for. */
  width: number;
}

const fitted = new WeakMap<Element, Fitted>();
let observer: ResizeObserver | undefined;

function redraw(el: HTMLElement, f: Fitted): void {
  f.width = el.clientWidth;
  el.innerHTML = f.draw(chartBox(f.width, f.height));
}

/**
 * Fills `el` with the markup `draw` makes for the box's size (a chart `height` tall at its widest), now and whenever
 * the box changes width. A later call for the same element replaces its drawing.
 */
export function drawFitted(el: HTMLElement, height: number, draw: (box: ChartBox) => string): void {
  const f: Fitted = { height, draw, width: 0 };
  fitted.set(el, f);
  redraw(el, f);
  if (typeof ResizeObserver === 'undefined') return;
  observer ??= new ResizeObserver((entries) => {
    for (const entry of entries) {
      const target = entry.target as HTMLElement;
      const known = fitted.get(target);
      // Only a change of width (the height follows the drawing itself), and not of a box taken out of the page.
      if (known !== undefined && target.isConnected && target.clientWidth !== known.width) redraw(target, known);
    }
  });
  observer.observe(el);
}

/** Empties `el` and stops drawing it again. */
export function clearFitted(el: HTMLElement): void {
  fitted.delete(el);
  observer?.unobserve(el);
  el.replaceChildren();
}
