import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PNG } from 'pngjs';
import { digitPng, gridLayout, gridPng, loadEmbeddedMnist, MnistDataset, renderDigit, renderDigitLines, toShared } from '../../src/data/index.js';
import { throwsWith } from './helpers.js';

const train = loadEmbeddedMnist('train');

function decode(bytes: Uint8Array): PNG {
  return PNG.sync.read(Buffer.from(bytes));
}

/** Grey level (red channel) of pixel (x, y). */
function grey(png: PNG, x: number, y: number): number {
  return png.data[(y * png.width + x) * 4]!;
}

test('terminal blocks: 14 lines of 28 columns, ink where the pixel is at least 128', () => {
  const lines = renderDigitLines(train, 0, 'blocks');
  assert.equal(lines.length, 14);
  for (const line of lines) assert.equal([...line].length, 28);
  // Count of lit half-cells equals the count of pixels ≥ 128 in image 0.
  let ink = 0;
  for (const b of train.images.subarray(0, 784)) if (b >= 128) ink++;
  let drawn = 0;
  for (const ch of lines.join('')) drawn += ch === '█' ? 2 : ch === '▀' || ch === '▄' ? 1 : 0;
  assert.equal(drawn, ink);
  // Row 0 and 1 of every MNIST digit are blank.
  assert.equal(lines[0], ' '.repeat(28));
});

test('terminal shade: 28 lines of 28 characters, blank exactly where the pixel is 0', () => {
  const lines = renderDigitLines(train, 7, 'shade');
  assert.equal(lines.length, 28);
  const img = train.images.subarray(7 * 784, 8 * 784);
  lines.forEach((line, r) => {
    const chars = [...line];
    assert.equal(chars.length, 28);
    chars.forEach((ch, c) => assert.equal(ch === ' ', img[r * 28 + c] === 0, `pixel ${r},${c}`));
  });
  assert.ok(lines.join('').includes('█'));
});

test('terminal color: half blocks with 24-bit grey escapes', () => {
  const lines = renderDigitLines(train, 0, 'color');
  assert.equal(lines.length, 14);
  // Row 6 col 14 of image 0 (pixel 6*28+14 = 182) is the top half of line 3, character 14.
  const v = train.images[182]!;
  const cells = lines[3]!.split('▀');
  assert.ok(cells[14]!.startsWith(`\x1b[38;2;${v};${v};${v}m`));
});

test('renderDigit frames the drawing and shows the label', () => {
  const text = renderDigit(train, 13, 'blocks', 'train image');
  const lines = text.trimEnd().split('\n');
  assert.equal(lines[0], 'train image 13 · label 6');
  assert.equal(lines.length, 1 + 1 + 14 + 1);
  assert.equal(lines[1], `┌${'─'.repeat(28)}┐`);
});

test('digitPng: scaled image with the label strip; pixels are dark ink on white', () => {
  const png = decode(digitPng(train, 0, 10));
  assert.equal(png.width, 280);
  assert.ok(png.height > 280 && png.height < 340, `height ${png.height}`);
  // Image 0, pixel (row 5, col 12) is 3 and (row 14, col 14) is 253: check the centre of each scaled square.
  assert.equal(train.images[5 * 28 + 12], 3);
  assert.equal(grey(png, 12 * 10 + 5, 5 * 10 + 5), 255 - 3);
  assert.equal(grey(png, 14 * 10 + 5, 14 * 10 + 5), 255 - train.images[14 * 28 + 14]!);
  // The caption strip has some ink (the text) and is otherwise white.
  let ink = 0;
  for (let y = 281; y < png.height; y++) for (let x = 0; x < png.width; x++) if (grey(png, x, y) === 0) ink++;
  assert.ok(ink > 50, `caption ink ${ink}`);
  const small = decode(digitPng(train, 0, 1));
  assert.equal(small.width, 28);
});

test('gridPng: the layout size, each image in its cell, and shared arrays work', () => {
  const layout = gridLayout(train, 25, 3);
  assert.equal(layout.columns, 5);
  assert.equal(layout.rowsOfCells, 5);
  const png = decode(gridPng(toShared(train), 0, 25, 3));
  assert.equal(png.width, layout.width);
  assert.equal(png.height, layout.height);
  const odd = gridLayout(train, 7, 3);
  assert.deepEqual([odd.columns, odd.rowsOfCells], [3, 3]);
  // Cell k=6 (row 1, col 1) shows image 6 (from index 0): check one pixel with ink.
  const img6 = train.images.subarray(6 * 784, 7 * 784);
  const p = img6.findIndex((b) => b > 200);
  const x0 = 6 + 1 * layout.cellWidth + (p % 28) * 3 + 1;
  const y0 = 6 + 1 * layout.cellHeight + Math.floor(p / 28) * 3 + 1;
  assert.equal(grey(png, x0, y0), 255 - img6[p]!);
});

test('preview errors: index out of range, grid past the end, bad grid size', () => {
  throwsWith(() => digitPng(train, 60000), ['index 60000', '0 to 59999']);
  throwsWith(() => gridPng(train, 59990, 25), ['grid of 25', 'index 59990', 'past the end']);
  throwsWith(() => gridPng(train, 0, 0), ['grid size', '0']);
  throwsWith(() => digitPng(train, 0, 0), ['scale', '0']);
});

test("renderDigit and digitPng draw a MnistDataset's image as its get(i) counts: the book's mnist_dataset.plot_image(i)", () => {
  const ds = new MnistDataset(train, { limit: 100 });
  assert.equal(renderDigit(ds, 9), renderDigit(train, 9));
  assert.match(renderDigit(ds, 9), /^image 9 · label 4\n/);
  // Negative from the end, as get(-1) is the last of the dataset's 100.
  assert.equal(renderDigit(ds, -1), renderDigit(train, 99));
  assert.deepEqual(digitPng(ds, -100, 3), digitPng(train, 0, 3));
  throwsWith(() => renderDigit(ds, 100), ['index 100 is out of range: the dataset is limited to 100 images (0 to 99)']);
  // A source that is neither is named, not a TypeError from inside.
  throwsWith(() => renderDigit({} as never, 0), ["renderDigit: expected a data.MnistDataset or a split (data.loadEmbeddedMnist('train'), data.loadSplit(path, 'test')), got "]);
  throwsWith(() => digitPng('mnist_train.csv' as never, 0), ['digitPng: expected a data.MnistDataset or a split']);
});

test('renderDigitLines and gridPng take a MnistDataset too, a grid within its limit', () => {
  const ds = new MnistDataset(train, { limit: 100 });
  assert.deepEqual(renderDigitLines(ds, -1, 'shade'), renderDigitLines(train, 99, 'shade'));
  assert.deepEqual(gridPng(ds, 90, 10), gridPng(train, 90, 10));
  assert.deepEqual(gridPng(ds, -10, 10), gridPng(train, 90, 10));
  throwsWith(() => gridPng(ds, 95, 10), ['a grid of 10 images from index 95 runs past the end', 'has 100 images (0 to 99) within the dataset\'s limit']);
  throwsWith(() => renderDigitLines(42 as never, 0), ['renderDigitLines: expected a data.MnistDataset or a split']);
});
