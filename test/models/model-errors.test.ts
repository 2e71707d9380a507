import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { KindlingError } from '../../src/errors.js';
import { ModelFileError } from '../../src/io/model-file.js';
import { SafetensorsError } from '../../src/io/errors.js';
import { decodeSafetensors, encodeSafetensors } from '../../src/io/safetensors.js';
import * as nn from '../../src/nn/index.js';
import { loadModel, saveModel } from '../../src/nn/serialize.js';
import { Generator, withGenerator } from '../../src/random.js';
import { tempFolder } from './helpers.js';

const tmp = tempFolder();
after(tmp.remove);

const model = withGenerator(new Generator(1), () => new nn.Sequential(new nn.Linear(4, 3), new nn.LeakyReLU(0.02), new nn.LayerNorm(3), new nn.Linear(3, 2), new nn.Sigmoid()));
const good = join(tmp.dir, 'good.safetensors');
saveModel(model, good, { variant: 'tiny' });
const goodBytes = readFileSync(good);

/** Writes a variant of the good file: tensors and metadata changed by `edit`. */
function variant(name: string, edit: (c: ReturnType<typeof decodeSafetensors>) => void): string {
  const c = decodeSafetensors(goodBytes, good);
  edit(c);
  const path = join(tmp.dir, name);
  writeFileSync(path, encodeSafetensors(c.tensors, c.metadata));
  return path;
}

function rejects(path: string, cls: typeof KindlingError, ...patterns: RegExp[]): void {
  assert.throws(() => loadModel(path), (err: unknown) => {
    assert.ok(err instanceof cls, `expected ${cls.name}, got ${String(err)}`);
    assert.ok(err.message.includes(path), `the message names the file: ${err.message}`);
    for (const p of patterns) assert.match(err.message, p);
    return true;
  });
}

test('a truncated file, or a header length past the end, is a SafetensorsError naming the file', () => {
  const truncated = join(tmp.dir, 'truncated.safetensors');
  writeFileSync(truncated, goodBytes.subarray(0, goodBytes.length - 7));
  rejects(truncated, SafetensorsError, /data_offsets|trailing|out of range/);
  const short = join(tmp.dir, 'short.safetensors');
  writeFileSync(short, goodBytes.subarray(0, 100));
  rejects(short, SafetensorsError, /runs past the end of the file/);
  const tiny = join(tmp.dir, 'tiny.safetensors');
  writeFileSync(tiny, goodBytes.subarray(0, 5));
  rejects(tiny, SafetensorsError, /too short/);
});

test('a missing path or a folder is a clear error', () => {
  rejects(join(tmp.dir, 'nope.safetensors'), SafetensorsError, /does not exist/);
  const folder = join(tmp.dir, 'folder.safetensors');
  mkdirSync(folder);
  rejects(folder, SafetensorsError, /folder/);
});

test('a file without architecture metadata says what it holds and what to do', () => {
  const path = variant('no-arch.safetensors', (c) => delete c.metadata['architecture']);
  rejects(path, ModelFileError, /no "architecture" entry/, /4 tensor|6 tensor/, /"0\.weight"/, /loadWeights/);
});

