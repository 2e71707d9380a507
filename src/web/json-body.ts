/**
 * The server's parser for JSON request bodies. Fastify's own answers every bad body with "Body is not valid JSON";
 * this one says where the syntax breaks, and names a key that could rewrite objects' prototypes (`__proto__`, or
 * `constructor` holding `prototype`), which is refused as Fastify refuses it.
 */
import { JsonSyntaxError, parseJsonStrict } from '../io/json-strict.js';
import { jsonErrorWhere } from '../io/json-where.js';
import { WebError } from './errors.js';

/** Thrown from inside `JSON.parse`'s reviver to stop at the first forbidden key. */
class ForbiddenKey extends Error {
  readonly key: string;
  constructor(key: string) {
    super(key);
    this.key = key;
  }
}

function forbidden(key: string, value: unknown): boolean {
  if (key === '__proto__') return true;
  return key === 'constructor' && typeof value === 'object' && value !== null && Object.hasOwn(value, 'prototype');
}

/**
 * Parses a request body as JSON; an empty one is `undefined` (a request that needs no body, such as a job's stop,
 * may still carry the header): routes that need one say so through `requireBody`.
 * @throws WebError (400) naming what is wrong.
 */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text, (key: string, value: unknown) => {
      if (forbidden(key, value)) throw new ForbiddenKey(key);
      return value;
    });
  } catch (err) {
    if (err instanceof ForbiddenKey) {
      throw new WebError(400, `the body has a "${err.key}" key, which is refused (it could change the prototype of objects the server makes); leave it out`);
    }
    // V8 parses nested arrays and objects by recursion: thousands of levels overflow its stack.
    if (err instanceof RangeError) throw new WebError(400, 'the body nests arrays or objects too deeply to read; a request is a flat JSON object');
    throw new WebError(400, `the body is not valid JSON: ${jsonErrorWhere(text, err)}`);
  }
  // JSON.parse keeps the last of a key given twice; the command line refuses an option given twice, and so does this.
  const twice = duplicateKey(text);
  if (twice !== null) throw new WebError(400, `the body gives the key ${twice} more than once; give each once`);
  return body;
}

/** The first key an object of `text` (valid JSON) holds twice, quoted, or null. */
function duplicateKey(text: string): string | null {
  try {
    parseJsonStrict(text);
    return null;
  } catch (err) {
    const m = err instanceof JsonSyntaxError ? /^duplicate key ("(?:[^"\\]|\\.)*")/.exec(err.message) : null;
    return m === null ? null : m[1]!;
  }
}

/** The body of a route that needs one. @throws WebError (400) when it is empty. */
export function requireBody(body: unknown): unknown {
  if (body === undefined) throw new WebError(400, 'the body is empty: send a JSON object with Content-Type: application/json');
  return body;
}
