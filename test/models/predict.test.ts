import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { noGrad } from '../../src/autograd/grad-mode.js';
import { encodeMnistCsv } from '../../src/data/csv-write.js';
import { PIXEL_SCALE } from '../../src/data/dataset.js';
import { DIGIT_BOX_KEYWORD, DIGIT_GRID_KEYWORD } from '../../src/data/preview-png.js';
import { toMnistPixels } from '../../src/data/image-input.js';
import { loadEmbeddedMnist } from '../../src/data/mnist.js';
import { withTextChunk, readTextChunk } from '../../src/io/png-text.js';
import { decodeSafetensors, encodeSafetensors } from '../../src/io/safetensors.js';
import { trainRun } from '../../src/lab/trainer.js';
import * as nn from '../../src/nn/index.js';
import { loadModel, saveModel } from '../../src/nn/serialize.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { BIN, kindling, tempFolder, variantSpec, type Ran } from './helpers.js';

const tmp = tempFolder();
after(tmp.remove);
const train = loadEmbeddedMnist('train');
const testSplit = loadEmbeddedMnist('test');
const modelPath = join(tmp.dir, 'adam.safetensors');
// A quickly trained classifier: the chapter's Adam variant, 2,000 images, one epoch.
const trained = trainRun(variantSpec('adam', { trainLimit: 2000, testLimit: 500 }), train, testSplit, {}, { files: { models: [modelPath] } });
const model = loadModel(modelPath);

function outputs(images: Uint8Array[]): Float32Array[] {
  const x = new Float32Array(images.length * 784);
  images.forEach((img, i) => img.forEach((b, k) => (x[i * 784 + k] = PIXEL_SCALE[b]!)));
  const out = noGrad(() => model.forward(new Tensor(x, [images.length, 784])).toArray());
  return images.map((_, i) => out.subarray(i * 10, (i + 1) * 10));
}
const argmax = (v: ArrayLike<number>): number => Array.from(v).reduce((b, x, i, a) => (x > a[b]! ? i : b), 0);
const testImage = (i: number): Uint8Array => testSplit.images.slice(i * 784, (i + 1) * 784);

interface Predictions {
  outputs: string;
  predictions: Array<{ input: string; row?: number; cell?: number; label?: number; predicted: number; outputs: number[] }>;
}

test('kindling eval prints the accuracy and confusion matrix the training run measured', () => {
  const r = kindling(['eval', '--model', modelPath, '--test-limit', '500', '--json'], tmp.dir);
  assert.equal(r.status, 0, r.stderr);
  const json = JSON.parse(r.stdout) as { accuracy: number; total: number; confusion: number[][]; info: { variant: string } };
  assert.equal(json.total, 500);
  assert.equal(json.accuracy, trained.accuracy);
  assert.deepEqual(json.confusion, trained.confusion);
  assert.equal(json.info.variant, 'adam');
  assert.ok(trained.accuracy > 0.7, `a useful model for the predict checks: ${trained.accuracy}`);
  const text = kindling(['eval', '--model', modelPath, '--test-limit', '500'], tmp.dir);
  assert.equal(text.status, 0, text.stderr);
  assert.ok(text.stdout.includes(`Accuracy: ${(trained.accuracy * 100).toFixed(2)}% (${Math.round(trained.accuracy * 500)} of 500)`), text.stdout);
  assert.match(text.stdout, /Linear\(784, 200\) → Sigmoid → Linear\(200, 10\) → Sigmoid/);
  const rows = text.stdout.split('\n').filter((l) => /^\s{4}\d {6}/.test(l));
  assert.equal(rows.length, 10);
  assert.deepEqual(rows[3]!.trim().split(/\s+/).slice(1, 11).map(Number), trained.confusion[3]);
});