test('another tool\'s text under "architecture" says the file was not written by model.save, and what to do', () => {
  // As the repo's fixtures/safetensors/mlp.safetensors, written by Python: "Linear(4,3)-Sigmoid-Linear(3,2)".
  const path = variant('text-arch.safetensors', (c) => {
    c.metadata['architecture'] = 'Linear(4,3)-Sigmoid-Linear(3,2)';
    delete c.metadata['kindling_format'];
  });
  rejects(path, ModelFileError, /not written by Kindling's model\.save/, /"Linear\(4,3\)-Sigmoid-Linear\(3,2\)"/, /6 tensor\(s\): "0\.bias", "0\.weight"/, /nn\.loadWeights\(model, path\)/);
  assert.throws(() => loadModel(path), (err: unknown) => !/JSON/.test(String(err)));
});

test('a missing, unexpected or wrongly shaped tensor names the key and both shapes', () => {
  rejects(variant('missing.safetensors', (c) => delete c.tensors['3.bias']), ModelFileError, /missing tensor "3\.bias" of shape \[2\]/);
  rejects(
    variant('extra.safetensors', (c) => (c.tensors['4.weight'] = { dtype: 'F32', shape: [2], data: new Float32Array(2) })),
    ModelFileError, /unexpected tensor\(s\) "4\.weight" \[2\]/,
  );
  rejects(
    variant('shape.safetensors', (c) => (c.tensors['0.weight'] = { dtype: 'F32', shape: [4, 3], data: new Float32Array(12) })),
    ModelFileError, /tensor "0\.weight" has shape \[4, 3\] in the file, but the model's "0\.weight" has shape \[3, 4\]/,
  );
});

test('bad metadata: invalid architecture JSON, unknown layer, newer format, bad numbers', () => {
  rejects(variant('json.safetensors', (c) => (c.metadata['architecture'] = '{"type": "Seq')), ModelFileError, /metadata "architecture" is not valid JSON/);
  rejects(variant('layer.safetensors', (c) => (c.metadata['architecture'] = '{"type":"FractionalMaxPool2d"}')), ModelFileError, /unknown layer type "FractionalMaxPool2d"/);
  rejects(variant('newer.safetensors', (c) => (c.metadata['kindling_format'] = '7')), ModelFileError, /written by a newer Kindling/);
  rejects(variant('seed.safetensors', (c) => (c.metadata['seed'] = 'zero')), ModelFileError, /metadata "seed" must be a number, got "zero"/);
  // Counts are whole numbers, an accuracy a fraction: an edited file would otherwise rank first or contradict itself.
  rejects(variant('seed-neg.safetensors', (c) => (c.metadata['seed'] = '-1')), ModelFileError, /metadata "seed" must be a whole number 0 or more, got "-1"/);
  rejects(variant('epoch-half.safetensors', (c) => (c.metadata['epoch'] = '0.5')), ModelFileError, /metadata "epoch" must be a whole number 0 or more, got "0\.5"/);
  rejects(variant('samples.safetensors', (c) => (c.metadata['testSamples'] = '1.5')), ModelFileError, /metadata "testSamples" must be a whole number 0 or more/);
  rejects(variant('accuracy.safetensors', (c) => (c.metadata['accuracy'] = '5')), ModelFileError, /metadata "accuracy" must be a fraction from 0 to 1, got "5"/);
  // A hostile architecture asking for a huge layer is refused by the shape check before anything is allocated.
  rejects(
    variant('huge.safetensors', (c) => (c.metadata['architecture'] = JSON.stringify({ type: 'Linear', inFeatures: 1e9, outFeatures: 1e6, bias: false }))),
    ModelFileError, /missing tensor "weight" of shape \[1000000, 1000000000\]/,
  );
});

/** mulberry32, so a failing case can be replayed from its number. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('fuzz: 2,000 randomly corrupted model files either load or fail with a KindlingError', () => {
  const path = join(tmp.dir, 'fuzz.safetensors');
  let loaded = 0;
  for (let i = 0; i < 2000; i++) {
    const rand = prng(i);
    const bytes = Uint8Array.from(goodBytes);
    const headerEnd = 8 + Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const kind = i % 3;
    // Mostly the header (where the structure is), sometimes anywhere, sometimes a cut.
    const hits = 1 + Math.floor(rand() * 4);
    let data: Uint8Array = bytes;
    for (let h = 0; h < hits; h++) {
      const at = kind === 0 ? Math.floor(rand() * headerEnd) : Math.floor(rand() * bytes.length);
      bytes[at] = Math.floor(rand() * 256);
    }
    if (kind === 2) data = bytes.subarray(0, Math.floor(rand() * bytes.length));
    writeFileSync(path, data);
    try {
      loadModel(path);
      loaded++;
    } catch (err) {
      assert.ok(err instanceof KindlingError, `case ${i}: expected a KindlingError, got ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
    }
  }
  // Corrupting only tensor data leaves a loadable (if different) model: some cases must load, or the fuzz is not reaching past the header.
  assert.ok(loaded > 0, 'some corrupted files still load');
});
