import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  encodeMnistCsv,
  loadEmbeddedMnist,
  parseMnistCsv,
  readMnistCsv,
  writeMnistCsv,
} from '../../src/data/index.js';
import { tempDir, throwsWith } from './helpers.js';

const enc = new TextEncoder();

/** One CSV row: `label` then 784 pixels, pixel k = (k * mul + add) % 256. */
function row(label: number | string, mul = 7, add = 0): string[] {
  const fields = [String(label)];
  for (let k = 0; k < 784; k++) fields.push(String((k * mul + add) % 256));
  return fields;
}

function csv(rows: readonly (readonly string[])[], eol = '\n'): Uint8Array {
  return enc.encode(rows.map((r) => r.join(',')).join(eol) + eol);
}

test('CSV written from the IDX data reads back identical (300 training images)', () => {
  const train = loadEmbeddedMnist('train');
  const images = train.images.subarray(0, 300 * 784);
  const labels = train.labels.subarray(0, 300);
  const dir = tempDir();
  const path = join(dir, 'mnist_train.csv');
  writeMnistCsv(path, images, labels);
  const text = readFileSync(path, 'utf8');
  // The first row in the chapter's format: label 5, then 784 pixels, no header.
  const first = text.slice(0, text.indexOf('\n')).split(',');
  assert.equal(first.length, 785);
  assert.equal(first[0], '5');
  assert.equal(first.slice(1).reduce((s, v) => s + Number(v), 0), 27525);
  const back = readMnistCsv(path);
  assert.equal(back.count, 300);
  assert.deepEqual(back.labels, new Uint8Array(labels));
  assert.deepEqual(back.images, new Uint8Array(images));
});

test('a header row is detected and skipped', () => {
  const train = loadEmbeddedMnist('test');
  const bytes = encodeMnistCsv(train.images.subarray(0, 5 * 784), train.labels.subarray(0, 5), { header: true });
  assert.ok(new TextDecoder().decode(bytes.subarray(0, 10)).startsWith('label,1x1,'));
  const back = parseMnistCsv(bytes, 'h.csv');
  assert.equal(back.count, 5);
  assert.deepEqual(Array.from(back.labels), [7, 2, 1, 0, 4]);
  assert.deepEqual(back.images, new Uint8Array(train.images.subarray(0, 5 * 784)));
  // Kaggle-style names work too.
  const kaggle = ['label', ...Array.from({ length: 784 }, (_, i) => `pixel${i}`)];
  const parsed = parseMnistCsv(csv([kaggle, row(3)]), 'k.csv');
  assert.equal(parsed.count, 1);
  assert.equal(parsed.labels[0], 3);
});

test('CRLF line breaks, blank lines, a BOM, spaces, 12.0 values and a missing final newline are accepted', () => {
  const a = row(1, 3, 1);
  const b = row(9, 5, 2);
  const text = `\ufeff${a.join(',')}\r\n\r\n ${b.map((v, i) => (i === 4 ? ` ${v}.0 ` : v)).join(',')}`;
  const parsed = parseMnistCsv(enc.encode(text), 'mixed.csv');
  assert.equal(parsed.count, 2);
  assert.deepEqual(Array.from(parsed.labels), [1, 9]);
  assert.deepEqual(Array.from(parsed.images.subarray(0, 784)), a.slice(1).map(Number));
  assert.deepEqual(Array.from(parsed.images.subarray(784)), b.slice(1).map(Number));
});

test('lone CR and LF line breaks mixed in one file: every row is read', () => {
  // Six rows ended \r, \n, \r, \n, \r, \n: more rows than either byte alone counts.
  const rows = [0, 1, 2, 3, 4, 5].map((k) => row(k, 3 + k, k));
  const text = rows.map((r, k) => r.join(',') + (k % 2 === 0 ? '\r' : '\n')).join('');
  const parsed = parseMnistCsv(enc.encode(text), 'mixed-breaks.csv');
  assert.equal(parsed.count, 6);
  assert.equal(parsed.images.length, 6 * 784);
  assert.deepEqual(Array.from(parsed.labels), [0, 1, 2, 3, 4, 5]);
  rows.forEach((r, k) => assert.deepEqual(Array.from(parsed.images.subarray(k * 784, (k + 1) * 784)), r.slice(1).map(Number), `row ${k}`));
});

