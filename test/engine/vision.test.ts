// kindling-test: own process (it checks warnings given once per process)
// makeGrid and saveImage beyond the golden comparison with torchvision (test/golden/grid.test.ts): what they refuse
// and how they say it, that the input is left alone and no gradient flows, views, and the file written atomically.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PNG } from 'pngjs';
import { arange, imagePng, makeGrid, manualSeed, rand, saveImage, tensor, zeros, type GridOptions } from '../../src/index.js';

test('makeGrid: a batch of one-channel images in rows of nrow, padded, as RGB', () => {
  const images = arange(6 * 4).reshape(6, 1, 2, 2).div(24);
  const grid = makeGrid(images, { nrow: 4, padding: 1, padValue: -1 });
  assert.deepEqual([...grid.shape], [3, 1 + 2 * 3, 1 + 4 * 3]);
  // Image 5 is the second of the second row: its top-left pixel at (1 + 3 + 0, 1 + 3 + 0) in every channel.
  for (let ch = 0; ch < 3; ch++) assert.equal(grid.select(0, ch).select(0, 4).select(0, 4).item(), Math.fround(20 / 24));
  assert.equal(grid.select(0, 0).select(0, 0).select(0, 0).item(), -1);
  // The second row's last two cells hold no image: padding only.
  assert.equal(grid.select(0, 1).narrow(0, 4, 2).narrow(1, 7, 5).eq(-1).all().item(), 1);
});

test('makeGrid leaves its input alone, gives no gradient, and reads views as their values', () => {
  manualSeed(3);
  const x = rand(4, 1, 3, 5, { requiresGrad: true }).mul(4);
  const before = Array.from(x.toArray());
  const grid = makeGrid(x, { normalize: true, scaleEach: true });
  assert.equal(grid.requiresGrad, false);
  assert.deepEqual(Array.from(x.toArray()), before, 'normalize works on a copy');
  assert.ok(grid.max().item() <= 1 && grid.min().item() >= 0);
  const t = x.detach().transpose(2, 3);
  assert.deepEqual(Array.from(makeGrid(t, { nrow: 3 }).toArray()), Array.from(makeGrid(t.contiguous(), { nrow: 3 }).toArray()));
  // A single image comes back without padding, as torchvision's make_grid does.
  assert.deepEqual([...makeGrid(x.detach().select(0, 0)).shape], [3, 3, 5]);
});

