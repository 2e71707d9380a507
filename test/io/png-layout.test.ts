import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PNG } from 'pngjs';
import { decodePng, ImageError } from '../../src/io/image-file.js';
import { expectedImageBytes, imageDataProblem, MAX_PNG_SIDE, readPngHeader } from '../../src/io/png-layout.js';
import { greyRows, handPng } from './png-bytes.js';

function throwsImage(fn: () => unknown, message: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ImageError, `expected an ImageError, got ${String(err)}`);
    assert.equal(err.message, message);
    return true;
  });
}

test('a PNG whose image data holds fewer rows than its header declares is refused, not padded with zeros', () => {
  const whole = handPng({ width: 28, height: 28 });
  const img = decodePng(whole, 'whole.png');
  assert.equal(img.rgba[4 * (27 * 28 + 5)], (7 * 5 + 3 * 27) & 255, 'the last row is read');
  // pngjs alone does not refuse the short file as short: it decodes it without a word, its missing rows whatever its
  // buffer held (zeros in a fresh process), or trips over leftover bytes there as a row's filter type. decodePng
  // must catch it first.
  const short = handPng({ width: 28, height: 28, raw: greyRows(28, 14) });
  let alone: string;
  try {
    alone = `decoded ${PNG.sync.read(Buffer.from(short)).height} rows`;
  } catch (err) {
    alone = err instanceof Error ? err.message : String(err);
  }
  assert.match(alone, /^decoded 28 rows$|filter type/);
  throwsImage(
    () => decodePng(short, 'short.png'),
    'short.png: the PNG image cannot be decoded (the image data ends before the image does: it holds 14 of the 28 rows the header declares); is the file complete?',
  );
  // The same with leftovers in Node's buffer pool, where pngjs takes the image's memory from: pngjs trips over them
  // as a filter byte, and decodePng still names the cut.
  const dirtyPool = (): void => {
    const b = Buffer.allocUnsafe(1);
    new Uint8Array(b.buffer, b.byteOffset + 1).fill(199);
  };
  dirtyPool();
  assert.throws(() => PNG.sync.read(Buffer.from(short)), /Unrecognised filter type - 199/);
  dirtyPool();
  throwsImage(
    () => decodePng(short, 'short.png'),
    'short.png: the PNG image cannot be decoded (the image data ends before the image does: it holds 14 of the 28 rows the header declares); is the file complete?',
  );
  // Half a row short is short too.
  const raw = greyRows(28, 28).subarray(0, 27 * 29 + 10);
  throwsImage(
    () => decodePng(handPng({ width: 28, height: 28, raw }), 'nearly.png'),
    'nearly.png: the PNG image cannot be decoded (the image data ends before the image does: it holds 27 of the 28 rows the header declares); is the file complete?',
  );
});

test('the image data a header promises: rows of packed samples after a filter byte, and Adam7 passes when interlaced', () => {
  const grey = readPngHeader(handPng({ width: 28, height: 28 }))!;
  assert.deepEqual(grey, { width: 28, height: 28, depth: 8, colorType: 0, interlaced: false });
  assert.equal(expectedImageBytes(grey), 28 * 29);
  assert.equal(expectedImageBytes({ ...grey, colorType: 6 }), 28 * (28 * 4 + 1));
  assert.equal(expectedImageBytes({ ...grey, depth: 1 }), 28 * (4 + 1));
  assert.equal(expectedImageBytes({ ...grey, depth: 16, colorType: 2 }), 28 * (28 * 6 + 1));
  // 8 × 8 grey, interlaced: the seven passes are 1×1, 1×1, 2×1, 2×2, 4×2, 4×4, 8×4 pixels, each row with a filter byte.
  const rows = [[1, 1], [1, 1], [2, 1], [2, 2], [4, 2], [4, 4], [8, 4]];
  const bytes = rows.reduce((n, [w, h]) => n + h! * (w! + 1), 0);
  assert.equal(expectedImageBytes({ ...grey, width: 8, height: 8, interlaced: true }), bytes);
  // A 1 × 1 interlaced image has only the first pass.
  assert.equal(expectedImageBytes({ ...grey, width: 1, height: 1, interlaced: true }), 2);
  // Interlaced and short: counted in bytes.
  const h = { ...grey, width: 8, height: 8, interlaced: true };
  assert.deepEqual(imageDataProblem(handPng({ width: 8, height: 8, interlaced: true, raw: new Uint8Array(bytes - 3) }), h), { short: `it holds ${bytes - 3} of the ${bytes} bytes the header declares` });
  assert.equal(imageDataProblem(handPng({ width: 8, height: 8, interlaced: true, raw: new Uint8Array(bytes) }), h), null);
  // Files pngjs writes are whole.
  const png = new PNG({ width: 30, height: 20 });
  png.data.fill(200);
  const written = new Uint8Array(PNG.sync.write(png));
  assert.equal(imageDataProblem(written, readPngHeader(written)!), null);
  assert.equal(decodePng(written, 'w.png').height, 20);
});

test('a header declaring a huge picture is refused before anything is decoded, naming the file and the size', () => {
  assert.equal(MAX_PNG_SIDE, 8192);
  // 30000 × 30000 RGBA over a few hundred bytes (one row of data): pngjs would allocate gigabytes.
  const huge = handPng({ width: 30000, height: 30000, colorType: 6, raw: new Uint8Array(30000 * 4 + 1) });
  assert.ok(huge.length < 1000, `${huge.length} bytes`);
  throwsImage(
    () => decodePng(huge, 'bomb.png'),
    'bomb.png: the PNG image is 30,000 × 30,000 pixels, larger than the 8192 × 8192 Kindling reads (its pixels alone would take 3.6 GB); scale it down first',
  );
  throwsImage(
    () => decodePng(handPng({ width: 8193, height: 1, raw: new Uint8Array(8194) }), 'wide.png'),
    'wide.png: the PNG image is 8,193 × 1 pixels, larger than the 8192 × 8192 Kindling reads; scale it down first',
  );
  // The largest side allowed still decodes.
  assert.equal(decodePng(handPng({ width: 8192, height: 2 }), 'edge.png').width, 8192);
});