test('a row with too few or too many columns names the line and the count', () => {
  const short = row(2).slice(0, 700);
  throwsWith(() => parseMnistCsv(csv([row(1), row(2), short]), 'short.csv'), [
    'short.csv line 3',
    '700 columns',
    'expected 785',
  ]);
  const long = [...row(4), '0'];
  throwsWith(() => parseMnistCsv(csv([row(1), long]), 'long.csv'), ['long.csv line 2', '786 columns', 'expected 785']);
  // The line number counts the header and blank lines, as an editor shows it.
  const header = ['label', ...Array.from({ length: 784 }, (_, i) => `p${i}`)];
  const text = `${header.join(',')}\n${row(1).join(',')}\n\n${short.join(',')}\n`;
  throwsWith(() => parseMnistCsv(enc.encode(text), 'h.csv'), ['h.csv line 4', '700 columns']);
  // A short row whose first value is no label (42) or that holds a pixel over 255 is still named by its width first.
  const shortHigh = row(42).slice(0, 700);
  assert.equal(parseError(() => parseMnistCsv(csv([row(1), shortHigh]), 'sh.csv')), 'sh.csv line 2: 700 columns, expected 785 (a label then 784 pixel values)');
  const shortPixel = row(3).slice(0, 700);
  shortPixel[5] = '300';
  assert.equal(parseError(() => parseMnistCsv(csv([shortPixel]), 'sp.csv')), 'sp.csv line 1: 700 columns, expected 785 (a label then 784 pixel values)');
  const bare = row(0).slice(1, 700);
  bare[0] = '999';
  assert.equal(parseError(() => parseMnistCsv(csv([row(0).slice(1), bare]), 'b.csv', { labels: 'auto' })), 'b.csv line 2: 699 columns, expected 784 (pixel values, no label)');
});

test('a non-numeric or out-of-range value names the line and column', () => {
  const bad = row(3);
  bad[10] = 'abc';
  throwsWith(() => parseMnistCsv(csv([row(1), bad]), 'nan.csv'), ['nan.csv line 2, column 11', '"abc"', 'not a whole number', '0–255']);
  const frac = row(3);
  frac[5] = '12.5';
  throwsWith(() => parseMnistCsv(csv([frac]), 'f.csv'), ['f.csv line 1, column 6', '"12.5"']);
  const neg = row(3);
  neg[784] = '-1';
  throwsWith(() => parseMnistCsv(csv([neg]), 'neg.csv'), ['neg.csv line 1, column 785', '"-1"']);
  const empty = row(3);
  empty[2] = '';
  throwsWith(() => parseMnistCsv(csv([empty]), 'e.csv'), ['e.csv line 1, column 3', '(empty)']);
  const big = row(3);
  big[300] = '256';
  throwsWith(() => parseMnistCsv(csv([row(0), row(0), big]), 'big.csv'), ['big.csv line 3, column 301', 'pixel value 256', 'outside 0–255']);
  throwsWith(() => parseMnistCsv(csv([row(0), row(10)]), 'label.csv'), ['label.csv line 2, column 1', 'label 10', 'outside 0–9']);
  throwsWith(() => parseMnistCsv(csv([row(0), row('x')]), 'lx.csv'), ['lx.csv line 2, column 1', 'label "x"']);
  // A value too large for exact arithmetic is quoted as the file writes it, not as the number it rounds to.
  const huge = row(3);
  huge[100] = '9'.repeat(20);
  assert.equal(parseError(() => parseMnistCsv(csv([row(0), row(0), huge]), 'h.csv')), `h.csv line 3, column 101: pixel value ${'9'.repeat(20)} is outside 0–255`);
  huge[100] = '9'.repeat(400);
  assert.equal(parseError(() => parseMnistCsv(csv([huge]), 'h.csv')), `h.csv line 1, column 101: pixel value ${'9'.repeat(20)}… is outside 0–255`);
  assert.equal(parseError(() => parseMnistCsv(csv([row('9'.repeat(400))]), 'l.csv')), `l.csv line 1, column 1: label ${'9'.repeat(20)}… is outside 0–9`);
});

