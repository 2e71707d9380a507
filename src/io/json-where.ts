/**
 * Where a JSON syntax error is, for people: V8's `JSON.parse` says "… in JSON at position 5000" (a count of characters
 * that a person cannot find in a file of many lines), or only quotes the text around it. This adds the line and
 * column (both from 1).
 */
import { JsonSyntaxError, parseJsonStrict } from './json-strict.js';

/** `err`'s message, with the line and column in `text` where the syntax breaks (unchanged when that cannot be told). */
export function jsonErrorWhere(text: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const position = breakPosition(text, message);
  if (position < 0 || position > text.length) return message;
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `${message} (line ${line}, column ${column})`;
}

function breakPosition(text: string, message: string): number {
  const at = /at position (\d+)/.exec(message);
  if (at) return Number(at[1]);
  if (/Unexpected end of JSON input/.test(message)) return text.length;
  // "Unexpected token 'b', "…" is not valid JSON" gives no position: Kindling's own parser, which reads the same
  // grammar, finds where it breaks.
  try {
    parseJsonStrict(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) return e.position;
  }
  return -1;
}
