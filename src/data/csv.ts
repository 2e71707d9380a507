import { utf16Text } from './csv-sniff.js';
import { DataError } from './errors.js';
import { IMAGE_SIZE } from './idx.js';
import { printable } from './printable.js';
import { readDataFile } from './read-file.js';

/** Columns of one row of the chapter's CSV: the label, then the 784 pixels. */
const COLUMNS = 1 + IMAGE_SIZE;

const NL = 0x0a;
const CR = 0x0d;
const COMMA = 0x2c;
const SPACE = 0x20;
const TAB = 0x09;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const QUOTE = 0x22;

/** Images and labels read from a CSV file, in file order. */
export interface MnistCsv {
  readonly images: Uint8Array;
  /** The rows' labels; all 0 when the rows have none (`labeled` false). */
  readonly labels: Uint8Array;
  readonly count: number;
  /** Whether the rows start with a label. */
  readonly labeled: boolean;
}

/** What `parseMnistCsv` expects: a label first (the chapter's format), or 784 pixels alone, or whichever the first row has. */
export interface MnistCsvOptions {
  readonly labels?: boolean | 'auto';
}

/** A row's layout, for messages: whether a label comes first. */
function describeRow(labeled: boolean): string {
  return labeled ? `${COLUMNS} (a label then ${IMAGE_SIZE} pixel values)` : `${IMAGE_SIZE} (pixel values, no label)`;
}

/** Line breaks from `from` on: each `\n`, and each `\r` not followed by one (`\r\n` is one break, a lone `\r` another). */
function countLineBreaks(bytes: Uint8Array, from: number): number {
  let count = 0;
  for (let i = bytes.indexOf(NL, from); i >= 0; i = bytes.indexOf(NL, i + 1)) count++;
  for (let i = bytes.indexOf(CR, from); i >= 0; i = bytes.indexOf(CR, i + 1)) if (bytes[i + 1] !== NL) count++;
  return count;
}

/** Where the line containing `pos` ends: at its `\n` or `\r`, or at the end of the file. */
function lineEnd(bytes: Uint8Array, pos: number): number {
  let i = pos;
  while (i < bytes.length && bytes[i] !== NL && bytes[i] !== CR) i++;
  return i;
}

/** The start of the line after the one containing `pos` (past `\n`, `\r\n` or `\r`). */
function nextLine(bytes: Uint8Array, pos: number): number {
  const end = lineEnd(bytes, pos);
  return bytes[end] === CR && bytes[end + 1] === NL ? end + 2 : end + 1;
}

/** The number of comma-separated fields of the line at `lineStart`, counted in its bytes (a line may be too long for a string). */
function countColumns(bytes: Uint8Array, lineStart: number): number {
  const end = lineEnd(bytes, lineStart);
  let columns = 1;
  for (let i = bytes.indexOf(COMMA, lineStart); i >= 0 && i < end; i = bytes.indexOf(COMMA, i + 1)) columns++;
  return columns;
}

/** Whether the line at `lineStart` holds the byte `b`. */
function lineHas(bytes: Uint8Array, lineStart: number, b: number): boolean {
  const at = bytes.indexOf(b, lineStart);
  return at >= 0 && at < lineEnd(bytes, lineStart);
}

/** For a line with no commas but semicolons or tabs: what separates its values, for the message. */
function separatorHint(bytes: Uint8Array, lineStart: number): string {
  if (lineHas(bytes, lineStart, COMMA)) return '';
  const sep = lineHas(bytes, lineStart, 0x3b) ? '";"' : lineHas(bytes, lineStart, TAB) ? 'tabs' : null;
  return sep === null ? '' : `; its values are separated by ${sep}, and Kindling reads comma-separated files`;
}

/** The most bytes of a field read for a message (printable cuts what it shows to 20 characters anyway). */
const FIELD_TEXT_BYTES = 256;

/** The field at `fieldStart` (up to the next comma or line break, at most FIELD_TEXT_BYTES of it), trimmed. */
function rawField(bytes: Uint8Array, fieldStart: number): string {
  let end = fieldStart;
  const stop = Math.min(bytes.length, fieldStart + FIELD_TEXT_BYTES);
  while (end < stop && bytes[end] !== COMMA && bytes[end] !== NL && bytes[end] !== CR) end++;
  return Buffer.from(bytes.buffer, bytes.byteOffset + fieldStart, end - fieldStart).toString('utf8').trim();
}

