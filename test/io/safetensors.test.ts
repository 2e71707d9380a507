import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeSafetensors, encodeSafetensors, type SafetensorsInput } from '../../src/io/safetensors.js';
import { prng, throwsSafetensors } from './helpers.js';

function f32Bytes(values: number[]): number[] {
  return [...new Uint8Array(new Float32Array(values).buffer)];
}

/** The file image the reference writer produces for a header text and float32 data. */
function referenceImage(header: string, padding: number, values: number[]): Uint8Array {
  const json = [...Buffer.from(header + ' '.repeat(padding), 'utf8')];
  const length = [json.length, 0, 0, 0, 0, 0, 0, 0];
  return new Uint8Array([...length, ...json, ...f32Bytes(values)]);
}

function headerOf(bytes: Uint8Array): string {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return Buffer.from(bytes.subarray(8, 8 + n)).toString('utf8');
}

function sameBits(a: Float32Array, b: Float32Array): boolean {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

// Expected bytes from the reference implementation's own unit tests (safetensors/src/tensor.rs).
test('encode matches the reference writer byte for byte', () => {
  const data = new Float32Array([0, 1, 2, 3, 4, 5]);
  assert.deepEqual(
    encodeSafetensors({ 'attn.0': { shape: [1, 2, 3], data } }),
    referenceImage('{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}', 0, [0, 1, 2, 3, 4, 5]),
  );
  // 65 bytes of JSON: padded with 7 spaces so the data starts 8-byte aligned.
  assert.deepEqual(
    encodeSafetensors({ attn0: { shape: [1, 1, 2, 3], data } }),
    referenceImage('{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}', 7, [0, 1, 2, 3, 4, 5]),
  );
  assert.deepEqual(encodeSafetensors({}), new Uint8Array([8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32]));
  assert.deepEqual(encodeSafetensors({}, { framework: 'pt' }), referenceImage('{"__metadata__":{"framework":"pt"}}', 5, []));
});

test('encode sorts tensors by UTF-8 name (as Rust does), puts metadata first and keeps its order', () => {
  const t = (v: number): SafetensorsInput => ({ shape: [1], data: new Float32Array([v]) });
  // JavaScript's default sort puts '\u{1F600}' before '\uffff' (UTF-16); the reference compares UTF-8 bytes.
  const bytes = encodeSafetensors({ b: t(2), '\u{1F600}': t(4), a: t(1), '\uffff': t(3), '10': t(0) }, { z: '1', a: '2' });
  const header = headerOf(bytes);
  assert.equal(Buffer.byteLength(header, 'utf8') % 8, 0);
  const order = [...header.matchAll(/"([^"]+)":\{/g)].map((m) => m[1]);
  assert.deepEqual(order, ['__metadata__', '10', 'a', 'b', '\uffff', '\u{1F600}']);
  assert.match(header, /^\{"__metadata__":\{"z":"1","a":"2"\},/);
  const back = decodeSafetensors(bytes);
  assert.deepEqual(Object.keys(back.tensors).sort(), ['10', 'a', 'b', '\u{1F600}', '\uffff'].sort());
  assert.deepEqual([...back.tensors['\u{1F600}']!.data], [4]);
});

test('round trip keeps every float32 bit pattern, shape and metadata', () => {
  const rand = prng(42);
  const special = [0, -0, NaN, Infinity, -Infinity, 1e-45, -1.1754942e-38, 3.4028235e38, 0.1];
  const tensors: Record<string, SafetensorsInput> = {
    'special': { shape: [special.length], data: new Float32Array(special) },
    '0.weight': { shape: [3, 4], data: Float32Array.from({ length: 12 }, () => rand() * 2 - 1) },
    '0.bias': { shape: [3], data: Float32Array.from({ length: 3 }, () => rand()) },
    'scalar': { shape: [], data: new Float32Array([2.5]) },
    'empty': { shape: [0, 5], data: new Float32Array(0) },
    'big dims, no data': { dtype: 'F32', shape: [0, 4_000_000_000], data: new Float32Array(0) },
    'quote " and \\ and \n': { shape: [1, 1, 1], data: new Float32Array([7]) },
    // Computed, so it is an own key: a quoted '__proto__' in a literal would set the prototype instead.
    ['__proto__']: { shape: [2], data: new Float32Array([8, 9]) },
  };
  const metadata = { epoch: '3', 'arch "quoted"': 'Linear(784, 200)\nReLU', empty: '', ünï: 'çødé ✓' };
  const back = decodeSafetensors(encodeSafetensors(tensors, metadata));
  assert.deepEqual(Object.keys(back.tensors).sort(), Object.keys(tensors).sort());
  for (const [name, t] of Object.entries(tensors)) {
    const got = back.tensors[name]!;
    assert.equal(got.dtype, 'F32');
    assert.deepEqual(got.shape, [...t.shape], name);
    assert.ok(sameBits(got.data, t.data), `${name}: bits differ`);
  }
  assert.equal(Object.keys(tensors).length, 8);
  assert.ok(Object.hasOwn(back.tensors, '__proto__'));
  assert.equal(Object.getPrototypeOf(back.tensors), Object.prototype);
  assert.deepEqual(back.metadata, metadata);
});

test('decode copies: results are aligned and independent of an unaligned input buffer', () => {
  const image = encodeSafetensors({ w: { shape: [2, 2], data: new Float32Array([1.5, -2, 3.25, 4]) } });
  const backing = new Uint8Array(image.length + 3);
  backing.set(image, 3); // the data section now starts at an odd address
  const input = backing.subarray(3);
  const { tensors } = decodeSafetensors(input);
  const w = tensors['w']!.data;
  assert.equal(w.byteOffset % 4, 0);
  assert.deepEqual([...w], [1.5, -2, 3.25, 4]);
  input.fill(0);
  assert.deepEqual([...w], [1.5, -2, 3.25, 4]);
});

test('encode rejects inconsistent input with a message naming the tensor', () => {
  const data = new Float32Array(6);
  throwsSafetensors(() => encodeSafetensors({ w: { shape: [2, 2], data } }), /"w"/, /\[2, 2\] has 4 elements but data has 6/);
  throwsSafetensors(() => encodeSafetensors({ w: { shape: [-1, 6], data } }), /non-negative integers/);
  throwsSafetensors(() => encodeSafetensors({ w: { shape: [2.5, 2], data } }), /non-negative integers/);
  throwsSafetensors(() => encodeSafetensors({ __metadata__: { shape: [6], data } }), /reserved/);
  const badMeta = { epoch: 3 } as unknown as Record<string, string>;
  throwsSafetensors(() => encodeSafetensors({}, badMeta), /metadata value for "epoch" must be a string, got number/);
  const badDtype = { shape: [6], data, dtype: 'F16' } as unknown as SafetensorsInput;
  throwsSafetensors(() => encodeSafetensors({ w: badDtype }), /dtype must be F32 or BOOL, got F16/);
});

test('decode accepts what other writers produce: any key order, no padding, whitespace', () => {
  const header = ' \n{ "b" : {"shape":[1],"data_offsets":[4,8],"dtype":"F32", "extra": true}, "a": {"dtype":"F32","shape":[],"data_offsets":[0,4]},"__metadata__":null}\t';
  const json = Buffer.from(header, 'utf8');
  const image = new Uint8Array(8 + json.length + 8);
  new DataView(image.buffer).setBigUint64(0, BigInt(json.length), true);
  image.set(json, 8);
  image.set(f32Bytes([10, 20]), 8 + json.length);
  const back = decodeSafetensors(image);
  assert.deepEqual(back.metadata, {});
  assert.deepEqual(back.tensors['a'], { dtype: 'F32', shape: [], data: new Float32Array([10]) });
  assert.deepEqual(back.tensors['b'], { dtype: 'F32', shape: [1], data: new Float32Array([20]) });
});

test('the reference\'s own example (I32, unpadded) is read and converted', () => {
  const header = '{"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}';
  const json = Buffer.from(header);
  const image = new Uint8Array(8 + json.length + 16);
  new DataView(image.buffer).setBigUint64(0, BigInt(json.length), true);
  image.set(json, 8);
  new DataView(image.buffer, 8 + json.length).setInt32(4, -7, true);
  const t = decodeSafetensors(image).tensors['test']!;
  assert.deepEqual(t.shape, [2, 2]);
  assert.deepEqual([...t.data], [0, -7, 0, 0]);
});

test('a Node Buffer at an offset in a larger pool decodes like a plain array', () => {
  const image = encodeSafetensors({ x: { shape: [3], data: new Float32Array([1, 2, 3]) } });
  const asBuffer = Buffer.concat([Buffer.from([1, 2, 3, 4, 5]), Buffer.from(image)]).subarray(5);
  assert.deepEqual([...decodeSafetensors(asBuffer).tensors['x']!.data], [1, 2, 3]);
});

/** A safetensors image holding one 1-D tensor of 64-bit integers. */
function int64File(dtype: 'I64' | 'U64', values: readonly bigint[]): Uint8Array {
  const json = Buffer.from(JSON.stringify({ v: { dtype, shape: [values.length], data_offsets: [0, 8 * values.length] } }));
  const image = new Uint8Array(8 + json.length + 8 * values.length);
  const view = new DataView(image.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  image.set(json, 8);
  values.forEach((v, i) => (dtype === 'I64' ? view.setBigInt64(8 + json.length + 8 * i, v, true) : view.setBigUint64(8 + json.length + 8 * i, v, true)));
  return image;
}

/** Whether float32 `f` is a nearest float32 to the integer `n`, ties to even: checked exactly with BigInt. */
function isNearestFloat32(n: bigint, f: number): boolean {
  if (n > -(2n ** 24n) && n < 2n ** 24n) return f === Number(n); // exact below 2^24
  const bits = new Uint32Array(new Float32Array([f]).buffer)[0]!;
  const next = (b: number): bigint => BigInt(new Float32Array(new Uint32Array([b]).buffer)[0]!);
  const here = BigInt(f);
  const up = f > 0 ? next(bits + 1) : next(bits - 1);
  const down = f > 0 ? next(bits - 1) : next(bits + 1);
  const d = (a: bigint): bigint => (a > n ? a - n : n - a);
  if (d(here) > d(up) || d(here) > d(down)) return false;
  return d(here) !== d(up) && d(here) !== d(down) ? true : (bits & 1) === 0;
}

test('64-bit integers become the nearest float32 in one rounding, as PyTorch 1.13\'s .float()', () => {
  // PyTorch's own answers: torch.tensor(values, dtype=torch.int64).float().
  const pytorch: Array<[bigint, bigint]> = [
    [2n ** 60n + 2n ** 36n + 1n, 1152921642045800448n], [-(2n ** 60n + 2n ** 36n + 1n), -1152921642045800448n],
    [2n ** 53n + 1n, 9007199254740992n], [2n ** 63n - 1n, 9223372036854775808n], [-(2n ** 63n), -9223372036854775808n],
    [2n ** 54n + 2n ** 30n, 18014398509481984n], [2n ** 54n + 2n ** 30n + 1n, 18014400656965632n], [123456789012345678n, 123456790519087104n],
  ];
  const got = decodeSafetensors(int64File('I64', pytorch.map(([v]) => v))).tensors['v']!.data;
  pytorch.forEach(([v, want], i) => assert.equal(BigInt(got[i]!), want, `${v}`));
  // Random integers of every size, both types: each is a nearest float32, ties to even (an exact BigInt check).
  const rand = prng(7);
  const values: bigint[] = [];
  for (let bits = 1; bits <= 63; bits++) for (let k = 0; k < 8; k++) values.push((BigInt(Math.floor(rand() * 2 ** 32)) << 32n | BigInt(Math.floor(rand() * 2 ** 32))) >> BigInt(64 - bits));
  const signed = values.map((v, i) => (i % 2 === 0 ? v : -v));
  const s = decodeSafetensors(int64File('I64', signed)).tensors['v']!.data;
  signed.forEach((v, i) => assert.ok(isNearestFloat32(v, s[i]!), `I64 ${v} → ${s[i]}`));
  const unsigned = [...values, 2n ** 64n - 1n, 2n ** 63n + 2n ** 39n];
  const u = decodeSafetensors(int64File('U64', unsigned)).tensors['v']!.data;
  unsigned.forEach((v, i) => assert.ok(isNearestFloat32(v, u[i]!), `U64 ${v} → ${u[i]}`));
});

test('a file torch.save or NumPy wrote is named as such; a safetensors file that begins with the same bytes still loads', () => {
  const rest = new Array<number>(120).fill(7);
  // torch.save's zip archive (PyTorch ≥ 1.6), its older pickle (the magic number after PROTO 2), and NumPy's .npy.
  const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x08, 0x08, ...rest]);
  const pickle = new Uint8Array([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, ...rest]);
  const npy = new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 0x01, 0x00, ...rest]);
  throwsSafetensors(() => decodeSafetensors(zip, 'w.pt'), /^w\.pt: this is a zip archive, as torch\.save writes, not a safetensors file: /, /safetensors\.torch\.save_file\(model\.state_dict\(\), path\)/);
  throwsSafetensors(() => decodeSafetensors(pickle, 'w.pt'), /^w\.pt: this is a Python pickle, as torch\.save wrote before PyTorch 1\.6, not/);
  throwsSafetensors(() => decodeSafetensors(npy, 'w.npy'), /^w\.npy: this is a NumPy \.npy file, not a safetensors file$/);
  // Text (a README, a results.json, a report) and a PNG image, which eval and predict users mix up with model files.
  const text = (t: string): Uint8Array => new Uint8Array(Buffer.from(t, 'utf8'));
  throwsSafetensors(() => decodeSafetensors(text('# Kindling\n\nA PyTorch-style library, in TypeScript'), 'README.md'), /^README\.md: this is a text file \(it begins "# Kindling A PyTorch-st…"\), not a safetensors file$/);
  throwsSafetensors(() => decodeSafetensors(text('{\n  "meta": {}\n}'), 'results.json'), /^results\.json: this is a text file \(it begins "\{ \\"meta\\": \{\} \}"\), not a safetensors file$/);
  throwsSafetensors(() => decodeSafetensors(text('<!doctype html>é and more'), 'r.html'), /^r\.html: this is a text file \(it begins "<!doctype html>…"\), not a safetensors file$/);
  throwsSafetensors(() => decodeSafetensors(text(' \n\t'.repeat(20)), 'blank.txt'), /^blank\.txt: this is a text file that begins with blank space, not a safetensors file$/);
  throwsSafetensors(() => decodeSafetensors(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...rest]), 'digit.png'), /^digit\.png: this is a PNG image, not a safetensors file$/);
  // A header of 640 bytes (0x280) makes a safetensors file begin 0x80 0x02, as a pickle does.
  const json = Buffer.from('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}'.padEnd(640, ' '), 'utf8');
  const image = new Uint8Array(8 + json.length + 4);
  new DataView(image.buffer).setBigUint64(0, BigInt(json.length), true);
  image.set(json, 8);
  image.set(f32Bytes([1.5]), 8 + json.length);
  assert.deepEqual([image[0], image[1]], [0x80, 0x02]);
  assert.deepEqual(decodeSafetensors(image).tensors['a']!.data, new Float32Array([1.5]));
});
