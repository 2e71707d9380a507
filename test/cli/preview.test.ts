import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { PNG } from 'pngjs';
import { encodeMnistCsv, gridLayout, loadEmbeddedMnist } from '../../src/data/index.js';

// Runs the built CLI as a user would: bin/kindling.js loads dist/src/cli/main.js.
const bin = fileURLToPath(new URL('../../../bin/kindling.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'kindling-preview-'));
after(() => rmSync(work, { recursive: true, force: true }));

function kindling(args: readonly string[], cwd = work): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function readPng(path: string): PNG {
  return PNG.sync.read(readFileSync(path));
}

/** A fresh empty folder to run in, so that what a command wrote (or did not write) can be listed. */
function freshDir(): string {
  return mkdtempSync(join(work, 'run-'));
}

test('preview --index 13 prints the digit with its label and writes a 10× PNG', () => {
  const dir = freshDir();
  const out = join(dir, 'thirteen.png');
  const r = kindling(['preview', '--index', '13', '--out', out], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /train image 13 · label 6/);
  assert.match(r.stdout, /[▀▄█]/);
  assert.ok(r.stdout.includes(out));
  const png = readPng(out);
  assert.equal(png.width, 280);
  assert.ok(png.height > 280);
  assert.deepEqual(readdirSync(dir), ['thirteen.png']);
});

test('preview --split test writes preview-test-<index>.png in the current folder by default', () => {
  const dir = freshDir();
  const r = kindling(['preview', '--split', 'test', '--index', '3', '--style', 'shade'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /test image 3 · label 0/);
  assert.deepEqual(readdirSync(dir), ['preview-test-3.png']);
  assert.equal(readPng(join(dir, 'preview-test-3.png')).width, 280);
});

test('preview --grid 25 writes a grid PNG of the expected size and lists the labels', () => {
  const dir = freshDir();
  const r = kindling(['preview', '--grid', '25', '--split', 'test'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /labels: 7 2 1 0 4 1 4 9/);
  const png = readPng(join(dir, 'preview-grid-test.png'));
  const layout = gridLayout({ rows: 28, cols: 28 }, 25, 3);
  assert.equal(png.width, layout.width);
  assert.equal(png.height, layout.height);
});

test('preview --data reads a CSV folder', () => {
  const dir = freshDir();
  const test10 = loadEmbeddedMnist('test');
  writeFileSync(join(dir, 'mnist_test.csv'), encodeMnistCsv(test10.images.subarray(784 * 5, 784 * 10), test10.labels.subarray(5, 10)));
  const r = kindling(['preview', '--data', dir, '--split', 'test', '--index', '2', '--out', join(dir, 'p.png')], dir);
  assert.equal(r.code, 0, r.stderr);
  // Row 2 of the file is image 7 of the test set, label 9.
  assert.match(r.stdout, /test image 2 · label 9/);
});

function assertCleanFailure(r: { code: number | null; stdout: string; stderr: string }, dir: string, parts: readonly string[]): void {
  assert.notEqual(r.code, 0);
  assert.equal(r.code, 1);
  for (const part of parts) assert.ok(r.stderr.includes(part), `stderr ${JSON.stringify(r.stderr)} lacks ${part}`);
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace without --debug');
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.png') || f.endsWith('.tmp')), [], 'nothing written');
}

test('errors exit 1 with a message and no stack trace, and write nothing', () => {
  const dir = freshDir();
  assertCleanFailure(kindling(['preview', '--index', '60000'], dir), dir, ['index 60000', '0 to 59999']);
  assertCleanFailure(kindling(['preview', '--split', 'test', '--grid', '5', '--index', '9998'], dir), dir, ['past the end']);
  assertCleanFailure(kindling(['preview', '--data', join(dir, 'missing')], dir), dir, ['missing', 'does not exist']);
  writeFileSync(join(dir, 'mnist_train.csv'), '5,1,2,3\n');
  assertCleanFailure(kindling(['preview', '--data', dir], dir), dir, ['mnist_train.csv line 1', '4 columns', 'expected 785']);
  // Each option's message states its real range, whether the value is out of it or not a number at all.
  for (const [option, value, range] of [
    ['--scale', '0', 'from 1 to 64'], ['--scale', '65', 'from 1 to 64'], ['--scale', '2x', 'from 1 to 64'],
    ['--grid', '0', 'from 1 to 1000'], ['--grid', '0x5', 'from 1 to 1000'], ['--grid', '1001', 'from 1 to 1000'],
    ['--index', '-1', '0 or more'], ['--index', '1.5', '0 or more'],
  ] as const) {
    const r = kindling(['preview', option, value], dir);
    assertCleanFailure(r, dir, []);
    assert.equal(r.stderr, `kindling: option '${option} <n>' argument '${value}' is invalid. ${option} must be a whole number ${range}, got "${value}" (run with --help for usage)\n`);
  }
  // A whole number past what a number holds exactly is too large, not "not 0 or more".
  const far = kindling(['preview', '--index', '99999999999999999999'], dir);
  assertCleanFailure(far, dir, []);
  assert.equal(far.stderr, `kindling: option '--index <n>' argument '99999999999999999999' is invalid. --index: "99999999999999999999" is too large: expected a whole number up to 9,007,199,254,740,991 (run with --help for usage)\n`);
  // The ends of each range are accepted.
  for (const args of [['--scale', '1'], ['--scale', '64', '--grid', '1'], ['--grid', '1000', '--scale', '1']]) {
    const ok = freshDir();
    const r = kindling(['preview', ...args], ok);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  }
  // A grid and scale each in range but too large together: refused with the largest scale that fits, which works.
  const huge = kindling(['preview', '--grid', '400', '--scale', '64'], dir);
  assertCleanFailure(huge, dir, []);
  assert.equal(huge.stderr, 'kindling: a grid of 400 images at scale 64 would be a 35,966 × 36,366 PNG (1,308 megapixels), more than the 64 megapixels a preview draws: for 400 images, use a scale of at most 13, or fewer images\n');
  const fits = freshDir();
  assert.equal(kindling(['preview', '--grid', '400', '--scale', '13'], fits).code, 0);
  const layout = gridLayout({ rows: 28, cols: 28 }, 400, 13);
  assert.ok(layout.width * layout.height <= 64e6 && gridLayout({ rows: 28, cols: 28 }, 400, 14).width * gridLayout({ rows: 28, cols: 28 }, 400, 14).height > 64e6);
  const noFolder = kindling(['preview', '--out', join(dir, 'no', 'such', 'x.png')], dir);
  assertCleanFailure(noFolder, dir, ['the folder', 'does not exist']);
  assert.equal(noFolder.stdout, '', 'nothing drawn on the terminal before the error');
  const bad = kindling(['preview', '--index', 'abc'], dir);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /--index/);
  const debug = kindling(['--debug', 'preview', '--index', '60000'], dir);
  assert.equal(debug.code, 1);
  assert.match(debug.stderr, /^\s+at /m, '--debug shows the stack');
});

test('preview --out replaces an earlier PNG but never a file of another kind, such as a model or notes', () => {
  const dir = freshDir();
  const notes = join(dir, 'notes');
  writeFileSync(notes, 'my notes');
  // A model under a .png name: the name says PNG, the bytes do not.
  const model = join(dir, 'model.png');
  writeFileSync(model, Buffer.from([8, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0x7d, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20]));
  for (const args of [['--out', notes], ['--grid', '4', '--out', model]]) {
    const r = kindling(['preview', ...args], dir);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^kindling: --out \S+: that file exists and is not a PNG image; it is not replaced: give another name\n$/);
    assert.equal(r.stdout, '');
  }
  assert.equal(readFileSync(notes, 'utf8'), 'my notes');
  assert.equal(readFileSync(model)[8], 0x7b);
  const png = join(dir, 'digit.png');
  assert.equal(kindling(['preview', '--index', '1', '--out', png], dir).code, 0);
  const first = readFileSync(png);
  const again = kindling(['preview', '--index', '2', '--out', png], dir);
  assert.equal(again.code, 0, again.stderr);
  assert.notDeepEqual(readFileSync(png), first, 'the earlier preview was replaced');
  // A PNG of the user's own (here a preview's pixels, written again without its Software text) is not replaced.
  const drawing = join(dir, 'drawing.png');
  writeFileSync(drawing, PNG.sync.write(readPng(png)));
  const mine = readFileSync(drawing);
  for (const args of [['--index', '3'], ['--grid', '4']]) {
    const r = kindling(['preview', ...args, '--out', drawing], dir);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr, `kindling: --out ${drawing}: that PNG image exists and is not one kindling preview wrote; it is not replaced: give another name\n`);
  }
  assert.deepEqual(readFileSync(drawing), mine);
  rmSync(drawing);
  // Under preview's own default name, a PNG is an earlier preview's (one written before the Software text too).
  writeFileSync(join(dir, 'preview-train-3.png'), mine);
  const byDefault = kindling(['preview', '--index', '3'], dir);
  assert.equal(byDefault.code, 0, byDefault.stderr);
  assert.notDeepEqual(readFileSync(join(dir, 'preview-train-3.png')), mine);
  rmSync(join(dir, 'preview-train-3.png'));
  const grid = join(dir, 'grid.png');
  assert.equal(kindling(['preview', '--grid', '4', '--out', grid], dir).code, 0);
  assert.equal(kindling(['preview', '--index', '5', '--no-label', '--out', grid], dir).code, 0, 'a grid preview is replaced by a digit');
  rmSync(grid);
  // A name for another kind of file is refused by its name, existing or not: PNG bytes would be misread there.
  for (const name of ['notes.txt', 'digit.jpg', 'model.safetensors']) {
    const r = kindling(['preview', '--out', join(dir, name)], dir);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr, `kindling: --out ${join(dir, name)}: preview writes PNG images; give a name ending in .png (such as ${name.replace(/\.[a-z]+$/, '')}.png)\n`);
  }
  assert.equal(kindling(['preview', '--out', join(dir, 'DIGIT.PNG')], dir).code, 0, 'the extension in capitals');
  assert.deepEqual(readdirSync(dir).sort(), ['DIGIT.PNG', 'digit.png', 'model.png', 'notes']);
  const folder = kindling(['preview', '--out', dir], dir);
  assert.equal(folder.code, 1);
  assert.match(folder.stderr, /^kindling: --out \S+: that is a folder; give a file name such as \S+preview-train-0\.png\n$/);
});

