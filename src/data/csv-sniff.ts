/**
 * A quick look at a file's first bytes: could it be a CSV file of images at all? Binary data or a first line with
 * no comma is refused before the CSV parser, whose messages (a header of the wrong width, a bad value) would
 * quote garbage and point the wrong way.
 */
import { printable } from './printable.js';

/** Enough for the widest row or header of an MNIST CSV file (785 fields). */
const PREFIX = 64 * 1024;

/**
 * Why `bytes` cannot be CSV text, or null when they may be: "it holds binary data (bytes that are not UTF-8
 * text)", or "its first line has no commas ("hello")". An empty file passes (the parser says it is empty).
 */
export function notCsvText(bytes: Uint8Array): string | null {
  const utf16 = utf16Text(bytes);
  if (utf16 !== null) return utf16;
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const head = bytes.subarray(bom, Math.min(bytes.length, bom + PREFIX));
  if (head.includes(0)) return 'it holds binary data (NUL bytes)';
  let text: string;
  try {
    // stream: a character cut by the end of the prefix is not an error.
    text = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    return 'it holds binary data (bytes that are not UTF-8 text)';
  }
  const line = text.split(/\r\n|\r|\n/).find((l) => l.trim() !== '');
  if (line === undefined || line.includes(',')) return null;
  return `its first line has no commas ("${printable(line.trim(), 40)}")`;
}

/**
 * "it is UTF-16 text (…): save it as UTF-8" when `bytes` start with a UTF-16 byte-order mark (Excel's "Unicode
 * text", Notepad's "Unicode"), else null.
 */
export function utf16Text(bytes: Uint8Array): string | null {
  const le = bytes[0] === 0xff && bytes[1] === 0xfe;
  if (!le && !(bytes[0] === 0xfe && bytes[1] === 0xff)) return null;
  return `it is UTF-16 text (${le ? 'little' : 'big'}-endian, as Excel's "Unicode text" saves), and Kindling reads CSV as UTF-8: save it as UTF-8 (CSV UTF-8 in Excel, or iconv -f UTF-16 -t UTF-8)`;
}