test('an empty file, a blank file and a header-only file are reported', () => {
  throwsWith(() => parseMnistCsv(new Uint8Array(0), 'empty.csv'), ['empty.csv', 'empty']);
  throwsWith(() => parseMnistCsv(enc.encode('\n\n  \n'), 'blank.csv'), ['blank.csv', 'empty']);
  const header = ['label', ...Array.from({ length: 784 }, (_, i) => `p${i}`)];
  throwsWith(() => parseMnistCsv(csv([header]), 'head.csv'), ['head.csv', 'header row but no data rows']);
  throwsWith(() => parseMnistCsv(enc.encode('label,a,b\n1,2,3\n'), 'narrow.csv'), ['narrow.csv line 1', 'header', '3 columns']);
});

test('binary data under a CSV name is named as such; a garbled header field is shown with escapes, not raw bytes', () => {
  const idxLike = new Uint8Array([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3]);
  throwsWith(() => parseMnistCsv(idxLike, 'imgs_test.csv'), ['imgs_test.csv', 'binary data, not CSV text', 'IDX']);
  const bell = enc.encode('\u0007ab\u0008,p1,p2\n1,2,3\n');
  const err = throwsWith(() => parseMnistCsv(bell, 'bell.csv'), ['bell.csv line 1']).message;
  assert.match(err, /bell\.csv line 1: looks like a header \(first field "\\x07ab\\x08" is not a number\)/);
  assert.doesNotMatch(err, /[\u0000-\u001f]/);
});

test('a first row of pixel values with a bad first value is a data row whose error names line 1, not a header to skip', () => {
  for (const [label, message] of [['-1', 'label'], ['x', 'label'], ['-0', 'label']] as const) {
    const bytes = csv([row(label), row(3)]);
    const err = throwsWith(() => parseMnistCsv(bytes, 'neg.csv'), ['neg.csv line 1']).message;
    assert.match(err, new RegExp(message), err);
  }
  // A real header (names after the first field too) is still skipped.
  assert.equal(parseMnistCsv(csv([['label', ...Array.from({ length: 784 }, (_, i) => `pixel${i}`)], row(3)]), 'h.csv').count, 1);
});

test('a gzipped CSV file is read like a plain one', async () => {
  const { gzipSync } = await import('node:zlib');
  const dir = tempDir();
  const path = join(dir, 'mnist_test.csv.gz');
  writeFileSync(path, gzipSync(csv([row(6, 11, 3), row(8, 13, 5)])));
  const parsed = readMnistCsv(path);
  assert.deepEqual(Array.from(parsed.labels), [6, 8]);
  assert.equal(parsed.images[784 + 1], 18);
});