/** The field at `fieldStart`, for messages (made printable; a long one is cut). */
function fieldText(bytes: Uint8Array, fieldStart: number): string {
  return printable(rawField(bytes, fieldStart));
}

/** The fields of the line at `start` (each as `rawField` gives it), without making the whole line one string. */
function lineFields(bytes: Uint8Array, start: number): string[] {
  const end = lineEnd(bytes, start);
  const fields: string[] = [];
  for (let p = start; ; ) {
    fields.push(rawField(bytes, p));
    const comma = bytes.indexOf(COMMA, p);
    if (comma < 0 || comma >= end) return fields;
    p = comma + 1;
  }
}

/**
 * Rows of 784 values where labelled rows are needed: unlabelled images (Kaggle's test.csv), not a broken file, so
 * the message says what the file is and what reads it.
 */
function unlabelledError(source: string, line: number, header: boolean): DataError {
  return new DataError(
    `${source} line ${line}: ${header ? 'the header' : 'the first row'} has ${IMAGE_SIZE} columns, pixel values with no label ` +
      `(unlabelled images, which kindling predict classifies); kindling eval, train and preview need labelled data: ` +
      `${COLUMNS} columns, a label then ${IMAGE_SIZE} pixel values`,
  );
}

/** Whether the line at `start` holds nothing but spaces and tabs. */
function blankLine(bytes: Uint8Array, start: number): boolean {
  let p = start;
  while (p < bytes.length && (bytes[p] === SPACE || bytes[p] === TAB)) p++;
  return p < bytes.length && (bytes[p] === NL || bytes[p] === CR);
}

/** Whether the line at `start` holds a NUL byte among its first 256: binary data, not CSV text. */
function binaryLine(bytes: Uint8Array, start: number): boolean {
  for (let p = start; p < Math.min(bytes.length, start + 256) && bytes[p] !== NL; p++) if (bytes[p] === 0) return true;
  return false;
}

/**
 * Decides whether the first line is a header: its first field is not a number, as in `label,pixel0,…`,
 * `label,1x1,…` or `pixel0,…`, or its fields number the columns (`0,1,…,784`). A header must still have the rows' width (785 columns, or 784 for rows without a
 * label), so a data row with a garbled first field is caught rather than skipped silently when it has the wrong
 * width. Returns where the data rows start, and the header's width (0 without a header).
 */
function headerEnd(bytes: Uint8Array, start: number, line: number, source: string, labels: boolean | 'auto'): { end: number; columns: number } {
  let p = start;
  while (p < bytes.length && (bytes[p] === SPACE || bytes[p] === TAB)) p++;
  const c = bytes[p];
  const utf16 = utf16Text(bytes);
  if (utf16 !== null) throw new DataError(`${source}: ${utf16}`);
  if (binaryLine(bytes, start)) {
    throw new DataError(`${source}: holds binary data, not CSV text (an IDX file under a CSV name? IDX files are read by their own names, such as t10k-images-idx3-ubyte)`);
  }
  const digit = (b: number | undefined): boolean => b !== undefined && b >= ZERO && b <= NINE;
  if (c === undefined || c === NL || c === CR) return { end: start, columns: 0 };
  // Column numbers for names (`0,1,…,784`, as pandas writes a frame built from an array): no image has values
  // above 255, so this is a header, not a data row.
  const numbered = numberedHeader(bytes, start);
  if (numbered > 0) return checkedHeader(bytes, start, line, numbered, source, labels, `its fields count 0, 1, 2, …`);
  if (digit(c) || (c === QUOTE && digit(bytes[p + 1]))) return { end: start, columns: 0 };
  const first = fieldText(bytes, p);
  // A name, then column numbers for the pixels (`label,0,1,…,783`, as pandas writes a frame of pixels with a label
  // column put first).
  const comma = bytes.indexOf(COMMA, p);
  const pixels = comma >= 0 && comma < lineEnd(bytes, p) ? numberedHeader(bytes, comma + 1) : 0;
  if (pixels > 0) return labelFirst(bytes, start, line, checkedHeader(bytes, start, line, 1 + pixels, source, labels, `first field "${first}" is not a number, and the others count 0, 1, 2, …`), source);
  // A row whose fields after the first are all numbers is a data row with a bad first value (`-1`, `x`), which the
  // parser reports with its line, not a header to skip without a word.
  if (numbersAfterFirst(bytes, p)) return { end: start, columns: 0 };
  return labelFirst(bytes, start, line, checkedHeader(bytes, start, line, countColumns(bytes, start), source, labels, `first field "${first}" is not a number`), source);
}

