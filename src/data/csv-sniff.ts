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
  if (le || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return `it is UTF-16 text (${le ? 'little' : 'big'}-endian, as Excel's "Unicode text" saves), and Kindling reads CSV as UTF-8: save it as UTF-8 (CSV UTF-8 in Excel, or iconv -f UTF-16 -t UTF-8)`;
  }
  const bare = bareUtf16(bytes);
  if (bare === null) return null;
  return `it is UTF-16 text (${bare === 'LE' ? 'little' : 'big'}-endian, without a byte-order mark), and Kindling reads CSV as UTF-8: save it as UTF-8 (iconv -f UTF-16${bare} -t UTF-8)`;
}

/** Bytes of UTF-16 text checked for a file without a byte-order mark. */
const BARE_SPAN = 256;

/**
 * 'LE' or 'BE' when the first bytes read as UTF-16 text of ASCII characters without a byte-order mark (a NUL byte
 * beside each printable one, on the same side throughout, over at least four characters), else null. No IDX
 * header reads so: its third byte is a type code, its fourth a number of dimensions, neither 0.
 */
function bareUtf16(bytes: Uint8Array): 'LE' | 'BE' | null {
  const n = Math.min(bytes.length, BARE_SPAN) & ~1;
  if (n < 8) return null;
  const text = (b: number): boolean => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f);
  for (const order of ['LE', 'BE'] as const) {
    const zero = order === 'LE' ? 1 : 0;
    let ok = true;
    for (let i = 0; i < n && ok; i += 2) ok = bytes[i + zero] === 0 && text(bytes[i + 1 - zero]!);
    if (ok) return order;
  }
  return null;
}
