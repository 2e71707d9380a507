// PNG text chunks: what previews carry so that preview replaces only its own images and predict finds their digit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PNG } from 'pngjs';
import { readTextChunk, withTextChunk } from '../../src/io/png-text.js';

function smallPng(): Uint8Array {
  const png = new PNG({ width: 3, height: 2 });
  png.data.fill(200);
  return new Uint8Array(PNG.sync.write(png));
}

test('a text chunk placed after IHDR reads back, and the PNG still decodes to the same pixels', () => {
  const plain = smallPng();
  const marked = withTextChunk(withTextChunk(plain, 'Kindling digit box', '0 0 3 1'), 'Software', 'Kindling preview');
  assert.equal(readTextChunk(marked, 'Software'), 'Kindling preview');
  assert.equal(readTextChunk(marked, 'Kindling digit box'), '0 0 3 1');
  assert.equal(readTextChunk(marked, 'Comment'), undefined);
  assert.equal(readTextChunk(plain, 'Software'), undefined);
  assert.equal(marked.length, plain.length + (12 + 9 + 16) + (12 + 19 + 7));
  const decoded = PNG.sync.read(Buffer.from(marked));
  assert.deepEqual([decoded.width, decoded.height], [3, 2]);
  assert.deepEqual(decoded.data, PNG.sync.read(Buffer.from(plain)).data);
  // The start of the file is enough (preview reads 4 KB), and a truncated chunk is not read.
  assert.equal(readTextChunk(marked.subarray(0, 33 + 12 + 9 + 16), 'Software'), 'Kindling preview');
  assert.equal(readTextChunk(marked.subarray(0, 33 + 12 + 9 + 15), 'Software'), undefined);
});

test('a chunk whose CRC does not match is not read; keywords and texts must be printable ASCII', () => {
  const marked = withTextChunk(smallPng(), 'Software', 'Kindling preview');
  const damaged = marked.slice();
  damaged[33 + 8 + 10] ^= 1; // a letter of the text
  assert.equal(readTextChunk(damaged, 'Software'), undefined);
  assert.throws(() => withTextChunk(smallPng(), '', 'x'), /printable ASCII/);
  assert.throws(() => withTextChunk(smallPng(), 'Software', 'é'), /printable ASCII/);
  assert.throws(() => withTextChunk(smallPng(), 'k'.repeat(80), 'x'), /printable ASCII/);
});

test('a large text chunk of someone else\'s (1 MB, a NUL far in) is passed over without trouble', () => {
  const big = withTextChunk(smallPng(), 'Comment', 'x'.repeat(1_000_000));
  assert.equal(readTextChunk(withTextChunk(big, 'Software', 'Kindling preview'), 'Software'), 'Kindling preview');
  assert.equal(readTextChunk(big, 'Comment')?.length, 1_000_000);
  // A chunk with no NUL among its first 80 bytes has no keyword: it is not read.
  const raw = big.slice();
  raw[33 + 8 + 7] = 0x78; // the NUL after "Comment" becomes "x"
  assert.equal(readTextChunk(raw, 'Comment'), undefined);
});