/**
 * A header of a label and 784 pixels, once its names are checked (see checkLabelFirst); a header of 784 names, once
 * none of them names a label (see checkNoLabel).
 */
function labelFirst(bytes: Uint8Array, start: number, line: number, header: { end: number; columns: number }, source: string): { end: number; columns: number } {
  if (header.columns === COLUMNS) checkLabelFirst(lineFields(bytes, start), line, source);
  if (header.columns === IMAGE_SIZE) checkNoLabel(lineFields(bytes, start), line, source);
  return header;
}

/**
 * A header of 784 names is read as rows of pixels alone: one that names a label column (`label, pixel0, …, pixel782`)
 * has a label and 783 pixels, which would be read as 784 pixels, the label among them, without a word.
 */
function checkNoLabel(fields: readonly string[], line: number, source: string): void {
  const at = fields.map(headerName).findIndex((name) => LABEL_NAMES.test(name));
  if (at < 0) return;
  throw new DataError(
    `${source} line ${line}: the header has ${IMAGE_SIZE} columns and names column ${at + 1} "${printable(headerName(fields[at]!))}": a label and ${IMAGE_SIZE - 1} pixel values; ` +
      `expected ${describeRow(true)} or ${describeRow(false)}`,
  );
}

/** A header field as the name it gives: blanks and one pair of double quotes taken off. */
function headerName(field: string): string {
  return field.trim().replace(/^"(.*)"$/, '$1').trim();
}

/** Names a header may give the label's column. */
const LABEL_NAMES = /^(label|labels|class|target|digit|y)$/i;

/**
 * A header of 785 names must name the label first, as the rows are read: a file with the label last (`pixel0, …,
 * label`) or an id first (`id, pixel0, …`) would otherwise train on the wrong column without a word.
 */
function checkLabelFirst(fields: readonly string[], line: number, source: string): void {
  const names = fields.map(headerName);
  const at = names.findIndex((name, i) => i > 0 && LABEL_NAMES.test(name));
  const first = names[0]!;
  const reads = `Kindling reads each row's label from its first column and the ${IMAGE_SIZE} pixels after it`;
  if (at > 0 || /^pixel/i.test(first)) {
    const label = at > 0 ? names[at]! : 'label';
    throw new DataError(
      `${source} line ${line}: the header names ${at > 0 ? `column ${at + 1} "${printable(label)}"` : `the first column "${printable(first)}"`}, but ${reads}: ` +
        `write the label first (pandas: df[["${printable(label)}"] + [c for c in df.columns if c != "${printable(label)}"]].to_csv(path, index=False))`,
    );
  }
  if (/^(id|index)$/i.test(first)) {
    throw new DataError(`${source} line ${line}: the header names the first column "${printable(first)}", but ${reads}: drop that column (rows of pixels alone are what kindling predict reads)`);
  }
}

/** A header line at `start` with `columns` fields, checked against the rows' width; `why` says why it is one. */
function checkedHeader(
  bytes: Uint8Array,
  start: number,
  line: number,
  columns: number,
  source: string,
  labels: boolean | 'auto',
  why: string,
): { end: number; columns: number } {
  const ok = labels === 'auto' ? columns === COLUMNS || columns === IMAGE_SIZE : columns === (labels ? COLUMNS : IMAGE_SIZE);
  if (labels === true && columns === IMAGE_SIZE) throw unlabelledError(source, line, true);
  if (!ok) {
    const expected = labels === 'auto' ? `${COLUMNS} (a label then ${IMAGE_SIZE} pixel values) or ${describeRow(false)}` : describeRow(labels);
    throw new DataError(`${source} line ${line}: looks like a header (${why}) but has ${columns} column${columns === 1 ? '' : 's'}, expected ${expected}${separatorHint(bytes, start)}${pandasIndexHint(bytes, start, columns)}`);
  }
  return { end: Math.min(nextLine(bytes, start), bytes.length), columns };
}

