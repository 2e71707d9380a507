import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JsonSyntaxError, parseJsonStrict, type JsonValue } from '../../src/io/json-strict.js';

/** Maps back to plain values, to compare with JSON.parse. */
function plain(v: JsonValue): unknown {
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [k, plain(x)]));
  if (Array.isArray(v)) return v.map(plain);
  return v;
}

test('parses what JSON.parse parses, identically', () => {
  const texts = [
    '{}', '[]', ' {"a" : [1, -2.5e3, 0, 1E-2, true, false, null] } ', '"\\u00e9\\n\\t\\"\\\\\\/\\b\\f\\r"',
    '"\\ud83d\\ude00 and ✓ raw"', '{"nested":{"deep":[[[{"x":"y"}]]]}}', '-0', '123456789012345678', '{"":""}',
  ];
  for (const t of texts) assert.deepEqual(plain(parseJsonStrict(t)), JSON.parse(t), t);
});

test('rejects what JSON.parse rejects, with a position', () => {
  const bad = ['', '{', '{"a"}', '{"a":1,}', '[1,]', '01', '1.', '.5', '+1', 'tru', '"abc', '"\\x"', '"\\u12g4"', "{'a':1}", '"a\nb"', 'NaN', '{"a":1}}'];
  for (const t of bad) {
    assert.throws(() => JSON.parse(t), SyntaxError, `JSON.parse accepts ${t}`);
    assert.throws(() => parseJsonStrict(t), (e: unknown) => e instanceof JsonSyntaxError && /at character \d+$/.test(e.message), t);
  }
});

test('reports duplicate keys, keeps __proto__ as data, and limits nesting', () => {
  assert.throws(() => parseJsonStrict('{"a":1,"b":2,"a":3}'), /duplicate key "a" at character 13/);
  const v = parseJsonStrict('{"__proto__":{"polluted":true}}');
  assert.ok(v instanceof Map && v.has('__proto__'));
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  assert.deepEqual(plain(parseJsonStrict('['.repeat(30) + ']'.repeat(30))), JSON.parse('['.repeat(30) + ']'.repeat(30)));
  assert.throws(() => parseJsonStrict('['.repeat(100) + ']'.repeat(100)), /nesting deeper than 32 levels/);
});
