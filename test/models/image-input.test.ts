import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataError } from '../../src/data/errors.js';
import { toMnistPixels } from '../../src/data/image-input.js';
import { loadEmbeddedMnist } from '../../src/data/mnist.js';

/** An RGBA picture filled with `bg`, with `ink` painted where `mask(x, y)` is true. */
function picture(w: number, h: number, bg: readonly number[], ink: readonly number[], mask: (x: number, y: number) => boolean): Uint8Array {
  const out = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out.set(mask(x, y) ? ink : bg, (y * w + x) * 4);
  return out;
}

/** Bounding box, centre of mass (pixel centres counted from 0, as MNIST does) and total of a 28 × 28 result. */
function stats(p: Uint8Array): { x0: number; x1: number; y0: number; y1: number; cx: number; cy: number; mass: number } {
  let x0 = 28, x1 = -1, y0 = 28, y1 = -1, mass = 0, mx = 0, my = 0;
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const v = p[y * 28 + x]!;
      if (v === 0) continue;
      x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
      mass += v; mx += v * x; my += v * y;
    }
  }
  return { x0, x1, y0, y1, cx: mx / mass, cy: my / mass, mass };
}

// An "L": a tall bar with a foot, drawn off-centre on a 90 × 60 canvas.
const L = (x: number, y: number): boolean => (x >= 10 && x < 18 && y >= 5 && y < 65) || (x >= 10 && x < 40 && y >= 57 && y < 65);

test('dark ink on a light, coloured, opaque background becomes a white digit on black, 20 px tall, centred by mass', () => {
  const p = toMnistPixels(picture(60, 90, [250, 240, 200, 255], [20, 20, 90, 255], L), 60, 90);
  const s = stats(p);
  assert.equal(s.y1 - s.y0 + 1, 20, 'the longer side is 20 px');
  assert.equal(s.x1 - s.x0 + 1, 10, 'the aspect ratio is kept (30 × 60 → 10 × 20)');
  assert.ok(Math.abs(s.cx - 14) <= 0.5 && Math.abs(s.cy - 14) <= 0.5, `centre of mass at (${s.cx}, ${s.cy})`);
  assert.equal(Math.max(...p), 255, 'the ink is stretched to full white');
  assert.equal(p[0], 0, 'the background is black');
});

test('light-on-dark, dark-on-light and ink on a transparent canvas all give the same image', () => {
  const darkOnLight = toMnistPixels(picture(60, 90, [255, 255, 255, 255], [0, 0, 0, 255], L), 60, 90);
  const lightOnDark = toMnistPixels(picture(60, 90, [0, 0, 0, 255], [255, 255, 255, 255], L), 60, 90);
  const onTransparent = toMnistPixels(picture(60, 90, [0, 0, 0, 0], [0, 0, 0, 255], L), 60, 90);
  const whiteOnTransparent = toMnistPixels(picture(60, 90, [255, 255, 255, 0], [255, 255, 255, 255], L), 60, 90);
  assert.deepEqual(lightOnDark, darkOnLight);
  assert.deepEqual(onTransparent, darkOnLight);
  assert.deepEqual(whiteOnTransparent, darkOnLight);
  assert.ok(stats(darkOnLight).mass > 0);
});

test('the ink is whichever side of the paper\'s grey holds the contrast: dark ink on dim paper, light ink on mid-grey', () => {
  const darkOnLight = toMnistPixels(picture(60, 90, [255, 255, 255, 255], [0, 0, 0, 255], L), 60, 90);
  // Paper below mid-grey (a dim photo) with dark ink, paper above it with light ink, and grey on a slightly lighter
  // grey: each is the same L, not a blank picture nor its negative.
  for (const [bg, ink] of [[120, 0], [100, 20], [140, 230], [120, 100], [135, 0]] as const) {
    const p = toMnistPixels(picture(60, 90, [bg, bg, bg, 255], [ink, ink, ink, 255], L), 60, 90);
    assert.deepEqual(p, darkOnLight, `ink ${ink} on paper ${bg}`);
  }
  // A glare (a white patch smaller than the strokes) on dim paper does not turn the reading over.
  const glare = (x: number, y: number): boolean => x >= 45 && x < 52 && y >= 10 && y < 17;
  const rgba = picture(60, 90, [120, 120, 120, 255], [10, 10, 10, 255], L);
  for (let y = 0; y < 90; y++) for (let x = 0; x < 60; x++) if (glare(x, y)) rgba.set([255, 255, 255, 255], 4 * (y * 60 + x));
  const s = stats(toMnistPixels(rgba, 60, 90));
  assert.deepEqual([s.x1 - s.x0 + 1, s.y1 - s.y0 + 1], [10, 20], 'the L alone, 10 × 20');
});

