/**
 * Charts drawn at the width they are shown at. An SVG drawn 1,000 units wide and shown 300 px wide on a phone scales
 * its 11 px labels down to 3 px, too small to read; drawn as wide as its box, its labels keep their size at any
 * width. A chart is drawn again when its box changes width (a window resized, a phone turned).
 *
 * Its height follows its width (below its widest), at exactly the ratio its drawing is shown at when scaled: were a
 * narrower box's drawing less tall for its width than a wider one's (heights rounded to whole pixels), a window whose
 * height lies between the two could have a classic page scrollbar, which narrows the box, come and go every frame, the
 * chart drawn again each time. Drawn at the same ratio, the chart takes the height it took scaled, and the scrollbar
 * stays as it was. (`scrollbar-gutter: stable` would keep the box's width instead, but takes a scrollbar's room on
 * every page, and in Chromium with its scrollbars hidden too.)
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
  return { width: w, height: Math.min(height, Math.max(MIN_HEIGHT, w / 4)) };
}

interface Fitted {
  readonly height: number;
  readonly draw: (box: ChartBox) => string;
  /** The box width it was last drawn for (0: not laid out then). */
  width: number;
}

const fitted = new WeakMap<Element, Fitted>();
let observer: ResizeObserver | undefined;

function redraw(el: HTMLElement, f: Fitted, width: number): void {
  f.width = width;
  el.innerHTML = f.draw(chartBox(width, f.height));
}

/**
 * Fills `el` with the markup `draw` makes for the box's size (a chart `height` tall at its widest), now and whenever
 * the box changes width. A later call for the same element replaces its drawing, at the width the box was last
 * measured at (the observer keeps it current), so that drawing new data does not make the browser lay out the page.
 */
export function drawFitted(el: HTMLElement, height: number, draw: (box: ChartBox) => string): void {
  const before = fitted.get(el);
  const f: Fitted = { height, draw, width: 0 };
  fitted.set(el, f);
  redraw(el, f, before !== undefined && before.width > 0 ? before.width : el.clientWidth);
  if (before !== undefined || typeof ResizeObserver === 'undefined') return;
  observer ??= new ResizeObserver((entries) => {
    for (const entry of entries) {
      const target = entry.target as HTMLElement;
      const known = fitted.get(target);
      // Only a change of width (the height follows the drawing itself), and not of a box taken out of the page or hidden.
      const width = target.clientWidth;
      if (known !== undefined && target.isConnected && width > 0 && width !== known.width) redraw(target, known, width);
    }
  });
  observer.observe(el);
}

/** Stops drawing `el` again (it leaves the page for good), and empties it. */
export function clearFitted(el: HTMLElement): void {
  fitted.delete(el);
  observer?.unobserve(el);
  el.replaceChildren();
}