test('rows without a label: labels false, or auto deciding by the header\'s or the first row\'s width', () => {
  const pixels = row(0).slice(1);
  const bare = parseMnistCsv(csv([pixels, row(0, 3).slice(1)]), 'bare.csv', { labels: false });
  assert.equal(bare.labeled, false);
  assert.equal(bare.count, 2);
  assert.deepEqual(Array.from(bare.images.subarray(0, 784)), pixels.map(Number));
  assert.deepEqual(Array.from(bare.labels), [0, 0]);
  const auto = parseMnistCsv(csv([pixels]), 'a.csv', { labels: 'auto' });
  assert.equal(auto.labeled, false);
  assert.deepEqual(Array.from(auto.images), pixels.map(Number));
  const labelled = parseMnistCsv(csv([row(4)]), 'l.csv', { labels: 'auto' });
  assert.equal(labelled.labeled, true);
  assert.equal(labelled.labels[0], 4);
  // A Kaggle test.csv header (pixel0…pixel783) decides too, and columns are counted without a label column.
  const header = Array.from({ length: 784 }, (_, i) => `pixel${i}`);
  const withHeader = parseMnistCsv(csv([header, pixels]), 'k.csv', { labels: 'auto' });
  assert.equal(withHeader.labeled, false);
  const badValue = [...pixels];
  badValue[9] = '300';
  throwsWith(() => parseMnistCsv(csv([badValue]), 'v.csv', { labels: false }), ['v.csv line 1, column 10', 'outside 0–255']);
  // With auto, a first row of neither width names both widths; a later row, the one the first row chose.
  const short = pixels.slice(1);
  assert.equal(throwsWith(() => parseMnistCsv(csv([short]), 's.csv', { labels: 'auto' }), []).message,
    's.csv line 1: 783 columns, expected 785 (a label then 784 pixel values) or 784 (pixel values, no label)');
  assert.equal(throwsWith(() => parseMnistCsv(csv([pixels, short]), 's.csv', { labels: 'auto' }), []).message,
    's.csv line 2: 783 columns, expected 784 (pixel values, no label)');
  // The chapter's format stays the default: 784 columns there are an error, which says what the file is.
  const unlabelled = 'has 784 columns, pixel values with no label (unlabelled images, which kindling predict classifies); kindling eval, train and preview need labelled data: 785 columns, a label then 784 pixel values';
  assert.equal(throwsWith(() => parseMnistCsv(csv([pixels]), 'c.csv'), []).message, `c.csv line 1: the first row ${unlabelled}`);
  // Blank lines before the first row: the row's own line is named.
  assert.equal(throwsWith(() => parseMnistCsv(enc.encode(`\n\n${pixels.join(',')}\n`), 'c.csv'), []).message, `c.csv line 3: the first row ${unlabelled}`);
  // Kaggle's test.csv, header and all: not "looks like a header … expected 785".
  assert.equal(throwsWith(() => parseMnistCsv(csv([header, pixels]), 'kaggle_test.csv'), []).message, `kaggle_test.csv line 1: the header ${unlabelled}`);
  // A header of 784 names that names a label column holds a label and 783 pixels: not read as 784 pixels.
  for (const [names, at] of [[['label', ...header.slice(0, 783)], 1], [[...header.slice(0, 783), '"Class"'], 784]] as const) {
    for (const labels of ['auto', false] as const) {
      assert.equal(parseError(() => parseMnistCsv(csv([names, pixels]), 'l.csv', { labels })),
        `l.csv line 1: the header has 784 columns and names column ${at} "${at === 1 ? 'label' : 'Class'}": a label and 783 pixel values; expected 785 (a label then 784 pixel values) or 784 (pixel values, no label)`);
    }
  }
  // A labelled file with one short row further down is still a broken row, not unlabelled data.
  throwsWith(() => parseMnistCsv(csv([row(1), pixels]), 'd.csv'), ['d.csv line 2: 784 columns, expected 785']);
});

test('values in double quotes read as plain ones; a quoted header is still a header', () => {
  const quote = (r: readonly string[]): string[] => r.map((v) => `"${v}"`);
  const plain = parseMnistCsv(csv([row(4), row(9, 5, 1)]), 'plain.csv');
  const quoted = parseMnistCsv(csv([quote(row(4)), quote(row(9, 5, 1))], '\r\n'), 'quoted.csv');
  assert.equal(quoted.count, 2);
  assert.deepEqual(Array.from(quoted.labels), [4, 9]);
  assert.deepEqual(quoted.images, plain.images);
  // Quotes around some values only, with spaces outside them and a `12.0`.
  const mixed = row(2);
  mixed[3] = ` "${mixed[3]}.0" `;
  assert.deepEqual(parseMnistCsv(csv([mixed]), 'mixed.csv').images, parseMnistCsv(csv([row(2)]), 'p.csv').images);
  const header = quote(['label', ...Array.from({ length: 784 }, (_, i) => `pixel${i}`)]);
  assert.equal(parseMnistCsv(csv([header, quote(row(7))]), 'qh.csv').count, 1);
  // A quote that does not close, or closes after a fraction, is named with its line and column.
  const open = row(3);
  open[10] = '"21';
  throwsWith(() => parseMnistCsv(csv([row(1), open]), 'open.csv'), ['open.csv line 2, column 11', 'pixel value ""21"']);
  // A quoted bad label on the first row is a data row's error, not a header skipped.
  throwsWith(() => parseMnistCsv(csv([quote(row('-1')), row(3)]), 'ql.csv'), ['ql.csv line 1, column 1', 'label']);
});