/**
 * pandas' `to_csv(path)` writes the frame's index as an unnamed first column: a header one field wider than a row of
 * the file should be, whose first name is empty. Says how to write it without.
 */
function pandasIndexHint(bytes: Uint8Array, start: number, columns: number): string {
  if (columns !== COLUMNS + 1 && columns !== IMAGE_SIZE + 1) return '';
  const first = headerName(lineFields(bytes, start)[0]!);
  return first === '' ? ' (its first column has no name, as pandas writes its index: save with to_csv(path, index=False))' : '';
}

/**
 * The number of fields when the line at `start` numbers its columns, `0,1,2,…` or `1,2,3,…` (plain or quoted) up
 * to at least 256, a value no pixel can hold; otherwise 0.
 */
function numberedHeader(bytes: Uint8Array, start: number): number {
  const line = bytes.subarray(0, lineEnd(bytes, start));
  let fields = 0;
  let next = 0;
  for (let p = start; ; p++) {
    const comma = line.indexOf(COMMA, p);
    p = slowField(line, p, comma < 0);
    if (p < 0 || (fields === 0 ? slowValue > 1 : slowValue !== next)) return 0;
    next = slowValue + 1;
    fields++;
    if (comma < 0) return next > 256 ? fields : 0;
  }
}

/** Whether the line from `pos` has fields after its first and they hold only numbers (digits, signs, points, spaces). */
function numbersAfterFirst(bytes: Uint8Array, pos: number): boolean {
  const end = lineEnd(bytes, pos);
  const comma = bytes.indexOf(COMMA, pos);
  if (comma < 0 || comma >= end) return false;
  for (let i = comma + 1; i < end; i++) {
    const b = bytes[i]!;
    if (!((b >= ZERO && b <= NINE) || b === COMMA || b === SPACE || b === TAB || b === DOT || b === QUOTE || b === 0x2d || b === 0x2b)) return false;
  }
  return true;
}

/** The first data row at or after `pos`: its column count and its line number counted from `pos` (1-based); null when there is none. */
function firstRow(bytes: Uint8Array, pos: number): { columns: number; line: number } | null {
  let line = 1;
  for (let p = pos; p < bytes.length; p = nextLine(bytes, p), line++) {
    let q = p;
    while (q < bytes.length && (bytes[q] === SPACE || bytes[q] === TAB)) q++;
    if (q < bytes.length && bytes[q] !== NL && bytes[q] !== CR) return { columns: countColumns(bytes, p), line };
  }
  return null;
}

/** The value found by `slowField` (a module-level slot, so the hot loop allocates nothing). */
let slowValue = 0;

/**
 * Parses one field the careful way: spaces or tabs around it, double quotes around the number (`"12"`, as
 * spreadsheets may write every field), a `12.0`-style float with a zero fraction, the last field of a file
 * without a final line break. Returns the position of the separator after it (a comma, or
 * the line break / end of file for the last column) with the value in `slowValue`, or -1 when the field is not
 * a whole number followed by the right separator.
 */
function slowField(bytes: Uint8Array, start: number, last: boolean): number {
  const n = bytes.length;
  let pos = start;
  while (pos < n && (bytes[pos] === SPACE || bytes[pos] === TAB)) pos++;
  const quoted = bytes[pos] === QUOTE;
  if (quoted) pos++;
  let value = 0;
  let digits = 0;
  for (let c = bytes[pos]; pos < n && c !== undefined && c >= ZERO && c <= NINE; c = bytes[++pos]) {
    value = value * 10 + (c - ZERO);
    digits++;
  }
  if (digits > 0 && pos < n && bytes[pos] === DOT) {
    // Tools that store pixels as floats write `12.0`; a non-zero fraction is rejected by the separator check.
    pos++;
    while (pos < n && bytes[pos] === ZERO) pos++;
  }
  if (quoted) {
    if (bytes[pos] !== QUOTE) return -1;
    pos++;
  }
  while (pos < n && (bytes[pos] === SPACE || bytes[pos] === TAB)) pos++;
  const c = pos < n ? bytes[pos] : NL;
  const ok = last ? c === NL || c === CR : c === COMMA;
  if (digits === 0 || !ok) return -1;
  slowValue = value;
  return pos;
}

