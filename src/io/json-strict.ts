/**
 * A small strict JSON parser for untrusted headers. `JSON.parse` silently keeps the last of two duplicate keys
 * (the safetensors spec forbids them) and would turn a key named `__proto__` into a trap when copied into a plain
 * object; this parser reports duplicates, returns objects as `Map`s, and limits nesting so a hostile file cannot
 * overflow the stack.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export type JsonObject = Map<string, JsonValue>;

/** A syntax problem, with the character position in the parsed text. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} at character ${position}`);
    this.name = 'JsonSyntaxError';
  }
}

const MAX_DEPTH = 32;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t',
};

/**
 * Parses `text` as one JSON value (surrounding whitespace allowed).
 * @throws JsonSyntaxError on bad syntax, a duplicate key, or nesting deeper than 32 levels.
 */
export function parseJsonStrict(text: string): JsonValue {
  const p = new Parser(text);
  p.skipSpace();
  const value = p.value(0);
  p.skipSpace();
  if (p.pos < text.length) throw new JsonSyntaxError('unexpected text after the JSON value', p.pos);
  return value;
}

class Parser {
  pos = 0;
  constructor(private readonly text: string) {}

  skipSpace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      this.pos++;
    }
  }

  private fail(what: string): never {
    if (this.pos >= this.text.length) throw new JsonSyntaxError(`unexpected end of text, expected ${what}`, this.pos);
    throw new JsonSyntaxError(`unexpected ${JSON.stringify(this.text[this.pos])}, expected ${what}`, this.pos);
  }

  private expect(ch: string): void {
    if (this.text[this.pos] !== ch) this.fail(`'${ch}'`);
    this.pos++;
  }

  value(depth: number): JsonValue {
    if (depth > MAX_DEPTH) throw new JsonSyntaxError(`nesting deeper than ${MAX_DEPTH} levels`, this.pos);
    const c = this.text[this.pos];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    return this.fail('a JSON value');
  }

  private object(depth: number): JsonObject {
    const out: JsonObject = new Map();
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail('a quoted key');
      const keyAt = this.pos;
      const key = this.string();
      if (out.has(key)) throw new JsonSyntaxError(`duplicate key ${JSON.stringify(key)}`, keyAt);
      this.skipSpace();
      this.expect(':');
      this.skipSpace();
      out.set(key, this.value(depth + 1));
      this.skipSpace();
      if (this.text[this.pos] === ',') {
        this.pos++;
        continue;
      }
      this.expect('}');
      return out;
    }
  }

  private array(depth: number): JsonValue[] {
    const out: JsonValue[] = [];
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      out.push(this.value(depth + 1));
      this.skipSpace();
      if (this.text[this.pos] === ',') {
        this.pos++;
        continue;
      }
      this.expect(']');
      return out;
    }
  }

  private number(): number {
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (m === null) this.fail('a number');
    this.pos += m[0].length;
    return Number(m[0]);
  }

  private string(): string {
    const t = this.text;
    this.pos++;
    let out = '';
    let start = this.pos;
    for (;;) {
      if (this.pos >= t.length) throw new JsonSyntaxError('unterminated string', this.pos);
      const c = t.charCodeAt(this.pos);
      if (c === 0x22) break;
      if (c < 0x20) throw new JsonSyntaxError('control character inside a string', this.pos);
      if (c !== 0x5c) {
        this.pos++;
        continue;
      }
      out += t.slice(start, this.pos);
      const e = t[this.pos + 1];
      if (e === 'u') {
        const hex = t.slice(this.pos + 2, this.pos + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new JsonSyntaxError('bad \\u escape', this.pos);
        out += String.fromCharCode(parseInt(hex, 16));
        this.pos += 6;
      } else if (e !== undefined && ESCAPES[e] !== undefined) {
        out += ESCAPES[e];
        this.pos += 2;
      } else {
        throw new JsonSyntaxError('bad escape in a string', this.pos);
      }
      start = this.pos;
    }
    out += t.slice(start, this.pos);
    this.pos++;
    return out;
  }
}