test('a header row that numbers the columns (pandas: 0,1,…,784) is skipped; the count decides the label column', () => {
  const numbers = (from: number, n: number): string[] => Array.from({ length: n }, (_, i) => String(from + i));
  for (const [from, eol] of [[0, '\n'], [1, '\r\n']] as const) {
    const parsed = parseMnistCsv(csv([numbers(from, 785), row(6), row(2, 3)], eol), 'pandas.csv');
    assert.equal(parsed.count, 2);
    assert.deepEqual(Array.from(parsed.labels), [6, 2]);
    assert.deepEqual(Array.from(parsed.images.subarray(0, 4)), [0, 7, 14, 21]);
  }
  const quoted = parseMnistCsv(csv([numbers(0, 785).map((v) => `"${v}"`), row(6)]), 'q.csv');
  assert.equal(quoted.count, 1);
  // 784 numbered columns are images without labels: auto reads them so, and the default names what the file is.
  const bare = parseMnistCsv(csv([numbers(0, 784), row(0).slice(1)]), 'bare.csv', { labels: 'auto' });
  assert.equal(bare.labeled, false);
  assert.equal(bare.count, 1);
  throwsWith(() => parseMnistCsv(csv([numbers(0, 784), row(0).slice(1)]), 'bare.csv'), ['bare.csv line 1: the header has 784 columns']);
  // Numbered but of another width: a header with the wrong width, named as such.
  throwsWith(() => parseMnistCsv(csv([numbers(0, 300), row(1)]), 'narrow.csv'), ['narrow.csv line 1', 'fields count 0, 1, 2', '300 columns']);
  // Counting that stops short of 256 could be pixels: such a row stays a data row (here, one too short).
  throwsWith(() => parseMnistCsv(csv([numbers(0, 200), row(1)]), 'short.csv'), ['short.csv line 1: 200 columns']);
  // A data row whose values happen to start 0, 1, 2 is read as data.
  const counting = row(0, 1);
  assert.equal(counting.slice(0, 4).join(','), '0,0,1,2');
  assert.equal(parseMnistCsv(csv([counting]), 'c.csv').count, 1);
  // A label column named, then the pixels numbered (pandas, with a label column put first): a header too.
  for (const from of [0, 1]) {
    const named = parseMnistCsv(csv([['label', ...numbers(from, 784)], row(6), row(2, 3)]), 'named.csv');
    assert.deepEqual(Array.from(named.labels), [6, 2]);
    assert.deepEqual(Array.from(named.images.subarray(784, 788)), [0, 3, 6, 9]);
  }
  // Named so, but with an id first, it is refused as the other 785-name headers are.
  throwsWith(() => parseMnistCsv(csv([['id', ...numbers(0, 784)], row(6)]), 'id.csv'), ['id.csv line 1: the header names the first column "id"']);
  throwsWith(() => parseMnistCsv(csv([['label', ...numbers(0, 700)], row(6)]), 'w.csv'), ['w.csv line 1: looks like a header', 'the others count 0, 1, 2', '701 columns']);
});

test('blank lines before a header are passed over, and the header\'s messages name its own line', () => {
  const kaggle = ['label', ...Array.from({ length: 784 }, (_, i) => `pixel${i}`)];
  const text = (lines: readonly string[]): Uint8Array => enc.encode(`${lines.join('\n')}\n`);
  const parsed = parseMnistCsv(text(['', '  ', kaggle.join(','), row(4).join(','), row(5).join(',')]), 'b.csv');
  assert.deepEqual(Array.from(parsed.labels), [4, 5]);
  const bad = row(1);
  bad[3] = 'x';
  throwsWith(() => parseMnistCsv(text(['', kaggle.join(','), row(4).join(','), bad.join(',')]), 'b.csv'), ['b.csv line 4, column 4', '"x"']);
  throwsWith(() => parseMnistCsv(text(['', '', kaggle.slice(0, 700).join(','), row(4).join(',')]), 'n.csv'), ['n.csv line 3: looks like a header', '700 columns']);
  throwsWith(() => parseMnistCsv(text(['', [...kaggle.slice(1), 'label'].join(','), row(4).join(',')]), 'l.csv'), ['l.csv line 2: the header names column 785 "label"']);
  // Without a header, blank lines first still count in the rows' line numbers.
  throwsWith(() => parseMnistCsv(text(['', '', bad.join(',')]), 'd.csv'), ['d.csv line 3, column 4', '"x"']);
});