test('kindling predict classifies CSV rows exactly as the model does in process', () => {
  const n = 8;
  const csv = join(tmp.dir, 'rows.csv');
  writeFileSync(csv, encodeMnistCsv(testSplit.images.subarray(0, n * 784), testSplit.labels.subarray(0, n)));
  const r = kindling(['predict', '--model', modelPath, csv, '--json'], tmp.dir);
  assert.equal(r.status, 0, r.stderr);
  const json = JSON.parse(r.stdout) as Predictions;
  assert.equal(json.outputs, 'sigmoid');
  const expected = outputs(Array.from({ length: n }, (_, i) => testImage(i)));
  json.predictions.forEach((p, i) => {
    assert.equal(p.row, i + 1);
    assert.equal(p.label, testSplit.labels[i]);
    assert.equal(p.predicted, argmax(expected[i]!));
    assert.deepEqual(p.outputs, Array.from(expected[i]!));
  });
  const text = kindling(['predict', '--model', modelPath, csv], tmp.dir);
  assert.match(text.stdout, /Outputs: probabilities from the model's final Sigmoid/);
  assert.match(text.stdout, new RegExp(`rows\\.csv row 1 \\(label ${testSplit.labels[0]}\\): ${argmax(expected[0]!)}\\n`));
  // Every row labelled: the last line counts the matches. One row, or a picture among them, has no such line.
  const right = json.predictions.filter((p) => p.predicted === p.label).length;
  assert.ok(text.stdout.endsWith(`\n\n${right} of ${n} predictions match their labels (${((100 * right) / n).toFixed(2)}%)\n`), text.stdout);
  const one = join(tmp.dir, 'one-row.csv');
  writeFileSync(one, encodeMnistCsv(testSplit.images.subarray(0, 784), testSplit.labels.subarray(0, 1)));
  const single = kindling(['predict', '--model', modelPath, one], tmp.dir);
  assert.equal(single.status, 0, single.stderr);
  assert.doesNotMatch(single.stdout, /match their labels/);
  const picture = join(tmp.dir, 'unlabelled-digit.png');
  writeFileSync(picture, bigPng(testImage(0), { ink: [0, 0, 0], paper: [255, 255, 255], padLeft: 0, padTop: 0 }));
  const mixed = kindling(['predict', '--model', modelPath, csv, picture], tmp.dir);
  assert.equal(mixed.status, 0, mixed.stderr);
  assert.doesNotMatch(mixed.stdout, /match their labels/);
});

test('kindling predict takes CSV rows without a label (784 columns, with or without a pixel0… header)', () => {
  const n = 3;
  const rows = Array.from({ length: n }, (_, i) => Array.from(testSplit.images.subarray(i * 784, (i + 1) * 784)).join(','));
  const header = Array.from({ length: 784 }, (_, i) => `pixel${i}`).join(',');
  const expected = outputs(Array.from({ length: n }, (_, i) => testImage(i)));
  for (const [name, text] of [['bare.csv', rows.join('\n')], ['kaggle.csv', [header, ...rows].join('\n')]] as const) {
    const file = join(tmp.dir, name);
    writeFileSync(file, `${text}\n`);
    const r = kindling(['predict', '--model', modelPath, file, '--json'], tmp.dir);
    assert.equal(r.status, 0, r.stderr);
    const json = JSON.parse(r.stdout) as Predictions;
    json.predictions.forEach((p, i) => {
      assert.equal(p.row, i + 1);
      assert.equal(p.label, undefined);
      assert.deepEqual(p.outputs, Array.from(expected[i]!));
    });
    const plain = kindling(['predict', '--model', modelPath, file], tmp.dir);
    assert.match(plain.stdout, new RegExp(`${name.replace('.', '\\.')} row 1: ${argmax(expected[0]!)}\n`));
  }
  // A row of another width is still an error naming the line and both widths it could have.
  const bad = join(tmp.dir, 'bad.csv');
  writeFileSync(bad, `${rows[0]}\n${rows[1]},7\n`);
  const r = kindling(['predict', '--model', modelPath, bad], tmp.dir);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /bad\.csv line 2: 785 columns, expected 784 \(pixel values, no label\)/);
});

