// A PNG the decoder refuses is refused with what is wrong with it, found by walking its chunks: pngjs's own words
// ("unrecognised content at end of stream", "read requests waiting") said "is the file complete?" of a complete file
// with a damaged checksum, and "the file ends before the image does" of one holding too much image data.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodePng, ImageError } from '../../src/io/image-file.js';
import { greyRows, handPng } from './png-bytes.js';

function refusedWith(bytes: Uint8Array, name: string, message: string): void {
  assert.throws(() => decodePng(bytes, name), (err: unknown) => {
    assert.ok(err instanceof ImageError, `expected an ImageError, got ${String(err)}`);
    assert.equal(err.message, message);
    return true;
  });
}

test('a damaged PNG is refused naming the damage; only a file cut short is asked whether it is complete', () => {
  const whole = handPng({ width: 28, height: 28 });
  assert.equal(decodePng(whole, 'whole.png').width, 28);
  // IHDR is 33 bytes from the start (signature 8, IHDR 25), so IDAT starts at byte 33; byte 45 is in its data.
  const crc = whole.slice();
  crc[45] = crc[45]! ^ 0xff;
  refusedWith(crc, 'crc.png', 'crc.png: the PNG image cannot be decoded: its IDAT chunk at byte 33 is damaged (its checksum does not match its contents)');
  const depth = whole.slice();
  depth[24] = 7;
  refusedWith(depth, 'depth7.png', 'depth7.png: the PNG image cannot be decoded: its header declares a bit depth of 7, which PNG does not allow for greyscale images (1, 2, 4, 8, 16)');
  const colour = whole.slice();
  colour[25] = 5;
  refusedWith(colour, 'colour5.png', 'colour5.png: the PNG image cannot be decoded: its header declares colour type 5, which PNG does not have (0, 2, 3, 4 or 6)');
  refusedWith(handPng({ width: 28, height: 28, raw: greyRows(28, 40) }), 'more.png', 'more.png: the PNG image cannot be decoded: its image data holds more than the 812 bytes its header declares for 28 × 28 pixels');
  refusedWith(whole.slice(0, whole.length - 12), 'noend.png', `noend.png: the PNG image cannot be decoded: the file ends at byte ${whole.length - 12} without the IEND chunk that ends a PNG; is the file complete?`);
  const idatLength = new DataView(whole.buffer).getUint32(33);
  refusedWith(whole.slice(0, 100), 'cut.png', `cut.png: the PNG image cannot be decoded: its IDAT chunk at byte 33 runs past the end of the file (${idatLength} bytes declared); is the file complete?`);
});

test('image data that is no compressed stream is refused, though the decoder gives an empty picture for it; a bad filter byte is named', () => {
  const junk = new TextEncoder().encode('garbage');
  refusedWith(handPng({ width: 28, height: 28, idat: junk }), 'junk.png', 'junk.png: the PNG image cannot be decoded: its image data is not a valid compressed stream');
  // A zlib header, then junk.
  const afterHeader = Uint8Array.from([0x78, 0x9c, ...new Array<number>(20).fill(0xff)]);
  refusedWith(handPng({ width: 28, height: 28, idat: afterHeader }), 'zjunk.png', 'zjunk.png: the PNG image cannot be decoded: its image data is not a valid compressed stream');
  // Row 3's filter byte is 9: complete data, damaged inside.
  const rows = greyRows(28, 28);
  rows[3 * 29] = 9;
  refusedWith(handPng({ width: 28, height: 28, raw: rows }), 'filter.png', 'filter.png: the PNG image cannot be decoded: a row of its image data starts with filter type 9, which PNG does not have (0 to 4)');
});

test('a header PNG does not allow, or none, is named: compression, filter and interlace methods, a first chunk that is not IHDR', () => {
  const whole = handPng({ width: 28, height: 28 });
  const at = (i: number, v: number): Uint8Array => {
    const b = whole.slice();
    b[i] = v;
    return b;
  };
  refusedWith(at(26, 1), 'compression.png', 'compression.png: the PNG image cannot be decoded: its header declares compression method 1, which PNG does not have (only 0, deflate)');
  refusedWith(at(27, 2), 'filter.png', 'filter.png: the PNG image cannot be decoded: its header declares filter method 2, which PNG does not have (only 0)');
  refusedWith(at(28, 3), 'interlace.png', 'interlace.png: the PNG image cannot be decoded: its header declares interlace method 3, which PNG does not have (0, none, or 1, Adam7)');
  // The IHDR chunk (25 bytes from byte 8) left out: the file goes from its signature straight to IDAT.
  const noHeader = Uint8Array.from([...whole.subarray(0, 8), ...whole.subarray(33)]);
  refusedWith(noHeader, 'noihdr.png', 'noihdr.png: the PNG image cannot be decoded: its first chunk is IDAT, where a PNG starts with its IHDR header chunk');
  const longHeader = at(11, 14);
  refusedWith(longHeader, 'ihdr14.png', 'ihdr14.png: the PNG image cannot be decoded: its IHDR header chunk is 14 bytes long, where PNG\'s is 13');
  // Cut short inside its header: a cut, asked about as one.
  refusedWith(whole.slice(0, 24), 'cut24.png', 'cut24.png: the PNG image cannot be decoded: its IHDR chunk at byte 8 runs past the end of the file (13 bytes declared); is the file complete?');
});