test('a CSV written by pandas with its index (an unnamed first column) says to save it with index=False', () => {
  const kaggle = ['label', ...Array.from({ length: 784 }, (_, i) => `pixel${i}`)];
  // df.to_csv(path): the header starts with an empty name, each row with the index.
  const indexed = csv([['', ...kaggle], ['0', ...row(4)], ['1', ...row(5)]]);
  const hint = 'its first column has no name, as pandas writes its index: save with to_csv(path, index=False)';
  throwsWith(() => parseMnistCsv(indexed, 'pd.csv'), ['pd.csv line 1: looks like a header', '786 columns', hint]);
  // Pixels only, for predict: 785 names, the first empty.
  const pixels = csv([['', ...kaggle.slice(1)], ['0', ...row(4).slice(1)]]);
  throwsWith(() => parseMnistCsv(pixels, 'px.csv', { labels: false }), ['px.csv line 1: looks like a header', '785 columns', hint]);
  // A header of the wrong width whose first name is there gets no such hint.
  assert.doesNotMatch(parseError(() => parseMnistCsv(csv([['x', ...kaggle], ['0', ...row(4)]]), 'x.csv')), /pandas writes its index/);
});

test('a file separated by semicolons or tabs is named as such', () => {
  const header = ['label', ...Array.from({ length: 784 }, (_, i) => `pixel${i}`)];
  const semi = enc.encode(`${header.join(';')}\n${row(1).join(';')}\n`);
  throwsWith(() => parseMnistCsv(semi, 'semi.csv'), ['semi.csv line 1: looks like a header', 'but has 1 column, expected 785', 'its values are separated by ";", and Kindling reads comma-separated files']);
  const tabs = enc.encode(`${row(1).join('\t')}\n`);
  throwsWith(() => parseMnistCsv(tabs, 'tabs.csv'), ['tabs.csv line 1: 1 column, expected 785', 'separated by tabs']);
  // A short comma-separated row says nothing about separators.
  const short = parseError(() => parseMnistCsv(csv([row(1), row(2).slice(0, 5)]), 'short.csv'));
  assert.equal(short, 'short.csv line 2: 5 columns, expected 785 (a label then 784 pixel values)');
});

function parseError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  return 'no error';
}

test('a header that puts the label elsewhere than first, or an id first, is refused: the wrong column would be read as the label', () => {
  const pixels = Array.from({ length: 784 }, (_, i) => `pixel${i}`);
  const labelLast = enc.encode(`${[...pixels, 'label'].join(',')}\n${[...row(3).slice(1), '3'].join(',')}\n`);
  assert.equal(parseError(() => parseMnistCsv(labelLast, 'last.csv')),
    'last.csv line 1: the header names column 785 "label", but Kindling reads each row\'s label from its first column and the 784 pixels after it: ' +
      'write the label first (pandas: df[["label"] + [c for c in df.columns if c != "label"]].to_csv(path, index=False))');
  const classMiddle = enc.encode(`${['pixel0', '"Class"', ...pixels.slice(1, 783)].join(',')},x\n${row(3).join(',')}\n`);
  assert.match(parseError(() => parseMnistCsv(classMiddle, 'mid.csv')), /^mid\.csv line 1: the header names column 2 "Class", but/);
  const idFirst = enc.encode(`${['id', ...pixels].join(',')}\n${row(3).join(',')}\n`);
  assert.equal(parseError(() => parseMnistCsv(idFirst, 'id.csv')),
    'id.csv line 1: the header names the first column "id", but Kindling reads each row\'s label from its first column and the 784 pixels after it: drop that column (rows of pixels alone are what kindling predict reads)');
  // The usual headers still read: label first, and Kaggle's test.csv of pixels alone.
  assert.equal(parseMnistCsv(enc.encode(`${['label', ...pixels].join(',')}\n${row(3).join(',')}\n`), 'ok.csv').labels[0], 3);
  assert.equal(parseMnistCsv(enc.encode(`${pixels.join(',')}\n${row(3).slice(1).join(',')}\n`), 'test.csv', { labels: 'auto' }).labeled, false);
});