test('preview --out naming a file it cannot read (a socket here) refuses it in one line, and leaves it', async () => {
  const { createServer } = await import('node:net');
  const { lstatSync } = await import('node:fs');
  const dir = freshDir();
  const socket = join(dir, 'digit.png');
  const server = createServer();
  await new Promise<void>((r) => server.listen(socket, () => r()));
  try {
    const r = kindling(['preview', '--out', socket], dir);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^kindling: --out \S+digit\.png: that file exists and cannot be read \(.*\), so it is not replaced: give another name\n$/);
    assert.equal(r.stdout, '');
    assert.ok(lstatSync(socket).isSocket(), 'still the socket');
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test('preview of one file named for a split shows that split without --split; an explicit other split is refused', () => {
  const dir = freshDir();
  const test10 = loadEmbeddedMnist('test');
  const csv = join(dir, 'mnist_test.csv');
  writeFileSync(csv, encodeMnistCsv(test10.images.subarray(0, 5 * 784), test10.labels.subarray(0, 5)));
  const r = kindling(['preview', '--data', csv, '--index', '3', '--style', 'shade'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /test image 3 · label 0/);
  assert.ok(readdirSync(dir).includes('preview-test-3.png'));
  const wrong = kindling(['preview', '--data', csv, '--split', 'train'], dir);
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /this file holds the test split \(by its name\), but the train split was requested/);
  // A name that says neither split is read as the default, train.
  const plain = join(dir, 'digits.csv');
  writeFileSync(plain, encodeMnistCsv(test10.images.subarray(0, 784), test10.labels.subarray(0, 1)));
  const neutral = kindling(['preview', '--data', plain, '--style', 'shade'], dir);
  assert.equal(neutral.code, 0, neutral.stderr);
  assert.match(neutral.stdout, /train image 0 · label 7/);
});