interface FieldContext {
  readonly source: string;
  readonly line: number;
  readonly lineStart: number;
  /** The field's place in a labelled row: 0 the label, 1–784 the pixels. */
  readonly col: number;
  readonly fieldStart: number;
  readonly labeled: boolean;
  /** The row whose width decided `labeled` (labels 'auto', no header): either width would have done. */
  readonly either: boolean;
}

/** `slowField` that throws the right error when the field is bad. */
function readField(bytes: Uint8Array, at: FieldContext): number {
  const pos = slowField(bytes, at.fieldStart, at.col === COLUMNS - 1);
  if (pos < 0) throw fieldError(bytes, at);
  return pos;
}

/** The error of a row of the wrong width, or null when its width is right: what a bad field's message says first. */
function widthError(bytes: Uint8Array, at: FieldContext): DataError | null {
  const columns = countColumns(bytes, at.lineStart);
  if (columns === (at.labeled ? COLUMNS : IMAGE_SIZE)) return null;
  const expected = at.either ? `${describeRow(true)} or ${describeRow(false)}` : describeRow(at.labeled);
  return new DataError(`${at.source} line ${at.line}: ${columns} column${columns === 1 ? '' : 's'}, expected ${expected}${separatorHint(bytes, at.lineStart)}`);
}

/** Explains why a field failed `slowField`: the row has the wrong width, or the value is not a number. */
function fieldError(bytes: Uint8Array, at: FieldContext): DataError {
  const width = widthError(bytes, at);
  if (width !== null) return width;
  const text = fieldText(bytes, at.fieldStart);
  const what = at.col === 0 ? 'label' : 'pixel value';
  const range = at.col === 0 ? '0–9' : '0–255';
  const fraction = at.col > 0 && /^"?\s*0?\.\d+\s*"?$/.test(text);
  return new DataError(
    `${at.source} line ${at.line}, column ${at.labeled ? at.col + 1 : at.col}: ${what} ${text === '' ? '(empty)' : `"${text}"`} is not a ` +
      `whole number from ${range}${fraction ? ' (pixels scaled to 0–1? Kindling reads them on MNIST\'s 0–255 scale: multiply them by 255 and round)' : ''}`,
  );
}

/**
 * Parses the chapter's CSV format held in memory: one row per image, the label (0–9) first, then the 784 pixel
 * values (0–255), comma-separated, no header (a header row is detected and skipped, including one that numbers the
 * columns, `0,1,…,784`). With `labels: false` rows are the 784 pixels alone (Kaggle's test.csv); with `'auto'` the
 * header's or first row's width decides. Blank lines, `\r\n` line breaks, a UTF-8 byte-order mark, spaces around
 * values, values in double quotes and values written as `12.0` are accepted.
 *
 * A hand-written byte-level parser: the format is fixed, and this reads the 60,000-row training file (110 MB)
 * in about a second, where splitting it into strings would allocate 47 million of them.
 *
 * @throws DataError naming the line (and column) of a row with the wrong number of columns, a value that is not a
 *   whole number, a value out of range, or an empty file.
 */
