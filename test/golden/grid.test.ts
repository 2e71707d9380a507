// makeGrid and saveImage against torchvision 0.14's make_grid and save_image (fixtures/torch/grid.json, written by
// make_grid.py): the grid's float32 values bit for bit, and the PNG's pixels byte for byte, for batches, single
// images, lists, normalization (over the batch, per image, to a range), padding values, 2- and 4-channel images and
// a NaN; where PIL cannot write the grid (5 channels), saveImage refuses it too.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PNG } from 'pngjs';
import { imagePng, makeGrid, saveImage, type GridOptions, type Tensor } from '../../src/index.js';
import { decode, loadFixture, values, type EncodedTensor } from './golden-helpers.js';

interface GridCase {
  name: string;
  list: boolean;
  input: EncodedTensor | EncodedTensor[];
  options: GridOptions;
  grid: EncodedTensor;
  png: { mode: 'RGB' | 'RGBA' | 'LA'; width: number; height: number; bytes: number[] } | null;
}

const fx = loadFixture<{ cases: GridCase[] }>('grid.json');
const inputOf = (c: GridCase): Tensor | Tensor[] => (c.list ? (c.input as EncodedTensor[]).map((e) => decode(e)) : decode(c.input as EncodedTensor));
const COLOR_TYPE = { LA: 4, RGB: 2, RGBA: 6 } as const;

/** A decoded PNG's pixels in PIL's layout for `mode`: 2, 3 or 4 bytes a pixel, row by row. */
function pixels(png: PNG, mode: 'RGB' | 'RGBA' | 'LA'): number[] {
  const out: number[] = [];
  for (let i = 0; i < png.width * png.height; i++) {
    const [r, g, b, a] = png.data.subarray(i * 4, i * 4 + 4);
    if (mode === 'LA') out.push(r!, a!);
    else if (mode === 'RGB') out.push(r!, g!, b!);
    else out.push(r!, g!, b!, a!);
  }
  return out;
}

test('makeGrid gives torchvision make_grid\'s grid, bit for bit', () => {
  assert.ok(fx.cases.length >= 20);
  for (const c of fx.cases) {
    const grid = makeGrid(inputOf(c), c.options);
    assert.deepEqual([...grid.shape], c.grid.shape, c.name);
    const got = Array.from(grid.toArray());
    const want = values(c.grid);
    got.forEach((v, i) => assert.ok(Object.is(v, want[i]) || (Number.isNaN(v) && Number.isNaN(want[i])), `${c.name}: grid[${i}] is ${v}, torchvision's ${want[i]}`));
  }
});

test('saveImage writes the pixels torchvision\'s save_image writes, byte for byte, atomically, and imagePng the same bytes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kindling-grid-'));
  try {
    for (const [k, c] of fx.cases.entries()) {
      const path = join(dir, `case-${k}.png`);
      if (c.png === null) {
        assert.throws(() => saveImage(inputOf(c), path, c.options), /saveImage: a PNG holds images of 1 to 4 channels .* 5 channels/, c.name);
        continue;
      }
      saveImage(inputOf(c), path, c.options);
      const file = readFileSync(path);
      const png = PNG.sync.read(file);
      assert.equal(png.width, c.png.width, c.name);
      assert.equal(png.height, c.png.height, c.name);
      assert.equal(file[25], COLOR_TYPE[c.png.mode], `${c.name}: PNG colour type for PIL's ${c.png.mode}`);
      assert.deepEqual(pixels(png, c.png.mode), c.png.bytes, c.name);
      assert.deepEqual(imagePng(inputOf(c), c.options), file, `${c.name}: imagePng`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
