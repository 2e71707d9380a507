import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SafetensorsError } from '../../src/io/errors.js';
import { decodeSafetensors, encodeSafetensors } from '../../src/io/safetensors.js';
import { throwsSafetensors } from './helpers.js';

const SOURCE = 'runs/model.safetensors';

/** A file image from a header text, a data section and, optionally, a forged header length. */
function image(header: string | Uint8Array, dataBytes: number, length?: bigint): Uint8Array {
  const json = typeof header === 'string' ? Buffer.from(header, 'utf8') : header;
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, length ?? BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

function decode(bytes: Uint8Array): () => unknown {
  return () => decodeSafetensors(bytes, SOURCE);
}

/** A header from tensor descriptions `[name, dtype, shape, begin, end]`. */
function header(...tensors: [string, string, number[], number, number][]): string {
  const entries = tensors.map(([n, d, s, b, e]) => `"${n}":{"dtype":"${d}","shape":[${s.join(',')}],"data_offsets":[${b},${e}]}`);
  return `{${entries.join(',')}}`;
}

test('every message starts with the source name; the default source is <buffer>', () => {
  throwsSafetensors(decode(new Uint8Array(3)), /^runs\/model\.safetensors: /);
  throwsSafetensors(() => decodeSafetensors(new Uint8Array(3)), /^<buffer>: /);
  const err = (() => {
    try {
      decodeSafetensors(new Uint8Array(0));
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  assert.ok(err instanceof SafetensorsError);
  assert.equal(err.name, 'SafetensorsError');
  assert.equal(err.exitCode, 1);
});

test('a file shorter than 8 bytes', () => {
  throwsSafetensors(decode(new Uint8Array(0)), /0 bytes long, too short/);
  throwsSafetensors(decode(new Uint8Array(7)), /7 bytes long, too short/);
});

test('a header length past the end of the file, or absurd', () => {
  const good = encodeSafetensors({ a: { shape: [2], data: new Float32Array([1, 2]) } });
  const forged = good.slice();
  new DataView(forged.buffer).setBigUint64(0, BigInt(good.length), true);
  throwsSafetensors(decode(forged), new RegExp(`header length ${good.length} bytes runs past the end of the file \\(${good.length} bytes`));
  throwsSafetensors(decode(good.subarray(0, 20)), /runs past the end .*truncated/);
  throwsSafetensors(decode(image('{}', 0, 2n ** 63n)), /header length 9223372036854775808 bytes is beyond the 100000000-byte limit/);
  throwsSafetensors(decode(image('{}', 0, 2n ** 64n - 1n)), /beyond the 100000000-byte limit/);
});

test('a header that is not UTF-8, not JSON, or not an object', () => {
  throwsSafetensors(decode(image(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), 0)), /header is not valid UTF-8/);
  throwsSafetensors(decode(image('{"a":', 0)), /header is not valid JSON: unexpected end of text/);
  throwsSafetensors(decode(image('{"a" 1}', 0)), /not valid JSON: unexpected "1", expected ':' at character 5/);
  throwsSafetensors(decode(image('', 0)), /not valid JSON/);
  throwsSafetensors(decode(image('{} x', 0)), /unexpected text after the JSON value/);
  throwsSafetensors(decode(image('[1, 2]', 0)), /header must be a JSON object, got an array/);
  throwsSafetensors(decode(image('null', 0)), /must be a JSON object, got null/);
  throwsSafetensors(decode(image('"x"', 0)), /must be a JSON object, got a string/);
  throwsSafetensors(decode(image('[['.repeat(50_000), 0)), /nesting deeper than/);
});

test('duplicate keys, at the top or inside a tensor', () => {
  const t = '{"dtype":"F32","shape":[1],"data_offsets":[0,4]}';
  throwsSafetensors(decode(image(`{"a":${t},"a":${t}}`, 4)), /duplicate key "a"/);
  throwsSafetensors(decode(image('{"a":{"dtype":"F32","dtype":"F64","shape":[1],"data_offsets":[0,4]}}', 4)), /duplicate key "dtype"/);
});

test('unsupported and unknown dtypes are named, with the list of readable ones', () => {
  throwsSafetensors(decode(image(header(['w', 'F8_E4M3', [4], 0, 4]), 4)), /tensor "w" has unsupported dtype "F8_E4M3"/, /Kindling reads F32, F64, F16, BF16/);
  throwsSafetensors(decode(image(header(['w', 'float32', [1], 0, 4]), 4)), /unknown dtype "float32"/);
  throwsSafetensors(decode(image('{"w":{"dtype":3,"shape":[1],"data_offsets":[0,4]}}', 4)), /"dtype" must be a string, got a number/);
});

test('shape and offsets inconsistent with the dtype size', () => {
  throwsSafetensors(decode(image(header(['w', 'F32', [2, 3], 0, 20]), 20)), /tensor "w": shape \[2, 3\] of F32 needs 24 bytes but data_offsets \[0, 20\] hold 20/);
  throwsSafetensors(decode(image(header(['w', 'F64', [2], 0, 8]), 8)), /F64 needs 16 bytes/);
  // Products too large for exact arithmetic still fail cleanly.
  throwsSafetensors(decode(image(header(['w', 'F32', [2 ** 40, 2 ** 40, 2 ** 40], 0, 4]), 4)), /needs .* bytes but/);
  throwsSafetensors(decode(image('{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}', 4)), /"shape" must be an array of non-negative integers, got \[-1\]/);
  throwsSafetensors(decode(image('{"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}', 4)), /"shape" must be/);
  throwsSafetensors(decode(image('{"w":{"dtype":"F32","data_offsets":[0,4]}}', 4)), /"shape" must be .* got null/);
  throwsSafetensors(decode(image('{"w":{"dtype":"F32","shape":[1],"data_offsets":[0]}}', 4)), /"data_offsets" must be \[begin, end\]/);
  throwsSafetensors(decode(image('{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,"4"]}}', 4)), /"data_offsets" must be/);
  throwsSafetensors(decode(image('{"w":[1,2]}', 0)), /tensor "w" must be described by an object, got an array/);
});

test('offsets reversed or out of range', () => {
  throwsSafetensors(decode(image(header(['w', 'F32', [0], 8, 0]), 8)), /data_offsets \[8, 0\] end before they begin/);
  throwsSafetensors(decode(image(header(['w', 'F32', [100], 0, 400]), 16)), /tensor "w": data_offsets \[0, 400\] are out of range: the data section has 16 bytes of the 400 its header describes: the file is truncated$/);
  // Offsets no cut could explain (the tensor would start at a hole): truncated or a corrupt header.
  throwsSafetensors(decode(image(header(['w', 'F32', [1], 2 ** 53 - 5, 2 ** 53 - 1]), 4)), /data_offsets \[9007199254740987, 9007199254740991\] are out of range: the data section has 4 bytes: the file is truncated or its header is corrupt$/);
});

test('a file cut inside its data section is called truncated, with the numbers', () => {
  const data = new Float32Array(157_000).map((_, i) => i);
  const good = encodeSafetensors({ '0.bias': { shape: [200], data: data.subarray(0, 200) }, '0.weight': { shape: [156_800], data: data.subarray(200, 157_000) } });
  const headerBytes = 8 + Number(new DataView(good.buffer, good.byteOffset).getBigUint64(0, true));
  const cut = good.subarray(0, headerBytes + 298_736);
  throwsSafetensors(
    decode(cut),
    /^runs\/model\.safetensors: tensor "0\.weight": data_offsets \[800, 628000\] are out of range: the data section has 298736 bytes of the 628000 its header describes: the file is truncated$/,
  );
  // Cut inside the header instead: the existing message.
  throwsSafetensors(decode(good.subarray(0, headerBytes - 1)), /runs past the end of the file .*: the file is truncated or not a safetensors file$/);
  // The whole file still reads.
  assert.equal(decodeSafetensors(good, SOURCE).tensors['0.weight']!.data[5], 205);
});

test('overlapping tensors, holes and trailing bytes (the spec forbids them)', () => {
  throwsSafetensors(
    decode(image(header(['a', 'F32', [4], 0, 16], ['b', 'F32', [4], 8, 24]), 24)),
    /tensor "b" at bytes \[8, 24\] overlaps tensor "a" at \[0, 16\]/,
  );
  throwsSafetensors(decode(image(header(['a', 'F32', [2], 0, 8], ['b', 'F32', [2], 0, 8]), 8)), /overlaps/);
  throwsSafetensors(decode(image(header(['a', 'F32', [2], 0, 8], ['e', 'F32', [0], 4, 4]), 8)), /tensor "e" .* overlaps tensor "a"/);
  throwsSafetensors(decode(image(header(['a', 'F32', [2], 0, 8], ['b', 'F32', [2], 12, 20]), 20)), /hole in the data section: bytes \[8, 12\) before tensor "b"/);
  throwsSafetensors(decode(image(header(['a', 'F32', [2], 4, 12]), 12)), /hole .* bytes \[0, 4\)/);
  throwsSafetensors(decode(image(header(['a', 'F32', [4], 0, 16]), 24)), /data section has 24 bytes but the tensors cover only 16: 8 trailing bytes/);
  throwsSafetensors(decode(image('{}', 4)), /cover only 0: 4 trailing bytes/);
});

test('metadata must be an object of strings', () => {
  throwsSafetensors(decode(image('{"__metadata__":{"epoch":3}}', 0)), /"__metadata__" value for "epoch" must be a string, got a number/);
  throwsSafetensors(decode(image('{"__metadata__":{"a":"1","b":{"c":"d"}}}', 0)), /value for "b" must be a string, got an object/);
  throwsSafetensors(decode(image('{"__metadata__":["a"]}', 0)), /"__metadata__" must be an object of strings, got an array/);
});

test('empty tensors may sit at any offset between others, as the reference allows', () => {
  const ok = decodeSafetensors(image(header(['a', 'F32', [1], 0, 4], ['e', 'F32', [0, 7], 4, 4], ['b', 'F32', [1], 4, 8]), 8));
  assert.deepEqual(ok.tensors['e']!.shape, [0, 7]);
  assert.equal(ok.tensors['e']!.data.length, 0);
});
