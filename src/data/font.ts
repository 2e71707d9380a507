/**
 * A tiny 5 × 7 bitmap font, just enough to write "label 7" on preview images without pulling in a text renderer:
 * the digits and the letters of "label". `#` is ink.
 */
const GLYPHS: Readonly<Record<string, readonly string[]>> = {
  '0': ['.###.', '#...#', '#..##', '#.#.#', '##..#', '#...#', '.###.'],
  '1': ['..#..', '.##..', '..#..', '..#..', '..#..', '..#..', '.###.'],
  '2': ['.###.', '#...#', '....#', '...#.', '..#..', '.#...', '#####'],
  '3': ['#####', '...#.', '..#..', '...#.', '....#', '#...#', '.###.'],
  '4': ['...#.', '..##.', '.#.#.', '#..#.', '#####', '...#.', '...#.'],
  '5': ['#####', '#....', '####.', '....#', '....#', '#...#', '.###.'],
  '6': ['..##.', '.#...', '#....', '####.', '#...#', '#...#', '.###.'],
  '7': ['#####', '....#', '...#.', '..#..', '.#...', '.#...', '.#...'],
  '8': ['.###.', '#...#', '#...#', '.###.', '#...#', '#...#', '.###.'],
  '9': ['.###.', '#...#', '#...#', '.####', '....#', '...#.', '.##..'],
  l: ['.##..', '..#..', '..#..', '..#..', '..#..', '..#..', '.###.'],
  a: ['.....', '.....', '.###.', '....#', '.####', '#...#', '.####'],
  b: ['#....', '#....', '#.##.', '##..#', '#...#', '#...#', '####.'],
  e: ['.....', '.....', '.###.', '#...#', '#####', '#....', '.###.'],
  ' ': ['.....', '.....', '.....', '.....', '.....', '.....', '.....'],
};

export const GLYPH_WIDTH = 5;
export const GLYPH_HEIGHT = 7;

/** Width in pixels of `text` drawn at `scale` (one blank column between glyphs). */
export function textWidth(text: string, scale: number): number {
  return text.length === 0 ? 0 : (text.length * (GLYPH_WIDTH + 1) - 1) * scale;
}

/** An RGBA image being drawn into (the layout of pngjs's `data`). */
export interface Canvas {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** Fills a rectangle with a grey level, clipped to the canvas. */
export function fillRect(canvas: Canvas, x: number, y: number, w: number, h: number, grey: number): void {
  const x1 = Math.min(canvas.width, x + w);
  const y1 = Math.min(canvas.height, y + h);
  for (let yy = Math.max(0, y); yy < y1; yy++) {
    for (let xx = Math.max(0, x); xx < x1; xx++) {
      const p = (yy * canvas.width + xx) * 4;
      canvas.data[p] = grey;
      canvas.data[p + 1] = grey;
      canvas.data[p + 2] = grey;
      canvas.data[p + 3] = 255;
    }
  }
}

/**
 * Draws `text` with its top-left corner at (x, y), each font pixel a `scale × scale` square of `grey`.
 *
 * @throws RangeError for a character the font does not have.
 */
export function drawText(canvas: Canvas, text: string, x: number, y: number, scale: number, grey = 0): void {
  let cx = x;
  for (const ch of text) {
    const glyph = GLYPHS[ch];
    if (!glyph) throw new RangeError(`drawText: the preview font has no glyph for ${JSON.stringify(ch)}`);
    for (let gy = 0; gy < GLYPH_HEIGHT; gy++) {
      const row = glyph[gy]!;
      for (let gx = 0; gx < GLYPH_WIDTH; gx++) {
        if (row[gx] === '#') fillRect(canvas, cx + gx * scale, y + gy * scale, scale, scale, grey);
      }
    }
    cx += (GLYPH_WIDTH + 1) * scale;
  }
}