export function parseMnistCsv(bytes: Uint8Array, source: string, options: MnistCsvOptions = {}): MnistCsv {
  const n = bytes.length;
  let pos = n >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const want = options.labels ?? true;
  // Blank lines before a header are passed over, as blank lines anywhere are.
  let headStart = pos;
  let headLine = 1;
  while (headStart < n && blankLine(bytes, headStart)) {
    headStart = nextLine(bytes, headStart);
    headLine++;
  }
  const header = headerEnd(bytes, headStart, headLine, source, want);
  const hasHeader = header.end !== headStart;
  if (hasHeader) pos = header.end;
  const first = firstRow(bytes, pos);
  // 'auto': the header's width decides, else the first row's (a row of 784 values has no label).
  const labeled = want !== 'auto' ? want : (header.columns || (first?.columns ?? 0)) !== IMAGE_SIZE;
  if (want === true && !hasHeader && first?.columns === IMAGE_SIZE) throw unlabelledError(source, first.line, false);
  let line = hasHeader ? headLine + 1 : 1;

  // Rows end with \n, \r\n or (old Mac files) a lone \r, in any mix: one more row than line breaks is an upper bound.
  const capacity = countLineBreaks(bytes, pos) + 1;
  const images = new Uint8Array(capacity * IMAGE_SIZE);
  const labels = new Uint8Array(capacity);
  let count = 0;

  while (pos < n) {
    const lineStart = pos;
    let c = bytes[pos]!;
    while (c === SPACE || c === TAB) c = bytes[++pos] ?? NL;
    if (c === NL || c === CR) {
      // A blank line: skip it (files often end with one, some have several).
      pos = nextLine(bytes, pos);
      line++;
      continue;
    }
    // Fast path for each field: plain digits then the expected separator; anything else (spaces, `12.0`, a
    // missing final line break, an error) goes through `readField`. Reading past the end gives undefined, which
    // is neither a digit nor a separator.
    let fieldStart = pos;
    let value = 0;
    if (labeled) {
      c = bytes[pos]!;
      while (c >= ZERO && c <= NINE) {
        value = value * 10 + (c - ZERO);
        c = bytes[++pos]!;
      }
      if (pos === fieldStart || c !== COMMA) {
        pos = readField(bytes, { source, line, lineStart, col: 0, fieldStart, labeled, either: want === 'auto' && header.columns === 0 && count === 0 });
        value = slowValue;
      }
      if (value > 9) {
        // A short or long row is named as such first, whatever its first value (as for a field that is not a number).
        const at = { source, line, lineStart, col: 0, fieldStart, labeled, either: want === 'auto' && header.columns === 0 && count === 0 };
        throw widthError(bytes, at) ?? new DataError(`${source} line ${line}, column 1: label ${fieldText(bytes, fieldStart)} is outside 0–9`);
      }
      labels[count] = value;
      pos++;
    }
    const base = count * IMAGE_SIZE - 1; // field k (1…784) is pixel base + k
    for (let col = 1; col < COLUMNS; col++) {
      fieldStart = pos;
      value = 0;
      c = bytes[pos]!;
      while (c >= ZERO && c <= NINE) {
        value = value * 10 + (c - ZERO);
        c = bytes[++pos]!;
      }
      if (pos === fieldStart || (col === COLUMNS - 1 ? c !== NL && c !== CR : c !== COMMA)) {
        pos = readField(bytes, { source, line, lineStart, col, fieldStart, labeled, either: want === 'auto' && header.columns === 0 && count === 0 });
        value = slowValue;
      }
      if (value > 255) {
        const at = { source, line, lineStart, col, fieldStart, labeled, either: want === 'auto' && header.columns === 0 && count === 0 };
        throw widthError(bytes, at) ?? new DataError(`${source} line ${line}, column ${labeled ? col + 1 : col}: pixel value ${fieldText(bytes, fieldStart)} is outside 0–255`);
      }
      images[base + col] = value;
      pos++; // past the separator
    }
    // The last field ended at a line break (or the end of the file): step over `\r\n`.
    if (bytes[pos - 1] === CR && bytes[pos] === NL) pos++;
    count++;
    line++;
  }

  if (count === 0) {
    throw new DataError(
      hasHeader
        ? `${source}: the file has a header row but no data rows`
        : `${source}: the file is empty (no data rows)`,
    );
  }
  // Pixels of 0 and 1 only are black-and-white images written on a 0–1 scale: read as 0–255 they are nearly blank,
  // however few the rows. (Rows of zeros alone are blank images, which say nothing of the scale; a few may be there
  // to try predict on.)
  let top = 0;
  for (let i = 0; i < count * IMAGE_SIZE && top <= 1; i++) top = Math.max(top, images[i]!);
  if (top === 1) {
    throw new DataError(
      `${source}: every pixel value is 0 or 1: images on a 0–1 scale (black and white)? Kindling reads pixels on MNIST's 0–255 scale, ` +
        'where 1 is nearly white: multiply them by 255',
    );
  }
  // Trim the spare room left by skipped lines; copy only when it is worth it.
  const trim = count < capacity * 0.9;
  return {
    images: trim ? images.slice(0, count * IMAGE_SIZE) : images.subarray(0, count * IMAGE_SIZE),
    labels: trim ? labels.slice(0, count) : labels.subarray(0, count),
    count,
    labeled,
  };
}

/** Reads a CSV file in the chapter's format, plain or gzip-compressed. @see parseMnistCsv */
export function readMnistCsv(path: string): MnistCsv {
  return parseMnistCsv(readDataFile(path), path);
}