test('pixels of 0 and 1 only (a 0–1 scale) are refused with the fix; fractions get the same hint; a few blank rows still read', () => {
  const binary = (k: number): string[] => [String(k % 10), ...Array.from({ length: 784 }, (_, i) => String(+((i + k) % 3 === 0)))];
  const rows = Array.from({ length: 12 }, (_, k) => binary(k));
  assert.equal(parseError(() => parseMnistCsv(csv(rows), 'bw.csv')),
    "bw.csv: every pixel value is 0 or 1: images on a 0–1 scale (black and white)? Kindling reads pixels on MNIST's 0–255 scale, where 1 is nearly white: multiply them by 255");
  // One real pixel value anywhere: the file is on the 0–255 scale.
  const one = rows.map((r) => r.slice());
  one[11]![400] = '255';
  assert.equal(parseMnistCsv(csv(one), 'ok.csv').count, 12);
  // However few the rows: one row of 0 and 1 alone is as nearly blank on the 0–255 scale.
  assert.match(parseError(() => parseMnistCsv(csv(rows.slice(0, 1)), 'one.csv')), /^one\.csv: every pixel value is 0 or 1/);
  // Blank images (zeros alone) say nothing about the scale: read, with or without labels.
  const blank = Array.from({ length: 12 }, (_, k) => [String(k % 10), ...new Array<string>(784).fill('0')]);
  assert.equal(parseMnistCsv(csv(blank), 'blank.csv').count, 12);
  assert.equal(parseMnistCsv(csv(blank.map((r) => r.slice(1))), 'blank.csv', { labels: 'auto' }).count, 12);
  const fractions = [...rows[0]!];
  fractions[300] = '0.0118';
  assert.equal(parseError(() => parseMnistCsv(csv([fractions]), 'f.csv')),
    'f.csv line 1, column 301: pixel value "0.0118" is not a whole number from 0–255 (pixels scaled to 0–1? Kindling reads them on MNIST\'s 0–255 scale: multiply them by 255 and round)');
});

test('UTF-16 text (Excel\'s "Unicode text") is named as such, with how to save it as UTF-8', () => {
  const text = `${row(3).join(',')}\n`;
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  const be = Buffer.from(le);
  be.swap16();
  const why = (order: string): string => `u.csv: it is UTF-16 text (${order}-endian, as Excel's "Unicode text" saves), and Kindling reads CSV as UTF-8: save it as UTF-8 (CSV UTF-8 in Excel, or iconv -f UTF-16 -t UTF-8)`;
  assert.equal(parseError(() => parseMnistCsv(le, 'u.csv')), why('little'));
  assert.equal(parseError(() => parseMnistCsv(be, 'u.csv')), why('big'));
  assert.equal(parseMnistCsv(Buffer.from(le.subarray(2).toString('utf16le')), 'ok.csv').labels[0], 3, 'the same text as UTF-8 reads');
});

test('UTF-16 text without a byte-order mark is named as such too, not as binary data', () => {
  const le = Buffer.from(`${row(3).join(',')}\n`, 'utf16le');
  const be = Buffer.from(le);
  be.swap16();
  const why = (order: string, tag: string): string => `u.csv: it is UTF-16 text (${order}-endian, without a byte-order mark), and Kindling reads CSV as UTF-8: save it as UTF-8 (iconv -f UTF-16${tag} -t UTF-8)`;
  assert.equal(parseError(() => parseMnistCsv(le, 'u.csv')), why('little', 'LE'));
  assert.equal(parseError(() => parseMnistCsv(be, 'u.csv')), why('big', 'BE'));
  // An IDX header is not taken for it, nor is other binary data with NUL bytes.
  const idx = new Uint8Array([0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 28, ...new Uint8Array(784)]);
  assert.match(parseError(() => parseMnistCsv(idx, 'i.csv')), /^i\.csv: holds binary data, not CSV text/);
  assert.match(parseError(() => parseMnistCsv(new Uint8Array([0x31, 0, 0x2c, 0, 0xff, 0, 0x32, 0, 0x0a, 0]), 'b.csv')), /^b\.csv: holds binary data/);
});