test('makeGrid refuses what is not an image or a batch, and bad options, naming them', () => {
  assert.throws(() => makeGrid(zeros(784)), /makeGrid: expects one image \[H, W\] or \[C, H, W\], or a batch \[B, C, H, W\], got shape \[784\] \(a flat image\? reshape it, as x\.reshape\(28, 28\)\)/);
  assert.throws(() => makeGrid(zeros(2, 1, 1, 3, 3)), /got shape \[2, 1, 1, 3, 3\]$/);
  assert.throws(() => makeGrid(zeros(0, 1, 3, 3)), /makeGrid: expects at least one image, got a batch of shape \[0, 3, 3, 3\]/);
  assert.throws(() => makeGrid([]), /makeGrid: expects at least one image, got an empty array/);
  assert.throws(() => makeGrid([zeros(3, 3), [1, 2] as never]), /makeGrid: expects a tensor or an array of tensors, got an array at index 1/);
  assert.throws(() => makeGrid([1, 2] as never), /got the number 1 at index 0/);
  assert.throws(() => makeGrid('x' as never), /makeGrid: expects a tensor or an array of tensors, got the string "x"/);
  assert.throws(() => makeGrid([zeros(3, 3), zeros(3, 4)]), /makeGrid: the images of an array must have one shape; image 1 has shape \[3, 4\], image 0 \[3, 3\]/);
  const bad: [GridOptions, RegExp][] = [
    [{ nrow: 0 }, /makeGrid: nrow must be a whole number of images, 1 or more, got 0/],
    [{ nrow: 2.5 }, /nrow must be a whole number of images, 1 or more, got 2\.5/],
    [{ padding: -1 }, /makeGrid: padding must be a whole number of pixels, 0 or more, got -1/],
    [{ normalize: 1 as never }, /makeGrid: normalize must be true or false, got the number 1/],
    [{ padValue: '0' as never }, /makeGrid: padValue must be a number, got the string "0"/],
    [{ valueRange: [0] as never }, /makeGrid: valueRange must be two finite numbers \[low, high\], got \[0\]/],
    [{ valueRange: 'auto' as never }, /valueRange must be two finite numbers \[low, high\], got the string "auto"/],
    [{ valueRange: [0, Infinity] }, /got \[0, Infinity\]/],
    [{ valueRange: [0, 1e40] }, /makeGrid: valueRange \[0, 1e\+40\] is beyond float32's range/],
    [{ padValue: -1e40 }, /makeGrid: padValue -1e\+40 is beyond float32's range/],
    [{ pad_value: 1 } as never, /makeGrid: unknown option "pad_value" \(did you mean padValue\?\)/],
  ];
  for (const [options, message] of bad) assert.throws(() => makeGrid(zeros(2, 1, 3, 3), options), message);
});

test('saveImage writes a PNG atomically, replacing the file, and refuses other names and grids a PNG cannot hold', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kindling-save-image-'));
  try {
    const path = join(dir, 'digits.png');
    writeFileSync(path, 'an older file');
    saveImage(tensor([[0, 0.5], [1, 2]]), path);
    const png = PNG.sync.read(readFileSync(path));
    assert.deepEqual([png.width, png.height], [2, 2]);
    // ⌊255·v + 0.5⌋ clamped: 0, 128, 255, 255 (2 is clamped).
    assert.deepEqual([0, 1, 2, 3].map((i) => png.data[i * 4]), [0, 128, 255, 255]);
    assert.deepEqual(readdirSync(dir), ['digits.png'], 'no temporary file left behind');
    assert.throws(() => saveImage(zeros(3, 3), join(dir, 'digits.jpg')), /saveImage: the file name must end in \.png \(Kindling writes PNG images\), got the string ".*digits\.jpg"/);
    assert.throws(() => saveImage(zeros(5, 3, 3), join(dir, 'five.png')), /saveImage: a PNG holds images of 1 to 4 channels .*shape \[5, 3, 3\], 5 channels \(a \[C, H, W\] tensor is one image of C channels: for C grey images, give it as \[C, 1, H, W\], x\.unsqueeze\(1\)\)$/);
    assert.throws(() => saveImage([zeros(3, 3), zeros(3, 3), zeros(3, 3), zeros(3, 3), zeros(3, 3)], join(dir, 'five.png')), /5 channels \(an array of \[H, W\] images is stacked into one image of that many channels: give them as \[1, H, W\] images, or one \[B, 1, H, W\] tensor\)$/);
    assert.throws(() => saveImage(zeros(2, 1, 0, 3), join(dir, 'empty.png'), { padding: 0 }), /saveImage: the grid has shape \[3, 0, 6\], with no pixels to write/);
    assert.throws(() => saveImage(zeros(3, 3), join(dir, 'missing', 'x.png')), /cannot write .*x\.png: the folder .*missing does not exist/);
    assert.deepEqual(readdirSync(dir), ['digits.png']);
    assert.equal(existsSync(join(dir, 'five.png')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('valueRange null is PyTorch\'s None: the tensor\'s own range', () => {
  const x = tensor([[[-2, 0], [1, 2]]]);
  assert.deepEqual(Array.from(makeGrid(x, { normalize: true, valueRange: null }).toArray()), Array.from(makeGrid(x, { normalize: true }).toArray()));
  assert.deepEqual(Array.from(makeGrid(x, { normalize: true, valueRange: null }).select(0, 0).toArray()), [0, 0.5, 0.75, 1]);
});

test('a [N, 784] tensor (flat MNIST images not reshaped) is drawn as torchvision draws it, with a warning that says how to reshape', async () => {
  const warnings: string[] = [];
  const listen = (w: Error): void => { warnings.push(w.message); };
  process.on('warning', listen);
  try {
    const grid = makeGrid(zeros(12, 784));
    assert.deepEqual([...grid.shape], [3, 12, 784]);
    makeGrid(zeros(3, 784));
    makeGrid(zeros(28, 28));
    // Warnings are emitted on a later tick.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', listen);
  }
  assert.deepEqual(warnings, ['makeGrid: a tensor of shape [12, 784] is drawn as one image 12 pixels high and 784 wide; for 12 flat 28 × 28 images, reshape it first: x.reshape(-1, 1, 28, 28)']);
});

test('saveImage and imagePng take scale, Kindling\'s: each pixel a scale × scale square; the options are checked under the name called', () => {
  const x = tensor([[0, 1], [0.5, 0.25]]);
  const one = PNG.sync.read(Buffer.from(imagePng(x)));
  const big = PNG.sync.read(Buffer.from(imagePng(x, { scale: 3 })));
  assert.deepEqual([big.width, big.height], [6, 6]);
  for (let y = 0; y < 6; y++) {
    for (let c = 0; c < 6; c++) {
      const i = (y * 6 + c) * 4;
      const j = (Math.floor(y / 3) * 2 + Math.floor(c / 3)) * 4;
      assert.deepEqual([...big.data.subarray(i, i + 4)], [...one.data.subarray(j, j + 4)], `pixel (${c}, ${y})`);
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'kindling-scale-'));
  try {
    const path = join(dir, 'big.png');
    saveImage(x, path, { scale: 3, padding: 0 });
    assert.deepEqual(readFileSync(path), Buffer.from(imagePng(x, { scale: 3 })));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  for (const scale of [0, 17, 1.5]) {
    assert.throws(() => imagePng(x, { scale }), new RegExp(`imagePng: scale must be a whole number of PNG pixels per image pixel, 1 to 16, got ${scale}`));
  }
  assert.throws(() => imagePng(x, { scal: 2 } as never), /imagePng: unknown option "scal" \(did you mean scale\?\); the options are nrow, padding, normalize, valueRange, scaleEach, padValue, scale/);
  assert.throws(() => saveImage(x, 'x.png', { nrow: 0 }), /^RangeError: saveImage: nrow must be a whole number/);
  assert.throws(() => makeGrid(x, { scale: 2 } as never), /makeGrid: unknown option "scale"/);
  // Older torchvision's range=(-1, 1), which torchvision 0.14 ignores silently: refused, saying what to write.
  for (const f of [makeGrid, imagePng]) {
    assert.throws(() => f(x, { normalize: true, range: [-1, 1] } as never), /: unknown option "range": torchvision's old name for valueRange \(torchvision 0.14 ignores range without a word\); use valueRange: \[low, high\]/);
  }
  assert.throws(() => imagePng(zeros(2000, 1, 28, 28), { scale: 16 }), /imagePng: the PNG would be 3872 × 120032 pixels \(the grid \[3, 7502, 242\] at scale 16\), more than 64,000,000: save fewer images at once, or a smaller scale/);
});