test('a picture with a few transparent pixels (rounded corners) reads as the same picture without them', () => {
  const corner = (x: number, y: number): boolean => Math.min(x, 59 - x) + Math.min(y, 89 - y) < 8;
  for (const [bg, ink] of [[[255, 255, 255, 255], [0, 0, 0, 255]], [[0, 0, 0, 255], [255, 255, 255, 255]]] as const) {
    const whole = picture(60, 90, bg, ink, L);
    const expected = toMnistPixels(whole, 60, 90);
    for (const hidden of [[0, 0, 0, 0], [255, 255, 255, 0]]) {
      const rounded = Uint8Array.from(whole);
      for (let y = 0; y < 90; y++) for (let x = 0; x < 60; x++) if (corner(x, y)) rounded.set(hidden, 4 * (y * 60 + x));
      assert.deepEqual(toMnistPixels(rounded, 60, 90), expected, `background ${bg.join(',')} with ${hidden.join(',')} corners`);
    }
    assert.ok(stats(expected).mass > 0);
  }
});

test('a blank picture (or one of faint noise) gives 784 zeros', () => {
  assert.deepEqual(toMnistPixels(picture(31, 17, [200, 200, 200, 255], [0, 0, 0, 255], () => false), 31, 17), new Uint8Array(784));
  const noisy = picture(40, 40, [250, 250, 250, 255], [248, 248, 248, 255], (x, y) => (x * 7 + y * 3) % 5 === 0);
  assert.deepEqual(toMnistPixels(noisy, 40, 40), new Uint8Array(784));
});

test('a digit on grainy paper (a photo, a scan) is found as on clean paper: the grain neither shows nor widens its box', () => {
  const w = 300, h = 400;
  const clean = picture(w, h, [245, 245, 245, 255], [40, 40, 40, 255], (x, y) => L(Math.floor(x / 5), Math.floor(y / 5)));
  // Grain of ±8 grey levels everywhere (a fixed pseudo-random pattern), and a few specks twice as strong.
  const grainy = clean.slice();
  let s = 12345;
  for (let i = 0; i < w * h; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const d = ((s >>> 16) % 17) - 8;
    for (let c = 0; c < 3; c++) grainy[4 * i + c] = Math.max(0, Math.min(255, grainy[4 * i + c]! + d * ((i % 997) === 0 ? 2 : 1)));
  }
  const want = stats(toMnistPixels(clean, w, h));
  const got = stats(toMnistPixels(grainy, w, h));
  assert.deepEqual([got.x0, got.x1, got.y0, got.y1], [want.x0, want.x1, want.y0, want.y1], 'the same box');
  assert.ok(Math.abs(got.cx - want.cx) < 0.3 && Math.abs(got.cy - want.cy) < 0.3, `centre (${got.cx}, ${got.cy}) against (${want.cx}, ${want.cy})`);
  assert.ok(Math.abs(got.mass - want.mass) / want.mass < 0.1, `ink ${got.mass} against ${want.mass}`);
  // Grain alone is a blank picture.
  const paper = grainy.slice();
  for (let i = 0; i < w * h; i++) if (L(Math.floor((i % w) / 5), Math.floor(i / w / 5))) paper.set(grainy.subarray(0, 4), 4 * i);
  assert.deepEqual(toMnistPixels(paper, w, h), new Uint8Array(784));
});

test('a tiny digit is scaled up, a wide one keeps its aspect ratio', () => {
  const dot = toMnistPixels(picture(5, 5, [255, 255, 255, 255], [0, 0, 0, 255], (x, y) => x >= 1 && x < 3 && y >= 1 && y < 4), 5, 5);
  const d = stats(dot);
  assert.equal(d.y1 - d.y0 + 1, 20);
  assert.ok(d.x1 - d.x0 + 1 >= 13 && d.x1 - d.x0 + 1 <= 14, '2 × 3 → 13 or 14 × 20');
  const bar = stats(toMnistPixels(picture(100, 30, [255, 255, 255, 255], [0, 0, 0, 255], (x, y) => x >= 10 && x < 90 && y >= 10 && y < 20), 100, 30));
  assert.deepEqual([bar.x1 - bar.x0 + 1, bar.y1 - bar.y0 + 1], [20, 3]);
});

test('MNIST images themselves come back unchanged: the same preparation MNIST was made with', () => {
  const test = loadEmbeddedMnist('test');
  let same = 0;
  const n = 500;
  for (let i = 0; i < n; i++) {
    const img = test.images.subarray(i * 784, (i + 1) * 784);
    const rgba = new Uint8Array(784 * 4);
    img.forEach((v, k) => rgba.set([v, v, v, 255], k * 4));
    const out = toMnistPixels(rgba, 28, 28);
    if (out.reduce((a, v, k) => a + Math.abs(v - img[k]!), 0) / 784 < 0.5) same++;
  }
  // The rare misses are ties: a centre of mass exactly half-way between pixels, which MNIST rounded its own way
  // (22 of the 10,000 test images).
  assert.ok(same >= 0.99 * n, `${same} of ${n} images reproduced`);
});

test('sizes that do not match the data are a DataError', () => {
  assert.throws(() => toMnistPixels(new Uint8Array(10), 2, 2), (e: unknown) => e instanceof DataError && /2 × 2 RGBA image has 16 bytes, got 10/.test(e.message));
  assert.throws(() => toMnistPixels(new Uint8Array(0), 0, 0), DataError);
});