test('kindling predict reads gzipped CSV files, as eval and train do (by their contents, whatever the name; a plain file named .gz too)', () => {
  const rows = [0, 1].map((i) => `${testSplit.labels[i]},${Array.from(testImage(i)).join(',')}`).join('\n');
  const expected = outputs([testImage(0), testImage(1)]);
  // The last: a plain file under a .gz name (as a browser may save a download it has already unpacked).
  for (const [name, data] of [['rows.csv.gz', gzipSync(`${rows}\n`)], ['gzipped.csv', gzipSync(`${rows}\n`)], ['unpacked.csv.gz', `${rows}\n`]] as const) {
    const file = join(tmp.dir, name);
    writeFileSync(file, data);
    const r = kindling(['predict', '--model', modelPath, file, '--json'], tmp.dir);
    assert.equal(r.status, 0, `${name}: ${r.stderr}`);
    const json = JSON.parse(r.stdout) as Predictions;
    assert.deepEqual(json.predictions.map((p) => p.label), [testSplit.labels[0], testSplit.labels[1]]);
    json.predictions.forEach((p, i) => assert.deepEqual(p.outputs, Array.from(expected[i]!)));
  }
  const damaged = join(tmp.dir, 'damaged.csv.gz');
  writeFileSync(damaged, gzipSync(`${rows}\n`).subarray(0, 40));
  const r = kindling(['predict', '--model', modelPath, damaged], tmp.dir);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /damaged\.csv\.gz: the gzip data is damaged or truncated/);
});

/** A test image as a big PNG: scaled ×5, inverted to dark ink on a light background, in colour, with padding. */
function bigPng(img: Uint8Array, opts: { ink: number[]; paper: number[]; alpha?: boolean; padLeft: number; padTop: number }): Buffer {
  const scale = 5;
  const w = 28 * scale + opts.padLeft + 13;
  const h = 28 * scale + opts.padTop + 29;
  const png = new PNG({ width: w, height: h, colorType: opts.alpha ? 6 : 2 });
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const sx = Math.floor((x - opts.padLeft) / scale);
      const sy = Math.floor((y - opts.padTop) / scale);
      const v = sx >= 0 && sx < 28 && sy >= 0 && sy < 28 ? img[sy * 28 + sx]! / 255 : 0;
      const at = (y * w + x) * 4;
      if (opts.alpha) {
        png.data.set([...opts.ink, Math.round(v * 255)], at);
      } else {
        for (let c = 0; c < 3; c++) png.data[at + c] = Math.round(opts.paper[c]! + (opts.ink[c]! - opts.paper[c]!) * v);
        png.data[at + 3] = 255;
      }
    }
  }
  return PNG.sync.write(png, { colorType: opts.alpha ? 6 : 2 });
}

test('kindling predict on big, inverted, coloured PNGs gives the class the model gives the original images', () => {
  // Images the model classifies with a clear margin, so the check is about the preprocessing, not a coin toss.
  const chosen: number[] = [];
  const outs = outputs(Array.from({ length: 60 }, (_, i) => testImage(i)));
  outs.forEach((o, i) => {
    const sorted = Array.from(o).sort((a, b) => b - a);
    if (chosen.length < 6 && sorted[0]! - sorted[1]! > 0.3) chosen.push(i);
  });
  assert.equal(chosen.length, 6);
  const styles = [
    { ink: [0, 0, 0], paper: [255, 255, 255], padLeft: 0, padTop: 0 },
    { ink: [20, 30, 140], paper: [250, 235, 160], padLeft: 57, padTop: 11 },
    { ink: [0, 0, 0], paper: [0, 0, 0], alpha: true, padLeft: 23, padTop: 71 },
  ];
  const files = chosen.map((idx, k) => {
    const file = join(tmp.dir, `digit-${idx}.png`);
    writeFileSync(file, bigPng(testImage(idx), styles[k % styles.length]!));
    // What the model sees is close to the original 28 × 28 image (MNIST's own preprocessing, undone and redone).
    const { data, width, height } = PNG.sync.read(readFileSync(file));
    const seen = toMnistPixels(data, width, height);
    const meanDiff = seen.reduce((a, v, i) => a + Math.abs(v - testImage(idx)[i]!), 0) / 784;
    assert.ok(meanDiff < 3, `image ${idx}: mean |difference| ${meanDiff.toFixed(1)} grey levels`);
    return file;
  });
  const r = kindling(['predict', '--model', modelPath, ...files, '--json'], tmp.dir);
  assert.equal(r.status, 0, r.stderr);
  const json = JSON.parse(r.stdout) as Predictions;
  assert.deepEqual(json.predictions.map((p) => p.predicted), chosen.map((i) => argmax(outs[i]!)));
});

