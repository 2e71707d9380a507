import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { SafetensorsError } from '../../src/io/errors.js';
import { decodeSafetensors, encodeSafetensors } from '../../src/io/safetensors.js';
import { FIXTURES, prng } from './helpers.js';

type Rand = () => number;
type Mutator = (bytes: Uint8Array, rand: Rand) => Uint8Array;

const int = (rand: Rand, n: number): number => Math.floor(rand() * n);

function headerEnd(bytes: Uint8Array): number {
  const n = new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true);
  return 8 + Number(n);
}

function flipBits(bytes: Uint8Array, rand: Rand, from: number, to: number): Uint8Array {
  const out = bytes.slice();
  for (let k = 1 + int(rand, 8); k > 0; k--) out[from + int(rand, to - from)]! ^= 1 << int(rand, 8);
  return out;
}

const JSONISH = '{}[],:"0123456789-.eE \\u';

// Each mutator breaks the file in a different way; together they reach every check in the decoder.
const MUTATORS: Record<string, Mutator> = {
  bitFlipAnywhere: (b, r) => flipBits(b, r, 0, b.length),
  bitFlipInHeader: (b, r) => flipBits(b, r, 8, headerEnd(b)),
  truncate: (b, r) => b.slice(0, int(r, b.length)),
  randomHeaderBytes: (b, r) => {
    const out = b.slice();
    for (let k = 1 + int(r, 4); k > 0; k--) out[8 + int(r, headerEnd(b) - 8)] = int(r, 256);
    return out;
  },
  jsonishHeaderBytes: (b, r) => {
    const out = b.slice();
    for (let k = 1 + int(r, 3); k > 0; k--) out[8 + int(r, headerEnd(b) - 8)] = JSONISH.charCodeAt(int(r, JSONISH.length));
    return out;
  },
  // Keeps the JSON valid but changes a shape or an offset: the interesting, plausible corruption.
  digitTweak: (b, r) => {
    const out = b.slice();
    const digits: number[] = [];
    for (let i = 8; i < headerEnd(b); i++) if (b[i]! >= 0x30 && b[i]! <= 0x39) digits.push(i);
    out[digits[int(r, digits.length)]!] = 0x30 + int(r, 10);
    return out;
  },
  randomHeaderLength: (b, r) => {
    const out = b.slice();
    const view = new DataView(out.buffer);
    const pick = int(r, 3);
    if (pick === 0) view.setBigUint64(0, BigInt(int(r, b.length + 16)), true);
    else if (pick === 1) view.setBigUint64(0, (BigInt(int(r, 2 ** 32)) << 32n) | BigInt(int(r, 2 ** 32)), true);
    else view.setBigUint64(0, BigInt(100_000_000 - 2 + int(r, 4)), true);
    return out;
  },
  appendBytes: (b, r) => {
    const out = new Uint8Array(b.length + 1 + int(r, 16));
    out.set(b);
    for (let i = b.length; i < out.length; i++) out[i] = int(r, 256);
    return out;
  },
  insertOrDeleteInHeader: (b, r) => {
    const at = 8 + int(r, headerEnd(b) - 8);
    if (r() < 0.5) return new Uint8Array([...b.subarray(0, at), ...b.subarray(at + 1)]);
    return new Uint8Array([...b.subarray(0, at), JSONISH.charCodeAt(int(r, JSONISH.length)), ...b.subarray(at)]);
  },
};

function validFiles(): Uint8Array[] {
  const fixtures = ['mlp', 'dtypes', 'edge', 'unordered'].map((f) => new Uint8Array(readFileSync(join(FIXTURES, `${f}.safetensors`))));
  const ours = encodeSafetensors(
    { w: { shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, 6]) }, s: { shape: [], data: new Float32Array([7]) } },
    { epoch: '2' },
  );
  return [...fixtures, ours];
}

test('thousands of corrupted files: each decodes consistently or throws SafetensorsError, nothing else', { timeout: 60_000 }, () => {
  const rand = prng(20240611);
  const files = validFiles();
  const names = Object.keys(MUTATORS);
  const outcomes: Record<string, { ok: number; rejected: number }> = {};
  for (const n of names) outcomes[n] = { ok: 0, rejected: 0 };
  const CASES = 4000;
  for (let c = 0; c < CASES; c++) {
    const name = names[c % names.length]!;
    const source = files[int(rand, files.length)]!;
    const bytes = MUTATORS[name]!(source, rand);
    try {
      const { tensors, metadata } = decodeSafetensors(bytes, `case ${c}`);
      // What decodes must be self-consistent.
      for (const [tn, t] of Object.entries(tensors)) {
        const numel = t.shape.reduce((a, d) => a * d, 1);
        assert.equal(t.data.length, numel, `case ${c} (${name}): tensor ${tn}`);
        assert.ok(t.data instanceof Float32Array);
      }
      for (const v of Object.values(metadata)) assert.equal(typeof v, 'string');
      outcomes[name]!.ok++;
    } catch (err) {
      if (!(err instanceof SafetensorsError)) {
        assert.fail(`case ${c} (${name}) threw ${String(err)} instead of a SafetensorsError`);
      }
      assert.match(err.message, new RegExp(`^case ${c}: `));
      outcomes[name]!.rejected++;
    }
  }
  // Every mutator must actually produce rejected files (else it tests nothing), and some mutations are harmless
  // (a flipped bit in the data is still a valid file), so both outcomes occur overall.
  for (const n of names) assert.ok(outcomes[n]!.rejected > 0, `${n} never produced a bad file: ${JSON.stringify(outcomes[n])}`);
  const ok = Object.values(outcomes).reduce((a, o) => a + o.ok, 0);
  assert.ok(ok > 0 && ok < CASES, `decoded ${ok} of ${CASES}`);
});