test('preview --no-label writes an image predict reads as the original digit; the labelled preview says how', () => {
  // Test image 13, which this model classifies with a clear margin.
  const idx = 13;
  const plain = join(tmp.dir, 'preview-plain.png');
  const shown = kindling(['preview', '--split', 'test', '--index', String(idx), '--no-label', '--out', plain], tmp.dir);
  assert.equal(shown.status, 0, shown.stderr);
  const { data, width, height } = PNG.sync.read(readFileSync(plain));
  assert.deepEqual([width, height], [280, 280], 'no caption strip');
  const seen = toMnistPixels(data, width, height);
  const meanDiff = seen.reduce((a, v, i) => a + Math.abs(v - testImage(idx)[i]!), 0) / 784;
  assert.ok(meanDiff < 3, `mean |difference| ${meanDiff.toFixed(1)} grey levels`);
  const r = kindling(['predict', '--model', modelPath, plain, '--json'], tmp.dir);
  assert.equal(r.status, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as Predictions).predictions[0]!.predicted, argmax(outputs([testImage(idx)])[0]!));
  const labelled = kindling(['preview', '--split', 'test', '--index', String(idx), '--out', join(tmp.dir, 'labelled.png')], tmp.dir);
  assert.match(labelled.stdout, /with its label under it; --no-label writes the digit alone, for kindling predict/);
  const grid = kindling(['preview', '--grid', '4', '--no-label'], tmp.dir);
  assert.equal(grid.status, 1);
  assert.match(grid.stderr, /--no-label is for one image/);
});

test('predict classifies each cell of a preview grid, with the labels the grid wrote under them', () => {
  const start = 40;
  const n = 7;
  const file = join(tmp.dir, 'grid.png');
  const made = kindling(['preview', '--grid', String(n), '--split', 'test', '--index', String(start), '--out', file], tmp.dir);
  assert.equal(made.status, 0, made.stderr);
  const r = kindling(['predict', '--model', modelPath, file, '--json'], tmp.dir);
  assert.equal(r.status, 0, r.stderr);
  const { predictions } = JSON.parse(r.stdout) as Predictions;
  const labels = Array.from(testSplit.labels.subarray(start, start + n));
  assert.deepEqual(predictions.map((p) => [p.cell, p.label]), labels.map((l, k) => [k + 1, l]));
  // Each cell is read as its own digit: where the model is sure of an original image, the cell gets its answer.
  const outs = outputs(labels.map((_, k) => testImage(start + k)));
  let sure = 0;
  outs.forEach((o, k) => {
    const sorted = Array.from(o).sort((a, b) => b - a);
    if (sorted[0]! - sorted[1]! < 0.5) return;
    sure++;
    assert.equal(predictions[k]!.predicted, argmax(o), `cell ${k + 1}`);
  });
  assert.ok(sure >= 4, `${sure} cells with a clear margin`);
  // The text output names the cells and counts the matches.
  const text = kindling(['predict', '--model', modelPath, file], tmp.dir);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, new RegExp(`grid\\.png cell 3 \\(label ${labels[2]}\\): ${predictions[2]!.predicted}\n`));
  const right = predictions.filter((p) => p.predicted === p.label).length;
  assert.match(text.stdout, new RegExp(`\n${right} of ${n} predictions match their labels \\(${((100 * right) / n).toFixed(2)}%\\)\n$`));
});

test('a grid resized since preview wrote it, or with a layout that does not fit, is read as one picture, with a note', () => {
  const file = join(tmp.dir, 'grid4.png');
  assert.equal(kindling(['preview', '--grid', '4', '--split', 'test', '--out', file], tmp.dir).status, 0);
  const bytes = readFileSync(file);
  const { width, height } = PNG.sync.read(bytes);
  const layout = readTextChunk(bytes, DIGIT_GRID_KEYWORD)!;
  assert.deepEqual([JSON.parse(layout).width, JSON.parse(layout).height], [width, height]);
  // The same picture at twice the size, its text chunk carried over (as editors that keep tEXt chunks do).
  const src = PNG.sync.read(bytes);
  const big = new PNG({ width: 2 * width, height: 2 * height });
  for (let y = 0; y < 2 * height; y++) for (let x = 0; x < 2 * width; x++) src.data.copy(big.data, 4 * (y * 2 * width + x), 4 * ((y >> 1) * width + (x >> 1)), 4 * ((y >> 1) * width + (x >> 1)) + 4);
  const resized = join(tmp.dir, 'grid4-2x.png');
  writeFileSync(resized, withTextChunk(new Uint8Array(PNG.sync.write(big)), DIGIT_GRID_KEYWORD, layout));
  const cases: Array<[string, string, RegExp]> = [
    [resized, 'resized', new RegExp(`the grid was ${width} × ${height} pixels and this picture is ${2 * width} × ${2 * height} \\(resized or cropped since\\)`)],
  ];
  // Layouts that do not fit: too many boxes, boxes that cover more than the picture (the whole picture twice), a bad
  // label (not a digit).
  const hostile = (name: string, grid: unknown): string => {
    const path = join(tmp.dir, name);
    writeFileSync(path, withTextChunk(new Uint8Array(PNG.sync.write(src)), DIGIT_GRID_KEYWORD, JSON.stringify(grid)));
    return path;
  };
  const whole = [0, 0, width, height];
  cases.push(
    [hostile('many.png', { width, height, boxes: Array.from({ length: 1001 }, () => [0, 0, 1, 1]), labels: new Array(1001).fill(1) }), 'many', /does not list 1 to 1000 boxes with a label each/],
    [hostile('overlap.png', { width, height, boxes: [whole, whole], labels: [1, 2] }), 'overlap', /its boxes cover more than the picture/],
    [hostile('label.png', { width, height, boxes: [[0, 0, 10, 10]], labels: [1.5] }), 'label', /cell 1's box or label is not one inside the picture/],
    [hostile('label42.png', { width, height, boxes: [[0, 0, 10, 10]], labels: [42] }), 'label 42', /cell 1's box or label is not one inside the picture/],
    [hostile('json.png', '{'), 'json', /the layout gives no size|not valid JSON/],
  );
  for (const [path, what, why] of cases) {
    const r = kindling(['predict', '--model', modelPath, path, '--json'], tmp.dir);
    assert.equal(r.status, 0, `${what}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`^kindling: note: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} carries the layout of a kindling preview grid, but `), what);
    assert.match(r.stderr, why, what);
    assert.match(r.stderr, /: it is read as one picture\n$/, what);
    const { predictions } = JSON.parse(r.stdout) as Predictions;
    assert.equal(predictions.length, 1, what);
    assert.equal(predictions[0]!.cell, undefined, what);
  }
});

test('a captioned preview cropped since preview wrote it is read whole, with a note, not through its stale digit box', () => {
  const file = join(tmp.dir, 'six.png');
  assert.equal(kindling(['preview', '--split', 'test', '--index', '11', '--out', file], tmp.dir).status, 0);
  const bytes = readFileSync(file);
  const src = PNG.sync.read(bytes);
  const box = readTextChunk(bytes, DIGIT_BOX_KEYWORD)!;
  assert.deepEqual(box.split(' ').map(Number), [0, 0, src.width, 280, src.width, src.height], 'the box, then the picture\'s size');
  // 30 rows cropped off the top, the text chunk kept (as Pillow keeps it): the old box now reaches into the caption.
  const cropped = new PNG({ width: src.width, height: src.height - 30 });
  src.data.copy(cropped.data, 0, 4 * 30 * src.width);
  const plain = new Uint8Array(PNG.sync.write(cropped));
  const run = (name: string, png: Uint8Array): { stderr: string; outputs: number[] } => {
    const path = join(tmp.dir, name);
    writeFileSync(path, png);
    const r = kindling(['predict', '--model', modelPath, path, '--json'], tmp.dir);
    assert.equal(r.status, 0, r.stderr);
    return { stderr: r.stderr, outputs: (JSON.parse(r.stdout) as Predictions).predictions[0]!.outputs };
  };
  const edited = run('six-crop.png', withTextChunk(plain, DIGIT_BOX_KEYWORD, box));
  assert.match(edited.stderr, /six-crop\.png carries where the digit of a kindling preview is, but the preview was \d+ × \d+ pixels and this picture is \d+ × \d+ \(resized or cropped since\): it is read as one picture\n$/);
  assert.deepEqual(edited.outputs, run('six-bare.png', plain).outputs, 'the same as the picture without the chunk');
  // A preview made before the size was recorded (four numbers) still has its digit read through the box.
  const old = run('six-old.png', withTextChunk(new Uint8Array(PNG.sync.write(src)), DIGIT_BOX_KEYWORD, box.split(' ').slice(0, 4).join(' ')));
  assert.equal(old.stderr, '');
  assert.deepEqual(old.outputs, run('six-new.png', bytes).outputs);
  // A box of another length is set aside too.
  assert.match(run('six-five.png', withTextChunk(plain, DIGIT_BOX_KEYWORD, '0 0 10 10 5')).stderr, /the box is not four or six numbers: it is read as one picture/);
});

test('predict says so when a picture is blank (no ink found) instead of passing the answer off as a reading', () => {
  const blank = new PNG({ width: 40, height: 30 });
  blank.data.fill(255);
  const file = join(tmp.dir, 'blank.png');
  writeFileSync(file, PNG.sync.write(blank));
  const text = kindling(['predict', '--model', modelPath, file], tmp.dir);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /blank\.png: \d \(a blank image: nothing stands out from the background/);
  const json = JSON.parse(kindling(['predict', '--model', modelPath, file, '--json'], tmp.dir).stdout) as { predictions: { blank: boolean }[] };
  assert.equal(json.predictions[0]!.blank, true);
  const digit = join(tmp.dir, 'digit-blankcheck.png');
  writeFileSync(digit, bigPng(testImage(3), { ink: [0, 0, 0], paper: [255, 255, 255], padLeft: 0, padTop: 0 }));
  const read = JSON.parse(kindling(['predict', '--model', modelPath, digit, '--json'], tmp.dir).stdout) as { predictions: { blank: boolean }[] };
  assert.equal(read.predictions[0]!.blank, false);
});

test('predict and eval: bad inputs are clear errors with exit 1 and no stack trace', () => {
  const notPng = join(tmp.dir, 'fake.png');
  writeFileSync(notPng, 'hello');
  const cut = join(tmp.dir, 'cut.png');
  writeFileSync(cut, bigPng(testImage(0), { ink: [0, 0, 0], paper: [255, 255, 255], padLeft: 0, padTop: 0 }).subarray(0, 200));
  const noArch = join(tmp.dir, 'weights-only.safetensors');
  const raw = decodeSafetensors(readFileSync(modelPath), modelPath);
  writeFileSync(noArch, encodeSafetensors(raw.tensors, { format: 'pt' }));
  const truncated = join(tmp.dir, 'truncated.safetensors');
  writeFileSync(truncated, readFileSync(modelPath).subarray(0, 5000));
  const five = join(tmp.dir, 'five.safetensors');
  saveModel(new nn.Sequential(new nn.Linear(784, 5), new nn.Sigmoid()), five);
  // A GAN's discriminator: one output per image.
  const one = join(tmp.dir, 'one.safetensors');
  saveModel(new nn.Sequential(new nn.Linear(784, 1), new nn.Sigmoid()), one);
  const wide = join(tmp.dir, 'wide.safetensors');
  saveModel(new nn.Sequential(new nn.Linear(100, 10)), wide);
  // One NaN in a corner pixel's weights (an input that is 0 in nearly every image): PyTorch's outputs would all be NaN.
  const poisoned = join(tmp.dir, 'nan.safetensors');
  const nanModel = loadModel(modelPath);
  nanModel.parameters()[0]!.data[0] = Number.NaN;
  saveModel(nanModel, poisoned);
  // Flatten(0) merges the images of a batch: one image passes, a batch does not.
  const mixer = join(tmp.dir, 'mixer.safetensors');
  saveModel(new nn.Sequential(new nn.Flatten(0), new nn.Linear(784, 10)), mixer);
  // Softmax over the batch dimension: the right shape, but each image's outputs depend on the others'.
  const batchSoftmax = join(tmp.dir, 'softmax0.safetensors');
  saveModel(new nn.Sequential(new nn.Linear(784, 10), new nn.Softmax(0)), batchSoftmax);
  const image = join(tmp.dir, 'zero.png');
  writeFileSync(image, bigPng(testImage(0), { ink: [0, 0, 0], paper: [255, 255, 255], padLeft: 0, padTop: 0 }));
  const cases: Array<[string[], RegExp]> = [
    [['eval', '--model', mixer, '--test-limit', '10'], /mixer\.safetensors: the model cannot classify a batch of images \[2, 784\]: linear: input has 1568 features/],
    [['predict', '--model', batchSoftmax, image], /softmax0\.safetensors: the model's outputs for one image change with the other images of its batch/],
    [['eval', '--model', batchSoftmax, '--test-limit', '10'], /softmax0\.safetensors: the model's outputs for one image change/],
    [['predict', '--model', modelPath, notPng], /fake\.png is not a PNG image/],
    [['predict', '--model', modelPath, image, '--show', '--json'], /^kindling: --show draws each image on the terminal and --json prints JSON alone: give one of them\n$/],
    [['predict', '--model', modelPath, cut], /cut\.png: the PNG image cannot be decoded: its IDAT chunk at byte \d+ runs past the end of the file \([\d,]+ bytes declared\); is the file complete\?/],
    [['predict', '--model', modelPath, join(tmp.dir, 'nope.png')], /cannot read \S+nope\.png: the file does not exist/],
    [['predict', '--model', noArch, notPng], /weights-only\.safetensors has no "architecture" entry/],
    [['eval', '--model', truncated], /truncated\.safetensors: header length \d+ bytes runs past the end|truncated\.safetensors: .*(out of range|trailing)/],
    [['eval', '--model', join(tmp.dir, 'missing.safetensors')], /missing\.safetensors: the file does not exist/],
    [['eval', '--model', five, '--test-limit', '10'], /gives 5 outputs per image; a digit classifier gives 10 per image\n$/],
    [['eval', '--model', one, '--test-limit', '10'], /gives 1 output per image; a digit classifier gives 10 per image\n$/],
    [['eval', '--model', wide, '--test-limit', '10'], /the model takes 100 inputs, but the images have 784 pixels/],
    [['eval', '--model', poisoned, '--test-limit', '10'], /nan\.safetensors: 0\.weight holds 1 NaN or infinite value; such a model's outputs mean nothing/],
    [['predict', '--model', poisoned, notPng], /nan\.safetensors: 0\.weight holds 1 NaN or infinite value/],
  ];
  for (const [args, pattern] of cases) {
    const r = kindling(args, tmp.dir);
    assert.equal(r.status, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, pattern);
    assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
    assert.equal(r.stdout, '', 'nothing printed on stdout');
  }
});

test('predict classifies in batches, as eval tests: 10,000 rows go through kernels\' memory too small for one pass over them all', () => {
  const csv = join(tmp.dir, 'all-test.csv');
  writeFileSync(csv, encodeMnistCsv(testSplit.images, testSplit.labels));
  // A 256 MB heap gives the kernels 32 MiB: one pass over 10,000 rows needs 31 MB for its input alone.
  const env = { ...process.env, NODE_OPTIONS: '--max-old-space-size=256' };
  const run = (args: string[]): Ran => {
    const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: tmp.dir, env, maxBuffer: 64 << 20 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const evaluated = run(['eval', '--model', modelPath, '--json']);
  assert.equal(evaluated.status, 0, evaluated.stderr);
  const { correct } = JSON.parse(evaluated.stdout) as { correct: number };
  const predicted = run(['predict', '--model', modelPath, 'all-test.csv']);
  assert.equal(predicted.status, 0, predicted.stderr);
  assert.match(predicted.stdout, new RegExp(`\\n${correct.toLocaleString('en-US')} of 10,000 predictions match their labels`));
  assert.equal(predicted.stdout.match(/^all-test\.csv row [\d,]+ \(label \d\): \d$/gm)?.length, 10_000);
});
